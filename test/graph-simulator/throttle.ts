/**
 * Token buckets per (tenant, application, service family) with the documented
 * limits (graph-api.md §6). Buckets refill continuously (capacity = limit,
 * rate = limit / window). Requests made while throttled still count, as Graph
 * says ("usage keeps counting"), but a bucket never drops below -capacity so
 * a client that stops hammering recovers within two windows.
 */
import {
  DOCUMENTED_THROTTLE_LIMITS,
  ServiceFamily,
  SimulatorBehaviour,
  ThrottledServiceName,
  ThrottleLimits,
} from './types';

export type ThrottledService = ThrottledServiceName;

export function isThrottledService(
  service: ServiceFamily,
): service is ThrottledService {
  return (
    service === 'directory' ||
    service === 'intuneDevices' ||
    service === 'intuneConfiguration' ||
    service === 'intuneApps' ||
    service === 'identityReports' ||
    service === 'conditionalAccess'
  );
}

export interface ThrottleDecision {
  allowed: boolean;
  /** Whole seconds until the bucket can serve this request again (>= 1), when refused. */
  retryAfterSeconds: number;
  /** Share of the capacity in use after this request (0 = idle, 1 = exhausted, up to 2). */
  usedFraction: number;
}

export interface ThrottleRequest {
  tenantId: string;
  appId: string;
  service: ThrottledService;
  /** Directory: resource units of this request; Intune: 1. */
  cost: number;
  /** Directory limits depend on the tenant's user count. */
  tenantUserCount: number;
}

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  take(cost: number, now: number): ThrottleDecision {
    this.tokens = Math.min(
      this.capacity,
      this.tokens + (now - this.updatedAt) * this.perMs,
    );
    this.updatedAt = now;
    const allowed = this.tokens >= cost;
    this.tokens = Math.max(-this.capacity, this.tokens - cost);
    const retryAfterSeconds = allowed
      ? 0
      : Math.max(1, Math.ceil((cost - this.tokens) / this.perMs / 1000));
    return {
      allowed,
      retryAfterSeconds,
      usedFraction: (this.capacity - this.tokens) / this.capacity,
    };
  }
}

export class Throttler {
  private readonly buckets = new Map<string, TokenBucket>();
  private grant: SimulatorBehaviour['throttleGrant'];

  constructor(
    private limits: ThrottleLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * The share of each limit granted. Buckets of the new capacity start full,
   * like the quota of a client that another app stopped sharing.
   */
  setGrant(grant: SimulatorBehaviour['throttleGrant']): void {
    this.grant = grant;
  }

  private grantOf(service: ThrottledService): number {
    const grant = this.grant;
    if (grant === undefined) return 1;
    if (typeof grant === 'number') return grant;
    return grant[service] ?? 1;
  }

  /** Replaces the limits; existing buckets restart full. */
  setLimits(limits: ThrottleLimits): void {
    this.limits = limits;
    this.buckets.clear();
  }

  take(request: ThrottleRequest): ThrottleDecision {
    const full = this.capacityFor(request);
    const capacity = Math.max(1, full.capacity * this.grantOf(request.service));
    const { windowSeconds } = full;
    // Conditional Access counts per tenant, whichever app asks (types.ts).
    const app = request.service === 'conditionalAccess' ? '*' : request.appId;
    const key = `${request.tenantId}|${app}|${request.service}|${capacity}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(
        capacity,
        capacity / (windowSeconds * 1000),
        this.clock(),
      );
      this.buckets.set(key, bucket);
    }
    return bucket.take(request.cost, this.clock());
  }

  private capacityFor(request: ThrottleRequest): {
    capacity: number;
    windowSeconds: number;
  } {
    if (request.service === 'directory') {
      const { small, medium, large, windowSeconds } = this.limits.directory;
      const users = request.tenantUserCount;
      const capacity = users < 50 ? small : users <= 500 ? medium : large;
      return { capacity, windowSeconds };
    }
    const { limit, windowSeconds } = this.limits[request.service];
    return { capacity: limit, windowSeconds };
  }
}

/** Documented limits with per-service overrides merged in. */
export function resolveThrottleLimits(
  setting: boolean | Partial<ThrottleLimits>,
): ThrottleLimits | null {
  if (setting === false) return null;
  if (setting === true) return DOCUMENTED_THROTTLE_LIMITS;
  return {
    directory: {
      ...DOCUMENTED_THROTTLE_LIMITS.directory,
      ...setting.directory,
    },
    intuneDevices: {
      ...DOCUMENTED_THROTTLE_LIMITS.intuneDevices,
      ...setting.intuneDevices,
    },
    intuneConfiguration: {
      ...DOCUMENTED_THROTTLE_LIMITS.intuneConfiguration,
      ...setting.intuneConfiguration,
    },
    intuneApps: {
      ...DOCUMENTED_THROTTLE_LIMITS.intuneApps,
      ...setting.intuneApps,
    },
    identityReports: {
      ...DOCUMENTED_THROTTLE_LIMITS.identityReports,
      ...setting.identityReports,
    },
    conditionalAccess: {
      ...DOCUMENTED_THROTTLE_LIMITS.conditionalAccess,
      ...setting.conditionalAccess,
    },
  };
}

/**
 * Directory resource-unit cost (graph-api.md §6): users 2, group members 3,
 * transitive members 5, everything else 1; $select -1, $expand +1,
 * $top < 20 -1; never below 1.
 */
export function directoryResourceUnits(
  baseCost: number,
  query: { hasSelect: boolean; hasExpand: boolean; top?: number },
): number {
  let cost = baseCost;
  if (query.hasSelect) cost -= 1;
  if (query.hasExpand) cost += 1;
  if (query.top !== undefined && query.top < 20) cost -= 1;
  return Math.max(1, cost);
}
