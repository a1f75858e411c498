/**
 * The tenant itself: organization, and whether (and how) it has Intune.
 */
import { GraphClient } from './client';
import { GraphApiError, isGraphError, isIntuneNotApplicable } from './errors';

export interface Organization {
  id: string;
  displayName?: string | null;
  tenantType?: string | null;
  countryLetterCode?: string | null;
  createdDateTime?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesLastSyncDateTime?: string | null;
  technicalNotificationMails?: string[] | null;
  verifiedDomains?:
    | {
        name: string;
        isDefault?: boolean;
        isInitial?: boolean;
        type?: string;
      }[]
    | null;
  [key: string]: unknown;
}

/**
 * GET /v1.0/organization (one item). Needs Organization.Read.All.
 * https://learn.microsoft.com/graph/api/organization-list
 */
export async function readOrganization(
  client: GraphClient,
): Promise<Organization> {
  const page = await client.get<{ value?: Organization[] }>({
    version: 'v1.0',
    path: '/organization',
  });
  const organization = page?.value?.[0];
  if (!organization?.id) {
    throw new GraphApiError(
      {
        method: 'GET',
        url: client.urlOf({ version: 'v1.0', path: '/organization' }),
        status: 200,
        code: 'NoOrganization',
      },
      'Microsoft Graph returned no organization for this tenant.',
    );
  }
  return organization;
}

export interface IntuneAccount {
  intuneAccountId: string;
  /** pending, active, warning, disabled, deleted, blocked, lockedOut */
  subscriptionState?: string;
  /** intune, sccm, office365, unknown */
  mdmAuthority?: string;
}

export type IntuneAvailability =
  | { status: 'present'; account: IntuneAccount }
  | { status: 'absent' }
  /** Could not tell: the app lacks DeviceManagementServiceConfig.Read.All. */
  | { status: 'unknown'; reason: string };

/**
 * Does the tenant have Intune? GET /v1.0/deviceManagement?$select=intuneAccountId
 * answers 400 "Request not applicable to target tenant." without it.
 * Needs DeviceManagementServiceConfig.Read.All (or DeviceManagementConfiguration.Read.All).
 * https://learn.microsoft.com/graph/api/intune-devices-devicemanagement-get
 */
export function readIntuneAvailability(
  client: GraphClient,
): Promise<IntuneAvailability> {
  // getStepStartStates and the account step both ask; Graph is asked once
  // per execution (one client per execution), whatever the answer.
  let availability = availabilityByClient.get(client);
  if (!availability) {
    availability = requestIntuneAvailability(client);
    availabilityByClient.set(client, availability);
  }
  return availability;
}

const availabilityByClient = new WeakMap<
  GraphClient,
  Promise<IntuneAvailability>
>();

async function requestIntuneAvailability(
  client: GraphClient,
): Promise<IntuneAvailability> {
  try {
    const deviceManagement = await client.get<{
      intuneAccountId?: string | null;
      subscriptionState?: string | null;
    }>({
      version: 'v1.0',
      path: '/deviceManagement',
      query: { $select: 'intuneAccountId,subscriptionState' },
    });
    if (!deviceManagement?.intuneAccountId) {
      // Only Graph's explicit 400 says "no Intune"; a missing value says nothing.
      return {
        status: 'unknown',
        reason:
          'Microsoft Graph answered /deviceManagement without an intuneAccountId.',
      };
    }
    return {
      status: 'present',
      account: {
        intuneAccountId: deviceManagement.intuneAccountId,
        subscriptionState: deviceManagement.subscriptionState ?? undefined,
      },
    };
  } catch (err) {
    if (isIntuneNotApplicable(err)) return { status: 'absent' };
    if (
      isGraphError(err, { status: 403 }) ||
      isGraphError(err, { status: 401, code: 'Forbidden' })
    ) {
      return { status: 'unknown', reason: (err as Error).message };
    }
    throw err;
  }
}

/**
 * Intune's own view of its subscription (beta only, undocumented; the v1.0
 * singleton property is known to be unreliable, graph-api.md §2.3).
 */
export async function readIntuneSubscriptionState(
  client: GraphClient,
): Promise<string | undefined> {
  const body = await client.get<{ value?: string }>({
    version: 'beta',
    path: '/deviceManagement/subscriptionState',
  });
  return typeof body?.value === 'string' ? body.value : undefined;
}

/**
 * organization.mobileDeviceManagementAuthority, only readable per organization
 * with $select. https://learn.microsoft.com/graph/api/resources/organization
 */
export async function readMdmAuthority(
  client: GraphClient,
  organizationId: string,
): Promise<string | undefined> {
  const body = await client.get<{ mobileDeviceManagementAuthority?: string }>({
    version: 'v1.0',
    path: `/organization/${encodeURIComponent(organizationId)}`,
    query: { $select: 'mobileDeviceManagementAuthority' },
  });
  return body?.mobileDeviceManagementAuthority ?? undefined;
}
