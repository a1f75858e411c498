/**
 * App registrations and service principals: the only place that knows the
 * URLs, `$select` lists, expansions and page sizes of /servicePrincipals,
 * /applications, their owners, appRoleAssignedTo and /oauth2PermissionGrants.
 * The step module (src/steps/applications) asks for pages and converts them.
 *
 * Cost, on the directory's resource-unit budget (graph-api.md §6): one list
 * walk per collection, owners inline (`$expand=owners`: +1 unit a page
 * instead of a request per object), and one appRoleAssignedTo request per
 * resource that defines app roles applications can hold, 20 to a `$batch`.
 */
import { FanOutOptions, GraphClient, GraphRequest } from './client';
import { DIRECTORY_PAGE_SIZE } from './directory';

/**
 * Expanded relationships of directory objects stop at 20 items, with no
 * nextLink to the rest (Graph known issue 13635; "Use query parameters").
 * An object with this many expanded owners may have more: its owners are
 * then listed in full.
 */
export const EXPANDED_ITEMS_LIMIT = 20;

export interface GraphVerifiedPublisher {
  displayName?: string | null;
  verifiedPublisherId?: string | null;
  addedDateTime?: string | null;
}

/**
 * A client secret as Graph lists it. Graph also sends `hint` (the secret's
 * first characters) and `secretText` (null in lists): they are deliberately
 * not part of this type, so that no converter can read them.
 */
export interface GraphPasswordCredential {
  keyId?: string | null;
  displayName?: string | null;
  customKeyIdentifier?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

/** A certificate (or symmetric key) as Graph lists it; its body, `key`, is deliberately left out. */
export interface GraphKeyCredential {
  keyId?: string | null;
  displayName?: string | null;
  customKeyIdentifier?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  type?: string | null;
  usage?: string | null;
}

export interface GraphFederatedIdentityCredential {
  id?: string | null;
  name?: string | null;
  issuer?: string | null;
  subject?: string | null;
  description?: string | null;
  audiences?: string[] | null;
}

export interface GraphAppRole {
  id?: string | null;
  value?: string | null;
  displayName?: string | null;
  allowedMemberTypes?: string[] | null;
  isEnabled?: boolean | null;
}

/** An owner in an owners list or expansion: what kind of object, and its id. */
export interface GraphDirectoryReference {
  '@odata.type'?: string;
  id?: string;
}

export interface GraphServicePrincipal {
  id: string;
  accountEnabled?: boolean | null;
  alternativeNames?: string[] | null;
  appDisplayName?: string | null;
  appDescription?: string | null;
  appId?: string | null;
  appOwnerOrganizationId?: string | null;
  appRoleAssignmentRequired?: boolean | null;
  appRoles?: GraphAppRole[] | null;
  createdDateTime?: string | null;
  description?: string | null;
  disabledByMicrosoftStatus?: string | null;
  displayName?: string | null;
  homepage?: string | null;
  keyCredentials?: GraphKeyCredential[] | null;
  notes?: string | null;
  passwordCredentials?: GraphPasswordCredential[] | null;
  preferredSingleSignOnMode?: string | null;
  servicePrincipalNames?: string[] | null;
  servicePrincipalType?: string | null;
  signInAudience?: string | null;
  tags?: string[] | null;
  verifiedPublisher?: GraphVerifiedPublisher | null;
  owners?: GraphDirectoryReference[] | null;
}

export interface GraphApplication {
  id: string;
  appId?: string | null;
  displayName?: string | null;
  description?: string | null;
  createdDateTime?: string | null;
  disabledByMicrosoftStatus?: string | null;
  identifierUris?: string[] | null;
  isFallbackPublicClient?: boolean | null;
  keyCredentials?: GraphKeyCredential[] | null;
  notes?: string | null;
  passwordCredentials?: GraphPasswordCredential[] | null;
  publisherDomain?: string | null;
  signInAudience?: string | null;
  tags?: string[] | null;
  verifiedPublisher?: GraphVerifiedPublisher | null;
  owners?: GraphDirectoryReference[] | null;
  federatedIdentityCredentials?: GraphFederatedIdentityCredential[] | null;
}

export interface GraphAppRoleAssignment {
  id?: string;
  appRoleId?: string | null;
  principalId?: string | null;
  principalType?: string | null;
  principalDisplayName?: string | null;
  resourceId?: string | null;
  createdDateTime?: string | null;
}

export interface GraphOAuth2PermissionGrant {
  id?: string;
  clientId?: string | null;
  consentType?: string | null;
  principalId?: string | null;
  resourceId?: string | null;
  scope?: string | null;
}

/** What identifies, ranks and dates a service principal, and its credentials and app roles. */
export const SERVICE_PRINCIPAL_SELECT = [
  'id',
  'accountEnabled',
  'alternativeNames',
  'appDisplayName',
  'appDescription',
  'appId',
  'appOwnerOrganizationId',
  'appRoleAssignmentRequired',
  'appRoles',
  'createdDateTime',
  'description',
  'disabledByMicrosoftStatus',
  'displayName',
  'homepage',
  'keyCredentials',
  'notes',
  'passwordCredentials',
  'preferredSingleSignOnMode',
  'servicePrincipalNames',
  'servicePrincipalType',
  'signInAudience',
  'tags',
  'verifiedPublisher',
];

export const APPLICATION_SELECT = [
  'id',
  'appId',
  'displayName',
  'description',
  'createdDateTime',
  'disabledByMicrosoftStatus',
  'identifierUris',
  'isFallbackPublicClient',
  'keyCredentials',
  'notes',
  'passwordCredentials',
  'publisherDomain',
  'signInAudience',
  'tags',
  'verifiedPublisher',
];

const ASSIGNMENT_SELECT = [
  'id',
  'appRoleId',
  'principalId',
  'principalType',
  'principalDisplayName',
  'resourceId',
  'createdDateTime',
];

const GRANT_SELECT = [
  'id',
  'clientId',
  'consentType',
  'principalId',
  'resourceId',
  'scope',
];

/**
 * GET /v1.0/servicePrincipals with their owners expanded (at most
 * EXPANDED_ITEMS_LIMIT each; pages of at most 100 with `$expand`, known
 * issue 13635). Plain `$expand=owners`: the known issue also says nested
 * `$select` in an expansion of directory objects is unsupported.
 * Needs Application.Read.All (or Directory.Read.All).
 * https://learn.microsoft.com/graph/api/serviceprincipal-list
 */
export function iterateServicePrincipalPages(
  client: GraphClient,
): AsyncGenerator<GraphServicePrincipal[]> {
  return client.iteratePages<GraphServicePrincipal>(
    listRequest('/servicePrincipals', SERVICE_PRINCIPAL_SELECT, 'owners'),
  );
}

/**
 * GET /v1.0/applications with their owners expanded. 2 resource units a
 * page (+1 with `$expand`, -1 with `$select`). Needs Application.Read.All.
 * https://learn.microsoft.com/graph/api/application-list
 */
export function iterateApplicationPages(
  client: GraphClient,
): AsyncGenerator<GraphApplication[]> {
  return client.iteratePages<GraphApplication>(
    listRequest('/applications', APPLICATION_SELECT, 'owners'),
  );
}

/**
 * GET /v1.0/applications?$select=id&$expand=federatedIdentityCredentials: a
 * second walk, because one request expands one relationship (harsher than
 * Graph may be; UNCONFIRMED). An application holds at most 20 federated
 * identity credentials (learn.microsoft.com/entra/workload-id/
 * workload-identity-federation-considerations), so the expansion's limit
 * never cuts them short.
 */
export function iterateFederatedCredentialPages(
  client: GraphClient,
): AsyncGenerator<GraphApplication[]> {
  return client.iteratePages<GraphApplication>(
    listRequest('/applications', ['id'], 'federatedIdentityCredentials'),
  );
}

function listRequest(
  path: string,
  select: string[],
  expand: string,
): GraphRequest {
  return {
    version: 'v1.0',
    path,
    query: {
      $select: select.join(','),
      $expand: expand,
      $top: DIRECTORY_PAGE_SIZE,
    },
  };
}

export interface OwnedObject {
  kind: 'servicePrincipal' | 'application';
  id: string;
}

export interface SubCollectionWalkOptions extends FanOutOptions {
  /** The parent object was deleted after its list named it (404). */
  onNotFound?: (id: string) => void;
}

/** Sub-collections of many objects: 20 first pages per `$batch`, nextLinks one by one. */
export const SUB_COLLECTION_WALK_DEFAULTS: Required<FanOutOptions> = {
  concurrency: 8,
  batch: true,
};

/**
 * The full owners list of each object whose expansion may have been cut
 * short: GET /v1.0/{servicePrincipals|applications}/{id}/owners?$select=id.
 * https://learn.microsoft.com/graph/api/serviceprincipal-list-owners
 */
export async function forEachOwnersPage(
  client: GraphClient,
  objects: OwnedObject[],
  onPage: (
    id: string,
    owners: GraphDirectoryReference[],
  ) => Promise<void> | void,
  options: SubCollectionWalkOptions = {},
): Promise<void> {
  await client.forEachCollection<GraphDirectoryReference>(
    objects.map(({ kind, id }) => ({
      key: id,
      request: subCollection(
        `/${
          kind === 'application' ? 'applications' : 'servicePrincipals'
        }/${encodeURIComponent(id)}/owners`,
        ['id'],
      ),
    })),
    onPage,
    { ...SUB_COLLECTION_WALK_DEFAULTS, ...options },
  );
}

/**
 * Who holds the app roles of each resource service principal:
 * GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo. One request per
 * resource, never one per client. Needs Application.Read.All.
 * https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto
 */
export async function forEachAppRoleAssignedToPage(
  client: GraphClient,
  resourceIds: string[],
  onPage: (
    resourceId: string,
    assignments: GraphAppRoleAssignment[],
  ) => Promise<void> | void,
  options: SubCollectionWalkOptions = {},
): Promise<void> {
  await client.forEachCollection<GraphAppRoleAssignment>(
    resourceIds.map((id) => ({
      key: id,
      request: subCollection(
        `/servicePrincipals/${encodeURIComponent(id)}/appRoleAssignedTo`,
        ASSIGNMENT_SELECT,
      ),
    })),
    onPage,
    { ...SUB_COLLECTION_WALK_DEFAULTS, ...options },
  );
}

function subCollection(path: string, select: string[]): GraphRequest {
  return {
    version: 'v1.0',
    path,
    query: { $select: select.join(','), $top: DIRECTORY_PAGE_SIZE },
  };
}

/**
 * GET /v1.0/oauth2PermissionGrants: every delegated permission grant of the
 * tenant, one list. Needs Directory.Read.All (the least privileged
 * application permission the docs name).
 * https://learn.microsoft.com/graph/api/oauth2permissiongrant-list
 */
export function iterateOAuth2PermissionGrantPages(
  client: GraphClient,
): AsyncGenerator<GraphOAuth2PermissionGrant[]> {
  return client.iteratePages<GraphOAuth2PermissionGrant>({
    version: 'v1.0',
    path: '/oauth2PermissionGrants',
    query: { $select: GRANT_SELECT.join(','), $top: DIRECTORY_PAGE_SIZE },
  });
}
