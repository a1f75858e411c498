/**
 * Privileged roles end to end against the Graph simulator: role definitions,
 * active and PIM assignments merged into one relationship each, mapped
 * principals, and every licence and permission case with what it logs.
 */
import { Relationship } from '@jupiterone/integration-sdk-core';
import { Entities, Steps } from '../../src/steps/constants';
import {
  PIM_INCOMPLETE_MESSAGE,
  PIM_LICENCE_MESSAGE,
  PIM_PERMISSION_MESSAGE,
} from '../../src/steps/roles';
import { GLOBAL_ADMINISTRATOR_TEMPLATE_ID } from '../../src/steps/roles/converters';
import { TenantData } from '../graph-simulator/tenant/model';
import { CollectionResult, onlySteps, runCollection } from '../support/collect';
import { relationshipKey as truthKeyOf } from '../support/graph-counts';
import {
  expectedRoleRelationships,
  ExpectedRelationship,
  keysAndKinds,
} from '../support/identity-model';
import { doneRecord, ofType, requestLines, warnings } from '../support/outcome';
import { ALL_ROLES, TestTenant, closingTestTenants } from '../support/tenant';

jest.setTimeout(120_000);

const tenantFor = closingTestTenants();

const ROLE_STEPS: string[] = [
  Steps.ACCOUNT.id,
  Steps.USERS.id,
  Steps.GROUPS.id,
  // Service principals are related directly once collected (issue 17).
  Steps.SERVICE_PRINCIPALS.id,
  Steps.ROLE_DEFINITIONS.id,
  Steps.ROLE_ASSIGNMENTS.id,
  Steps.ROLE_RELATIONSHIPS.id,
];

/** Only the account, users, groups and the roles module. */
function collect(tenant: TestTenant, steps = ROLE_STEPS) {
  return runCollection(tenant.config, { invocation: onlySteps(steps) });
}

const HAS_ROLE = /\|HAS\|azure_ad_role_definition$/;

function roleRelationships(result: CollectionResult): Relationship[] {
  return result.relationships.filter((r) => HAS_ROLE.test(truthKeyOf(r)));
}

function actualKinds(relationships: Relationship[]): Record<string, string> {
  return Object.fromEntries(
    relationships
      .map((r) => [
        String(r._key),
        `${truthKeyOf(r)}${r._mapping ? ' (mapped)' : ''}`,
      ])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

const PROPERTIES = [
  'assignmentType',
  'directoryScopeId',
  'tenantWide',
  'startOn',
  'endOn',
  'permanent',
  'activated',
];

function propertiesOf(r: Relationship): Record<string, unknown> {
  return Object.fromEntries(
    PROPERTIES.filter((p) => r[p] !== undefined).map((p) => [p, r[p]]),
  );
}

function expectExactRoles(
  result: CollectionResult,
  expected: Map<string, ExpectedRelationship>,
) {
  const relationships = roleRelationships(result);
  expect(actualKinds(relationships)).toEqual(keysAndKinds(expected));
  for (const r of relationships) {
    expect([r._key, propertiesOf(r)]).toEqual([
      r._key,
      expected.get(String(r._key))!.properties,
    ]);
  }
}

function roleDefinitionKeys(t: TenantData): string[] {
  return t.roleDefinitions.map((d) => d.id as string).sort();
}

describe('a tenant with Entra ID P2', () => {
  test('role definitions, and one relationship per principal, role, scope and type, exactly', async () => {
    const tenant = await tenantFor('tiny');
    const result = await collect(tenant);
    for (const step of ROLE_STEPS)
      expect([step, result.stepStatus(step)]).toEqual([step, 'success']);

    const definitions = ofType(result.entities, Entities.ROLE_DEFINITION._type);
    expect(definitions.map((d) => d._key).sort()).toEqual(
      roleDefinitionKeys(tenant.tenant),
    );
    const truth = tenant.truth();
    expect(definitions.filter((d) => d.privileged === true)).toHaveLength(
      truth.identity.privilegedRoleDefinitions,
    );
    expect(definitions.filter((d) => d.custom === true)).toHaveLength(
      truth.identity.customRoleDefinitions,
    );
    const globalAdmin = definitions.find(
      (d) => d._key === GLOBAL_ADMINISTRATOR_TEMPLATE_ID,
    )!;
    expect({
      name: globalAdmin.name,
      builtIn: globalAdmin.builtIn,
      privileged: globalAdmin.privileged,
      superAdmin: globalAdmin.superAdmin,
      templateId: globalAdmin.templateId,
    }).toEqual({
      name: 'Global Administrator',
      builtIn: true,
      privileged: true,
      superAdmin: true,
      templateId: GLOBAL_ADMINISTRATOR_TEMPLATE_ID,
    });

    const expected = expectedRoleRelationships(tenant.tenant);
    expectExactRoles(result, expected);
    const relationships = roleRelationships(result);
    // Counts per kind against the ground truth, service principals mapped on this branch.
    const count = (mapped: boolean, kind: string) =>
      relationships.filter(
        (r) => Boolean(r._mapping) === mapped && truthKeyOf(r) === kind,
      ).length;
    for (const kind of Object.keys(truth.relationships).filter((k) =>
      HAS_ROLE.test(k),
    )) {
      expect([kind, count(false, kind), count(true, kind)]).toEqual([
        kind,
        truth.relationships[kind],
        truth.mappedRelationships[kind],
      ]);
    }
    expect(
      relationships.filter((r) => r.assignmentType === 'eligible'),
    ).toHaveLength(truth.identity.eligibleAssignments);
    expect(
      relationships.filter((r) => r.assignmentType === 'active' && r.endOn),
    ).toHaveLength(truth.identity.timeBoundActiveAssignments);

    // The tenant administrator's Global Administrator role is in roleAssignments and in
    // roleAssignmentScheduleInstances (same id there): one relationship, permanent.
    const admin = tenant.tenant.users.get(0).id as string;
    const adminGlobal = relationships.filter(
      (r) =>
        r._fromEntityKey === admin &&
        r._toEntityKey === GLOBAL_ADMINISTRATOR_TEMPLATE_ID,
    );
    expect(adminGlobal.map(propertiesOf)).toEqual([
      {
        assignmentType: 'active',
        directoryScopeId: '/',
        tenantWide: true,
        permanent: true,
        activated: false,
      },
    ]);
    // An eligible Global Administrator who activated the role now: two relationships.
    const activated = relationships.find((r) => r.activated === true)!;
    expect(
      relationships
        .filter(
          (r) =>
            r._fromEntityKey === activated._fromEntityKey &&
            r._toEntityKey === activated._toEntityKey,
        )
        .map((r) => r.assignmentType)
        .sort(),
    ).toEqual(['active', 'eligible']);
    // An assignment scoped to an administrative unit.
    expect(
      relationships.filter((r) =>
        String(r.directoryScopeId).startsWith('/administrativeUnits/'),
      ),
    ).toHaveLength(1);

    // What was left out, counted: a principal Graph no longer resolves, a group member's inherited instance.
    const done = doneRecord(result, Steps.ROLE_ASSIGNMENTS);
    expect(done.skipped).toEqual({
      incompleteItems: 0,
      inheritedInstances: truth.identity.inheritedRoleInstances,
    });
    expect(
      (
        doneRecord(result, Steps.ROLE_RELATIONSHIPS).counts as Record<
          string,
          number
        >
      )['skipped: principal not found'],
    ).toBe(truth.identity.roleAssignmentsWithoutPrincipal);
    expect(warnings(result.logs)).toEqual([]);
    expect(result.logs.map((l) => l.msg)).not.toContain(PIM_LICENCE_MESSAGE);
  });

  test('paged lists, a page Graph repeats, and the PIM lists before roleAssignments give the same graph', async () => {
    const tenant = await tenantFor('tiny', {
      behaviour: { identityPageSize: 4 },
    });
    tenant.simulator.addFault({
      match: { pathIncludes: 'roleAssignmentScheduleInstances', pageNumber: 2 },
      respond: { kind: 'duplicatePage' },
    });
    const result = await collect(tenant);
    expect(result.stepStatus(Steps.ROLE_RELATIONSHIPS.id)).toBe('success');
    expectExactRoles(result, expectedRoleRelationships(tenant.tenant));
    const pages = tenant.simulator.requests.filter((r) =>
      r.path.includes('/roleManagement/directory/roleAssignments?'),
    );
    expect(pages.length).toBe(
      Math.ceil(tenant.tenant.roleAssignments.length / 4),
    );
  });

  test('the requests: beta definitions with isPrivileged, principals expanded to their type', async () => {
    const tenant = await tenantFor('tiny');
    await collect(tenant, [
      Steps.ROLE_DEFINITIONS.id,
      Steps.ROLE_ASSIGNMENTS.id,
    ]);
    const lines = requestLines(
      tenant.simulator.requests.filter((r) =>
        r.path.includes('/roleManagement/'),
      ),
    );
    // The two steps run at once: compare as sets.
    expect(lines.sort()).toEqual(
      [
        '200 /roleManagement/directory/roleDefinitions?$select=id,displayName,description,isBuiltIn,isEnabled,isPrivileged,templateId,version,resourceScopes,rolePermissions',
        '200 /roleManagement/directory/roleAssignments?$expand=principal(%24select%3Did)',
        '200 /roleManagement/directory/roleAssignmentScheduleInstances?$expand=principal(%24select%3Did)',
        '200 /roleManagement/directory/roleEligibilityScheduleInstances?$expand=principal(%24select%3Did)',
      ].sort(),
    );
    expect(
      tenant.simulator.requests
        .filter((r) => r.path.includes('roleDefinitions'))
        .map((r) => r.path.split('?')[0]),
    ).toEqual(['/beta/roleManagement/directory/roleDefinitions']);
  });
});

/** Eligible assignments exist but were not read: the active ones are written, the step fails, the types are partial. */
function expectPimUnreadable(result: CollectionResult) {
  expect(result.stepStatus(Steps.ROLE_ASSIGNMENTS.id)).toBe('success');
  expect(result.stepStatus(Steps.ROLE_RELATIONSHIPS.id)).toBe('failure');
  const failure = result.logs.find(
    (l) =>
      l.stepId === Steps.ROLE_RELATIONSHIPS.id &&
      /failed to complete/.test(l.msg),
  );
  expect((failure?.err as { message?: string }).message).toBe(
    PIM_INCOMPLETE_MESSAGE,
  );
  expect(PIM_INCOMPLETE_MESSAGE).toBe(
    'Build Role Assignment Relationships wrote the active role assignments, but not the PIM-eligible ones: grant the Microsoft Graph application permission RoleManagement.Read.Directory (or RoleManagement.Read.All) to read PIM-eligible and time-bound role assignments, then grant admin consent. Until then the previous role assignment relationships are kept as well.',
  );
  expect([...result.summary.metadata.partialDatasets.types].sort()).toEqual([
    'azure_service_principal_has_ad_role_definition',
    'azure_user_group_has_ad_role_definition',
    'azure_user_has_ad_role_definition',
  ]);
}

describe('licences and permissions', () => {
  test.each(['new', 'old'] as const)(
    'without Entra ID P2 (%s wording): one info line, active assignments only, no dates',
    async (wording) => {
      const tenant = await tenantFor('tiny', {
        profile: { identity: { premiumP2: false } },
        behaviour: { licenceErrorWording: wording },
      });
      const result = await collect(tenant);
      expect(result.stepStatus(Steps.ROLE_ASSIGNMENTS.id)).toBe('success');
      expect(result.stepStatus(Steps.ROLE_RELATIONSHIPS.id)).toBe('success');
      expect(
        result.logs
          .filter((l) => l.msg === PIM_LICENCE_MESSAGE)
          .map((l) => l.level),
      ).toEqual([30]);
      expect(warnings(result.logs)).toEqual([]);
      expectExactRoles(
        result,
        expectedRoleRelationships(tenant.tenant, { pim: false }),
      );
      expect(
        roleRelationships(result).filter(
          (r) => r.assignmentType === 'eligible',
        ),
      ).toEqual([]);
      // The first PIM list said no; the second was not asked.
      expect(
        requestLines(
          tenant.simulator.requests.filter((r) => r.path.includes('Schedule')),
        ).map((l) => l.split('?')[0]),
      ).toEqual([
        '400 /roleManagement/directory/roleAssignmentScheduleInstances',
      ]);
      expect(tenant.truth().identity.eligibleAssignments).toBe(0);
    },
  );

  test('with Directory.Read.All but not RoleManagement.Read.Directory: active assignments, a warning, and the types partial', async () => {
    const tenant = await tenantFor('tiny', {
      roles: ALL_ROLES.filter((r) => r !== 'RoleManagement.Read.Directory'),
    });
    const result = await collect(tenant);
    expectPimUnreadable(result);
    expect(PIM_PERMISSION_MESSAGE).toBe(
      'PIM-eligible and time-bound role assignments are not collected: grant the Microsoft Graph application permission RoleManagement.Read.Directory (or RoleManagement.Read.All) to read PIM-eligible and time-bound role assignments, then grant admin consent. Active role assignments are collected.',
    );
    expect(warnings(result.logs)).toEqual([PIM_PERMISSION_MESSAGE]);
    expectExactRoles(
      result,
      expectedRoleRelationships(tenant.tenant, { pim: false }),
    );
    expect(
      tenant.simulator.requests.filter((r) => r.path.includes('Schedule')),
    ).toEqual([]);
  });

  test('Graph refusing the PIM lists although the token allows them: the same warning', async () => {
    const tenant = await tenantFor('tiny');
    tenant.simulator.addFault({
      match: { pathIncludes: 'ScheduleInstances' },
      respond: { status: 403 },
    });
    const result = await collect(tenant);
    expectPimUnreadable(result);
    expect(warnings(result.logs)).toEqual([PIM_PERMISSION_MESSAGE]);
    expectExactRoles(
      result,
      expectedRoleRelationships(tenant.tenant, { pim: false }),
    );
  });

  test('when the users step fails, user principals are kept as mapped relationships', async () => {
    const tenant = await tenantFor('tiny');
    tenant.simulator.addFault({
      match: { pathIncludes: '/v1.0/users' },
      respond: { status: 403 },
    });
    const result = await collect(tenant);
    expect(result.stepStatus(Steps.USERS.id)).toBe('failure');
    expect(result.stepStatus(Steps.ROLE_RELATIONSHIPS.id)).toBe('success');
    expectExactRoles(
      result,
      expectedRoleRelationships(tenant.tenant, { usersCollected: false }),
    );
  });

  test('a role assignment list that keeps failing: the relationship step keeps the previous data', async () => {
    const tenant = await tenantFor('tiny');
    tenant.simulator.addFault({
      match: { pathIncludes: '/roleManagement/directory/roleAssignments?' },
      respond: { status: 500 },
    });
    const result = await collect(tenant);
    expect(result.stepStatus(Steps.ROLE_ASSIGNMENTS.id)).toBe('failure');
    expect(result.stepStatus(Steps.ROLE_RELATIONSHIPS.id)).toBe('failure');
    expect(roleRelationships(result)).toEqual([]);
    expect(result.summary.metadata.partialDatasets.types).toEqual(
      expect.arrayContaining([
        'azure_user_has_ad_role_definition',
        'azure_user_group_has_ad_role_definition',
        'azure_service_principal_has_ad_role_definition',
      ]),
    );
    const failure = result.logs.find(
      (l) =>
        l.stepId === Steps.ROLE_RELATIONSHIPS.id &&
        /failed to complete/.test(l.msg),
    );
    expect((failure?.err as { message?: string }).message).toBe(
      'Build Role Assignment Relationships did not run: Fetch Entra ID Role Assignments and PIM Schedules did not complete in this execution. The previous role assignment relationships are kept.',
    );
  });
});
