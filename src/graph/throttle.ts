/**
 * Throttling budgets shared by every request of one collection.
 *
 * The SDK runs all ready steps at once (jupiterone-sdk.md §2.1), and Graph
 * counts its limits per app per tenant, so one budget per Graph service is
 * shared by all steps. Each budget paces requests with a token bucket set a
 * little under the documented limit, caps how many are in flight, and, when
 * Graph answers 429 anyway, holds the whole service back for Retry-After and
 * slows down (usage keeps counting while throttled, graph-api.md §6).
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
  throttled: number;
  /** Total time requests spent queued for this budget (pacing, concurrency, pauses). */
  waitedMs: number;
}

interface Waiter {
  units: number;
  enqueuedAt: number;
  resolve: () => void;
}

const MIN_RATE_SHARE = 0.4;

export class ServiceBudget {
  readonly stats: BudgetStats = {
    requests: 0,
    unitsSpent: 0,
    throttled: 0,
    waitedMs: 0,
  };
  private readonly capacity: number;
  private ratePerMs: number;
  private readonly minRatePerMs: number;
  private tokens: number;
  private refilledAt = Date.now();
  private inFlight = 0;
  private pausedUntil = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BudgetOptions) {
    const { units, windowMs } = options.limit;
    // The rate keeps the margin; the bucket holds at least one request, or a
    // 1-request budget (Conditional Access) would cap the cost at 0.95 and pace at
    // exactly the documented rate, with no margin at all (issue 16).
    this.ratePerMs = (units * options.targetShare) / windowMs;
    this.capacity = Math.max(units * options.targetShare, 1);
    this.minRatePerMs = this.ratePerMs * MIN_RATE_SHARE;
    this.tokens = this.capacity;
  }

  /** Waits for room in the budget; call the returned function when the response is in. */
  async acquire(units: number): Promise<() => void> {
    const cost = Math.min(units, this.capacity);
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

  /** Graph said 429: hold every request of this service back, and slow down. */
  throttled(retryAfterMs: number): void {
    this.stats.throttled++;
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfterMs);
    this.tokens = Math.min(this.tokens, 0);
    this.ratePerMs = Math.max(this.minRatePerMs, this.ratePerMs * 0.75);
    this.pump();
  }

  private refill(now: number): void {
    this.tokens = Math.min(
      this.capacity,
      this.tokens + (now - this.refilledAt) * this.ratePerMs,
    );
    this.refilledAt = now;
  }

  private pump(): void {
    const now = Date.now();
    this.refill(now);
    while (this.queue.length > 0) {
      if (this.inFlight >= this.options.maxConcurrency) return;
      if (now < this.pausedUntil) return this.wakeAt(this.pausedUntil);
      const head = this.queue[0];
      if (this.tokens < head.units) {
        return this.wakeAt(
          now + Math.ceil((head.units - this.tokens) / this.ratePerMs),
        );
      }
      this.queue.shift();
      this.tokens -= head.units;
      this.inFlight++;
      this.stats.requests++;
      this.stats.unitsSpent += head.units;
      this.stats.waitedMs += now - head.enqueuedAt;
      head.resolve();
    }
  }

  private wakeAt(time: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(1, time - Date.now()));
    // A pending wake-up must not keep a finished process alive.
    this.timer.unref?.();
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
