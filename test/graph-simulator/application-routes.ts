/**
 * App registrations and service principals (issue 17): GET /servicePrincipals,
 * /applications, their owners, appRoleAssignedTo, federated identity
 * credentials, and GET /oauth2PermissionGrants.
 *
 * Behaviours, each with its evidence:
 * - `$expand` on a directory list: pages of at most `expandPageSize` (100)
 *   whatever `$top` says, and at most `expandedItemsLimit` (20) expanded
 *   items per object with no nextLink to the rest (Graph known issue 13635,
 *   developer.microsoft.com/graph/known-issues/?search=13635; "Use query
 *   parameters": "$expand typically returns a maximum of 20 items for the
 *   expanded relationship and has no @odata.nextLink"). Only one navigation
 *   property per request (harsher than Graph: UNCONFIRMED whether Graph
 *   takes two).
 * - A resource deleted after /servicePrincipals listed it answers 404 on
 *   appRoleAssignedTo (cartography #2624, #2812; identity-security.md §4).
 * - Key credentials carry `key: null` and password credentials
 *   `secretText: null` in lists (HAR ad-service-principals), unless the
 *   `exposeCredentialSecrets` behaviour asks for harsher than Graph.
 * - Costs: /applications 2 resource units, the others 1; `$expand` +1,
 *   `$select` -1 (learn.microsoft.com/graph/throttling-limits).
 */
import { fromArray, fromCollection, fromIds, samplesOf } from './collections';
import { serializePage } from './envelope';
import {
  directoryObjectNotFound,
  GraphHttpError,
  unknownProperty,
} from './errors';
import {
  directoryPageSize,
  GraphCall,
  GraphPayload,
  GraphRoute,
  rejectExpand,
  rejectFilter,
  resolveSelect,
} from './graph-call';
import { canReadMemberType, Permissions } from './permissions';
import {
  EntityTypeName,
  GROUP_DEFAULT_PROPERTIES,
  pickSelected,
  USER_DEFAULT_PROPERTIES,
} from './schema';
import { certificateBodyOf, credentialSecretOf } from './tenant/credentials';
import { DirectoryObjectType, GraphObject } from './tenant/model';

const directoryRoute = (
  path: string,
  resourceUnits: number,
  permissions: readonly string[],
  handle: (call: GraphCall) => GraphPayload,
): GraphRoute => ({
  method: 'GET',
  path,
  service: 'directory',
  resourceUnits,
  permissions,
  requiresIntune: false,
  handle,
});

export const applicationRoutes: GraphRoute[] = [
  directoryRoute('/servicePrincipals', 1, Permissions.applications, (call) =>
    listObjects(call, 'servicePrincipal', 'servicePrincipals', ['owners']),
  ),
  directoryRoute(
    '/servicePrincipals/{id}/owners',
    1,
    Permissions.applications,
    listOwners,
  ),
  directoryRoute(
    '/servicePrincipals/{id}/appRoleAssignedTo',
    1,
    Permissions.applications,
    listAppRoleAssignedTo,
  ),
  directoryRoute('/applications', 2, Permissions.applications, (call) =>
    listObjects(call, 'application', 'applications', [
      'owners',
      'federatedIdentityCredentials',
    ]),
  ),
  directoryRoute(
    '/applications/{id}/owners',
    1,
    Permissions.applications,
    listOwners,
  ),
  directoryRoute(
    '/applications/{id}/federatedIdentityCredentials',
    1,
    Permissions.applications,
    listFederatedIdentityCredentials,
  ),
  directoryRoute(
    '/oauth2PermissionGrants',
    1,
    Permissions.delegatedGrants,
    listGrants,
  ),
];

// ---- $expand -----------------------------------------------------------------------------

interface Expansion {
  property: 'owners' | 'federatedIdentityCredentials';
  select?: string[];
}

/** The one navigation property a list may expand, with a nested $select; 400 otherwise. */
function parseExpand(
  call: GraphCall,
  type: EntityTypeName,
  allowed: Expansion['property'][],
): Expansion | undefined {
  const expand = call.query.expand;
  if (!expand || !expand.length) return undefined;
  if (expand.length > 1) {
    throw new GraphHttpError(
      400,
      'Request_BadRequest',
      'Expanding more than one navigation property in a request is not supported.',
    );
  }
  const match = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(expand[0].trim());
  const property = allowed.find(
    (name) => name.toLowerCase() === match?.[1].toLowerCase(),
  );
  if (!match || !property)
    throw unknownProperty(expand[0].replace(/\(.*$/, ''), type);
  let select: string[] | undefined;
  for (const option of (match[2] ?? '').split(';').filter(Boolean)) {
    const [name, value] = option.split('=');
    if (name.trim().toLowerCase() !== '$select' || !value) {
      throw new GraphHttpError(
        400,
        'BadRequest',
        `Query option '${name.trim()}' is not allowed inside $expand.`,
      );
    }
    select = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return { property, select };
}

/** An owner as owner lists show it: '@odata.type' and id, then what the caller may read. */
function ownerObject(
  call: GraphCall,
  id: string,
  select: string[] | undefined,
): GraphObject {
  const tenant = call.tenant;
  const type: DirectoryObjectType =
    tenant.directoryObjectType(id) ?? 'directoryObject';
  const object = tenant.directoryObject(id);
  const result: GraphObject = {
    '@odata.type':
      (object?.['@odata.type'] as string | undefined) ??
      `#microsoft.graph.${type}`,
    id,
  };
  const readable =
    object && type !== 'directoryObject' && canReadMemberType(call.roles, type);
  const properties =
    select ??
    (type === 'user'
      ? USER_DEFAULT_PROPERTIES
      : type === 'group'
      ? GROUP_DEFAULT_PROPERTIES
      : ['displayName', 'appId', 'servicePrincipalType']);
  for (const property of properties) {
    if (property === 'id') continue;
    result[property] = readable ? object?.[property] ?? null : null;
  }
  return result;
}

// ---- lists ---------------------------------------------------------------------------------

function exposeSecrets(object: GraphObject): GraphObject {
  const reveal = (credentials: unknown, field: 'secretText' | 'key') =>
    Array.isArray(credentials)
      ? credentials.map((c: GraphObject) => ({
          ...c,
          [field]:
            field === 'key'
              ? certificateBodyOf(c.keyId as string)
              : credentialSecretOf(c.keyId as string),
        }))
      : credentials;
  const result = { ...object };
  if ('keyCredentials' in result)
    result.keyCredentials = reveal(result.keyCredentials, 'key');
  if ('passwordCredentials' in result)
    result.passwordCredentials = reveal(
      result.passwordCredentials,
      'secretText',
    );
  return result;
}

function listObjects(
  call: GraphCall,
  type: 'servicePrincipal' | 'application',
  entitySet: string,
  expandable: Expansion['property'][],
): GraphPayload {
  rejectFilter(
    call,
    'directory',
    type === 'application' ? 'Application' : 'ServicePrincipal',
  );
  const tenant = call.tenant;
  const collection =
    type === 'application' ? tenant.applications : tenant.servicePrincipalList;
  const expansion = parseExpand(call, type, expandable);
  const select = resolveSelect(call, type, () => samplesOf(collection));
  const expose = call.behaviour.exposeCredentialSecrets;
  let pageSize = directoryPageSize(call, false);
  if (expansion) pageSize = Math.min(pageSize, call.behaviour.expandPageSize);
  const limit = call.behaviour.expandedItemsLimit;
  const fragment = [
    ...(select ?? []),
    ...(expansion ? [`${expansion.property}()`] : []),
  ];
  return serializePage(call.page, {
    source: fromCollection(collection),
    contextFragment: fragment.length
      ? `${entitySet}(${fragment.join(',')})`
      : entitySet,
    pageSize,
    cacheVariant: [
      expose ? 'exposed' : 'hidden',
      limit,
      ...(['user', 'group', 'servicePrincipal'] as DirectoryObjectType[]).map(
        (t) => (canReadMemberType(call.roles, t) ? 1 : 0),
      ),
    ].join(''),
    project: (item) => {
      const full = expose ? exposeSecrets(item) : item;
      const projected = select
        ? pickSelected(full, select, false)
        : { ...full };
      if (expansion?.property === 'owners') {
        projected.owners = (tenant.ownerIds(item.id as string) ?? [])
          .slice(0, limit)
          .map((id) => ownerObject(call, id, expansion.select));
      } else if (expansion) {
        projected.federatedIdentityCredentials = (
          tenant.federatedIdentityCredentials(item.id as string) ?? []
        )
          .slice(0, limit)
          .map((fic) =>
            expansion.select ? pickSelected(fic, expansion.select) : fic,
          );
      }
      return projected;
    },
  });
}

function listOwners(call: GraphCall): GraphPayload {
  const ids = call.tenant.ownerIds(call.params[0]);
  if (!ids) throw directoryObjectNotFound(call.params[0]);
  rejectFilter(call, 'directory', 'DirectoryObject');
  rejectExpand(call, 'directoryObject');
  const select = call.query.select?.length ? call.query.select : undefined;
  return serializePage(call.page, {
    source: fromIds(ids, (id) => id),
    contextFragment: select
      ? `directoryObjects(${select.join(',')})`
      : 'directoryObjects',
    pageSize: directoryPageSize(call, false),
    project: (id) => ownerObject(call, id, select),
  });
}

function listAppRoleAssignedTo(call: GraphCall): GraphPayload {
  const [id] = call.params;
  const assignments = call.tenant.appRoleAssignedTo(id);
  if (!assignments) throw directoryObjectNotFound(id);
  rejectFilter(call, 'directory', 'AppRoleAssignment');
  rejectExpand(call, 'appRoleAssignment');
  const select = resolveSelect(call, 'appRoleAssignment', () =>
    assignments.slice(0, 5),
  );
  return serializePage(call.page, {
    source: fromArray(assignments),
    contextFragment: `servicePrincipals('${id}')/appRoleAssignedTo${
      select ? `(${select.join(',')})` : ''
    }`,
    pageSize: directoryPageSize(call, false),
    project: (item) => (select ? pickSelected(item, select, false) : item),
  });
}

function listFederatedIdentityCredentials(call: GraphCall): GraphPayload {
  const [id] = call.params;
  const credentials = call.tenant.federatedIdentityCredentials(id);
  if (!credentials) throw directoryObjectNotFound(id);
  rejectFilter(call, 'directory', 'FederatedIdentityCredential');
  rejectExpand(call, 'federatedIdentityCredential');
  const select = resolveSelect(call, 'federatedIdentityCredential', () =>
    credentials.slice(0, 5),
  );
  return serializePage(call.page, {
    source: fromArray(credentials),
    contextFragment: `applications('${id}')/federatedIdentityCredentials`,
    pageSize: directoryPageSize(call, false),
    project: (item) => (select ? pickSelected(item, select, false) : item),
  });
}

function listGrants(call: GraphCall): GraphPayload {
  rejectFilter(call, 'directory', 'OAuth2PermissionGrant');
  rejectExpand(call, 'oAuth2PermissionGrant');
  const grants = call.tenant.oauth2PermissionGrants;
  const select = resolveSelect(call, 'oAuth2PermissionGrant', () =>
    samplesOf(grants),
  );
  return serializePage(call.page, {
    source: fromCollection(grants),
    contextFragment: `oauth2PermissionGrants${
      select ? `(${select.join(',')})` : ''
    }`,
    pageSize: directoryPageSize(call, false),
    cacheVariant: '',
    project: (item) => (select ? pickSelected(item, select, false) : item),
  });
}
