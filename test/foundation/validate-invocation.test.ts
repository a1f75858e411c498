import { createMockExecutionContext } from '@jupiterone/integration-sdk-testing';
import { randomBytes } from 'crypto';
import { IntegrationConfig, validateInvocation } from '../../src/config';
import { makeCertificate } from '../support/certificates';
import { captureLogger, LogRecord, runCollection } from '../support/collect';
import { startTestTenant, TestTenant } from '../support/tenant';

async function validate(config: IntegrationConfig, logs: LogRecord[] = []) {
  const context = createMockExecutionContext<IntegrationConfig>({
    instanceConfig: config,
  });
  context.logger = captureLogger(logs) as any;
  return validateInvocation(context as any);
}

const OTHER_CLIENT_ID = '0d6f0c43-5d35-4b38-a4f2-9a8e2d7c3b10';

describe('validateInvocation against the simulator', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await startTestTenant('tiny');
  });
  afterAll(() => t.close());

  test('succeeds with a valid app, secret and tenant (GUID or domain)', async () => {
    await expect(validate(t.config)).resolves.toBeUndefined();
    await expect(
      validate({ ...t.config, tenant: t.tenant.domains[0] }),
    ).resolves.toBeUndefined();
  });

  test('succeeds with a certificate registered on the app instead of the secret', async () => {
    const cert = makeCertificate();
    t.simulator.addApplication({
      clientId: t.config.clientId,
      displayName: 'JupiterOne Microsoft 365 (test)',
      secrets: [{ value: t.config.clientSecret }],
      certificates: [cert.certPem],
    });
    t.simulator.resetStats();
    await expect(
      validate({ ...t.config, clientSecret: '', clientCertificate: cert.pem }),
    ).resolves.toBeUndefined();
    expect(
      t.simulator.requests.map((r) => `${r.endpoint} ${r.status}`),
    ).toEqual([
      'GET /{tenant}/v2.0/.well-known/openid-configuration 200',
      'POST /{tenant}/oauth2/v2.0/token 200',
      'GET /organization 200',
    ]);
  });

  test('unknown tenant (AADSTS90002)', async () => {
    await expect(
      validate({ ...t.config, tenant: 'no-such-tenant.onmicrosoft.com' }),
    ).rejects.toThrow(
      `Microsoft Graph POST ${t.simulator.origin}/no-such-tenant.onmicrosoft.com/oauth2/v2.0/token failed with 400 AADSTS90002. Microsoft Entra ID does not know tenant "no-such-tenant.onmicrosoft.com". Set tenant to the Directory (tenant) ID or a verified domain of the tenant, and check that the cloud setting matches the cloud the tenant lives in.`,
    );
  });

  test('unknown client id (AADSTS700016)', async () => {
    await expect(
      validate({
        ...t.config,
        clientId: '9e9e9e9e-0000-4000-8000-000000000000',
      }),
    ).rejects.toThrow(
      `failed with 400 AADSTS700016. Application (client) ID 9e9e9e9e-0000-4000-8000-000000000000 was not found in tenant "${t.tenant.tenantId}". Set clientId to the Application (client) ID of the app registration, and have an administrator of the tenant grant admin consent to it.`,
    );
  });

  test('wrong secret (AADSTS7000215)', async () => {
    await expect(
      validate({ ...t.config, clientSecret: 'wrong-secret-value' }),
    ).rejects.toThrow(
      `failed with 401 AADSTS7000215. The client secret is not valid for application ${t.config.clientId}. Set clientSecret to the secret's Value (not its Secret ID) from Certificates & secrets of the app registration.`,
    );
  });

  test('expired secret (AADSTS7000222)', async () => {
    const expired = randomBytes(16).toString('hex');
    t.simulator.addApplication({
      clientId: OTHER_CLIENT_ID,
      displayName: 'app with an expired secret',
      secrets: [{ value: expired, expired: true }],
    });
    await expect(
      validate({
        ...t.config,
        clientId: OTHER_CLIENT_ID,
        clientSecret: expired,
      }),
    ).rejects.toThrow(
      `failed with 401 AADSTS7000222. The client secret of application ${OTHER_CLIENT_ID} has expired. Create a new client secret in Certificates & secrets of the app registration and update clientSecret.`,
    );
  });

  test('app registered elsewhere but not consented in the tenant (Graph 401 Authorization_IdentityNotFound)', async () => {
    const clientId = '6a1c2f0e-7b7b-4c4c-9d9d-1e1e1e1e1e1e';
    const secret = randomBytes(16).toString('hex');
    t.simulator.addApplication({
      clientId,
      displayName: 'multi-tenant app without a service principal here',
      secrets: [{ value: secret }],
    });
    const error = await validate({
      ...t.config,
      clientId,
      clientSecret: secret,
    }).catch((e) => e);
    expect(error.message).toMatch(
      new RegExp(
        `^Microsoft Graph GET ${escape(
          t.simulator.origin,
        )}/v1.0/organization failed with 401 Authorization_IdentityNotFound: The identity of the calling application could not be established. \\(request-id [0-9a-f-]{36}\\)\\. Application ${clientId} is not installed in tenant ${
          t.tenant.tenantId
        }: an administrator of that tenant must grant admin consent to the application \\(Enterprise applications\\), or check that tenant and clientId belong together\\.$`,
      ),
    );
    expect(error.code).toBe('PROVIDER_AUTHENTICATION_ERROR');
  });

  test('no secret, token or key material in any message or log', async () => {
    const logs: LogRecord[] = [];
    const errors: string[] = [];
    for (const config of [
      { ...t.config, clientSecret: `${t.config.clientSecret}x` },
      { ...t.config, tenant: 'nowhere.onmicrosoft.com' },
      t.config,
    ]) {
      await validate(config, logs).catch((e) =>
        errors.push(`${e.message} ${e.stack}`),
      );
    }
    const text = JSON.stringify(logs) + errors.join('\n');
    expect(errors).toHaveLength(2);
    expect(text).not.toContain(t.config.clientSecret);
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });
});

describe('validateInvocation with missing permissions', () => {
  let t: TestTenant;
  afterEach(() => t?.close());

  test('a token without Organization.Read.All fails validation naming the permission', async () => {
    t = await startTestTenant('tiny', { roles: ['User.Read.All'] });
    await expect(validate(t.config)).rejects.toThrow(
      `The application cannot read the organization of tenant "${t.tenant.tenantId}": grant the Microsoft Graph application permission Organization.Read.All (or Directory.Read.All) to read the organization, then grant admin consent. Application permissions granted now: User.Read.All.`,
    );
  });

  test('other missing permissions are warned about by name', async () => {
    t = await startTestTenant('tiny', {
      roles: ['Organization.Read.All', 'User.Read.All', 'GroupMember.Read.All'],
    });
    const logs: LogRecord[] = [];
    await validate(t.config, logs);
    const warnings = logs.filter((r) => r.level === 40).map((r) => r.msg);
    expect(warnings).toEqual([
      'Missing Microsoft Graph permission: grant the Microsoft Graph application permission DeviceManagementManagedDevices.Read.All to read Intune managed devices and their detected applications, then grant admin consent. Until then these steps fail and keep their previous data: Fetch Intune Managed Devices, Fetch Intune Detected Applications.',
      'Missing Microsoft Graph permission: grant the Microsoft Graph application permission DeviceManagementApps.Read.All to read Intune managed applications and their install status, then grant admin consent. Until then these steps fail and keep their previous data: Fetch Intune Managed Applications.',
      'Missing Microsoft Graph permission: grant the Microsoft Graph application permission DeviceManagementConfiguration.Read.All to read Intune compliance policies, device configurations and their device statuses, then grant admin consent. Until then these steps fail and keep their previous data: Fetch Intune Compliance Policies and Findings, Fetch Intune Device Configurations and Findings, Fetch Intune Administrative Templates and Findings, Fetch Intune Settings Compliance Policies and Findings, Fetch Intune Settings Catalog and Endpoint Security Policies and Findings.',
      'Missing Microsoft Graph permission: grant the Microsoft Graph application permission Application.Read.All (or Directory.Read.All) to read app registrations, service principals, their credentials, owners and application permissions, then grant admin consent. Until then these steps fail and keep their previous data: Fetch Service Principals, Fetch App Registrations, Fetch Application Permissions.',
      'Missing Microsoft Graph permission: grant the Microsoft Graph application permission Directory.Read.All to read delegated permission grants (OAuth2 consents), then grant admin consent. Until then these steps fail and keep their previous data: Fetch Delegated Permission Grants.',
      // issue 16
      'Missing Microsoft Graph permission: grant the Microsoft Graph application permission RoleManagement.Read.Directory (or RoleManagement.Read.All, Directory.Read.All) to read Entra ID role definitions and active role assignments, then grant admin consent. Until then these steps fail and keep their previous data: Fetch Entra ID Role Definitions, Fetch Entra ID Role Assignments and PIM Schedules.',
      'Missing Microsoft Graph permission: grant the Microsoft Graph application permission Policy.Read.All to read Conditional Access policies and named locations, then grant admin consent. Until then these steps fail and keep their previous data: Fetch Conditional Access Policies and Named Locations.',
    ]);
  });

  test('a collection with invalid config fails before any request, naming every field', async () => {
    t = await startTestTenant('tiny');
    const result = await runCollection({
      ...t.config,
      clientId: '',
      tenant: '',
    });
    expect(result.error?.message).toBe(
      'Invalid Microsoft 365 configuration: clientId is missing: set it to the Application (client) ID of the app registration (env CLIENT_ID). tenant is missing: set it to the Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com (env TENANT).',
    );
    expect(t.simulator.requests).toHaveLength(0);
  });

  test('a collection with neither a secret nor a certificate fails before any request, naming both', async () => {
    t = await startTestTenant('tiny');
    const result = await runCollection({ ...t.config, clientSecret: '' });
    expect(result.error?.message).toBe(
      "Invalid Microsoft 365 configuration: clientSecret is missing: set it to the Value of a client secret from the app registration's Certificates & secrets (env CLIENT_SECRET). For certificate authentication set clientCertificate instead of clientSecret: a PEM holding the certificate and its private key (env CLIENT_CERTIFICATE).",
    );
    expect(t.simulator.requests).toHaveLength(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
