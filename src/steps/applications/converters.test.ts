// Imported for its matchers' types (toMatchGraphObjectSchema is registered by the jest preset).
import '@jupiterone/integration-sdk-testing';
import { RelationshipClass } from '@jupiterone/integration-sdk-core';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  GraphAppRoleAssignment,
  GraphServicePrincipal,
} from '../../graph/applications';
import { Entities, MappedRelationships } from '../constants';
import { relationshipKey } from '../graph-objects';
import {
  appOwnershipOf,
  credentialKey,
  relationshipBetween,
  toAppRegistrationEntity,
  toFederatedCredentialEntity,
  toKeyCredentialEntity,
  toPasswordCredentialEntity,
  toServicePrincipalEntity,
} from './converters';
import {
  HIGH_PRIVILEGE_PERMISSIONS,
  highPrivilegeOf,
  MICROSOFT_GRAPH_APP_ID,
} from './high-privilege';
import { assignmentProperties, grantProperties } from './permissions-granted';

const ENTRA = join(__dirname, '../../../test/fixtures/graph-recordings/entra');
/** The 100 service principals of the captured first page (ad-service-principals.har). */
const CAPTURED: GraphServicePrincipal[] = JSON.parse(
  JSON.parse(readFileSync(join(ENTRA, 'ad-service-principals.har'), 'utf8')).log
    .entries[0].response.content.text,
).value;
/** The captured tenant (the owner of its own apps). */
const CAPTURED_TENANT = '19ae0f99-6fc6-444b-bd54-97504efc66ad';
const FIRST_PARTY = JSON.parse(
  readFileSync(join(ENTRA, 'first-party-service-principals.json'), 'utf8'),
).servicePrincipals as {
  appId: string;
  appRoles: { value: string; allowedMemberTypes: string[] }[];
  oauth2PermissionScopes: { value: string }[];
}[];

describe('service principals from the capture', () => {
  test('every captured service principal converts to a valid azure_service_principal', () => {
    const ownership: Record<string, number> = {};
    for (const sp of CAPTURED) {
      const entity = toServicePrincipalEntity(sp, CAPTURED_TENANT);
      expect(entity).toMatchGraphObjectSchema({ _class: ['Service'] });
      expect(entity._key).toBe(sp.id);
      ownership[entity.appOwnership as string] =
        (ownership[entity.appOwnership as string] ?? 0) + 1;
    }
    expect(Object.keys(ownership).sort()).toEqual([
      'microsoft',
      'none',
      'tenant',
    ]);
  });

  test('a managed identity: no owner organisation, its Azure resource, Azure-rotated certificates', () => {
    const mi = CAPTURED.find(
      (sp) => sp.servicePrincipalType === 'ManagedIdentity',
    )!;
    const entity = toServicePrincipalEntity(mi, CAPTURED_TENANT);
    expect(entity).toMatchObject({
      appOwnership: 'none',
      foreign: false,
      thirdParty: false,
      managedIdentityResourceId: mi.alternativeNames!.find((n) =>
        n.startsWith('/subscriptions/'),
      ),
      keyCredentialCount: mi.keyCredentials!.length,
    });
    const owner = {
      _key: mi.id,
      _type: Entities.SERVICE_PRINCIPAL._type,
      displayName: 'mi',
      appId: mi.appId!,
      signInEnabled: true,
      autoRotated: true,
    };
    const certificate = toKeyCredentialEntity(owner, mi.keyCredentials![0])!;
    expect(certificate).toMatchGraphObjectSchema({ _class: ['AccessKey'] });
    expect(certificate).toMatchObject({
      _key: credentialKey(mi.id, 'key', mi.keyCredentials![0].keyId!),
      credentialType: 'certificate',
      keyType: 'AsymmetricX509Cert',
      usage: 'Verify',
      fingerprint: mi.keyCredentials![0].customKeyIdentifier,
      expiresOn: Date.parse(mi.keyCredentials![0].endDateTime!),
      autoRotated: true,
      signInEnabled: true,
    });
  });
});

test('ownership: this tenant, Microsoft, a third party, none', () => {
  const tenant = '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c';
  expect(appOwnershipOf(tenant.toUpperCase(), tenant)).toBe('tenant');
  expect(appOwnershipOf('f8cdef31-a31e-4b4a-93e4-5f571e91255a', tenant)).toBe(
    'microsoft',
  );
  expect(appOwnershipOf('33e01921-4d64-4f8c-a055-5bdaffd5e33d', tenant)).toBe(
    'microsoft',
  );
  expect(appOwnershipOf('0b5c2f10-0000-4000-8000-000000000001', tenant)).toBe(
    'third-party',
  );
  expect(appOwnershipOf(null, tenant)).toBe('none');
  expect(appOwnershipOf('  ', tenant)).toBe('none');
});

describe('credentials never carry a secret', () => {
  const owner = {
    _key: 'a1a1a1a1-1111-4222-8333-444455556666',
    _type: Entities.APP_REGISTRATION._type,
    displayName: 'Payroll',
    appId: 'b2b2b2b2-1111-4222-8333-444455556666',
    signInEnabled: false,
  };
  const secret = 'abc8Q~0123456789012345678901234567890123';

  test('a secret: dates and description; not its value or hint', () => {
    const entity = toPasswordCredentialEntity(owner, {
      keyId: 'c3c3c3c3-1111-4222-8333-444455556666',
      displayName: 'CI pipeline',
      customKeyIdentifier: null,
      startDateTime: '2024-01-01T00:00:00Z',
      endDateTime: '2299-12-31T00:00:00Z',
      // What Graph also sends, and must not be kept:
      ...({ hint: 'abc', secretText: secret } as object),
    })!;
    expect(entity).toMatchGraphObjectSchema({ _class: ['AccessKey'] });
    expect(entity).toMatchObject({
      credentialType: 'secret',
      name: 'CI pipeline',
      startsOn: Date.parse('2024-01-01T00:00:00Z'),
      expiresOn: Date.parse('2299-12-31T00:00:00Z'),
      ownerId: owner._key,
      ownerType: 'azure_app_registration',
      appId: owner.appId,
      signInEnabled: false,
    });
    const text = JSON.stringify(entity);
    expect(text).not.toContain(secret);
    expect(Object.values(entity)).not.toContain('abc');
    expect(
      Object.keys(entity).filter((k) => /hint|secret|key$/i.test(k)),
    ).toEqual(['_key']);
  });

  test('a certificate: thumbprint and dates; not its body', () => {
    const body = Buffer.alloc(600, 7).toString('base64');
    const entity = toKeyCredentialEntity(owner, {
      keyId: 'd4d4d4d4-1111-4222-8333-444455556666',
      displayName: 'CN=Payroll',
      customKeyIdentifier: 'A13DDCC0728DA2155CBB1A819132EB02CC0041C6',
      endDateTime: '2024-07-01T00:00:00Z',
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      ...({ key: body } as object),
    })!;
    expect(JSON.stringify(entity)).not.toContain(body.slice(0, 40));
    expect(entity).not.toHaveProperty('material');
    expect(entity.fingerprint).toBe('A13DDCC0728DA2155CBB1A819132EB02CC0041C6');
  });

  test('a federated credential: issuer and subject', () => {
    const entity = toFederatedCredentialEntity(owner, {
      id: 'e5e5e5e5-1111-4222-8333-444455556666',
      name: 'github-main',
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:contoso/payroll:ref:refs/heads/main',
      audiences: ['api://AzureADTokenExchange'],
    })!;
    expect(entity).toMatchGraphObjectSchema({ _class: ['AccessKey'] });
    expect(entity).toMatchObject({
      _key: credentialKey(
        owner._key,
        'federated',
        'e5e5e5e5-1111-4222-8333-444455556666',
      ),
      credentialType: 'federated',
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:contoso/payroll:ref:refs/heads/main',
    });
    expect(entity).not.toHaveProperty('expiresOn');
  });

  test('a credential without a key id is not converted', () => {
    expect(toPasswordCredentialEntity(owner, { keyId: null })).toBeUndefined();
  });
});

test('an app registration: its service principal here and whether it can sign in', () => {
  const entity = toAppRegistrationEntity(
    {
      id: 'f6f6f6f6-1111-4222-8333-444455556666',
      appId: 'b2b2b2b2-1111-4222-8333-444455556666',
      displayName: 'Payroll',
      signInAudience: 'AzureADMultipleOrgs',
      verifiedPublisher: { verifiedPublisherId: null, displayName: null },
      passwordCredentials: [{}, {}],
      keyCredentials: [],
    },
    { id: '07070707-1111-4222-8333-444455556666', accountEnabled: true },
  );
  expect(entity).toMatchGraphObjectSchema({ _class: ['Application'] });
  expect(entity).toMatchObject({
    multiTenant: true,
    verifiedPublisher: false,
    servicePrincipalId: '07070707-1111-4222-8333-444455556666',
    signInEnabled: true,
    passwordCredentialCount: 2,
    keyCredentialCount: 0,
  });
});

describe('relationships that may reach beyond this collection', () => {
  const from = { _key: 'resource', metadata: Entities.SERVICE_PRINCIPAL };
  const to = {
    _key: 'client',
    metadata: Entities.SERVICE_PRINCIPAL,
    displayName: 'Client app',
  };
  const options = {
    _class: RelationshipClass.ASSIGNED,
    from,
    to,
    anchor: 'from' as const,
    mapped: MappedRelationships.SERVICE_PRINCIPAL_ASSIGNED_SERVICE_PRINCIPAL,
    discriminator: 'role',
    properties: { permission: 'User.Read.All', unset: undefined },
  };

  test('direct and mapped share one key; the mapped one names its target', () => {
    const direct = relationshipBetween({ ...options, collected: true });
    const mapped = relationshipBetween({ ...options, collected: false });
    expect(direct._key).toBe(relationshipKey('resource|assigned|client|role'));
    expect(mapped._key).toBe(direct._key);
    expect(mapped._type).toBe(direct._type);
    expect(direct).toMatchObject({
      _fromEntityKey: 'resource',
      _toEntityKey: 'client',
      permission: 'User.Read.All',
    });
    expect(direct).not.toHaveProperty('unset');
    expect(mapped._mapping).toEqual({
      relationshipDirection: 'FORWARD',
      sourceEntityKey: 'resource',
      targetFilterKeys: [['_type', '_key']],
      skipTargetCreation: false,
      targetEntity: {
        _key: 'client',
        _type: 'azure_service_principal',
        _class: ['Service'],
        displayName: 'Client app',
        name: 'Client app',
      },
    });
  });

  test('an owner this collection did not produce: mapped, from the owned object', () => {
    const mapped = relationshipBetween({
      _class: RelationshipClass.OWNS,
      from: { _key: 'user', metadata: Entities.USER },
      to: { _key: 'app', metadata: Entities.APP_REGISTRATION },
      anchor: 'to',
      collected: false,
      mapped: MappedRelationships.USER_OWNS_APP_REGISTRATION,
    });
    expect(mapped._type).toBe('azure_user_owns_app_registration');
    expect(mapped._mapping).toMatchObject({
      relationshipDirection: 'REVERSE',
      sourceEntityKey: 'app',
      targetEntity: { _key: 'user', _type: 'azure_user' },
    });
  });
});

describe('permissions granted', () => {
  const resource = {
    appId: MICROSOFT_GRAPH_APP_ID,
    roles: new Map([
      ['19dbc75e-c2e2-444c-a770-ec69d8559fc7', 'Directory.ReadWrite.All'],
    ]),
  };
  const assignment = (appRoleId: string): GraphAppRoleAssignment => ({
    appRoleId,
    principalId: 'client',
    principalType: 'ServicePrincipal',
    createdDateTime: '2022-09-09T18:02:11.074976Z',
  });

  test('an application permission: its name, high privilege and tier', () => {
    expect(
      assignmentProperties(
        assignment('19dbc75e-c2e2-444c-a770-ec69d8559fc7'),
        resource,
      ),
    ).toEqual({
      appRoleId: '19dbc75e-c2e2-444c-a770-ec69d8559fc7',
      permission: 'Directory.ReadWrite.All',
      defaultAccess: undefined,
      highPrivilege: true,
      privilegeTier: 'tenant-takeover',
      assignedOn: Date.parse('2022-09-09T18:02:11.074976Z'),
    });
    expect(
      assignmentProperties(
        assignment('00000000-0000-0000-0000-000000000000'),
        resource,
      ),
    ).toMatchObject({
      permission: undefined,
      defaultAccess: true,
      highPrivilege: false,
    });
    expect(
      assignmentProperties(
        assignment('0a0a0a0a-0000-4000-8000-000000000000'),
        resource,
      ),
    ).toMatchObject({ permission: undefined, highPrivilege: false });
  });

  test('a delegated grant: scopes once each, sorted; tenant-wide; the high-privilege ones', () => {
    expect(
      grantProperties(
        {
          id: 'grant',
          consentType: 'AllPrincipals',
          principalId: null,
          scope:
            ' User.Read  Mail.ReadWrite openid User.Read Directory.AccessAsUser.All ',
        },
        MICROSOFT_GRAPH_APP_ID,
      ),
    ).toEqual({
      grantId: 'grant',
      consentType: 'AllPrincipals',
      tenantWide: true,
      principalId: undefined,
      scope: 'Directory.AccessAsUser.All Mail.ReadWrite User.Read openid',
      highPrivilege: true,
      highPrivilegeScopes: 'Directory.AccessAsUser.All Mail.ReadWrite',
      privilegeTier: 'tenant-takeover',
    });
  });
});

describe('the high-privilege table', () => {
  test('one row per (kind, resource, permission)', () => {
    const keys = HIGH_PRIVILEGE_PERMISSIONS.map(
      (p) => `${p.kind}|${p.resourceAppId}|${p.permission}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('every Microsoft Graph row names a real permission of its kind (the captured Microsoft Graph service principal)', () => {
    const graph = FIRST_PARTY.find(
      (sp) => sp.appId === MICROSOFT_GRAPH_APP_ID,
    )!;
    const appRoles = new Set(
      graph.appRoles
        .filter((role) => role.allowedMemberTypes.includes('Application'))
        .map((role) => role.value),
    );
    const scopes = new Set(graph.oauth2PermissionScopes.map((s) => s.value));
    const unknown = HIGH_PRIVILEGE_PERMISSIONS.filter(
      (p) => p.resourceAppId === MICROSOFT_GRAPH_APP_ID,
    ).filter((p) =>
      p.kind === 'application'
        ? !appRoles.has(p.permission)
        : !scopes.has(p.permission),
    );
    expect(unknown.map((p) => `${p.kind} ${p.permission}`)).toEqual([]);
  });

  test('lookups are by resource: Directory.ReadWrite.All of another API is not Microsoft Graph', () => {
    expect(
      highPrivilegeOf(
        'application',
        MICROSOFT_GRAPH_APP_ID,
        'Directory.ReadWrite.All',
      )?.tier,
    ).toBe('tenant-takeover');
    expect(
      highPrivilegeOf(
        'application',
        '0b5c2f10-0000-4000-8000-000000000001',
        'Directory.ReadWrite.All',
      ),
    ).toBeUndefined();
    expect(
      highPrivilegeOf('application', MICROSOFT_GRAPH_APP_ID, 'User.Read.All'),
    ).toBeUndefined();
    expect(
      highPrivilegeOf('delegated', MICROSOFT_GRAPH_APP_ID, 'Mail.ReadWrite')
        ?.tier,
    ).toBe('data-access');
  });
});
