/**
 * One file because it is the one table of the data model (docs/architecture.md).
 * The one table of step, entity and relationship metadata. Steps declare their
 * types from it, `j1-integration document` builds jupiterone.md from those
 * declarations, and the tests compare what a collection produced against it.
 * One file because it is that one table: every module's rows live together.
 */
import {
  generateRelationshipType,
  RelationshipClass,
  RelationshipDirection,
  StepEntityMetadata,
  StepMappedRelationshipMetadata,
  StepRelationshipMetadata,
} from '@jupiterone/integration-sdk-core';

export const IngestionSources = {
  USERS_GROUPS: 'users-groups',
  INTUNE_DEVICES: 'intune-devices',
  INTUNE_APPS: 'intune-apps',
  COMPLIANCE: 'compliance',
  APPLICATIONS: 'applications',
  // ---- issue 16: privileged roles, Conditional Access --------------------------
  ROLES: 'privileged-roles',
  CONDITIONAL_ACCESS: 'conditional-access',
} as const;

export const Steps = {
  ACCOUNT: { id: 'fetch-account', name: 'Fetch Account' },
  USERS: { id: 'fetch-users', name: 'Fetch Users' },
  GROUPS: { id: 'fetch-groups', name: 'Fetch Groups' },
  GROUP_MEMBERS: { id: 'fetch-group-members', name: 'Fetch Group Members' },
  DEVICES: { id: 'fetch-devices', name: 'Fetch Intune Managed Devices' },
  USER_DEVICES: {
    id: 'build-user-device-relationships',
    name: 'Build User and Device Relationships',
  },
  MANAGED_APPS: {
    id: 'fetch-managed-applications',
    name: 'Fetch Intune Managed Applications',
  },
  DETECTED_APPS: {
    id: 'fetch-detected-applications',
    name: 'Fetch Intune Detected Applications',
  },
  APPLICATION_MANAGES: {
    id: 'build-managed-detected-application-relationships',
    name: 'Build Managed and Detected Application Relationships',
  },
  COMPLIANCE_POLICIES: {
    id: 'fetch-compliance-policies',
    name: 'Fetch Intune Compliance Policies and Findings',
  },
  DEVICE_CONFIGURATIONS: {
    id: 'fetch-device-configurations',
    name: 'Fetch Intune Device Configurations and Findings',
  },
  // issue 17: app registrations and service principals
  SERVICE_PRINCIPALS: {
    id: 'fetch-service-principals',
    name: 'Fetch Service Principals',
  },
  APPLICATIONS: {
    id: 'fetch-applications',
    name: 'Fetch App Registrations',
  },
  APPLICATION_PERMISSIONS: {
    id: 'fetch-application-permissions',
    name: 'Fetch Application Permissions',
  },
  DELEGATED_PERMISSIONS: {
    id: 'fetch-delegated-permission-grants',
    name: 'Fetch Delegated Permission Grants',
  },
  APPLICATION_OWNERS: {
    id: 'build-application-owner-relationships',
    name: 'Build App Registration and Service Principal Owner Relationships',
  },
  GROUP_SERVICE_PRINCIPALS: {
    id: 'build-group-service-principal-relationships',
    name: 'Build Group and Service Principal Member Relationships',
  },
  // ---- issue 16: privileged roles, Conditional Access --------------------------
  ROLE_DEFINITIONS: {
    id: 'fetch-role-definitions',
    name: 'Fetch Entra ID Role Definitions',
  },
  ROLE_ASSIGNMENTS: {
    id: 'fetch-role-assignments',
    name: 'Fetch Entra ID Role Assignments and PIM Schedules',
  },
  ROLE_RELATIONSHIPS: {
    id: 'build-role-assignment-relationships',
    name: 'Build Role Assignment Relationships',
  },
  CONDITIONAL_ACCESS_POLICIES: {
    id: 'fetch-conditional-access-policies',
    name: 'Fetch Conditional Access Policies and Named Locations',
  },
  CONDITIONAL_ACCESS_TARGETS: {
    id: 'build-conditional-access-relationships',
    name: 'Build Conditional Access Target Relationships',
  },
  // ---- issue 15: Intune policy assignments --------------------------------------
  POLICY_ASSIGNMENTS: {
    id: 'build-intune-policy-group-relationships',
    name: 'Build Intune Policy Group Assignment Relationships',
  },
  // ---- issue 15: administrativeTemplate, settingsCompliance -----------------------
  ADMINISTRATIVE_TEMPLATES: {
    id: 'fetch-intune-administrative-templates',
    name: 'Fetch Intune Administrative Templates and Findings',
  },
  SETTINGS_COMPLIANCE_POLICIES: {
    id: 'fetch-intune-settings-compliance-policies',
    name: 'Fetch Intune Settings Compliance Policies and Findings',
  },
  // issue 15: settingsCatalog / endpointSecurity
  SETTINGS_POLICIES: {
    id: 'fetch-intune-settings-policies',
    name: 'Fetch Intune Settings Catalog and Endpoint Security Policies and Findings',
  },
} as const;

/**
 * The object ids of the service principals fetch-service-principals
 * collected (a Set<string>), for steps of the relationship graph that relate
 * to them: direct when collected, mapped otherwise.
 */
export const SERVICE_PRINCIPAL_IDS_DATA_KEY = 'service-principal-ids';

/**
 * Steps that relate objects of two step modules run in a second dependency
 * graph, after every collection step has finished. That way they see the
 * final graph whatever ran, and stay enabled when the module on the other side
 * is disabled (they then emit mapped relationships instead of dropping data).
 */
export const RELATIONSHIP_GRAPH_ID = 'cross-module-relationships';

/** The seven kinds an Intune managed device can be, as `_type`s. */
export const DEVICE_KINDS = [
  'user_endpoint',
  'workstation',
  'laptop',
  'desktop',
  'computer',
  'server',
  'smartphone',
] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

function entity(
  resourceName: string,
  _type: string,
  _class: string[],
): StepEntityMetadata {
  return { resourceName, _type, _class };
}

const DEVICE_CLASS = ['Device', 'Host'];

export const Entities = {
  ACCOUNT: entity('[AD] Account', 'microsoft_365_account', ['Account']),
  USER: entity('[AD] User', 'azure_user', ['User']),
  GROUP: entity('[AD] Group', 'azure_user_group', ['UserGroup']),
  GROUP_MEMBER: entity('[AD] Group Member', 'azure_group_member', ['User']),
  HOST_AGENT: entity('Intune Host Agent', 'intune_host_agent', ['HostAgent']),
  MANAGED_APPLICATION: entity(
    'Managed Application',
    'intune_managed_application',
    ['Application'],
  ),
  DETECTED_APPLICATION: entity(
    'Detected Application',
    'intune_detected_application',
    ['Application'],
  ),
  COMPLIANCE_POLICY: entity('Compliance Policy', 'intune_compliance_policy', [
    'Configuration',
    'ControlPolicy',
  ]),
  DEVICE_CONFIGURATION: entity(
    'Device Configuration',
    'intune_device_configuration',
    ['Configuration', 'ControlPolicy'],
  ),
  NONCOMPLIANCE_FINDING: entity(
    'Noncompliance Finding',
    'intune_noncompliance_finding',
    ['Finding'],
  ),
  // issue 17: the _type and class of JupiterOne's Azure integration
  SERVICE_PRINCIPAL: entity(
    '[AD] Service Principal',
    'azure_service_principal',
    ['Service'],
  ),
  APP_REGISTRATION: entity('[AD] App Registration', 'azure_app_registration', [
    'Application',
  ]),
  APP_CREDENTIAL: entity('[AD] App Credential', 'azure_app_credential', [
    'AccessKey',
  ]),
  // ---- issue 16: privileged roles, Conditional Access --------------------------
  /** The name and class JupiterOne's Azure integration (graph-azure) uses. */
  ROLE_DEFINITION: entity('[AD] Role Definition', 'azure_ad_role_definition', [
    'AccessRole',
  ]),
  /** graph-azure's name and class. */
  CONDITIONAL_ACCESS_POLICY: entity(
    '[AD] Conditional Access Policy',
    'azure_conditional_access_policy',
    ['AccessPolicy'],
  ),
  /** graph-azure's name and class (a trusted IP range or a set of countries). */
  NAMED_LOCATION: entity(
    '[AD] Conditional Access Named Location',
    'azure_conditional_access_named_location',
    ['Network'],
  ),
};

/** One entity metadata row per device kind, all "Managed Device" [Device, Host]. */
export const DeviceEntities: Record<DeviceKind, StepEntityMetadata> =
  Object.fromEntries(
    DEVICE_KINDS.map((kind) => [
      kind,
      entity('Managed Device', kind, DEVICE_CLASS),
    ]),
  ) as Record<DeviceKind, StepEntityMetadata>;

export function relationship(
  source: StepEntityMetadata,
  _class: RelationshipClass,
  target: StepEntityMetadata,
): StepRelationshipMetadata {
  return {
    _type: generateRelationshipType(_class, source._type, target._type),
    sourceType: source._type,
    _class,
    targetType: target._type,
  };
}

/**
 * A relationship whose target may be missing from this collection (a user
 * deleted between two calls, or a step that is disabled). The source entity is
 * in the graph; the platform resolves the target by `_key`.
 */
export function mappedRelationship(
  source: StepEntityMetadata,
  _class: RelationshipClass,
  target: StepEntityMetadata,
  direction: RelationshipDirection,
): StepMappedRelationshipMetadata {
  const [from, to] =
    direction === RelationshipDirection.FORWARD
      ? [source, target]
      : [target, source];
  return {
    _type: generateRelationshipType(_class, from._type, to._type),
    sourceType: source._type,
    _class,
    targetType: target._type,
    direction,
  };
}

function perDeviceKind<T>(
  build: (device: StepEntityMetadata) => T,
): Record<DeviceKind, T> {
  return Object.fromEntries(
    DEVICE_KINDS.map((kind) => [kind, build(DeviceEntities[kind])]),
  ) as Record<DeviceKind, T>;
}

const { HAS, MANAGES, ASSIGNED, INSTALLED, IDENTIFIED, USES, ALLOWS, OWNS } =
  RelationshipClass;

export const Relationships = {
  ACCOUNT_HAS_USER: relationship(Entities.ACCOUNT, HAS, Entities.USER),
  ACCOUNT_HAS_GROUP: relationship(Entities.ACCOUNT, HAS, Entities.GROUP),
  GROUP_HAS_USER: relationship(Entities.GROUP, HAS, Entities.USER),
  GROUP_HAS_GROUP: relationship(Entities.GROUP, HAS, Entities.GROUP),
  GROUP_HAS_MEMBER: relationship(Entities.GROUP, HAS, Entities.GROUP_MEMBER),
  HOST_AGENT_MANAGES_DEVICE: perDeviceKind((device) =>
    relationship(Entities.HOST_AGENT, MANAGES, device),
  ),
  USER_HAS_DEVICE: perDeviceKind((device) =>
    relationship(Entities.USER, HAS, device),
  ),
  /** Beyond the spec table: a user who has logged on to the device. */
  USER_USES_DEVICE: perDeviceKind((device) =>
    relationship(Entities.USER, USES, device),
  ),
  DEVICE_ASSIGNED_MANAGED_APPLICATION: perDeviceKind((device) =>
    relationship(device, ASSIGNED, Entities.MANAGED_APPLICATION),
  ),
  DEVICE_INSTALLED_DETECTED_APPLICATION: perDeviceKind((device) =>
    relationship(device, INSTALLED, Entities.DETECTED_APPLICATION),
  ),
  /** Beyond the spec table: the managed app and the detected app are one application. */
  MANAGED_APPLICATION_MANAGES_DETECTED_APPLICATION: relationship(
    Entities.MANAGED_APPLICATION,
    MANAGES,
    Entities.DETECTED_APPLICATION,
  ),
  HOST_AGENT_ASSIGNED_COMPLIANCE_POLICY: relationship(
    Entities.HOST_AGENT,
    ASSIGNED,
    Entities.COMPLIANCE_POLICY,
  ),
  HOST_AGENT_ASSIGNED_DEVICE_CONFIGURATION: relationship(
    Entities.HOST_AGENT,
    ASSIGNED,
    Entities.DEVICE_CONFIGURATION,
  ),
  COMPLIANCE_POLICY_IDENTIFIED_FINDING: relationship(
    Entities.COMPLIANCE_POLICY,
    IDENTIFIED,
    Entities.NONCOMPLIANCE_FINDING,
  ),
  DEVICE_CONFIGURATION_IDENTIFIED_FINDING: relationship(
    Entities.DEVICE_CONFIGURATION,
    IDENTIFIED,
    Entities.NONCOMPLIANCE_FINDING,
  ),
  DEVICE_HAS_FINDING: perDeviceKind((device) =>
    relationship(device, HAS, Entities.NONCOMPLIANCE_FINDING),
  ),
  // issue 17: app registrations and service principals
  APP_REGISTRATION_HAS_SERVICE_PRINCIPAL: relationship(
    Entities.APP_REGISTRATION,
    HAS,
    Entities.SERVICE_PRINCIPAL,
  ),
  APP_REGISTRATION_HAS_CREDENTIAL: relationship(
    Entities.APP_REGISTRATION,
    HAS,
    Entities.APP_CREDENTIAL,
  ),
  SERVICE_PRINCIPAL_HAS_CREDENTIAL: relationship(
    Entities.SERVICE_PRINCIPAL,
    HAS,
    Entities.APP_CREDENTIAL,
  ),
  /** Application permissions: the resource ASSIGNED its app roles to the client. */
  SERVICE_PRINCIPAL_ASSIGNED_SERVICE_PRINCIPAL: relationship(
    Entities.SERVICE_PRINCIPAL,
    ASSIGNED,
    Entities.SERVICE_PRINCIPAL,
  ),
  /** Delegated permission grants: the resource ALLOWS the client to act for users. */
  SERVICE_PRINCIPAL_ALLOWS_SERVICE_PRINCIPAL: relationship(
    Entities.SERVICE_PRINCIPAL,
    ALLOWS,
    Entities.SERVICE_PRINCIPAL,
  ),
  USER_OWNS_APP_REGISTRATION: relationship(
    Entities.USER,
    OWNS,
    Entities.APP_REGISTRATION,
  ),
  USER_OWNS_SERVICE_PRINCIPAL: relationship(
    Entities.USER,
    OWNS,
    Entities.SERVICE_PRINCIPAL,
  ),
  SERVICE_PRINCIPAL_OWNS_APP_REGISTRATION: relationship(
    Entities.SERVICE_PRINCIPAL,
    OWNS,
    Entities.APP_REGISTRATION,
  ),
  SERVICE_PRINCIPAL_OWNS_SERVICE_PRINCIPAL: relationship(
    Entities.SERVICE_PRINCIPAL,
    OWNS,
    Entities.SERVICE_PRINCIPAL,
  ),
  GROUP_HAS_SERVICE_PRINCIPAL: relationship(
    Entities.GROUP,
    HAS,
    Entities.SERVICE_PRINCIPAL,
  ),
  // ---- issue 16: privileged roles, Conditional Access --------------------------
  /** A role assignment, active or PIM-eligible (docs/identity-security.md). */
  USER_HAS_ROLE: relationship(Entities.USER, HAS, Entities.ROLE_DEFINITION),
  GROUP_HAS_ROLE: relationship(Entities.GROUP, HAS, Entities.ROLE_DEFINITION),
  SERVICE_PRINCIPAL_HAS_ROLE: relationship(
    Entities.SERVICE_PRINCIPAL,
    HAS,
    Entities.ROLE_DEFINITION,
  ),
  /** A Conditional Access policy includes the target (graph-azure's ASSIGNED). */
  CA_POLICY_ASSIGNED_USER: relationship(
    Entities.CONDITIONAL_ACCESS_POLICY,
    ASSIGNED,
    Entities.USER,
  ),
  CA_POLICY_ASSIGNED_GROUP: relationship(
    Entities.CONDITIONAL_ACCESS_POLICY,
    ASSIGNED,
    Entities.GROUP,
  ),
  CA_POLICY_ASSIGNED_ROLE: relationship(
    Entities.CONDITIONAL_ACCESS_POLICY,
    ASSIGNED,
    Entities.ROLE_DEFINITION,
  ),
  CA_POLICY_ASSIGNED_SERVICE_PRINCIPAL: relationship(
    Entities.CONDITIONAL_ACCESS_POLICY,
    ASSIGNED,
    Entities.SERVICE_PRINCIPAL,
  ),
  /** A Conditional Access policy excludes the target: it lets it past the policy's controls. */
  CA_POLICY_ALLOWS_USER: relationship(
    Entities.CONDITIONAL_ACCESS_POLICY,
    ALLOWS,
    Entities.USER,
  ),
  CA_POLICY_ALLOWS_GROUP: relationship(
    Entities.CONDITIONAL_ACCESS_POLICY,
    ALLOWS,
    Entities.GROUP,
  ),
  CA_POLICY_ALLOWS_ROLE: relationship(
    Entities.CONDITIONAL_ACCESS_POLICY,
    ALLOWS,
    Entities.ROLE_DEFINITION,
  ),
  CA_POLICY_ALLOWS_SERVICE_PRINCIPAL: relationship(
    Entities.CONDITIONAL_ACCESS_POLICY,
    ALLOWS,
    Entities.SERVICE_PRINCIPAL,
  ),
  CA_POLICY_USES_NAMED_LOCATION: relationship(
    Entities.CONDITIONAL_ACCESS_POLICY,
    USES,
    Entities.NAMED_LOCATION,
  ),
  // ---- issue 15: Intune policy assignments --------------------------------------
  /** The policy is assigned to the group (an include assignment). */
  COMPLIANCE_POLICY_ASSIGNED_GROUP: relationship(
    Entities.COMPLIANCE_POLICY,
    ASSIGNED,
    Entities.GROUP,
  ),
  DEVICE_CONFIGURATION_ASSIGNED_GROUP: relationship(
    Entities.DEVICE_CONFIGURATION,
    ASSIGNED,
    Entities.GROUP,
  ),
  /** The policy excludes the group: it lets the group's members past it (as Conditional Access's ALLOWS). */
  COMPLIANCE_POLICY_ALLOWS_GROUP: relationship(
    Entities.COMPLIANCE_POLICY,
    ALLOWS,
    Entities.GROUP,
  ),
  DEVICE_CONFIGURATION_ALLOWS_GROUP: relationship(
    Entities.DEVICE_CONFIGURATION,
    ALLOWS,
    Entities.GROUP,
  ),
};

export const MappedRelationships = {
  /** A member user that /users did not return (deleted between calls, or users not ingested). */
  GROUP_HAS_USER: mappedRelationship(
    Entities.GROUP,
    HAS,
    Entities.USER,
    RelationshipDirection.FORWARD,
  ),
  /** A member group that /groups did not return. */
  GROUP_HAS_GROUP: mappedRelationship(
    Entities.GROUP,
    HAS,
    Entities.GROUP,
    RelationshipDirection.FORWARD,
  ),
  /** The enrolled user of a device, when that user is not in this collection. */
  USER_HAS_DEVICE: perDeviceKind((device) =>
    mappedRelationship(
      device,
      HAS,
      Entities.USER,
      RelationshipDirection.REVERSE,
    ),
  ),
  /** A logged-on user of a device, when that user is not in this collection. */
  USER_USES_DEVICE: perDeviceKind((device) =>
    mappedRelationship(
      device,
      USES,
      Entities.USER,
      RelationshipDirection.REVERSE,
    ),
  ),
  // issue 17: a service principal or user this collection did not produce
  SERVICE_PRINCIPAL_ASSIGNED_SERVICE_PRINCIPAL: mappedRelationship(
    Entities.SERVICE_PRINCIPAL,
    ASSIGNED,
    Entities.SERVICE_PRINCIPAL,
    RelationshipDirection.FORWARD,
  ),
  SERVICE_PRINCIPAL_ALLOWS_SERVICE_PRINCIPAL: mappedRelationship(
    Entities.SERVICE_PRINCIPAL,
    ALLOWS,
    Entities.SERVICE_PRINCIPAL,
    RelationshipDirection.FORWARD,
  ),
  USER_OWNS_APP_REGISTRATION: mappedRelationship(
    Entities.APP_REGISTRATION,
    OWNS,
    Entities.USER,
    RelationshipDirection.REVERSE,
  ),
  USER_OWNS_SERVICE_PRINCIPAL: mappedRelationship(
    Entities.SERVICE_PRINCIPAL,
    OWNS,
    Entities.USER,
    RelationshipDirection.REVERSE,
  ),
  SERVICE_PRINCIPAL_OWNS_APP_REGISTRATION: mappedRelationship(
    Entities.APP_REGISTRATION,
    OWNS,
    Entities.SERVICE_PRINCIPAL,
    RelationshipDirection.REVERSE,
  ),
  SERVICE_PRINCIPAL_OWNS_SERVICE_PRINCIPAL: mappedRelationship(
    Entities.SERVICE_PRINCIPAL,
    OWNS,
    Entities.SERVICE_PRINCIPAL,
    RelationshipDirection.REVERSE,
  ),
  GROUP_HAS_SERVICE_PRINCIPAL: mappedRelationship(
    Entities.GROUP,
    HAS,
    Entities.SERVICE_PRINCIPAL,
    RelationshipDirection.FORWARD,
  ),
  // ---- issue 16: privileged roles, Conditional Access --------------------------
  /** A role's principal that this collection did not produce (source: the role). */
  USER_HAS_ROLE: mappedRelationship(
    Entities.ROLE_DEFINITION,
    HAS,
    Entities.USER,
    RelationshipDirection.REVERSE,
  ),
  GROUP_HAS_ROLE: mappedRelationship(
    Entities.ROLE_DEFINITION,
    HAS,
    Entities.GROUP,
    RelationshipDirection.REVERSE,
  ),
  SERVICE_PRINCIPAL_HAS_ROLE: mappedRelationship(
    Entities.ROLE_DEFINITION,
    HAS,
    Entities.SERVICE_PRINCIPAL,
    RelationshipDirection.REVERSE,
  ),
  /** A Conditional Access target that this collection did not produce. */
  ...caTargets(ASSIGNED, 'CA_POLICY_ASSIGNED'),
  ...caTargets(ALLOWS, 'CA_POLICY_ALLOWS'),
  CA_POLICY_USES_NAMED_LOCATION: mappedRelationship(
    Entities.CONDITIONAL_ACCESS_POLICY,
    USES,
    Entities.NAMED_LOCATION,
    RelationshipDirection.FORWARD,
  ),
  // ---- issue 15: a group an Intune policy names that /groups did not return ----
  COMPLIANCE_POLICY_ASSIGNED_GROUP: mappedRelationship(
    Entities.COMPLIANCE_POLICY,
    ASSIGNED,
    Entities.GROUP,
    RelationshipDirection.FORWARD,
  ),
  DEVICE_CONFIGURATION_ASSIGNED_GROUP: mappedRelationship(
    Entities.DEVICE_CONFIGURATION,
    ASSIGNED,
    Entities.GROUP,
    RelationshipDirection.FORWARD,
  ),
  COMPLIANCE_POLICY_ALLOWS_GROUP: mappedRelationship(
    Entities.COMPLIANCE_POLICY,
    ALLOWS,
    Entities.GROUP,
    RelationshipDirection.FORWARD,
  ),
  DEVICE_CONFIGURATION_ALLOWS_GROUP: mappedRelationship(
    Entities.DEVICE_CONFIGURATION,
    ALLOWS,
    Entities.GROUP,
    RelationshipDirection.FORWARD,
  ),
};

/** issue 16: policy -> user, group, role, service principal, of one class. */
function caTargets<P extends string>(
  _class: RelationshipClass,
  prefix: P,
): Record<
  `${P}_${'USER' | 'GROUP' | 'ROLE' | 'SERVICE_PRINCIPAL'}`,
  StepMappedRelationshipMetadata
> {
  const targets = {
    USER: Entities.USER,
    GROUP: Entities.GROUP,
    ROLE: Entities.ROLE_DEFINITION,
    SERVICE_PRINCIPAL: Entities.SERVICE_PRINCIPAL,
  };
  return Object.fromEntries(
    Object.entries(targets).map(([name, target]) => [
      `${prefix}_${name}`,
      mappedRelationship(
        Entities.CONDITIONAL_ACCESS_POLICY,
        _class,
        target,
        RelationshipDirection.FORWARD,
      ),
    ]),
  ) as Record<
    `${P}_${'USER' | 'GROUP' | 'ROLE' | 'SERVICE_PRINCIPAL'}`,
    StepMappedRelationshipMetadata
  >;
}

/** Flattens a table entry that may be keyed per device kind. */
export function allOf<T>(entry: T | Record<DeviceKind, T>): T[] {
  if (entry && typeof entry === 'object' && 'laptop' in (entry as object)) {
    return DEVICE_KINDS.map((kind) => (entry as Record<DeviceKind, T>)[kind]);
  }
  return [entry as T];
}

/**
 * What the integration adds to the specification's data model, and why.
 * `npm run document` renders these notes into jupiterone.md.
 */
export const DATA_MODEL_NOTES: { about: string; note: string }[] = [
  {
    about: '`azure_user` USES device (all seven device kinds)',
    note: "Beyond the specification table. One relationship per distinct user in the managed device's `usersLoggedOn`, next to HAS for the enrolled user (`userId`): shared and kiosk devices have users who are not their primary user.",
  },
  {
    about: '`intune_managed_application` MANAGES `intune_detected_application`',
    note: "Beyond the specification table. A managed app and a detected app are the same application when their display names are equal once trimmed, lower-cased and with runs of white space collapsed, and their platform families are equal. The managed app's family comes from its `@odata.type` (win32LobApp, windowsMobileMSI, winGetApp, windowsMicrosoftEdgeApp, officeSuiteApp, windowsStoreApp, windowsUniversalAppX, microsoftStoreForBusinessApp, windowsAppX, windowsWebApp: windows; ios*: ios; macOS*: macOS; android*, managedAndroid*: android; anything else, such as webApp, has no family and manages nothing); the detected app's from its `platform`, every android* value folded to android. No fuzzy matching: a false MANAGES would hide unmanaged software.",
  },
  {
    about: '`intune_detected_application`',
    note: 'One entity per application identity (platform family and normalised name), whatever its versions; the installed version is on each INSTALLED relationship, one per device and version, which is what vulnerability matching needs. The key is a hash of the identity, the same in every run.',
  },
  {
    about: '`intune_noncompliance_finding`',
    note: 'One per device and policy whose device status is nonCompliant, error or conflict; compliant, notApplicable, notAssigned, unknown and remediated (Intune fixed it itself) make none. Key `intune_noncompliance_finding:{policyId}:{managedDeviceId}`, stable across runs. Severity: a compliance policy or a protection configuration (endpoint protection, Defender, identity protection, BitLocker, firewall, update rings) that is nonCompliant is high (7); their error and conflict are medium (5); any other configuration is medium (5) when nonCompliant and low (3) on error or conflict. See docs/compliance.md.',
  },
  {
    about: 'Mapped relationships',
    note: 'A group member, enrolled user or logged-on user that this collection did not produce as an entity (deleted between two Graph calls, or its step not run) is kept as a mapped relationship to the `azure_user` / `azure_user_group` with that `_key` (the directory object id), never dropped.',
  },
  // issue 17: app registrations and service principals
  {
    about:
      '`azure_service_principal`, `azure_app_registration`, `azure_app_credential`',
    note: "Beyond the specification table (docs/applications-and-service-principals.md). `azure_service_principal` is the `_type` and `Service` class of JupiterOne's Azure integration, keyed by the object id; `appOwnership` is tenant, microsoft, third-party or none. App registrations are `azure_app_registration` (`azure_application` means two other things there: an RBAC principal and an access-package resource), keyed by object id. Every password, key and federated identity credential is one `azure_app_credential` (`AccessKey`), key `azure_app_credential:{ownerObjectId}:{password|key|federated}:{keyId}`, with `expiresOn`, `signInEnabled` (the service principal in this tenant can sign in) and `autoRotated` (managed identities); never a secret, hint or certificate body.",
  },
  {
    about:
      '`azure_service_principal` ASSIGNED / ALLOWS `azure_service_principal`',
    note: "Beyond the specification table. Application permissions: resource ASSIGNED client, one per app role assignment, with `permission` (the app role's value), `appRoleId`, `highPrivilege` and `privilegeTier`, read from each resource's appRoleAssignedTo (only resources defining app roles for applications). Delegated grants: resource ALLOWS client, one per oauth2PermissionGrant, with `scope`, `consentType`, `tenantWide`, `principalId` and `highPrivilegeScopes`. A client this collection did not produce is mapped by `_key`.",
  },
  {
    about:
      '`azure_user` / `azure_service_principal` OWNS `azure_app_registration` / `azure_service_principal`; `azure_app_registration` HAS `azure_service_principal`',
    note: 'Beyond the specification table. Owners come from the lists (`$expand=owners`), read in full where the expansion may be cut short (20 items); an owner this collection did not produce is mapped. An app registration HAS the service principal with its appId in this tenant.',
  },
  {
    about: '`azure_user_group` HAS `azure_service_principal` (migration)',
    note: "Group members that are service principals are related to their `azure_service_principal` (mapped when fetch-service-principals did not collect it), no longer made `azure_group_member` entities. On the first run after the upgrade those `azure_group_member` entities (`memberType` servicePrincipal, same `_key`) and their group HAS member relationships disappear and the service principal entities take their place; queries on `azure_group_member WITH memberType = 'servicePrincipal'` must move to `azure_service_principal`.",
  },
  // ---- issue 16 ----
  {
    about: '`azure_ad_role_definition`',
    note: "Beyond the specification table; the name and class of JupiterOne's Azure integration. One per built-in or custom Entra ID role (beta `roleDefinitions`, for Microsoft's `isPrivileged` marking as `privileged`), keyed by its id (the template id of a built-in role, the same in every tenant).",
  },
  {
    about:
      '`azure_user` / `azure_user_group` / `azure_service_principal` HAS `azure_ad_role_definition`',
    note: "One relationship per principal, role, scope (`directoryScopeId`) and `assignmentType` (`active` or `eligible`), whichever Graph list it came from: an active assignment listed by roleAssignments and again by the PIM roleAssignmentScheduleInstances is one relationship, with `startOn`, `endOn`, `permanent` and `activated` when PIM says. Key: hash of `{principalId}|has|{roleId}|{scope}|{type}`. A principal this collection did not produce is a mapped relationship; service principals are related to the applications module's `azure_service_principal` (directly once it runs, mapped until then). See docs/identity-security.md.",
  },
  {
    about:
      '`azure_conditional_access_policy`, `azure_conditional_access_named_location`',
    note: 'Beyond the specification table; graph-azure\'s names and classes. "All users", "None", guests and "All trusted locations" are policy properties, not entities.',
  },
  {
    about:
      '`azure_conditional_access_policy` ASSIGNED / ALLOWS users, groups, roles, service principals; USES named locations',
    note: "ASSIGNED: the policy includes the target (graph-azure's relationship). ALLOWS: the policy excludes it (lets it past its controls); an ALLOWS to a user carries `excludedFromEveryEnabledPolicy`. USES: a named location of the policy's include or exclude list (`locationCondition`). A target this collection did not produce is a mapped relationship.",
  },
  // ---- issue 15 ----
  {
    about:
      '`intune_compliance_policy` / `intune_device_configuration` ASSIGNED / ALLOWS `azure_user_group`',
    note: 'Beyond the specification table; read from the policy lists with `$expand=assignments`. ASSIGNED: the policy includes the group; ALLOWS: it excludes the group (lets its members past the policy), the same classes as Conditional Access. Each carries `assignmentId`, `intent` (include or exclude) and, when the assignment has an assignment filter, `filterId` and `filterMode` (include or exclude). "All devices" and "All users" are policy properties (`assignedToAllDevices`, `assignedToAllUsers`, with their filters), not relationships. A group this collection did not produce is a mapped relationship. See docs/compliance.md.',
  },
  {
    about: '`azure_user` and `microsoft_365_account` properties',
    note: "Users carry their authentication-method registration (`isMfaRegistered`, `isMfaCapable`, `isPasswordlessCapable`, `isSsprRegistered`, `methodsRegistered`, `defaultMfaMethod`, `isAdmin`, `registrationDetailsUpdatedOn`; `mfaEnabled`/`mfaType` for the data model's User class). The account carries security defaults, the authorization policy (`guestAccess`, `userConsent`, ...) and the authentication-methods policy (`authenticationMethodsEnabled`, `authenticationMethodTargets`, ...).",
  },
];
