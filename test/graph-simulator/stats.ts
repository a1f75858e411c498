/**
 * Counters per service family and per endpoint family, plus the request log.
 */
import {
  RequestRecord,
  SERVICE_FAMILIES,
  ServiceFamily,
  ServiceStats,
  SimulatorStats,
} from './types';

/** What one answered request (or $batch item) contributes to the statistics. */
export interface RequestOutcome {
  service: ServiceFamily;
  endpoint: string;
  status: number;
  itemsServed: number;
  resourceUnits: number;
  injectedFault: boolean;
  batchItem: boolean;
}

export class StatsRecorder {
  private services = emptyServiceMap();
  private endpoints = new Map<string, ServiceStats>();
  private httpRequests = 0;
  private batchItems = 0;
  private since = new Date();
  readonly log: RequestRecord[] = [];

  constructor(private readonly keepLog: () => boolean) {}

  /** Counts an HTTP request as received (batch items are not HTTP requests). */
  countHttpRequest(): void {
    this.httpRequests++;
  }

  record(outcome: RequestOutcome, entry: RequestRecord): void {
    add(this.services[outcome.service], outcome);
    let endpoint = this.endpoints.get(outcome.endpoint);
    if (!endpoint) {
      endpoint = emptyStats();
      this.endpoints.set(outcome.endpoint, endpoint);
    }
    add(endpoint, outcome);
    if (outcome.batchItem) this.batchItems++;
    if (this.keepLog()) this.log.push(entry);
  }

  snapshot(): SimulatorStats {
    const services = {} as Record<ServiceFamily, ServiceStats>;
    const totals = {
      ...emptyStats(),
      httpRequests: this.httpRequests,
      batchItems: this.batchItems,
    };
    for (const family of SERVICE_FAMILIES) {
      const stats = this.services[family];
      services[family] = copy(stats);
      totals.requests += stats.requests;
      totals.throttled += stats.throttled;
      totals.injectedFaults += stats.injectedFaults;
      totals.itemsServed += stats.itemsServed;
      totals.resourceUnits += stats.resourceUnits;
      for (const [status, n] of Object.entries(stats.byStatus)) {
        totals.byStatus[status] = (totals.byStatus[status] ?? 0) + n;
      }
    }
    const endpoints: Record<string, ServiceStats> = {};
    for (const [name, stats] of [...this.endpoints.entries()].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      endpoints[name] = copy(stats);
    }
    return { services, endpoints, totals, since: this.since.toISOString() };
  }

  reset(): void {
    this.services = emptyServiceMap();
    this.endpoints.clear();
    this.httpRequests = 0;
    this.batchItems = 0;
    this.since = new Date();
    this.log.length = 0;
  }
}

function add(stats: ServiceStats, outcome: RequestOutcome): void {
  stats.requests++;
  const status = String(outcome.status);
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  if (outcome.status === 429) stats.throttled++;
  if (outcome.injectedFault) stats.injectedFaults++;
  stats.itemsServed += outcome.itemsServed;
  stats.resourceUnits += outcome.resourceUnits;
}

function emptyStats(): ServiceStats {
  return {
    requests: 0,
    byStatus: {},
    throttled: 0,
    injectedFaults: 0,
    itemsServed: 0,
    resourceUnits: 0,
  };
}

function emptyServiceMap(): Record<ServiceFamily, ServiceStats> {
  const map = {} as Record<ServiceFamily, ServiceStats>;
  for (const family of SERVICE_FAMILIES) map[family] = emptyStats();
  return map;
}

function copy(stats: ServiceStats): ServiceStats {
  return { ...stats, byStatus: { ...stats.byStatus } };
}
