/**
 * Entra ID directory endpoints: organization, users, groups, group members
 * (graph-api.md §2.3, §3, §4).
 */
import { fromArray, fromCollection, fromIds, samplesOf } from './collections';
import { serializeEntity, serializePage } from './envelope';
import {
  directoryObjectNotFound,
  GraphHttpError,
  GraphMessages,
} from './errors';
import {
  directoryPageSize,
  GraphCall,
  GraphPayload,
  GraphRoute,
  rejectExpand,
  rejectFilter,
  resolveSelect,
  withSelect,
} from './graph-call';
import {
  canReadMemberType,
  hasAnyPermission,
  Permissions,
} from './permissions';
import {
  EntityTypeName,
  GROUP_DEFAULT_PROPERTIES,
  ORGANIZATION_SELECT_ONLY,
  pickProperties,
  pickSelected,
  USER_DEFAULT_PROPERTIES,
} from './schema';
import { DirectoryObjectType, GraphObject, TenantData } from './tenant/model';

const MEMBER_TYPES: EntityTypeName[] = [
  'user',
  'group',
  'device',
  'servicePrincipal',
  'orgContact',
];

export const directoryRoutes: GraphRoute[] = [
  {
    method: 'GET',
    path: '/organization',
    service: 'directory',
    resourceUnits: 1,
    permissions: Permissions.organization,
    requiresIntune: false,
    authorize: requireIntuneForMdmAuthority,
    handle: listOrganization,
  },
  {
    method: 'GET',
    path: '/organization/{id}',
    service: 'directory',
    resourceUnits: 1,
    permissions: Permissions.organization,
    requiresIntune: false,
    authorize: requireIntuneForMdmAuthority,
    handle: getOrganization,
  },
  {
    method: 'GET',
    path: '/users',
    service: 'directory',
    resourceUnits: 2,
    permissions: Permissions.users,
    requiresIntune: false,
    authorize: authorizeSignInActivity,
    handle: listUsers,
  },
  {
    method: 'GET',
    path: '/users/$count',
    service: 'directory',
    resourceUnits: 1,
    permissions: Permissions.users,
    requiresIntune: false,
    handle: (call) => countOf(call, call.tenant.users.count),
  },
  {
    method: 'GET',
    path: '/users/{id}',
    service: 'directory',
    resourceUnits: 1,
    permissions: Permissions.users,
    requiresIntune: false,
    authorize: authorizeSignInActivity,
    handle: (call) =>
      getDirectoryEntity(call, 'user', 'users', USER_DEFAULT_PROPERTIES),
  },
  {
    method: 'GET',
    path: '/groups/$count',
    service: 'directory',
    resourceUnits: 1,
    permissions: Permissions.groups,
    requiresIntune: false,
    handle: (call) => countOf(call, call.tenant.groups.count),
  },
  {
    method: 'GET',
    path: '/groups',
    service: 'directory',
    resourceUnits: 1,
    permissions: Permissions.groups,
    requiresIntune: false,
    handle: listGroups,
  },
  {
    method: 'GET',
    path: '/groups/{id}',
    service: 'directory',
    resourceUnits: 1,
    permissions: Permissions.groups,
    requiresIntune: false,
    handle: (call) =>
      getDirectoryEntity(call, 'group', 'groups', GROUP_DEFAULT_PROPERTIES),
  },
  {
    method: 'GET',
    path: '/groups/{id}/members',
    service: 'directory',
    resourceUnits: 3,
    permissions: Permissions.groupMembers,
    requiresIntune: false,
    handle: listGroupMembers,
  },
];

// ---- organization ----------------------------------------------------------------

function selectsMdmAuthority(call: GraphCall): boolean {
  return (call.query.select ?? []).some(
    (name) => name.toLowerCase() === 'mobiledevicemanagementauthority',
  );
}

/** mobileDeviceManagementAuthority is served by Intune: 400 without it (HAR, graph-api.md §2.3). */
function requireIntuneForMdmAuthority(call: GraphCall): void {
  if (selectsMdmAuthority(call) && !call.tenant.intune) {
    throw new GraphHttpError(400, 'BadRequest', GraphMessages.notApplicable);
  }
}

/** The organization with the Intune-backed property filled in. */
function organizationOf(tenant: TenantData): GraphObject {
  return {
    ...tenant.organization,
    mobileDeviceManagementAuthority: tenant.intune?.mdmAuthority ?? null,
  };
}

function withoutSelectOnly(organization: GraphObject): GraphObject {
  const result = { ...organization };
  for (const property of ORGANIZATION_SELECT_ONLY) delete result[property];
  return result;
}

function listOrganization(call: GraphCall): GraphPayload {
  rejectFilter(call, 'directory', 'Organization');
  rejectExpand(call, 'organization');
  const organization = organizationOf(call.tenant);
  const select = resolveSelect(call, 'organization', () => [
    call.tenant.organization,
  ]);
  const page = serializePage(call.page, {
    source: fromArray([organization]),
    contextFragment: withSelect('organization', select),
    pageSize: 1,
    project: (item) =>
      select ? pickSelected(item, select) : withoutSelectOnly(item),
  });
  return { ...page, omitResourceUnitHeader: selectsMdmAuthority(call) };
}

function getOrganization(call: GraphCall): GraphPayload {
  const [id] = call.params;
  if (id.toLowerCase() !== call.tenant.tenantId.toLowerCase())
    throw directoryObjectNotFound(id);
  rejectExpand(call, 'organization');
  const select = resolveSelect(call, 'organization', () => [
    call.tenant.organization,
  ]);
  const organization = organizationOf(call.tenant);
  // A selected single entity carries only what was selected (no id; HAR fetchAccount).
  const entity = select
    ? pickProperties(organization, select)
    : withoutSelectOnly(organization);
  return {
    body: serializeEntity(
      call.origin,
      call.version,
      `${withSelect('organization', select)}/$entity`,
      entity,
    ),
    itemsServed: 1,
    omitResourceUnitHeader: selectsMdmAuthority(call),
  };
}

// ---- users and groups --------------------------------------------------------------

function selectsSignInActivity(call: GraphCall): boolean {
  return (call.query.select ?? []).some(
    (name) => name.toLowerCase() === 'signinactivity',
  );
}

/** signInActivity needs AuditLog.Read.All and Entra ID P1/P2 (graph-api.md §4). */
function authorizeSignInActivity(call: GraphCall): void {
  if (!selectsSignInActivity(call)) return;
  if (!hasAnyPermission(call.roles, Permissions.signInActivity)) {
    throw new GraphHttpError(
      403,
      'Authentication_MSGraphPermissionMissing',
      GraphMessages.auditLogPermissionMissing,
    );
  }
  if (!call.tenant.premium) {
    throw new GraphHttpError(
      403,
      'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      call.behaviour.licenceErrorWording === 'old'
        ? GraphMessages.nonPremiumOld
        : GraphMessages.nonPremiumNew,
    );
  }
}

function listUsers(call: GraphCall): GraphPayload {
  rejectFilter(call, 'directory', 'User');
  rejectExpand(call, 'user');
  const select = resolveSelect(call, 'user', () =>
    samplesOf(call.tenant.users),
  );
  return serializePage(call.page, {
    source: fromCollection(call.tenant.users),
    contextFragment: withSelect('users', select),
    pageSize: directoryPageSize(call, selectsSignInActivity(call)),
    cacheVariant: '',
    project: (user) =>
      select
        ? pickSelected(user, select)
        : pickProperties(user, USER_DEFAULT_PROPERTIES),
  });
}

function listGroups(call: GraphCall): GraphPayload {
  rejectFilter(call, 'directory', 'Group');
  rejectExpand(call, 'group');
  const select = resolveSelect(call, 'group', () =>
    samplesOf(call.tenant.groups),
  );
  return serializePage(call.page, {
    source: fromCollection(call.tenant.groups),
    contextFragment: withSelect('groups', select),
    pageSize: directoryPageSize(call, false),
    cacheVariant: '',
    project: (group) =>
      select
        ? pickSelected(group, select)
        : pickProperties(group, GROUP_DEFAULT_PROPERTIES),
  });
}

function getDirectoryEntity(
  call: GraphCall,
  type: 'user' | 'group',
  entitySet: string,
  defaults: string[],
): GraphPayload {
  const [id] = call.params;
  const object =
    call.tenant.directoryObjectType(id) === type
      ? call.tenant.directoryObject(id)
      : undefined;
  if (!object) throw directoryObjectNotFound(id);
  rejectExpand(call, type);
  const collection = type === 'user' ? call.tenant.users : call.tenant.groups;
  const select = resolveSelect(call, type, () => samplesOf(collection));
  const entity = select
    ? pickSelected(object, select)
    : pickProperties(object, defaults);
  return {
    body: serializeEntity(
      call.origin,
      call.version,
      `${withSelect(entitySet, select)}/$entity`,
      entity,
    ),
    itemsServed: 1,
  };
}

// ---- group members --------------------------------------------------------------------

/**
 * Direct members, each with `@odata.type` first. v1.0 omits service
 * principals (documented known issue); beta lists them. Members whose type
 * the token cannot read come back as `@odata.type` + `id` (graph-api.md §3).
 */
function listGroupMembers(call: GraphCall): GraphPayload {
  const [groupId] = call.params;
  const tenant = call.tenant;
  const allIds = tenant.groupMemberIds(groupId);
  if (!allIds) throw directoryObjectNotFound(groupId);
  rejectFilter(call, 'directory', 'DirectoryObject');
  rejectExpand(call, 'directoryObject');
  const ids =
    call.version === 'v1.0'
      ? allIds.filter(
          (id) => tenant.directoryObjectType(id) !== 'servicePrincipal',
        )
      : allIds;
  const select = resolveMemberSelect(call);
  return serializePage(call.page, {
    source: fromIds(ids, (id) => memberObject(tenant, id)),
    contextFragment: withSelect('directoryObjects', select),
    pageSize: directoryPageSize(call, false),
    // What a member looks like depends on which member types the caller may read.
    cacheVariant: MEMBER_TYPES.map((type) =>
      canReadMemberType(call.roles, type as DirectoryObjectType) ? 1 : 0,
    ).join(''),
    project: (member) => projectMember(call, member, select),
  });
}

/** $select on directoryObjects may name a property of any member type. */
function resolveMemberSelect(call: GraphCall): string[] | undefined {
  const select = call.query.select;
  if (!select || select.length === 0) return undefined;
  const samples = () => [
    ...samplesOf(call.tenant.users, 2),
    ...samplesOf(call.tenant.groups, 2),
  ];
  return select.map((name) => {
    for (const type of MEMBER_TYPES) {
      const resolved = call.catalog.resolve(type, call.version, name, samples);
      if (resolved) return resolved;
    }
    return call.catalog.resolveSelect(
      'directoryObject',
      call.version,
      [name],
      () => [],
    )[0];
  });
}

interface MemberObject {
  type: DirectoryObjectType;
  object: GraphObject;
}

function memberObject(tenant: TenantData, id: string): MemberObject {
  return {
    type: tenant.directoryObjectType(id) ?? 'directoryObject',
    object: tenant.directoryObject(id) ?? { id },
  };
}

function projectMember(
  call: GraphCall,
  member: MemberObject,
  select: string[] | undefined,
): GraphObject {
  const { type, object } = member;
  const odataType =
    (object['@odata.type'] as string | undefined) ?? `#microsoft.graph.${type}`;
  const result: GraphObject = { '@odata.type': odataType, id: object.id };
  const readable =
    type !== 'directoryObject' && canReadMemberType(call.roles, type);
  if (select) {
    for (const property of select) {
      if (property === 'id') continue;
      result[property] = readable ? object[property] ?? null : null;
    }
    return result;
  }
  if (!readable) return result;
  const defaults =
    type === 'user'
      ? USER_DEFAULT_PROPERTIES
      : type === 'group'
      ? GROUP_DEFAULT_PROPERTIES
      : undefined;
  if (defaults) {
    for (const property of defaults)
      if (property !== 'id') result[property] = object[property] ?? null;
  } else {
    for (const [property, value] of Object.entries(object)) {
      if (property !== '@odata.type' && property !== 'id')
        result[property] = value;
    }
  }
  return result;
}

/**
 * `GET /users/$count` (or /groups): the number as text/plain, and only with
 * `ConsistencyLevel: eventual`; without it Graph answers 400
 * Request_BadRequest "$count is not currently supported."
 * (learn.microsoft.com/graph/api/user-list example 3; microsoftgraph/
 * microsoft-graph-docs #13226).
 */
function countOf(call: GraphCall, count: number): GraphPayload {
  if ((call.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') {
    throw new GraphHttpError(
      400,
      'Request_BadRequest',
      '$count is not currently supported.',
    );
  }
  return {
    body: String(count),
    itemsServed: 0,
    contentType: 'text/plain',
  };
}
