/**
 * JSON batching, `POST /{version}/$batch` (graph-api.md §7): at most 20
 * items, unique ids, relative URLs resolved against the batch's version.
 * Every item goes through the normal pipeline (auth, faults, throttling,
 * permissions) and is counted in its own service; the envelope counts once
 * under `batch`. Item bodies are ordinary bodies (absolute nextLinks).
 */
import { randomUUID } from 'crypto';
import {
  errorHeaders,
  ODATA_JSON_CONTENT_TYPE,
  successHeaders,
} from './envelope';
import { GraphHttpError, renderGraphError, resourceNotFound } from './errors';
import {
  Execution,
  ExecutionOutcome,
  IncomingRequest,
  recordExecution,
  sleep,
} from './exchange';
import { graphErrorFor, isErrorFault } from './faults';
import { GraphService, splitVersion } from './graph-service';
import { hashString } from './random';
import { SimulatorState } from './state';

export const BATCH_ENDPOINT = 'POST /$batch';
const MAX_BATCH_ITEMS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

/** Item response headers Graph returns, with their wire spelling (graph-api.md §7). */
const ITEM_HEADER_NAMES: Record<string, string> = {
  'content-type': 'Content-Type',
  'cache-control': 'Cache-Control',
  'odata-version': 'OData-Version',
  'retry-after': 'Retry-After',
  'www-authenticate': 'WWW-Authenticate',
  'x-ms-resource-unit': 'x-ms-resource-unit',
  'x-ms-throttle-limit-percentage': 'x-ms-throttle-limit-percentage',
  'x-ms-throttle-scope': 'x-ms-throttle-scope',
  'x-ms-throttle-information': 'x-ms-throttle-information',
};

export class BatchService {
  constructor(
    private readonly state: SimulatorState,
    private readonly graph: GraphService,
  ) {}

  async execute(request: IncomingRequest): Promise<Execution> {
    const requestId = randomUUID();
    const clientRequestId = request.headers['client-request-id'] ?? requestId;
    const outcome: ExecutionOutcome = {
      service: 'batch',
      endpoint: BATCH_ENDPOINT,
      itemsServed: 0,
      resourceUnits: 0,
    };
    try {
      if (request.method !== 'POST') {
        throw new GraphHttpError(
          405,
          'Request_BadRequest',
          'Specified HTTP method is not allowed for the request target.',
        );
      }
      const fault = this.state.faults.pick({
        method: request.method,
        path: `${request.path}${
          request.rawQuery ? `?${request.rawQuery}` : ''
        }`,
        service: 'batch',
        isNextLink: false,
        pageNumber: 1,
        batchItem: false,
      });
      let invalidJson = false;
      if (fault) {
        outcome.fault = fault.label;
        const response = fault.response;
        if (isErrorFault(response)) throw graphErrorFor(response);
        if (response.kind === 'resetConnection')
          return transport({ kind: 'reset' }, outcome);
        if (response.kind === 'stall') {
          if (response.ms === undefined)
            return transport({ kind: 'stall' }, outcome);
          await sleep(response.ms);
        }
        invalidJson = response.kind === 'invalidJson';
      }

      const items = parseBatch(request.rawBody);
      const { version } = splitVersion(request.path);
      const results = await this.runItems(request, version, items);
      const stalled = results.find((result) => result.execution.transport);
      if (stalled) return transport(stalled.execution.transport!, outcome);

      // Graph answers in its own order; the simulator's is fixed per id set.
      results.sort(
        (a, b) =>
          hashString(a.id) - hashString(b.id) || a.id.localeCompare(b.id),
      );
      let body = `{"responses":[${results
        .map(({ id, execution }) => renderItem(id, execution))
        .join(',')}]}`;
      if (invalidJson) body = body.slice(0, Math.floor(body.length / 2));
      return {
        status: 200,
        headers: successHeaders(
          requestId,
          clientRequestId,
          ODATA_JSON_CONTENT_TYPE,
          false,
        ),
        body,
        outcome,
      };
    } catch (error) {
      const graphError =
        error instanceof GraphHttpError
          ? error
          : new GraphHttpError(500, 'UnknownError', String(error));
      return {
        status: graphError.status,
        headers: {
          ...errorHeaders(requestId, clientRequestId),
          ...graphError.headers,
        },
        body: renderGraphError(graphError, requestId, clientRequestId),
        outcome,
      };
    }
  }

  /** Runs independent items concurrently; an item waits for its dependsOn and gets 424 if one failed. */
  private async runItems(
    batch: IncomingRequest,
    version: string,
    items: BatchItem[],
  ): Promise<{ id: string; execution: Execution }[]> {
    const running = new Map<string, Promise<Execution>>();
    const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
    const start = (item: BatchItem): Promise<Execution> => {
      const key = item.id.toLowerCase();
      let promise = running.get(key);
      if (!promise) {
        promise = (async () => {
          const dependencies = await Promise.all(
            item.dependsOn.map((id) => start(byId.get(id.toLowerCase())!)),
          );
          if (
            dependencies.some(
              (dependency) =>
                dependency.status < 200 || dependency.status >= 300,
            )
          ) {
            return this.failedDependency(batch, item, version);
          }
          return this.runItem(batch, version, item);
        })();
        running.set(key, promise);
      }
      return promise;
    };
    return Promise.all(
      items.map(async (item) => ({
        id: item.id,
        execution: await start(item),
      })),
    );
  }

  private async runItem(
    batch: IncomingRequest,
    version: string,
    item: BatchItem,
  ): Promise<Execution> {
    const started = performance.now();
    const { path, rawQuery } = splitUrl(item.url);
    const itemRequest: IncomingRequest = {
      method: item.method,
      host: batch.host,
      origin: batch.origin,
      path: `/${version}${path}`,
      rawQuery,
      headers: {
        authorization: batch.headers.authorization,
        'client-request-id': batch.headers['client-request-id'],
        ...item.headers,
      },
      jsonBody: item.body,
      batchItem: true,
      receivedAt: new Date().toISOString(),
    };
    let execution: Execution;
    const firstSegment = path.split('/')[1] ?? '';
    if (/^(v1\.0|beta)$/i.test(firstSegment)) {
      // graph-client 3.0.7 leaves the version in step URLs; Graph refuses them (graph-api.md §7).
      itemRequest.path = path;
      execution = this.itemError(batch, resourceNotFound(firstSegment), {
        service: 'other',
        endpoint: `${item.method} /{unknown}`,
        itemsServed: 0,
        resourceUnits: 0,
      });
    } else if (item.body !== undefined && !hasContentType(item.headers)) {
      execution = this.itemError(
        batch,
        new GraphHttpError(
          400,
          'BadRequest',
          `Write request id : ${item.id} does not contain Content-Type header or body.`,
        ),
        {
          service: 'other',
          endpoint: `${item.method} /{unknown}`,
          itemsServed: 0,
          resourceUnits: 0,
        },
      );
    } else {
      execution = await this.graph.execute(itemRequest);
    }
    recordExecution(
      this.state.stats,
      itemRequest,
      execution,
      performance.now() - started,
    );
    return execution;
  }

  private failedDependency(
    batch: IncomingRequest,
    item: BatchItem,
    version: string,
  ): Execution {
    const { path, rawQuery } = splitUrl(item.url);
    const itemRequest: IncomingRequest = {
      ...batch,
      method: item.method,
      path: `/${version}${path}`,
      rawQuery,
      rawBody: undefined,
      batchItem: true,
      receivedAt: new Date().toISOString(),
    };
    const execution = this.itemError(
      batch,
      new GraphHttpError(
        424,
        'FailedDependency',
        'The request could not be executed because a request it depends on failed.',
      ),
      {
        service: 'other',
        endpoint: `${item.method} /{unknown}`,
        itemsServed: 0,
        resourceUnits: 0,
      },
    );
    recordExecution(this.state.stats, itemRequest, execution, 0);
    return execution;
  }

  private itemError(
    batch: IncomingRequest,
    error: GraphHttpError,
    outcome: ExecutionOutcome,
  ): Execution {
    const requestId = randomUUID();
    const clientRequestId = batch.headers['client-request-id'] ?? requestId;
    return {
      status: error.status,
      headers: {
        ...errorHeaders(requestId, clientRequestId),
        ...error.headers,
      },
      body: renderGraphError(error, requestId, clientRequestId),
      outcome,
    };
  }
}

function transport(
  kind: NonNullable<Execution['transport']>,
  outcome: ExecutionOutcome,
): Execution {
  return { status: 0, headers: {}, body: '', transport: kind, outcome };
}

function invalidBatch(
  message = 'Invalid batch payload format.',
): GraphHttpError {
  return new GraphHttpError(400, 'BadRequest', message);
}

/** Validates the whole batch; any problem fails it as one 400 (graph-api.md §7). */
function parseBatch(rawBody: Buffer | undefined): BatchItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody?.toString('utf8') ?? '');
  } catch {
    throw invalidBatch();
  }
  const requests = (parsed as { requests?: unknown })?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw invalidBatch();
  if (requests.length > MAX_BATCH_ITEMS) {
    throw invalidBatch(
      `The number of requests in the batch (${requests.length}) exceeds the maximum of ${MAX_BATCH_ITEMS}.`,
    );
  }
  const items: BatchItem[] = requests.map((raw: unknown) => {
    const entry = raw as Record<string, unknown>;
    if (!entry || typeof entry !== 'object') throw invalidBatch();
    const id = entry.id;
    const method = entry.method;
    const url = entry.url;
    if (
      typeof id !== 'string' ||
      !id ||
      typeof method !== 'string' ||
      typeof url !== 'string' ||
      !url
    ) {
      throw invalidBatch();
    }
    const headers: Record<string, string> = {};
    if (entry.headers && typeof entry.headers === 'object') {
      for (const [name, value] of Object.entries(
        entry.headers as Record<string, unknown>,
      )) {
        headers[name.toLowerCase()] = String(value);
      }
    }
    const dependsOn = Array.isArray(entry.dependsOn)
      ? entry.dependsOn.map(String)
      : [];
    return {
      id,
      method: method.toUpperCase(),
      url,
      headers,
      body: entry.body,
      dependsOn,
    };
  });
  const ids = new Set<string>();
  for (const item of items) {
    const key = item.id.toLowerCase();
    if (ids.has(key))
      throw invalidBatch(`Batch request contains duplicate id '${item.id}'.`);
    ids.add(key);
  }
  for (const item of items) {
    for (const dependency of item.dependsOn) {
      if (
        !ids.has(dependency.toLowerCase()) ||
        dependency.toLowerCase() === item.id.toLowerCase()
      ) {
        throw invalidBatch(
          `Request '${item.id}' depends on an unknown request '${dependency}'.`,
        );
      }
    }
  }
  assertNoCycles(items);
  return items;
}

function assertNoCycles(items: BatchItem[]): void {
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (key: string): void => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting')
      throw invalidBatch('The batch has a dependency cycle.');
    state.set(key, 'visiting');
    for (const dependency of byId.get(key)!.dependsOn)
      visit(dependency.toLowerCase());
    state.set(key, 'done');
  };
  for (const key of byId.keys()) visit(key);
}

/** '/users?$top=5', 'users', 'https://graph.microsoft.com/users' -> path '/users' and query. */
function splitUrl(url: string): { path: string; rawQuery: string } {
  const relative = url.replace(/^https?:\/\/[^/]+/i, '');
  const withSlash = relative.startsWith('/') ? relative : `/${relative}`;
  const question = withSlash.indexOf('?');
  return question < 0
    ? { path: withSlash, rawQuery: '' }
    : {
        path: withSlash.slice(0, question),
        rawQuery: withSlash.slice(question + 1),
      };
}

function hasContentType(headers: Record<string, string>): boolean {
  return Object.keys(headers).some((name) => name === 'content-type');
}

/** One response item; JSON bodies are embedded as they are, streams as base64. */
function renderItem(id: string, execution: Execution): string {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(execution.headers)) {
    const wireName = ITEM_HEADER_NAMES[name.toLowerCase()];
    if (wireName)
      headers[wireName] = Array.isArray(value) ? value.join(', ') : value;
  }
  const contentType = String(execution.headers['content-type'] ?? '');
  const text = execution.body.toString();
  let body = '';
  if (text) {
    body = contentType.startsWith('application/json')
      ? `,"body":${text}`
      : `,"body":${JSON.stringify(Buffer.from(text).toString('base64'))}`;
  }
  return `{"id":${JSON.stringify(id)},"status":${
    execution.status
  },"headers":${JSON.stringify(headers)}${body}}`;
}
