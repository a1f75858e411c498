/**
 * Conditional Access: policies and named locations. The only place that
 * knows their URLs. Both are served by the "identity protection and
 * conditional access" service: 1 request per second per tenant, and 429s
 * without Retry-After (services.ts).
 */
import { GraphClient } from './client';
import { isGraphError } from './errors';

export interface GraphConditionalAccessUsers {
  includeUsers?: string[] | null;
  excludeUsers?: string[] | null;
  includeGroups?: string[] | null;
  excludeGroups?: string[] | null;
  includeRoles?: string[] | null;
  excludeRoles?: string[] | null;
  includeGuestsOrExternalUsers?: GraphGuestsOrExternalUsers | null;
  excludeGuestsOrExternalUsers?: GraphGuestsOrExternalUsers | null;
}

export interface GraphGuestsOrExternalUsers {
  /** Comma-separated: internalGuest, b2bCollaborationGuest, ... */
  guestOrExternalUserTypes?: string | null;
  externalTenants?: { membershipKind?: string | null } | null;
}

export interface GraphConditionalAccessPolicy {
  id: string;
  displayName?: string | null;
  description?: string | null;
  templateId?: string | null;
  /** enabled, disabled, enabledForReportingButNotEnforced */
  state?: string | null;
  createdDateTime?: string | null;
  modifiedDateTime?: string | null;
  conditions?: {
    users?: GraphConditionalAccessUsers | null;
    applications?: {
      includeApplications?: string[] | null;
      excludeApplications?: string[] | null;
      includeUserActions?: string[] | null;
      includeAuthenticationContextClassReferences?: string[] | null;
    } | null;
    clientApplications?: {
      includeServicePrincipals?: string[] | null;
      excludeServicePrincipals?: string[] | null;
    } | null;
    locations?: {
      includeLocations?: string[] | null;
      excludeLocations?: string[] | null;
    } | null;
    platforms?: {
      includePlatforms?: string[] | null;
      excludePlatforms?: string[] | null;
    } | null;
    clientAppTypes?: string[] | null;
    userRiskLevels?: string[] | null;
    signInRiskLevels?: string[] | null;
    servicePrincipalRiskLevels?: string[] | null;
    insiderRiskLevels?: string | null;
  } | null;
  grantControls?: {
    /** AND, OR */
    operator?: string | null;
    /** block, mfa, compliantDevice, domainJoinedDevice, approvedApplication, ... */
    builtInControls?: string[] | null;
    customAuthenticationFactors?: string[] | null;
    termsOfUse?: string[] | null;
    authenticationStrength?: {
      id?: string | null;
      displayName?: string | null;
    } | null;
  } | null;
  sessionControls?: {
    signInFrequency?: {
      value?: number | null;
      type?: string | null;
      frequencyInterval?: string | null;
      isEnabled?: boolean | null;
    } | null;
    persistentBrowser?: {
      mode?: string | null;
      isEnabled?: boolean | null;
    } | null;
    cloudAppSecurity?: {
      cloudAppSecurityType?: string | null;
      isEnabled?: boolean | null;
    } | null;
    applicationEnforcedRestrictions?: { isEnabled?: boolean | null } | null;
    disableResilienceDefaults?: boolean | null;
  } | null;
}

export interface GraphNamedLocation {
  /** #microsoft.graph.ipNamedLocation or #microsoft.graph.countryNamedLocation */
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  createdDateTime?: string | null;
  modifiedDateTime?: string | null;
  // ipNamedLocation
  isTrusted?: boolean | null;
  ipRanges?: { '@odata.type'?: string; cidrAddress?: string | null }[] | null;
  // countryNamedLocation
  countriesAndRegions?: string[] | null;
  includeUnknownCountriesAndRegions?: boolean | null;
  countryLookupMethod?: string | null;
}

/**
 * GET /v1.0/identity/conditionalAccess/namedLocations.
 * Needs Policy.Read.All.
 * https://learn.microsoft.com/graph/api/conditionalaccessroot-list-namedlocations
 */
export function iterateNamedLocationPages(
  client: GraphClient,
): AsyncGenerator<GraphNamedLocation[]> {
  return client.iteratePages<GraphNamedLocation>({
    version: 'v1.0',
    path: '/identity/conditionalAccess/namedLocations',
  });
}

/**
 * GET /v1.0/identity/conditionalAccess/policies.
 * Needs Policy.Read.All.
 * https://learn.microsoft.com/graph/api/conditionalaccessroot-list-policies
 */
export function iterateConditionalAccessPolicyPages(
  client: GraphClient,
): AsyncGenerator<GraphConditionalAccessPolicy[]> {
  return client.iteratePages<GraphConditionalAccessPolicy>({
    version: 'v1.0',
    path: '/identity/conditionalAccess/policies',
  });
}

/**
 * A tenant without Entra ID P1 or P2 has no Conditional Access. UNCONFIRMED:
 * whether Graph then refuses the read (the simulator assumes the same 403 as
 * for the licence-gated reports) or lists the policies left from an earlier
 * licence; either way the step reports what it saw.
 */
export function isConditionalAccessLicenceRefusal(err: unknown): boolean {
  return isGraphError(err, {
    status: 403,
    code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
  });
}
