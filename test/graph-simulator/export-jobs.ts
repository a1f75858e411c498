/**
 * Intune reporting export jobs (intune-exports.md §1, §5):
 *
 *   POST /{v}/deviceManagement/reports/exportJobs          201, the job (notStarted)
 *   GET  /{v}/deviceManagement/reports/exportJobs('{id}')  200, the job (both key forms;
 *   GET  /{v}/deviceManagement/reports/exportJobs/{id}          pathSegments() folds them)
 *   GET  /{v}/deviceManagement/reports/exportJobs          400: listing is broken in real Graph
 *
 * A job is `notStarted` for `queueMs`, `inProgress` for `baseMs` plus
 * `perThousandRowsMs` per thousand report rows (real jobs take seconds on
 * small tenants and minutes on large fleets, CARTO #2913 and a third-party
 * note: scaled down here so that tests stay fast, but growing with the
 * report), then `completed` with a `url` on the blob host (blob-host.ts) that
 * expires like a SAS, or `failed`.
 *
 * Every fault real services showed is switchable on its own
 * (`GraphSimulator.addExportJobFault`), each for the next `times` jobs:
 * see ExportJobFault. Errors on create and poll (5xx, 429) come from the
 * ordinary fault rules (faults.ts), matched on the path.
 */
import { createHmac, randomBytes, randomUUID } from 'crypto';
import { GraphHttpError, intuneErrorMessage } from './errors';
import {
  GraphCall,
  GraphPayload,
  GraphRoute,
  intuneBackendUrl,
} from './graph-call';
import { APP_INV_RAW_DATA_COLUMNS } from './tenant/app-inventory';
import { TenantData } from './tenant/model';

/** Which job-level fault to inject; each is evidence-backed in its comment. */
export type ExportJobFault =
  /** 400 on create: the report name was withdrawn (memdocs #2823: "PostExportJobAsync not supported for reportType ..."). */
  | 'reportNotSupported'
  /** 400 on create: a filter the report requires is missing (memdocs #1887). */
  | 'filterRequired'
  /** The job ends `failed` (CARTO #2913; msgraph-sdk-python #1218). */
  | 'failed'
  /** The job stays `inProgress` forever (CARTO #2913: "the stranded job never recovers"). */
  | 'stuck'
  /** The url's SAS expiry (`se`) is already past when the job completes. */
  | 'expiredUrl'
  /** The blob host refuses the url (403 AuthenticationFailed: a signature that does not match). */
  | 'refusedUrl'
  /** The blob host answers 503 ServerBusy (transient). */
  | 'blobServerBusy'
  /** The zip's bytes are damaged in transit (a flipped run of bytes in the compressed data). */
  | 'corruptZip'
  /** The zip holds no .csv (the CSV under another extension). */
  | 'noCsv'
  /** The zip holds two .csv files. */
  | 'twoCsv'
  /** The CSV header lacks a selected column (`column`, default DeviceId). */
  | 'missingColumn'
  /** The blob host sends part of the zip, then nothing. */
  | 'stallDownload';

export interface ExportJobFaultRule {
  fault: ExportJobFault;
  /** How many jobs (or, for blobServerBusy, downloads) it hits; default: all. */
  times?: number;
  /** missingColumn: which column goes missing. */
  column?: string;
}

/** Timing of jobs and their files (SimulatorBehaviour.exportJobs). */
export interface ExportJobBehaviour {
  queueMs: number;
  baseMs: number;
  perThousandRowsMs: number;
  /** SAS lifetime of the download url: ~6 h in the MD-APIS example (UNCONFIRMED as a rule). */
  urlLifetimeMs: number;
  /** UTF-8 byte-order mark before the header (CARTO reads utf-8-sig; whether Intune writes one is UNCONFIRMED). */
  bom: boolean;
  /** Every field in double quotes (suggested by a runbook that strips quotes; UNCONFIRMED). */
  quoteAll: boolean;
  /** Deflate level of the zip (6 is zlib's default; 1 saves the simulator CPU in benchmarks). */
  compressionLevel: number;
}

export const DEFAULT_EXPORT_JOB_BEHAVIOUR: ExportJobBehaviour = {
  queueMs: 100,
  baseMs: 200,
  perThousandRowsMs: 5,
  urlLifetimeMs: 6 * 3600 * 1000,
  bom: true,
  quoteAll: true,
  compressionLevel: 6,
};

/** Reports the simulator can export, with their columns (MD-REPORTS). */
export const EXPORTABLE_REPORTS: Record<string, readonly string[]> = {
  AppInvRawData: APP_INV_RAW_DATA_COLUMNS,
  AppInvAggregate: [
    'ApplicationId',
    'ApplicationKey',
    'ApplicationName',
    'ApplicationPublisher',
    'ApplicationShortVersion',
    'ApplicationVersion',
    'DeviceCount',
    'Platform',
  ],
};

export interface ExportJob {
  id: string;
  reportName: string;
  filter: string | null;
  select: string[];
  localizationType: string;
  search: string | null;
  requestDateTime: string;
  tenant: TenantData;
  createdAt: number;
  runMs: number;
  faults: Set<ExportJobFault>;
  missingColumn: string;
  /** The blob container (a GUID, as in the MD-APIS example). */
  container: string;
  expiresAt?: number;
}

/** The simulator's export jobs, and the signing key of their download urls. */
export class ExportJobStore {
  /** Set by index.ts once the blob host listens. */
  blobOrigin = '';
  behaviour: ExportJobBehaviour = { ...DEFAULT_EXPORT_JOB_BEHAVIOUR };
  private readonly jobs = new Map<string, ExportJob>();
  private rules: { rule: ExportJobFaultRule; fired: number }[] = [];
  private readonly key = randomBytes(32);

  addFault(rule: ExportJobFaultRule): void {
    this.rules.push({ rule, fired: 0 });
  }

  clearFaults(): void {
    this.rules = [];
  }

  /** Takes one shot of every rule of these kinds that has shots left. */
  takeFaults(kinds: readonly ExportJobFault[]): ExportJobFaultRule[] {
    const taken: ExportJobFaultRule[] = [];
    for (const active of this.rules) {
      if (!kinds.includes(active.rule.fault)) continue;
      if (active.rule.times !== undefined && active.fired >= active.rule.times)
        continue;
      active.fired++;
      taken.push(active.rule);
    }
    return taken;
  }

  add(job: ExportJob): void {
    this.jobs.set(job.id.toLowerCase(), job);
  }

  find(id: string): ExportJob | undefined {
    return this.jobs.get(id.toLowerCase());
  }

  status(job: ExportJob, now = Date.now()): string {
    const elapsed = now - job.createdAt;
    if (elapsed < this.behaviour.queueMs) return 'notStarted';
    if (job.faults.has('stuck') || elapsed < this.behaviour.queueMs + job.runMs)
      return 'inProgress';
    return job.faults.has('failed') ? 'failed' : 'completed';
  }

  /** The path of the job's blob: /<container>/<jobId>.zip */
  blobPath(job: ExportJob): string {
    return `/${job.container}/${job.id}.zip`;
  }

  signature(path: string, expiry: string): string {
    return createHmac('sha256', this.key)
      .update(`${path}\n${expiry}`)
      .digest('base64');
  }

  /** A user-delegation-style SAS url (MD-APIS example: sv, sr=b, sp=r, se, sig...). */
  urlOf(job: ExportJob): string {
    const expiry = sasTime(job.expiresAt as number);
    const path = this.blobPath(job);
    const query = new URLSearchParams({
      sv: '2019-02-02',
      sr: 'b',
      sig: this.signature(path, expiry),
      skt: sasTime(job.createdAt),
      ske: expiry,
      sks: 'b',
      skv: '2019-02-02',
      se: expiry,
      sp: 'r',
    });
    return `${this.blobOrigin}${path}?${query.toString()}`;
  }

  /** The job as Graph writes it, completing it (url, expiry) when its time has come. */
  view(job: ExportJob, now = Date.now()): Record<string, unknown> {
    const status = this.status(job, now);
    if (status === 'completed' && job.expiresAt === undefined) {
      job.expiresAt = job.faults.has('expiredUrl')
        ? now - 60_000
        : now + this.behaviour.urlLifetimeMs;
    }
    return {
      id: job.id,
      reportName: job.reportName,
      filter: job.filter,
      select: job.select,
      format: 'csv',
      snapshotId: null,
      localizationType: job.localizationType,
      search: job.search,
      status,
      url: status === 'completed' ? this.urlOf(job) : null,
      requestDateTime: job.requestDateTime,
      expirationDateTime:
        status === 'completed'
          ? graphTime(job.expiresAt as number)
          : '0001-01-01T00:00:00Z',
    };
  }
}

/** Graph's date-time with 7 fractional digits (msgraph-sdk-python #1218 log). */
function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** SAS times have whole seconds. */
function sasTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Any of the six scopes the service's 403 names (msgraph-sdk-powershell #2081). */
const EXPORT_PERMISSIONS = [
  'DeviceManagementApps.Read.All',
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementManagedDevices.Read.All',
];

const ENTITY_CONTEXT = 'deviceManagement/reports/exportJobs/$entity';

/** The simulator's job store, handed to every call (graph-service.ts). */
function storeOf(call: GraphCall): ExportJobStore {
  if (!call.exportJobs) throw new Error('no export job store on this call');
  return call.exportJobs;
}

/** Intune's own error document inside `message` (graph-api.md §5), as the reporting service writes it. */
function intuneBadRequest(call: GraphCall, text: string): GraphHttpError {
  return new GraphHttpError(
    400,
    'BadRequest',
    intuneErrorMessage(text, call.requestId, intuneBackendUrl(call)),
  );
}

function createExportJob(call: GraphCall): GraphPayload {
  const store = storeOf(call);
  const body = (call.body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphHttpError(
      400,
      'BadRequest',
      'The request body must be a JSON object.',
    );
  }
  const reportName = body.reportName;
  if (typeof reportName !== 'string' || !reportName.trim()) {
    throw intuneBadRequest(call, 'reportName is required.');
  }
  const columns = EXPORTABLE_REPORTS[reportName];
  const atCreate = store.takeFaults(['reportNotSupported', 'filterRequired']);
  if (!columns || atCreate.some((r) => r.fault === 'reportNotSupported')) {
    throw intuneBadRequest(
      call,
      `PostExportJobAsync not supported for reportType ${reportName}`,
    );
  }
  const filter =
    typeof body.filter === 'string' && body.filter ? body.filter : null;
  if (atCreate.some((r) => r.fault === 'filterRequired') && !filter) {
    throw intuneBadRequest(
      call,
      `Filter is required for reportType ${reportName}.`,
    );
  }
  const format = body.format ?? 'csv';
  if (typeof format !== 'string' || format.toLowerCase() !== 'csv') {
    throw new GraphHttpError(
      400,
      'BadRequest',
      `The simulator exports only format 'csv', not '${String(format)}'.`,
    );
  }
  const select = body.select ?? [];
  if (!Array.isArray(select) || select.some((c) => typeof c !== 'string')) {
    throw intuneBadRequest(call, "Invalid value for 'select'.");
  }
  const resolved = (select as string[]).map((name) => {
    const column = columns.find((c) => c.toLowerCase() === name.toLowerCase());
    if (!column)
      throw intuneBadRequest(call, `Invalid select column '${name}'.`);
    return column;
  });
  // MD-APIS sends PascalCase, the Graph enum is camelCase: both are accepted, camelCase echoed.
  const localization = String(
    body.localizationType ?? 'localizedValuesAsAdditionalColumn',
  );
  const localizationType =
    localization.toLowerCase() === 'replacelocalizablevalues'
      ? 'replaceLocalizableValues'
      : localization.toLowerCase() === 'localizedvaluesasadditionalcolumn'
      ? 'localizedValuesAsAdditionalColumn'
      : undefined;
  if (!localizationType) {
    throw intuneBadRequest(call, `Invalid localizationType '${localization}'.`);
  }
  const rows =
    reportName === 'AppInvRawData'
      ? call.tenant.appInventory?.rowCount() ?? estimatedRows(call.tenant)
      : call.tenant.detectedApps.count;
  const b = store.behaviour;
  const faults = store.takeFaults([
    'failed',
    'stuck',
    'expiredUrl',
    'refusedUrl',
    'corruptZip',
    'noCsv',
    'twoCsv',
    'missingColumn',
    'stallDownload',
  ]);
  const now = Date.now();
  const job: ExportJob = {
    id: `${reportName}_${randomUUID()}`,
    reportName,
    filter,
    select: resolved,
    localizationType,
    search: typeof body.search === 'string' ? body.search : null,
    requestDateTime: graphTime(now),
    tenant: call.tenant,
    createdAt: now,
    runMs: b.baseMs + (b.perThousandRowsMs * rows) / 1000,
    faults: new Set(faults.map((r) => r.fault)),
    missingColumn:
      faults.find((r) => r.fault === 'missingColumn')?.column ?? 'DeviceId',
    container: randomUUID(),
  };
  store.add(job);
  return {
    status: 201,
    body: JSON.stringify({
      '@odata.context': `${call.origin}/${call.version}/$metadata#${ENTITY_CONTEXT}`,
      ...store.view(job, now),
    }),
    itemsServed: 1,
  };
}

function estimatedRows(tenant: TenantData): number {
  let rows = 0;
  for (let i = 0; i < tenant.detectedApps.count; i++)
    rows += Number(tenant.detectedApps.get(i).deviceCount) || 0;
  return rows;
}

function getExportJob(call: GraphCall): GraphPayload {
  const store = storeOf(call);
  const id = call.params[0];
  const job = store.find(id);
  if (!job || job.tenant.tenantId !== call.tenant.tenantId) {
    throw new GraphHttpError(
      404,
      'ResourceNotFound',
      intuneErrorMessage(
        `Export job ${id} was not found.`,
        call.requestId,
        intuneBackendUrl(call),
      ),
    );
  }
  return {
    // The entity at top level, not in `value` (MD-APIS; the reference pages' wrapper is a generator artifact).
    body: JSON.stringify({
      '@odata.context': `${call.origin}/${call.version}/$metadata#${ENTITY_CONTEXT}`,
      ...store.view(job),
    }),
    itemsServed: 1,
  };
}

export const exportJobRoutes: GraphRoute[] = [
  {
    method: 'POST',
    path: '/deviceManagement/reports/exportJobs',
    // Assumption: the reporting service counts against the Intune applications
    // budget, like getDeviceInstallStatusReport (no documented table names it).
    service: 'intuneApps',
    permissions: EXPORT_PERMISSIONS,
    requiresIntune: true,
    handle: createExportJob,
  },
  {
    method: 'GET',
    path: '/deviceManagement/reports/exportJobs/{id}',
    service: 'intuneApps',
    permissions: EXPORT_PERMISSIONS,
    requiresIntune: true,
    handle: getExportJob,
  },
  {
    method: 'GET',
    path: '/deviceManagement/reports/exportJobs',
    service: 'intuneApps',
    permissions: EXPORT_PERMISSIONS,
    requiresIntune: true,
    // Documented, but answers "No method match route template" (graph-docs #20380; status UNCONFIRMED).
    handle: () => {
      throw new GraphHttpError(
        400,
        'BadRequest',
        'No method match route template',
      );
    },
  },
];
