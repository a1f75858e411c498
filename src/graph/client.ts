/**
 * The one Microsoft Graph client of the integration: the only place that
 * knows URLs, paging, retries, throttling and error mapping. Step modules ask
 * the domain clients (directory.ts, intune*.ts) for objects; those ask this.
 *
 * Built on @microsoft/microsoft-graph-client (authentication header, request
 * ids, fetch, response and error parsing) with an @azure/identity
 * TokenCredential. Retries and throttling are ours, around each request,
 * because the SDK's RetryHandler neither shares state between concurrent
 * requests nor retries 500/502 or dropped connections.
 */
import type { TokenCredential } from '@azure/identity';
import { IntegrationLogger } from '@jupiterone/integration-sdk-core';
import {
  AuthenticationHandler,
  Client,
  GraphError as SdkGraphError,
  HTTPMessageHandler,
  ResponseType,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { CloudSettings } from './clouds';
import {
  AuthContext,
  GraphApiError,
  GraphError,
  GraphFailure,
  graphResponseError,
  isGraphError,
  tokenError,
} from './errors';
import { decodeGrantedRoles } from './permissions';
import {
  backoffDelay,
  classifyStatus,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  RetryPolicy,
  sleep,
} from './retry';
import { costOf, GraphService, ServiceCost } from './services';
import {
  BudgetStats,
  createThrottleBudgets,
  ThrottleBudgets,
  ThrottleOptions,
} from './throttle';

export type ApiVersion = 'v1.0' | 'beta';

export interface GraphRequest {
  version: ApiVersion;
  /** Path after the version, starting with '/', e.g. '/groups/{id}/members'. */
  path: string;
  /** OData and other query options, e.g. { $select: 'id,displayName', $top: 999 }. */
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
}

export interface GraphClientOptions {
  credential: TokenCredential;
  cloud: CloudSettings;
  tenant: string;
  clientId: string;
  logger?: IntegrationLogger;
  throttle?: ThrottleOptions;
  retry?: Partial<RetryPolicy>;
  /** Per attempt, including the body; a stalled connection fails after this. */
  requestTimeoutMs?: number;
}

export interface GraphCollectionPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

export interface IterateOptions {
  /** The first page, already fetched (by a $batch). */
  firstPage?: GraphCollectionPage<unknown>;
  /**
   * How often to restart the walk from its first page when Graph says the
   * page token expired (Directory_ExpiredPageToken). Items already yielded
   * are not yielded again: within one walk, items are yielded once per `id`.
   */
  maxRestarts?: number;
}

export interface FanOutOptions {
  /** Requests (or $batch requests) in flight at once; the service budgets cap them too. */
  concurrency?: number;
  /** Send first pages 20 per `$batch` (each still counts against Graph's limits). */
  batch?: boolean;
}

export interface ClientStats {
  services: Record<GraphService, BudgetStats>;
  retries: Record<'throttled' | 'transient' | 'expiredToken', number>;
  pages: number;
}

const DEFAULT_TIMEOUT_MS = 100_000;
const MAX_BATCH_SIZE = 20;

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

function headerOf(
  headers: Record<string, string> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

function costOfRequest(request: GraphRequest): ServiceCost {
  const query = Object.entries(request.query ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return costOf(request.path, query);
}
const DEFAULT_MAX_RESTARTS = 3;

export class GraphClient {
  private readonly sdk: Client;
  private readonly budgets: ThrottleBudgets;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly auth: AuthContext;
  private readonly retryCounts = {
    throttled: 0,
    transient: 0,
    expiredToken: 0,
  };
  private pageCount = 0;
  private roles: Promise<string[] | undefined> | undefined;

  constructor(private options: GraphClientOptions) {
    const authProvider = new TokenCredentialAuthenticationProvider(
      options.credential,
      { scopes: [options.cloud.scope] },
    );
    this.sdk = Client.initWithMiddleware({
      baseUrl: options.cloud.graphEndpoint,
      customHosts: new Set(options.cloud.customGraphHosts),
      middleware: [
        new AuthenticationHandler(authProvider),
        new TelemetryHandler(),
        new HTTPMessageHandler(),
      ],
    });
    this.budgets = createThrottleBudgets(options.throttle);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.auth = {
      tenant: options.tenant,
      clientId: options.clientId,
      tokenEndpoint: `${options.cloud.tokenHost}/${options.tenant}/oauth2/v2.0/token`,
    };
  }

  setLogger(logger: IntegrationLogger): void {
    this.options.logger = logger;
  }

  get graphEndpoint(): string {
    return this.options.cloud.graphEndpoint;
  }

  /**
   * The application permissions granted to the app in this tenant, from the
   * access token; undefined if the token cannot be read (then rely on 403s).
   */
  grantedRoles(): Promise<string[] | undefined> {
    // A token's roles are fixed when it is issued; one read per execution.
    this.roles ??= this.readGrantedRoles();
    return this.roles;
  }

  private async readGrantedRoles(): Promise<string[] | undefined> {
    let token: string | undefined;
    try {
      token = (await this.options.credential.getToken(this.options.cloud.scope))
        ?.token;
    } catch (err) {
      throw tokenError(err, this.auth);
    }
    return token ? decodeGrantedRoles(token) : undefined;
  }

  async get<T>(request: GraphRequest): Promise<T> {
    return this.send<T>('GET', this.urlOf(request), request.headers);
  }

  async post<T>(request: GraphRequest, body: unknown): Promise<T> {
    return this.send<T>('POST', this.urlOf(request), request.headers, body);
  }

  /**
   * POSTs a report action (e.g. getDeviceInstallStatusReport). Report actions
   * answer with JSON in an application/octet-stream body (graph-api.md §2.3),
   * which graph-client hands over as a stream. Not ResponseType.TEXT: with it
   * graph-client leaves error bodies unparsed and drops their headers, so a
   * 429's Retry-After, the error code and the request-id would be lost.
   * A body that is not JSON is retried like any unreadable response.
   */
  async postReport<T>(request: GraphRequest, body: unknown): Promise<T> {
    const url = this.urlOf(request);
    for (let retries = 0; ; retries++) {
      const answer = await this.send<unknown>(
        'POST',
        url,
        request.headers,
        body,
      );
      let failure: GraphFailure;
      try {
        return (await readReportBody(answer)) as T;
      } catch (err) {
        failure = {
          method: 'POST',
          url,
          status: 200,
          code: 'InvalidJson',
          message: parserMessage(err),
        };
      }
      if (retries >= this.retry.maxTransientRetries) {
        throw new GraphApiError(failure, 'The report body was not valid JSON.');
      }
      const delay = backoffDelay(retries, this.retry);
      this.retryCounts.transient++;
      this.logRetry(failure, delay, retries + 1);
      await sleep(delay);
    }
  }

  /**
   * Pages of a collection, following `@odata.nextLink` verbatim until Graph
   * stops sending one. A nextLink seen twice, or a page without `value`, is an
   * error: we never loop forever, and never mistake a broken page for the end.
   */
  async *iteratePages<T extends { id?: string }>(
    request: GraphRequest,
    options: IterateOptions = {},
  ): AsyncGenerator<T[]> {
    const firstUrl = this.urlOf(request);
    const maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
    const yielded = new Set<string>();
    const seenLinks = new Set<string>();
    let restarts = 0;
    let url: string | undefined = firstUrl;
    let prefetched = options.firstPage as GraphCollectionPage<T> | undefined;
    while (url) {
      let page: GraphCollectionPage<T>;
      if (prefetched) {
        page = prefetched;
        prefetched = undefined;
      } else {
        try {
          page = await this.send<GraphCollectionPage<T>>(
            'GET',
            url,
            request.headers,
          );
        } catch (err) {
          if (
            url !== firstUrl &&
            restarts < maxRestarts &&
            isGraphError(err, {
              status: 400,
              code: 'Directory_ExpiredPageToken',
            })
          ) {
            restarts++;
            this.options.logger?.warn(
              { path: request.path, restarts },
              'Microsoft Graph page token expired; restarting the walk from the first page',
            );
            url = firstUrl;
            seenLinks.clear();
            continue;
          }
          throw err;
        }
      }
      if (!page || !Array.isArray(page.value)) {
        throw new GraphApiError(
          { method: 'GET', url, status: 200, code: 'MissingValue' },
          'The response had no "value" collection; the collection was not read to the end.',
        );
      }
      this.pageCount++;
      // Graph has been seen to repeat an item on two pages; yield it once.
      const fresh = page.value.filter((item) => isNew(item, yielded));
      if (fresh.length) yield fresh;
      const next: string | undefined = page['@odata.nextLink'];
      if (next) {
        if (seenLinks.has(next) || next === url) {
          throw new GraphApiError(
            { method: 'GET', url: next, status: 200, code: 'NextLinkLoop' },
            'Microsoft Graph returned a nextLink that was already followed; the walk stopped to avoid an endless loop.',
          );
        }
        seenLinks.add(next);
      }
      url = next;
    }
  }

  /**
   * Walks many collections (one per parent object: members of each group,
   * statuses of each policy...) concurrently, handing each page to `onPage`
   * as it arrives. Throttling is shared with everything else through the
   * service budgets. With `batch`, first pages travel 20 to a `$batch`
   * request; later pages follow their nextLinks one by one.
   * A collection whose parent is gone (404) goes to `onNotFound`; any other
   * failure stops the walk and rejects.
   */
  async forEachCollection<T extends { id?: string }>(
    collections: Iterable<{ key: string; request: GraphRequest }>,
    onPage: (key: string, page: T[]) => Promise<void> | void,
    options: FanOutOptions & { onNotFound?: (key: string) => void } = {},
  ): Promise<void> {
    const gone = (key: string, err: unknown) => {
      if (options.onNotFound && isGraphError(err, { status: 404 })) {
        options.onNotFound(key);
        return true;
      }
      return false;
    };
    await this.forEachRequest<GraphCollectionPage<T>>(
      collections,
      async ({ key, request }, answer, run) => {
        if (answer.error) {
          if (gone(key, answer.error)) return;
          throw answer.error;
        }
        try {
          const pages = this.iteratePages<T>(request, {
            firstPage: answer.body,
          });
          for await (const page of pages) {
            if (run.stopped) return;
            await onPage(key, page);
          }
        } catch (err) {
          if (!gone(key, err)) throw err;
        }
      },
      options,
    );
  }

  /**
   * GETs many requests, `concurrency` at a time (20 per `$batch` POST with
   * `batch`), and hands each answer, body or Graph error, to `onAnswer`.
   * The first failure of `onAnswer` stops the fan-out and rejects.
   */
  async forEachRequest<
    T,
    K extends { request: GraphRequest } = {
      key: string;
      request: GraphRequest;
    },
  >(
    items: Iterable<K>,
    onAnswer: (
      item: K,
      answer: { body?: T; error?: GraphError },
      run: { readonly stopped: boolean },
    ) => Promise<void>,
    options: FanOutOptions = {},
  ): Promise<void> {
    const source = items[Symbol.iterator]();
    const batchSize = options.batch ? MAX_BATCH_SIZE : 1;
    const run = { stopped: false };
    let failed: unknown;
    const worker = async () => {
      while (!run.stopped) {
        const next: K[] = [];
        for (let r = source.next(); !r.done; r = source.next()) {
          next.push(r.value);
          if (next.length >= batchSize) break;
        }
        if (!next.length) return;
        try {
          const answers =
            next.length === 1
              ? [await this.getAnswer<T>(next[0].request)]
              : await this.batchGet<T>(next.map((item) => item.request));
          for (let i = 0; i < next.length && !run.stopped; i++) {
            await onAnswer(next[i], answers[i], run);
          }
        } catch (err) {
          failed ??= err;
          run.stopped = true;
        }
      }
    };
    await Promise.all(
      Array.from({ length: options.concurrency ?? 16 }, worker),
    );
    if (failed) throw failed;
  }

  /** A GET whose Graph error is returned, like a `$batch` item's, rather than thrown. */
  private async getAnswer<T>(
    request: GraphRequest,
  ): Promise<{ body?: T; error?: GraphError }> {
    try {
      return { body: await this.get<T>(request) };
    } catch (err) {
      if (isGraphError(err)) return { error: err };
      throw err;
    }
  }

  /**
   * GETs up to 20 requests of one API version in one `$batch` POST, and
   * retries the items Graph throttled or failed transiently. The item URLs
   * are built here, relative and without the version: graph-client 3.0.7's
   * BatchRequestContent leaves `/v1.0` in them, which Graph rejects
   * (graph-api.md §7).
   */
  async batchGet<T>(
    requests: GraphRequest[],
  ): Promise<{ body?: T; error?: GraphError }[]> {
    if (requests.length > MAX_BATCH_SIZE) {
      throw new Error(`A $batch holds at most ${MAX_BATCH_SIZE} requests`);
    }
    const version = requests[0].version;
    if (requests.some((r) => r.version !== version)) {
      throw new Error('A $batch cannot mix API versions');
    }
    const results: { body?: T; error?: GraphError }[] = new Array(
      requests.length,
    );
    const retries = requests.map(() => ({ throttled: 0, transient: 0 }));
    let pending = requests.map((_, index) => index);
    while (pending.length) {
      const body = {
        requests: pending.map((index) => ({
          id: String(index),
          method: 'GET',
          url: this.urlOf(requests[index]).slice(
            `${this.graphEndpoint}/${version}`.length,
          ),
          ...(requests[index].headers
            ? { headers: requests[index].headers }
            : {}),
        })),
      };
      const units = pending.reduce(
        (sum, index) => sum + costOfRequest(requests[index]).units,
        0,
      );
      const response = await this.send<BatchResponse>(
        'POST',
        `${this.graphEndpoint}/${version}/$batch`,
        undefined,
        body,
        undefined,
        { service: costOfRequest(requests[pending[0]]).service, units },
      );
      const again: number[] = [];
      let waitMs = 0;
      for (const item of response?.responses ?? []) {
        const index = Number(item.id);
        if (!pending.includes(index)) continue;
        const url = this.urlOf(requests[index]);
        if (item.status >= 200 && item.status < 300) {
          results[index] = { body: item.body as T };
          continue;
        }
        const error = item.body?.error;
        const failure: GraphFailure = {
          method: 'GET',
          url,
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
        if (
          kind === 'throttled' &&
          counts.throttled < this.retry.maxThrottleRetries
        ) {
          counts.throttled++;
          this.retryCounts.throttled++;
          const retryAfter = parseRetryAfter(
            headerOf(item.headers, 'retry-after'),
          );
          const delay = Math.min(
            retryAfter ?? backoffDelay(counts.throttled, this.retry),
            this.retry.maxRetryAfterMs,
          );
          if (item.status === 429)
            this.budgets[costOfRequest(requests[index]).service].throttled(
              delay,
            );
          this.logRetry(failure, delay, counts.throttled);
          waitMs = Math.max(waitMs, delay);
          again.push(index);
        } else if (
          kind === 'transient' &&
          counts.transient < this.retry.maxTransientRetries
        ) {
          counts.transient++;
          this.retryCounts.transient++;
          const delay = backoffDelay(counts.transient, this.retry);
          this.logRetry(failure, delay, counts.transient);
          waitMs = Math.max(waitMs, delay);
          again.push(index);
        } else {
          results[index] = {
            error: graphResponseError(failure, requests[index].path, this.auth),
          };
        }
      }
      const missing = pending.filter(
        (index) => !results[index] && !again.includes(index),
      );
      if (missing.length) {
        throw new GraphApiError(
          {
            method: 'POST',
            url: `${this.graphEndpoint}/${version}/$batch`,
            status: 200,
            code: 'IncompleteBatch',
          },
          `The $batch response did not answer ${missing.length} of its requests.`,
        );
      }
      pending = again;
      if (pending.length && waitMs) await sleep(waitMs);
    }
    return results;
  }

  async *iterate<T extends { id?: string }>(
    request: GraphRequest,
    options?: IterateOptions,
  ): AsyncGenerator<T> {
    for await (const page of this.iteratePages<T>(request, options)) {
      for (const item of page) yield item;
    }
  }

  stats(): ClientStats {
    return {
      services: Object.fromEntries(
        Object.entries(this.budgets).map(([service, budget]) => [
          service,
          { ...budget.stats },
        ]),
      ) as Record<GraphService, BudgetStats>,
      retries: { ...this.retryCounts },
      pages: this.pageCount,
    };
  }

  urlOf(request: GraphRequest): string {
    const query = Object.entries(request.query ?? {})
      .filter(([, value]) => value !== undefined && value !== '')
      .map(
        ([key, value]) =>
          `${key}=${encodeURIComponent(String(value)).replace(/%2C/g, ',')}`,
      )
      .join('&');
    return `${this.graphEndpoint}/${request.version}${request.path}${
      query ? `?${query}` : ''
    }`;
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    headers?: Record<string, string>,
    body?: unknown,
    responseType?: ResponseType,
    cost?: ServiceCost,
  ): Promise<T> {
    const { path, query } = splitGraphUrl(url);
    const { service, units } = cost ?? costOf(path, query);
    const budget = this.budgets[service];
    const retries = { throttled: 0, transient: 0, expiredToken: 0 };
    for (;;) {
      const release = await budget.acquire(units);
      let failure: GraphFailure;
      let retryAfterMs: number | undefined;
      try {
        let call = this.sdk
          .api(url)
          .option('signal', AbortSignal.timeout(this.timeoutMs));
        if (headers) call = call.headers(headers);
        if (responseType) call = call.responseType(responseType);
        return (
          method === 'GET' ? await call.get() : await call.post(body)
        ) as T;
      } catch (err) {
        if (isTokenAcquisitionError(err)) throw tokenError(err, this.auth);
        failure = describeFailure(err, method, url);
        retryAfterMs = parseRetryAfter(
          (err as SdkGraphError).headers?.get?.('retry-after'),
        );
      } finally {
        release();
      }

      const kind = classifyStatus(
        failure.status,
        failure.code,
        failure.message,
      );
      const malformed = failure.status === 200;
      const retryKind = kind === 'permanent' && malformed ? 'transient' : kind;
      if (
        retryKind === 'throttled' &&
        retries.throttled < this.retry.maxThrottleRetries
      ) {
        const delay = Math.min(
          retryAfterMs ?? backoffDelay(retries.throttled + 1, this.retry),
          this.retry.maxRetryAfterMs,
        );
        retries.throttled++;
        this.retryCounts.throttled++;
        if (failure.status === 429) budget.throttled(delay);
        this.logRetry(failure, delay, retries.throttled);
        await sleep(delay);
        continue;
      }
      if (
        retryKind === 'transient' &&
        retries.transient < this.retry.maxTransientRetries
      ) {
        const delay = backoffDelay(retries.transient, this.retry);
        retries.transient++;
        this.retryCounts.transient++;
        this.logRetry(failure, delay, retries.transient);
        await sleep(delay);
        continue;
      }
      if (
        retryKind === 'expiredToken' &&
        retries.expiredToken < this.retry.maxExpiredTokenRetries
      ) {
        retries.expiredToken++;
        this.retryCounts.expiredToken++;
        this.logRetry(failure, 0, retries.expiredToken);
        continue;
      }
      throw malformed
        ? new GraphApiError(
            failure,
            'The response body could not be read as JSON.',
          )
        : graphResponseError(failure, path, this.auth);
    }
  }

  private logRetry(failure: GraphFailure, delayMs: number, attempt: number) {
    this.options.logger?.debug(
      {
        method: failure.method,
        url: failure.url,
        status: failure.status,
        code: failure.code,
        requestId: failure.requestId,
        attempt,
        delayMs,
      },
      'Retrying Microsoft Graph request',
    );
  }
}

function isNew(item: { id?: string }, yielded: Set<string>): boolean {
  if (typeof item?.id !== 'string') return true;
  if (yielded.has(item.id)) return false;
  yielded.add(item.id);
  return true;
}

/** '/v1.0/groups/x/members?$top=999' -> path '/groups/x/members', query '$top=999'. */
export function splitGraphUrl(url: string): { path: string; query: string } {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/^\/(v1\.0|beta)(?=\/|$)/i, '') || '/';
  return { path, query: parsed.search.replace(/^\?/, '') };
}

const TOKEN_ERROR_NAMES = new Set([
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
]);

/** The AuthenticationHandler failed to get a token: graph-client wraps it as a GraphError with status -1. */
function isTokenAcquisitionError(err: unknown): boolean {
  const e = err as Partial<SdkGraphError> | undefined;
  if (!e || e.statusCode !== -1) return false;
  return (
    (typeof e.code === 'string' && TOKEN_ERROR_NAMES.has(e.code)) ||
    /AADSTS\d+/.test(e.message ?? '')
  );
}

function describeFailure(
  err: unknown,
  method: string,
  url: string,
): GraphFailure {
  const e = err as Partial<SdkGraphError> & { name?: string };
  const status = typeof e.statusCode === 'number' ? e.statusCode : -1;
  const requestId = e.requestId ?? e.headers?.get?.('request-id') ?? undefined;
  if (status >= 200 && status < 300) {
    // A 2xx lands here only when its body could not be parsed: graph-client
    // wraps the parser's SyntaxError (as `body`, or as its text) with no code.
    return {
      method,
      url,
      status,
      code: 'InvalidJson',
      message: parserMessage(e.body),
      requestId: requestId ?? undefined,
    };
  }
  // A transport failure (timeout, reset) arrives as graph-client's GraphError
  // holding the fetch error: as its message and code (name), or, when the
  // error is not an Error of graph-client's realm, as `body`.
  const cause = errorLike(e.body);
  const code = e.code ?? cause?.name ?? e.name ?? undefined;
  return {
    method,
    url,
    status,
    code: code ?? undefined,
    message: e.message || cause?.message || undefined,
    requestId: requestId ?? undefined,
  };
}

function errorLike(
  value: unknown,
): { name?: string; message?: string } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { name, message } = value as { name?: unknown; message?: unknown };
  return {
    name: typeof name === 'string' ? name : undefined,
    message: typeof message === 'string' ? message : undefined,
  };
}

/** The JSON parser's complaint, the same whether it arrives as an error or as its text. */
function parserMessage(error: unknown): string | undefined {
  const text =
    typeof error === 'string'
      ? error
      : typeof (error as { message?: unknown } | null)?.message === 'string'
      ? (error as { message: string }).message
      : undefined;
  return text?.replace(/^SyntaxError:\s*/, '') || undefined;
}

/** A report action's body: a stream of JSON text (octet-stream), or JSON graph-client already parsed. */
async function readReportBody(answer: unknown): Promise<unknown> {
  if (answer === undefined || answer === null || answer === '') {
    throw new Error('The response had no body.');
  }
  if (typeof (answer as { getReader?: unknown }).getReader === 'function') {
    return JSON.parse(await new Response(answer as ReadableStream).text());
  }
  return typeof answer === 'string' ? JSON.parse(answer) : answer;
}
