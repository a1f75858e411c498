/**
 * Issue 16 endpoints: role management (with PIM), the registration report,
 * Conditional Access and the tenant sign-in policies. Evidence for each
 * behaviour is beside it; graph-recordings/entra holds the captures the
 * fidelity test compares with.
 *
 * - Role definitions, assignments and policies are identity (directory)
 *   requests; the registration report is an identity report (5 requests per
 *   10 s); Conditional Access has its own service (1 request per second per
 *   tenant, 429s without Retry-After; types.ts).
 * - Licences: the PIM lists answer 400 AadPremiumLicenseRequired without P2
 *   (maester365/maester#1421); the registration report answers 403
 *   Authentication_RequestFromNonPremiumTenantOrB2CTenant without P1/P2
 *   (captured, ad-role-assignments.har); Conditional Access is assumed to do
 *   the same (UNCONFIRMED, harsher than listing leftover policies).
 */
import { fromArray, fromCollection, samplesOf } from './collections';
import { serializeEntity, serializePage } from './envelope';
import { GraphHttpError, GraphMessages, unknownProperty } from './errors';
import {
  GraphCall,
  GraphPayload,
  GraphRoute,
  rejectFilter,
} from './graph-call';
import { Permissions } from './permissions';
import { GraphObject } from './tenant/model';

/** Beta-only properties of a role definition (unifiedRoleDefinition, v1.0 vs beta). */
const ROLE_DEFINITION_BETA_ONLY = ['isPrivileged', 'allowedPrincipalTypes'];

/** A GET route of this module. */
function get(
  path: string,
  service: 'directory' | 'identityReports' | 'conditionalAccess',
  permissions: readonly string[],
  handle: GraphRoute['handle'],
  authorize?: GraphRoute['authorize'],
): GraphRoute {
  return {
    method: 'GET',
    path,
    service,
    ...(service === 'directory' ? { resourceUnits: 1 } : {}),
    permissions,
    requiresIntune: false,
    authorize,
    handle,
  };
}

const ROLES = '/roleManagement/directory';
const CA = '/identity/conditionalAccess';

export const identityRoutes: GraphRoute[] = [
  get(
    `${ROLES}/roleDefinitions`,
    'directory',
    Permissions.roleManagement,
    listRoleDefinitions,
  ),
  get(
    `${ROLES}/roleAssignments`,
    'directory',
    Permissions.roleManagement,
    (call) =>
      listAssignments(call, call.tenant.roleAssignments, 'roleAssignments'),
  ),
  get(
    `${ROLES}/roleAssignmentScheduleInstances`,
    'directory',
    Permissions.roleAssignmentSchedules,
    (call) =>
      listAssignments(
        call,
        call.tenant.roleAssignmentScheduleInstances,
        'roleAssignmentScheduleInstances',
      ),
    requireP2,
  ),
  get(
    `${ROLES}/roleEligibilityScheduleInstances`,
    'directory',
    Permissions.roleEligibilitySchedules,
    (call) =>
      listAssignments(
        call,
        call.tenant.roleEligibilityScheduleInstances,
        'roleEligibilityScheduleInstances',
      ),
    requireP2,
  ),
  get(
    '/reports/authenticationMethods/userRegistrationDetails',
    'identityReports',
    Permissions.registrationDetails,
    listRegistrationDetails,
    requirePremium,
  ),
  get(
    `${CA}/policies`,
    'conditionalAccess',
    Permissions.policies,
    (call) =>
      listSmall(
        call,
        call.tenant.conditionalAccessPolicies,
        'identity/conditionalAccess/policies',
      ),
    requirePremium,
  ),
  get(
    `${CA}/namedLocations`,
    'conditionalAccess',
    Permissions.policies,
    (call) =>
      listSmall(
        call,
        call.tenant.namedLocations,
        'identity/conditionalAccess/namedLocations',
      ),
    requirePremium,
  ),
  // Every capture of this 200 (2021 to 2024) carries "retry-after: 1209600"
  // (14 days) and no x-ms-resource-unit: a client must not wait on a success.
  get(
    '/policies/identitySecurityDefaultsEnforcementPolicy',
    'directory',
    Permissions.policies,
    (call) =>
      singleton(
        call,
        call.tenant.securityDefaultsPolicy,
        'policies/identitySecurityDefaultsEnforcementPolicy',
        { 'retry-after': '1209600' },
      ),
  ),
  // A singleton in v1.0 (docs example); beta returns a collection.
  get(
    '/policies/authorizationPolicy',
    'directory',
    Permissions.policies,
    (call) =>
      singleton(
        call,
        call.tenant.authorizationPolicy,
        'policies/authorizationPolicy',
      ),
  ),
  get(
    '/policies/authenticationMethodsPolicy',
    'directory',
    Permissions.policies,
    (call) =>
      singleton(
        call,
        call.tenant.authenticationMethodsPolicy,
        'policies/authenticationMethodsPolicy',
      ),
  ),
];

// ---- licences ----------------------------------------------------------------------

function requireP2(call: GraphCall): void {
  if (call.tenant.premiumP2) return;
  throw new GraphHttpError(
    400,
    'AadPremiumLicenseRequired',
    call.behaviour.licenceErrorWording === 'old'
      ? GraphMessages.p2RequiredOld
      : GraphMessages.p2RequiredNew,
  );
}

function requirePremium(call: GraphCall): void {
  if (call.tenant.premium) return;
  throw new GraphHttpError(
    403,
    'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
    call.behaviour.licenceErrorWording === 'old'
      ? GraphMessages.nonPremiumOld
      : GraphMessages.nonPremiumNew,
  );
}

// ---- query options -----------------------------------------------------------------

/**
 * $select against the properties the objects of a list carry (v1.0 without
 * the beta-only ones): canonical names, 400 on an unknown one.
 */
function selectOf(
  call: GraphCall,
  samples: GraphObject[],
  typeName: string,
  betaOnly: string[] = [],
): string[] | undefined {
  const select = call.query.select;
  if (!select?.length) return undefined;
  const known = new Map<string, string>();
  for (const sample of samples) {
    for (const key of Object.keys(sample)) {
      if (key.startsWith('@') || key.includes('@')) continue;
      if (call.version === 'v1.0' && betaOnly.includes(key)) continue;
      known.set(key.toLowerCase(), key);
    }
  }
  known.set('id', 'id');
  return select.map((name) => {
    const property = known.get(name.toLowerCase());
    if (!property) throw unknownProperty(name, typeName);
    return property;
  });
}

function pick(object: GraphObject, select: string[]): GraphObject {
  const result: GraphObject = { id: object.id ?? null };
  for (const property of select) result[property] = object[property] ?? null;
  return result;
}

function rejectExpandOf(call: GraphCall, typeName: string): void {
  const expand = call.query.expand;
  if (expand?.length)
    throw unknownProperty(expand[0].replace(/\(.*$/, ''), typeName);
}

// ---- role management ---------------------------------------------------------------

function listRoleDefinitions(call: GraphCall): GraphPayload {
  rejectFilter(call, 'directory', 'UnifiedRoleDefinition');
  rejectExpandOf(call, 'unifiedRoleDefinition');
  const definitions = call.tenant.roleDefinitions;
  const select = selectOf(
    call,
    definitions.slice(0, 1),
    'unifiedRoleDefinition',
    ROLE_DEFINITION_BETA_ONLY,
  );
  const fragment = 'roleManagement/directory/roleDefinitions';
  return serializePage(call.page, {
    source: fromArray(definitions),
    contextFragment: select ? `${fragment}(${select.join(',')})` : fragment,
    // One page: the capture lists 102 definitions without a nextLink.
    pageSize: Math.max(1, definitions.length),
    project: (role) =>
      select ? pick(role, select) : roleDefinitionOnTheWire(call, role),
  });
}

/** Without $select: the captured property order, beta-only ones in beta only. */
function roleDefinitionOnTheWire(
  call: GraphCall,
  role: GraphObject,
): GraphObject {
  const id = role.id as string;
  const result: GraphObject = {
    id,
    description: role.description,
    displayName: role.displayName,
    isBuiltIn: role.isBuiltIn,
    isEnabled: role.isEnabled,
  };
  if (call.version === 'beta') {
    result.isPrivileged = role.isPrivileged;
    result.allowedPrincipalTypes = role.allowedPrincipalTypes;
  }
  Object.assign(result, {
    resourceScopes: role.resourceScopes,
    templateId: role.templateId,
    version: role.version,
    rolePermissions: role.rolePermissions,
    'inheritsPermissionsFrom@odata.context': `${call.origin}/${call.version}/$metadata#roleManagement/directory/roleDefinitions('${id}')/inheritsPermissionsFrom`,
    inheritsPermissionsFrom: role.inheritsPermissionsFrom,
  });
  return result;
}

/**
 * `$expand=principal` (optionally `principal($select=...)`): the principal
 * as a directory object with its @odata.type, or null when Graph no longer
 * resolves the id. Anything else to expand is a 400.
 */
function principalExpansion(call: GraphCall): string[] | null | undefined {
  const expand = call.query.expand;
  if (!expand?.length) return undefined;
  if (expand.length > 1)
    throw unknownProperty(
      expand[1].replace(/\(.*$/, ''),
      'unifiedRoleAssignment',
    );
  const match = /^principal(?:\(\$select=([^)]*)\))?$/i.exec(expand[0].trim());
  if (!match)
    throw unknownProperty(
      expand[0].replace(/\(.*$/, ''),
      'unifiedRoleAssignment',
    );
  return match[1] ? match[1].split(',').map((s) => s.trim()) : null;
}

function listAssignments(
  call: GraphCall,
  items: GraphObject[],
  collection: string,
): GraphPayload {
  rejectFilter(call, 'directory', 'UnifiedRoleAssignment');
  const expand = principalExpansion(call);
  const select = selectOf(call, items.slice(0, 1), 'unifiedRoleAssignment');
  const tenant = call.tenant;
  return serializePage(call.page, {
    source: fromArray(items),
    contextFragment: `roleManagement/directory/${collection}`,
    pageSize: call.behaviour.identityPageSize,
    project: (item) => {
      const result = select ? pick(item, select) : { ...item };
      if (expand === undefined) return result;
      const id = item.principalId as string;
      const type = tenant.directoryObjectType(id);
      const object = tenant.directoryObject(id);
      if (!type || type === 'directoryObject' || !object) {
        result.principal = null;
      } else {
        const principal: GraphObject = {
          '@odata.type': `#microsoft.graph.${type}`,
          id,
        };
        if (expand === null) Object.assign(principal, object);
        else
          for (const property of expand)
            if (property !== 'id')
              principal[property] = object[property] ?? null;
        result.principal = principal;
      }
      return result;
    },
  });
}

// ---- the registration report -------------------------------------------------------

/**
 * "This method supports only the $filter and $orderBy OData query
 * parameters" (docs-contrib authenticationmethodsroot-list-userregistrationdetails.md):
 * $select, $top and $expand are refused here (UNCONFIRMED how Graph words it;
 * refusing is harsher than ignoring). $filter is not simulated.
 */
function listRegistrationDetails(call: GraphCall): GraphPayload {
  for (const option of ['$select', '$top', '$expand', '$filter']) {
    if (call.query.system.has(option)) {
      throw new GraphHttpError(
        400,
        'BadRequest',
        `The query parameter '${option}' is not supported on userRegistrationDetails.`,
      );
    }
  }
  return serializePage(call.page, {
    source: fromCollection(call.tenant.userRegistrationDetails),
    contextFragment: 'reports/authenticationMethods/userRegistrationDetails',
    pageSize: call.behaviour.registrationDetailsPageSize,
    cacheVariant: '',
    project: (record) => record,
  });
}

// ---- Conditional Access and tenant policies ----------------------------------------------

function listSmall(
  call: GraphCall,
  items: GraphObject[],
  fragment: string,
): GraphPayload {
  const typeName = fragment.endsWith('policies')
    ? 'conditionalAccessPolicy'
    : 'namedLocation';
  if (call.query.filter !== undefined) {
    throw new GraphHttpError(
      400,
      'BadRequest',
      `$filter is not simulated on ${typeName}.`,
    );
  }
  rejectExpandOf(call, typeName);
  const select = selectOf(call, samplesOf(fromArray(items)), typeName);
  return serializePage(call.page, {
    source: fromArray(items),
    contextFragment: select ? `${fragment}(${select.join(',')})` : fragment,
    pageSize: call.behaviour.identityPageSize,
    project: (item) => (select ? pick(item, select) : item),
  });
}

function singleton(
  call: GraphCall,
  object: GraphObject,
  fragment: string,
  headers: Record<string, string> = {},
): GraphPayload {
  rejectExpandOf(call, fragment.split('/').pop() as string);
  const select = selectOf(call, [object], fragment.split('/').pop() as string);
  return {
    body: serializeEntity(
      call.origin,
      call.version,
      `${fragment}/$entity`,
      select ? pick(object, select) : object,
    ),
    itemsServed: 1,
    omitResourceUnitHeader: true,
    headers,
  };
}
