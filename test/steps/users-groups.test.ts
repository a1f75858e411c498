/**
 * The users-groups step module end to end: the whole integration runs
 * in-process against the Graph simulator, through the real credential and
 * Graph client, and what it wrote is compared with the generated tenant.
 */
import { Entity, Relationship } from '@jupiterone/integration-sdk-core';
import { IntegrationLogger } from '@jupiterone/integration-sdk-runtime';
import {
  GROUP_MEMBER_WALK_DEFAULTS,
  GROUP_SELECT,
  USER_SELECT,
} from '../../src/graph/directory';
import { integrationSteps } from '../../src/steps';
import {
  Entities,
  MappedRelationships,
  Relationships,
  Steps,
} from '../../src/steps/constants';
import { TenantData } from '../graph-simulator/tenant/model';
import { CollectionResult, runCollection } from '../support/collect';
import { countGraph, expectedCounts } from '../support/graph-counts';
import { ALL_ROLES, closingTestTenants, TestTenant } from '../support/tenant';
import { relationshipKey } from '../../src/steps/graph-objects';

jest.setTimeout(180_000);

const DIRECTORY_STEPS: string[] = [
  Steps.ACCOUNT.id,
  Steps.USERS.id,
  Steps.GROUPS.id,
  Steps.GROUP_MEMBERS.id,
  Steps.GROUP_SERVICE_PRINCIPALS.id,
];

/** Runs the integration; `directoryOnly` disables every step but the account and this module. */
function collect(
  tenant: TestTenant,
  options: { directoryOnly?: boolean } = {},
): Promise<CollectionResult> {
  return runCollection(tenant.config, {
    invocation: options.directoryOnly
      ? {
          getStepStartStates: () =>
            Object.fromEntries(
              integrationSteps.map((step) => [
                step.id,
                { disabled: !DIRECTORY_STEPS.includes(step.id) },
              ]),
            ),
        }
      : {},
  });
}

const tenantFor = closingTestTenants();
afterEach(() => {
  jest.restoreAllMocks();
});

// ---- what the tenant says the module must produce ------------------------------------

const GROUP_HAS_USER = 'azure_user_group|HAS|azure_user';
const GROUP_HAS_GROUP = 'azure_user_group|HAS|azure_user_group';
const GROUP_HAS_MEMBER = 'azure_user_group|HAS|azure_group_member';

interface DirectoryModel {
  userKeys: string[];
  groupKeys: string[];
  /** azure_group_member key -> memberType */
  memberTypes: Map<string, string>;
  /** relationship key -> ground-truth key of its kind */
  direct: Map<string, string>;
  mapped: Map<string, string>;
  /** group HAS service principal relationship key -> the service principal's id */
  servicePrincipalMembers: Map<string, string>;
}

/**
 * The rules of docs/data-model-rules.md applied to the tenant's raw data:
 * every distinct (group, member id) is one relationship.
 */
function directoryModel(
  tenant: TenantData,
  options: { withoutGroups?: string[]; usersCollected?: boolean } = {},
): DirectoryModel {
  const ids = (c: TenantData['users']) =>
    Array.from({ length: c.count }, (_, i) => c.get(i).id as string);
  const userKeys = ids(tenant.users);
  const groupKeys = ids(tenant.groups);
  const users = new Set(options.usersCollected === false ? [] : userKeys);
  const groups = new Set(groupKeys);
  const model: DirectoryModel = {
    userKeys,
    groupKeys,
    memberTypes: new Map(),
    direct: new Map(),
    mapped: new Map(),
    servicePrincipalMembers: new Map(),
  };
  for (const groupId of groupKeys) {
    if (options.withoutGroups?.includes(groupId)) continue;
    for (const memberId of new Set(tenant.groupMemberIds(groupId))) {
      const type = tenant.directoryObjectType(memberId) ?? 'directoryObject';
      const key = relationshipKey(`${groupId}|has|${memberId}`);
      if (type === 'user') {
        (users.has(memberId) ? model.direct : model.mapped).set(
          key,
          GROUP_HAS_USER,
        );
      } else if (type === 'group') {
        (groups.has(memberId) ? model.direct : model.mapped).set(
          key,
          GROUP_HAS_GROUP,
        );
      } else if (type === 'servicePrincipal') {
        model.servicePrincipalMembers.set(
          relationshipKey(`${groupId}|has|${memberId}|servicePrincipal`),
          memberId,
        );
      } else {
        model.memberTypes.set(memberId, type);
        model.direct.set(key, GROUP_HAS_MEMBER);
      }
    }
  }
  return model;
}

function ofType(result: CollectionResult, _type: string): Entity[] {
  return result.entities.filter((e) => e._type === _type);
}

function keysOf(objects: { _key: unknown }[]): string[] {
  return objects.map((o) => o._key as string).sort();
}

const GROUP_RELATIONSHIP_TYPES = [
  Relationships.GROUP_HAS_USER._type,
  Relationships.GROUP_HAS_GROUP._type,
  Relationships.GROUP_HAS_MEMBER._type,
];

function groupRelationships(
  result: CollectionResult,
  mapped: boolean,
): Relationship[] {
  return result.relationships.filter(
    (r) =>
      GROUP_RELATIONSHIP_TYPES.includes(r._type) &&
      Boolean(r._mapping) === mapped,
  );
}

/** The ground-truth keys of this module. */
const DIRECTORY_KEYS = [
  'azure_user',
  'azure_user_group',
  'azure_group_member',
  'microsoft_365_account|HAS|azure_user',
  'microsoft_365_account|HAS|azure_user_group',
  GROUP_HAS_USER,
  GROUP_HAS_GROUP,
  GROUP_HAS_MEMBER,
];

/** Directory entries of the ground truth and of what was collected, keyed alike. */
function directoryCounts(result: CollectionResult, tenant: TestTenant) {
  const directory = (r: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(r).filter(([k]) => DIRECTORY_KEYS.includes(k)),
    );
  const counts = countGraph(result.entities, result.relationships);
  const expected = expectedCounts(tenant.truth());
  return {
    actual: {
      entities: directory(counts.entities),
      relationships: directory(counts.relationships),
      mappedRelationships: directory(counts.mappedRelationships),
      duplicateKeys: counts.duplicateKeys,
    },
    expected: {
      entities: directory(expected.entities),
      relationships: directory(expected.relationships),
      mappedRelationships: directory(expected.mappedRelationships),
      duplicateKeys: [],
    },
  };
}

function expectExactDirectory(
  result: CollectionResult,
  tenant: TestTenant,
  model: DirectoryModel,
) {
  // Counts per type against the simulator's ground truth.
  const { actual, expected } = directoryCounts(result, tenant);
  expect(actual).toEqual(expected);
  // Exact keys against the tenant's objects.
  expect(keysOf(ofType(result, Entities.USER._type))).toEqual(
    [...model.userKeys].sort(),
  );
  expect(keysOf(ofType(result, Entities.GROUP._type))).toEqual(
    [...model.groupKeys].sort(),
  );
  const members = ofType(result, Entities.GROUP_MEMBER._type);
  expect(keysOf(members)).toEqual(Array.from(model.memberTypes.keys()).sort());
  for (const member of members) {
    expect({ key: member._key, memberType: member.memberType }).toEqual({
      key: member._key,
      memberType: model.memberTypes.get(member._key),
    });
  }
  expect(keysOf(groupRelationships(result, false))).toEqual(
    Array.from(model.direct.keys()).sort(),
  );
  expect(keysOf(groupRelationships(result, true))).toEqual(
    Array.from(model.mapped.keys()).sort(),
  );
  // Service principal members: direct to the service principals this run
  // collected (none when their step did not run), mapped otherwise.
  const collected = new Set(
    keysOf(ofType(result, Entities.SERVICE_PRINCIPAL._type)),
  );
  const servicePrincipalRelationships = (mapped: boolean) =>
    keysOf(
      result.relationships.filter(
        (r) =>
          r._type === Relationships.GROUP_HAS_SERVICE_PRINCIPAL._type &&
          Boolean(r._mapping) === mapped,
      ),
    );
  const expectedKeys = (mapped: boolean) =>
    Array.from(model.servicePrincipalMembers)
      .filter(([, id]) => collected.has(id) !== mapped)
      .map(([key]) => key)
      .sort();
  expect(model.servicePrincipalMembers.size).toBeGreaterThan(0);
  expect(servicePrincipalRelationships(false)).toEqual(expectedKeys(false));
  expect(servicePrincipalRelationships(true)).toEqual(expectedKeys(true));
}

function memberTypeCounts(model: DirectoryModel): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of model.memberTypes.values())
    counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Records every event the integration publishes (warn events are not logged). */
function captureEvents(): {
  name: string;
  level?: string;
  description: string;
}[] {
  const events: { name: string; level?: string; description: string }[] = [];
  const original = IntegrationLogger.prototype.publishEvent;
  jest
    .spyOn(IntegrationLogger.prototype, 'publishEvent')
    .mockImplementation(function (this: IntegrationLogger, event) {
      events.push(
        event as { name: string; level?: string; description: string },
      );
      return original.call(this, event);
    });
  return events;
}

function warnings(result: CollectionResult): string[] {
  return result.logs.filter((l) => l.level === 40).map((l) => l.msg);
}

function stepError(
  result: CollectionResult,
  stepName: string,
): string | undefined {
  const record = result.logs.find((l) =>
    l.msg.startsWith(`Step "${stepName}" failed to complete due to error.`),
  );
  return (record?.err as { message?: string } | undefined)?.message;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const SIGN_IN_PERMISSION_WARNING =
  "Users are ingested without signInActivity (last sign-in times): grant the Microsoft Graph application permission AuditLog.Read.All to read users' sign-in activity, then grant admin consent.";
const SIGN_IN_LICENCE_WARNING =
  'Users are ingested without signInActivity (last sign-in times): Microsoft Graph answered Authentication_RequestFromNonPremiumTenantOrB2CTenant, the tenant has no Microsoft Entra ID P1 or P2 licence. Sign-in activity is collected once it has one.';
const MEMBER_DETAILS_WARNING =
  'Group members that are devices or organizational contacts may be ingested with their id and type only: grant the Microsoft Graph application permission Directory.Read.All to read group members that are devices or contacts, then grant admin consent.';
const GROUPS_GRANT =
  'grant the Microsoft Graph application permission GroupMember.Read.All (or Group.Read.All, Directory.Read.All) to read groups and their members, then grant admin consent';

const MODULE_TYPES = [
  Entities.USER._type,
  Entities.GROUP._type,
  Entities.GROUP_MEMBER._type,
  Relationships.ACCOUNT_HAS_USER._type,
  Relationships.ACCOUNT_HAS_GROUP._type,
  ...GROUP_RELATIONSHIP_TYPES,
  Relationships.GROUP_HAS_SERVICE_PRINCIPAL._type,
];

function usersRequests(tenant: TestTenant) {
  // The list's pages, not the count the completeness guard asks for.
  return tenant.simulator.requests.filter(
    (r) =>
      r.path.startsWith('/v1.0/users') && !r.path.startsWith('/v1.0/users/$count'),
  );
}

// ---- a healthy tenant --------------------------------------------------------------

describe.each(['tiny', 'S'] as const)('the %s tenant', (profile) => {
  test('users, groups, every member type and relationship, exactly', async () => {
    const tenant = await tenantFor(profile);
    const events = captureEvents();
    const result = await collect(tenant);
    const model = directoryModel(tenant.tenant);

    for (const step of DIRECTORY_STEPS)
      expect([step, result.stepStatus(step)]).toEqual([step, 'success']);
    expectExactDirectory(result, tenant, model);
    // Every member kind and both mapped kinds occur (group 0 holds one of
    // each); service principals are not azure_group_members.
    expect(Object.keys(memberTypeCounts(model)).sort()).toEqual([
      'device',
      'directoryObject',
      'orgContact',
    ]);
    expect(model.mapped.size).toBeGreaterThan(0);
    expect(
      memberTypeCounts({
        ...model,
        memberTypes: new Map(
          ofType(result, Entities.GROUP_MEMBER._type).map((e) => [
            e._key,
            e.memberType as string,
          ]),
        ),
      }),
    ).toEqual(memberTypeCounts(model));
    // Nothing is missing, so nothing is warned about.
    expect(
      warnings(result).filter((w) => /signInActivity|Group members/.test(w)),
    ).toEqual([]);
    expect(events.filter((e) => e.level === 'warn')).toEqual([]);
    // One line of counts at the end of the step.
    const done = result.logs.find((l) => l.msg === 'Fetch Group Members: done');
    expect(
      (done?.counts as Record<string, number>)[
        Relationships.GROUP_HAS_MEMBER._type
      ],
    ).toBe(
      Array.from(model.direct.values()).filter((k) => k === GROUP_HAS_MEMBER)
        .length,
    );
  });
});

test('user properties follow Graph: email, account state, sign-in times', async () => {
  const tenant = await tenantFor('tiny');
  const result = await collect(tenant, { directoryOnly: true });
  const byKey = new Map(
    ofType(result, Entities.USER._type).map((e) => [e._key, e]),
  );
  for (let i = 0; i < tenant.tenant.users.count; i++) {
    const user = tenant.tenant.users.get(i) as Record<string, any>;
    const entity = byKey.get(user.id)!;
    const signIn = user.signInActivity;
    expect({
      email: entity.email,
      active: entity.active,
      userType: entity.userType,
      username: entity.username,
      onPremisesSyncEnabled: entity.onPremisesSyncEnabled,
      lastSignInOn: entity.lastSignInOn,
      createdOn: entity.createdOn,
    }).toEqual({
      email: user.mail ? user.mail.toLowerCase() : undefined,
      active: user.accountEnabled,
      userType: user.userType,
      username: user.userPrincipalName,
      onPremisesSyncEnabled: user.onPremisesSyncEnabled ?? undefined,
      lastSignInOn: signIn ? Date.parse(signIn.lastSignInDateTime) : undefined,
      createdOn: Date.parse(user.createdDateTime),
    });
    expect('email' in entity).toBe(Boolean(user.mail));
  }
  // The generator's fixed cases: a user without a mailbox, a disabled user, a guest.
  expect(
    byKey.get(tenant.tenant.users.get(3).id as string)!.email,
  ).toBeUndefined();
  expect(byKey.get(tenant.tenant.users.get(2).id as string)!.active).toBe(
    false,
  );
  expect(byKey.get(tenant.tenant.users.get(1).id as string)!.userType).toBe(
    'Guest',
  );
  // The one request asked for exactly the selected properties, 120 at a time.
  expect(usersRequests(tenant).map((r) => r.path)).toEqual([
    `/v1.0/users?$select=${[...USER_SELECT, 'signInActivity'].join(
      ',',
    )}&$top=120`,
  ]);
  const groupsRequest = tenant.simulator.requests.find(
    (r) =>
      r.path.startsWith('/v1.0/groups') &&
      !r.path.startsWith('/v1.0/groups/$count'),
  );
  expect(groupsRequest?.path).toBe(
    `/v1.0/groups?$select=${GROUP_SELECT.join(',')}&$top=999`,
  );
});

// ---- paging ------------------------------------------------------------------------

describe('paging', () => {
  // 1,300 users; group 0 lists 1,074 member slots (two pages of 999).
  const PAGED = {
    directory: { users: 1300, groups: 6, averageMembersPerGroup: 400 },
  };

  test('users in pages of 120 with signInActivity, members over two pages, Graph repeating a page', async () => {
    const tenant = await tenantFor('tiny', { profile: PAGED });
    const firstGroup = tenant.tenant.groups.get(0).id as string;
    expect(tenant.tenant.groupMemberIds(firstGroup)!.length).toBeGreaterThan(
      999,
    );
    // Graph repeats the items of the first members page on the next one.
    tenant.simulator.addFault({
      match: { pathIncludes: `/groups/${firstGroup}/members`, pageNumber: 1 },
      respond: { kind: 'duplicatePage' },
    });
    const result = await collect(tenant, { directoryOnly: true });

    expectExactDirectory(result, tenant, directoryModel(tenant.tenant));
    const users = usersRequests(tenant);
    expect(users).toHaveLength(Math.ceil(1300 / 120));
    expect(
      users.every((r) => r.status === 200 && r.path.includes('$top=120')),
    ).toBe(true);
    expect(users.every((r) => r.path.includes('signInActivity'))).toBe(true);
    const memberPages = tenant.simulator.requests.filter((r) =>
      r.path.startsWith(`/beta/groups/${firstGroup}/members`),
    );
    expect(memberPages.length).toBeGreaterThanOrEqual(3);
    expect(
      ofType(result, Entities.USER._type).filter((u) => u.lastSignInOn).length,
    ).toBe(
      Array.from({ length: 1300 }, (_, i) => tenant.tenant.users.get(i)).filter(
        (u) =>
          (u.signInActivity as { lastSignInDateTime?: string } | null)
            ?.lastSignInDateTime,
      ).length,
    );
  });

  test('without signInActivity, users come 999 to a page', async () => {
    const tenant = await tenantFor('tiny', {
      profile: PAGED,
      roles: ALL_ROLES.filter((r) => r !== 'AuditLog.Read.All'),
    });
    const result = await collect(tenant, { directoryOnly: true });
    expectExactDirectory(result, tenant, directoryModel(tenant.tenant));
    expect(
      usersRequests(tenant).map((r) => [r.status, /\$top=999/.test(r.path)]),
    ).toEqual([
      [200, true],
      [200, true],
    ]);
  });
});

// ---- signInActivity refused ----------------------------------------------------------

describe('signInActivity', () => {
  test.each(['new', 'old'] as const)(
    'a tenant without Entra ID P1/P2 (%s wording): users without sign-in times, and a warning',
    async (wording) => {
      const tenant = await tenantFor('tiny', {
        profile: { premium: false },
        behaviour: { licenceErrorWording: wording },
      });
      const events = captureEvents();
      const result = await collect(tenant);

      expect(result.stepStatus(Steps.USERS.id)).toBe('success');
      expectExactDirectory(result, tenant, directoryModel(tenant.tenant));
      expect(
        ofType(result, Entities.USER._type).filter((u) => 'lastSignInOn' in u),
      ).toEqual([]);
      expect(warnings(result)).toContain(SIGN_IN_LICENCE_WARNING);
      expect(events).toContainEqual({
        name: 'warn_missing_permission',
        level: 'warn',
        description: SIGN_IN_LICENCE_WARNING,
      });
      // The first page was refused, then read without signInActivity.
      expect(
        usersRequests(tenant).map((r) => [
          r.status,
          r.path.includes('signInActivity'),
        ]),
      ).toEqual([
        [403, true],
        [200, false],
      ]);
    },
  );

  test('an app without AuditLog.Read.All: no request for signInActivity, and a warning', async () => {
    const tenant = await tenantFor('tiny', {
      roles: ALL_ROLES.filter((r) => r !== 'AuditLog.Read.All'),
    });
    const events = captureEvents();
    const result = await collect(tenant);

    expect(result.stepStatus(Steps.USERS.id)).toBe('success');
    expectExactDirectory(result, tenant, directoryModel(tenant.tenant));
    expect(
      ofType(result, Entities.USER._type).filter((u) => 'lastSignInOn' in u),
    ).toEqual([]);
    expect(warnings(result)).toContain(SIGN_IN_PERMISSION_WARNING);
    expect(events).toContainEqual({
      name: 'warn_missing_permission',
      level: 'warn',
      description: SIGN_IN_PERMISSION_WARNING,
    });
    expect(
      usersRequests(tenant).map((r) => [
        r.status,
        r.path.includes('signInActivity'),
      ]),
    ).toEqual([[200, false]]);
  });

  test('Graph says AuditLog.Read.All is missing although the token has it: the same warning', async () => {
    const tenant = await tenantFor('tiny');
    tenant.simulator.addFault({
      match: { pathIncludes: 'signInActivity' },
      respond: {
        status: 403,
        code: 'Authentication_MSGraphPermissionMissing',
        message:
          'Calling principal does not have required MSGraph permissions AuditLog.Read.All',
      },
    });
    const result = await collect(tenant, { directoryOnly: true });
    expect(result.stepStatus(Steps.USERS.id)).toBe('success');
    expectExactDirectory(result, tenant, directoryModel(tenant.tenant));
    expect(warnings(result)).toContain(SIGN_IN_PERMISSION_WARNING);
  });

  test('a refusal after the first page fails the step instead of reading users twice', async () => {
    const tenant = await tenantFor('tiny', {
      profile: { directory: { users: 130 } },
    });
    tenant.simulator.addFault({
      match: { pathIncludes: 'signInActivity', pageNumber: 2 },
      respond: {
        status: 403,
        code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        message: "Tenant is not a B2C tenant and doesn't have premium license",
      },
    });
    const result = await collect(tenant, { directoryOnly: true });
    expect(result.stepStatus(Steps.USERS.id)).toBe('failure');
    expect(stepError(result, Steps.USERS.name)).toMatch(
      /failed with 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant: Tenant is not a B2C tenant and doesn't have premium license/,
    );
    expect(result.summary.metadata.partialDatasets.types).toEqual(
      expect.arrayContaining([
        Entities.USER._type,
        Relationships.ACCOUNT_HAS_USER._type,
      ]),
    );
    expect(warnings(result)).not.toContain(SIGN_IN_LICENCE_WARNING);
  });
});

// ---- failures ----------------------------------------------------------------------

describe('permissions and failures', () => {
  test('a 403 on /groups fails the groups steps, names the permission, keeps their data partial; the rest succeeds', async () => {
    const tenant = await tenantFor('tiny');
    tenant.simulator.addFault({
      match: { pathIncludes: '/v1.0/groups' },
      respond: { status: 403 },
    });
    const result = await collect(tenant);

    expect(result.stepStatus(Steps.GROUPS.id)).toBe('failure');
    expect(result.stepStatus(Steps.GROUP_MEMBERS.id)).toBe(
      'partial_success_due_to_dependency_failure',
    );
    // Not every group was listed: which service principals are members is unknown.
    expect(result.stepStatus(Steps.GROUP_SERVICE_PRINCIPALS.id)).toBe(
      'failure',
    );
    const others = result.summary.integrationStepResults.filter(
      (r) =>
        r.id !== Steps.GROUPS.id &&
        r.id !== Steps.GROUP_MEMBERS.id &&
        r.id !== Steps.GROUP_SERVICE_PRINCIPALS.id,
    );
    expect(others.length).toBeGreaterThan(3);
    for (const step of others)
      expect([step.id, step.status]).toEqual([step.id, 'success']);
    expect(stepError(result, Steps.GROUPS.name)).toMatch(
      new RegExp(
        `^${escape(
          `Microsoft Graph GET ${
            tenant.simulator.origin
          }/v1.0/groups?$select=${GROUP_SELECT.join(
            ',',
          )}&$top=999 failed with 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.`,
        )} \\(request-id [0-9a-f-]{36}\\)\\. ${escape(
          `To fix it, ${GROUPS_GRANT}.`,
        )}$`,
      ),
    );
    expect(result.summary.metadata.partialDatasets.types).toEqual(
      expect.arrayContaining([
        Entities.GROUP._type,
        Relationships.ACCOUNT_HAS_GROUP._type,
        Entities.GROUP_MEMBER._type,
        ...GROUP_RELATIONSHIP_TYPES,
      ]),
    );
    expect(result.summary.metadata.partialDatasets.types).not.toContain(
      Entities.USER._type,
    );
    expect(ofType(result, Entities.USER._type)).toHaveLength(
      tenant.tenant.users.count,
    );
    expect(ofType(result, Entities.GROUP._type)).toEqual([]);
  });

  test('without a groups permission the steps fail before any request, naming it', async () => {
    const tenant = await tenantFor('tiny', {
      roles: ALL_ROLES.filter(
        (r) => r !== 'GroupMember.Read.All' && r !== 'Directory.Read.All',
      ),
    });
    const result = await collect(tenant);

    expect(result.stepStatus(Steps.GROUPS.id)).toBe('failure');
    expect(result.stepStatus(Steps.GROUP_MEMBERS.id)).toBe('failure');
    expect(stepError(result, Steps.GROUPS.name)).toBe(
      `Fetch Groups cannot run: ${GROUPS_GRANT}. The previous data of this step is kept until then.`,
    );
    expect(stepError(result, Steps.GROUP_MEMBERS.name)).toBe(
      `Fetch Group Members cannot run: ${GROUPS_GRANT}. The previous data of this step is kept until then.`,
    );
    expect(result.stepStatus(Steps.GROUP_SERVICE_PRINCIPALS.id)).toBe(
      'failure',
    );
    expect(
      tenant.simulator.requests.filter((r) => r.path.includes('/groups')),
    ).toEqual([]);
    for (const type of [
      Entities.GROUP._type,
      Entities.GROUP_MEMBER._type,
      ...GROUP_RELATIONSHIP_TYPES,
    ]) {
      expect(result.summary.metadata.partialDatasets.types).toContain(type);
    }
    // Delegated permission grants need Directory.Read.All, removed here too.
    expect(result.stepStatus(Steps.DELEGATED_PERMISSIONS.id)).toBe('failure');
    const others = result.summary.integrationStepResults.filter(
      (r) =>
        r.id !== Steps.GROUPS.id &&
        r.id !== Steps.GROUP_MEMBERS.id &&
        r.id !== Steps.GROUP_SERVICE_PRINCIPALS.id &&
        r.id !== Steps.DELEGATED_PERMISSIONS.id,
    );
    for (const step of others)
      expect([step.id, step.status]).toEqual([step.id, 'success']);
    expect(ofType(result, Entities.USER._type)).toHaveLength(
      tenant.tenant.users.count,
    );
  });

  test('when /users fails, every user member is still recorded, as a mapped relationship', async () => {
    const tenant = await tenantFor('tiny');
    tenant.simulator.addFault({
      match: { pathIncludes: '/v1.0/users' },
      respond: { status: 403 },
    });
    const result = await collect(tenant, { directoryOnly: true });

    expect(result.stepStatus(Steps.USERS.id)).toBe('failure');
    expect(stepError(result, Steps.USERS.name)).toMatch(
      /failed with 403 Authorization_RequestDenied: .* To fix it, grant the Microsoft Graph application permission User\.Read\.All \(or Directory\.Read\.All\) to read users, then grant admin consent\.$/,
    );
    expect(result.stepStatus(Steps.GROUP_MEMBERS.id)).toBe(
      'partial_success_due_to_dependency_failure',
    );
    const model = directoryModel(tenant.tenant, { usersCollected: false });
    expect(ofType(result, Entities.USER._type)).toEqual([]);
    expect(keysOf(groupRelationships(result, false))).toEqual(
      Array.from(model.direct.keys()).sort(),
    );
    expect(keysOf(groupRelationships(result, true))).toEqual(
      Array.from(model.mapped.keys()).sort(),
    );
    const mappedUsers = groupRelationships(result, true).filter(
      (r) =>
        r._type === MappedRelationships.GROUP_HAS_USER._type &&
        (r._mapping as any).targetEntity._type === 'azure_user',
    );
    expect(mappedUsers.length).toBe(
      Array.from(model.mapped.values()).filter((k) => k === GROUP_HAS_USER)
        .length,
    );
    expect(
      countGraph(result.entities, result.relationships).duplicateKeys,
    ).toEqual([]);
  });

  test('a 403 on one member list fails the members step: never an empty list', async () => {
    const tenant = await tenantFor('tiny');
    const refused = tenant.tenant.groups.get(2).id as string;
    tenant.simulator.addFault({
      match: { pathIncludes: `/groups/${refused}/members` },
      respond: { status: 403 },
    });
    const result = await collect(tenant, { directoryOnly: true });

    expect(result.stepStatus(Steps.GROUP_MEMBERS.id)).toBe('failure');
    expect(stepError(result, Steps.GROUP_MEMBERS.name)).toMatch(
      new RegExp(
        `^${escape(
          `Microsoft Graph GET ${tenant.simulator.origin}/beta/groups/${refused}/members?$select=`,
        )}.* failed with 403 Authorization_RequestDenied: .* ${escape(
          `To fix it, ${GROUPS_GRANT}.`,
        )}$`,
      ),
    );
    expect(result.summary.metadata.partialDatasets.types).toEqual(
      expect.arrayContaining([
        Entities.GROUP_MEMBER._type,
        ...GROUP_RELATIONSHIP_TYPES,
      ]),
    );
    expect(result.stepStatus(Steps.USERS.id)).toBe('success');
    expect(result.stepStatus(Steps.GROUPS.id)).toBe('success');
  });

  test('a group deleted between /groups and its member list is logged, counted and skipped', async () => {
    const tenant = await tenantFor('tiny');
    const deleted = tenant.tenant.groups.get(1).id as string;
    tenant.simulator.addFault({
      match: { pathIncludes: `/groups/${deleted}/members` },
      respond: {
        status: 404,
        code: 'Request_ResourceNotFound',
        message: `Resource '${deleted}' does not exist or one of its queried reference-property objects are not present.`,
      },
    });
    const result = await collect(tenant, { directoryOnly: true });

    expect(result.stepStatus(Steps.GROUP_MEMBERS.id)).toBe('success');
    const model = directoryModel(tenant.tenant, { withoutGroups: [deleted] });
    expect(keysOf(ofType(result, Entities.GROUP_MEMBER._type))).toEqual(
      Array.from(model.memberTypes.keys()).sort(),
    );
    expect(keysOf(groupRelationships(result, false))).toEqual(
      Array.from(model.direct.keys()).sort(),
    );
    expect(keysOf(groupRelationships(result, true))).toEqual(
      Array.from(model.mapped.keys()).sort(),
    );
    expect(
      result.logs
        .filter(
          (l) =>
            l.msg ===
            'A group listed by /groups no longer exists (404); its members are skipped',
        )
        .map((l) => l.groupId),
    ).toEqual([deleted]);
    const done = result.logs.find((l) => l.msg === 'Fetch Group Members: done');
    expect(
      (done?.counts as Record<string, number>).groupsDeletedBeforeMemberListing,
    ).toBe(1);
  });

  test('without Directory.Read.All, other members arrive as id + type: still ingested, with a warning', async () => {
    const tenant = await tenantFor('tiny', {
      roles: ALL_ROLES.filter((r) => r !== 'Directory.Read.All'),
    });
    const events = captureEvents();
    const result = await collect(tenant, { directoryOnly: true });

    expect(result.stepStatus(Steps.GROUP_MEMBERS.id)).toBe('success');
    expectExactDirectory(result, tenant, directoryModel(tenant.tenant));
    for (const member of ofType(result, Entities.GROUP_MEMBER._type)) {
      expect(member.displayName).toBe(member._key);
      expect(member.deviceId ?? member.appId ?? member.mail).toBeUndefined();
    }
    expect(warnings(result)).toContain(MEMBER_DETAILS_WARNING);
    expect(events).toContainEqual({
      name: 'warn_missing_permission',
      level: 'warn',
      description: MEMBER_DETAILS_WARNING,
    });
  });
});

test('member lists give the same graph with and without $batch', async () => {
  const tenant = await tenantFor('tiny');
  const graphs: string[][] = [];
  const saved = GROUP_MEMBER_WALK_DEFAULTS.batch;
  try {
    for (const batch of [true, false]) {
      GROUP_MEMBER_WALK_DEFAULTS.batch = batch;
      tenant.simulator.resetStats();
      const result = await collect(tenant, { directoryOnly: true });
      expectExactDirectory(result, tenant, directoryModel(tenant.tenant));
      graphs.push([
        ...keysOf(result.entities),
        ...keysOf(result.relationships),
      ]);
      expect(
        tenant.simulator.stats().endpoints['POST /$batch']?.requests ?? 0,
      ).toBe(batch ? Math.ceil(tenant.tenant.groups.count / 20) : 0);
    }
  } finally {
    GROUP_MEMBER_WALK_DEFAULTS.batch = saved;
  }
  expect(graphs[0]).toEqual(graphs[1]);
});

test('the declared types are exactly what the module produces', () => {
  const steps = integrationSteps.filter((s) =>
    DIRECTORY_STEPS.slice(1).includes(s.id),
  );
  const declared = new Set(
    steps.flatMap((s) => [
      ...s.entities.map((e) => e._type),
      ...s.relationships.map((r) => r._type),
    ]),
  );
  expect(Array.from(declared).sort()).toEqual([...MODULE_TYPES].sort());
  expect(steps.map((s) => [s.id, s.dependsOn, s.ingestionSourceId])).toEqual([
    [Steps.USERS.id, [Steps.ACCOUNT.id], 'users-groups'],
    [Steps.GROUPS.id, [Steps.ACCOUNT.id], 'users-groups'],
    [Steps.GROUP_MEMBERS.id, [Steps.USERS.id, Steps.GROUPS.id], 'users-groups'],
    [Steps.GROUP_SERVICE_PRINCIPALS.id, undefined, 'users-groups'],
  ]);
});
