/**
 * The file of a completed export job: downloaded from the job's `url` with a
 * plain HTTPS GET, then read as one zipped CSV, row by row.
 *
 * - The url points at a blob host (Azure Storage in every cloud seen), not
 *   at Graph. It is fetched with Node's https and no credentials: never
 *   through graph-client, whose AuthenticationHandler adds the Graph token
 *   for Graph hosts (and a custom host could be anything). Its host is
 *   taken as given, in every national cloud; its query (a SAS signature)
 *   never appears in a log or an error.
 * - The zip goes to a temporary file (bounded by `maxCompressedBytes`; a
 *   connection silent for `stallTimeoutMs` is dropped and retried), never
 *   into memory; the file is removed by `dispose()`.
 * - yauzl reads the zip's central directory: exactly one `.csv` entry
 *   (cartography's rule: not even the `<jobId>.csv` name is promised), its
 *   declared size within `maxUncompressedBytes`; yauzl checks that the
 *   inflated size is the declared one, and `verify` passes check the CRC-32.
 * - csv-parse reads RFC 4180 (quotes, embedded commas and line breaks) and
 *   drops a byte-order mark; every row must have the header's length.
 */
import { parse } from 'csv-parse';
import { promises as fs } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Readable, Transform } from 'stream';
import { pipeline } from 'stream/promises';
import * as yauzl from 'yauzl';
import { crc32 } from 'zlib';
import { ExportRouteError } from './export-jobs';
import { DownloadFailure, downloadOnce, tooLarge } from './blob-download';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep } from './retry';

export { describeUrl } from './blob-download';

export interface ReportFileLimits {
  /** The zip as downloaded. */
  maxCompressedBytes: number;
  /** The CSV inside it: the zip-bomb bound. */
  maxUncompressedBytes: number;
  /** A download that receives nothing for this long is dropped. */
  stallTimeoutMs: number;
  /** Downloads tried in all, for dropped connections, stalls, 5xx and 429. */
  maxDownloadAttempts: number;
  /** First wait before a retry (doubles each time). */
  retryDelayMs: number;
}

export const DEFAULT_REPORT_FILE_LIMITS: ReportFileLimits = {
  maxCompressedBytes: 2 * 1024 ** 3,
  maxUncompressedBytes: 16 * 1024 ** 3,
  stallTimeoutMs: 60_000,
  maxDownloadAttempts: 3,
  retryDelayMs: 1000,
};

/** Column name -> its index in each row. */
export type ColumnIndex = Record<string, number>;

const ROWS_PER_BATCH = 500;

/** A downloaded export file: one CSV in a zip, read as often as needed. */
export class ReportFile {
  private constructor(
    /** The temporary directory this file owns (removed by dispose), if any. */
    private readonly directory: string | undefined,
    readonly path: string,
    readonly compressedBytes: number,
    private readonly limits: ReportFileLimits,
  ) {}

  /** Downloads the job's file; retries dropped connections, stalls, 5xx and 429. */
  static async download(
    url: string,
    limits: ReportFileLimits = DEFAULT_REPORT_FILE_LIMITS,
  ): Promise<ReportFile> {
    const directory = await fs.mkdtemp(join(tmpdir(), 'm365-export-'));
    const path = join(directory, 'report.zip');
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const bytes = await downloadOnce(url, path, limits);
          return new ReportFile(directory, path, bytes, limits);
        } catch (err) {
          if (!(err instanceof DownloadFailure)) throw err;
          if (!err.retryable || attempt >= limits.maxDownloadAttempts) {
            throw new ExportRouteError(
              `downloading the export file failed: ${err.message}${
                err.retryable ? ` (${attempt} attempts)` : ''
              }`,
            );
          }
          await sleep(
            err.retryAfterMs ??
              backoffDelay(attempt - 1, {
                ...DEFAULT_RETRY_POLICY,
                baseDelayMs: limits.retryDelayMs,
              }),
          );
        }
      }
    } catch (err) {
      await fs.rm(directory, { recursive: true, force: true });
      throw err;
    }
  }

  /** A zip already on disk (tests); dispose() leaves it there. */
  static async local(
    path: string,
    limits: ReportFileLimits = DEFAULT_REPORT_FILE_LIMITS,
  ): Promise<ReportFile> {
    const { size } = await fs.stat(path);
    return new ReportFile(undefined, path, size, limits);
  }

  async dispose(): Promise<void> {
    if (this.directory)
      await fs.rm(this.directory, { recursive: true, force: true });
  }

  /**
   * Reads every row: the header first (each of `columns` must be in it,
   * matched case-insensitively; `optional` ones may be missing), then the
   * rows in batches. `verify` also checks the CRC-32 of the CSV: a pass
   * that must not write anything before the file is known to be whole.
   */
  async forEachBatch(
    columns: readonly string[],
    optional: readonly string[],
    onBatch: (rows: string[][], index: ColumnIndex) => Promise<void> | void,
    options: { verify: boolean },
  ): Promise<{ rows: number; bytes: number; entryName: string }> {
    const zip = await openZip(this.path);
    try {
      const entry = await onlyCsvEntry(zip);
      if (entry.uncompressedSize > this.limits.maxUncompressedBytes) {
        throw tooLarge(
          'CSV',
          entry.uncompressedSize,
          this.limits.maxUncompressedBytes,
        );
      }
      const source = await openEntry(zip, entry);
      let bytes = 0;
      let crc = 0;
      const limit = this.limits.maxUncompressedBytes;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          if (bytes > limit) return done(tooLarge('CSV', undefined, limit));
          if (options.verify) crc = crc32(chunk, crc);
          done(null, chunk);
        },
      });
      const parser = parse({ bom: true, skip_empty_lines: true });
      const flow = pipeline(source, meter, parser).catch((err: Error) => {
        throw csvError(err);
      });
      let index: ColumnIndex | undefined;
      let rows = 0;
      let batch: string[][] = [];
      try {
        for await (const record of parser as AsyncIterable<string[]>) {
          if (!index) {
            index = columnIndex(record, columns, optional);
            continue;
          }
          batch.push(record);
          if (batch.length >= ROWS_PER_BATCH) {
            rows += batch.length;
            await onBatch(batch, index);
            batch = [];
          }
        }
      } catch (err) {
        await flow.catch(() => undefined);
        throw csvError(err as Error);
      }
      await flow;
      if (!index)
        throw new ExportRouteError(
          'the export CSV is empty: it has no header row',
        );
      if (batch.length) {
        rows += batch.length;
        await onBatch(batch, index);
      }
      if (options.verify && crc >>> 0 !== entry.crc32 >>> 0) {
        throw new ExportRouteError(
          `the export zip is corrupt: the CRC-32 of ${entry.fileName} does not match its directory entry`,
        );
      }
      return { rows, bytes, entryName: entry.fileName };
    } finally {
      zip.close();
    }
  }
}

function csvError(err: Error): Error {
  if (err instanceof ExportRouteError) return err;
  return new ExportRouteError(
    `the export file could not be read: ${err.message}`,
    err,
  );
}

/** Header name -> position, for the columns asked for; a missing required one is an error. */
export function columnIndex(
  header: string[],
  columns: readonly string[],
  optional: readonly string[],
): ColumnIndex {
  const positions = new Map(
    header.map((name, i) => [name.trim().toLowerCase(), i]),
  );
  const index: ColumnIndex = {};
  for (const column of [...columns, ...optional]) {
    const at = positions.get(column.toLowerCase());
    if (at !== undefined) index[column] = at;
    else if (columns.includes(column)) {
      throw new ExportRouteError(
        `the export CSV has no column "${column}" (its header: ${header.join(
          ', ',
        )})`,
      );
    }
  }
  return index;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, validateEntrySizes: true },
      (err, zip) =>
        err
          ? reject(
              new ExportRouteError(
                `the export file is not a valid zip: ${err.message}`,
                err,
              ),
            )
          : resolve(zip),
    ),
  );
}

/** The zip's one `.csv` entry (any name; its size from the central directory). */
function onlyCsvEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry> {
  return new Promise((resolve, reject) => {
    const csv: yauzl.Entry[] = [];
    const names: string[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      names.push(entry.fileName);
      if (/\.csv$/i.test(entry.fileName)) csv.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => {
      if (csv.length === 1) resolve(csv[0]);
      else
        reject(
          new ExportRouteError(
            `the export zip holds ${csv.length ? csv.length : 'no'} .csv file${
              csv.length === 1 ? '' : 's'
            } instead of one (entries: ${names.join(', ') || 'none'})`,
          ),
        );
    });
    zip.once('error', (err: Error) =>
      reject(
        new ExportRouteError(
          `the export file is not a valid zip: ${err.message}`,
          err,
        ),
      ),
    );
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) =>
      err
        ? reject(
            new ExportRouteError(
              `the export zip is corrupt: ${err.message}`,
              err,
            ),
          )
        : resolve(stream),
    ),
  );
}
