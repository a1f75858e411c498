/**
 * The simulator's mutable state, shared by the identity and Graph handlers:
 * tenants, applications, behaviour, the token signer, throttling, faults and
 * statistics.
 */
import { ExportJobStore } from './export-jobs';
import { FaultInjector } from './faults';
import { TokenSigner } from './jwt';
import { PageCache } from './page-cache';
import { PropertyCatalog } from './schema';
import { StatsRecorder } from './stats';
import { SimulatedApplication, TenantData } from './tenant/model';
import { resolveThrottleLimits, Throttler } from './throttle';
import { DEFAULT_BEHAVIOUR, SimulatorBehaviour } from './types';

export class SimulatorState {
  behaviour: SimulatorBehaviour;
  throttler: Throttler | null = null;
  readonly faults = new FaultInjector();
  readonly signer = new TokenSigner();
  readonly stats: StatsRecorder;
  readonly pageCache = new PageCache();
  readonly exportJobs = new ExportJobStore();
  private readonly tenantsById = new Map<string, TenantData>();
  private readonly tenantsByDomain = new Map<string, TenantData>();
  private readonly applications = new Map<string, SimulatedApplication>();
  private readonly catalogs = new WeakMap<TenantData, PropertyCatalog>();
  /** Page-cache scope per tenant object, so a replaced tenant never sees its predecessor's pages. */
  private readonly cacheScopes = new WeakMap<TenantData, string>();
  private tenantsAdded = 0;

  constructor(
    behaviour: Partial<SimulatorBehaviour> | undefined,
    recordRequests: boolean,
  ) {
    this.behaviour = { ...DEFAULT_BEHAVIOUR };
    this.stats = new StatsRecorder(() => recordRequests);
    this.setBehaviour(behaviour ?? {});
  }

  setBehaviour(update: Partial<SimulatorBehaviour>): void {
    this.behaviour = {
      ...this.behaviour,
      ...update,
      latency: { ...this.behaviour.latency, ...update.latency },
    };
    if ('throttling' in update) {
      const limits = resolveThrottleLimits(this.behaviour.throttling);
      if (!limits) this.throttler = null;
      else if (this.throttler) this.throttler.setLimits(limits);
      else this.throttler = new Throttler(limits);
    }
    this.throttler?.setGrant(this.behaviour.throttleGrant);
    if ('random' in update) this.faults.setRandom(this.behaviour.random);
    if (update.exportJobs) {
      this.exportJobs.behaviour = {
        ...this.exportJobs.behaviour,
        ...update.exportJobs,
      };
    }
  }

  addTenant(tenant: TenantData): void {
    this.cacheScopes.set(tenant, `${tenant.tenantId}#${++this.tenantsAdded}`);
    this.tenantsById.set(tenant.tenantId.toLowerCase(), tenant);
    for (const domain of tenant.domains)
      this.tenantsByDomain.set(domain.toLowerCase(), tenant);
  }

  /** By tenant id (GUID) or any verified domain, case-insensitive. */
  findTenant(idOrDomain: string): TenantData | undefined {
    const key = idOrDomain.toLowerCase();
    return this.tenantsById.get(key) ?? this.tenantsByDomain.get(key);
  }

  addApplication(application: SimulatedApplication): void {
    this.applications.set(application.clientId.toLowerCase(), application);
  }

  findApplication(clientId: string): SimulatedApplication | undefined {
    return this.applications.get(clientId.toLowerCase());
  }

  cacheScopeOf(tenant: TenantData): string {
    return this.cacheScopes.get(tenant) ?? tenant.tenantId;
  }

  /** The $select catalog of a tenant (its samples decide some property names). */
  catalogFor(tenant: TenantData): PropertyCatalog {
    let catalog = this.catalogs.get(tenant);
    if (!catalog) {
      catalog = new PropertyCatalog();
      this.catalogs.set(tenant, catalog);
    }
    return catalog;
  }
}
