/**
 * Progress and end-of-step reporting shared by the step modules: long steps
 * log what they have done so far (items, pages, request rate, time spent
 * waiting on throttling) every few seconds, and every step ends with one
 * info line of counts and duration.
 */
import { IntegrationLogger } from '@jupiterone/integration-sdk-core';
import { GraphClient } from '../graph/client';

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

  /** The one end-of-step line. */
  done(extra: Record<string, unknown> = {}): void {
    this.logger.info({ ...this.snapshot(), ...extra }, `${this.label}: done`);
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
    };
  }
}

/** A value from Graph as it goes into a log message: at most 64 characters. */
export function brief(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}
