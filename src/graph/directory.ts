/**
 * Entra ID directory: users, groups and group members. The only place that
 * knows their URLs, `$select` lists, page sizes and API versions; the step
 * module (src/steps/users-groups) asks for pages and converts them.
 */
import { FanOutOptions, GraphClient, GraphRequest } from './client';
import { isGraphError } from './errors';

/** Largest `$top` the directory accepts (graph-api.md §2.2: 1..999). */
export const DIRECTORY_PAGE_SIZE = 999;

/**
 * Largest page Graph returns when `signInActivity` is selected, whatever
 * `$top` says (graph-api.md §4). Asking for exactly this keeps the request
 * valid should Graph ever reject a larger `$top` instead of clamping it.
 */
export const SIGN_IN_ACTIVITY_PAGE_SIZE = 120;

export interface SignInActivity {
  lastSignInDateTime?: string | null;
  lastSignInRequestId?: string | null;
  lastNonInteractiveSignInDateTime?: string | null;
  lastNonInteractiveSignInRequestId?: string | null;
  lastSuccessfulSignInDateTime?: string | null;
  lastSuccessfulSignInRequestId?: string | null;
}

export interface GraphUser {
  id: string;
  userPrincipalName?: string | null;
  mail?: string | null;
  mailNickname?: string | null;
  otherMails?: string[] | null;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
  createdDateTime?: string | null;
  creationType?: string | null;
  externalUserState?: string | null;
  externalUserStateChangeDateTime?: string | null;
  lastPasswordChangeDateTime?: string | null;
  passwordPolicies?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesLastSyncDateTime?: string | null;
  onPremisesImmutableId?: string | null;
  onPremisesSamAccountName?: string | null;
  onPremisesUserPrincipalName?: string | null;
  onPremisesDomainName?: string | null;
  onPremisesSecurityIdentifier?: string | null;
  onPremisesDistinguishedName?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  companyName?: string | null;
  employeeId?: string | null;
  employeeType?: string | null;
  officeLocation?: string | null;
  city?: string | null;
  state?: string | null;
  country?: string | null;
  usageLocation?: string | null;
  preferredLanguage?: string | null;
  businessPhones?: string[] | null;
  mobilePhone?: string | null;
  signInActivity?: SignInActivity | null;
}

export interface GraphGroup {
  id: string;
  displayName?: string | null;
  description?: string | null;
  mail?: string | null;
  mailEnabled?: boolean | null;
  mailNickname?: string | null;
  securityEnabled?: boolean | null;
  groupTypes?: string[] | null;
  membershipRule?: string | null;
  membershipRuleProcessingState?: string | null;
  isAssignableToRole?: boolean | null;
  visibility?: string | null;
  classification?: string | null;
  createdDateTime?: string | null;
  renewedDateTime?: string | null;
  expirationDateTime?: string | null;
  securityIdentifier?: string | null;
  resourceProvisioningOptions?: string[] | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesLastSyncDateTime?: string | null;
  onPremisesSamAccountName?: string | null;
  onPremisesDomainName?: string | null;
  onPremisesNetBiosName?: string | null;
  onPremisesSecurityIdentifier?: string | null;
}

/**
 * One item of a `/groups/{id}/members` page: any directory object, always
 * with `@odata.type`. Members the app may not read arrive with `id` and
 * `@odata.type` only (graph-api.md §3); every other property may be absent
 * or null.
 */
export interface GraphDirectoryObject {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  description?: string | null;
  // user
  userPrincipalName?: string | null;
  // user, group, orgContact
  mail?: string | null;
  mailNickname?: string | null;
  // orgContact (and user)
  givenName?: string | null;
  surname?: string | null;
  companyName?: string | null;
  department?: string | null;
  jobTitle?: string | null;
  // device
  accountEnabled?: boolean | null;
  createdDateTime?: string | null;
  // device
  deviceId?: string | null;
  operatingSystem?: string | null;
  operatingSystemVersion?: string | null;
  trustType?: string | null;
  profileType?: string | null;
  deviceOwnership?: string | null;
  isCompliant?: boolean | null;
  isManaged?: boolean | null;
  managementType?: string | null;
  manufacturer?: string | null;
  model?: string | null;
  registrationDateTime?: string | null;
  approximateLastSignInDateTime?: string | null;
  // orgContact, device, group
  onPremisesSyncEnabled?: boolean | null;
}

/**
 * What a security team needs of a user: identity, account state,
 * on-premises sync, organisation, and the default properties Graph returns
 * without `$select` (so that nothing of the plain listing is lost).
 */
export const USER_SELECT = [
  // identity
  'id',
  'userPrincipalName',
  'mail',
  'mailNickname',
  'otherMails',
  'displayName',
  'givenName',
  'surname',
  // account state
  'accountEnabled',
  'userType',
  'createdDateTime',
  'creationType',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'lastPasswordChangeDateTime',
  'passwordPolicies',
  // on-premises sync
  'onPremisesSyncEnabled',
  'onPremisesLastSyncDateTime',
  'onPremisesImmutableId',
  'onPremisesSamAccountName',
  'onPremisesUserPrincipalName',
  'onPremisesDomainName',
  'onPremisesSecurityIdentifier',
  'onPremisesDistinguishedName',
  // organisation
  'jobTitle',
  'department',
  'companyName',
  'employeeId',
  'employeeType',
  'officeLocation',
  'city',
  'state',
  'country',
  'usageLocation',
  'preferredLanguage',
  'businessPhones',
  'mobilePhone',
];

/** What an access review needs of a group. */
export const GROUP_SELECT = [
  'id',
  'displayName',
  'description',
  'mail',
  'mailEnabled',
  'mailNickname',
  'securityEnabled',
  'groupTypes',
  'membershipRule',
  'membershipRuleProcessingState',
  'isAssignableToRole',
  'visibility',
  'classification',
  'createdDateTime',
  'renewedDateTime',
  'expirationDateTime',
  'securityIdentifier',
  'resourceProvisioningOptions',
  'onPremisesSyncEnabled',
  'onPremisesLastSyncDateTime',
  'onPremisesSamAccountName',
  'onPremisesDomainName',
  'onPremisesNetBiosName',
  'onPremisesSecurityIdentifier',
];

/**
 * Members are of five types; selecting the union of what we keep of each
 * costs 2 resource units per page instead of 3 (graph-api.md §6) and keeps
 * pages small. Users, groups and service principals only need `id` (and a
 * name for mapped relationships): their entities come from /users, /groups
 * and /servicePrincipals.
 */
export const MEMBER_SELECT = [
  'id',
  'displayName',
  'description',
  'userPrincipalName',
  'mail',
  'mailNickname',
  'givenName',
  'surname',
  'companyName',
  'department',
  'jobTitle',
  'accountEnabled',
  'createdDateTime',
  'deviceId',
  'operatingSystem',
  'operatingSystemVersion',
  'trustType',
  'profileType',
  'deviceOwnership',
  'isCompliant',
  'isManaged',
  'managementType',
  'manufacturer',
  'model',
  'registrationDateTime',
  'approximateLastSignInDateTime',
  'onPremisesSyncEnabled',
];

/**
 * GET /v1.0/users, page by page.
 * Needs User.Read.All (or Directory.Read.All); with `signInActivity`, also
 * AuditLog.Read.All and an Entra ID P1/P2 licence, else 403 (see
 * signInActivityRefusal), and pages of at most 120 users.
 * https://learn.microsoft.com/graph/api/user-list
 */
export function iterateUserPages(
  client: GraphClient,
  options: { signInActivity: boolean },
): AsyncGenerator<GraphUser[]> {
  return client.iteratePages<GraphUser>(usersRequest(options));
}

export function usersRequest(options: {
  signInActivity: boolean;
}): GraphRequest {
  const select = options.signInActivity
    ? [...USER_SELECT, 'signInActivity']
    : USER_SELECT;
  return {
    version: 'v1.0',
    path: '/users',
    query: {
      $select: select.join(','),
      $top: options.signInActivity
        ? SIGN_IN_ACTIVITY_PAGE_SIZE
        : DIRECTORY_PAGE_SIZE,
    },
  };
}

export type SignInActivityGap = 'permission' | 'licence';

/**
 * Why Graph refused `signInActivity`, when it did: the app lacks
 * AuditLog.Read.All, or the tenant has no Entra ID P1/P2 licence. Decided by
 * Graph's error code, whose message has changed wording over the years
 * (graph-api.md §4). Anything else is not a refusal of this one property.
 */
export function signInActivityRefusal(
  err: unknown,
): SignInActivityGap | undefined {
  if (
    isGraphError(err, {
      status: 403,
      code: 'Authentication_MSGraphPermissionMissing',
    })
  ) {
    return 'permission';
  }
  if (
    isGraphError(err, {
      status: 403,
      code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
    })
  ) {
    return 'licence';
  }
  return undefined;
}

/**
 * GET /v1.0/groups, page by page.
 * Needs GroupMember.Read.All (or Group.Read.All, Directory.Read.All).
 * https://learn.microsoft.com/graph/api/group-list
 */
export function iterateGroupPages(
  client: GraphClient,
): AsyncGenerator<GraphGroup[]> {
  return client.iteratePages<GraphGroup>({
    version: 'v1.0',
    path: '/groups',
    query: { $select: GROUP_SELECT.join(','), $top: DIRECTORY_PAGE_SIZE },
  });
}

/**
 * GET /beta/groups/{id}/members: the direct members of one group. Beta,
 * because v1.0 leaves service principals out (documented known issue,
 * graph-api.md §3).
 * Needs GroupMember.Read.All (or Group.Read.All, Directory.Read.All); members
 * other than users and groups come back in full only with Directory.Read.All
 * (else `id` and `@odata.type` only).
 * https://learn.microsoft.com/graph/api/group-list-members?view=graph-rest-beta
 */
export function groupMembersRequest(groupId: string): GraphRequest {
  return {
    version: 'beta',
    path: `/groups/${encodeURIComponent(groupId)}/members`,
    query: { $select: MEMBER_SELECT.join(','), $top: DIRECTORY_PAGE_SIZE },
  };
}

export interface GroupMemberWalkOptions extends FanOutOptions {
  /** The group was deleted after /groups listed it (404). */
  onGroupNotFound?: (groupId: string) => void;
}

/**
 * Batched, measured on the simulator's M tenant (5,000 users, 500 groups;
 * directory steps only, 4 alternating runs each, medians, a loaded 2-CPU
 * machine): the member step took 3.5 s batched vs 5.9 s unbatched with no
 * network latency, and 3.6 s vs 9.6 s with 100 ms per request; the
 * collection (account and directory steps, token included) made 75 HTTP
 * requests instead of 550 (the 500 member lists in 25 `$batch` POSTs).
 * Resource units are the same (1,046): Graph charges each batch item, so
 * batching saves round trips, not throttling budget.
 * Later pages of a long member list follow their nextLinks one by one.
 */
export const GROUP_MEMBER_WALK_DEFAULTS: Required<
  Omit<GroupMemberWalkOptions, 'onGroupNotFound'>
> = {
  concurrency: 16,
  batch: true,
};

/**
 * Every page of the members of each group, handed to `onPage` as it
 * arrives, many groups at a time. See groupMembersRequest.
 */
export async function forEachGroupMembersPage(
  client: GraphClient,
  groupIds: Iterable<string>,
  onPage: (
    groupId: string,
    members: GraphDirectoryObject[],
  ) => Promise<void> | void,
  options: GroupMemberWalkOptions = {},
): Promise<void> {
  const settings = { ...GROUP_MEMBER_WALK_DEFAULTS, ...options };
  await client.forEachCollection<GraphDirectoryObject>(
    requestsFor(groupIds),
    onPage,
    {
      concurrency: settings.concurrency,
      batch: settings.batch,
      onNotFound: options.onGroupNotFound,
    },
  );
}

function* requestsFor(
  groupIds: Iterable<string>,
): Generator<{ key: string; request: GraphRequest }> {
  for (const groupId of groupIds) {
    yield { key: groupId, request: groupMembersRequest(groupId) };
  }
}
