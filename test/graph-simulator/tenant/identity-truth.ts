/**
 * Ground truth of roles, MFA registration and Conditional Access (issue 16),
 * counted from the generator's own specs by the rules of
 * docs/identity-security.md:
 *
 * - one principal HAS role per (principal, role, scope, active|eligible);
 *   direct when the principal is a listed user or group, mapped for a user
 *   deleted since /users was read; no relationship for a principal Graph no
 *   longer resolves, nor for a group member's inherited PIM instance;
 *   eligible ones only with P2;
 * - policy ASSIGNED (included) / ALLOWS (excluded) target per distinct
 *   object id of each list; keywords are properties; mapped for deleted
 *   users, groups and roles; policy USES named location likewise;
 *   nothing of Conditional Access without P1/P2 (Graph refuses to list it).
 */
import { ConditionalAccess } from './conditional-access';
import { Directory, MemberType } from './directory';
import { GraphObject, IdentityTruth } from './model';
import { TenantProfile } from './profiles';
import { RegistrationReport } from './registration';
import { Roles } from './roles';

export interface IdentityParts {
  profile: TenantProfile;
  directory: Directory;
  roles: Roles;
  registration: RegistrationReport;
  conditionalAccess: ConditionalAccess;
}

type Inc = (record: Record<string, number>, key: string, by?: number) => void;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function countIdentity(
  parts: IdentityParts,
  entities: Record<string, number>,
  relationships: Record<string, number>,
  mapped: Record<string, number>,
  inc: Inc,
): IdentityTruth {
  const { profile, directory, roles, registration, conditionalAccess } = parts;
  const premium = profile.premium;
  const p2 = premium && profile.identity.premiumP2;
  const truth: IdentityTruth = {
    usersMfaRegistered: 0,
    usersMfaNotRegistered: 0,
    usersWithoutRegistration: 0,
    registrationRecordsForUnknownUsers: 0,
    adminsWithoutMfa: 0,
    privilegedRoleDefinitions: roles.definitions.filter((d) => d.isPrivileged)
      .length,
    customRoleDefinitions: roles.definitions.filter((d) => !d.isBuiltIn).length,
    timeBoundActiveAssignments: 0,
    eligibleAssignments: 0,
    roleAssignmentsWithoutPrincipal: 0,
    inheritedRoleInstances: p2 ? roles.inheritedInstances : 0,
    enabledPolicies: 0,
    reportOnlyPolicies: 0,
    disabledPolicies: 0,
    usersExcludedFromEveryEnabledPolicy: [],
    securityDefaultsEnabled: profile.identity.securityDefaults,
  };

  // ---- roles --------------------------------------------------------------------
  entities.azure_ad_role_definition = roles.definitions.length;
  const roleKeys = {
    user: 'azure_user|HAS|azure_ad_role_definition',
    group: 'azure_user_group|HAS|azure_ad_role_definition',
    servicePrincipal: 'azure_service_principal|HAS|azure_ad_role_definition',
  };
  for (const key of Object.values(roleKeys)) {
    relationships[key] = 0;
    mapped[key] = 0;
  }
  for (const spec of roles.specs) {
    const eligible = spec.schedule === 'eligible';
    if (eligible && !p2) continue;
    switch (spec.principal.kind) {
      case 'user':
        inc(relationships, roleKeys.user);
        break;
      case 'ghostUser':
        inc(mapped, roleKeys.user);
        break;
      case 'group':
        inc(relationships, roleKeys.group);
        break;
      case 'ghostGroup':
        inc(mapped, roleKeys.group);
        break;
      // The pool is what GET /servicePrincipals lists (issue 17); a ghost is not listed.
      case 'servicePrincipal':
        inc(relationships, roleKeys.servicePrincipal);
        break;
      case 'ghostServicePrincipal':
        inc(mapped, roleKeys.servicePrincipal);
        break;
      default:
        truth.roleAssignmentsWithoutPrincipal++;
        continue;
    }
    if (eligible) truth.eligibleAssignments++;
    else if (p2 && spec.end !== null) truth.timeBoundActiveAssignments++;
  }

  // ---- MFA registration -----------------------------------------------------------
  for (let i = 0; i < directory.userCount; i++) {
    if (!premium || !registration.lists(i)) {
      truth.usersWithoutRegistration++;
      continue;
    }
    const registered = registration.mfa(i).registered;
    if (registered) truth.usersMfaRegistered++;
    else truth.usersMfaNotRegistered++;
    if (!registered && roles.adminUsers.has(i)) truth.adminsWithoutMfa++;
  }
  truth.registrationRecordsForUnknownUsers = premium
    ? registration.ghostRecords
    : 0;

  // ---- Conditional Access ------------------------------------------------------------
  const policies = premium ? conditionalAccess.policies : [];
  const locations = premium ? conditionalAccess.namedLocations : [];
  entities.azure_conditional_access_policy = policies.length;
  entities.azure_conditional_access_named_location = locations.length;
  const targets = [
    'azure_user',
    'azure_user_group',
    'azure_ad_role_definition',
    'azure_service_principal',
  ];
  for (const verb of ['ASSIGNED', 'ALLOWS']) {
    for (const target of targets) {
      relationships[`azure_conditional_access_policy|${verb}|${target}`] = 0;
      mapped[`azure_conditional_access_policy|${verb}|${target}`] = 0;
    }
  }
  const usesKey =
    'azure_conditional_access_policy|USES|azure_conditional_access_named_location';
  relationships[usesKey] = 0;
  mapped[usesKey] = 0;
  const listedLocations = new Set(locations.map((l) => l.id as string));
  const roleIds = new Set(roles.definitions.map((d) => d.id as string));
  let excludedFromAll: Set<string> | undefined;
  for (const policy of policies) {
    const state = policy.state as string;
    if (state === 'enabled') truth.enabledPolicies++;
    else if (state === 'disabled') truth.disabledPolicies++;
    else truth.reportOnlyPolicies++;
    const conditions = policy.conditions as GraphObject;
    const users = conditions.users as Record<string, string[]>;
    const apps = (conditions.clientApplications ?? {}) as Record<
      string,
      string[]
    >;
    const lists: [string, string[] | undefined, string][] = [
      ['ASSIGNED', users.includeUsers, 'user'],
      ['ALLOWS', users.excludeUsers, 'user'],
      ['ASSIGNED', users.includeGroups, 'group'],
      ['ALLOWS', users.excludeGroups, 'group'],
      ['ASSIGNED', users.includeRoles, 'role'],
      ['ALLOWS', users.excludeRoles, 'role'],
      ['ASSIGNED', apps.includeServicePrincipals, 'servicePrincipal'],
      ['ALLOWS', apps.excludeServicePrincipals, 'servicePrincipal'],
    ];
    for (const [verb, ids, kind] of lists) {
      for (const id of new Set(ids ?? [])) {
        if (!GUID.test(id)) continue;
        const ref = directory.resolve(id);
        const [target, collected] =
          kind === 'user'
            ? ['azure_user', ref?.type === MemberType.user]
            : kind === 'group'
            ? ['azure_user_group', ref?.type === MemberType.group]
            : kind === 'role'
            ? ['azure_ad_role_definition', roleIds.has(id)]
            : ['azure_service_principal', ref?.type === MemberType.servicePrincipal];
        inc(
          collected ? relationships : mapped,
          `azure_conditional_access_policy|${verb}|${target}`,
        );
      }
    }
    const locationCondition = conditions.locations as Record<
      string,
      string[]
    > | null;
    for (const list of [
      locationCondition?.includeLocations,
      locationCondition?.excludeLocations,
    ]) {
      for (const id of new Set(list ?? [])) {
        if (!GUID.test(id)) continue;
        inc(listedLocations.has(id) ? relationships : mapped, usesKey);
      }
    }
    // Policies that apply to users at all (not workload-identity ones, "None").
    const targetsUsers =
      (users.includeUsers ?? []).some((id) => id !== 'None') ||
      (users.includeGroups ?? []).length > 0 ||
      (users.includeRoles ?? []).length > 0 ||
      Boolean(users.includeGuestsOrExternalUsers);
    if (state === 'enabled' && targetsUsers) {
      const excluded = new Set(
        (users.excludeUsers ?? []).filter(
          (id) => directory.resolve(id)?.type === MemberType.user,
        ),
      );
      excludedFromAll = excludedFromAll
        ? new Set(Array.from(excludedFromAll).filter((id) => excluded.has(id)))
        : excluded;
    }
  }
  truth.usersExcludedFromEveryEnabledPolicy = Array.from(
    excludedFromAll ?? [],
  ).sort();
  return truth;
}
