/**
 * The simulator's internal request/answer pair, shared by plain HTTP requests
 * and $batch items, and the recording of both.
 */
import { StatsRecorder } from './stats';
import { FaultKind, RequestRecord, ServiceFamily } from './types';

export interface IncomingRequest {
  method: string;
  /** Host header (or localhost:<port>). */
  host: string;
  /** https://<host>: every URL the simulator writes starts with it (graph-api.md §0 item 5). */
  origin: string;
  /** Raw path without the query, e.g. '/v1.0/users'. */
  path: string;
  /** Raw query without '?'. */
  rawQuery: string;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** The raw body (plain requests). */
  rawBody?: Buffer;
  /** The already-parsed JSON body ($batch items). */
  jsonBody?: unknown;
  batchItem: boolean;
  /** ISO time of arrival, for the log. */
  receivedAt: string;
}

/** What the server does instead of answering. */
export type TransportFault = { kind: 'stall'; ms?: number } | { kind: 'reset' };

export interface Execution {
  status: number;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
  transport?: TransportFault;
  outcome: ExecutionOutcome;
}

export interface ExecutionOutcome {
  service: ServiceFamily;
  endpoint: string;
  tenantId?: string;
  itemsServed: number;
  resourceUnits: number;
  fault?: FaultKind | 'random429' | 'random503';
  throttled?: boolean;
  /** Token requests only. */
  scope?: string;
  clientId?: string;
}

/** Query parameters that must never reach the log, even if a client puts them in the URL. */
const SECRET_PARAMETERS =
  /^(client_secret|client_assertion|assertion|password|code)$/i;

export function loggablePath(request: IncomingRequest): string {
  if (!request.rawQuery) return request.path;
  const query = request.rawQuery
    .split('&')
    .map((part) => {
      const key = decodeSafe(part.split('=')[0]);
      return SECRET_PARAMETERS.test(key)
        ? `${part.split('=')[0]}=[REDACTED]`
        : part;
    })
    .join('&');
  return `${request.path}?${query}`;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Adds one answered request (or $batch item) to the statistics and the log. */
export function recordExecution(
  stats: StatsRecorder,
  request: IncomingRequest,
  execution: Execution,
  durationMs: number,
): void {
  const { outcome } = execution;
  // A stall or reset never produced a status; it is counted as 0.
  const status = execution.transport ? 0 : execution.status;
  const entry: RequestRecord = {
    time: request.receivedAt,
    method: request.method,
    host: request.host,
    path: loggablePath(request),
    status,
    service: outcome.service,
    endpoint: outcome.endpoint,
    tenantId: outcome.tenantId,
    clientRequestId:
      request.headers['client-request-id'] ??
      request.headers['x-ms-client-request-id'],
    retryAttempt: request.headers['retry-attempt'],
    hadAuthorization: Boolean(request.headers.authorization),
    durationMs: Math.round(durationMs * 10) / 10,
  };
  if (request.batchItem) entry.batchItem = true;
  if (outcome.scope !== undefined) entry.scope = outcome.scope;
  if (outcome.clientId !== undefined) entry.clientId = outcome.clientId;
  if (outcome.fault) entry.fault = outcome.fault;
  if (outcome.throttled) entry.throttled = true;
  stats.record(
    {
      service: outcome.service,
      endpoint: outcome.endpoint,
      status,
      itemsServed: outcome.itemsServed,
      resourceUnits: outcome.resourceUnits,
      injectedFault: outcome.fault !== undefined,
      batchItem: request.batchItem,
    },
    entry,
  );
}

export function sleep(ms: number): Promise<void> {
  return ms > 0
    ? new Promise((resolve) => setTimeout(resolve, ms))
    : Promise.resolve();
}
