/**
 * The tenant-wide sign-in policies as properties of the account
 * (docs/identity-security.md, "Tenant policies"): security defaults, the
 * authorization policy (guest access, user consent, what users may create)
 * and the authentication-methods policy (which methods are enabled, and for
 * whom). Pure.
 */
import {
  GraphAuthenticationMethodsPolicy,
  GraphAuthorizationPolicy,
  GraphSecurityDefaultsPolicy,
} from '../../graph/policies';
import {
  mapEnum,
  presentBoolean,
  presentString,
  presentStrings,
  toEpochMs,
  withoutUndefined,
} from '../convert';

export interface TenantPolicies {
  securityDefaults?: GraphSecurityDefaultsPolicy;
  authorization?: GraphAuthorizationPolicy;
  authenticationMethods?: GraphAuthenticationMethodsPolicy;
}

/** The built-in roles a guest can be given (authorizationPolicy.guestUserRoleId). */
const GUEST_ACCESS: Record<string, string> = {
  'a0b1b346-4d3e-4e8b-98f8-753987be4970': 'sameAsMembers',
  '10dae51f-b6af-4016-8d66-8c2a99b929b3': 'limited',
  '2af84b1e-32c8-42b7-82bc-daa82404023b': 'restricted',
};

const SELF_CONSENT = 'ManagePermissionGrantsForSelf.';

/**
 * What users may consent to, from the permission grant policies assigned to
 * the default user role: any app (microsoft-user-default-legacy), verified
 * publishers and low-impact permissions (microsoft-user-default-low), nothing,
 * or a custom policy.
 */
export function userConsentOf(
  assigned: string[] | undefined,
): string | undefined {
  if (!assigned) return undefined;
  const self = assigned.filter((p) => p.startsWith(SELF_CONSENT));
  if (!self.length) return 'disabled';
  if (self.includes(`${SELF_CONSENT}microsoft-user-default-legacy`))
    return 'allowed';
  if (self.includes(`${SELF_CONSENT}microsoft-user-default-low`))
    return 'limited';
  return 'custom';
}

function securityDefaultsProperties(
  policy: GraphSecurityDefaultsPolicy | undefined,
) {
  return { securityDefaultsEnabled: presentBoolean(policy?.isEnabled) };
}

function authorizationProperties(policy: GraphAuthorizationPolicy | undefined) {
  if (!policy) return {};
  const defaults = policy.defaultUserRolePermissions;
  const grants = presentStrings(defaults?.permissionGrantPoliciesAssigned);
  return {
    guestUserRoleId: presentString(policy.guestUserRoleId),
    guestAccess: mapEnum(policy.guestUserRoleId, GUEST_ACCESS),
    allowInvitesFrom: presentString(policy.allowInvitesFrom),
    allowedToSignUpEmailBasedSubscriptions: presentBoolean(
      policy.allowedToSignUpEmailBasedSubscriptions,
    ),
    allowedToUseSspr: presentBoolean(policy.allowedToUseSSPR),
    allowEmailVerifiedUsersToJoinOrganization: presentBoolean(
      policy.allowEmailVerifiedUsersToJoinOrganization,
    ),
    allowUserConsentForRiskyApps: presentBoolean(
      policy.allowUserConsentForRiskyApps,
    ),
    blockMsolPowerShell: presentBoolean(policy.blockMsolPowerShell),
    userConsent: userConsentOf(grants),
    userConsentPolicies: grants,
    usersCanCreateApps: presentBoolean(defaults?.allowedToCreateApps),
    usersCanCreateSecurityGroups: presentBoolean(
      defaults?.allowedToCreateSecurityGroups,
    ),
    usersCanCreateTenants: presentBoolean(defaults?.allowedToCreateTenants),
    usersCanReadOtherUsers: presentBoolean(defaults?.allowedToReadOtherUsers),
  };
}

/**
 * Methods by state, and for whom each enabled method is: `{method}:all_users`
 * or `{method}:group:{id}` (`excluded:` before the ones excluded).
 */
function authenticationMethodsProperties(
  policy: GraphAuthenticationMethodsPolicy | undefined,
) {
  if (!policy) return {};
  const enabled: string[] = [];
  const disabled: string[] = [];
  const targets: string[] = [];
  for (const method of policy.authenticationMethodConfigurations ?? []) {
    const id = presentString(method?.id);
    if (!id) continue;
    if (presentString(method.state) !== 'enabled') {
      disabled.push(id);
      continue;
    }
    enabled.push(id);
    const describe = (t: {
      id?: string | null;
      targetType?: string | null;
    }) => {
      const targetId = presentString(t?.id);
      if (!targetId) return undefined;
      return targetId === 'all_users'
        ? `${id}:all_users`
        : `${id}:${presentString(t.targetType) ?? 'group'}:${targetId}`;
    };
    for (const target of method.includeTargets ?? []) {
      const text = describe(target);
      if (text) targets.push(text);
    }
    for (const target of method.excludeTargets ?? []) {
      const text = describe(target);
      if (text) targets.push(`excluded:${text}`);
    }
  }
  return {
    authenticationMethodsEnabled: enabled.sort(),
    authenticationMethodsDisabled: disabled.sort(),
    authenticationMethodTargets: targets.sort(),
    authenticationMethodsForAllUsers: targets
      .filter((t) => t.endsWith(':all_users') && !t.startsWith('excluded:'))
      .map((t) => t.slice(0, -':all_users'.length))
      .sort(),
    authenticationMethodsPolicyMigrationState: presentString(
      policy.policyMigrationState,
    ),
    authenticationMethodsPolicyUpdatedOn: toEpochMs(
      policy.lastModifiedDateTime,
    ),
    mfaRegistrationCampaignState: presentString(
      policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign
        ?.state,
    ),
  };
}

/** Account properties from whichever policies were read. */
export function tenantPolicyProperties(
  policies: TenantPolicies,
): Record<string, unknown> {
  return withoutUndefined({
    ...securityDefaultsProperties(policies.securityDefaults),
    ...authorizationProperties(policies.authorization),
    ...authenticationMethodsProperties(policies.authenticationMethods),
  });
}
