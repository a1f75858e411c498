/**
 * Progress and end-of-step reporting shared by the step modules: long steps
 * log what they have done so far (items, pages, request rate, time spent
 * waiting on throttling) every few seconds, and every step ends with one
 * info line of counts and duration.
 */
import { IntegrationLogger } from '@jupiterone/integration-sdk-core';
import { GraphClient } from '../graph/client';
import { BudgetStats } from '../graph/throttle';

export class StepProgress {
  private readonly counts: Record<string, number> = {};
  private readonly started = Date.now();
  private lastLog = Date.now();
  private readonly startStats;

  constructor(
    private readonly logger: IntegrationLogger,
    private readonly client: GraphClient,
    private readonly label: string,
    private readonly everyMs = 15_000,
  ) {
    this.startStats = client.stats();
  }

  /** Counts something (an entity type, "skipped statuses"...) and logs progress now and then. */
  add(counter: string, n = 1): void {
    this.counts[counter] = (this.counts[counter] ?? 0) + n;
    const now = Date.now();
    if (now - this.lastLog >= this.everyMs) {
      this.lastLog = now;
      this.logger.info(this.snapshot(), `${this.label}: in progress`);
    }
  }

  count(counter: string): number {
    return this.counts[counter] ?? 0;
  }

  /** The one end-of-step line, and one more for each service Graph held below its documented limit. */
  done(extra: Record<string, unknown> = {}): void {
    this.logger.info({ ...this.snapshot(), ...extra }, `${this.label}: done`);
    for (const [service, s] of Object.entries(this.client.stats().services)) {
      if (!s.throttled) continue;
      this.logger.info(
        { service, ...throttlingOf(s) },
        `${this.label}: Microsoft Graph granted the ${service} service less than its documented limit: down to ${percent(
          s.lowestShare,
        )} of it at the lowest, ${percent(s.currentShare)} now; ${
          s.throttled
        } answers 429 and ${Math.round(
          s.waitedMs / 1000,
        )} s spent waiting on it so far in this collection.`,
      );
    }
  }

  private snapshot() {
    const stats = this.client.stats();
    const elapsedMs = Date.now() - this.started;
    const requests = Object.values(stats.services).reduce(
      (sum, s) => sum + s.requests,
      0,
    ) - Object.values(this.startStats.services).reduce((sum, s) => sum + s.requests, 0);
    const waitedMs = Object.values(stats.services).reduce(
      (sum, s) => sum + s.waitedMs,
      0,
    );
    const throttled = Object.values(stats.services).reduce(
      (sum, s) => sum + s.throttled,
      0,
    );
    return {
      counts: { ...this.counts },
      elapsedMs,
      // The client is shared by all steps: requests and waits are execution-wide.
      graphRequestsSinceStepStart: requests,
      graphRequestsPerSecond: Math.round((requests / Math.max(elapsedMs, 1)) * 1000),
      graphPages: stats.pages,
      throttlingWaitMs: waitedMs,
      throttled429s: throttled,
      // Per service, once Graph has throttled it: the pace learnt so far.
      throttling: Object.fromEntries(
        Object.entries(stats.services)
          .filter(([, s]) => s.throttled > 0)
          .map(([service, s]) => [service, throttlingOf(s)]),
      ),
    };
  }
}

function throttlingOf(s: BudgetStats) {
  return {
    shareOfDocumentedLimitNow: Number(s.currentShare.toFixed(3)),
    lowestShareOfDocumentedLimit: Number(s.lowestShare.toFixed(3)),
    throttled429s: s.throttled,
    waitedMs: s.waitedMs,
  };
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** A value from Graph as it goes into a log message: at most 64 characters. */
export function brief(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}
