/**
 * Application permissions (the token's `roles`) each endpoint accepts, any of
 * them; a `.ReadWrite.All` grant also satisfies its `.Read.All`.
 */
import { DirectoryObjectType } from './tenant/model';

export const Permissions = {
  organization: ['Organization.Read.All', 'Directory.Read.All'],
  users: ['User.Read.All', 'Directory.Read.All'],
  groups: ['Group.Read.All', 'GroupMember.Read.All', 'Directory.Read.All'],
  groupMembers: [
    'GroupMember.Read.All',
    'Group.Read.All',
    'Directory.Read.All',
  ],
  signInActivity: ['AuditLog.Read.All'],
  intuneServiceConfig: [
    'DeviceManagementServiceConfig.Read.All',
    'DeviceManagementConfiguration.Read.All',
  ],
  intuneDevices: ['DeviceManagementManagedDevices.Read.All'],
  intuneApps: ['DeviceManagementApps.Read.All'],
  intuneConfiguration: ['DeviceManagementConfiguration.Read.All'],
  // issue 17: learn.microsoft.com/graph/api/serviceprincipal-list,
  // application-list, oauth2permissiongrant-list (Permissions sections)
  applications: ['Application.Read.All', 'Directory.Read.All'],
  delegatedGrants: [
    'Directory.Read.All',
    'DelegatedPermissionGrant.ReadWrite.All',
  ],
  // issue 16 (each endpoint's permissions table on learn.microsoft.com)
  roleManagement: [
    'RoleManagement.Read.Directory',
    'RoleManagement.Read.All',
    'Directory.Read.All',
  ],
  roleAssignmentSchedules: [
    'RoleAssignmentSchedule.Read.Directory',
    'RoleManagement.Read.Directory',
    'RoleManagement.Read.All',
  ],
  roleEligibilitySchedules: [
    'RoleEligibilitySchedule.Read.Directory',
    'RoleManagement.Read.Directory',
    'RoleManagement.Read.All',
  ],
  registrationDetails: ['AuditLog.Read.All'],
  policies: ['Policy.Read.All'],
  // issue 15: the report actions accept any of the three DeviceManagement
  // families (learn.microsoft.com/graph/api/intune-reporting-devicemanagementreports-getdevicestatusbycompliacepolicyreport)
  intuneReports: [
    'DeviceManagementConfiguration.Read.All',
    'DeviceManagementApps.Read.All',
    'DeviceManagementManagedDevices.Read.All',
  ],
} as const;

/**
 * Who may see a group member in full; others come back as `@odata.type` +
 * `id` (graph-api.md §3, "limited information for inaccessible member objects").
 */
const MEMBER_TYPE_PERMISSIONS: Record<DirectoryObjectType, readonly string[]> =
  {
    user: ['User.Read.All', 'Directory.Read.All'],
    group: ['Group.Read.All', 'GroupMember.Read.All', 'Directory.Read.All'],
    device: ['Device.Read.All', 'Directory.Read.All'],
    servicePrincipal: ['Application.Read.All', 'Directory.Read.All'],
    orgContact: ['OrgContact.Read.All', 'Directory.Read.All'],
    directoryObject: ['Directory.Read.All'],
  };

export function hasAnyPermission(
  roles: ReadonlySet<string>,
  accepted: readonly string[],
): boolean {
  return accepted.some(
    (permission) =>
      roles.has(permission) ||
      roles.has(permission.replace('.Read.', '.ReadWrite.')),
  );
}

export function canReadMemberType(
  roles: ReadonlySet<string>,
  type: DirectoryObjectType,
): boolean {
  return hasAnyPermission(roles, MEMBER_TYPE_PERMISSIONS[type]);
}

/** "A.Read.All, A.ReadWrite.All, B.Read.All, ..." as Intune's 403 lists them (graph-api.md §5). */
export function describeScopes(accepted: readonly string[]): string {
  return accepted
    .flatMap((permission) => [
      permission,
      permission.replace('.Read.', '.ReadWrite.'),
    ])
    .join(', ');
}
