/**
 * A small hand-made TenantData for the simulator's own tests: every member
 * type, every Intune collection, and a configurable number of users and
 * groups (built lazily) for paging. Shapes follow the HARs. The real
 * generator (tenant/generate.ts) is used for fidelity and scale.
 */
import {
  DeviceStatusSource,
  GraphObject,
  GroundTruth,
  TenantData,
} from './tenant/model';

export interface FakeTenantOptions {
  tenantId?: string;
  domain?: string;
  displayName?: string;
  users?: number;
  groups?: number;
  premium?: boolean;
  intune?: boolean;
  /** clientId -> application permissions granted in this tenant. */
  servicePrincipals?: Record<string, string[]>;
  /** Install-status rows for the first mobile app (report paging). */
  installRows?: number;
}

/** GUID-shaped ids that say what they are: `<8 hex kind>-0000-4000-8000-<12 digit index>`. */
export function fakeId(kind: number, index: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${String(
    index,
  ).padStart(12, '0')}`;
}

const KIND = {
  user: 0x11,
  group: 0x22,
  device: 0x33,
  sp: 0x44,
  contact: 0x55,
  unknown: 0x66,
  managed: 0x77,
  app: 0x88,
  policy: 0x99,
  config: 0xaa,
  ghost: 0xbb,
};

export function fakeUser(index: number): GraphObject {
  return {
    businessPhones: index % 3 === 0 ? ['+1 555 0100'] : [],
    displayName: `User ${index}`,
    givenName: `Given${index}`,
    jobTitle: index % 2 ? 'Engineer' : null,
    mail: `user${index}@fake.example`,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: `Surname${index}`,
    userPrincipalName: `user${index}@fake.onmicrosoft.com`,
    id: fakeId(KIND.user, index),
    accountEnabled: index % 10 !== 0,
    userType: index % 7 === 0 ? 'Guest' : 'Member',
    createdDateTime: '2021-01-01T00:00:00Z',
    signInActivity: {
      lastSignInDateTime: '2024-01-01T00:00:00Z',
      lastSignInRequestId: fakeId(0x01, index),
      lastNonInteractiveSignInDateTime: '0001-01-01T00:00:00Z',
      lastNonInteractiveSignInRequestId: '',
    },
  };
}

export function fakeGroup(index: number): GraphObject {
  return {
    id: fakeId(KIND.group, index),
    deletedDateTime: null,
    classification: null,
    createdDateTime: '2021-01-01T00:00:00Z',
    creationOptions: [],
    description: `Group ${index}`,
    displayName: `Group ${index}`,
    expirationDateTime: null,
    groupTypes: index % 2 ? ['Unified'] : [],
    isAssignableToRole: null,
    mail: null,
    mailEnabled: false,
    mailNickname: `group${index}`,
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesDomainName: null,
    onPremisesLastSyncDateTime: null,
    onPremisesNetBiosName: null,
    onPremisesSamAccountName: null,
    onPremisesSecurityIdentifier: null,
    onPremisesSyncEnabled: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: [],
    renewedDateTime: '2021-01-01T00:00:00Z',
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: [],
    securityEnabled: true,
    securityIdentifier: `S-1-12-1-${index}`,
    theme: null,
    visibility: null,
    onPremisesProvisioningErrors: [],
  };
}

const DEVICE = {
  '@odata.type': '#microsoft.graph.device',
  id: fakeId(KIND.device, 1),
  deviceId: fakeId(0x34, 1),
  displayName: 'Kiosk 1',
  operatingSystem: 'Windows',
  operatingSystemVersion: '10.0.19045',
  accountEnabled: true,
  trustType: 'AzureAd',
};
const SERVICE_PRINCIPAL = {
  '@odata.type': '#microsoft.graph.servicePrincipal',
  id: fakeId(KIND.sp, 1),
  appId: fakeId(0x45, 1),
  displayName: 'Some Service',
  appDisplayName: 'Some Service',
  servicePrincipalType: 'Application',
  accountEnabled: true,
  servicePrincipalNames: [fakeId(0x45, 1)],
};
const ORG_CONTACT = {
  '@odata.type': '#microsoft.graph.orgContact',
  id: fakeId(KIND.contact, 1),
  displayName: 'Outside Contact',
  mail: 'contact@partner.example',
  givenName: 'Outside',
  surname: 'Contact',
};
/** A user deleted between calls: listed as a member, not by /users. */
const GHOST_USER_ID = fakeId(KIND.ghost, 1);
const UNKNOWN_OBJECT_ID = fakeId(KIND.unknown, 1);

export function fakeManagedDevice(index: number): GraphObject {
  const iphone = index % 2 === 0;
  return {
    id: fakeId(KIND.managed, index),
    userId: fakeId(KIND.user, index),
    deviceName: iphone ? `iPhone ${index}` : `MacBook ${index}`,
    ownerType: iphone ? 'personal' : 'company',
    managedDeviceOwnerType: iphone ? 'personal' : 'company',
    managementState: 'managed',
    enrolledDateTime: '2021-02-17T16:24:45Z',
    lastSyncDateTime: '2021-03-08T16:23:55Z',
    chassisType: 'unknown',
    operatingSystem: iphone ? 'iOS' : 'macOS',
    deviceType: iphone ? 'iPhone' : 'macMDM',
    complianceState: 'compliant',
    jailBroken: 'False',
    managementAgent: 'mdm',
    osVersion: iphone ? '14.4' : '11.2.1 (20D74)',
    azureADRegistered: true,
    azureADDeviceId: fakeId(0x78, index),
    deviceEnrollmentType: 'deviceEnrollmentManager',
    emailAddress: `user${index}@fake.example`,
    isSupervised: false,
    isEncrypted: true,
    userPrincipalName: `user${index}@fake.onmicrosoft.com`,
    model: iphone ? 'iPhone 11 Pro' : 'MacBook Pro',
    manufacturer: 'Apple',
    serialNumber: `SN${index}`,
    totalStorageSpaceInBytes: 68719476736,
    freeStorageSpaceInBytes: 15192817664,
    physicalMemoryInBytes: 0,
    iccid: null,
    udid: null,
    notes: null,
    joinType: 'unknown',
    skuFamily: '',
    skuNumber: 0,
    processorArchitecture: 'unknown',
    hardwareInformation: {
      serialNumber: `SN${index}`,
      totalStorageSpace: 0,
      freeStorageSpace: 0,
    },
    usersLoggedOn: [
      {
        userId: fakeId(KIND.user, index),
        lastLogOnDateTime: '2021-03-10T00:24:15.04Z',
      },
    ],
    roleScopeTagIds: [],
  };
}

function detectedApp(index: number): GraphObject {
  return {
    id: index.toString(16).padStart(64, 'a'),
    displayName: `App ${index}`,
    version: `1.${index}`,
    sizeInByte: 1000 * index,
    deviceCount: 2,
    publisher: 'Fake Publisher',
    platform: index % 2 ? 'macOS' : 'ios',
  };
}

const MOBILE_APPS: GraphObject[] = [
  {
    '@odata.type': '#microsoft.graph.androidLobApp',
    id: fakeId(KIND.app, 1),
    displayName: 'Lob App',
    isAssigned: false,
    publishingState: 'notPublished',
  },
  {
    '@odata.type': '#microsoft.graph.webApp',
    id: fakeId(KIND.app, 2),
    displayName: 'Web App',
    isAssigned: true,
    appUrl: 'https://www.example.com',
  },
  {
    '@odata.type': '#microsoft.graph.managedIOSStoreApp',
    id: fakeId(KIND.app, 3),
    displayName: 'Managed Store, unassigned',
    isAssigned: false,
    appAvailability: 'global',
  },
  {
    '@odata.type': '#microsoft.graph.managedAndroidLobApp',
    id: fakeId(KIND.app, 4),
    displayName: 'Managed LOB',
    isAssigned: false,
    appAvailability: 'lineOfBusiness',
  },
  {
    '@odata.type': '#microsoft.graph.iosStoreApp',
    id: fakeId(KIND.app, 5),
    displayName: 'Store App',
    isAssigned: false,
  },
];

function installRow(
  appId: string,
  index: number,
): Record<string, string | number | null> {
  return {
    DeviceId: fakeId(KIND.managed, index),
    ApplicationId: appId,
    UserId: fakeId(KIND.user, index),
    DeviceName: `Device ${String(index).padStart(4, '0')}`,
    UserPrincipalName: `user${index}@fake.onmicrosoft.com`,
    UserName: `User ${index}`,
    Platform: 'iOS',
    AppVersion: '1.0',
    ErrorCode: 0,
    InstallState: 'installed',
    InstallStateDetail: 'noAdditionalDetails',
    LastModifiedDateTime: '2024-01-01T00:00:00Z',
    HexErrorCode: '0x0',
    AppInstallState: 1,
    AppInstallState_loc: 'Installed',
    AppInstallStateDetails: 0,
    AppInstallStateDetails_loc: 'No additional details',
  };
}

export function makeFakeTenant(options: FakeTenantOptions = {}): TenantData {
  const tenantId = options.tenantId ?? 'a76fc728-0cba-45f0-a9eb-d45207e14513';
  const domain = options.domain ?? 'fake.onmicrosoft.com';
  const userCount = options.users ?? 5;
  const groupCount = options.groups ?? 3;
  const intuneAccountId = '7b521133-f056-40a9-b639-b76afd67e4bb';
  const intune = options.intune ?? true;
  const deviceCount = intune ? 4 : 0;
  const installRows = options.installRows ?? 3;

  const users = { count: userCount, get: fakeUser };
  const groups = { count: groupCount, get: fakeGroup };
  const members = new Map<string, string[]>();
  members.set(fakeId(KIND.group, 0), [
    ...Array.from({ length: Math.min(userCount, 3) }, (_, i) =>
      fakeId(KIND.user, i),
    ),
    fakeId(KIND.group, 1),
    DEVICE.id,
    SERVICE_PRINCIPAL.id,
    ORG_CONTACT.id,
    GHOST_USER_ID,
    UNKNOWN_OBJECT_ID,
  ]);
  // A large group for paging members.
  members.set(
    fakeId(KIND.group, 1),
    Array.from({ length: userCount }, (_, i) => fakeId(KIND.user, i)),
  );
  for (let index = 2; index < groupCount; index++)
    members.set(fakeId(KIND.group, index), []);

  const objectType = (
    id: string,
  ): ReturnType<TenantData['directoryObjectType']> => {
    const kind = parseInt(id.slice(0, 8), 16);
    if (kind === KIND.user || id === GHOST_USER_ID) return 'user';
    if (kind === KIND.group) return 'group';
    if (id === DEVICE.id) return 'device';
    if (id === SERVICE_PRINCIPAL.id) return 'servicePrincipal';
    if (id === ORG_CONTACT.id) return 'orgContact';
    if (id === UNKNOWN_OBJECT_ID) return 'directoryObject';
    return undefined;
  };
  const indexOf = (id: string) => Number(id.slice(-12));

  const managedDevices = { count: deviceCount, get: fakeManagedDevice };
  const detectedApps = { count: intune ? 6 : 0, get: detectedApp };
  const policies: GraphObject[] = intune
    ? [
        {
          '@odata.type': '#microsoft.graph.iosCompliancePolicy',
          id: fakeId(KIND.policy, 1),
          createdDateTime: '2021-02-17T18:30:00Z',
          description: null,
          lastModifiedDateTime: '2021-02-17T18:51:15Z',
          displayName: 'iOS policy',
          version: 2,
          passcodeRequired: false,
        },
      ]
    : [];
  const configurations: GraphObject[] = intune
    ? [
        {
          '@odata.type': '#microsoft.graph.iosCustomConfiguration',
          id: fakeId(KIND.config, 1),
          lastModifiedDateTime: '2021-02-17T18:31:21Z',
          createdDateTime: '2021-02-17T18:31:21Z',
          description: null,
          displayName: 'iOS config',
          version: 1,
          payloadName: 'profile',
        },
      ]
    : [];
  const statuses = (
    source: DeviceStatusSource,
    policyId: string,
  ): GraphObject[] =>
    Array.from({ length: deviceCount }, (_, index) => ({
      id: `${intuneAccountId}_${policyId}_${fakeId(KIND.managed, index)}`,
      deviceDisplayName: `Device ${index}`,
      userName: `User ${index}`,
      deviceModel: null,
      platform: 0,
      complianceGracePeriodExpirationDateTime: '0001-01-01T00:00:00Z',
      status:
        source === 'compliance'
          ? index % 2
            ? 'nonCompliant'
            : 'compliant'
          : 'error',
      lastReportedDateTime: '2021-03-08T16:23:55Z',
      userPrincipalName: `user${index}@fake.onmicrosoft.com`,
    }));

  const truth: GroundTruth = {
    entities: { azure_user: userCount, azure_user_group: groupCount },
    relationships: {},
    mappedRelationships: {},
    skipped: {
      statusesForUnknownDevices: 0,
      installRowsForUnknownDevices: 0,
      appRowsForUnknownDevices: 0,
      appRowsRepeated: 0,
      resourcesDeletedBeforeAssignmentListing: 0,
      userAndGroupAppRoleAssignments: 0,
      grantsOfUnknownResources: 0,
    },
    deviceKinds: {},
    values: {},
    identity: {
      usersMfaRegistered: 0,
      usersMfaNotRegistered: 0,
      usersWithoutRegistration: userCount,
      registrationRecordsForUnknownUsers: 0,
      adminsWithoutMfa: 0,
      privilegedRoleDefinitions: 0,
      customRoleDefinitions: 0,
      timeBoundActiveAssignments: 0,
      eligibleAssignments: 0,
      roleAssignmentsWithoutPrincipal: 0,
      inheritedRoleInstances: 0,
      enabledPolicies: 0,
      reportOnlyPolicies: 0,
      disabledPolicies: 0,
      usersExcludedFromEveryEnabledPolicy: [],
      securityDefaultsEnabled: true,
    },
  };
  const none = {
    count: 0,
    get: (index: number): GraphObject => {
      throw new RangeError(`index ${index} out of range`);
    },
  };

  return {
    tenantId,
    domains: [domain, 'fake.example'],
    displayName: options.displayName ?? 'Fake Directory',
    premium: options.premium ?? true,
    intune: intune
      ? { intuneAccountId, subscriptionState: 'active', mdmAuthority: 'intune' }
      : null,
    servicePrincipals: new Map(
      Object.entries(options.servicePrincipals ?? {}).map(
        ([clientId, roles]) => [clientId, { roles }],
      ),
    ),
    organization: {
      '@odata.id': `https://graph.microsoft.com/v2/${tenantId}/directoryObjects/${tenantId}/Microsoft.DirectoryServices.Organization`,
      id: tenantId,
      deletedDateTime: null,
      businessPhones: [],
      city: null,
      countryLetterCode: 'US',
      createdDateTime: '2019-09-04T16:59:36Z',
      displayName: options.displayName ?? 'Fake Directory',
      tenantType: 'AAD',
      verifiedDomains: [
        {
          capabilities: 'Email, OfficeCommunicationsOnline',
          isDefault: true,
          isInitial: true,
          name: domain,
          type: 'Managed',
        },
      ],
    },
    users,
    groups,
    // No app registrations or service principals beyond the member ones.
    servicePrincipalList: none,
    applications: none,
    ownerIds: () => undefined,
    appRoleAssignedTo: () => undefined,
    federatedIdentityCredentials: () => undefined,
    oauth2PermissionGrants: none,
    groupMemberIds: (groupId) => members.get(groupId),
    directoryObject: (id) => {
      const type = objectType(id);
      if (type === 'user') {
        const index = indexOf(id);
        return id === GHOST_USER_ID || index < userCount
          ? { '@odata.type': '#microsoft.graph.user', ...fakeUser(index), id }
          : undefined;
      }
      if (type === 'group')
        return indexOf(id) < groupCount
          ? {
              '@odata.type': '#microsoft.graph.group',
              ...fakeGroup(indexOf(id)),
            }
          : undefined;
      if (type === 'device') return DEVICE;
      if (type === 'servicePrincipal') return SERVICE_PRINCIPAL;
      if (type === 'orgContact') return ORG_CONTACT;
      if (type === 'directoryObject')
        return { '@odata.type': '#microsoft.graph.directoryObject', id };
      return undefined;
    },
    directoryObjectType: objectType,
    managedDevices,
    managedDevice: (id) =>
      parseInt(id.slice(0, 8), 16) === KIND.managed && indexOf(id) < deviceCount
        ? fakeManagedDevice(indexOf(id))
        : undefined,
    detectedApps,
    detectedAppsOfDevice: () => [detectedApp(0), detectedApp(1)],
    deviceIdsOfDetectedApp: (id) =>
      id === detectedApp(0).id
        ? [fakeId(KIND.managed, 0), fakeId(KIND.managed, 1)]
        : undefined,
    mobileApps: intune
      ? { count: MOBILE_APPS.length, get: (index) => MOBILE_APPS[index] }
      : { count: 0, get: () => ({}) },
    installStatusRows: (appId) =>
      appId === fakeId(KIND.app, 1)
        ? Array.from({ length: installRows }, (_, index) =>
            installRow(appId, index),
          )
        : [],
    compliancePolicies: {
      count: policies.length,
      get: (index) => policies[index],
    },
    deviceConfigurations: {
      count: configurations.length,
      get: (index) => configurations[index],
    },
    deviceStatuses: (source, policyId) => {
      const known = source === 'compliance' ? policies : configurations;
      return known.some((policy) => policy.id === policyId)
        ? statuses(source, policyId)
        : undefined;
    },
    // issue 16: a directory without roles, registration or Conditional Access data.
    premiumP2: false,
    roleDefinitions: [],
    roleAssignments: [],
    roleAssignmentScheduleInstances: [],
    roleEligibilityScheduleInstances: [],
    userRegistrationDetails: { count: 0, get: () => ({}) },
    conditionalAccessPolicies: [],
    namedLocations: [],
    securityDefaultsPolicy: { id: '00000000-0000-0000-0000-000000000005', isEnabled: true },
    authorizationPolicy: { id: 'authorizationPolicy' },
    authenticationMethodsPolicy: { id: 'authenticationMethodsPolicy', authenticationMethodConfigurations: [] },
    groundTruth: () => truth,
  };
}

export const FAKE_IDS = {
  groupWithEveryMemberType: fakeId(KIND.group, 0),
  groupOfAllUsers: fakeId(KIND.group, 1),
  device: DEVICE.id,
  servicePrincipal: SERVICE_PRINCIPAL.id,
  orgContact: ORG_CONTACT.id,
  ghostUser: GHOST_USER_ID,
  unknownObject: UNKNOWN_OBJECT_ID,
  firstManagedDevice: fakeId(KIND.managed, 0),
  firstDetectedApp: detectedApp(0).id as string,
  lobApp: fakeId(KIND.app, 1),
  compliancePolicy: fakeId(KIND.policy, 1),
  deviceConfiguration: fakeId(KIND.config, 1),
};
