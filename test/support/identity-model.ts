/**
 * What the roles and Conditional Access modules must write for a generated
 * tenant, relationship by relationship (keys and properties), worked out from
 * the Graph objects the simulator serves by the rules of
 * docs/identity-security.md. The tests compare a collection with it.
 */
import { relationshipKey } from '../../src/steps/graph-objects';
import { GraphObject, TenantData } from '../graph-simulator/tenant/model';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ground-truth keys of every role and Conditional Access relationship (direct and mapped alike). */
export const IDENTITY_RELATIONSHIP_KEYS = [
  'azure_user|HAS|azure_ad_role_definition',
  'azure_user_group|HAS|azure_ad_role_definition',
  'azure_service_principal|HAS|azure_ad_role_definition',
  ...['ASSIGNED', 'ALLOWS'].flatMap((verb) =>
    [
      'azure_user',
      'azure_user_group',
      'azure_ad_role_definition',
      'azure_service_principal',
    ].map((target) => `azure_conditional_access_policy|${verb}|${target}`),
  ),
  'azure_conditional_access_policy|USES|azure_conditional_access_named_location',
];

export interface ExpectedRelationship {
  /** `${sourceType}|${CLASS}|${targetType}`, from the side of the relationship's meaning. */
  kind: string;
  mapped: boolean;
  properties: Record<string, unknown>;
}

function all(collection: { count: number; get(i: number): GraphObject }) {
  return Array.from({ length: collection.count }, (_, i) => collection.get(i));
}

/** What GET /servicePrincipals lists: what fetch-service-principals collects. */
function listedServicePrincipals(t: TenantData): Set<unknown> {
  return new Set(all(t.servicePrincipalList).map((sp) => sp.id));
}

const ms = (value: unknown) =>
  typeof value === 'string' ? Date.parse(value) : undefined;

/**
 * principal HAS role, by relationship key. `options.usersCollected` false:
 * the users step did not run; `pim` false: the PIM lists were not read.
 */
export function expectedRoleRelationships(
  t: TenantData,
  options: { usersCollected?: boolean; pim?: boolean } = {},
): Map<string, ExpectedRelationship> {
  const pim = options.pim ?? t.premiumP2;
  const users = new Set(
    options.usersCollected === false ? [] : all(t.users).map((u) => u.id),
  );
  const groups = new Set(all(t.groups).map((g) => g.id));
  const servicePrincipals = listedServicePrincipals(t);
  const merged = new Map<string, { type: string; items: GraphObject[] }>();
  const add = (
    items: GraphObject[],
    type: 'active' | 'eligible',
    dated: boolean,
  ) => {
    for (const item of items) {
      if (item.memberType && item.memberType !== 'Direct') continue;
      const key = `${item.principalId}|${item.roleDefinitionId}|${item.directoryScopeId}|${type}`;
      const entry = merged.get(key) ?? { type, items: [] };
      if (dated) entry.items.push(item);
      merged.set(key, entry);
    }
  };
  add(t.roleAssignments, 'active', false);
  if (pim) {
    add(t.roleAssignmentScheduleInstances, 'active', true);
    add(t.roleEligibilityScheduleInstances, 'eligible', true);
  }
  const expected = new Map<string, ExpectedRelationship>();
  for (const [identity, { type, items }] of merged) {
    const [principalId, roleId, scope] = identity.split('|');
    const principalType = t.directoryObjectType(principalId);
    const [entity, collected] =
      principalType === 'user'
        ? ['azure_user', users.has(principalId)]
        : principalType === 'group'
        ? ['azure_user_group', groups.has(principalId)]
        : principalType === 'servicePrincipal'
        ? ['azure_service_principal', servicePrincipals.has(principalId)]
        : [undefined, false];
    if (!entity) continue;
    const properties: Record<string, unknown> = {
      assignmentType: type,
      directoryScopeId: scope,
      tenantWide: scope === '/',
    };
    if (items.length) {
      const starts = items.map((i) => ms(i.startDateTime));
      const ends = items.map((i) => ms(i.endDateTime));
      if (!starts.includes(undefined))
        properties.startOn = Math.min(...(starts as number[]));
      if (!ends.includes(undefined))
        properties.endOn = Math.max(...(ends as number[]));
      properties.permanent = ends.includes(undefined);
      if (type === 'active')
        properties.activated = items.some(
          (i) => i.assignmentType === 'Activated',
        );
    }
    expected.set(
      relationshipKey(`${principalId}|has|${roleId}|${scope}|${type}`),
      {
        kind: `${entity}|HAS|azure_ad_role_definition`,
        mapped: !collected,
        properties,
      },
    );
  }
  return expected;
}

/** Policy ASSIGNED / ALLOWS targets and USES locations, by relationship key. */
export function expectedConditionalAccessRelationships(
  t: TenantData,
): Map<string, ExpectedRelationship> {
  const users = new Set(all(t.users).map((u) => u.id));
  const groups = new Set(all(t.groups).map((g) => g.id));
  const roles = new Set(t.roleDefinitions.map((d) => d.id));
  const servicePrincipals = listedServicePrincipals(t);
  const locations = new Set(t.namedLocations.map((l) => l.id));
  const expected = new Map<string, ExpectedRelationship>();
  for (const policy of t.premium ? t.conditionalAccessPolicies : []) {
    const id = policy.id as string;
    const c = policy.conditions as any;
    const lists: [string, string[] | undefined, string, boolean][] = [];
    for (const [verb, side] of [
      ['ASSIGNED', 'include'],
      ['ALLOWS', 'exclude'],
    ]) {
      const list = (name: string) => c.users[`${side}${name}`];
      lists.push(
        [verb, list('Users'), 'azure_user', true],
        [verb, list('Groups'), 'azure_user_group', true],
        [verb, list('Roles'), 'azure_ad_role_definition', true],
        [
          verb,
          c.clientApplications?.[`${side}ServicePrincipals`],
          'azure_service_principal',
          true,
        ],
      );
    }
    for (const [verb, ids, entity] of lists) {
      for (const target of new Set(ids ?? [])) {
        if (!GUID.test(target)) continue;
        const collected =
          entity === 'azure_user'
            ? users.has(target)
            : entity === 'azure_user_group'
            ? groups.has(target)
            : entity === 'azure_ad_role_definition'
            ? roles.has(target)
            : servicePrincipals.has(target);
        expected.set(relationshipKey(`${id}|${verb.toLowerCase()}|${target}`), {
          kind: `azure_conditional_access_policy|${verb}|${entity}`,
          mapped: !collected,
          properties: {},
        });
      }
    }
    for (const condition of ['include', 'exclude']) {
      for (const location of new Set<string>(
        c.locations?.[`${condition}Locations`] ?? [],
      )) {
        if (!GUID.test(location)) continue;
        expected.set(relationshipKey(`${id}|uses|${location}|${condition}`), {
          kind: 'azure_conditional_access_policy|USES|azure_conditional_access_named_location',
          mapped: !locations.has(location),
          properties: { locationCondition: condition },
        });
      }
    }
  }
  return expected;
}

/** The expected relationships of the given kinds as {key: {kind, mapped}} (no properties). */
export function keysAndKinds(
  expected: Map<string, ExpectedRelationship>,
): Record<string, string> {
  return Object.fromEntries(
    Array.from(expected, ([key, e]) => [
      key,
      `${e.kind}${e.mapped ? ' (mapped)' : ''}`,
    ]).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}
