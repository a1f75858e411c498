/**
 * Tenant profiles: the knobs of the generator. A profile is plain data; the
 * same profile always produces the same tenant (see generate.ts).
 *
 * Shares are probabilities applied per item (per member slot, per device, per
 * status...). Whatever they produce, the ground truth counts it: the knobs
 * shape the tenant, they are not the expected numbers.
 */
import { DEVICE_TEMPLATES } from './devices';
import { MOBILE_APP_TEMPLATES } from './mobile-app-templates';

export interface DirectoryProfile {
  users: number;
  guestShare: number;
  disabledShare: number;
  /** Users without a mailbox: `mail` is null. */
  noMailShare: number;
  /** Users and groups synced from on-premises AD. */
  onPremisesSyncedShare: number;
  /** Users whose `signInActivity` is null (never signed in). */
  neverSignedInShare: number;
  groups: number;
  averageMembersPerGroup: number;
  /** Share of (nesting-capable) groups that contain other groups. */
  nestedGroupShare: number;
  /** Pools of members that are neither users nor groups; each becomes an azure_group_member. */
  memberDevices: number;
  memberServicePrincipals: number;
  memberOrgContacts: number;
  /** Members Graph returns with only `id` and `@odata.type` #microsoft.graph.directoryObject. */
  memberUnknownObjects: number;
}

export interface IntuneProfile {
  /** deviceManagement.subscriptionState */
  subscriptionState: string;
  /** organization.mobileDeviceManagementAuthority */
  mdmAuthority: string;
  devices: number;
  /** Weight per device template id; templates not named keep their catalogue weight. */
  deviceMix?: Record<string, number>;
  /** Distinct application identities (platform family + name) in the detected-app inventory. */
  distinctDetectedApps: number;
  appsPerDevice: number;
  versionsPerApp: number;
  /** Mobile apps (every one of MOBILE_APP_TEMPLATES appears first, then a weighted mix). */
  mobileApps: number;
  /** Share of the extra (non-template) mobile apps that are unassigned store apps: not entities. */
  unassignedStoreAppShare: number;
  /** Share of the extra mobile apps named exactly like a detected app of their platform family. */
  sameAsDetectedShare: number;
  /** Average install-status report rows per assigned / line-of-business app. */
  installRowsPerApp: number;
  compliancePolicies: number;
  deviceConfigurations: number;
  // issue 15: families read through report actions (0 when absent)
  /** beta groupPolicyConfigurations (administrative templates). */
  administrativeTemplates?: number;
  /** beta compliancePolicies (settings compliance, e.g. Linux). */
  settingsCompliancePolicies?: number;
  /** issue 15: beta configurationPolicies (Settings Catalog and endpoint security); 0 when absent. */
  settingsPolicies?: number;
  /** Share of managed devices with a deviceStatus per assigned policy. */
  statusCoverage: number;
  /** Share of policies (besides the last one, always unassigned) without any status. */
  unassignedPolicyShare: number;
}

/** Data-quality problems real tenants show; each is handled by a rule of docs/data-model-rules.md. */
export interface AnomalyProfile {
  /** Member slots naming a user deleted between calls (not listed by /users). */
  ghostUserMemberShare: number;
  /** Member slots naming a group deleted between calls (not listed by /groups). */
  ghostGroupMemberShare: number;
  /** Member slots Graph repeats (the same id twice in one group's list). */
  duplicateMemberShare: number;
  /** Devices whose `userId` is a user /users does not list. */
  unknownEnrolledUserShare: number;
  /** Devices with a `usersLoggedOn` entry for a user /users does not list. */
  unknownLoggedOnUserShare: number;
  /** deviceStatuses items Graph repeats verbatim. */
  duplicateStatusShare: number;
  /** Extra deviceStatuses (relative to a policy's statuses) for devices not in managedDevices. */
  unknownDeviceStatusShare: number;
  duplicateInstallRowShare: number;
  /**
   * Devices whose status for a policy comes twice, once for the user and once
   * for "System account", each with its own state (MicrosoftDocs/IntuneDocs
   * #2657: "2 entries for every compliance policy. One for my user and one for
   * 'System account'"; #2661, #2662: the System account row in Error while the
   * user's is fine). Both rows carry the same status `id`.
   */
  systemAccountStatusShare: number;
  /**
   * Devices whose install row for an app comes twice, for the user and for the
   * device context ("System account"), with different states: the report is
   * per device and user (UNCONFIRMED that the second principal is named so).
   */
  systemAccountInstallRowShare: number;
  /** Extra install-report rows (relative to an app's rows) for devices not in managedDevices. */
  unknownDeviceInstallRowShare: number;
  /** AppInvRawData export rows repeated verbatim (share of its rows). */
  duplicateAppRowShare: number;
  /** Extra AppInvRawData export rows (relative to its rows) for devices not in managedDevices. */
  unknownDeviceAppRowShare: number;
}

/** App registrations and service principals (issue 17). */
export interface ApplicationsProfile {
  /** Microsoft's service principals, from the captured catalogue in order (Microsoft Graph first); beyond its 187 it repeats under new app ids. */
  firstPartyServicePrincipals: number;
  /** App registrations of this tenant with their service principal, besides the integration's and the member pool's tenant-owned ones. */
  tenantApplications: number;
  /** App registrations with no service principal in this tenant. */
  applicationsWithoutServicePrincipal: number;
  /** Service principals of applications published by other organisations. */
  thirdPartyServicePrincipals: number;
  managedIdentities: number;
  /** Share of tenant apps, third-party apps and managed identities holding application permissions. */
  applicationPermissionShare: number;
  /** Share of tenant and third-party apps with tenant-wide (AllPrincipals) delegated consent on Microsoft Graph. */
  tenantWideConsentShare: number;
  /** Per-user (Principal) delegated consents drawn; repeats of a (client, user) pair are dropped. */
  userConsents: number;
  /** Resources deleted after /servicePrincipals listed them: appRoleAssignedTo answers 404 (cartography #2624). */
  deletedResources: number;
  /**
   * Service principals deleted (or created) between /servicePrincipals and
   * the lists that name them: an application permission, a consent, an owner
   * and a group member point at them.
   */
  deletedServicePrincipals: number;
}

/** issue 16: privileged roles, MFA registration, Conditional Access. */
export interface IdentityProfile {
  /** Entra ID P2 (or ID Governance): PIM answers 400 AadPremiumLicenseRequired without it. */
  premiumP2: boolean;
  customRoles: number;
  /** Users with a permanent active role (user 0 and a break-glass account are Global Administrators). */
  activeUserAssignments: number;
  /** Users with a time-bound active assignment (PIM, with an end date). */
  timeBoundAssignments: number;
  /** PIM-eligible user assignments (one of them activated now). */
  eligibleAssignments: number;
  groupAssignments: number;
  /** Service principals of the directory's pool (index < memberServicePrincipals) with a role. */
  servicePrincipalAssignments: number;
  mfaRegisteredShare: number;
  /** Users the registration report does not list yet (created since its last refresh). */
  registrationMissingShare: number;
  conditionalAccessPolicies: number;
  namedLocations: number;
  securityDefaults: boolean;
}

export interface ServicePrincipalGrant {
  clientId: string;
  roles: string[];
}

export interface TenantProfile {
  name: string;
  seed: number;
  tenantId: string;
  displayName: string;
  /** The *.onmicrosoft.com domain. */
  initialDomain: string;
  extraDomains: string[];
  /** Entra ID P1/P2 (signInActivity readable). */
  premium: boolean;
  servicePrincipals: ServicePrincipalGrant[];
  directory: DirectoryProfile;
  applications: ApplicationsProfile;
  /** null: tenant without Intune. */
  intune: IntuneProfile | null;
  anomalies: AnomalyProfile;
  /** issue 16 */
  identity: IdentityProfile;
}

/** The simulator's default app registration (the integration's client id in tests). */
export const DEFAULT_CLIENT_ID = '6b3c1f6e-2f4d-4a57-9c1e-7d0b5e8a4c21';

/** Every application permission the integration can use. */
export const ALL_ROLES = [
  'Directory.Read.All',
  'User.Read.All',
  'Group.Read.All',
  'GroupMember.Read.All',
  'Device.Read.All',
  'Organization.Read.All',
  'AuditLog.Read.All',
  'DeviceManagementManagedDevices.Read.All',
  'DeviceManagementApps.Read.All',
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementServiceConfig.Read.All',
  'Application.Read.All',
  // issue 16
  'RoleManagement.Read.Directory',
  'Policy.Read.All',
];

const TEMPLATE_COUNT = DEVICE_TEMPLATES.length;
/**
 * Devices generate.ts gives fixed roles so that small tenants cover every rule:
 * one per template (known user), then one per kind (user missing from /users).
 */
export const COVERAGE_DEVICES = TEMPLATE_COUNT + 7;

/** Knobs for a clean tenant (e.g. makeProfile({ anomalies: NO_ANOMALIES })). */
export const NO_ANOMALIES: AnomalyProfile = {
  ghostUserMemberShare: 0,
  ghostGroupMemberShare: 0,
  duplicateMemberShare: 0,
  unknownEnrolledUserShare: 0,
  unknownLoggedOnUserShare: 0,
  duplicateStatusShare: 0,
  unknownDeviceStatusShare: 0,
  duplicateInstallRowShare: 0,
  systemAccountStatusShare: 0,
  systemAccountInstallRowShare: 0,
  unknownDeviceInstallRowShare: 0,
  duplicateAppRowShare: 0,
  unknownDeviceAppRowShare: 0,
};

const SMALL_TENANT_ANOMALIES: AnomalyProfile = {
  ghostUserMemberShare: 0.05,
  ghostGroupMemberShare: 0.03,
  duplicateMemberShare: 0.05,
  unknownEnrolledUserShare: 0.05,
  unknownLoggedOnUserShare: 0.05,
  duplicateStatusShare: 0.05,
  unknownDeviceStatusShare: 0.05,
  duplicateInstallRowShare: 0.05,
  systemAccountStatusShare: 0.1,
  systemAccountInstallRowShare: 0.1,
  unknownDeviceInstallRowShare: 0.05,
  duplicateAppRowShare: 0.05,
  unknownDeviceAppRowShare: 0.05,
};

const LARGE_TENANT_ANOMALIES: AnomalyProfile = {
  ghostUserMemberShare: 0.004,
  ghostGroupMemberShare: 0.002,
  duplicateMemberShare: 0.01,
  unknownEnrolledUserShare: 0.01,
  unknownLoggedOnUserShare: 0.01,
  duplicateStatusShare: 0.002,
  unknownDeviceStatusShare: 0.005,
  duplicateInstallRowShare: 0.002,
  systemAccountStatusShare: 0.02,
  systemAccountInstallRowShare: 0.02,
  unknownDeviceInstallRowShare: 0.005,
  duplicateAppRowShare: 0.002,
  unknownDeviceAppRowShare: 0.005,
};

const DIRECTORY_SHARES = {
  guestShare: 0.1,
  disabledShare: 0.05,
  noMailShare: 0.1,
  onPremisesSyncedShare: 0.3,
  neverSignedInShare: 0.08,
};

function tenant(
  name: string,
  seed: number,
  tenantId: string,
  displayName: string,
  domainLabel: string,
): Pick<
  TenantProfile,
  | 'name'
  | 'seed'
  | 'tenantId'
  | 'displayName'
  | 'initialDomain'
  | 'extraDomains'
  | 'premium'
  | 'servicePrincipals'
> {
  return {
    name,
    seed,
    tenantId,
    displayName,
    initialDomain: `${domainLabel}.onmicrosoft.com`,
    extraDomains: [`${domainLabel}.com`, `mail.${domainLabel}.com`],
    premium: true,
    servicePrincipals: [{ clientId: DEFAULT_CLIENT_ID, roles: [...ALL_ROLES] }],
  };
}

const INTUNE_ACTIVE = { subscriptionState: 'active', mdmAuthority: 'intune' };

/** issue 16: a tenant that uses Conditional Access and PIM (so security defaults are off). */
function identity(
  sizes: Pick<
    IdentityProfile,
    | 'customRoles'
    | 'activeUserAssignments'
    | 'timeBoundAssignments'
    | 'eligibleAssignments'
    | 'groupAssignments'
    | 'servicePrincipalAssignments'
    | 'conditionalAccessPolicies'
    | 'namedLocations'
  >,
): IdentityProfile {
  return {
    premiumP2: true,
    mfaRegisteredShare: 0.7,
    registrationMissingShare: 0.03,
    securityDefaults: false,
    ...sizes,
  };
}

const tiny: TenantProfile = {
  ...tenant(
    'tiny',
    1,
    '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c',
    'Contoso Tiny',
    'contosotiny',
  ),
  directory: {
    users: 12,
    guestShare: 0.2,
    disabledShare: 0.1,
    noMailShare: 0.2,
    onPremisesSyncedShare: 0.25,
    neverSignedInShare: 0.15,
    groups: 6,
    averageMembersPerGroup: 5,
    nestedGroupShare: 0.34,
    memberDevices: 3,
    memberServicePrincipals: 2,
    memberOrgContacts: 2,
    memberUnknownObjects: 1,
  },
  applications: {
    firstPartyServicePrincipals: 12,
    tenantApplications: 6,
    applicationsWithoutServicePrincipal: 2,
    thirdPartyServicePrincipals: 4,
    managedIdentities: 2,
    applicationPermissionShare: 0.5,
    tenantWideConsentShare: 0.4,
    userConsents: 6,
    deletedResources: 1,
    deletedServicePrincipals: 1,
  },
  intune: {
    ...INTUNE_ACTIVE,
    devices: COVERAGE_DEVICES + 3,
    distinctDetectedApps: 40,
    appsPerDevice: 5,
    versionsPerApp: 2,
    mobileApps: MOBILE_APP_TEMPLATES.length,
    unassignedStoreAppShare: 0.2,
    sameAsDetectedShare: 0.5,
    installRowsPerApp: 5,
    compliancePolicies: 4,
    deviceConfigurations: 5,
    // issue 15
    administrativeTemplates: 3,
    settingsCompliancePolicies: 3,
    settingsPolicies: 4, // issue 15
    statusCoverage: 0.6,
    unassignedPolicyShare: 0,
  },
  identity: identity({
    customRoles: 1,
    activeUserAssignments: 4,
    timeBoundAssignments: 1,
    eligibleAssignments: 3,
    groupAssignments: 1,
    servicePrincipalAssignments: 1,
    conditionalAccessPolicies: 7,
    namedLocations: 3,
  }),
  anomalies: SMALL_TENANT_ANOMALIES,
};

const demo: TenantProfile = {
  ...tenant(
    'demo',
    2024,
    '8d1e4b7a-2c3f-4a5e-9b6d-0f1e2d3c4b5a',
    'Contoso Demo',
    'contosodemo',
  ),
  directory: {
    users: 50,
    ...DIRECTORY_SHARES,
    groups: 10,
    averageMembersPerGroup: 8,
    nestedGroupShare: 0.3,
    memberDevices: 6,
    memberServicePrincipals: 3,
    memberOrgContacts: 4,
    memberUnknownObjects: 2,
  },
  applications: {
    firstPartyServicePrincipals: 25,
    tenantApplications: 10,
    applicationsWithoutServicePrincipal: 2,
    thirdPartyServicePrincipals: 8,
    managedIdentities: 4,
    applicationPermissionShare: 0.5,
    tenantWideConsentShare: 0.3,
    userConsents: 20,
    deletedResources: 1,
    deletedServicePrincipals: 1,
  },
  intune: {
    ...INTUNE_ACTIVE,
    devices: COVERAGE_DEVICES + 20,
    distinctDetectedApps: 80,
    appsPerDevice: 8,
    versionsPerApp: 2,
    mobileApps: MOBILE_APP_TEMPLATES.length + 6,
    unassignedStoreAppShare: 0.2,
    sameAsDetectedShare: 0.4,
    installRowsPerApp: 10,
    compliancePolicies: 6,
    deviceConfigurations: 6,
    // issue 15
    administrativeTemplates: 3,
    settingsCompliancePolicies: 2,
    settingsPolicies: 4, // issue 15
    statusCoverage: 0.5,
    unassignedPolicyShare: 0.1,
  },
  identity: identity({
    customRoles: 2,
    activeUserAssignments: 8,
    timeBoundAssignments: 2,
    eligibleAssignments: 5,
    groupAssignments: 2,
    servicePrincipalAssignments: 2,
    conditionalAccessPolicies: 9,
    namedLocations: 4,
  }),
  anomalies: SMALL_TENANT_ANOMALIES,
};

const noIntune: TenantProfile = {
  ...tenant(
    'noIntune',
    7,
    '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
    'Fabrikam (no Intune)',
    'fabrikamnointune',
  ),
  premium: false,
  directory: {
    users: 25,
    ...DIRECTORY_SHARES,
    groups: 6,
    averageMembersPerGroup: 6,
    nestedGroupShare: 0.3,
    memberDevices: 3,
    memberServicePrincipals: 2,
    memberOrgContacts: 2,
    memberUnknownObjects: 1,
  },
  applications: {
    firstPartyServicePrincipals: 8,
    tenantApplications: 3,
    applicationsWithoutServicePrincipal: 1,
    thirdPartyServicePrincipals: 2,
    managedIdentities: 1,
    applicationPermissionShare: 0.5,
    tenantWideConsentShare: 0.3,
    userConsents: 4,
    deletedResources: 0,
    deletedServicePrincipals: 0,
  },
  intune: null,
  // No premium licence: security defaults on, no PIM, no Conditional Access.
  identity: {
    ...identity({
      customRoles: 0,
      activeUserAssignments: 3,
      timeBoundAssignments: 0,
      eligibleAssignments: 0,
      groupAssignments: 0,
      servicePrincipalAssignments: 1,
      conditionalAccessPolicies: 0,
      namedLocations: 0,
    }),
    premiumP2: false,
    securityDefaults: true,
  },
  anomalies: SMALL_TENANT_ANOMALIES,
};

const S: TenantProfile = {
  ...tenant(
    'S',
    101,
    '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    'Contoso S',
    'contososmall',
  ),
  directory: {
    users: 100,
    ...DIRECTORY_SHARES,
    groups: 20,
    averageMembersPerGroup: 10,
    nestedGroupShare: 0.25,
    memberDevices: 15,
    memberServicePrincipals: 5,
    memberOrgContacts: 8,
    memberUnknownObjects: 3,
  },
  applications: {
    firstPartyServicePrincipals: 60,
    tenantApplications: 15,
    applicationsWithoutServicePrincipal: 3,
    thirdPartyServicePrincipals: 12,
    managedIdentities: 8,
    applicationPermissionShare: 0.4,
    tenantWideConsentShare: 0.25,
    userConsents: 40,
    deletedResources: 1,
    deletedServicePrincipals: 1,
  },
  intune: {
    ...INTUNE_ACTIVE,
    devices: 40,
    distinctDetectedApps: 60,
    appsPerDevice: 10,
    versionsPerApp: 2,
    mobileApps: 20,
    unassignedStoreAppShare: 0.2,
    sameAsDetectedShare: 0.4,
    installRowsPerApp: 12,
    compliancePolicies: 5,
    deviceConfigurations: 5,
    // issue 15
    administrativeTemplates: 4,
    settingsCompliancePolicies: 2,
    settingsPolicies: 4, // issue 15
    statusCoverage: 0.4,
    unassignedPolicyShare: 0.1,
  },
  identity: identity({
    customRoles: 2,
    activeUserAssignments: 10,
    timeBoundAssignments: 3,
    eligibleAssignments: 6,
    groupAssignments: 2,
    servicePrincipalAssignments: 2,
    conditionalAccessPolicies: 10,
    namedLocations: 4,
  }),
  anomalies: SMALL_TENANT_ANOMALIES,
};

const M: TenantProfile = {
  ...tenant(
    'M',
    5000,
    '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
    'Contoso M',
    'contosomedium',
  ),
  directory: {
    users: 5000,
    ...DIRECTORY_SHARES,
    groups: 500,
    averageMembersPerGroup: 25,
    nestedGroupShare: 0.2,
    memberDevices: 1000,
    memberServicePrincipals: 100,
    memberOrgContacts: 200,
    memberUnknownObjects: 50,
  },
  applications: {
    firstPartyServicePrincipals: 350,
    tenantApplications: 300,
    applicationsWithoutServicePrincipal: 40,
    thirdPartyServicePrincipals: 250,
    managedIdentities: 200,
    applicationPermissionShare: 0.35,
    tenantWideConsentShare: 0.2,
    userConsents: 1500,
    deletedResources: 1,
    deletedServicePrincipals: 2,
  },
  intune: {
    ...INTUNE_ACTIVE,
    devices: 2000,
    distinctDetectedApps: 300,
    appsPerDevice: 25,
    versionsPerApp: 3,
    mobileApps: 60,
    unassignedStoreAppShare: 0.25,
    sameAsDetectedShare: 0.4,
    installRowsPerApp: 150,
    compliancePolicies: 20,
    deviceConfigurations: 20,
    // issue 15
    administrativeTemplates: 8,
    settingsCompliancePolicies: 4,
    settingsPolicies: 20, // issue 15
    statusCoverage: 0.3,
    unassignedPolicyShare: 0.1,
  },
  identity: identity({
    customRoles: 5,
    activeUserAssignments: 60,
    timeBoundAssignments: 15,
    eligibleAssignments: 40,
    groupAssignments: 5,
    servicePrincipalAssignments: 10,
    conditionalAccessPolicies: 25,
    namedLocations: 10,
  }),
  anomalies: LARGE_TENANT_ANOMALIES,
};

const L: TenantProfile = {
  ...tenant(
    'L',
    50000,
    '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a',
    'Contoso L',
    'contosolarge',
  ),
  directory: {
    users: 50000,
    ...DIRECTORY_SHARES,
    groups: 5000,
    averageMembersPerGroup: 40,
    nestedGroupShare: 0.15,
    memberDevices: 8000,
    memberServicePrincipals: 400,
    memberOrgContacts: 1500,
    memberUnknownObjects: 300,
  },
  applications: {
    firstPartyServicePrincipals: 800,
    tenantApplications: 2000,
    applicationsWithoutServicePrincipal: 300,
    thirdPartyServicePrincipals: 1500,
    managedIdentities: 1500,
    applicationPermissionShare: 0.3,
    tenantWideConsentShare: 0.15,
    userConsents: 6000,
    deletedResources: 2,
    deletedServicePrincipals: 3,
  },
  intune: {
    ...INTUNE_ACTIVE,
    devices: 20000,
    distinctDetectedApps: 3000,
    appsPerDevice: 50,
    versionsPerApp: 3,
    mobileApps: 300,
    unassignedStoreAppShare: 0.25,
    sameAsDetectedShare: 0.4,
    installRowsPerApp: 400,
    compliancePolicies: 100,
    deviceConfigurations: 100,
    // issue 15
    administrativeTemplates: 20,
    settingsCompliancePolicies: 10,
    settingsPolicies: 100, // issue 15
    statusCoverage: 0.25,
    unassignedPolicyShare: 0.1,
  },
  identity: identity({
    customRoles: 10,
    activeUserAssignments: 250,
    timeBoundAssignments: 50,
    eligibleAssignments: 150,
    groupAssignments: 20,
    servicePrincipalAssignments: 40,
    conditionalAccessPolicies: 60,
    namedLocations: 30,
  }),
  anomalies: LARGE_TENANT_ANOMALIES,
};

/**
 * XL (issue 13): 200k users, 100k devices, ~5M detected-app installations,
 * the size at which only the export route keeps the detected apps cheap.
 */
const XL: TenantProfile = {
  ...tenant(
    'XL',
    200000,
    '6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c',
    'Contoso XL',
    'contosoxl',
  ),
  directory: {
    users: 200000,
    ...DIRECTORY_SHARES,
    groups: 20000,
    averageMembersPerGroup: 40,
    nestedGroupShare: 0.15,
    memberDevices: 30000,
    memberServicePrincipals: 1500,
    memberOrgContacts: 6000,
    memberUnknownObjects: 1200,
  },
  // L's ratios, four times as many (a large enterprise: 59,557 service
  // principals were reported in one tenant, identity-security.md §4.10).
  applications: {
    firstPartyServicePrincipals: 800,
    tenantApplications: 8000,
    applicationsWithoutServicePrincipal: 1200,
    thirdPartyServicePrincipals: 6000,
    managedIdentities: 6000,
    applicationPermissionShare: 0.3,
    tenantWideConsentShare: 0.15,
    userConsents: 24000,
    deletedResources: 2,
    deletedServicePrincipals: 3,
  },
  intune: {
    ...INTUNE_ACTIVE,
    devices: 100000,
    distinctDetectedApps: 6000,
    appsPerDevice: 57,
    versionsPerApp: 3,
    mobileApps: 600,
    unassignedStoreAppShare: 0.25,
    sameAsDetectedShare: 0.4,
    installRowsPerApp: 1500,
    compliancePolicies: 150,
    deviceConfigurations: 150,
    // issue 15
    administrativeTemplates: 20,
    settingsCompliancePolicies: 10,
    settingsPolicies: 150, // issue 15
    statusCoverage: 0.25,
    unassignedPolicyShare: 0.1,
  },
  // L's role assignments, four times as many; Conditional Access stays at
  // L's size (a policy count, not a fleet count).
  identity: identity({
    customRoles: 20,
    activeUserAssignments: 1000,
    timeBoundAssignments: 200,
    eligibleAssignments: 600,
    groupAssignments: 80,
    servicePrincipalAssignments: 160,
    conditionalAccessPolicies: 60,
    namedLocations: 30,
  }),
  anomalies: LARGE_TENANT_ANOMALIES,
};

export const PROFILES = { tiny, demo, noIntune, S, M, L, XL } as const;
export type ProfileName = keyof typeof PROFILES;

/** A profile with some knobs changed; nested objects merge, `intune: null` removes Intune. */
export interface ProfileOverrides
  extends Partial<
    Omit<
      TenantProfile,
      'directory' | 'applications' | 'intune' | 'anomalies' | 'identity'
    >
  > {
  directory?: Partial<DirectoryProfile>;
  applications?: Partial<ApplicationsProfile>;
  identity?: Partial<IdentityProfile>;
  intune?: Partial<IntuneProfile> | null;
  anomalies?: Partial<AnomalyProfile>;
}

export function makeProfile(
  overrides: ProfileOverrides = {},
  base: TenantProfile = tiny,
): TenantProfile {
  const {
    directory,
    applications,
    intune,
    anomalies,
    identity: roles,
    ...top
  } = overrides;
  let mergedIntune: IntuneProfile | null;
  if (intune === null) mergedIntune = null;
  else if (intune === undefined) mergedIntune = base.intune;
  else mergedIntune = { ...(base.intune ?? tiny.intune!), ...intune };
  return {
    ...base,
    ...top,
    directory: { ...base.directory, ...directory },
    applications: { ...base.applications, ...applications },
    intune: mergedIntune,
    anomalies: { ...base.anomalies, ...anomalies },
    identity: {
      ...base.identity,
      // A tenant without P1/P2 has no P2 either.
      ...(top.premium === false ? { premiumP2: false } : {}),
      ...roles,
    },
  };
}
