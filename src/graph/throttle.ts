/**
 * Throttling budgets shared by every request of one collection, one per
 * Graph service: the SDK runs all ready steps at once (jupiterone-sdk.md
 * §2.1) and Graph counts its limits per app per tenant.
 *
 * Each budget paces requests with a token bucket and caps how many are in
 * flight. It starts at a share of the documented limit, and learns the
 * budget Graph actually grants (issue 20): Intune's limits include a
 * tenant-wide ceiling shared with every other app of the tenant, and some
 * services answer 429 well below their documented figures.
 *
 * - 429 (multiplicative decrease): the whole service waits out Retry-After,
 *   and its rate and concurrency drop to DECREASE x what actually got through
 *   in the last window (the units that succeeded are what Graph granted),
 *   at most once per hold period so that one burst of 429s counts once.
 * - `x-ms-throttle-limit-percentage` (identity answers from 80 % of the
 *   limit): the rate stops growing and eases off before a 429.
 * - Success (additive increase): the rate climbs back by a small share of
 *   the documented limit per second, up to the target share.
 */
import {
  DOCUMENTED_LIMITS,
  GraphService,
  GRAPH_SERVICES,
  ServiceLimit,
} from './services';

export interface BudgetOptions {
  limit: ServiceLimit;
  /** Share of the documented limit to aim for. */
  targetShare: number;
  /** Requests in flight at once for this service. */
  maxConcurrency: number;
}

export interface BudgetStats {
  requests: number;
  unitsSpent: number;
  /** 429 answers. */
  throttled: number;
  /** Total time requests spent queued for this budget (pacing, concurrency, pauses). */
  waitedMs: number;
  /** The pace now, as a share of the documented limit. */
  currentShare: number;
  /** The lowest pace the budget came down to, as a share of the documented limit. */
  lowestShare: number;
  /**
   * Epoch ms of the first 429 since the service's last success: how long it
   * has only been throttling. Undefined while requests succeed.
   */
  throttledSince?: number;
}

interface Waiter {
  units: number;
  enqueuedAt: number;
  resolve: () => void;
}

/** What a decrease keeps of the rate that got through. */
const DECREASE = 0.7;
/** A decrease starts from at least this share of the current rate. */
const FLOOR_OF_CURRENT = 0.5;
/**
 * The rate never drops below this share of the documented limit, nor below
 * one request per window: a slower pace cannot measure the grant, and the
 * 429's own pause (Retry-After, or the backoff) still holds the service back.
 * Without that second floor, one 429 on Conditional Access (1 request per
 * second) would pace it at one request per 100 s (issue 16 meets issue 20).
 */
const MIN_SHARE = 0.01;
/**
 * Additive increase: share of the documented limit regained per second of
 * success. Slow on purpose: from 70 % of a grant back to all of it takes
 * about half a minute at a fifth of the documented limit, so 429s come
 * rarely; at the full limit Graph should not answer 429 at all.
 */
const INCREASE_PER_SECOND = 0.002;
/** The rate eases off by this factor when Graph says 80 % of the limit is used. */
const EASE = 0.95;
/** One decrease per burst: 429s within this much of a decrease count once. */
const MIN_HOLD_MS = 1000;
/**
 * After a 429 the pace grows back to this share of the pace that met it, no
 * further, for CEILING_MS: without that memory the additive increase walks
 * straight back into the same 429s every half minute, and each walk costs a
 * burst of them (every $batch item in flight; L at a fifth of the limits:
 * 2,663 429s in 7,663 group-member requests). A grant that grows again is
 * found once the ceiling lapses.
 */
const CEILING = 0.9;
/** After a 429, the bucket holds this much time's worth of the pace. */
const BURST_MS = 1000;
const CEILING_MS = 120_000;

export class ServiceBudget {
  readonly stats: BudgetStats;
  private readonly documentedPerMs: number;
  private readonly maxRatePerMs: number;
  private readonly minRatePerMs: number;
  private ratePerMs: number;
  private capacity: number;
  private tokens: number;
  private refilledAt = Date.now();
  private concurrency: number;
  private inFlight = 0;
  private pausedUntil = 0;
  private holdUntil = 0;
  private increasedAt = Date.now();
  private ceilingPerMs = Infinity;
  private ceilingUntil = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Units that succeeded, by the second they did (the last window's worth). */
  private readonly recent: { at: number; units: number }[] = [];

  constructor(private readonly options: BudgetOptions) {
    const { units, windowMs } = options.limit;
    this.documentedPerMs = units / windowMs;
    this.maxRatePerMs = this.documentedPerMs * options.targetShare;
    this.minRatePerMs = Math.min(
      this.maxRatePerMs,
      // With the margin: at exactly one per window, jitter alone earns 429s.
      Math.max(
        this.documentedPerMs * MIN_SHARE,
        options.targetShare / windowMs,
      ),
    );
    this.ratePerMs = this.maxRatePerMs;
    // Until Graph says otherwise, a whole window may go at once. The bucket
    // holds at least one request, or a 1-request budget (Conditional Access)
    // could never send anything (issue 16).
    this.capacity = Math.max(units * options.targetShare, 1);
    this.tokens = this.capacity;
    this.concurrency = options.maxConcurrency;
    this.stats = {
      requests: 0,
      unitsSpent: 0,
      throttled: 0,
      waitedMs: 0,
      currentShare: options.targetShare,
      lowestShare: options.targetShare,
    };
  }

  get service(): ServiceLimit {
    return this.options.limit;
  }

  /** Waits for room in the budget; call the returned function when the response is in. */
  async acquire(units: number): Promise<() => void> {
    const cost = Math.min(units, this.options.limit.units);
    await new Promise<void>((resolve) => {
      this.queue.push({ units: cost, enqueuedAt: Date.now(), resolve });
      this.pump();
    });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.pump();
    };
  }

  /**
   * A response that was not a 429. `limitPercentage` is Graph's
   * x-ms-throttle-limit-percentage (1.0 = the limit), sent from 80 %.
   */
  succeeded(units: number, limitPercentage?: number): void {
    const now = Date.now();
    this.stats.throttledSince = undefined;
    this.recent.push({ at: now, units });
    this.forget(now);
    if (limitPercentage !== undefined && limitPercentage >= 0.8) {
      // Close to the limit: stop growing, and ease off a little.
      if (now >= this.holdUntil) {
        this.setRate(this.ratePerMs * EASE);
        this.holdUntil = now + MIN_HOLD_MS;
      }
      this.increasedAt = now;
      return;
    }
    if (now < this.holdUntil) return;
    const seconds = (now - this.increasedAt) / 1000;
    this.increasedAt = now;
    const ceiling =
      now < this.ceilingUntil ? this.ceilingPerMs : this.maxRatePerMs;
    if (this.ratePerMs < ceiling) {
      this.setRate(
        Math.min(
          ceiling,
          this.ratePerMs + this.documentedPerMs * INCREASE_PER_SECOND * seconds,
        ),
      );
    }
    // Requests in flight in proportion to the pace regained.
    this.concurrency = Math.min(
      this.options.maxConcurrency,
      Math.max(
        this.concurrency,
        Math.ceil(
          (this.options.maxConcurrency * this.ratePerMs) / this.maxRatePerMs,
        ),
      ),
    );
  }

  /** Graph said 429: hold the whole service back for `retryAfterMs`, and slow down. */
  throttled(retryAfterMs: number): void {
    const now = Date.now();
    this.stats.throttled++;
    this.stats.throttledSince ??= now;
    this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    this.tokens = Math.min(this.tokens, 0);
    if (now >= this.holdUntil) {
      this.forget(now);
      // What got through in the last window is what Graph granted in it
      // (a first burst included: Graph counts it in the same window).
      const granted =
        this.recent.reduce((sum, r) => sum + r.units, 0) /
        this.options.limit.windowMs;
      // Little got through because little was asked (a small tenant, a
      // quiet step): that measures the demand, not the grant, so one burst
      // of 429s cuts the rate by DECREASE * FLOOR_OF_CURRENT at most, and
      // further bursts go on down. Otherwise one early 429 would pace the
      // rest of a large collection at the floor.
      const basis = Math.max(
        Math.min(this.ratePerMs, granted),
        this.ratePerMs * FLOOR_OF_CURRENT,
      );
      this.ceilingPerMs = this.ratePerMs * CEILING;
      this.ceilingUntil = now + CEILING_MS;
      this.setRate(basis * DECREASE);
      // Every request in flight when Graph says 429 meets one (a $batch
      // carries 20): one at a time until successes grow it back with the pace.
      this.concurrency = 1;
      this.holdUntil = now + Math.max(MIN_HOLD_MS, retryAfterMs);
    }
    this.increasedAt = Math.max(now, this.pausedUntil);
    this.pump();
  }

  private setRate(perMs: number): void {
    this.ratePerMs = Math.min(
      this.maxRatePerMs,
      Math.max(this.minRatePerMs, perMs),
    );
    // Once Graph has said 429, no more bursts of a whole window: a second's
    // worth at the current pace (a 10 s directory window at 95 % is ~7,600
    // units at once, every $batch item of which met a 429 at a fifth of it).
    this.capacity = Math.max(
      1,
      this.ratePerMs * Math.min(this.options.limit.windowMs, BURST_MS),
    );
    this.tokens = Math.min(this.tokens, this.capacity);
    const share = this.ratePerMs / this.documentedPerMs;
    this.stats.currentShare = share;
    this.stats.lowestShare = Math.min(this.stats.lowestShare, share);
  }

  private forget(now: number): void {
    const since = now - this.options.limit.windowMs;
    while (this.recent.length && this.recent[0].at < since) this.recent.shift();
  }

  private refill(now: number): void {
    // Nothing accrues while a 429 holds the service: a bucket refilled by
    // the pause would spend itself in one burst the moment the pause ends,
    // into a Graph budget still in debt (it counts refused requests too).
    const from = Math.max(this.refilledAt, Math.min(now, this.pausedUntil));
    this.tokens = Math.min(
      this.capacity,
      this.tokens + Math.max(0, now - from) * this.ratePerMs,
    );
    this.refilledAt = now;
  }

  private pump(): void {
    const now = Date.now();
    this.refill(now);
    while (this.queue.length > 0) {
      if (this.inFlight >= this.concurrency) return;
      if (now < this.pausedUntil) return this.wakeAt(this.pausedUntil);
      const head = this.queue[0];
      const cost = Math.min(head.units, this.capacity);
      if (this.tokens < cost) {
        return this.wakeAt(
          now + Math.ceil((cost - this.tokens) / this.ratePerMs),
        );
      }
      this.queue.shift();
      this.tokens -= cost;
      this.inFlight++;
      this.stats.requests++;
      this.stats.unitsSpent += head.units;
      this.stats.waitedMs += now - head.enqueuedAt;
      head.resolve();
    }
    // Nothing waits: no wake-up may hold the process (see wakeAt).
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private wakeAt(time: number): void {
    if (this.timer) clearTimeout(this.timer);
    // Not unref'd: while requests wait here, nothing else may be pending
    // (no socket, no other timer), and an unref'd timer would let Node exit
    // in the middle of the collection with code 0 (issue 14 §8). The timer
    // exists only while the queue is not empty.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(1, time - Date.now()));
  }
}

export interface ThrottleOptions {
  targetShare?: number;
  maxConcurrency?: number;
  limits?: Partial<Record<GraphService, ServiceLimit>>;
}

export type ThrottleBudgets = Record<GraphService, ServiceBudget>;

export function createThrottleBudgets(
  options: ThrottleOptions = {},
): ThrottleBudgets {
  return Object.fromEntries(
    GRAPH_SERVICES.map((service) => [
      service,
      new ServiceBudget({
        limit: options.limits?.[service] ?? DOCUMENTED_LIMITS[service],
        targetShare: options.targetShare ?? 0.95,
        maxConcurrency: options.maxConcurrency ?? 16,
      }),
    ]),
  ) as ThrottleBudgets;
}
