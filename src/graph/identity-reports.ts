/**
 * Entra ID identity reports: users' authentication-method registration
 * (MFA, SSPR, passwordless). The only place that knows the URL.
 */
import { GraphClient } from './client';
import { signInActivityRefusal } from './directory';

export interface GraphUserRegistrationDetails {
  /** The user's object id. */
  id: string;
  userPrincipalName?: string | null;
  userDisplayName?: string | null;
  userType?: string | null;
  isAdmin?: boolean | null;
  isMfaCapable?: boolean | null;
  isMfaRegistered?: boolean | null;
  isPasswordlessCapable?: boolean | null;
  isSsprCapable?: boolean | null;
  isSsprEnabled?: boolean | null;
  isSsprRegistered?: boolean | null;
  isSystemPreferredAuthenticationMethodEnabled?: boolean | null;
  lastUpdatedDateTime?: string | null;
  methodsRegistered?: string[] | null;
  systemPreferredAuthenticationMethods?: string[] | null;
  userPreferredMethodForSecondaryAuthentication?: string | null;
}

/**
 * GET /v1.0/reports/authenticationMethods/userRegistrationDetails: one paged
 * list for the whole tenant, never a request per user. The method supports
 * only $filter and $orderby (no $select, no $top), so pages are as large as
 * Graph makes them. It is an identity report: 5 requests per 10 s per app
 * per tenant (services.ts).
 * Needs AuditLog.Read.All and an Entra ID P1/P2 licence; a refusal is
 * classified by registrationDetailsRefusal.
 * https://learn.microsoft.com/graph/api/authenticationmethodsroot-list-userregistrationdetails
 */
export function iterateUserRegistrationDetailPages(
  client: GraphClient,
): AsyncGenerator<GraphUserRegistrationDetails[]> {
  return client.iteratePages<GraphUserRegistrationDetails>({
    version: 'v1.0',
    path: '/reports/authenticationMethods/userRegistrationDetails',
  });
}

/**
 * Why Graph refused the registration report, when it did: the same two
 * codes as for signInActivity, which the same reports service answers
 * (403 Authentication_RequestFromNonPremiumTenantOrB2CTenant is captured in
 * graph-recordings/entra/ad-role-assignments.har).
 */
export const registrationDetailsRefusal = signInActivityRefusal;
