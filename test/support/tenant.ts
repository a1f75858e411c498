/**
 * One simulated tenant for a test: the simulator serving a generated tenant,
 * an application with a known secret, and the instance config that points the
 * integration at them (through the real credential and Graph client).
 */
import { randomBytes } from 'crypto';
import { IntegrationConfig } from '../../src/config';
import {
  GraphSimulator,
  SimulatorBehaviour,
  startGraphSimulator,
} from '../graph-simulator';
import { generateTenant } from '../graph-simulator/tenant/generate';
import { GroundTruth, TenantData } from '../graph-simulator/tenant/model';
import {
  makeProfile,
  PROFILES,
  TenantProfile,
} from '../graph-simulator/tenant/profiles';

/** Every application permission the integration can use. */
export const ALL_ROLES = [
  'Organization.Read.All',
  'User.Read.All',
  'GroupMember.Read.All',
  'Directory.Read.All',
  'AuditLog.Read.All',
  'DeviceManagementServiceConfig.Read.All',
  'DeviceManagementManagedDevices.Read.All',
  'DeviceManagementApps.Read.All',
  'DeviceManagementConfiguration.Read.All',
  'Application.Read.All',
  // issue 16
  'RoleManagement.Read.Directory',
  'Policy.Read.All',
];

export interface TestTenant {
  simulator: GraphSimulator;
  tenant: TenantData;
  profile: TenantProfile;
  /** Points the integration at the simulator; the secret is random per test tenant. */
  config: IntegrationConfig;
  truth(): GroundTruth;
  close(): Promise<void>;
}

export async function startTestTenant(
  base: keyof typeof PROFILES | TenantProfile = 'tiny',
  options: {
    /** Application permissions granted to the app in this tenant (default ALL_ROLES). */
    roles?: string[];
    /** Profile overrides (premium, intune, sizes, anomalies...). */
    profile?: Parameters<typeof makeProfile>[0];
    behaviour?: Partial<SimulatorBehaviour>;
    /** Extra hostnames for the simulator's certificate (national-cloud routing). */
    hostnames?: string[];
  } = {},
): Promise<TestTenant> {
  const baseProfile = typeof base === 'string' ? PROFILES[base] : base;
  const clientId = baseProfile.servicePrincipals[0]?.clientId ?? '5ad0d2a6-7c8c-4c59-8d0b-8a5d1c9e0f01';
  const profile = makeProfile(
    {
      ...options.profile,
      servicePrincipals: [{ clientId, roles: options.roles ?? ALL_ROLES }],
    },
    baseProfile,
  );
  const tenant = generateTenant(profile);
  const clientSecret = randomBytes(24).toString('base64url');
  const simulator = await startGraphSimulator({
    tenants: [tenant],
    applications: [
      {
        clientId,
        displayName: 'JupiterOne Microsoft 365 (test)',
        secrets: [{ value: clientSecret }],
      },
    ],
    behaviour: options.behaviour,
    hostnames: options.hostnames,
  });
  return {
    simulator,
    tenant,
    profile,
    config: {
      clientId,
      clientSecret,
      tenant: tenant.tenantId,
      authorityHost: simulator.origin,
      graphEndpoint: simulator.origin,
    },
    truth: () => tenant.groundTruth(),
    close: () => simulator.close(),
  };
}

/**
 * startTestTenant for the tests of one file: each tenant it starts is closed
 * after the test that started it. Call it at the top level of the file.
 */
export function closingTestTenants(): typeof startTestTenant {
  const tenants: TestTenant[] = [];
  afterEach(async () => {
    await Promise.all(tenants.splice(0).map((t) => t.close()));
  });
  return async (...args) => {
    const tenant = await startTestTenant(...args);
    tenants.push(tenant);
    return tenant;
  };
}
