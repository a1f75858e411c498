/**
 * Microsoft Graph application permissions: which ones each kind of data
 * needs, and what the granted ones are (the `roles` claim of the app-only
 * token, graph-api.md §1.6).
 */

export interface PermissionRequirement {
  /** The least-privileged permission to ask an administrator for. */
  grant: string;
  /** Any one of these is enough (ReadWrite variants included). */
  anyOf: string[];
  /** What it reads, for messages: "grant X to read Y". */
  reads: string;
}

function requirement(
  grant: string,
  reads: string,
  alternatives: string[] = [],
): PermissionRequirement {
  const readWrite = [grant, ...alternatives].map((p) =>
    p.replace('.Read.', '.ReadWrite.'),
  );
  return {
    grant,
    reads,
    anyOf: Array.from(new Set([grant, ...alternatives, ...readWrite])),
  };
}

export const Permissions = {
  ORGANIZATION: requirement('Organization.Read.All', 'the organization', [
    'Directory.Read.All',
  ]),
  USERS: requirement('User.Read.All', 'users', ['Directory.Read.All']),
  SIGN_IN_ACTIVITY: requirement('AuditLog.Read.All', "users' sign-in activity"),
  GROUPS: requirement('GroupMember.Read.All', 'groups and their members', [
    'Group.Read.All',
    'Directory.Read.All',
  ]),
  /** Full properties of device, service principal and contact members. */
  DIRECTORY: requirement(
    'Directory.Read.All',
    'group members that are devices or contacts',
  ),
  INTUNE_SERVICE_CONFIG: requirement(
    'DeviceManagementServiceConfig.Read.All',
    'the Intune account and subscription state',
    ['DeviceManagementConfiguration.Read.All'],
  ),
  MANAGED_DEVICES: requirement(
    'DeviceManagementManagedDevices.Read.All',
    'Intune managed devices and their detected applications',
  ),
  APPS: requirement(
    'DeviceManagementApps.Read.All',
    'Intune managed applications and their install status',
  ),
  CONFIGURATION: requirement(
    'DeviceManagementConfiguration.Read.All',
    'Intune compliance policies, device configurations and their device statuses',
  ),
  APPLICATIONS: requirement(
    'Application.Read.All',
    'app registrations, service principals, their credentials, owners and application permissions',
    ['Directory.Read.All'],
  ),
  DELEGATED_GRANTS: requirement(
    'Directory.Read.All',
    'delegated permission grants (OAuth2 consents)',
    ['DelegatedPermissionGrant.ReadWrite.All'],
  ),
  // ---- issue 16: privileged roles, MFA registration, Conditional Access -------
  ROLE_MANAGEMENT: requirement(
    'RoleManagement.Read.Directory',
    'Entra ID role definitions and active role assignments',
    ['RoleManagement.Read.All', 'Directory.Read.All'],
  ),
  /** The PIM schedule instances do not accept Directory.Read.All. */
  PIM: requirement(
    'RoleManagement.Read.Directory',
    'PIM-eligible and time-bound role assignments',
    ['RoleManagement.Read.All'],
  ),
  REGISTRATION_DETAILS: requirement(
    'AuditLog.Read.All',
    "users' authentication-method (MFA) registration",
  ),
  CONDITIONAL_ACCESS: requirement(
    'Policy.Read.All',
    'Conditional Access policies and named locations',
  ),
  TENANT_POLICIES: requirement(
    'Policy.Read.All',
    'security defaults, the authorization policy and the authentication-methods policy',
  ),
};

export type PermissionName = keyof typeof Permissions;

/** The permission a Graph path needs, for "grant X to read Y" messages. */
export function requirementForPath(
  path: string,
): PermissionRequirement | undefined {
  const p = path.toLowerCase();
  if (p.startsWith('/organization')) return Permissions.ORGANIZATION;
  if (p.startsWith('/users')) return Permissions.USERS;
  if (p.startsWith('/groups')) return Permissions.GROUPS;
  if (p.startsWith('/serviceprincipals') || p.startsWith('/applications')) {
    return Permissions.APPLICATIONS;
  }
  if (p.startsWith('/oauth2permissiongrants')) {
    return Permissions.DELEGATED_GRANTS;
  }
  if (p.startsWith('/deviceappmanagement')) return Permissions.APPS;
  // issue 15: the report actions of the policy families accept any
  // DeviceManagement* read permission; the steps that call them need
  // DeviceManagementConfiguration.Read.All for the policy lists, so a refusal
  // names that one.
  if (
    /^\/devicemanagement\/reports\/get(configuration|devicestatus(summary)?bycompliacepolicy)/.test(
      p,
    )
  ) {
    return Permissions.CONFIGURATION;
  }
  if (p.startsWith('/devicemanagement/reports')) return Permissions.APPS;
  if (
    p.startsWith('/devicemanagement/manageddevices') ||
    p.startsWith('/devicemanagement/detectedapps')
  ) {
    return Permissions.MANAGED_DEVICES;
  }
  if (
    p.startsWith('/devicemanagement/devicecompliancepolicies') ||
    p.startsWith('/devicemanagement/deviceconfigurations') ||
    // issue 15: the policy families
    p.startsWith('/devicemanagement/grouppolicyconfigurations') ||
    p.startsWith('/devicemanagement/compliancepolicies') ||
    p.startsWith('/devicemanagement/configurationpolicies')
  ) {
    return Permissions.CONFIGURATION;
  }
  if (p.startsWith('/devicemanagement')) {
    return Permissions.INTUNE_SERVICE_CONFIG;
  }
  // issue 16
  if (
    /^\/rolemanagement\/directory\/role(assignment|eligibility)schedule/.test(p)
  ) {
    return Permissions.PIM;
  }
  if (p.startsWith('/rolemanagement')) return Permissions.ROLE_MANAGEMENT;
  if (p.startsWith('/reports/authenticationmethods')) {
    return Permissions.REGISTRATION_DETAILS;
  }
  if (p.startsWith('/identity/conditionalaccess')) {
    return Permissions.CONDITIONAL_ACCESS;
  }
  if (p.startsWith('/policies')) return Permissions.TENANT_POLICIES;
  return undefined;
}

export function isGranted(
  requirement: PermissionRequirement,
  roles: readonly string[],
): boolean {
  return requirement.anyOf.some((p) => roles.includes(p));
}

export function describeMissing(requirement: PermissionRequirement): string {
  const others = requirement.anyOf.filter(
    (p) => p !== requirement.grant && !p.includes('ReadWrite'),
  );
  const alternatives = others.length ? ` (or ${others.join(', ')})` : '';
  return `grant the Microsoft Graph application permission ${requirement.grant}${alternatives} to read ${requirement.reads}, then grant admin consent`;
}

/**
 * Reads the `roles` claim of an app-only access token. Microsoft says tokens
 * are opaque to clients, so this is a best-effort preflight: undefined means
 * "could not tell", and the caller must then rely on Graph's 403s.
 * An app-only token without the claim has no application permission at all.
 */
export function decodeGrantedRoles(accessToken: string): string[] | undefined {
  const parts = accessToken.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(
      Buffer.from(parts[1], 'base64url').toString('utf8'),
    );
    if (!claims || typeof claims !== 'object') return undefined;
    if (claims.roles === undefined) return [];
    return Array.isArray(claims.roles)
      ? claims.roles.filter((r: unknown) => typeof r === 'string')
      : undefined;
  } catch {
    return undefined;
  }
}
