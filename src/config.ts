/**
 * Instance configuration: the fields a JupiterOne user fills in, their
 * validation, and the one Graph client every step of an execution shares.
 */
import {
  IntegrationExecutionConfig,
  IntegrationExecutionContext,
  IntegrationInstanceConfig,
  IntegrationInstanceConfigFieldMap,
  IntegrationLogger,
  IntegrationProviderAuthenticationError,
  IntegrationStepExecutionContext,
  IntegrationValidationError,
  IntegrationWarnEventName,
} from '@jupiterone/integration-sdk-core';
import { CLOUD_NAMES, resolveCloudSettings } from './graph/clouds';
import { GraphClient, GraphClientOptions } from './graph/client';
import {
  createCredential,
  CredentialConfig,
  findCredentialProblems,
} from './graph/credentials';
import {
  describeMissing,
  isGranted,
  PermissionRequirement,
  Permissions,
} from './graph/permissions';
import { readOrganization } from './graph/organization';
import { STEP_PERMISSIONS } from './steps/permissions';
import { startHeapGovernor } from './heap-governor';

export interface IntegrationConfig
  extends IntegrationInstanceConfig,
    CredentialConfig {
  // clientId, clientSecret, clientCertificate, clientCertificatePassword,
  // sendCertificateChain and tenant: see CredentialConfig.
  /** global (default), usgov (GCC High), usgovdod (DoD) or china. */
  cloud?: string;
  /** Overrides the cloud's login host (sovereign or test endpoints). */
  authorityHost?: string;
  /** Overrides the cloud's Graph host (sovereign or test endpoints). */
  graphEndpoint?: string;
}

/**
 * Every field is optional to the SDK so that validateInvocation, not the
 * config loader, checks them: it names every problem in one message.
 * Environment variables: CLIENT_ID, CLIENT_SECRET, CLIENT_CERTIFICATE,
 * CLIENT_CERTIFICATE_PASSWORD, SEND_CERTIFICATE_CHAIN, TENANT, CLOUD,
 * AUTHORITY_HOST, GRAPH_ENDPOINT.
 */
export const instanceConfigFields: IntegrationInstanceConfigFieldMap<IntegrationConfig> =
  {
    clientId: { type: 'string', optional: true },
    clientSecret: { type: 'string', mask: true, optional: true },
    clientCertificate: { type: 'string', mask: true, optional: true },
    clientCertificatePassword: { type: 'string', mask: true, optional: true },
    sendCertificateChain: { type: 'boolean', optional: true },
    tenant: { type: 'string', optional: true },
    cloud: { type: 'string', optional: true },
    authorityHost: { type: 'string', optional: true },
    graphEndpoint: { type: 'string', optional: true },
  };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const MULTI_TENANT_ALIASES = ['common', 'organizations', 'consumers'];

/** Every problem of the config, each as one sentence that says what to fix. */
export function findConfigProblems(config: Partial<IntegrationConfig>): string[] {
  const problems: string[] = [];
  const clientId = config.clientId?.trim();
  if (!clientId) {
    problems.push(
      'clientId is missing: set it to the Application (client) ID of the app registration (env CLIENT_ID).',
    );
  } else if (!GUID.test(clientId)) {
    problems.push(
      'clientId is not a GUID: use the Application (client) ID shown on the app registration overview, not its name or object ID.',
    );
  }
  if (!config.clientSecret && !config.clientCertificate) {
    problems.push(
      "clientSecret is missing: set it to the Value of a client secret from the app registration's Certificates & secrets (env CLIENT_SECRET).",
    );
  }
  const tenant = config.tenant?.trim();
  if (!tenant) {
    problems.push(
      'tenant is missing: set it to the Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com (env TENANT).',
    );
  } else if (MULTI_TENANT_ALIASES.includes(tenant.toLowerCase())) {
    problems.push(
      `tenant "${tenant}" is not a single tenant: the client-credentials flow needs the Directory (tenant) ID or a verified domain of the tenant to read.`,
    );
  } else if (!GUID.test(tenant) && !DOMAIN.test(tenant)) {
    problems.push(
      `tenant "${tenant}" is neither a tenant ID (GUID) nor a domain name: use the Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com.`,
    );
  }
  if (config.cloud && !(CLOUD_NAMES as string[]).includes(config.cloud)) {
    problems.push(
      `cloud "${config.cloud}" is unknown: use one of ${CLOUD_NAMES.join(', ')} (env CLOUD).`,
    );
  }
  for (const field of ['authorityHost', 'graphEndpoint'] as const) {
    const value = config[field];
    if (value && !isHttpsOrigin(value)) {
      problems.push(
        `${field} "${value}" must be an https URL of a host, such as https://login.microsoftonline.us (env ${
          field === 'authorityHost' ? 'AUTHORITY_HOST' : 'GRAPH_ENDPOINT'
        }).`,
      );
    }
  }
  // clientCertificate, its password and sendCertificateChain; both or neither credential.
  problems.push(...findCredentialProblems(config));
  return problems;
}

function isHttpsOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && (url.pathname === '/' || url.pathname === '');
  } catch {
    return false;
  }
}

export function assertValidConfig(config: Partial<IntegrationConfig>): void {
  const problems = findConfigProblems(config);
  if (problems.length) {
    throw new IntegrationValidationError(
      `Invalid Microsoft 365 configuration: ${problems.join(' ')}`,
    );
  }
}

export function createGraphClient(
  config: IntegrationConfig,
  options: Partial<GraphClientOptions> = {},
): GraphClient {
  const cloud = resolveCloudSettings(config);
  const credential = createCredential(config, cloud);
  return new GraphClient({
    credential,
    cloud,
    tenant: config.tenant.trim(),
    clientId: config.clientId.trim(),
    ...options,
  });
}

/**
 * Built once per execution (loadExecutionConfig) and shared by every step, so
 * that all of them draw on the same throttling budgets. The client is made
 * on first use: the config must pass validateInvocation first.
 */
export interface ExecutionConfig extends IntegrationExecutionConfig {
  graph: SharedGraphClient;
}

export class SharedGraphClient {
  private client: GraphClient | undefined;
  private logged = false;

  constructor(
    private readonly config: IntegrationConfig,
    private readonly options: Partial<GraphClientOptions> = {},
  ) {}

  get(logger?: IntegrationLogger): GraphClient {
    if (!this.client) {
      assertValidConfig(this.config);
      this.client = createGraphClient(this.config, { logger, ...this.options });
      this.logged = Boolean(logger);
    } else if (logger && !this.logged) {
      this.client.setLogger(logger);
      this.logged = true;
    }
    return this.client;
  }
}

export function loadExecutionConfig({
  config,
}: {
  config: IntegrationInstanceConfig;
}): ExecutionConfig {
  return { graph: new SharedGraphClient(config as IntegrationConfig) };
}

export type IntegrationExecution = IntegrationExecutionContext<IntegrationConfig>;
export type IntegrationStepContext =
  IntegrationStepExecutionContext<IntegrationConfig>;

export function graphClientOf(
  context: IntegrationExecution | IntegrationStepContext,
): GraphClient {
  // The SDK's mock contexts do not run loadExecutionConfig.
  const shared =
    (context.executionConfig as Partial<ExecutionConfig> | undefined)?.graph ??
    new SharedGraphClient(context.instance.config);
  return shared.get(context.logger);
}

/**
 * Checks the config, gets a token with the real credential, checks that the
 * token carries what the account step needs, and reads /organization.
 * Other missing permissions are reported here as warnings; the steps that
 * need them fail with the same message (and keep the previous data).
 */
export async function validateInvocation(
  context: IntegrationExecution,
): Promise<void> {
  // The first thing every execution runs: the place to bound the heap.
  startHeapGovernor(context.logger);
  assertValidConfig(context.instance.config);
  const client = graphClientOf(context);
  const roles = await client.grantedRoles();
  if (roles && !isGranted(Permissions.ORGANIZATION, roles)) {
    // A token without roles may also mean the app is not installed in the
    // tenant at all; Graph's 401 says so more precisely than we can.
    await readOrganization(client).catch((err) => {
      if (err instanceof IntegrationProviderAuthenticationError) throw err;
    });
    throw new IntegrationValidationError(
      `The application cannot read the organization of tenant "${context.instance.config.tenant}": ${describeMissing(
        Permissions.ORGANIZATION,
      )}. Application permissions granted now: ${
        roles.length ? roles.join(', ') : 'none'
      }.`,
    );
  }
  for (const message of roles ? missingPermissionMessages(roles) : []) {
    context.logger.warn(message);
    context.logger.publishWarnEvent({
      name: IntegrationWarnEventName.MissingPermission,
      description: message,
    });
  }
  await readOrganization(client);
}

/** "grant X to read Y" for every step permission the token lacks. */
export function missingPermissionMessages(roles: readonly string[]): string[] {
  const missing = new Map<PermissionRequirement, string[]>();
  for (const [stepName, requirements] of Object.entries(STEP_PERMISSIONS)) {
    for (const requirement of requirements) {
      if (isGranted(requirement, roles)) continue;
      missing.set(requirement, [...(missing.get(requirement) ?? []), stepName]);
    }
  }
  return Array.from(missing.entries()).map(
    ([requirement, steps]) =>
      `Missing Microsoft Graph permission: ${describeMissing(
        requirement,
      )}. Until then these steps fail and keep their previous data: ${steps.join(', ')}.`,
  );
}
