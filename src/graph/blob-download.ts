/**
 * One plain HTTPS GET of an export job's url into a file: the blob host is
 * another service, so no Graph client and no credentials, only the SAS in
 * the url (report-download.ts has the why). The body streams to disk,
 * bounded in size; a connection silent for the stall timeout is dropped.
 */
import { createWriteStream } from 'fs';
import * as https from 'https';
import { Transform } from 'stream';
import { pipeline } from 'stream/promises';
import { ExportRouteError } from './export-jobs';
import { parseRetryAfter } from './retry';

/** Where a url points, without its query (the SAS signature is a credential). */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'an unreadable url';
  }
}

/** Over a size bound: `bytes` as declared, or undefined when counted while reading. */
export function tooLarge(
  what: 'zip' | 'CSV',
  bytes: number | undefined,
  limit: number,
): ExportRouteError {
  return new ExportRouteError(
    `the export ${what} ${
      bytes === undefined ? 'exceeds' : `is ${bytes} bytes, over`
    } the limit of ${limit} bytes (a zip bomb, or a report larger than this integration reads)`,
  );
}

export class DownloadFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** One GET of the url into `file`: the byte count, or a DownloadFailure. */
export function downloadOnce(
  url: string,
  file: string,
  limits: { maxCompressedBytes: number; stallTimeoutMs: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const where = describeUrl(url);
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      request.destroy();
      reject(error);
    };
    const request = https.get(
      url,
      // No Authorization, no cookies: the SAS in the url is the only credential.
      { headers: { accept: '*/*' }, timeout: limits.stallTimeoutMs },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => {
            if (chunks.length < 8) chunks.push(chunk);
          });
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const code =
              (response.headers['x-ms-error-code'] as string | undefined) ??
              /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
            // Storage messages run on with times and ids: their first clause says it.
            const message = /<Message>([^<\n:.]+)/.exec(text)?.[1];
            fail(
              new DownloadFailure(
                `GET ${where} answered ${status}${code ? ` ${code}` : ''}${
                  message ? `: ${message.trim()}` : ''
                }`,
                status === 429 || status >= 500,
                parseRetryAfter(
                  response.headers['retry-after'] as string | undefined,
                ),
              ),
            );
          });
          response.on('error', (err) => fail(err));
          return;
        }
        const declared = Number(response.headers['content-length']);
        if (declared > limits.maxCompressedBytes) {
          fail(tooLarge('zip', declared, limits.maxCompressedBytes));
          return;
        }
        let bytes = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            bytes += chunk.length;
            if (bytes > limits.maxCompressedBytes) {
              done(tooLarge('zip', undefined, limits.maxCompressedBytes));
            } else done(null, chunk);
          },
        });
        pipeline(response, counter, createWriteStream(file)).then(
          () => {
            if (settled) return;
            settled = true;
            resolve(bytes);
          },
          (err: Error) =>
            fail(
              err instanceof ExportRouteError
                ? err
                : new DownloadFailure(
                    `GET ${where} broke off: ${err.message}`,
                    true,
                  ),
            ),
        );
      },
    );
    request.on('timeout', () =>
      fail(
        new DownloadFailure(
          `GET ${where} received nothing for ${limits.stallTimeoutMs / 1000} s`,
          true,
        ),
      ),
    );
    request.on('error', (err) =>
      fail(new DownloadFailure(`GET ${where} failed: ${err.message}`, true)),
    );
  });
}
