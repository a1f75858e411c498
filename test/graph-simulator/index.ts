/**
 * Microsoft Graph simulator: an HTTPS server on loopback that speaks the
 * Entra ID client-credentials flow and the Microsoft Graph wire format for
 * the endpoints this integration reads, serving generated tenants with
 * throttling and fault injection. See graph-api.md for the facts it follows.
 *
 *   const sim = await startGraphSimulator({ tenants: [tenant], applications: [app] });
 *   new ClientSecretCredential(tenantId, clientId, secret, {
 *     authorityHost: sim.origin, disableInstanceDiscovery: true });
 *   Client.initWithMiddleware({ authProvider, baseUrl: sim.origin, customHosts: new Set(['localhost']) });
 *
 * Clients must trust sim.caCertPath (run under with-test-ca.js).
 */
import { startBlobHost } from './blob-host';
import { ExportJobFaultRule } from './export-jobs';
import { startServer } from './server';
import { SimulatorState } from './state';
import { GroundTruth, SimulatedApplication, TenantData } from './tenant/model';
import {
  FaultRule,
  RequestRecord,
  SimulatorBehaviour,
  SimulatorStats,
} from './types';

export * from './types';
export type {
  ExportJobBehaviour,
  ExportJobFault,
  ExportJobFaultRule,
} from './export-jobs';
export type {
  GroundTruth,
  SimulatedApplication,
  TenantData,
} from './tenant/model';

export interface SimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Extra DNS names for the server certificate (localhost, 127.0.0.1 and ::1 are always in). */
  hostnames?: string[];
  /** Tenants served; each request's tenant is the token's `tid`. */
  tenants?: TenantData[];
  /** The global app registry (client ids, secrets, certificates). */
  applications?: SimulatedApplication[];
  behaviour?: Partial<SimulatorBehaviour>;
  /** Keep the request log (default true). Statistics are always kept. */
  recordRequests?: boolean;
  /** Serve the /_simulator/* control endpoints (admin.ts); cli.ts turns this on. Default false. */
  adminEndpoints?: boolean;
}

export interface GraphSimulator {
  /** https://localhost:<port> */
  readonly origin: string;
  readonly port: number;
  /** PEM of the CA that signed the server certificate. */
  readonly caCertPath: string;
  /** The blob host of export job downloads: another origin (https://127.0.0.1:<port>). */
  readonly blobOrigin: string;
  /** Injects an export job fault (export-jobs.ts) into the next `times` jobs. */
  addExportJobFault(rule: ExportJobFaultRule): void;
  clearExportJobFaults(): void;
  addTenant(tenant: TenantData): void;
  addApplication(application: SimulatedApplication): void;
  groundTruth(tenantIdOrDomain: string): GroundTruth;
  setBehaviour(behaviour: Partial<SimulatorBehaviour>): void;
  /** Returns the rule id. */
  addFault(rule: FaultRule): string;
  removeFault(id: string): void;
  clearFaults(): void;
  stats(): SimulatorStats;
  /** Clears statistics and the request log. */
  resetStats(): void;
  /** The request log (empty when recordRequests is false). */
  readonly requests: RequestRecord[];
  close(): Promise<void>;
}

export async function startGraphSimulator(
  options: SimulatorOptions = {},
): Promise<GraphSimulator> {
  const state = new SimulatorState(
    options.behaviour,
    options.recordRequests ?? true,
  );
  const tenantIds: string[] = [];
  const addTenant = (tenant: TenantData) => {
    state.addTenant(tenant);
    tenantIds.push(tenant.tenantId);
  };
  for (const tenant of options.tenants ?? []) addTenant(tenant);
  for (const application of options.applications ?? [])
    state.addApplication(application);

  const server = await startServer(state, {
    port: options.port ?? 0,
    hostnames: options.hostnames ?? [],
    adminEndpoints: options.adminEndpoints ?? false,
    defaultTenantId: () => (tenantIds.length === 1 ? tenantIds[0] : undefined),
  });
  const blobHost = await startBlobHost(state.exportJobs, state.stats);
  state.exportJobs.blobOrigin = blobHost.origin;

  return {
    origin: `https://localhost:${server.port}`,
    port: server.port,
    caCertPath: server.caCertPath,
    blobOrigin: blobHost.origin,
    addExportJobFault: (rule) => state.exportJobs.addFault(rule),
    clearExportJobFaults: () => state.exportJobs.clearFaults(),
    addTenant,
    addApplication: (application) => state.addApplication(application),
    groundTruth: (tenantIdOrDomain) => {
      const tenant = state.findTenant(tenantIdOrDomain);
      if (!tenant)
        throw new Error(`the simulator serves no tenant '${tenantIdOrDomain}'`);
      return tenant.groundTruth();
    },
    setBehaviour: (behaviour) => state.setBehaviour(behaviour),
    addFault: (rule) => state.faults.add(rule),
    removeFault: (id) => state.faults.remove(id),
    clearFaults: () => state.faults.clear(),
    stats: () => state.stats.snapshot(),
    resetStats: () => state.stats.reset(),
    get requests() {
      return state.stats.log;
    },
    close: async () => {
      await Promise.all([server.close(), blobHost.close()]);
    },
  };
}
