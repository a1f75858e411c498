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
 *   limit): what got through in the window over that share is the limit
 *   Graph grants; the pace and the bucket come down to it before any 429.
 * - Success (additive increase): the rate climbs back by a small share of
 *   the documented limit per second, up to the target share.
 * - Slow start: a service's first burst is a second and a half of the pace,
 *   growing with every answer that carries no sign of the limit (TCP's slow
 *   start), so that a grant far below the documented one is found by a
 *   header or a few 429s, not by every request of a 16 x 20-item $batch
 *   fan-out in flight at once.
 *
 * One file because it is one state machine: the rules above read and write
 * the same pace, bucket and memory of the last window.
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
/** A service's first burst, in time at the pace (it grows during the slow start). */
const INITIAL_BURST_MS = 1500;
/**
 * A 429 measures the grant when Graph's Retry-After asks for at least half a window's
 * wait (its budget for the window is spent, not just brushed) after a window
 * whose demand reached a tenth of the documented limit: then what got
 * through is what Graph grants, not what little was asked
 * (FLOOR_OF_CURRENT's case), nor a short stumble of a busy walk.
 */
const MEASURING_DEMAND = 0.1;
const MEASURING_WAIT = 0.5;
/** The pace stays at or under this share of a measured grant, while the ceiling holds. */
const OF_MEASURED_GRANT = 0.95;

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
  /** Units sent, refused ones included (the last window's worth): the demand. */
  private readonly sent: { at: number; units: number }[] = [];
  private readonly fullCapacity: number;
  /** Until Graph first signals its limit, the burst grows with each answer. */
  private slowStart = true;
  /** Graph said when to retry: one request may go when the pause ends, whatever the bucket. */
  private retryOwed = false;

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
    // Until Graph says otherwise, up to a whole window may go at once, once
    // the slow start has grown the burst to it. The bucket holds at least
    // one request, or a 1-request budget (Conditional Access) could never
    // send anything (issue 16).
    this.fullCapacity = Math.max(units * options.targetShare, 1);
    this.capacity = Math.max(
      1,
      Math.min(this.fullCapacity, this.maxRatePerMs * INITIAL_BURST_MS),
    );
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
      this.nearLimit(now, limitPercentage);
      return;
    }
    if (this.slowStart) {
      // No sign of the limit: the burst may grow by what just got through,
      // up to a whole window (the pace itself stays the documented one).
      const grown = Math.min(this.fullCapacity, this.capacity + units);
      this.tokens += grown - this.capacity;
      this.capacity = grown;
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
    this.concurrency = Math.max(this.concurrency, this.concurrencyOfPace());
  }

  private concurrencyOfPace(): number {
    return Math.min(
      this.options.maxConcurrency,
      Math.max(
        1,
        Math.ceil(
          (this.options.maxConcurrency * this.ratePerMs) / this.maxRatePerMs,
        ),
      ),
    );
  }

  private limitConcurrencyToPace(): void {
    this.concurrency = Math.min(this.concurrency, this.concurrencyOfPace());
  }

  private sum(entries: { units: number }[]): number {
    let total = 0;
    for (const entry of entries) total += entry.units;
    return total;
  }

  /**
   * Graph says `share` of the limit is used (0.8 to 1.8): what got through
   * in the window over that share estimates the limit it grants us. The
   * pace comes down to the margin under it at once, and the bucket keeps
   * only what is left of this window, so that the requests already in
   * flight are the last before the window turns.
   */
  private nearLimit(now: number, share: number): void {
    this.slowStart = false;
    this.increasedAt = now;
    if (now < this.holdUntil) return;
    const used = this.sum(this.recent);
    const estimate = used / share;
    const { windowMs } = this.options.limit;
    this.setRate(
      Math.min(
        this.ratePerMs * EASE,
        (estimate * OF_MEASURED_GRANT) / windowMs,
      ),
    );
    this.tokens = Math.min(
      this.tokens,
      Math.max(0, estimate * OF_MEASURED_GRANT - used),
    );
    this.limitConcurrencyToPace();
    this.holdUntil = now + MIN_HOLD_MS;
  }

  /**
   * Graph said 429: hold the whole service back for `retryAfterMs`, and slow
   * down. `graphNamedIt`: the wait is Graph's Retry-After, not our backoff.
   */
  throttled(retryAfterMs: number, graphNamedIt = false): void {
    const now = Date.now();
    this.stats.throttled++;
    this.stats.throttledSince ??= now;
    this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    this.tokens = Math.min(this.tokens, 0);
    this.slowStart = false;
    // Only a wait that Graph named is one it will honour: after a backoff of
    // our own, retrying before the bucket refills keeps a service without
    // Retry-After (Conditional Access) refusing for ever.
    this.retryOwed = graphNamedIt;
    if (now >= this.holdUntil) {
      this.forget(now);
      const { windowMs } = this.options.limit;
      // What got through in the last window is what Graph granted in it
      // (a first burst included: Graph counts it in the same window)...
      const granted = this.sum(this.recent) / windowMs;
      // ...when enough was asked. Little got through because little was
      // asked (a small tenant, a quiet step) measures the demand, not the
      // grant: then one burst of 429s cuts the rate by DECREASE *
      // FLOOR_OF_CURRENT at most, and further bursts go on down. Otherwise
      // one early 429 would pace the rest of a large collection at the floor.
      const measured =
        graphNamedIt &&
        retryAfterMs >= windowMs * MEASURING_WAIT &&
        this.sum(this.sent) / windowMs >=
          this.documentedPerMs * MEASURING_DEMAND;
      const basis = measured
        ? Math.min(this.ratePerMs, granted)
        : Math.max(
            Math.min(this.ratePerMs, granted),
            this.ratePerMs * FLOOR_OF_CURRENT,
          );
      // A measured grant caps the regrowth under it (one request per 10 s on
      // a fifth of the identity reports: any faster is refused, and each
      // refusal costs two windows, since Graph counts it too).
      this.ceilingPerMs = measured
        ? Math.max(this.minRatePerMs, granted * OF_MEASURED_GRANT)
        : this.ratePerMs * CEILING;
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
    while (this.sent.length && this.sent[0].at < since) this.sent.shift();
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
      if (this.tokens < cost && this.retryOwed) {
        // Graph named the time to retry, and the pause is over: the retry
        // goes now, and the pace counts from it (no wait for a whole token
        // at a pace cut by the same 429).
        this.tokens = cost;
      }
      this.retryOwed = false;
      if (this.tokens < cost) {
        return this.wakeAt(
          now + Math.ceil((cost - this.tokens) / this.ratePerMs),
        );
      }
      this.queue.shift();
      this.tokens -= cost;
      this.sent.push({ at: now, units: head.units });
      if (this.sent.length > 4096) this.forget(now);
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
