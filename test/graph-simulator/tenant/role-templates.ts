/**
 * Built-in Entra ID roles the simulated tenants list: real template ids and
 * names (graph-recordings/entra/ad-role-definitions.har lists 102 built-ins;
 * these are the ones security teams ask about first), with Microsoft's
 * "privileged" marking (beta isPrivileged; learn.microsoft.com/entra/identity/
 * role-based-access-control/privileged-roles-permissions). Descriptions are
 * short summaries written here; actions are a sample of each role's real
 * resource actions.
 */

export interface RoleTemplate {
  id: string;
  displayName: string;
  description: string;
  privileged: boolean;
  actions: string[];
  /** Role it inherits from (Directory Readers for most admin roles). */
  inherits?: string;
}

export const ROLE_IDS = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  conditionalAccessAdministrator: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  intuneAdministrator: '3a2c62db-5318-420d-8d74-23affee5d9d5',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  sharePointAdministrator: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  billingAdministrator: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  cloudDeviceAdministrator: '7698a772-787b-4ac8-901f-60d6b08affd2',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  directoryWriters: '9360feb5-f418-4baa-8175-e2a00bac4301',
  directorySynchronizationAccounts: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
  user: 'a0b1b346-4d3e-4e8b-98f8-753987be4970',
  guestUser: '10dae51f-b6af-4016-8d66-8c2a99b929b3',
  restrictedGuestUser: '2af84b1e-32c8-42b7-82bc-daa82404023b',
  guestInviter: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
} as const;

const R = ROLE_IDS;
const READERS = R.directoryReaders;

function role(
  id: string,
  displayName: string,
  description: string,
  privileged: boolean,
  actions: string[],
  inherits: string | undefined = READERS,
): RoleTemplate {
  return { id, displayName, description, privileged, actions, inherits };
}

export const ROLE_TEMPLATES: RoleTemplate[] = [
  role(
    R.globalAdministrator,
    'Global Administrator',
    'Manages every aspect of Entra ID and the Microsoft services that use its identities.',
    true,
    [
      'microsoft.directory/applications/allProperties/allTasks',
      'microsoft.directory/conditionalAccessPolicies/allProperties/allTasks',
      'microsoft.directory/groups/allProperties/allTasks',
      'microsoft.directory/roleAssignments/allProperties/allTasks',
      'microsoft.directory/users/allProperties/allTasks',
    ],
  ),
  role(
    R.privilegedRoleAdministrator,
    'Privileged Role Administrator',
    'Manages role assignments and Privileged Identity Management.',
    true,
    [
      'microsoft.directory/roleAssignments/allProperties/allTasks',
      'microsoft.directory/roleDefinitions/allProperties/allTasks',
      'microsoft.directory/privilegedIdentityManagement/allProperties/allTasks',
    ],
  ),
  role(
    R.privilegedAuthenticationAdministrator,
    'Privileged Authentication Administrator',
    'Sets and resets authentication methods of any user, administrators included.',
    true,
    [
      'microsoft.directory/users/authenticationMethods/create',
      'microsoft.directory/users/authenticationMethods/delete',
      'microsoft.directory/users/password/update',
    ],
  ),
  role(
    R.securityAdministrator,
    'Security Administrator',
    'Reads security information and reports and manages security configuration.',
    true,
    [
      'microsoft.directory/conditionalAccessPolicies/create',
      'microsoft.directory/identityProtection/allProperties/allTasks',
      'microsoft.directory/policies/basic/update',
    ],
  ),
  role(
    R.userAdministrator,
    'User Administrator',
    'Manages users and groups, and resets passwords of limited administrators.',
    true,
    [
      'microsoft.directory/users/create',
      'microsoft.directory/users/delete',
      'microsoft.directory/users/password/update',
      'microsoft.directory/groups/members/update',
    ],
  ),
  role(
    R.applicationAdministrator,
    'Application Administrator',
    'Manages app registrations, enterprise applications and application proxy.',
    true,
    [
      'microsoft.directory/applications/allProperties/allTasks',
      'microsoft.directory/servicePrincipals/allProperties/allTasks',
      'microsoft.directory/oAuth2PermissionGrants/allProperties/allTasks',
    ],
  ),
  role(
    R.cloudApplicationAdministrator,
    'Cloud Application Administrator',
    'Manages app registrations and enterprise applications, without application proxy.',
    true,
    [
      'microsoft.directory/applications/credentials/update',
      'microsoft.directory/servicePrincipals/credentials/update',
    ],
  ),
  role(
    R.authenticationAdministrator,
    'Authentication Administrator',
    'Sets and resets authentication methods of non-administrators.',
    true,
    [
      'microsoft.directory/users/authenticationMethods/create',
      'microsoft.directory/users/password/update',
    ],
  ),
  role(
    R.conditionalAccessAdministrator,
    'Conditional Access Administrator',
    'Manages Conditional Access policies and named locations.',
    true,
    [
      'microsoft.directory/conditionalAccessPolicies/allProperties/allTasks',
      'microsoft.directory/namedLocations/create',
    ],
  ),
  role(
    R.helpdeskAdministrator,
    'Helpdesk Administrator',
    'Resets passwords of non-administrators and helpdesk administrators.',
    true,
    [
      'microsoft.directory/users/password/update',
      'microsoft.directory/users/invalidateAllRefreshTokens',
    ],
  ),
  role(
    R.intuneAdministrator,
    'Intune Administrator',
    'Manages every aspect of Microsoft Intune.',
    true,
    [
      'microsoft.intune/allEntities/allTasks',
      'microsoft.directory/devices/basic/update',
    ],
  ),
  role(
    R.exchangeAdministrator,
    'Exchange Administrator',
    'Manages every aspect of Exchange Online.',
    false,
    ['microsoft.office365.exchange/allEntities/basic/allTasks'],
  ),
  role(
    R.sharePointAdministrator,
    'SharePoint Administrator',
    'Manages every aspect of SharePoint Online.',
    false,
    ['microsoft.office365.sharePoint/allEntities/allTasks'],
  ),
  role(
    R.securityReader,
    'Security Reader',
    'Reads security information and reports.',
    true,
    [
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/signInReports/allProperties/read',
    ],
  ),
  role(
    R.globalReader,
    'Global Reader',
    'Reads everything a Global Administrator can, and changes nothing.',
    true,
    [
      'microsoft.directory/users/allProperties/read',
      'microsoft.directory/policies/allProperties/read',
    ],
  ),
  role(
    R.groupsAdministrator,
    'Groups Administrator',
    'Manages groups and their settings.',
    false,
    ['microsoft.directory/groups/allProperties/allTasks'],
  ),
  role(
    R.licenseAdministrator,
    'License Administrator',
    'Manages product licences of users and groups.',
    false,
    ['microsoft.directory/users/assignLicense'],
  ),
  role(
    R.billingAdministrator,
    'Billing Administrator',
    'Makes purchases and manages subscriptions and support tickets.',
    false,
    ['microsoft.commerce.billing/allEntities/allProperties/allTasks'],
  ),
  role(
    R.cloudDeviceAdministrator,
    'Cloud Device Administrator',
    'Enables, disables and deletes devices, and reads their BitLocker keys.',
    true,
    [
      'microsoft.directory/devices/delete',
      'microsoft.directory/bitlockerKeys/key/read',
    ],
  ),
  role(
    R.directoryReaders,
    'Directory Readers',
    'Reads basic directory information.',
    false,
    [
      'microsoft.directory/users/standard/read',
      'microsoft.directory/groups/standard/read',
    ],
    undefined,
  ),
  role(
    R.directoryWriters,
    'Directory Writers',
    'Reads and writes basic directory information, for applications.',
    true,
    [
      'microsoft.directory/users/basic/update',
      'microsoft.directory/groups/create',
    ],
  ),
  role(
    R.directorySynchronizationAccounts,
    'Directory Synchronization Accounts',
    'Used by Entra Connect only.',
    true,
    ['microsoft.directory/organization/dirSync/update'],
    undefined,
  ),
  role(
    R.user,
    'User',
    'Default permissions of member users.',
    false,
    ['microsoft.directory/users/standard/read'],
    undefined,
  ),
  role(
    R.guestUser,
    'Guest User',
    'Default permissions of guest users.',
    false,
    ['microsoft.directory/users/basic/read'],
    undefined,
  ),
  role(
    R.restrictedGuestUser,
    'Restricted Guest User',
    'Restricted permissions of guest users.',
    false,
    ['microsoft.directory/users/basic/read'],
    undefined,
  ),
  role(
    R.guestInviter,
    'Guest Inviter',
    'Invites guest users whatever the guest invitation setting.',
    false,
    ['microsoft.directory/users/inviteGuest'],
    R.guestUser,
  ),
];
