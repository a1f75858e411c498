/**
 * Intune managed devices: the only place that knows their URL, API version,
 * `$select` list and page size.
 */
import { GraphClient, GraphRequest } from './client';

/** One `usersLoggedOn` entry of a managed device (beta). */
export interface LoggedOnUser {
  userId?: string | null;
  lastLogOnDateTime?: string | null;
}

/**
 * The properties of a beta `managedDevice` this integration reads. Every one
 * may be null or a sentinel: `""` for no string, `0001-01-01T00:00:00Z` for
 * no date, `00000000-0000-0000-0000-000000000000` for no Entra device.
 * https://learn.microsoft.com/graph/api/resources/intune-devices-manageddevice?view=graph-rest-beta
 */
export interface ManagedDevice {
  id: string;
  deviceName?: string | null;
  managedDeviceName?: string | null;
  /** Enrolled user: object id of an Entra user, or "". */
  userId?: string | null;
  userPrincipalName?: string | null;
  userDisplayName?: string | null;
  emailAddress?: string | null;
  usersLoggedOn?: LoggedOnUser[] | null;
  /** beta: desktop, windowsRT, iPhone, iPad, macMDM, android*, cloudPC, ... */
  deviceType?: string | null;
  /** beta: unknown, desktop, laptop, worksWorkstation, enterpriseServer, phone, tablet, mobileOther, mobileUnknown */
  chassisType?: string | null;
  operatingSystem?: string | null;
  osVersion?: string | null;
  /** beta, e.g. "Enterprise", "ServerDatacenter", "EnterpriseMultisession". */
  skuFamily?: string | null;
  /** beta: unknown, azureADJoined, azureADRegistered, hybridAzureADJoined */
  joinType?: string | null;
  model?: string | null;
  manufacturer?: string | null;
  serialNumber?: string | null;
  imei?: string | null;
  meid?: string | null;
  /** 12 hex digits without separators, or null. */
  wiFiMacAddress?: string | null;
  isEncrypted?: boolean | null;
  isSupervised?: boolean | null;
  /** "True", "False" or "Unknown". */
  jailBroken?: string | null;
  complianceState?: string | null;
  complianceGracePeriodExpirationDateTime?: string | null;
  /** beta: managed, retirePending, retireIssued, wipePending, discovered, ... */
  managementState?: string | null;
  managementAgent?: string | null;
  /** beta: company, personal, unknown (v1.0 name: managedDeviceOwnerType). */
  ownerType?: string | null;
  managedDeviceOwnerType?: string | null;
  deviceEnrollmentType?: string | null;
  deviceRegistrationState?: string | null;
  deviceCategoryDisplayName?: string | null;
  azureADDeviceId?: string | null;
  azureADRegistered?: boolean | null;
  /** beta: unknown, x86, x64, arm, arM64 */
  processorArchitecture?: string | null;
  androidSecurityPatchLevel?: string | null;
  partnerReportedThreatState?: string | null;
  totalStorageSpaceInBytes?: number | null;
  freeStorageSpaceInBytes?: number | null;
  enrolledDateTime?: string | null;
  lastSyncDateTime?: string | null;
}

/**
 * What the integration selects: the keys of ManagedDevice, nothing more (the
 * full beta object has ~90 properties, with nested objects).
 *
 * Not selected, because Intune answers LIST calls with placeholders for them
 * (graph-api.md §2.3: "Return default value in LIST managedDevices. Real value
 * only returned in single device GET call"): `hardwareInformation` (zeroed),
 * `physicalMemoryInBytes` (0), `ethernetMacAddress`, `iccid`, `udid`, `notes`,
 * `activationLockBypassCode` (null). Reading them would take one GET per
 * device; presenting the LIST values would present placeholders as data.
 */
export const MANAGED_DEVICE_SELECT: readonly (keyof ManagedDevice)[] = [
  'id',
  'deviceName',
  'managedDeviceName',
  'userId',
  'userPrincipalName',
  'userDisplayName',
  'emailAddress',
  'usersLoggedOn',
  'deviceType',
  'chassisType',
  'operatingSystem',
  'osVersion',
  'skuFamily',
  'joinType',
  'model',
  'manufacturer',
  'serialNumber',
  'imei',
  'meid',
  'wiFiMacAddress',
  'isEncrypted',
  'isSupervised',
  'jailBroken',
  'complianceState',
  'complianceGracePeriodExpirationDateTime',
  'managementState',
  'managementAgent',
  'ownerType',
  'managedDeviceOwnerType',
  'deviceEnrollmentType',
  'deviceRegistrationState',
  'deviceCategoryDisplayName',
  'azureADDeviceId',
  'azureADRegistered',
  'processorArchitecture',
  'androidSecurityPatchLevel',
  'partnerReportedThreatState',
  'totalStorageSpaceInBytes',
  'freeStorageSpaceInBytes',
  'enrolledDateTime',
  'lastSyncDateTime',
];

/**
 * Largest page Intune serves for managedDevices. Not documented; reported
 * as 1000 (graph-api.md §2.2). A larger `$top` is clamped, not refused.
 */
export const MANAGED_DEVICES_PAGE_SIZE = 1000;

/** The list request, exported for tests and fault rules. */
export function managedDevicesRequest(): GraphRequest {
  return {
    version: 'beta',
    path: '/deviceManagement/managedDevices',
    query: {
      $select: MANAGED_DEVICE_SELECT.join(','),
      $top: MANAGED_DEVICES_PAGE_SIZE,
    },
  };
}

/**
 * Every Intune managed device, one page at a time.
 *
 * GET /beta/deviceManagement/managedDevices?$select=...&$top=1000
 * Permission: DeviceManagementManagedDevices.Read.All (application).
 * https://learn.microsoft.com/graph/api/intune-devices-manageddevice-list?view=graph-rest-beta
 *
 * Beta, because v1.0 lacks deviceType, chassisType, skuFamily, joinType,
 * usersLoggedOn, managementState and ownerType (graph-api.md §2.3), which
 * decide the device kind and its users. Items Graph repeats on two pages are
 * yielded once (GraphClient.iteratePages). A 401/403 rejects: a missing
 * permission is never an empty tenant.
 */
export function iterateManagedDevicePages(
  client: GraphClient,
): AsyncGenerator<ManagedDevice[]> {
  return client.iteratePages<ManagedDevice>(managedDevicesRequest());
}
