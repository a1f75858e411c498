/**
 * When to try a Graph request again, and how long to wait. Bounds are per
 * request: a long page walk never runs out of retries because earlier pages
 * needed some (unlike the anchor, peers.md §0).
 */

export interface RetryPolicy {
  /** Retries for 503 and 504, which say "come back later". */
  maxThrottleRetries: number;
  /**
   * 429s are retried for as long as the service makes progress: a request is
   * given up once no request of its service has succeeded for this long.
   */
  throttledGiveUpMs: number;
  /** Retries for 500, 502, timeouts, dropped connections and unreadable bodies. */
  maxTransientRetries: number;
  /** Retries for a 401 "token expired" (a fresh token is fetched each attempt). */
  maxExpiredTokenRetries: number;
  /** First backoff when Graph gives no Retry-After; doubles each retry, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we honour for one wait (graph-client's own cap is 180 s). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxThrottleRetries: 10,
  throttledGiveUpMs: 5 * 60_000,
  maxTransientRetries: 5,
  maxExpiredTokenRetries: 2,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 180_000,
};

/** Retry-After is seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with "full jitter", so retries of parallel requests spread out. */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type FailureKind =
  | 'throttled'
  | 'transient'
  | 'expiredToken'
  | 'expiredPageToken'
  | 'permanent';

export function classifyStatus(
  status: number,
  code: string | undefined,
  message: string | undefined,
): FailureKind {
  if (status === 429 || status === 503 || status === 504) return 'throttled';
  if (status === 500 || status === 502) return 'transient';
  if (status === -1) return 'transient';
  if (
    status === 401 &&
    code === 'InvalidAuthenticationToken' &&
    /expired/i.test(message ?? '')
  ) {
    return 'expiredToken';
  }
  if (status === 400 && code === 'Directory_ExpiredPageToken') {
    return 'expiredPageToken';
  }
  return 'permanent';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
