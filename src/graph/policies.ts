/**
 * Tenant-wide identity policies that describe how sign-in is guarded:
 * security defaults, the authorization policy (guest access, user consent)
 * and the authentication-methods policy. Singletons; the only place that
 * knows their URLs. All need Policy.Read.All.
 */
import { GraphClient } from './client';

export interface GraphSecurityDefaultsPolicy {
  id?: string;
  displayName?: string | null;
  isEnabled?: boolean | null;
}

export interface GraphAuthorizationPolicy {
  id?: string;
  allowInvitesFrom?: string | null;
  allowedToSignUpEmailBasedSubscriptions?: boolean | null;
  allowedToUseSSPR?: boolean | null;
  allowEmailVerifiedUsersToJoinOrganization?: boolean | null;
  allowUserConsentForRiskyApps?: boolean | null;
  blockMsolPowerShell?: boolean | null;
  guestUserRoleId?: string | null;
  defaultUserRolePermissions?: {
    allowedToCreateApps?: boolean | null;
    allowedToCreateSecurityGroups?: boolean | null;
    allowedToCreateTenants?: boolean | null;
    allowedToReadBitlockerKeysForOwnedDevice?: boolean | null;
    allowedToReadOtherUsers?: boolean | null;
    permissionGrantPoliciesAssigned?: string[] | null;
  } | null;
}

export interface GraphAuthenticationMethodTarget {
  id?: string | null;
  /** group (id "all_users" for everyone) */
  targetType?: string | null;
  isRegistrationRequired?: boolean | null;
}

export interface GraphAuthenticationMethodConfiguration {
  '@odata.type'?: string;
  /** Fido2, MicrosoftAuthenticator, Sms, Voice, Email, TemporaryAccessPass, SoftwareOath, X509Certificate, ... */
  id?: string | null;
  /** enabled, disabled */
  state?: string | null;
  includeTargets?: GraphAuthenticationMethodTarget[] | null;
  excludeTargets?: GraphAuthenticationMethodTarget[] | null;
}

export interface GraphAuthenticationMethodsPolicy {
  id?: string;
  policyVersion?: string | null;
  policyMigrationState?: string | null;
  lastModifiedDateTime?: string | null;
  registrationEnforcement?: {
    authenticationMethodsRegistrationCampaign?: {
      state?: string | null;
      snoozeDurationInDays?: number | null;
    } | null;
  } | null;
  authenticationMethodConfigurations?:
    | GraphAuthenticationMethodConfiguration[]
    | null;
}

/**
 * GET /v1.0/policies/identitySecurityDefaultsEnforcementPolicy.
 * https://learn.microsoft.com/graph/api/identitysecuritydefaultsenforcementpolicy-get
 */
export function readSecurityDefaults(
  client: GraphClient,
): Promise<GraphSecurityDefaultsPolicy> {
  return client.get({
    version: 'v1.0',
    path: '/policies/identitySecurityDefaultsEnforcementPolicy',
  });
}

/**
 * GET /v1.0/policies/authorizationPolicy (a singleton in v1.0).
 * https://learn.microsoft.com/graph/api/authorizationpolicy-get
 */
export function readAuthorizationPolicy(
  client: GraphClient,
): Promise<GraphAuthorizationPolicy> {
  return client.get({ version: 'v1.0', path: '/policies/authorizationPolicy' });
}

/**
 * GET /v1.0/policies/authenticationMethodsPolicy, with its method
 * configurations and their targets.
 * https://learn.microsoft.com/graph/api/authenticationmethodspolicy-get
 */
export function readAuthenticationMethodsPolicy(
  client: GraphClient,
): Promise<GraphAuthenticationMethodsPolicy> {
  return client.get({
    version: 'v1.0',
    path: '/policies/authenticationMethodsPolicy',
  });
}
