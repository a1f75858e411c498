/**
 * JSON `$batch`: up to 20 GETs of one API version in one POST, with the items
 * Graph throttled or failed transiently sent again. Each item still counts
 * against its service's limits (graph-api.md §7), so the POST draws the sum
 * of its items' units from that budget.
 */
import {
  GraphApiError,
  GraphError,
  GraphFailure,
  graphResponseError,
} from './errors';
import { backoffDelay, classifyStatus, parseRetryAfter, sleep } from './retry';
import { costOfRequest, GraphRequest, GraphTransport } from './transport';

export const MAX_BATCH_SIZE = 20;

/** A Graph answer: the body, or the Graph error, as a `$batch` item carries it. */
export interface GraphAnswer<T> {
  body?: T;
  error?: GraphError;
}

interface BatchResponse {
  responses?: {
    id: string;
    status: number;
    headers?: Record<string, string>;
    body?: {
      error?: {
        code?: string;
        message?: string;
        innerError?: Record<string, string>;
      };
    } & Record<string, unknown>;
  }[];
}

/**
 * The item URLs are built here, relative and without the version:
 * graph-client 3.0.7's BatchRequestContent leaves `/v1.0` in them, which
 * Graph rejects (graph-api.md §7).
 */
export async function batchGet<T>(
  transport: GraphTransport,
  requests: GraphRequest[],
): Promise<GraphAnswer<T>[]> {
  if (requests.length > MAX_BATCH_SIZE) {
    throw new Error(`A $batch holds at most ${MAX_BATCH_SIZE} requests`);
  }
  const version = requests[0].version;
  if (requests.some((r) => r.version !== version)) {
    throw new Error('A $batch cannot mix API versions');
  }
  const batchUrl = `${transport.graphEndpoint}/${version}/$batch`;
  const { retry } = transport;
  const results: GraphAnswer<T>[] = new Array(requests.length);
  const retries = requests.map(() => ({ throttled: 0, transient: 0 }));
  let pending = requests.map((_, index) => index);
  while (pending.length) {
    const body = {
      requests: pending.map((index) => ({
        id: String(index),
        method: 'GET',
        url: transport
          .urlOf(requests[index])
          .slice(`${transport.graphEndpoint}/${version}`.length),
        ...(requests[index].headers
          ? { headers: requests[index].headers }
          : {}),
      })),
    };
    const units = pending.reduce(
      (sum, index) => sum + costOfRequest(requests[index]).units,
      0,
    );
    const service = costOfRequest(requests[pending[0]]).service;
    const response = await transport.send<BatchResponse>('POST', batchUrl, {
      body,
      cost: { service, units },
      envelope: true,
    });
    const budget = transport.budgets[service];
    const again: number[] = [];
    let waitMs = 0;
    for (const item of response?.responses ?? []) {
      const index = Number(item.id);
      if (!pending.includes(index)) continue;
      if (item.status >= 200 && item.status < 300) {
        results[index] = { body: item.body as T };
        budget.succeeded(
          Number(headerOf(item.headers, 'x-ms-resource-unit')) ||
            costOfRequest(requests[index]).units,
          Number(headerOf(item.headers, 'x-ms-throttle-limit-percentage')) ||
            undefined,
        );
        continue;
      }
      const error = item.body?.error;
      const failure: GraphFailure = {
        method: 'GET',
        url: transport.urlOf(requests[index]),
        status: item.status,
        code: error?.code,
        message: error?.message,
        requestId: error?.innerError?.['request-id'],
      };
      const kind = classifyStatus(
        failure.status,
        failure.code,
        failure.message,
      );
      const counts = retries[index];
      // A 429 inside a $batch counts like a top-level one: the whole service
      // waits, slows down, and the item is retried while the service makes
      // progress (transport.giveUpIfStuck).
      const throttled429 = item.status === 429;
      if (throttled429) {
        try {
          transport.giveUpIfStuck(service, failure);
        } catch (err) {
          results[index] = { error: err as GraphError };
          continue;
        }
      }
      if (
        kind === 'throttled' &&
        (throttled429 || counts.throttled < retry.maxThrottleRetries)
      ) {
        counts.throttled++;
        transport.counters.throttled++;
        const retryAfter = parseRetryAfter(
          headerOf(item.headers, 'retry-after'),
        );
        const delay = Math.min(
          retryAfter ?? backoffDelay(counts.throttled, retry),
          retry.maxRetryAfterMs,
        );
        if (throttled429) budget.throttled(delay, retryAfter !== undefined);
        transport.logRetry(failure, delay, counts.throttled);
        waitMs = Math.max(waitMs, delay);
        again.push(index);
      } else if (
        kind === 'transient' &&
        counts.transient < retry.maxTransientRetries
      ) {
        counts.transient++;
        transport.counters.transient++;
        const delay = backoffDelay(counts.transient, retry);
        transport.logRetry(failure, delay, counts.transient);
        waitMs = Math.max(waitMs, delay);
        again.push(index);
      } else {
        results[index] = {
          error: graphResponseError(
            failure,
            requests[index].path,
            transport.auth,
          ),
        };
      }
    }
    const missing = pending.filter(
      (index) => !results[index] && !again.includes(index),
    );
    if (missing.length) {
      throw new GraphApiError(
        { method: 'POST', url: batchUrl, status: 200, code: 'IncompleteBatch' },
        `The $batch response did not answer ${missing.length} of its requests.`,
      );
    }
    pending = again;
    if (pending.length && waitMs) await sleep(waitMs);
  }
  return results;
}

function headerOf(
  headers: Record<string, string> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
}
