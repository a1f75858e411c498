/**
 * The file behind a completed export job: a zip holding one `<jobId>.csv`
 * (MS-SAMPLE and ztrhgf read exactly that name), UTF-8, header row of the
 * selected columns in the order selected (all columns when none were), and
 * `<Column>_loc` after each localizable column unless the job asked for
 * `replaceLocalizableValues` (MD-APIS). Values are text; RFC 4180 quoting;
 * CRLF line ends.
 *
 * The zip is written as it is sent (yazl, sizes in a data descriptor, no
 * Content-Length): a 5-million-row report never sits in the simulator's
 * memory, and the client must not rely on a length header.
 */
import { Readable, Transform } from 'stream';
import { ZipFile } from 'yazl';
import { ExportJob, ExportJobBehaviour } from './export-jobs';
import { APP_INV_LOCALIZABLE_COLUMNS } from './tenant/app-inventory';
import { TenantData } from './tenant/model';

const CHUNK_CHARS = 64 * 1024;

/** The report's rows as column name -> text. */
function* reportRows(job: ExportJob): Generator<Record<string, string>> {
  const tenant = job.tenant;
  if (job.reportName === 'AppInvAggregate') {
    for (let i = 0; i < tenant.detectedApps.count; i++) {
      const app = tenant.detectedApps.get(i);
      yield {
        ApplicationId: String(app.id),
        ApplicationKey: String(app.id).slice(0, 44),
        ApplicationName: String(app.displayName ?? ''),
        ApplicationPublisher: String(app.publisher ?? ''),
        ApplicationShortVersion: String(app.version ?? '')
          .split('.')
          .slice(0, 2)
          .join('.'),
        ApplicationVersion: String(app.version ?? ''),
        DeviceCount: String(app.deviceCount ?? 0),
        Platform: String(app.platform ?? ''),
      };
    }
    return;
  }
  if (tenant.appInventory) {
    for (const row of tenant.appInventory.rows()) yield row;
    return;
  }
  yield* rowsFromDevices(tenant);
}

/** A tenant without its own report (fake-tenant.ts): one row per item of each device's inventory. */
function* rowsFromDevices(
  tenant: TenantData,
): Generator<Record<string, string>> {
  for (let d = 0; d < tenant.managedDevices.count; d++) {
    const device = tenant.managedDevices.get(d);
    for (const app of tenant.detectedAppsOfDevice(String(device.id))) {
      yield {
        ApplicationKey: String(app.id).slice(0, 44),
        ApplicationName: String(app.displayName ?? ''),
        ApplicationPublisher: String(app.publisher ?? ''),
        ApplicationShortVersion: '',
        ApplicationVersion: String(app.version ?? ''),
        DeviceId: String(device.id),
        DeviceName: String(device.deviceName ?? ''),
        EmailAddress: String(device.emailAddress ?? ''),
        OSDescription: String(device.model ?? ''),
        OSVersion: String(device.osVersion ?? ''),
        Platform: String(app.platform ?? ''),
        UserId: String(device.userId ?? ''),
        UserName: String(device.userDisplayName ?? ''),
      };
    }
  }
}

/** The header: selected columns (or all), `_loc` twins, and the missingColumn fault applied. */
export function csvColumns(
  job: ExportJob,
  allColumns: readonly string[],
): string[] {
  const selected = job.select.length ? job.select : [...allColumns];
  const columns: string[] = [];
  for (const column of selected) {
    if (job.faults.has('missingColumn') && column === job.missingColumn)
      continue;
    columns.push(column);
    if (
      job.localizationType === 'localizedValuesAsAdditionalColumn' &&
      APP_INV_LOCALIZABLE_COLUMNS.has(column)
    ) {
      columns.push(`${column}_loc`);
    }
  }
  return columns;
}

function csvField(value: string, quoteAll: boolean): string {
  if (quoteAll || /[",\r\n]/.test(value))
    return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** The CSV text in chunks of ~64 KB. */
function* csvChunks(
  job: ExportJob,
  allColumns: readonly string[],
  behaviour: ExportJobBehaviour,
): Generator<string> {
  const columns = csvColumns(job, allColumns);
  const sources = columns.map((c) => c.replace(/_loc$/, ''));
  let chunk =
    (behaviour.bom ? '\ufeff' : '') +
    columns.map((c) => csvField(c, behaviour.quoteAll)).join(',') +
    '\r\n';
  for (const row of reportRows(job)) {
    chunk +=
      sources.map((c) => csvField(row[c] ?? '', behaviour.quoteAll)).join(',') +
      '\r\n';
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The zip of a completed job, as a stream, with the job's file faults applied. */
export function exportZipStream(
  job: ExportJob,
  allColumns: readonly string[],
  behaviour: ExportJobBehaviour,
): Readable {
  const zip = new ZipFile();
  const options = { compressionLevel: behaviour.compressionLevel };
  const csv = () => Readable.from(csvChunks(job, allColumns, behaviour));
  if (job.faults.has('noCsv')) {
    zip.addReadStream(csv(), `${job.id}.txt`, options);
  } else {
    zip.addReadStream(csv(), `${job.id}.csv`, options);
    if (job.faults.has('twoCsv'))
      zip.addReadStream(csv(), `${job.id}_2.csv`, options);
  }
  zip.end();
  const out = zip.outputStream as unknown as Readable;
  return job.faults.has('corruptZip') ? out.pipe(corruptor()) : out;
}

/** Inverts 64 bytes of the compressed data, past the local header. */
function corruptor(): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const copy = Buffer.from(chunk);
      for (let i = 0; i < copy.length; i++) {
        const at = offset + i;
        if (at >= 200 && at < 264) copy[i] ^= 0xff;
      }
      offset += copy.length;
      done(null, copy);
    },
  });
}
