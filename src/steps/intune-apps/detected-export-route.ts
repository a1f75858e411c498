/**
 * The export route of fetch-detected-applications: the AppInvRawData export
 * (src/graph/detected-app-export.ts), read twice from its downloaded file.
 *
 * 1. A verifying pass: the CRC-32, every row's length, the header, and every
 *    row's identity (DetectedCatalog.identityOfRow). Nothing is written.
 * 2. The writing pass: each row becomes an INSTALLED, as the request route
 *    would make it.
 *
 * So every reason to give up (a corrupt or truncated zip, a header without a
 * selected column, a platform that cannot be told) is found before the first
 * write, and the request route can then run on an untouched job state: the
 * fallback never has to undo anything. The cost is a second inflate and
 * parse of the file (measured in docs/performance.md).
 */
import { IntegrationLogger } from '@jupiterone/integration-sdk-core';
import { GraphClient } from '../../graph/client';
import {
  APP_INVENTORY_COLUMNS,
  APP_INVENTORY_OPTIONAL_COLUMNS,
  AppInventoryExportOptions,
  exportAppInventory,
} from '../../graph/detected-app-export';
import { ExportRouteError } from '../../graph/export-jobs';
import { ColumnIndex } from '../../graph/report-download';
import { DetectedCatalog, UnknownPlatformError } from './detected-catalog';
import { DetectedIdentity } from './converters';

/** What the writer does with one row (InventoryWriter.writeRow). */
export interface ExportRowSink {
  writeRow(
    deviceId: string,
    identity: DetectedIdentity | undefined,
    version: string,
    name: string,
    publisher: string,
  ): void;
  drain(): Promise<void>;
}

/** Row -> identity, once per distinct (name, version, platform) of the file. */
class RowIdentities {
  private readonly known = new Map<string, DetectedIdentity | null>();

  constructor(private readonly catalog: DetectedCatalog) {}

  of(row: string[], index: ColumnIndex): DetectedIdentity | undefined {
    const name = row[index.ApplicationName];
    const version = row[index.ApplicationVersion].trim();
    const platform = row[index.Platform];
    const localized =
      index.Platform_loc === undefined ? undefined : row[index.Platform_loc];
    const key = `${name}\u0000${version}\u0000${platform}\u0000${
      localized ?? ''
    }`;
    let identity = this.known.get(key);
    if (identity === undefined) {
      try {
        identity =
          this.catalog.identityOfRow(name, version, platform, localized) ??
          null;
      } catch (err) {
        if (err instanceof UnknownPlatformError) {
          throw new ExportRouteError(`in the export, ${err.message}`, err);
        }
        throw err;
      }
      this.known.set(key, identity);
    }
    return identity ?? undefined;
  }
}

export interface ExportRouteResult {
  jobId: string;
  jobsSubmitted: number;
  jobPolls: number;
  exportRows: number;
  zipBytes: number;
  csvBytes: number;
}

export async function readDetectedAppsByExport(
  client: GraphClient,
  catalog: DetectedCatalog,
  sink: ExportRowSink,
  options: AppInventoryExportOptions,
  logger: IntegrationLogger,
): Promise<ExportRouteResult> {
  const exported = await exportAppInventory(
    client,
    options,
    (message, details) => logger.info(details, `Detected apps: ${message}`),
  );
  try {
    const identities = new RowIdentities(catalog);
    const columns = APP_INVENTORY_COLUMNS;
    const optional = APP_INVENTORY_OPTIONAL_COLUMNS;
    const verified = await exported.file.forEachBatch(
      columns,
      optional,
      (rows, index) => {
        for (const row of rows) identities.of(row, index);
      },
      { verify: true },
    );
    logger.info(
      { jobId: exported.jobId, rows: verified.rows, csvBytes: verified.bytes },
      'Detected apps: the export file is whole; writing its rows',
    );
    const written = await exported.file.forEachBatch(
      columns,
      optional,
      async (rows, index) => {
        for (const row of rows) {
          sink.writeRow(
            row[index.DeviceId].trim(),
            identities.of(row, index),
            row[index.ApplicationVersion].trim(),
            row[index.ApplicationName],
            row[index.ApplicationPublisher],
          );
        }
        await sink.drain();
      },
      { verify: false },
    );
    return {
      jobId: exported.jobId,
      jobsSubmitted: exported.attempts,
      jobPolls: exported.polls,
      exportRows: written.rows,
      zipBytes: exported.file.compressedBytes,
      csvBytes: written.bytes,
    };
  } finally {
    await exported.file.dispose();
  }
}
