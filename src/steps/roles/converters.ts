/**
 * Pure conversions of Entra ID role definitions and role assignments into
 * entities and relationships (docs/identity-security.md). No I/O.
 */
import {
  createIntegrationEntity,
  Entity,
  Relationship,
  RelationshipClass,
} from '@jupiterone/integration-sdk-core';
import { GraphRoleDefinition } from '../../graph/role-management';
import { Entities, MappedRelationships, Relationships } from '../constants';
import {
  presentBoolean,
  presentString,
  presentStrings,
  presentText,
  withoutUndefined,
} from '../convert';
import { directRelationship, relationshipKey } from '../graph-objects';
import {
  mappedRelationshipTo,
  PRINCIPAL_ENTITIES,
  PrincipalType,
} from '../principals';
import { RoleAssignment } from './assignments';

/** The Global Administrator role's template id, the same in every tenant. */
export const GLOBAL_ADMINISTRATOR_TEMPLATE_ID =
  '62e90394-69f5-4237-9190-012177145e10';

/**
 * One `azure_ad_role_definition` per role, keyed by its id (for built-in
 * roles the template id, the same in every tenant, as Conditional Access
 * names roles). `privileged` only where Graph says (beta `isPrivileged`).
 */
export function toRoleDefinitionEntity(role: GraphRoleDefinition): Entity {
  const name = presentText(role.displayName) ?? role.id;
  const builtIn = presentBoolean(role.isBuiltIn);
  const templateId = presentString(role.templateId);
  const actions = (role.rolePermissions ?? []).flatMap(
    (permission) => presentStrings(permission?.allowedResourceActions) ?? [],
  );
  const conditions = (role.rolePermissions ?? [])
    .map((permission) => presentString(permission?.condition))
    .filter((condition): condition is string => Boolean(condition));
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: withoutUndefined({
        _key: role.id,
        _type: Entities.ROLE_DEFINITION._type,
        _class: Entities.ROLE_DEFINITION._class,
        id: role.id,
        name,
        displayName: name,
        description: presentText(role.description),
        isBuiltIn: builtIn,
        builtIn,
        custom: builtIn === undefined ? undefined : !builtIn,
        systemRole: builtIn,
        enabled: presentBoolean(role.isEnabled),
        isEnabled: presentBoolean(role.isEnabled),
        privileged: presentBoolean(role.isPrivileged),
        superAdmin: templateId === GLOBAL_ADMINISTRATOR_TEMPLATE_ID,
        templateId,
        version: presentString(role.version),
        resourceScopes: presentStrings(role.resourceScopes),
        allowedResourceActions: Array.from(new Set(actions)),
        permissionConditions: conditions.length
          ? Array.from(new Set(conditions))
          : undefined,
      }),
    },
  });
}

const DIRECT_ROWS = {
  user: Relationships.USER_HAS_ROLE,
  group: Relationships.GROUP_HAS_ROLE,
  servicePrincipal: Relationships.SERVICE_PRINCIPAL_HAS_ROLE,
};
const MAPPED_ROWS = {
  user: MappedRelationships.USER_HAS_ROLE,
  group: MappedRelationships.GROUP_HAS_ROLE,
  servicePrincipal: MappedRelationships.SERVICE_PRINCIPAL_HAS_ROLE,
};

/**
 * The relationship's identity after `{principal}|has|{role}`: one
 * relationship per principal, role, scope and assignment type, whichever
 * Graph list (or lists) the assignment came from.
 */
function discriminator(assignment: RoleAssignment): string {
  return `${assignment.directoryScopeId}|${assignment.assignmentType}`;
}

/** Properties of principal HAS role: scope, active or eligible, and when. */
export function roleAssignmentProperties(
  assignment: RoleAssignment,
): Record<string, string | number | boolean | undefined> {
  return withoutUndefined({
    assignmentType: assignment.assignmentType,
    directoryScopeId: assignment.directoryScopeId,
    tenantWide: assignment.directoryScopeId === '/',
    appScopeId: assignment.appScopeId,
    startOn: assignment.startOn,
    endOn: assignment.endOn,
    permanent: assignment.permanent,
    activated: assignment.activated,
  });
}

/**
 * principal HAS role: direct when both are entities of this collection;
 * mapped (from the role, REVERSE) when the principal is not.
 */
export function toRoleAssignmentRelationship(
  assignment: RoleAssignment & { principalType: PrincipalType },
  principalCollected: boolean,
): Relationship {
  const type = assignment.principalType;
  const properties = roleAssignmentProperties(assignment);
  if (principalCollected) {
    return directRelationship({
      _class: RelationshipClass.HAS,
      fromType: PRINCIPAL_ENTITIES[type]._type,
      fromKey: assignment.principalId,
      toType: Entities.ROLE_DEFINITION._type,
      toKey: assignment.roleDefinitionId,
      discriminator: discriminator(assignment),
      properties,
    });
  }
  return mappedRelationshipTo({
    row: MAPPED_ROWS[type],
    sourceKey: assignment.roleDefinitionId,
    target: PRINCIPAL_ENTITIES[type],
    targetKey: assignment.principalId,
    key: relationshipKey(
      `${assignment.principalId}|has|${
        assignment.roleDefinitionId
      }|${discriminator(assignment)}`,
    ),
    properties,
  });
}

/** The `_type` of principal HAS role for a principal type (direct and mapped alike). */
export function roleRelationshipType(type: PrincipalType): string {
  return DIRECT_ROWS[type]._type;
}
