/**
 * One Microsoft Graph request: its URL, its place in the throttling budget of
 * its service, its retries, and the mapping of what went wrong into an error
 * that names the endpoint, status, code and request-id.
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
import { randomUUID } from 'crypto';
import { CloudSettings } from './clouds';
import {
  AuthContext,
  GraphApiError,
  GraphFailure,
  graphResponseError,
  tokenError,
} from './errors';
import {
  backoffDelay,
  classifyStatus,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  RetryPolicy,
  sleep,
} from './retry';
import { ResponseHeadersHandler } from './response-headers';
import { costOf, GraphService, ServiceCost } from './services';
import {
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

/** Counts kept across every request of a client, for its stats. */
export interface RequestCounters {
  throttled: number;
  transient: number;
  expiredToken: number;
  pages: number;
}

export interface SendOptions {
  headers?: Record<string, string>;
  body?: unknown;
  responseType?: ResponseType;
  /** The budget and units to draw; by default read from the URL. */
  cost?: ServiceCost;
  /**
   * A $batch envelope: its success says nothing of its items (each may be a
   * 429), so the items report progress to the budget themselves.
   */
  envelope?: boolean;
}

const DEFAULT_TIMEOUT_MS = 100_000;

export class GraphTransport {
  readonly budgets: ThrottleBudgets;
  readonly retry: RetryPolicy;
  readonly auth: AuthContext;
  readonly counters: RequestCounters = {
    throttled: 0,
    transient: 0,
    expiredToken: 0,
    pages: 0,
  };
  private readonly sdk: Client;
  private readonly timeoutMs: number;
  /** Headers of responses whose body graph-client returned, by client-request-id. */
  private readonly responseHeaders = new Map<string, Headers>();

  constructor(readonly options: GraphClientOptions) {
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
        new ResponseHeadersHandler((id, headers) =>
          this.responseHeaders.set(id, headers),
        ),
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

  get logger(): IntegrationLogger | undefined {
    return this.options.logger;
  }

  get graphEndpoint(): string {
    return this.options.cloud.graphEndpoint;
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

  /**
   * Sends one request within its service's budget and retries it: 429/503/504
   * after Retry-After (or backoff), 500/502/resets/unreadable bodies with
   * backoff, an expired token with a fresh one. Anything else, or retries
   * used up, throws the mapped Graph error.
   */
  async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: SendOptions = {},
  ): Promise<T> {
    const { path, query } = splitGraphUrl(url);
    const { service, units } = options.cost ?? costOf(path, query);
    const budget = this.budgets[service];
    const retries = { throttled: 0, transient: 0, expiredToken: 0 };
    for (;;) {
      const release = await budget.acquire(units);
      let failure: GraphFailure;
      let retryAfterMs: number | undefined;
      const clientRequestId = randomUUID();
      try {
        let call = this.sdk
          .api(url)
          .option('signal', AbortSignal.timeout(this.timeoutMs))
          .headers({
            ...options.headers,
            'client-request-id': clientRequestId,
          });
        if (options.responseType)
          call = call.responseType(options.responseType);
        const body = (
          method === 'GET' ? await call.get() : await call.post(options.body)
        ) as T;
        if (!options.envelope) {
          const headers = this.responseHeaders.get(clientRequestId);
          budget.succeeded(
            readResourceUnits(headers) ?? units,
            readLimitPercentage(headers),
          );
        }
        return body;
      } catch (err) {
        if (isTokenAcquisitionError(err)) throw tokenError(err, this.auth);
        failure = describeFailure(err, method, url);
        retryAfterMs = parseRetryAfter(
          (err as SdkGraphError).headers?.get?.('retry-after'),
        );
      } finally {
        this.responseHeaders.delete(clientRequestId);
        release();
      }

      const kind = classifyStatus(
        failure.status,
        failure.code,
        failure.message,
      );
      const malformed = failure.status === 200;
      const retryKind = kind === 'permanent' && malformed ? 'transient' : kind;
      if (failure.status === 429) {
        // Bounded by time, not by count: a service that only throttles is
        // waited for as long as it makes progress (throttledGiveUpMs).
        this.giveUpIfStuck(service, failure);
        const delay = Math.min(
          retryAfterMs ?? backoffDelay(retries.throttled + 1, this.retry),
          this.retry.maxRetryAfterMs,
        );
        retries.throttled++;
        this.counters.throttled++;
        budget.throttled(delay, retryAfterMs !== undefined);
        this.logRetry(failure, delay, retries.throttled);
        await sleep(delay);
        continue;
      }
      if (
        retryKind === 'throttled' &&
        retries.throttled < this.retry.maxThrottleRetries
      ) {
        // 503 and 504: "come back later", with a count-based limit.
        const delay = Math.min(
          retryAfterMs ?? backoffDelay(retries.throttled + 1, this.retry),
          this.retry.maxRetryAfterMs,
        );
        retries.throttled++;
        this.counters.throttled++;
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
        this.counters.transient++;
        this.logRetry(failure, delay, retries.transient);
        await sleep(delay);
        continue;
      }
      if (
        retryKind === 'expiredToken' &&
        retries.expiredToken < this.retry.maxExpiredTokenRetries
      ) {
        retries.expiredToken++;
        this.counters.expiredToken++;
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

  /**
   * Throws once no request of `service` has succeeded for throttledGiveUpMs:
   * the service is not slowing us down but refusing us.
   */
  giveUpIfStuck(service: GraphService, failure: GraphFailure): void {
    const budget = this.budgets[service];
    const since = budget.stats.throttledSince;
    if (since === undefined) return;
    const stuckMs = Date.now() - since;
    if (stuckMs <= this.retry.throttledGiveUpMs) return;
    throw new GraphApiError(
      failure,
      `Microsoft Graph kept throttling the ${service} service: none of its requests succeeded for ${Math.round(
        stuckMs / 1000,
      )} s (${
        budget.stats.throttled
      } answers 429 in this collection so far); the step fails so that its partial data does not replace the previous collection.`,
    );
  }

  logRetry(failure: GraphFailure, delayMs: number, attempt: number): void {
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

/** x-ms-resource-unit: what a directory request really cost (graph-api.md §6). */
function readResourceUnits(headers: Headers | undefined): number | undefined {
  const value = Number(headers?.get('x-ms-resource-unit'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** x-ms-throttle-limit-percentage: the share of the limit used, sent from 0.8 on. */
function readLimitPercentage(headers: Headers | undefined): number | undefined {
  const value = Number(headers?.get('x-ms-throttle-limit-percentage'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** '/v1.0/groups/x/members?$top=999' -> path '/groups/x/members', query '$top=999'. */
export function splitGraphUrl(url: string): { path: string; query: string } {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/^\/(v1\.0|beta)(?=\/|$)/i, '') || '/';
  return { path, query: parsed.search.replace(/^\?/, '') };
}

export function costOfRequest(request: GraphRequest): ServiceCost {
  const query = Object.entries(request.query ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return costOf(request.path, query);
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
export function parserMessage(error: unknown): string | undefined {
  const text =
    typeof error === 'string'
      ? error
      : typeof (error as { message?: unknown } | null)?.message === 'string'
      ? (error as { message: string }).message
      : undefined;
  return text?.replace(/^SyntaxError:\s*/, '') || undefined;
}
