/**
 * generateTenant(profile): a TenantData (model.ts) whose objects are built on
 * demand from the profile's seed. Construction only assigns a template to each
 * managed device (one byte each); the detected-app incidence is drawn on first
 * use, and the ground truth is computed on first call and kept.
 */
import { AppInventoryReport } from './app-inventory';
import { AppCatalogue } from './applications';
import { DetectedApps } from './detected-apps';
import { Directory, MemberType } from './directory';
import { computeGroundTruth } from './ground-truth';
import { ManagedDevices } from './managed-devices';
import { MobileApps } from './mobile-apps';
import { GraphObject, GroundTruth, TenantData } from './model';
import { Policies } from './policies';
import { TenantProfile } from './profiles';
import { IdKind, guid, isoSeconds, NOW_MS, DAY_MS } from './random';
// issue 16
import { ConditionalAccess } from './conditional-access';
import { RegistrationReport } from './registration';
import { Roles } from './roles';
import { SettingsPolicyReports } from './settings-policies';

export function generateTenant(profile: TenantProfile): TenantData {
  const directory = new Directory(profile);
  const apps = new AppCatalogue(
    profile,
    {
      count: directory.userCount,
      id: (index) => directory.userId(index),
      ghostIds: Array.from({ length: directory.ghostUserCount }, (_, index) =>
        directory.memberId(MemberType.ghostUser, index),
      ),
    },
    (index) => directory.groupId(index),
    directory.groupCount,
  );
  const devices = new ManagedDevices(profile, directory);
  const detected = new DetectedApps(profile, devices);
  const mobileApps = new MobileApps(profile, devices, detected);
  const appInventory = new AppInventoryReport(profile, devices, detected);
  const intuneAccountId = guid(profile.seed, IdKind.intuneAccount, 0);
  // issue 15: what policies are assigned to
  const assignableGroups = {
    count: directory.groupCount,
    id: (index: number) => directory.groupId(index),
    ghostIds: Array.from({ length: directory.ghostGroupCount }, (_, index) =>
      directory.memberId(MemberType.ghostGroup, index),
    ),
  };
  const compliance = new Policies(
    'compliance',
    profile,
    devices,
    intuneAccountId,
    assignableGroups,
  );
  const configurations = new Policies(
    'configuration',
    profile,
    devices,
    intuneAccountId,
    assignableGroups,
  );
  // issue 15: families read through report actions
  const reportFamilies = {
    administrativeTemplate: new Policies(
      'administrativeTemplate',
      profile,
      devices,
      intuneAccountId,
      assignableGroups,
    ),
    settingsCompliance: new Policies(
      'settingsCompliance',
      profile,
      devices,
      intuneAccountId,
      assignableGroups,
    ),
  };
  // issue 15: settingsCatalog / endpointSecurity
  const settings = new Policies(
    'settings',
    profile,
    devices,
    intuneAccountId,
    assignableGroups,
  );
  const settingsReports = new SettingsPolicyReports(settings, devices);
  const settingsRowsOf = memoise(16, (policyId: string) =>
    settingsReports.data().deviceRows(policyId),
  );
  // issue 16
  const roles = new Roles(profile, directory);
  const registration = new RegistrationReport(
    profile,
    directory,
    roles.adminUsers,
    roles.adminsWithoutMfa,
  );
  const conditionalAccess = new ConditionalAccess(profile, directory, roles);
  let truth: GroundTruth | undefined;
  // A server pages these lists with repeated calls; rebuilding a 5,000-status list
  // per page would cost ~0.1 s each time. Cached arrays are shared: read-only.
  // 64 lists: clients walk up to ~32 policies at once (16 per step, two steps);
  // a smaller cache thrashes and makes the simulator the bottleneck.
  const statusesOf = memoise(64, (key: string) => {
    const [source, policyId] = key.split('|');
    return (
      source === 'compliance' ? compliance : configurations
    ).deviceStatuses(policyId);
  });
  const rowsOf = memoise(64, (appId: string) => mobileApps.installRows(appId));

  return {
    tenantId: profile.tenantId,
    domains: [profile.initialDomain, ...profile.extraDomains],
    displayName: profile.displayName,
    premium: profile.premium,
    intune: profile.intune
      ? {
          intuneAccountId,
          subscriptionState: profile.intune.subscriptionState,
          mdmAuthority: profile.intune.mdmAuthority,
        }
      : null,
    servicePrincipals: new Map(
      profile.servicePrincipals.map((sp) => [
        sp.clientId,
        { roles: [...sp.roles] },
      ]),
    ),
    organization: organization(profile),

    users: directory.users,
    groups: directory.groups,
    groupMemberIds: (groupId) => directory.groupMemberIds(groupId),
    directoryObject: (id) =>
      directory.directoryObject(id) ?? apps.directoryObject(id),
    directoryObjectType: (id) =>
      directory.directoryObjectType(id) ??
      (apps.servicePrincipalIndex(id) >= 0 ? 'servicePrincipal' : undefined),

    servicePrincipalList: apps.servicePrincipals,
    applications: apps.applications,
    ownerIds: (objectId) => apps.ownerIds(objectId),
    appRoleAssignedTo: (id) => apps.appRoleAssignedTo(id),
    federatedIdentityCredentials: (id) => apps.federatedIdentityCredentials(id),
    oauth2PermissionGrants: apps.oauth2PermissionGrants,

    managedDevices: devices.collection,
    managedDevice: (id) => {
      const index = devices.indexOf(id);
      return index < 0 ? undefined : devices.object(index);
    },
    detectedApps: detected.collection(),
    detectedAppsOfDevice: (deviceId) => {
      const index = devices.indexOf(deviceId);
      return index < 0 ? [] : detected.ofDevice(index);
    },
    deviceIdsOfDetectedApp: (detectedAppId) => {
      const indexes = detected.deviceIndexesOf(detectedAppId);
      return indexes ? Array.from(indexes, (d) => devices.id(d)) : undefined;
    },
    mobileApps: mobileApps.collection,
    installStatusRows: (appId) => rowsOf(appId),
    appInventory: {
      rowCount: () => appInventory.counts().rows,
      rows: () => appInventory.rows(),
    },
    compliancePolicies: compliance.collection,
    deviceConfigurations: configurations.collection,
    deviceStatuses: (source, policyId) => statusesOf(`${source}|${policyId}`),
    // issue 15
    policyAssignments: (source, policyId) => {
      const policies = source === 'compliance' ? compliance : configurations;
      const index = policies.indexOf(policyId);
      return index < 0 ? undefined : policies.assignments(index);
    },
    // issue 15: settingsCatalog / endpointSecurity
    settingsPolicies: {
      ...settingsReports.data(),
      deviceRows: (policyId) => settingsRowsOf(policyId),
    },
    policyStatusOverview: (source, policyId) => {
      const policies =
        source === 'compliance'
          ? compliance
          : source === 'configuration'
          ? configurations
          : source === 'settings'
          ? settings
          : reportFamilies[source];
      const index = policies.indexOf(policyId);
      return index < 0 ? undefined : policies.statusOverview(index);
    },
    reportPolicies: (source) => reportFamilies[source].collection,
    reportPolicyAssignments: (source, policyId) => {
      const policies = reportFamilies[source];
      const index = policies.indexOf(policyId);
      return index < 0 ? undefined : policies.assignments(index);
    },
    reportPolicyRows: (source, policyId) =>
      reportFamilies[source].reportRows(policyId),

    // issue 16
    premiumP2: profile.premium && profile.identity.premiumP2,
    roleDefinitions: roles.definitions,
    roleAssignments: roles.roleAssignments,
    roleAssignmentScheduleInstances: roles.activeInstances,
    roleEligibilityScheduleInstances: roles.eligibleInstances,
    userRegistrationDetails: registration.collection,
    conditionalAccessPolicies: conditionalAccess.policies,
    namedLocations: conditionalAccess.namedLocations,
    securityDefaultsPolicy: conditionalAccess.securityDefaults,
    authorizationPolicy: conditionalAccess.authorizationPolicy,
    authenticationMethodsPolicy: conditionalAccess.authenticationMethodsPolicy,

    groundTruth: () =>
      (truth ??= computeGroundTruth({
        directory,
        devices,
        detected,
        mobileApps,
        compliance,
        configurations,
        reportFamilies: Object.values(reportFamilies),
        settings, // issue 15
        appInventory,
        apps,
        identity: {
          profile,
          directory,
          roles,
          registration,
          conditionalAccess,
        },
      })),
  };
}

/** A small LRU cache of `compute` by key (undefined results are not kept). */
function memoise<T>(
  capacity: number,
  compute: (key: string) => T,
): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let value = cache.get(key);
    if (value !== undefined) {
      cache.delete(key); // re-insert: most recently used last
    } else {
      value = compute(key);
      if (value === undefined) return value;
    }
    cache.set(key, value);
    if (cache.size > capacity)
      cache.delete(cache.keys().next().value as string);
    return value;
  };
}

/** Real service plan ids (as in fetchAccount.har) for the services a tenant of this profile has. */
const SERVICE_PLANS: {
  service: string;
  servicePlanId: string;
  when: (p: TenantProfile) => boolean;
}[] = [
  {
    service: 'exchange',
    servicePlanId: '9aaf7827-d63c-4b61-89c3-182f06f82e5c',
    when: () => true,
  },
  {
    service: 'SharePoint',
    servicePlanId: 'e95bec33-7c88-4a70-8e19-b10bd9d0c014',
    when: () => true,
  },
  {
    service: 'MicrosoftCommunicationsOnline',
    servicePlanId: '0feaeb32-d00e-4d66-bd5a-43b5b83db82c',
    when: () => true,
  },
  {
    service: 'AADPremiumService',
    servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d',
    when: (p) => p.premium,
  },
  {
    service: 'AADPremiumService',
    servicePlanId: 'eec0eb4f-6444-4f95-aba0-50c24d67f998',
    when: (p) => p.premium,
  },
  {
    service: 'SCO',
    servicePlanId: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5',
    when: (p) => p.intune !== null,
  },
];

function organization(profile: TenantProfile): GraphObject {
  const created = NOW_MS - 1500 * DAY_MS;
  const plans = SERVICE_PLANS.filter((plan) => plan.when(profile));
  const onPremises = profile.directory.onPremisesSyncedShare > 0;
  const d = profile.directory;
  return {
    '@odata.id': `https://graph.microsoft.com/v2/${profile.tenantId}/directoryObjects/${profile.tenantId}/Microsoft.DirectoryServices.Organization`,
    id: profile.tenantId,
    deletedDateTime: null,
    businessPhones: ['+1 425 555 0100'],
    city: 'Redmond',
    country: null,
    countryLetterCode: 'US',
    createdDateTime: isoSeconds(created),
    displayName: profile.displayName,
    isMultipleDataLocationsForServicesEnabled: null,
    marketingNotificationEmails: [],
    onPremisesLastSyncDateTime: onPremises
      ? isoSeconds(NOW_MS - 1_800_000)
      : null,
    onPremisesSyncEnabled: onPremises ? true : null,
    postalCode: '98052',
    preferredLanguage: 'en',
    securityComplianceNotificationMails: [],
    securityComplianceNotificationPhones: [],
    state: 'WA',
    street: 'One Microsoft Way',
    technicalNotificationMails: [`admin@${profile.initialDomain}`],
    tenantType: 'AAD',
    directorySizeQuota: {
      used:
        d.users +
        d.groups +
        d.memberDevices +
        d.memberServicePrincipals +
        d.memberOrgContacts,
      total: Math.max(50_000, 300_000 * Math.ceil((d.users + 1) / 50_000)),
    },
    privacyProfile: null,
    assignedPlans: plans.map((plan) => ({
      assignedDateTime: isoSeconds(created + DAY_MS),
      capabilityStatus: 'Enabled',
      service: plan.service,
      servicePlanId: plan.servicePlanId,
    })),
    provisionedPlans: plans.map((plan) => ({
      capabilityStatus: 'Enabled',
      provisioningStatus: 'Success',
      service: plan.service,
    })),
    verifiedDomains: [profile.initialDomain, ...profile.extraDomains].map(
      (name, i) => ({
        capabilities:
          i === 0 || !name.startsWith('mail.')
            ? 'Email, OfficeCommunicationsOnline'
            : 'Email',
        isDefault: profile.extraDomains.length > 0 ? i === 1 : i === 0,
        isInitial: i === 0,
        name,
        type: 'Managed',
      }),
    ),
    // only readable with $select (fetchAccount.har): the server decides when to show it
    mobileDeviceManagementAuthority: profile.intune?.mdmAuthority ?? 'unknown',
  };
}
