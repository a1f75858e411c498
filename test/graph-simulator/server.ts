/**
 * HTTPS plumbing: listens on loopback (127.0.0.1 and, when available, ::1 on
 * the same port, because `localhost` may resolve to either), reads requests,
 * dispatches them to identity, Graph, $batch or admin handlers, records them,
 * and writes the answer or performs a transport fault.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import { AddressInfo, Socket } from 'net';
import { ADMIN_PREFIX, handleAdmin, isLoopback } from './admin';
import { BatchService } from './batch';
import { errorHeaders } from './envelope';
import { renderGraphError } from './errors';
import { Execution, IncomingRequest, recordExecution } from './exchange';
import { GraphService } from './graph-service';
import { IdentityService } from './identity';
import { SimulatorState } from './state';
import { issueServerCertificate } from './tls';

/** Bodies larger than this are refused (the simulator only takes forms, batches and report requests). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface ServerOptions {
  port: number;
  hostnames: string[];
  adminEndpoints: boolean;
  /** Tenant used by /_simulator/ground-truth when none is named. */
  defaultTenantId: () => string | undefined;
}

export interface RunningServer {
  port: number;
  caCertPath: string;
  close(): Promise<void>;
}

export async function startServer(
  state: SimulatorState,
  options: ServerOptions,
): Promise<RunningServer> {
  const certificate = issueServerCertificate(options.hostnames);
  const graph = new GraphService(state, options.hostnames);
  const batch = new BatchService(state, graph);
  const identity = new IdentityService(state);

  const handler = (
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ) => {
    void handleRequest(request, response).catch((error) => {
      if (!response.headersSent && !response.destroyed) {
        const requestId = randomUUID();
        response.writeHead(500, errorHeaders(requestId, requestId));
        response.end(
          renderGraphError(
            { code: 'UnknownError', message: String(error) },
            requestId,
            requestId,
          ),
        );
      }
    });
  };

  async function handleRequest(
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    const started = performance.now();
    const receivedAt = new Date().toISOString();
    const url = request.url ?? '/';
    const question = url.indexOf('?');
    const path = question < 0 ? url : url.slice(0, question);
    const rawQuery = question < 0 ? '' : url.slice(question + 1);
    const body = await readBody(request);
    if (body === undefined) {
      response.writeHead(413, { 'content-type': 'text/plain' });
      response.end('request body too large');
      return;
    }

    if (options.adminEndpoints && path.startsWith(ADMIN_PREFIX)) {
      if (!isLoopback(request.socket.remoteAddress)) {
        response.writeHead(403, { 'content-type': 'application/json' });
        response.end('{"error":"loopback only"}');
        return;
      }
      const answer = handleAdmin(
        state,
        request.method ?? 'GET',
        path,
        rawQuery,
        body,
        options.defaultTenantId,
      );
      response.writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
      });
      response.end(JSON.stringify(answer.body));
      return;
    }

    state.stats.countHttpRequest();
    const host = request.headers.host ?? `localhost:${port}`;
    const incoming: IncomingRequest = {
      method: (request.method ?? 'GET').toUpperCase(),
      host,
      origin: `https://${host}`,
      path,
      rawQuery,
      headers: flattenHeaders(request.headers),
      rawBody: body,
      batchItem: false,
      receivedAt,
    };
    const execution = await dispatch(incoming);
    recordExecution(
      state.stats,
      incoming,
      execution,
      performance.now() - started,
    );
    write(request, response, execution);
  }

  function dispatch(request: IncomingRequest): Promise<Execution> {
    const segments = request.path.split('/');
    const root = (segments[1] ?? '').toLowerCase();
    if (root === 'v1.0' || root === 'beta') {
      const second = decodeURIComponent(segments[2] ?? '').toLowerCase();
      return second === '$batch' && segments.length === 3
        ? batch.execute(request)
        : graph.execute(request);
    }
    if (IdentityService.handles(request.path)) return identity.execute(request);
    return Promise.resolve(notFound(request));
  }

  const servers: https.Server[] = [];
  const listen = (host: string, port: number) =>
    new Promise<https.Server>((resolve, reject) => {
      const server = https.createServer(
        { key: certificate.keyPem, cert: certificate.certPem, keepAlive: true },
        handler,
      );
      // Stalls are deliberate: never let Node time a request out under them.
      server.requestTimeout = 0;
      server.keepAliveTimeout = 30_000;
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve(server);
      });
    });

  servers.push(await listen('127.0.0.1', options.port));
  const port = (servers[0].address() as AddressInfo).port;
  try {
    servers.push(await listen('::1', port));
  } catch {
    // No IPv6 loopback here: 127.0.0.1 alone.
  }

  return {
    port,
    caCertPath: certificate.caCertPath,
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              // Includes stalled requests, which would otherwise hold close() forever.
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function notFound(request: IncomingRequest): Execution {
  const requestId = randomUUID();
  const clientRequestId = request.headers['client-request-id'] ?? requestId;
  return {
    status: 404,
    headers: errorHeaders(requestId, clientRequestId),
    body: renderGraphError(
      {
        code: 'NotFound',
        message: `No Graph or Entra ID endpoint at '${request.path}'.`,
      },
      requestId,
      clientRequestId,
    ),
    outcome: {
      service: 'other',
      endpoint: `${request.method} /{unknown}`,
      itemsServed: 0,
      resourceUnits: 0,
    },
  };
}

function write(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  execution: Execution,
): void {
  if (execution.transport?.kind === 'reset') {
    resetSocket(request.socket);
    return;
  }
  if (execution.transport?.kind === 'stall') return; // Held until the client gives up or close().
  if (response.destroyed) return;
  // Encode once: the length header and the write share the same bytes.
  const body =
    typeof execution.body === 'string'
      ? Buffer.from(execution.body)
      : execution.body;
  response.writeHead(execution.status, {
    ...execution.headers,
    'content-length': String(body.length),
  });
  response.end(body);
}

/**
 * Sends a TCP RST. A TLS socket cannot be reset itself (ERR_INVALID_HANDLE_TYPE);
 * its underlying TCP socket (`_parent`, not public API) can. Falls back to a plain close.
 */
function resetSocket(socket: Socket): void {
  const tcp = (socket as Socket & { _parent?: Socket })._parent;
  try {
    if (tcp?.resetAndDestroy) {
      tcp.resetAndDestroy();
      socket.destroy();
      return;
    }
  } catch {
    // fall through
  }
  socket.destroy();
}

function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)),
    );
    request.on('error', reject);
  });
}

function flattenHeaders(
  headers: http.IncomingHttpHeaders,
): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
