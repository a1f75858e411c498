/**
 * The applications step module end to end: the whole integration runs
 * in-process against the Graph simulator, through the real credential and
 * Graph client, and what it wrote is compared with the generated tenant and
 * its ground truth: exact counts and keys of every new type and
 * relationship, permission names resolved, requests made, and no secret
 * kept anywhere.
 */
import {
  Entity,
  IntegrationStep,
  Relationship,
} from '@jupiterone/integration-sdk-core';
import { IntegrationConfig } from '../../src/config';
import { SUB_COLLECTION_WALK_DEFAULTS } from '../../src/graph/applications';
import { integrationSteps } from '../../src/steps';
import {
  credentialKey,
  MICROSOFT_TENANT_IDS,
} from '../../src/steps/applications/converters';
import {
  highPrivilegeOf,
  MICROSOFT_GRAPH_APP_ID,
} from '../../src/steps/applications/high-privilege';
import {
  Entities,
  IngestionSources,
  Relationships,
  RELATIONSHIP_GRAPH_ID,
  SERVICE_PRINCIPAL_IDS_DATA_KEY,
  Steps,
} from '../../src/steps/constants';
import {
  certificateBodyOf,
  credentialSecretOf,
} from '../graph-simulator/tenant/credentials';
import { GraphObject, TenantData } from '../graph-simulator/tenant/model';
import { CollectionResult, runCollection } from '../support/collect';
import { countGraph, expectedCounts } from '../support/graph-counts';
import { doneRecord } from '../support/outcome';
import {
  closingTestTenants,
  startTestTenant,
  TestTenant,
} from '../support/tenant';

jest.setTimeout(180_000);

const MODULE_STEPS = [
  Steps.SERVICE_PRINCIPALS.id,
  Steps.APPLICATIONS.id,
  Steps.APPLICATION_PERMISSIONS.id,
  Steps.DELEGATED_PERMISSIONS.id,
  Steps.APPLICATION_OWNERS.id,
  Steps.GROUP_SERVICE_PRINCIPALS.id,
];

/** Ground-truth keys of the module (and of the group member join). */
const MODULE_KEY = /service_principal|app_registration|app_credential/;

const SP = Entities.SERVICE_PRINCIPAL._type;

const tenantFor = closingTestTenants();

function all(collection: TenantData['users']): GraphObject[] {
  return Array.from({ length: collection.count }, (_, i) => collection.get(i));
}

function ofType<T extends { _type: string }>(objects: T[], type: string): T[] {
  return objects.filter((o) => o._type === type);
}

function keys(objects: { _key: unknown }[]): string[] {
  return objects.map((o) => String(o._key)).sort();
}

/** The module's counts per ground-truth key, collected and expected. */
function moduleCounts(result: CollectionResult, tenant: TestTenant) {
  const pick = (r: Record<string, number>) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => MODULE_KEY.test(k)));
  const counts = countGraph(result.entities, result.relationships);
  const expected = expectedCounts(tenant.truth());
  return {
    actual: {
      entities: pick(counts.entities),
      relationships: pick(counts.relationships),
      mapped: pick(counts.mappedRelationships),
      duplicateKeys: counts.duplicateKeys,
    },
    expected: {
      entities: pick(expected.entities),
      relationships: pick(expected.relationships),
      mapped: pick(expected.mappedRelationships),
      duplicateKeys: [],
    },
  };
}

/** Every credential key the tenant's objects call for. */
function expectedCredentialKeys(tenant: TenantData): string[] {
  const out: string[] = [];
  const of = (owner: GraphObject, federated: GraphObject[] = []) => {
    for (const c of owner.passwordCredentials as GraphObject[])
      out.push(
        credentialKey(owner.id as string, 'password', c.keyId as string),
      );
    for (const c of owner.keyCredentials as GraphObject[])
      out.push(credentialKey(owner.id as string, 'key', c.keyId as string));
    for (const c of federated)
      out.push(credentialKey(owner.id as string, 'federated', c.id as string));
  };
  for (const sp of all(tenant.servicePrincipalList)) of(sp);
  for (const app of all(tenant.applications))
    of(app, tenant.federatedIdentityCredentials(app.id as string));
  return out.sort();
}

function graphPaths(tenant: TestTenant, pattern: RegExp): string[] {
  return tenant.simulator.requests
    .filter((r) => r.service !== 'identity' && pattern.test(r.path))
    .map((r) => r.path);
}

// ---- a healthy tenant --------------------------------------------------------------------

describe.each(['tiny', 'S'] as const)('the %s tenant', (profile) => {
  let t: TestTenant;
  let result: CollectionResult;
  beforeAll(async () => {
    t = await startTestTenant(profile);
    result = await runCollection(t.config);
  });
  afterAll(() => t.close());

  test('every step succeeds; every new type holds exactly the ground truth', () => {
    for (const step of MODULE_STEPS)
      expect([step, result.stepStatus(step)]).toEqual([step, 'success']);
    const { actual, expected } = moduleCounts(result, t);
    expect(actual).toEqual(expected);
    expect(Object.keys(expected.mapped).length).toBeGreaterThan(0);
  });

  test('exact keys: service principals, app registrations, credentials', () => {
    const ids = (c: TenantData['users']) =>
      all(c)
        .map((o) => o.id as string)
        .sort();
    expect(keys(ofType(result.entities, SP))).toEqual(
      ids(t.tenant.servicePrincipalList),
    );
    expect(
      keys(ofType(result.entities, Entities.APP_REGISTRATION._type)),
    ).toEqual(ids(t.tenant.applications));
    expect(
      keys(ofType(result.entities, Entities.APP_CREDENTIAL._type)),
    ).toEqual(expectedCredentialKeys(t.tenant));
  });

  test('who publishes each service principal, and what each credential says', () => {
    const byKey = new Map(result.entities.map((e) => [e._key, e]));
    const ownership = new Set(
      ofType(result.entities, SP).map((e) => e.appOwnership),
    );
    expect(ownership).toEqual(
      new Set(['tenant', 'microsoft', 'third-party', 'none']),
    );
    for (const sp of all(t.tenant.servicePrincipalList)) {
      const entity = byKey.get(sp.id as string)!;
      expect({
        appId: entity.appId,
        accountEnabled: entity.accountEnabled,
        servicePrincipalType: entity.servicePrincipalType,
        thirdParty: entity.thirdParty,
      }).toEqual({
        appId: sp.appId,
        accountEnabled: sp.accountEnabled,
        servicePrincipalType: sp.servicePrincipalType,
        thirdParty:
          sp.appOwnerOrganizationId !== null &&
          sp.appOwnerOrganizationId !== t.tenant.tenantId &&
          !MICROSOFT_TENANT_IDS.has(sp.appOwnerOrganizationId as string),
      });
      for (const c of sp.keyCredentials as GraphObject[]) {
        const credential = byKey.get(
          credentialKey(sp.id as string, 'key', c.keyId as string),
        )!;
        expect(credential).toMatchObject({
          expiresOn: Date.parse(c.endDateTime as string),
          signInEnabled: sp.accountEnabled,
          ...(sp.servicePrincipalType === 'ManagedIdentity'
            ? { autoRotated: true }
            : {}),
        });
      }
    }
    // An app registration's credentials say whether its service principal here signs in.
    const spByAppId = new Map(
      all(t.tenant.servicePrincipalList).map((sp) => [sp.appId, sp]),
    );
    for (const app of all(t.tenant.applications)) {
      for (const c of app.passwordCredentials as GraphObject[]) {
        const credential = byKey.get(
          credentialKey(app.id as string, 'password', c.keyId as string),
        )!;
        expect(credential.signInEnabled).toBe(
          spByAppId.get(app.appId)?.accountEnabled,
        );
        expect(credential.expiresOn).toBe(Date.parse(c.endDateTime as string));
      }
    }
  });

  test('application permissions: named from the resource app roles, flagged from the table', () => {
    const assigned = ofType(
      result.relationships,
      Relationships.SERVICE_PRINCIPAL_ASSIGNED_SERVICE_PRINCIPAL._type,
    );
    const roles = new Map<string, Map<string, string>>();
    const appIdOf = new Map<string, string>();
    for (const sp of all(t.tenant.servicePrincipalList)) {
      appIdOf.set(sp.id as string, sp.appId as string);
      roles.set(
        sp.id as string,
        new Map(
          (sp.appRoles as GraphObject[]).map((r) => [
            r.id as string,
            r.value as string,
          ]),
        ),
      );
    }
    for (const r of assigned) {
      const resource = r._mapping
        ? (r._mapping as { sourceEntityKey: string }).sourceEntityKey
        : (r._fromEntityKey as string);
      const name = roles.get(resource)!.get(r.appRoleId as string);
      expect([r.appRoleId, r.permission]).toEqual([r.appRoleId, name]);
      expect(r.highPrivilege).toBe(
        Boolean(highPrivilegeOf('application', appIdOf.get(resource), name)),
      );
    }
    expect(assigned.filter((r) => r.highPrivilege).length).toBeGreaterThan(0);
    // The integration's own app holds exactly the roles of its token, on Microsoft Graph.
    const self = all(t.tenant.servicePrincipalList).find(
      (sp) => sp.appId === t.config.clientId,
    )!;
    const graph = all(t.tenant.servicePrincipalList).find(
      (sp) => sp.appId === MICROSOFT_GRAPH_APP_ID,
    )!;
    expect(
      assigned
        .filter(
          (r) => r._toEntityKey === self.id && r._fromEntityKey === graph.id,
        )
        .map((r) => r.permission)
        .sort(),
    ).toEqual([...t.profile.servicePrincipals[0].roles].sort());
  });

  test('delegated grants: scopes, consent type, tenant-wide high-privilege consent of a third party', () => {
    const allows = ofType(
      result.relationships,
      Relationships.SERVICE_PRINCIPAL_ALLOWS_SERVICE_PRINCIPAL._type,
    );
    const grants = all(t.tenant.oauth2PermissionGrants);
    const byId = new Map(allows.map((r) => [r.grantId, r]));
    for (const grant of grants) {
      const r = byId.get(grant.id as string);
      if (!r) continue; // a grant of a resource that is gone: skipped, counted
      expect(r).toMatchObject({
        consentType: grant.consentType,
        tenantWide: grant.consentType === 'AllPrincipals',
        scope: Array.from(new Set(String(grant.scope).split(' ')))
          .sort()
          .join(' '),
      });
    }
    const thirdParty = new Set(
      ofType(result.entities, SP)
        .filter((e) => e.thirdParty)
        .map((e) => e._key),
    );
    expect(
      allows.filter(
        (r) =>
          r.tenantWide &&
          r.highPrivilege &&
          thirdParty.has(r._toEntityKey as string),
      ).length,
    ).toBeGreaterThan(0);
  });

  test('requests: one list walk per collection, one appRoleAssignedTo per resource, owners in full only where the expansion may be cut short', () => {
    const listed = all(t.tenant.servicePrincipalList);
    const resources = listed.filter((sp) =>
      (sp.appRoles as GraphObject[]).some((role) =>
        (role.allowedMemberTypes as string[]).includes('Application'),
      ),
    );
    const assignedTo = t.simulator.requests.filter((r) =>
      /^\/v1\.0\/servicePrincipals\/[^/]+\/appRoleAssignedTo/.test(r.path),
    );
    expect(assignedTo.map((r) => r.path.split('/')[3]).sort()).toEqual(
      resources.map((sp) => sp.id as string).sort(),
    );
    expect(assignedTo.every((r) => r.batchItem)).toBe(true);
    // Pages of 100 with $expand (known issue 13635).
    expect(graphPaths(t, /^\/v1\.0\/servicePrincipals\?/)).toHaveLength(
      Math.ceil(listed.length / 100),
    );
    expect(
      graphPaths(t, /^\/v1\.0\/applications\?.*\$expand=owners/),
    ).toHaveLength(Math.ceil(t.tenant.applications.count / 100));
    expect(
      graphPaths(
        t,
        /^\/v1\.0\/applications\?\$select=id&\$expand=federatedIdentityCredentials/,
      ),
    ).toHaveLength(Math.ceil(t.tenant.applications.count / 100));
    expect(graphPaths(t, /^\/v1\.0\/oauth2PermissionGrants/)).toHaveLength(1);
    expect(
      graphPaths(
        t,
        /federatedIdentityCredentials$|\/federatedIdentityCredentials\?/,
      ),
    ).toEqual([]);
    const truncated = [...listed, ...all(t.tenant.applications)]
      .filter((o) => (t.tenant.ownerIds(o.id as string) ?? []).length >= 20)
      .map((o) => o.id as string)
      .sort();
    expect(truncated.length).toBeGreaterThan(0);
    expect(
      graphPaths(t, /^\/v1\.0\/(servicePrincipals|applications)\/[^/]+\/owners/)
        .map((p) => p.split('/')[3])
        .sort(),
    ).toEqual(truncated);
  });

  test('a resource deleted after the list: its 404 is skipped, counted and logged', () => {
    const record = doneRecord(result, Steps.APPLICATION_PERMISSIONS);
    expect(
      (record.counts as Record<string, number>)
        .resourcesDeletedBeforeAssignmentListing,
    ).toBe(t.truth().skipped.resourcesDeletedBeforeAssignmentListing);
    const logged = result.logs.filter(
      (l) =>
        l.msg ===
        'A service principal listed by /servicePrincipals no longer exists (404); its application permissions are skipped',
    );
    expect(logged).toHaveLength(1);
    expect(t.tenant.appRoleAssignedTo(logged[0].resourceId as string)).toBe(
      undefined,
    );
    expect(
      (
        doneRecord(result, Steps.DELEGATED_PERMISSIONS).counts as Record<
          string,
          number
        >
      ).grantsOfUnknownResources,
    ).toBe(t.truth().skipped.grantsOfUnknownResources);
  });
});

// ---- the contract with the relationship graph ----------------------------------------------

test('fetch-service-principals publishes the ids it collected for the relationship graph (contract)', async () => {
  const t = await tenantFor('tiny');
  let published: ReadonlySet<string> | undefined;
  const probe: IntegrationStep<IntegrationConfig> = {
    id: 'probe-service-principal-ids',
    name: 'Probe',
    entities: [],
    relationships: [],
    dependencyGraphId: RELATIONSHIP_GRAPH_ID,
    executionHandler: async ({ jobState }) => {
      published = await jobState.getData(SERVICE_PRINCIPAL_IDS_DATA_KEY);
    },
  };
  const steps = [...integrationSteps, probe];
  await runCollection(t.config, {
    invocation: {
      integrationSteps: steps,
      getStepStartStates: () =>
        Object.fromEntries(steps.map((s) => [s.id, { disabled: false }])),
    },
  });
  expect(published).toBeInstanceOf(Set);
  expect(Array.from(published!).sort()).toEqual(
    all(t.tenant.servicePrincipalList)
      .map((sp) => sp.id as string)
      .sort(),
  );
});

test('with the applications source disabled, group members that are service principals are mapped, never lost', async () => {
  const t = await tenantFor('tiny');
  const result = await runCollection(t.config, {
    invocation: {
      getStepStartStates: () =>
        Object.fromEntries(
          integrationSteps.map((s) => [
            s.id,
            { disabled: s.ingestionSourceId === IngestionSources.APPLICATIONS },
          ]),
        ),
    },
  });
  expect(result.stepStatus(Steps.GROUP_SERVICE_PRINCIPALS.id)).toBe('success');
  const members = ofType(
    result.relationships,
    Relationships.GROUP_HAS_SERVICE_PRINCIPAL._type,
  );
  const truth = t.truth();
  expect(members.every((r) => r._mapping)).toBe(true);
  expect(members).toHaveLength(
    truth.relationships['azure_user_group|HAS|azure_service_principal'] +
      truth.mappedRelationships['azure_user_group|HAS|azure_service_principal'],
  );
  expect(ofType(result.entities, SP)).toEqual([]);
  expect(
    ofType(result.entities, Entities.GROUP_MEMBER._type).map(
      (e) => e.memberType,
    ),
  ).not.toContain('servicePrincipal');
});

test('sub-collections give the same graph with and without $batch', async () => {
  const t = await tenantFor('tiny');
  const graphs: string[][] = [];
  const saved = SUB_COLLECTION_WALK_DEFAULTS.batch;
  try {
    for (const batch of [true, false]) {
      SUB_COLLECTION_WALK_DEFAULTS.batch = batch;
      t.simulator.resetStats();
      const result = await runCollection(t.config);
      graphs.push([...keys(result.entities), ...keys(result.relationships)]);
      expect(
        t.simulator.requests.some(
          (r) => r.batchItem && r.path.includes('/appRoleAssignedTo'),
        ),
      ).toBe(batch);
    }
  } finally {
    SUB_COLLECTION_WALK_DEFAULTS.batch = saved;
  }
  expect(graphs[0]).toEqual(graphs[1]);
});

// ---- secrets ------------------------------------------------------------------------------

test('no secret value, hint or certificate body is ingested or logged, even when Graph sends them', async () => {
  const t = await tenantFor('tiny', {
    behaviour: { exposeCredentialSecrets: true },
  });
  const credentials = [
    ...all(t.tenant.servicePrincipalList),
    ...all(t.tenant.applications),
  ];
  const secrets = credentials.flatMap((o) =>
    (o.passwordCredentials as GraphObject[]).map((c) => ({
      value: credentialSecretOf(c.keyId as string),
      hint: c.hint as string,
    })),
  );
  const bodies = credentials.flatMap((o) =>
    (o.keyCredentials as GraphObject[]).map((c) =>
      certificateBodyOf(c.keyId as string),
    ),
  );
  expect(secrets.length).toBeGreaterThan(5);
  expect(bodies.length).toBeGreaterThan(5);

  // The simulator does put them on the wire.
  const token = await (
    await fetch(
      `${t.simulator.origin}/${t.tenant.tenantId}/oauth2/v2.0/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: t.config.clientId,
          client_secret: t.config.clientSecret as string,
          scope: 'https://graph.microsoft.com/.default',
          grant_type: 'client_credentials',
        }).toString(),
      },
    )
  ).json();
  const page = await (
    await fetch(
      `${t.simulator.origin}/v1.0/applications?$select=id,passwordCredentials,keyCredentials`,
      { headers: { authorization: `Bearer ${token.access_token}` } },
    )
  ).text();
  expect(secrets.some((s) => page.includes(s.value))).toBe(true);
  expect(bodies.some((b) => page.includes(b))).toBe(true);

  const result = await runCollection(t.config);
  expect(result.stepStatus(Steps.APPLICATIONS.id)).toBe('success');
  const text = await result.allText();
  expect(secrets.filter((s) => text.includes(s.value))).toEqual([]);
  // A certificate body, or any 40 characters of one.
  expect(bodies.filter((b) => text.includes(b.slice(100, 140)))).toEqual([]);
  const credentialsWritten = ofType(
    result.entities,
    Entities.APP_CREDENTIAL._type,
  );
  expect(credentialsWritten.length).toBe(
    expectedCredentialKeys(t.tenant).length,
  );
  const hints = new Set(secrets.map((s) => s.hint));
  for (const entity of credentialsWritten as Entity[]) {
    expect(
      Object.entries(entity).filter(
        ([property, value]) =>
          /^(hint|secretText|key|material)$/i.test(property) ||
          (typeof value === 'string' && hints.has(value)),
      ),
    ).toEqual([]);
  }
  for (const relationship of result.relationships as Relationship[]) {
    expect(
      Object.keys(relationship).filter((p) => /hint|secret|material/i.test(p)),
    ).toEqual([]);
  }
});
