/**
 * The permissions this integration flags as high-privilege: a reviewable
 * table, each row with its source. `highPrivilege` on an application
 * permission (ASSIGNED) or a delegated grant (ALLOWS) is true when the
 * permission is a row here for the resource it was granted on.
 *
 * Tiers:
 * - `tenant-takeover`: a known path to Global Administrator or full tenant
 *   control (grant itself any role or permission, add credentials to any
 *   app, change authentication methods, federate a domain...);
 * - `data-access`: read or write every mailbox, file, site or chat of the
 *   tenant, or weaken Conditional Access.
 *
 * Read-only directory permissions (Directory.Read.All, User.Read.All...)
 * are deliberately not here: every inventory tool, this integration
 * included, holds them; they expose no secret and give no control.
 *
 * Sources:
 * - T: "Application permissions tiering", Tier 0 "Family of Global Admins"
 *   (github.com/emiliensocchi/azure-tiering, Microsoft Graph application
 *   permissions/README.md);
 * - S: CISA ScubaGear, RiskyPermissions.json
 *   (github.com/cisagov/ScubaGear, PowerShell/ScubaGear/Modules/Permissions);
 * - D: the delegated counterpart of a T or S application permission: the
 *   same power, used in a signed-in user's name (Microsoft Graph
 *   permissions reference, learn.microsoft.com/graph/permissions-reference).
 */

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
export const SHAREPOINT_ONLINE_APP_ID = '00000003-0000-0ff1-ce00-000000000000';

export type PrivilegeTier = 'tenant-takeover' | 'data-access';

export interface HighPrivilegePermission {
  /** appId of the resource the permission belongs to. */
  resourceAppId: string;
  /** The permission's value: an app role's `value` or a delegated scope. */
  permission: string;
  kind: 'application' | 'delegated';
  tier: PrivilegeTier;
  source: 'T' | 'S' | 'D';
}

const row =
  (
    resourceAppId: string,
    kind: HighPrivilegePermission['kind'],
    tier: PrivilegeTier,
    source: HighPrivilegePermission['source'],
  ) =>
  (permission: string): HighPrivilegePermission => ({
    resourceAppId,
    permission,
    kind,
    tier,
    source,
  });

const GRAPH_TIER0 = [
  'AdministrativeUnit.ReadWrite.All',
  'Application.ReadWrite.All',
  'Application.ReadWrite.OwnedBy',
  'AppRoleAssignment.ReadWrite.All',
  'DelegatedAdminRelationship.ReadWrite.All',
  'Directory.ReadWrite.All',
  'Domain.ReadWrite.All',
  'EntitlementManagement.ReadWrite.All',
  'Group.ReadWrite.All',
  'GroupMember.ReadWrite.All',
  'OnPremDirectorySynchronization.ReadWrite.All',
  'Policy.ReadWrite.AuthenticationMethod',
  'Policy.ReadWrite.PermissionGrant',
  'PrivilegedAccess.ReadWrite.AzureADGroup',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  'RoleAssignmentSchedule.ReadWrite.Directory',
  'RoleEligibilitySchedule.ReadWrite.Directory',
  'RoleManagement.ReadWrite.Directory',
  'RoleManagementPolicy.ReadWrite.AzureADGroup',
  'RoleManagementPolicy.ReadWrite.Directory',
  'Synchronization.ReadWrite.All',
  'User.ReadWrite.All',
  'UserAuthenticationMethod.ReadWrite.All',
];

const GRAPH_DATA_ACCESS = [
  'Calendars.ReadWrite',
  'Contacts.ReadWrite',
  'Files.Read.All',
  'Files.ReadWrite.All',
  'Mail.Read',
  'Mail.ReadWrite',
  'Mail.Send',
  'MailboxSettings.ReadWrite',
  'Policy.ReadWrite.ConditionalAccess',
  'ServicePrincipalEndpoint.ReadWrite.All',
  'Sites.FullControl.All',
  'Sites.Read.All',
  'Sites.ReadWrite.All',
  'User.Export.All',
];

const GRAPH_DELEGATED = [
  ['Application.ReadWrite.All', 'tenant-takeover'],
  ['AppRoleAssignment.ReadWrite.All', 'tenant-takeover'],
  ['Directory.AccessAsUser.All', 'tenant-takeover'],
  ['Directory.ReadWrite.All', 'tenant-takeover'],
  ['RoleManagement.ReadWrite.Directory', 'tenant-takeover'],
  ['User.ReadWrite.All', 'tenant-takeover'],
  ['Calendars.ReadWrite', 'data-access'],
  ['Contacts.ReadWrite', 'data-access'],
  ['EAS.AccessAsUser.All', 'data-access'],
  ['Files.Read.All', 'data-access'],
  ['Files.ReadWrite.All', 'data-access'],
  ['Mail.Read', 'data-access'],
  ['Mail.ReadWrite', 'data-access'],
  ['Mail.Send', 'data-access'],
  ['Mail.Send.Shared', 'data-access'],
  ['MailboxSettings.ReadWrite', 'data-access'],
  ['Sites.ReadWrite.All', 'data-access'],
] as const;

export const HIGH_PRIVILEGE_PERMISSIONS: readonly HighPrivilegePermission[] = [
  ...GRAPH_TIER0.map(
    row(MICROSOFT_GRAPH_APP_ID, 'application', 'tenant-takeover', 'T'),
  ),
  ...GRAPH_DATA_ACCESS.map(
    row(MICROSOFT_GRAPH_APP_ID, 'application', 'data-access', 'S'),
  ),
  ...GRAPH_DELEGATED.map(([permission, tier]) =>
    row(
      MICROSOFT_GRAPH_APP_ID,
      'delegated',
      tier,
      permission.startsWith('Directory.Access') ? 'S' : 'D',
    )(permission),
  ),
  ...['full_access_as_app', 'Mail.Read', 'Mail.ReadWrite', 'Mail.Send'].map(
    row(EXCHANGE_ONLINE_APP_ID, 'application', 'data-access', 'S'),
  ),
  ...[
    'full_access_as_user',
    'EWS.AccessAsUser.All',
    'Mail.ReadWrite',
    'Mail.Send',
  ].map(row(EXCHANGE_ONLINE_APP_ID, 'delegated', 'data-access', 'D')),
  ...['Sites.FullControl.All', 'Sites.ReadWrite.All'].map(
    row(SHAREPOINT_ONLINE_APP_ID, 'application', 'data-access', 'S'),
  ),
  ...['AllSites.FullControl', 'Sites.FullControl.All'].map(
    row(SHAREPOINT_ONLINE_APP_ID, 'delegated', 'data-access', 'D'),
  ),
];

const INDEX = new Map(
  HIGH_PRIVILEGE_PERMISSIONS.map((p) => [
    `${p.kind}|${p.resourceAppId.toLowerCase()}|${p.permission}`,
    p,
  ]),
);

/** The table's row for a permission granted on a resource (by its appId), if any. */
export function highPrivilegeOf(
  kind: HighPrivilegePermission['kind'],
  resourceAppId: string | undefined,
  permission: string | undefined,
): HighPrivilegePermission | undefined {
  if (!resourceAppId || !permission) return undefined;
  return INDEX.get(`${kind}|${resourceAppId.toLowerCase()}|${permission}`);
}
