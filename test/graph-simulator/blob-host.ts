/**
 * The blob host behind export job urls: a separate HTTPS origin on loopback
 * (its own port, `127.0.0.1` where Graph is `localhost`; same test CA),
 * standing for `<x>repexpstorage.blob.core.windows.net` (MD-APIS example).
 *
 *   GET /<container>/<jobId>.zip?sv=...&sr=b&sp=r&se=...&sig=...
 *
 * - The SAS is checked: a signature that does not match, or an expiry (`se`)
 *   in the past, is refused with 403 AuthenticationFailed and Azure
 *   Storage's XML error body.
 * - A request that carries an `Authorization` header is refused (403) and
 *   logged with `hadAuthorization`: the Graph token must never reach another
 *   service (every public implementation downloads anonymously,
 *   intune-exports.md §1.5). What Blob Storage does with a bearer token next
 *   to a SAS is UNCONFIRMED; refusing is harsher.
 * - The zip is streamed without Content-Length (export-files.ts).
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';
import { Duplex } from 'stream';
import { exportZipStream } from './export-files';
import { EXPORTABLE_REPORTS, ExportJobStore } from './export-jobs';
import { recordExecution, Execution, IncomingRequest } from './exchange';
import { StatsRecorder } from './stats';
import { issueServerCertificate } from './tls';

export interface BlobHost {
  origin: string;
  close(): Promise<void>;
}

const ENDPOINT = 'GET /{container}/{blob}';

function storageError(code: string, message: string): string {
  const requestId = randomUUID();
  return `\ufeff<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`;
}

export async function startBlobHost(
  store: ExportJobStore,
  stats: StatsRecorder,
): Promise<BlobHost> {
  const certificate = issueServerCertificate([]);
  const sockets = new Set<Duplex>();

  const handler = (
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ) => {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'https://blob');
    const incoming: IncomingRequest = {
      method: (request.method ?? 'GET').toUpperCase(),
      host: request.headers.host ?? '',
      origin: '',
      path: url.pathname,
      // The signature is a credential: the log keeps the query without it.
      rawQuery: url.search
        .replace(/^\?/, '')
        .replace(/(^|&)sig=[^&]*/, '$1sig=[REDACTED]'),
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [
          k,
          Array.isArray(v) ? v.join(', ') : v,
        ]),
      ),
      batchItem: false,
      receivedAt: new Date().toISOString(),
    };
    const answer = (status: number, code?: string, message?: string) => {
      const execution: Execution = {
        status,
        headers: {},
        body: '',
        outcome: {
          service: 'other',
          endpoint: ENDPOINT,
          itemsServed: 0,
          resourceUnits: 0,
        },
      };
      recordExecution(stats, incoming, execution, performance.now() - started);
      if (code) {
        response.writeHead(status, {
          'content-type': 'application/xml',
          'x-ms-error-code': code,
          'x-ms-request-id': randomUUID(),
        });
        response.end(storageError(code, message ?? code));
      }
    };

    if (incoming.method !== 'GET') {
      answer(
        405,
        'UnsupportedHttpVerb',
        'The resource does not support the specified HTTP verb.',
      );
      return;
    }
    if (request.headers.authorization) {
      answer(
        403,
        'AuthenticationFailed',
        'The request carries an Authorization header: the Graph simulator refuses bearer tokens at the blob host (a Graph token must never leave Graph).',
      );
      return;
    }
    const match = /^\/([^/]+)\/([^/]+)\.zip$/.exec(url.pathname);
    const job = match ? store.find(match[2]) : undefined;
    const expiry = url.searchParams.get('se') ?? '';
    const signature = url.searchParams.get('sig') ?? '';
    if (!job || store.blobPath(job) !== url.pathname) {
      answer(404, 'BlobNotFound', 'The specified blob does not exist.');
      return;
    }
    if (
      job.faults.has('refusedUrl') ||
      signature !== store.signature(url.pathname, expiry)
    ) {
      answer(
        403,
        'AuthenticationFailed',
        'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
      );
      return;
    }
    const expiresAt = Date.parse(expiry);
    if (!(expiresAt > Date.now())) {
      answer(
        403,
        'AuthenticationFailed',
        `Signature not valid in the specified time frame: Start [${new Date(
          job.createdAt,
        ).toUTCString()}] - Expiry [${new Date(
          expiresAt,
        ).toUTCString()}] - Current [${new Date().toUTCString()}]`,
      );
      return;
    }
    if (store.takeFaults(['blobServerBusy']).length) {
      answer(
        503,
        'ServerBusy',
        'The server is currently unable to receive requests. Please retry your request.',
      );
      return;
    }

    answer(200);
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'x-ms-blob-type': 'BlockBlob',
      'x-ms-version': '2019-02-02',
      'x-ms-request-id': randomUUID(),
      'last-modified': new Date(job.createdAt).toUTCString(),
    });
    const zip = exportZipStream(
      job,
      EXPORTABLE_REPORTS[job.reportName],
      store.behaviour,
    );
    if (job.faults.has('stallDownload')) {
      // Part of the file, then silence until the client gives up.
      zip.once('data', (chunk: Buffer) => {
        response.write(chunk.subarray(0, Math.min(chunk.length, 100)));
        zip.destroy();
      });
      return;
    }
    zip.on('error', () => response.destroy());
    response.on('close', () => zip.destroy());
    zip.pipe(response);
  };

  const servers: https.Server[] = [];
  const listen = (host: string, port: number) =>
    new Promise<https.Server>((resolve, reject) => {
      const server = https.createServer(
        { key: certificate.keyPem, cert: certificate.certPem, keepAlive: true },
        handler,
      );
      server.requestTimeout = 0;
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  servers.push(await listen('127.0.0.1', 0));
  const port = (servers[0].address() as AddressInfo).port;
  return {
    origin: `https://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
