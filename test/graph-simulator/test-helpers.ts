/**
 * Shared set-up for the simulator's own tests: a simulator serving the fake
 * tenant, the real ClientSecretCredential and Graph client pointed at it,
 * and a raw fetch for what the SDKs hide.
 */
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { randomBytes } from 'crypto';
import { makeFakeTenant, FakeTenantOptions } from './fake-tenant';
import { GraphSimulator, SimulatorOptions, startGraphSimulator } from './index';
import { TenantData } from './tenant/model';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const CLIENT_ID = '5b1f5c7e-1d2a-4e2b-9c55-000000000001';

export const EVERY_ROLE = [
  'Directory.Read.All',
  'AuditLog.Read.All',
  'DeviceManagementServiceConfig.Read.All',
  'DeviceManagementManagedDevices.Read.All',
  'DeviceManagementApps.Read.All',
  'DeviceManagementConfiguration.Read.All',
];

/** A client-credentials token request as a plain POST (no MSAL, no cache). */
export function requestToken(
  origin: string,
  tenantId: string,
  clientId: string,
  secret: string,
): Promise<Response> {
  return fetch(`${origin}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: clientId,
      client_secret: secret,
      scope: GRAPH_SCOPE,
      grant_type: 'client_credentials',
    }).toString(),
  });
}

export interface TestSimulator {
  sim: GraphSimulator;
  tenant: TenantData;
  clientId: string;
  secret: string;
  credential(overrides?: {
    tenantId?: string;
    clientId?: string;
    secret?: string;
  }): ClientSecretCredential;
  /** The real Graph client, through the real credential. */
  client(credential?: ClientSecretCredential): Client;
  /** A bearer token fetched with a plain POST (no MSAL cache). */
  token(): Promise<string>;
  /** fetch against the simulator with a token (unless `authorization` is given). */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestSimulator(
  options: {
    roles?: string[];
    tenant?: FakeTenantOptions;
    simulator?: Omit<SimulatorOptions, 'tenants' | 'applications'>;
  } = {},
): Promise<TestSimulator> {
  const secret = `sim-secret-${randomBytes(12).toString('hex')}`;
  const tenant = makeFakeTenant({
    ...options.tenant,
    servicePrincipals: options.tenant?.servicePrincipals ?? {
      [CLIENT_ID]: options.roles ?? EVERY_ROLE,
    },
  });
  const sim = await startGraphSimulator({
    ...options.simulator,
    tenants: [tenant],
    applications: [
      {
        clientId: CLIENT_ID,
        displayName: 'Simulator test app',
        secrets: [{ value: secret }],
      },
    ],
  });
  const credential = (
    overrides: { tenantId?: string; clientId?: string; secret?: string } = {},
  ) =>
    new ClientSecretCredential(
      overrides.tenantId ?? tenant.tenantId,
      overrides.clientId ?? CLIENT_ID,
      overrides.secret ?? secret,
      { authorityHost: sim.origin, disableInstanceDiscovery: true },
    );
  const token = async () =>
    (
      (await (
        await requestToken(sim.origin, tenant.tenantId, CLIENT_ID, secret)
      ).json()) as { access_token: string }
    ).access_token;
  let cachedToken: string | undefined;
  return {
    sim,
    tenant,
    clientId: CLIENT_ID,
    secret,
    credential,
    client: (withCredential = credential()) =>
      Client.initWithMiddleware({
        authProvider: new TokenCredentialAuthenticationProvider(
          withCredential,
          { scopes: [GRAPH_SCOPE] },
        ),
        baseUrl: sim.origin,
        customHosts: new Set(['localhost']),
      }),
    token,
    get: async (path, headers = {}) => {
      if (!('authorization' in headers))
        cachedToken = cachedToken ?? (await token());
      return fetch(`${sim.origin}${path}`, {
        headers: { authorization: `Bearer ${cachedToken}`, ...headers },
      });
    },
    close: () => sim.close(),
  };
}

/** The `{error:{code,message}}` of a Graph error response. */
export async function graphError(response: Response): Promise<{
  code: string;
  message: string;
  innerError: Record<string, string>;
}> {
  return (
    (await response.json()) as {
      error: {
        code: string;
        message: string;
        innerError: Record<string, string>;
      };
    }
  ).error;
}

/** The rejection of a promise (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
