/**
 * What the simulator knows about entity types: default property sets,
 * selectable properties, and v1.0 vs beta differences.
 *
 * The tenant generator hands over every object with its full beta property
 * set; this module decides what a given request may see.
 */
import { unknownProperty } from './errors';
import { GraphObject } from './tenant/model';

/** GET /users without $select, in wire order: `id` last (graph-api.md §2.3, HAR iterateUsers). */
export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

/** GET /groups without $select (graph-api.md §2.3). */
export const GROUP_DEFAULT_PROPERTIES = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'creationOptions',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesDomainName',
  'onPremisesLastSyncDateTime',
  'onPremisesNetBiosName',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'securityIdentifier',
  'theme',
  'visibility',
  'onPremisesProvisioningErrors',
];

/** v1.0 user properties that may be selected on the collection (user resource, v1.0). */
const USER_PROPERTIES = [
  ...USER_DEFAULT_PROPERTIES,
  'accountEnabled',
  'ageGroup',
  'assignedLicenses',
  'assignedPlans',
  'authorizationInfo',
  'city',
  'companyName',
  'consentProvidedForMinor',
  'country',
  'createdDateTime',
  'creationType',
  'customSecurityAttributes',
  'deletedDateTime',
  'department',
  'employeeHireDate',
  'employeeLeaveDateTime',
  'employeeId',
  'employeeOrgData',
  'employeeType',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'faxNumber',
  'identities',
  'imAddresses',
  'isManagementRestricted',
  'isResourceAccount',
  'lastPasswordChangeDateTime',
  'legalAgeGroupClassification',
  'licenseAssignmentStates',
  'mailNickname',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesExtensionAttributes',
  'onPremisesImmutableId',
  'onPremisesLastSyncDateTime',
  'onPremisesProvisioningErrors',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName',
  'otherMails',
  'passwordPolicies',
  'passwordProfile',
  'postalCode',
  'preferredDataLocation',
  'provisionedPlans',
  'proxyAddresses',
  'securityIdentifier',
  'serviceProvisioningErrors',
  'showInAddressList',
  'signInActivity',
  'signInSessionsValidFromDateTime',
  'state',
  'streetAddress',
  'usageLocation',
  'userType',
];

const GROUP_PROPERTIES = [
  ...GROUP_DEFAULT_PROPERTIES,
  'assignedLabels',
  'assignedLicenses',
  'hasMembersWithLicenseErrors',
  'licenseProcessingState',
  'serviceProvisioningErrors',
  'uniqueName',
  'allowExternalSenders',
  'autoSubscribeNewMembers',
  'hideFromAddressLists',
  'hideFromOutlookClients',
  'isSubscribedByMail',
  'unseenCount',
  'isArchived',
];

const DEVICE_PROPERTIES = [
  'id',
  'accountEnabled',
  'alternativeSecurityIds',
  'approximateLastSignInDateTime',
  'complianceExpirationDateTime',
  'deletedDateTime',
  'deviceCategory',
  'deviceId',
  'deviceMetadata',
  'deviceOwnership',
  'deviceVersion',
  'displayName',
  'enrollmentProfileName',
  'enrollmentType',
  'isCompliant',
  'isManaged',
  'isRooted',
  'managementType',
  'manufacturer',
  'mdmAppId',
  'model',
  'onPremisesLastSyncDateTime',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'operatingSystem',
  'operatingSystemVersion',
  'physicalIds',
  'profileType',
  'registrationDateTime',
  'systemLabels',
  'trustType',
];

const SERVICE_PRINCIPAL_PROPERTIES = [
  'id',
  'accountEnabled',
  'appDisplayName',
  'appId',
  'appOwnerOrganizationId',
  'appRoleAssignmentRequired',
  'createdDateTime',
  'deletedDateTime',
  'description',
  'displayName',
  'homepage',
  'servicePrincipalNames',
  'servicePrincipalType',
  'signInAudience',
  'tags',
];

const ORG_CONTACT_PROPERTIES = [
  'id',
  'addresses',
  'companyName',
  'deletedDateTime',
  'department',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mailNickname',
  'onPremisesLastSyncDateTime',
  'onPremisesProvisioningErrors',
  'onPremisesSyncEnabled',
  'phones',
  'proxyAddresses',
  'surname',
];

/** Properties of the v1.0 managedDevice type; beta has ~30 more (graph-api.md §2.3, microsoft-graph-types). */
const MANAGED_DEVICE_V1_PROPERTIES = [
  'id',
  'userId',
  'deviceName',
  'managedDeviceOwnerType',
  'deviceActionResults',
  'enrolledDateTime',
  'lastSyncDateTime',
  'operatingSystem',
  'complianceState',
  'jailBroken',
  'managementAgent',
  'osVersion',
  'easActivated',
  'easDeviceId',
  'easActivationDateTime',
  'azureADRegistered',
  'deviceEnrollmentType',
  'activationLockBypassCode',
  'emailAddress',
  'azureADDeviceId',
  'deviceRegistrationState',
  'deviceCategoryDisplayName',
  'isSupervised',
  'exchangeLastSuccessfulSyncDateTime',
  'exchangeAccessState',
  'exchangeAccessStateReason',
  'remoteAssistanceSessionUrl',
  'remoteAssistanceSessionErrorDetails',
  'isEncrypted',
  'userPrincipalName',
  'model',
  'manufacturer',
  'imei',
  'complianceGracePeriodExpirationDateTime',
  'serialNumber',
  'phoneNumber',
  'androidSecurityPatchLevel',
  'userDisplayName',
  'configurationManagerClientEnabledFeatures',
  'wiFiMacAddress',
  'deviceHealthAttestationState',
  'subscriberCarrier',
  'meid',
  'totalStorageSpaceInBytes',
  'freeStorageSpaceInBytes',
  'managedDeviceName',
  'partnerReportedThreatState',
  'requireUserEnrollmentApproval',
  'managementCertificateExpirationDate',
  'iccid',
  'udid',
  'notes',
  'ethernetMacAddress',
  'physicalMemoryInBytes',
  'enrollmentProfileName',
];
const MANAGED_DEVICE_V1_SET = new Set(MANAGED_DEVICE_V1_PROPERTIES);

/** Organization properties reachable only through /organization/{id}?$select= (HAR fetchAccount). */
export const ORGANIZATION_SELECT_ONLY = ['mobileDeviceManagementAuthority'];

const ORGANIZATION_PROPERTIES = [
  'id',
  'deletedDateTime',
  'assignedPlans',
  'businessPhones',
  'city',
  'country',
  'countryLetterCode',
  'createdDateTime',
  'defaultUsageLocation',
  'directorySizeQuota',
  'displayName',
  'isMultipleDataLocationsForServicesEnabled',
  'marketingNotificationEmails',
  'onPremisesLastSyncDateTime',
  'onPremisesSyncEnabled',
  'partnerTenantType',
  'postalCode',
  'preferredLanguage',
  'privacyProfile',
  'provisionedPlans',
  'securityComplianceNotificationMails',
  'securityComplianceNotificationPhones',
  'state',
  'street',
  'technicalNotificationMails',
  'tenantType',
  'verifiedDomains',
  'mobileDeviceManagementAuthority',
];

export const DEVICE_MANAGEMENT_PROPERTIES = [
  'id',
  'intuneAccountId',
  'subscriptionState',
  'settings',
  'intuneBrand',
  'deviceProtectionOverview',
  'windowsMalwareOverview',
  'accountMoveCompletionDateTime',
  'deviceComplianceReportSummarizationDateTime',
  'legacyPcManangementEnabled',
  'maximumDepTokens',
  'userExperienceAnalyticsSettings',
];

/** Entity types the simulator validates $select against. */
export type EntityTypeName =
  | 'user'
  | 'group'
  | 'device'
  | 'servicePrincipal'
  | 'orgContact'
  | 'directoryObject'
  | 'organization'
  | 'deviceManagement'
  | 'managedDevice'
  | 'detectedApp'
  | 'mobileApp'
  | 'deviceCompliancePolicy'
  | 'deviceConfiguration'
  | 'deviceComplianceDeviceStatus'
  | 'deviceConfigurationDeviceStatus'
  | 'application'
  | 'appRoleAssignment'
  | 'federatedIdentityCredential'
  | 'oAuth2PermissionGrant';

const STATIC_PROPERTIES: Partial<Record<EntityTypeName, string[]>> = {
  // issue 17: the generated objects add the rest of each type's properties
  application: ['id', 'appId', 'displayName', 'owners'],
  appRoleAssignment: [
    'id',
    'appRoleId',
    'principalId',
    'principalType',
    'resourceId',
  ],
  federatedIdentityCredential: [
    'id',
    'name',
    'issuer',
    'subject',
    'audiences',
    'description',
  ],
  oAuth2PermissionGrant: [
    'id',
    'clientId',
    'consentType',
    'principalId',
    'resourceId',
    'scope',
  ],
  user: USER_PROPERTIES,
  group: GROUP_PROPERTIES,
  device: DEVICE_PROPERTIES,
  servicePrincipal: SERVICE_PRINCIPAL_PROPERTIES,
  orgContact: ORG_CONTACT_PROPERTIES,
  directoryObject: ['id', 'deletedDateTime'],
  organization: ORGANIZATION_PROPERTIES,
  deviceManagement: DEVICE_MANAGEMENT_PROPERTIES,
  managedDevice: MANAGED_DEVICE_V1_PROPERTIES,
  detectedApp: [
    'id',
    'displayName',
    'version',
    'sizeInByte',
    'deviceCount',
    'publisher',
    'platform',
  ],
  mobileApp: [
    'id',
    'displayName',
    'description',
    'publisher',
    'largeIcon',
    'createdDateTime',
    'lastModifiedDateTime',
    'isFeatured',
    'privacyInformationUrl',
    'informationUrl',
    'owner',
    'developer',
    'notes',
    'uploadState',
    'publishingState',
    'isAssigned',
    'roleScopeTagIds',
    'dependentAppCount',
    'supersedingAppCount',
    'supersededAppCount',
  ],
  deviceCompliancePolicy: [
    'id',
    'createdDateTime',
    'description',
    'lastModifiedDateTime',
    'displayName',
    'version',
  ],
  deviceConfiguration: [
    'id',
    'createdDateTime',
    'description',
    'lastModifiedDateTime',
    'displayName',
    'version',
  ],
  deviceComplianceDeviceStatus: [
    'id',
    'deviceDisplayName',
    'userName',
    'deviceModel',
    'platform',
    'complianceGracePeriodExpirationDateTime',
    'status',
    'lastReportedDateTime',
    'userPrincipalName',
  ],
  deviceConfigurationDeviceStatus: [
    'id',
    'deviceDisplayName',
    'userName',
    'deviceModel',
    'platform',
    'complianceGracePeriodExpirationDateTime',
    'status',
    'lastReportedDateTime',
    'userPrincipalName',
  ],
};

export type ApiVersion = 'v1.0' | 'beta';

/**
 * Selectable properties of a type: the static list plus whatever the
 * generator's sample objects carry (beta superset), minus what v1.0 lacks.
 */
export class PropertyCatalog {
  private readonly byType = new Map<string, Map<string, string>>();

  /** Canonical spelling of `name` on `type`, or undefined when the type has no such property. */
  resolve(
    type: EntityTypeName,
    version: ApiVersion,
    name: string,
    samples: () => GraphObject[],
  ): string | undefined {
    const key = `${type}|${version}`;
    let known = this.byType.get(key);
    if (!known) {
      known = new Map();
      const names = [...(STATIC_PROPERTIES[type] ?? ['id'])];
      for (const sample of samples()) names.push(...Object.keys(sample));
      for (const property of names) {
        if (property.startsWith('@')) continue;
        if (!isVisibleIn(type, version, property)) continue;
        known.set(property.toLowerCase(), property);
      }
      this.byType.set(key, known);
    }
    return known.get(name.toLowerCase());
  }

  /** Canonical names of a $select list; 400 on the first unknown one. */
  resolveSelect(
    type: EntityTypeName,
    version: ApiVersion,
    select: string[],
    samples: () => GraphObject[],
  ): string[] {
    return select.map((name) => {
      if (name === '*') return name;
      const resolved = this.resolve(type, version, name, samples);
      if (!resolved) throw unknownProperty(name, type);
      return resolved;
    });
  }
}

/** Whether a property of the beta superset exists in `version`. */
export function isVisibleIn(
  type: EntityTypeName,
  version: ApiVersion,
  property: string,
): boolean {
  if (version === 'beta') return true;
  if (type === 'managedDevice') return MANAGED_DEVICE_V1_SET.has(property);
  // v1.0 device statuses have no `platform` (HAR fetchDeviceConfigurationsAndFindings).
  if (
    type === 'deviceConfigurationDeviceStatus' ||
    type === 'deviceComplianceDeviceStatus'
  ) {
    return property !== 'platform';
  }
  return true;
}

/** The object as `version` shows it: beta-only properties removed for v1.0. */
export function forVersion(
  type: EntityTypeName,
  version: ApiVersion,
  object: GraphObject,
): GraphObject {
  if (version === 'beta') return object;
  if (
    type !== 'managedDevice' &&
    type !== 'deviceConfigurationDeviceStatus' &&
    type !== 'deviceComplianceDeviceStatus'
  ) {
    return object;
  }
  const result: GraphObject = {};
  for (const key of Object.keys(object)) {
    if (key.startsWith('@') || isVisibleIn(type, version, key))
      result[key] = object[key];
  }
  return result;
}

/**
 * `id` plus the selected properties, in $select order (`id` where selected,
 * else last, like the default set). Missing properties are null.
 */
export function pickSelected(
  object: GraphObject,
  select: string[],
  idLast = true,
): GraphObject {
  const result: GraphObject = {};
  if (!idLast && !select.includes('id')) result.id = object.id ?? null;
  for (const property of select) {
    if (property === '*') {
      Object.assign(result, object);
      continue;
    }
    result[property] = object[property] ?? null;
  }
  if (idLast && !('id' in result)) result.id = object.id ?? null;
  return result;
}

/** The listed properties in the listed order; missing ones are null. */
export function pickProperties(
  object: GraphObject,
  properties: string[],
): GraphObject {
  const result: GraphObject = {};
  for (const property of properties)
    result[property] = object[property] ?? null;
  return result;
}
