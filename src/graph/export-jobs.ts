/**
 * Intune reporting export jobs (intune-exports.md §1): create a job for a
 * report, poll it until it is `completed` or `failed`, and hand back its
 * download url. The download itself is report-download.ts: it goes to a blob
 * host, not to Graph, and must not carry the Graph token.
 *
 * Docs: https://learn.microsoft.com/graph/api/intune-reporting-devicemanagementexportjob-create?view=graph-rest-1.0
 *       https://learn.microsoft.com/graph/api/intune-reporting-devicemanagementexportjob-get?view=graph-rest-1.0
 *       https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-apis
 * Permission: any of DeviceManagementApps, DeviceManagementConfiguration or
 * DeviceManagementManagedDevices .Read.All (the service's 403 lists the six
 * read and read-write scopes; msgraph-sdk-powershell #2081).
 *
 * Throttling: create and poll are counted in the `intuneApps` budget
 * (services.ts maps every deviceManagement/reports path there). No throttling
 * table names the reporting service (intune-exports.md §3.3); the
 * applications service is where getDeviceInstallStatusReport already counts.
 */
import { GraphClient, GraphRequest } from './client';
import { isGraphError } from './errors';
import { sleep } from './retry';

/** A deviceManagementExportJob as Graph returns it (the fields we read). */
export interface ExportJob {
  id: string;
  reportName?: string;
  status?: string;
  url?: string | null;
  requestDateTime?: string;
  expirationDateTime?: string;
}

export interface ExportJobRequest {
  reportName: string;
  /** Always explicit: Microsoft says not to build on a report's default columns (MD-APIS). */
  select: readonly string[];
  filter?: string;
}

export interface ExportJobOptions {
  /** How long one job may stay unfinished before it is given up. */
  jobDeadlineMs: number;
  /** Jobs submitted in all, the first included: a stranded job is resubmitted (CARTO #2913). */
  maxAttempts: number;
  /** Waits between polls, the last repeated: quick at first, so that a small tenant is not kept waiting. */
  pollDelaysMs: readonly number[];
}

export const DEFAULT_EXPORT_JOB_OPTIONS: ExportJobOptions = {
  jobDeadlineMs: 300_000,
  maxAttempts: 3,
  pollDelaysMs: [250, 500, 1000, 2000, 3000, 5000],
};

/** Why an export could not finish, in one line (never a url or a token). */
export class ExportRouteError extends Error {
  constructor(readonly reason: string, readonly cause?: unknown) {
    super(reason);
    this.name = 'ExportRouteError';
  }
}

export interface CompletedExportJob {
  job: ExportJob & { url: string };
  /** Jobs submitted. */
  attempts: number;
  polls: number;
}

const JOBS_PATH = '/deviceManagement/reports/exportJobs';

function createRequest(): GraphRequest {
  return { version: 'v1.0', path: JOBS_PATH };
}

/** The key-in-parentheses form of MD-APIS and Microsoft's samples. */
function jobRequest(id: string): GraphRequest {
  return {
    version: 'v1.0',
    path: `${JOBS_PATH}('${encodeURIComponent(id.replace(/'/g, "''"))}')`,
  };
}

/**
 * Runs one report export to completion: create, poll on the schedule until
 * `completed` (with a url) or `failed` or the deadline, and resubmit a fresh
 * job up to `maxAttempts` in all. A Graph error on create or poll (after the
 * client's own retries) ends it at once: a 400 or 403 will not change, and a
 * 5xx or 429 that outlived the retries is no better on a fresh job.
 */
export async function runExportJob(
  client: GraphClient,
  request: ExportJobRequest,
  options: ExportJobOptions = DEFAULT_EXPORT_JOB_OPTIONS,
  log: (message: string, details: Record<string, unknown>) => void = () =>
    undefined,
): Promise<CompletedExportJob> {
  const body: Record<string, unknown> = {
    reportName: request.reportName,
    select: [...request.select],
    format: 'csv',
    localizationType: 'LocalizedValuesAsAdditionalColumn',
  };
  if (request.filter) body.filter = request.filter;
  let polls = 0;
  const outcomes: string[] = [];
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    let job: ExportJob;
    try {
      job = await client.post<ExportJob>(createRequest(), body);
    } catch (err) {
      throw new ExportRouteError(
        `creating the ${
          request.reportName
        } export job failed: ${describeGraphFailure(err)}`,
        err,
      );
    }
    if (!job || typeof job.id !== 'string' || !job.id) {
      throw new ExportRouteError(
        `the ${request.reportName} export job came back without an id`,
      );
    }
    const started = Date.now();
    let status = job.status;
    for (let poll = 0; ; poll++) {
      if (status === 'completed' || status === 'failed') break;
      if (Date.now() - started >= options.jobDeadlineMs) break;
      const delay =
        options.pollDelaysMs[Math.min(poll, options.pollDelaysMs.length - 1)];
      await sleep(
        Math.min(delay, options.jobDeadlineMs - (Date.now() - started)),
      );
      try {
        job = await client.get<ExportJob>(jobRequest(job.id));
      } catch (err) {
        throw new ExportRouteError(
          `polling the ${
            request.reportName
          } export job failed: ${describeGraphFailure(err)}`,
          err,
        );
      }
      polls++;
      status = job?.status;
    }
    if (status === 'completed' && typeof job.url === 'string' && job.url) {
      return {
        job: job as ExportJob & { url: string },
        attempts: attempt,
        polls,
      };
    }
    const outcome =
      status === 'completed'
        ? 'completed without a url'
        : status === 'failed'
        ? 'failed'
        : `was still ${status ?? 'without a status'} at its deadline of ${
            options.jobDeadlineMs / 1000
          } s`;
    outcomes.push(outcome);
    log(`The ${request.reportName} export job ${outcome}`, {
      jobId: job.id,
      attempt,
      maxAttempts: options.maxAttempts,
    });
  }
  throw new ExportRouteError(
    `${options.maxAttempts} ${request.reportName} export job${
      options.maxAttempts === 1 ? '' : 's'
    } did not finish (${outcomes.join('; ')})`,
  );
}

/**
 * A Graph failure in one line: status, code, and the message, with Intune's
 * nested error document (graph-api.md §5: a JSON string in `message`)
 * unwrapped and its trailer (operation and activity ids, backend url) cut.
 * For a 403 that message names the scopes the service wants.
 */
export function describeGraphFailure(err: unknown): string {
  if (!isGraphError(err)) {
    return err instanceof Error ? err.message : String(err);
  }
  const { status, code } = err.graph;
  const text = intuneMessage(err.graph.message);
  const head =
    status === -1 ? 'no response' : `${status}${code ? ` ${code}` : ''}`;
  return text ? `${head}: ${text}` : head;
}

/** The readable part of an Intune error message, nested or not. */
export function intuneMessage(message: string | undefined): string | undefined {
  if (!message) return undefined;
  let text = message;
  const trimmed = message.trim();
  if (trimmed.startsWith('{')) {
    try {
      const inner = JSON.parse(trimmed) as { Message?: unknown };
      if (typeof inner.Message === 'string') text = inner.Message;
    } catch {
      // not JSON after all: keep the text as sent
    }
  }
  return text
    .replace(/\s+-\s+Operation ID \(for customer support\):[\s\S]*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}
