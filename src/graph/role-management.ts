/**
 * Entra ID role management: role definitions, active role assignments and
 * the PIM schedule instances (eligible and time-bound). The only place that
 * knows their URLs; src/steps/roles asks for pages and converts them.
 */
import { GraphClient } from './client';
import { isGraphError } from './errors';

export interface GraphRolePermission {
  allowedResourceActions?: string[] | null;
  condition?: string | null;
}

export interface GraphRoleDefinition {
  id: string;
  displayName?: string | null;
  description?: string | null;
  isBuiltIn?: boolean | null;
  isEnabled?: boolean | null;
  /** Microsoft's own "privileged" marking (beta only). */
  isPrivileged?: boolean | null;
  templateId?: string | null;
  version?: string | null;
  resourceScopes?: string[] | null;
  rolePermissions?: GraphRolePermission[] | null;
}

/** `$expand=principal($select=id)`: the principal's type and id only. */
export interface GraphPrincipalReference {
  '@odata.type'?: string;
  id?: string;
}

/** What roleAssignments and both schedule-instance lists have in common. */
export interface GraphRoleAssignmentLike {
  id: string;
  principalId?: string | null;
  roleDefinitionId?: string | null;
  directoryScopeId?: string | null;
  appScopeId?: string | null;
  /** null when the principal no longer exists. */
  principal?: GraphPrincipalReference | null;
}

export interface GraphRoleScheduleInstance extends GraphRoleAssignmentLike {
  startDateTime?: string | null;
  endDateTime?: string | null;
  /** Direct, Group (through a role-assignable group) or Inherited. */
  memberType?: string | null;
  /** Active instances only: Assigned or Activated (from an eligibility). */
  assignmentType?: string | null;
}

/** What the role definition entity keeps; isPrivileged exists in beta only. */
export const ROLE_DEFINITION_SELECT = [
  'id',
  'displayName',
  'description',
  'isBuiltIn',
  'isEnabled',
  'isPrivileged',
  'templateId',
  'version',
  'resourceScopes',
  'rolePermissions',
];

const EXPAND_PRINCIPAL = 'principal($select=id)';

/**
 * GET /beta/roleManagement/directory/roleDefinitions: built-in and custom
 * roles. Beta, because only beta has `isPrivileged` (Microsoft's marking of
 * privileged roles; learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions).
 * Needs RoleManagement.Read.Directory (or Directory.Read.All).
 * https://learn.microsoft.com/graph/api/rbacapplication-list-roledefinitions?view=graph-rest-beta
 */
export function iterateRoleDefinitionPages(
  client: GraphClient,
): AsyncGenerator<GraphRoleDefinition[]> {
  return client.iteratePages<GraphRoleDefinition>({
    version: 'beta',
    path: '/roleManagement/directory/roleDefinitions',
    query: { $select: ROLE_DEFINITION_SELECT.join(',') },
  });
}

/**
 * GET /v1.0/roleManagement/directory/roleAssignments with each principal's
 * type: every active assignment, permanent or activated through PIM.
 * Needs RoleManagement.Read.Directory (or Directory.Read.All).
 * https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments
 */
export function iterateRoleAssignmentPages(
  client: GraphClient,
): AsyncGenerator<GraphRoleAssignmentLike[]> {
  return client.iteratePages<GraphRoleAssignmentLike>({
    version: 'v1.0',
    path: '/roleManagement/directory/roleAssignments',
    query: { $expand: EXPAND_PRINCIPAL },
  });
}

export type ScheduleKind = 'active' | 'eligible';

const SCHEDULE_PATHS: Record<ScheduleKind, string> = {
  active: '/roleManagement/directory/roleAssignmentScheduleInstances',
  eligible: '/roleManagement/directory/roleEligibilityScheduleInstances',
};

/**
 * GET /v1.0/roleManagement/directory/roleAssignmentScheduleInstances (active,
 * with start and end) or .../roleEligibilityScheduleInstances (PIM-eligible).
 * Need RoleManagement.Read.Directory and Entra ID P2 (else 400
 * AadPremiumLicenseRequired, see pimLicenceRefusal).
 * https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignmentscheduleinstances
 * https://learn.microsoft.com/graph/api/rbacapplication-list-roleeligibilityscheduleinstances
 */
export function iterateRoleScheduleInstancePages(
  client: GraphClient,
  kind: ScheduleKind,
): AsyncGenerator<GraphRoleScheduleInstance[]> {
  return client.iteratePages<GraphRoleScheduleInstance>({
    version: 'v1.0',
    path: SCHEDULE_PATHS[kind],
    query: { $expand: EXPAND_PRINCIPAL },
  });
}

/**
 * The tenant has no Entra ID P2 (or ID Governance) licence: PIM answers 400
 * AadPremiumLicenseRequired, "The tenant needs to have Microsoft Entra ID P2
 * or Microsoft Entra ID Governance license." (maester365/maester#1421, 2026;
 * older wording "The tenant needs an AAD Premium 2 license."). The code
 * decides, not the wording.
 */
export function isPimLicenceRefusal(err: unknown): boolean {
  return isGraphError(err, { code: 'AadPremiumLicenseRequired' });
}

/** The app may read roles but not PIM schedules (no RoleManagement.Read.Directory). */
export function isPimPermissionRefusal(err: unknown): boolean {
  return isGraphError(err, { status: 403 });
}
