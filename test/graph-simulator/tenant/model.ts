/**
 * The contract between the tenant generator (test/graph-simulator/tenant/) and
 * the HTTP side of the simulator (test/graph-simulator/*.ts).
 *
 * The generator produces a TenantData: every object exactly as Microsoft
 * Graph would return it with *all* properties the simulator knows for its
 * type (beta superset), generated lazily and deterministically from a seed so
 * that a 50,000-user / 20,000-device tenant costs little memory. The server
 * picks the page, applies $select / the default property set / v1.0 vs beta
 * differences, wraps the envelope, and enforces auth, throttling and faults.
 *
 * Nothing in here may import from src/: the simulator is the oracle the
 * integration is tested against, so it must not share the integration's logic.
 */

/** A JSON object as Graph puts it on the wire. */
export type GraphObject = Record<string, unknown>;

/** Random, lazy access to a large ordered collection. */
export interface Collection<T = GraphObject> {
  readonly count: number;
  /** 0 <= index < count. Must return an equal object every time for the same index. */
  get(index: number): T;
}

export type DirectoryObjectType =
  | 'user'
  | 'group'
  | 'device'
  | 'servicePrincipal'
  | 'orgContact'
  /** A type the simulator does not model: Graph returns only id + @odata.type. */
  | 'directoryObject';

/** Application registrations, global to the simulator (like Entra's app registry). */
export interface SimulatedApplication {
  clientId: string;
  displayName: string;
  /** Each secret has a value and may be expired (AADSTS7000222). */
  secrets: { value: string; expired?: boolean }[];
  /** PEM certificates registered on the app (issue 9: client assertions). */
  certificates?: string[];
}

export interface IntuneState {
  intuneAccountId: string;
  /** deviceManagement.subscriptionState: pending, active, warning, disabled, deleted, blocked, lockedOut */
  subscriptionState: string;
  /** organization.mobileDeviceManagementAuthority: intune, sccm, office365, unknown */
  mdmAuthority: string;
}

export type DeviceStatusSource =
  | 'compliance'
  | 'configuration'
  // issue 15: settingsCatalog / endpointSecurity (beta configurationPolicies)
  | 'settings';

/**
 * issue 15: policy families whose per-device state Graph serves only through
 * report actions: administrative templates (beta groupPolicyConfigurations)
 * and settings compliance policies (beta compliancePolicies).
 */
export type ReportPolicySource =
  | 'administrativeTemplate'
  | 'settingsCompliance';

/** Every policy family the tenant generates. */
export type PolicyFamilySource = DeviceStatusSource | ReportPolicySource;

/** issue 15: one row of a per-policy device status report, before rendering. */
export interface ReportStatusRow {
  deviceId: string;
  deviceName: string;
  userPrincipalName: string;
  userName: string;
  userId: string;
  status: string;
  lastReported: string;
}

export interface TenantData {
  tenantId: string;
  /** Verified domains; the first is the initial *.onmicrosoft.com domain. */
  domains: string[];
  displayName: string;
  /** Entra ID P1/P2: without it, selecting signInActivity is refused. */
  premium: boolean;
  /** null = tenant without Intune: Intune endpoints answer 400 "Request not applicable to target tenant." */
  intune: IntuneState | null;
  /** Apps with a service principal (admin consent) in this tenant, and the application permissions granted. */
  servicePrincipals: Map<string, { roles: string[] }>;

  /** The single item of GET /organization. */
  organization: GraphObject;

  // ---- directory ----------------------------------------------------------
  /** What GET /users lists, in order. Full user objects (signInActivity included). */
  users: Collection;
  /** What GET /groups lists, in order. */
  groups: Collection;
  /**
   * Direct members of a group, in the order Graph lists them, as ids.
   * May contain the same id twice (Graph repeats members across pages), and
   * ids of users/groups that GET /users or /groups do not list (deleted
   * between calls). undefined = no such group (404).
   */
  groupMemberIds(groupId: string): string[] | undefined;
  /** Any directory object by id (users, groups incl. deleted-between-calls ones, devices, SPs, contacts, unknown). Objects carry '@odata.type'. */
  directoryObject(id: string): GraphObject | undefined;
  directoryObjectType(id: string): DirectoryObjectType | undefined;

  // ---- app registrations and service principals (issue 17) ----------------
  /** GET /servicePrincipals, in order (no '@odata.type'), the member pool first. */
  servicePrincipalList: Collection;
  /** GET /applications, in order (no '@odata.type'). */
  applications: Collection;
  /** Owner ids (users and service principals) of an app registration or service principal; undefined = no such object (404). */
  ownerIds(objectId: string): string[] | undefined;
  /** appRoleAssignedTo of a service principal; undefined = 404 (unknown, or deleted after /servicePrincipals listed it). */
  appRoleAssignedTo(servicePrincipalId: string): GraphObject[] | undefined;
  /** Federated identity credentials of an app registration; undefined = no such app. */
  federatedIdentityCredentials(
    applicationId: string,
  ): GraphObject[] | undefined;
  /** GET /oauth2PermissionGrants. */
  oauth2PermissionGrants: Collection;

  // ---- Intune (all empty when intune is null) -----------------------------
  /** GET /deviceManagement/managedDevices, beta shape (the server removes beta-only properties for v1.0). */
  managedDevices: Collection;
  managedDevice(id: string): GraphObject | undefined;
  /** GET /deviceManagement/detectedApps: one item per (name, version, platform), ids are 64-hex. */
  detectedApps: Collection;
  /** The detectedApps of one device (for managedDevices/{id}?$expand=detectedApps). */
  detectedAppsOfDevice(deviceId: string): GraphObject[];
  /** Device ids for GET /detectedApps/{id}/managedDevices. */
  deviceIdsOfDetectedApp(detectedAppId: string): string[] | undefined;
  /** GET /deviceAppManagement/mobileApps (every app; items carry '@odata.type'). */
  mobileApps: Collection;
  /**
   * Rows of getDeviceInstallStatusReport for one app, as column-name -> value
   * maps (DeviceId, ApplicationId, UserId, DeviceName, UserPrincipalName,
   * UserName, Platform, AppVersion, ErrorCode, InstallState,
   * InstallStateDetail, LastModifiedDateTime, HexErrorCode, AppInstallState,
   * AppInstallState_loc, AppInstallStateDetails, AppInstallStateDetails_loc).
   */
  installStatusRows(appId: string): Record<string, string | number | null>[];
  /**
   * The AppInvRawData report (export jobs, app-inventory.ts): its row count
   * (for the job's timing) and its rows, column name -> text. Optional: a
   * tenant without it is reported from managedDevices and
   * detectedAppsOfDevice, one row per item.
   */
  appInventory?: {
    rowCount(): number;
    rows(): Iterable<Record<string, string>>;
  };
  compliancePolicies: Collection;
  deviceConfigurations: Collection;
  /**
   * {policy}/deviceStatuses items (ids `{intuneAccountId}_{policyId}_{deviceId}`).
   * May repeat an item, and may reference devices that managedDevices does not list.
   */
  deviceStatuses(
    source: DeviceStatusSource,
    policyId: string,
  ): GraphObject[] | undefined;
  /** issue 15: a policy's assignments, as `$expand=assignments` inlines them (none when absent). */
  policyAssignments?(
    source: DeviceStatusSource,
    policyId: string,
  ): GraphObject[] | undefined;
  /**
   * issue 15: settingsCatalog / endpointSecurity: beta
   * /deviceManagement/configurationPolicies, their report rows
   * (settings-policies.ts). Optional: tenants built by hand have none.
   */
  settingsPolicies?: SettingsPolicyData;
  /** issue 15: managed devices per deciding status value, for `{policy}/deviceStatusOverview`. */
  policyStatusOverview?(
    source: PolicyFamilySource,
    policyId: string,
  ): Record<string, number> | undefined;

  // ---- issue 15: administrativeTemplate, settingsCompliance ------------------
  /** GET beta /deviceManagement/groupPolicyConfigurations, /compliancePolicies (none when absent). */
  reportPolicies?(source: ReportPolicySource): Collection;
  /** A report family's assignments (none when the policy is unknown). */
  reportPolicyAssignments?(
    source: ReportPolicySource,
    policyId: string,
  ): GraphObject[] | undefined;
  /**
   * The per-device report rows of one policy before rendering: one per
   * (device, principal), in Graph's order, repeats included; undefined when
   * the policy is unknown.
   */
  reportPolicyRows?(
    source: ReportPolicySource,
    policyId: string,
  ): ReportStatusRow[] | undefined;

  // ---- issue 16: roles, MFA registration, Conditional Access ---------------
  /** Entra ID P2 (or ID Governance): without it the PIM lists answer 400 AadPremiumLicenseRequired. */
  premiumP2: boolean;
  /** GET /roleManagement/directory/roleDefinitions, beta shape (isPrivileged); v1.0 drops beta-only properties. */
  roleDefinitions: GraphObject[];
  /** GET .../roleAssignments: id, principalId, directoryScopeId, roleDefinitionId. */
  roleAssignments: GraphObject[];
  roleAssignmentScheduleInstances: GraphObject[];
  roleEligibilityScheduleInstances: GraphObject[];
  /** GET /reports/authenticationMethods/userRegistrationDetails, in the report's order. */
  userRegistrationDetails: Collection;
  conditionalAccessPolicies: GraphObject[];
  namedLocations: GraphObject[];
  securityDefaultsPolicy: GraphObject;
  authorizationPolicy: GraphObject;
  authenticationMethodsPolicy: GraphObject;

  /** What a correct integration must produce from this tenant. */
  groundTruth(): GroundTruth;
}

/** issue 15: settingsCatalog / endpointSecurity, as the routes serve them. */
export interface SettingsPolicyData {
  /** deviceManagementConfigurationPolicy objects, in list order. */
  collection: Collection;
  /** `$expand=assignments` items (deviceManagementConfigurationPolicyAssignment); undefined = no such policy. */
  assignments(policyId: string): GraphObject[] | undefined;
  /** getConfigurationPolicyDevicesReport rows of one policy, column -> value; undefined = no such policy. */
  deviceRows(
    policyId: string,
  ): Record<string, string | number | null>[] | undefined;
  /** getConfigurationSettingNonComplianceReport rows of one policy (failing settings per device and user). */
  settingRows(
    policyId: string,
  ): Record<string, string | number | null>[] | undefined;
  /** getConfigurationPolicyDeviceSummaryReport: the policy's one row of counts. */
  summaryRow(
    policyId: string,
  ): Record<string, string | number | null> | undefined;
}

/**
 * Ground truth: counts of what a correct collection of the tenant produces.
 * Relationship keys are `${sourceType}|${CLASS}|${targetType}` (e.g.
 * 'azure_user_group|HAS|azure_user', 'laptop|INSTALLED|intune_detected_application').
 * Mapped relationships use the same key shape, written from the side of the
 * relationship's meaning (e.g. 'azure_user|HAS|laptop' for a device whose
 * enrolled user is not in /users).
 */
export interface GroundTruth {
  entities: Record<string, number>;
  relationships: Record<string, number>;
  mappedRelationships: Record<string, number>;
  /** Counts the integration must log rather than emit. */
  skipped: {
    /** deviceStatuses items whose device is not in managedDevices. */
    statusesForUnknownDevices: number;
    /** install-status report rows whose device is not in managedDevices. */
    installRowsForUnknownDevices: number;
    /** AppInvRawData export rows whose device is not in managedDevices. */
    appRowsForUnknownDevices: number;
    /** AppInvRawData export rows that repeat an earlier row. */
    appRowsRepeated: number;
    /** Resources listed by /servicePrincipals whose appRoleAssignedTo answers 404. */
    resourcesDeletedBeforeAssignmentListing: number;
    /** appRoleAssignedTo rows of users and groups (only service principals are related). */
    userAndGroupAppRoleAssignments: number;
    /** oauth2PermissionGrants whose resource /servicePrincipals did not list. */
    grantsOfUnknownResources: number;
  };
  /** Expected `_type` of every managed device, by device id. */
  deviceKinds: Record<string, string>;
  /**
   * How many relationships carry each value of a property that several rows
   * of one device decide (docs/applications.md, docs/compliance.md: the
   * worst row wins), e.g. 'ASSIGNED intune_managed_application installState=failed'.
   */
  values: Record<string, number>;
  /** issue 16: properties and skipped items of roles, MFA registration and Conditional Access. */
  identity: IdentityTruth;
}

/** issue 16: what the roles, registration and Conditional Access data must show. */
export interface IdentityTruth {
  /** Users the registration report lists with isMfaRegistered true / false; users it does not list. */
  usersMfaRegistered: number;
  usersMfaNotRegistered: number;
  usersWithoutRegistration: number;
  /** Records of users /users does not list (deleted between the two reads). */
  registrationRecordsForUnknownUsers: number;
  /** Users with a direct role assignment whose record says isMfaRegistered false. */
  adminsWithoutMfa: number;
  privilegedRoleDefinitions: number;
  customRoleDefinitions: number;
  /** Active role relationships with an end date (time-bound or activated), readable with P2. */
  timeBoundActiveAssignments: number;
  eligibleAssignments: number;
  /** Role assignments whose principal Graph no longer resolves (principal null). */
  roleAssignmentsWithoutPrincipal: number;
  /** PIM instances a group's member inherits (memberType Group). */
  inheritedRoleInstances: number;
  enabledPolicies: number;
  reportOnlyPolicies: number;
  disabledPolicies: number;
  /** Users of /users that every enabled Conditional Access policy that applies to users excludes by id. */
  usersExcludedFromEveryEnabledPolicy: string[];
  securityDefaultsEnabled: boolean;
}
