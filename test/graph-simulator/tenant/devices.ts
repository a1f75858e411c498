/**
 * Catalogue of managed-device templates. Each template is a realistic
 * combination of the Graph signals the device-kind table of
 * docs/data-model-rules.md looks at, together with the kind (and the number of
 * the rule) that table must give it. The simulator's ground truth uses
 * `expectedKind` directly; it never runs a classifier, so a classifier bug in
 * the integration cannot hide behind the same bug in here.
 *
 * Templates deliberately include the traps the rules call out: Cloud PCs listed
 * as `windowsRT`, multi-session hosts on Hyper-V, servers on VMs, devices with
 * an empty model, chassis-only hints, Android tablets, and so on.
 */

export const DEVICE_KINDS = [
  'laptop',
  'desktop',
  'server',
  'workstation',
  'smartphone',
  'user_endpoint',
  'computer',
] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** detectedApp `platform` the device's inventory reports. */
export type DetectedAppPlatform =
  | 'windows'
  | 'windowsMobile'
  | 'windowsHolographic'
  | 'ios'
  | 'macOS'
  | 'chromeOS'
  | 'androidWorkProfile'
  | 'androidDeviceAdministrator'
  | 'androidDedicatedAndFullyManaged'
  | 'androidOSP'
  | 'unknown';

/** Platform family as the rules define it: every android* folded to android. */
export type PlatformFamily =
  | 'windows'
  | 'windowsMobile'
  | 'windowsHolographic'
  | 'ios'
  | 'macOS'
  | 'chromeOS'
  | 'android'
  | 'unknown';

export function platformFamily(
  platform: string | null | undefined,
): PlatformFamily {
  if (!platform) return 'unknown';
  if (platform.startsWith('android')) return 'android';
  return platform as PlatformFamily;
}

export interface DeviceTemplate {
  id: string;
  /** Number of the row of the classification table that decides this device (1-11). */
  rule: number;
  expectedKind: DeviceKind;
  /** Why the template exists (the trap it sets, or the rule path it covers). */
  note: string;
  deviceType: string;
  operatingSystem: string;
  osVersions: readonly string[];
  model: string;
  manufacturer: string;
  chassisType: string;
  skuFamily: string;
  /** beta skuNumber (Windows product type); 0 elsewhere. */
  skuNumber: number;
  joinType:
    | 'unknown'
    | 'azureADJoined'
    | 'azureADRegistered'
    | 'hybridAzureADJoined';
  managementAgent: string;
  ownerType: 'company' | 'personal';
  deviceEnrollmentType: string;
  processorArchitecture: 'unknown' | 'x86' | 'x64' | 'arm' | 'arM64';
  /** Platform of the detected apps this device reports. */
  appPlatform: DetectedAppPlatform;
  /** Label used by the install-status report's Platform column. */
  reportPlatform: string;
  /** Relative frequency in a realistic fleet (drives the mix of larger tenants). */
  weight: number;
  /** Probability the device has no enrolled user (servers, kiosks, DEM enrolments). */
  userlessShare: number;
  /** Cellular device: IMEI, phone number, carrier. */
  cellular: boolean;
  /** How deviceName is formed. */
  naming: 'windows' | 'apple' | 'android' | 'server' | 'plain';
  /** Whether the device reports a Wi-Fi / wired MAC address. */
  wifi: boolean;
  wired: boolean;
}

type TemplateInput = Omit<
  DeviceTemplate,
  | 'skuNumber'
  | 'joinType'
  | 'managementAgent'
  | 'ownerType'
  | 'deviceEnrollmentType'
  | 'processorArchitecture'
  | 'reportPlatform'
  | 'userlessShare'
  | 'cellular'
  | 'naming'
  | 'wifi'
  | 'wired'
  | 'skuFamily'
  | 'chassisType'
  | 'osVersions'
> &
  Partial<DeviceTemplate>;

const WINDOWS_11 = [
  '10.0.22631.3593',
  '10.0.22631.3527',
  '10.0.22621.3447',
  '10.0.22000.2960',
];
const WINDOWS_10 = ['10.0.19045.4412', '10.0.19045.4291', '10.0.19044.3086'];
const WINDOWS_CLIENT = [...WINDOWS_11, ...WINDOWS_10];
const WINDOWS_SERVER_2022 = ['10.0.20348.2461', '10.0.20348.2402'];
const MACOS = [
  '14.5 (23F79)',
  '14.4.1 (23E224)',
  '13.6.7 (22G720)',
  '11.2.1 (20D74)',
];
const IOS = ['17.5.1', '17.4.1', '16.7.8', '14.4'];
const IPADOS = ['17.5.1', '17.3', '16.7.8'];
const ANDROID = ['14', '13', '12'];
const CHROMEOS = ['124.0.6367.225', '123.0.6312.132'];
const LINUX = ['22.04', '20.04', '12 (bookworm)'];

function windowsDefaults(t: TemplateInput): DeviceTemplate {
  return {
    osVersions: WINDOWS_CLIENT,
    chassisType: 'unknown',
    skuFamily: 'Enterprise',
    skuNumber: 4,
    joinType: 'azureADJoined',
    managementAgent: 'mdm',
    ownerType: 'company',
    deviceEnrollmentType: 'windowsAzureADJoin',
    processorArchitecture: 'x64',
    reportPlatform: 'Windows',
    userlessShare: 0.03,
    cellular: false,
    naming: 'windows',
    wifi: true,
    wired: false,
    ...t,
  } as DeviceTemplate;
}

function appleDefaults(t: TemplateInput): DeviceTemplate {
  const mac = t.deviceType === 'macMDM';
  return {
    osVersions: mac ? MACOS : IOS,
    chassisType: 'unknown',
    skuFamily: '',
    skuNumber: 0,
    joinType: mac ? 'unknown' : 'azureADRegistered',
    managementAgent: 'mdm',
    ownerType: 'company',
    deviceEnrollmentType: 'appleBulkWithUser',
    processorArchitecture: 'unknown',
    reportPlatform: mac ? 'macOS' : 'iOS',
    userlessShare: 0.05,
    cellular: !mac,
    naming: 'apple',
    wifi: true,
    wired: false,
    ...t,
  } as DeviceTemplate;
}

function androidDefaults(t: TemplateInput): DeviceTemplate {
  return {
    osVersions: ANDROID,
    chassisType: 'unknown',
    skuFamily: '',
    skuNumber: 0,
    joinType: 'azureADRegistered',
    managementAgent: 'mdm',
    ownerType: 'company',
    deviceEnrollmentType: 'androidEnterpriseCorporateWorkProfile',
    processorArchitecture: 'unknown',
    reportPlatform: 'Android',
    userlessShare: 0.04,
    cellular: true,
    naming: 'android',
    wifi: true,
    wired: false,
    ...t,
  } as DeviceTemplate;
}

function otherDefaults(t: TemplateInput): DeviceTemplate {
  return {
    osVersions: [''],
    chassisType: 'unknown',
    skuFamily: '',
    skuNumber: 0,
    joinType: 'unknown',
    managementAgent: 'mdm',
    ownerType: 'company',
    deviceEnrollmentType: 'unknown',
    processorArchitecture: 'unknown',
    reportPlatform: 'Unknown',
    userlessShare: 0.3,
    cellular: false,
    naming: 'plain',
    wifi: false,
    wired: true,
    ...t,
  } as DeviceTemplate;
}

const SERVER = {
  userlessShare: 0.9,
  naming: 'server',
  wifi: false,
  wired: true,
} as const;
const VM = {
  userlessShare: 0.4,
  wifi: false,
  wired: true,
  chassisType: 'desktop',
} as const;

export const DEVICE_TEMPLATES: readonly DeviceTemplate[] = [
  // ---- rule 1: server OS / skuFamily / enterpriseServer chassis ----------------
  windowsDefaults({
    id: 'windows-server-2022-physical',
    rule: 1,
    expectedKind: 'server',
    note: 'operatingSystem "Windows Server" onboarded through Defender (msSense)',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows Server',
    osVersions: WINDOWS_SERVER_2022,
    model: 'PowerEdge R750',
    manufacturer: 'Dell Inc.',
    skuFamily: 'ServerDatacenter',
    skuNumber: 8,
    joinType: 'hybridAzureADJoined',
    managementAgent: 'msSense',
    deviceEnrollmentType: 'unknown',
    weight: 1.2,
    appPlatform: 'windows',
    ...SERVER,
  }),
  windowsDefaults({
    id: 'windows-server-on-hyperv',
    rule: 1,
    expectedKind: 'server',
    note: 'server OS wins over the "Virtual Machine" model (rule 1 before rule 4)',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows Server',
    osVersions: WINDOWS_SERVER_2022,
    model: 'Virtual Machine',
    manufacturer: 'Microsoft Corporation',
    chassisType: 'desktop',
    skuFamily: 'ServerStandard',
    skuNumber: 7,
    joinType: 'hybridAzureADJoined',
    managementAgent: 'msSense',
    deviceEnrollmentType: 'unknown',
    weight: 1.5,
    appPlatform: 'windows',
    ...SERVER,
  }),
  windowsDefaults({
    id: 'windows-server-sku-only',
    rule: 1,
    expectedKind: 'server',
    note: 'only skuFamily says server (operatingSystem is plain "Windows")',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    osVersions: WINDOWS_SERVER_2022,
    model: 'ProLiant DL380 Gen10',
    manufacturer: 'HPE',
    skuFamily: 'ServerStandard',
    skuNumber: 7,
    managementAgent: 'msSense',
    deviceEnrollmentType: 'unknown',
    weight: 0.5,
    appPlatform: 'windows',
    ...SERVER,
  }),
  windowsDefaults({
    id: 'windows-server-no-model',
    rule: 1,
    expectedKind: 'server',
    note: 'server without a model: still a server through rule 1',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows Server',
    osVersions: WINDOWS_SERVER_2022,
    model: '',
    manufacturer: '',
    skuFamily: 'ServerDatacenter',
    skuNumber: 8,
    managementAgent: 'msSense',
    deviceEnrollmentType: 'unknown',
    weight: 0.3,
    appPlatform: 'windows',
    ...SERVER,
  }),
  otherDefaults({
    id: 'linux-enterprise-server-chassis',
    rule: 1,
    expectedKind: 'server',
    note: 'only chassisType enterpriseServer says server',
    deviceType: 'linux',
    operatingSystem: 'Linux',
    osVersions: LINUX,
    model: 'ThinkSystem SR650',
    manufacturer: 'Lenovo',
    chassisType: 'enterpriseServer',
    managementAgent: 'msSense',
    reportPlatform: 'Linux',
    weight: 0.4,
    appPlatform: 'unknown',
    ...SERVER,
  }),

  // ---- rule 2: multi-session session hosts ---------------------------------------
  windowsDefaults({
    id: 'avd-multisession-hyperv',
    rule: 2,
    expectedKind: 'server',
    note: 'AVD session host: skuFamily multi-session wins over the "Virtual Machine" model',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    osVersions: WINDOWS_11,
    model: 'Virtual Machine',
    manufacturer: 'Microsoft Corporation',
    chassisType: 'desktop',
    skuFamily: 'EnterpriseMultisession',
    skuNumber: 175,
    weight: 1,
    appPlatform: 'windows',
    userlessShare: 0.8,
    wifi: false,
    wired: true,
  }),
  windowsDefaults({
    id: 'windows-multi-session-os-text',
    rule: 2,
    expectedKind: 'server',
    note: 'operatingSystem text "multi-session", no model',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows 11 Enterprise multi-session',
    osVersions: WINDOWS_11,
    model: '',
    manufacturer: '',
    skuFamily: 'Enterprise',
    weight: 0.3,
    appPlatform: 'windows',
    userlessShare: 0.8,
    wifi: false,
    wired: true,
  }),

  // ---- rule 3: Windows 365 Cloud PCs ---------------------------------------------
  windowsDefaults({
    id: 'cloud-pc-listed-as-windowsrt',
    rule: 3,
    expectedKind: 'workstation',
    note: 'Cloud PC that the list call reports as windowsRT; only the model says so',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    osVersions: WINDOWS_11,
    model: 'Cloud PC Enterprise 2vCPU/8GB/128GB',
    manufacturer: 'Microsoft Corporation',
    chassisType: 'desktop',
    weight: 2,
    appPlatform: 'windows',
    wifi: false,
    wired: true,
  }),
  windowsDefaults({
    id: 'cloud-pc-device-type',
    rule: 3,
    expectedKind: 'workstation',
    note: 'deviceType cloudPC with an empty model (an empty model is not a server)',
    deviceType: 'cloudPC',
    operatingSystem: 'Windows',
    osVersions: WINDOWS_11,
    model: '',
    manufacturer: '',
    weight: 0.6,
    appPlatform: 'windows',
    wifi: false,
    wired: true,
  }),

  // ---- rule 4: virtual machines --------------------------------------------------
  windowsDefaults({
    id: 'vm-hyperv',
    rule: 4,
    expectedKind: 'workstation',
    note: 'Hyper-V / Azure VM: model "Virtual Machine"',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'Virtual Machine',
    manufacturer: 'Microsoft Corporation',
    weight: 1.5,
    appPlatform: 'windows',
    ...VM,
  }),
  windowsDefaults({
    id: 'vm-vmware',
    rule: 4,
    expectedKind: 'workstation',
    note: 'VMware: model and manufacturer mention VMware',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'VMware7,1',
    manufacturer: 'VMware, Inc.',
    weight: 1,
    appPlatform: 'windows',
    ...VM,
  }),
  windowsDefaults({
    id: 'vm-virtualbox',
    rule: 4,
    expectedKind: 'workstation',
    note: 'VirtualBox: manufacturer innotek GmbH',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'VirtualBox',
    manufacturer: 'innotek GmbH',
    weight: 0.3,
    appPlatform: 'windows',
    ...VM,
  }),
  appleDefaults({
    id: 'vm-parallels-macos',
    rule: 4,
    expectedKind: 'workstation',
    note: 'macOS guest on Parallels (a macMDM device that is not a laptop)',
    deviceType: 'macMDM',
    operatingSystem: 'macOS',
    model: 'Parallels Virtual Platform',
    manufacturer: 'Parallels Software International Inc.',
    weight: 0.2,
    appPlatform: 'macOS',
    cellular: false,
    userlessShare: 0.4,
    wifi: false,
    wired: true,
  }),
  windowsDefaults({
    id: 'vm-qemu-manufacturer-only',
    rule: 4,
    expectedKind: 'workstation',
    note: 'QEMU: only the manufacturer says so; the model is a generic chipset name',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'Standard PC (Q35 + ICH9, 2009)',
    manufacturer: 'QEMU',
    weight: 0.2,
    appPlatform: 'windows',
    ...VM,
  }),
  windowsDefaults({
    id: 'vm-amazon-ec2',
    rule: 4,
    expectedKind: 'workstation',
    note: 'Amazon EC2 instance (model is the instance type)',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 't3.large',
    manufacturer: 'Amazon EC2',
    weight: 0.4,
    appPlatform: 'windows',
    ...VM,
  }),

  // ---- rule 5: phones ----------------------------------------------------------------
  appleDefaults({
    id: 'iphone',
    rule: 5,
    expectedKind: 'smartphone',
    note: 'iPhone (deviceType iPhone, chassisType unknown in list calls)',
    deviceType: 'iPhone',
    operatingSystem: 'iOS',
    model: 'iPhone 15 Pro',
    manufacturer: 'Apple',
    ownerType: 'personal',
    deviceEnrollmentType: 'userEnrollmentWithServiceAccount',
    weight: 14,
    appPlatform: 'ios',
  }),
  androidDefaults({
    id: 'android-work-profile-phone',
    rule: 5,
    expectedKind: 'smartphone',
    note: 'Android Enterprise work profile phone with chassisType phone',
    deviceType: 'androidForWork',
    operatingSystem: 'Android',
    model: 'SM-S918B',
    manufacturer: 'samsung',
    chassisType: 'phone',
    ownerType: 'personal',
    deviceEnrollmentType: 'androidEnterpriseWorkProfile',
    weight: 7,
    appPlatform: 'androidWorkProfile',
  }),
  androidDefaults({
    id: 'android-fully-managed-phone',
    rule: 5,
    expectedKind: 'smartphone',
    note: 'Android fully managed, chassisType unknown: Android without tablet chassis is a phone',
    deviceType: 'androidEnterprise',
    operatingSystem: 'Android',
    model: 'Pixel 8',
    manufacturer: 'Google',
    deviceEnrollmentType: 'androidEnterpriseFullyManaged',
    weight: 4,
    appPlatform: 'androidDedicatedAndFullyManaged',
  }),
  otherDefaults({
    id: 'windows-phone',
    rule: 5,
    expectedKind: 'smartphone',
    note: 'legacy Windows phone: deviceType windowsPhone beats the Windows OS of rule 10',
    deviceType: 'windowsPhone',
    operatingSystem: 'Windows',
    osVersions: ['10.0.15254.603'],
    model: 'Lumia 950',
    manufacturer: 'Microsoft',
    reportPlatform: 'Windows',
    weight: 0.1,
    appPlatform: 'windowsMobile',
    userlessShare: 0.05,
    cellular: true,
    wifi: true,
    wired: false,
  }),
  otherDefaults({
    id: 'phone-chassis-only',
    rule: 5,
    expectedKind: 'smartphone',
    note: 'no deviceType or OS signal, only chassisType phone',
    deviceType: 'unknown',
    operatingSystem: 'Unknown',
    model: '',
    manufacturer: '',
    chassisType: 'phone',
    managementAgent: 'eas',
    weight: 0.2,
    appPlatform: 'unknown',
    userlessShare: 0.05,
    cellular: true,
    wifi: true,
    wired: false,
  }),

  // ---- rule 6: tablets and other personal devices ----------------------------------
  appleDefaults({
    id: 'ipad',
    rule: 6,
    expectedKind: 'user_endpoint',
    note: 'iPad',
    deviceType: 'iPad',
    operatingSystem: 'iPadOS',
    osVersions: IPADOS,
    model: 'iPad Air (5th generation)',
    manufacturer: 'Apple',
    weight: 3,
    appPlatform: 'ios',
    cellular: false,
  }),
  androidDefaults({
    id: 'android-tablet',
    rule: 6,
    expectedKind: 'user_endpoint',
    note: 'Android device with chassisType tablet is not a phone',
    deviceType: 'androidEnterprise',
    operatingSystem: 'Android',
    model: 'SM-X205',
    manufacturer: 'samsung',
    chassisType: 'tablet',
    deviceEnrollmentType: 'androidEnterpriseDedicatedDevice',
    weight: 1.5,
    appPlatform: 'androidDedicatedAndFullyManaged',
    userlessShare: 0.5,
    cellular: false,
  }),
  windowsDefaults({
    id: 'hololens',
    rule: 6,
    expectedKind: 'user_endpoint',
    note: 'HoloLens 2 runs Windows but is a personal device',
    deviceType: 'holoLens',
    operatingSystem: 'Windows',
    osVersions: ['10.0.22621.1244'],
    model: 'HoloLens 2',
    manufacturer: 'Microsoft Corporation',
    skuFamily: 'Holographic',
    skuNumber: 136,
    processorArchitecture: 'arM64',
    weight: 0.1,
    appPlatform: 'windowsHolographic',
  }),
  windowsDefaults({
    id: 'surface-hub',
    rule: 6,
    expectedKind: 'user_endpoint',
    note: 'Surface Hub runs Windows but is a shared room device',
    deviceType: 'surfaceHub',
    operatingSystem: 'Windows',
    osVersions: ['10.0.19045.4291'],
    model: 'Surface Hub 2S',
    manufacturer: 'Microsoft Corporation',
    skuFamily: 'Team',
    skuNumber: 119,
    weight: 0.1,
    appPlatform: 'windows',
    userlessShare: 0.95,
    wifi: true,
    wired: true,
  }),
  otherDefaults({
    id: 'mobile-unknown-chassis',
    rule: 6,
    expectedKind: 'user_endpoint',
    note: 'Exchange-only device: chassisType mobileUnknown, nothing else',
    deviceType: 'unknown',
    operatingSystem: 'Unknown',
    model: '',
    manufacturer: '',
    chassisType: 'mobileUnknown',
    managementAgent: 'eas',
    ownerType: 'personal',
    weight: 0.3,
    appPlatform: 'unknown',
    userlessShare: 0.05,
    wifi: false,
    wired: false,
  }),

  // ---- rule 7: laptops ------------------------------------------------------------------
  appleDefaults({
    id: 'macbook-pro',
    rule: 7,
    expectedKind: 'laptop',
    note: 'MacBook Pro (macMDM; the anchor called every macMDM a laptop)',
    deviceType: 'macMDM',
    operatingSystem: 'macOS',
    model: 'MacBook Pro',
    manufacturer: 'Apple',
    weight: 5,
    appPlatform: 'macOS',
    cellular: false,
  }),
  appleDefaults({
    id: 'macbook-air',
    rule: 7,
    expectedKind: 'laptop',
    note: 'MacBook Air',
    deviceType: 'macMDM',
    operatingSystem: 'macOS',
    model: 'MacBook Air (M2, 2022)',
    manufacturer: 'Apple',
    weight: 4,
    appPlatform: 'macOS',
    cellular: false,
  }),
  windowsDefaults({
    id: 'dell-latitude',
    rule: 7,
    expectedKind: 'laptop',
    note: 'Latitude model hint, chassisType unknown',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'Latitude 7440',
    manufacturer: 'Dell Inc.',
    weight: 9,
    appPlatform: 'windows',
  }),
  windowsDefaults({
    id: 'lenovo-thinkpad',
    rule: 7,
    expectedKind: 'laptop',
    note: 'ThinkPad model hint, chassisType laptop',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'ThinkPad T14 Gen 4',
    manufacturer: 'LENOVO',
    chassisType: 'laptop',
    joinType: 'hybridAzureADJoined',
    deviceEnrollmentType: 'windowsCoManagement',
    weight: 8,
    appPlatform: 'windows',
  }),
  windowsDefaults({
    id: 'hp-elitebook',
    rule: 7,
    expectedKind: 'laptop',
    note: 'EliteBook wins over a (wrong) desktop chassis: model hints come first',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'HP EliteBook 840 G10 Notebook PC',
    manufacturer: 'HP',
    chassisType: 'desktop',
    weight: 7,
    appPlatform: 'windows',
  }),
  windowsDefaults({
    id: 'surface-laptop',
    rule: 7,
    expectedKind: 'laptop',
    note: 'Surface Laptop ("Laptop" in the model)',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'Surface Laptop 5',
    manufacturer: 'Microsoft Corporation',
    processorArchitecture: 'x64',
    weight: 4,
    appPlatform: 'windows',
  }),
  otherDefaults({
    id: 'chromebook',
    rule: 7,
    expectedKind: 'laptop',
    note: 'ChromeOS Chromebook: model hint before the ChromeOS computer rule',
    deviceType: 'chromeOS',
    operatingSystem: 'ChromeOS',
    osVersions: CHROMEOS,
    model: 'HP Chromebook 14 G7',
    manufacturer: 'HP',
    managementAgent: 'googleCloudDevicePolicyController',
    reportPlatform: 'ChromeOS',
    weight: 1,
    appPlatform: 'chromeOS',
    userlessShare: 0.1,
    wifi: true,
    wired: false,
  }),
  windowsDefaults({
    id: 'generic-laptop-chassis',
    rule: 7,
    expectedKind: 'laptop',
    note: 'model without hints (Inspiron), chassisType laptop',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'Inspiron 15 3520',
    manufacturer: 'Dell Inc.',
    chassisType: 'laptop',
    skuFamily: 'Professional',
    skuNumber: 48,
    weight: 3,
    appPlatform: 'windows',
  }),

  // ---- rule 8: desktops -----------------------------------------------------------------
  appleDefaults({
    id: 'imac',
    rule: 8,
    expectedKind: 'desktop',
    note: 'iMac (a macMDM device that is not a laptop)',
    deviceType: 'macMDM',
    operatingSystem: 'macOS',
    model: 'iMac (24-inch, M3, 2023)',
    manufacturer: 'Apple',
    weight: 1,
    appPlatform: 'macOS',
    cellular: false,
    wired: true,
  }),
  appleDefaults({
    id: 'mac-mini',
    rule: 8,
    expectedKind: 'desktop',
    note: 'Mac mini',
    deviceType: 'macMDM',
    operatingSystem: 'macOS',
    model: 'Mac mini (M2, 2023)',
    manufacturer: 'Apple',
    weight: 0.5,
    appPlatform: 'macOS',
    cellular: false,
    userlessShare: 0.3,
    wired: true,
  }),
  windowsDefaults({
    id: 'dell-optiplex',
    rule: 8,
    expectedKind: 'desktop',
    note: 'OptiPlex model hint',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'OptiPlex 7010',
    manufacturer: 'Dell Inc.',
    chassisType: 'desktop',
    joinType: 'hybridAzureADJoined',
    deviceEnrollmentType: 'windowsCoManagement',
    weight: 5,
    appPlatform: 'windows',
    wifi: false,
    wired: true,
  }),
  windowsDefaults({
    id: 'lenovo-thinkcentre',
    rule: 8,
    expectedKind: 'desktop',
    note: 'ThinkCentre model hint, chassisType unknown',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'ThinkCentre M70q Gen 3',
    manufacturer: 'LENOVO',
    weight: 3,
    appPlatform: 'windows',
    wifi: false,
    wired: true,
  }),
  windowsDefaults({
    id: 'generic-desktop-chassis',
    rule: 8,
    expectedKind: 'desktop',
    note: 'model without hints (Vostro), chassisType desktop',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'Vostro 3910',
    manufacturer: 'Dell Inc.',
    chassisType: 'desktop',
    skuFamily: 'Professional',
    skuNumber: 48,
    weight: 2,
    appPlatform: 'windows',
    wifi: false,
    wired: true,
  }),

  // ---- rule 9: workstations -------------------------------------------------------------
  windowsDefaults({
    id: 'lenovo-thinkstation',
    rule: 9,
    expectedKind: 'workstation',
    note: 'ThinkStation model hint',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'ThinkStation P360',
    manufacturer: 'LENOVO',
    weight: 0.8,
    appPlatform: 'windows',
    wifi: false,
    wired: true,
  }),
  windowsDefaults({
    id: 'dell-precision',
    rule: 9,
    expectedKind: 'workstation',
    note: 'Precision model hint (a desktop chassis would win: rule 8 comes first)',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'Precision 7865',
    manufacturer: 'Dell Inc.',
    weight: 0.8,
    appPlatform: 'windows',
    wifi: false,
    wired: true,
  }),
  windowsDefaults({
    id: 'generic-workstation-chassis',
    rule: 9,
    expectedKind: 'workstation',
    note: 'model without hints, chassisType worksWorkstation',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'Custom Build',
    manufacturer: 'System manufacturer',
    chassisType: 'worksWorkstation',
    skuFamily: 'ProfessionalWorkstation',
    skuNumber: 161,
    weight: 0.4,
    appPlatform: 'windows',
    wifi: false,
    wired: true,
  }),

  // ---- rule 10: other computers ---------------------------------------------------------
  windowsDefaults({
    id: 'windows-generic',
    rule: 10,
    expectedKind: 'computer',
    note: 'board-vendor placeholder model, chassisType unknown',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: 'System Product Name',
    manufacturer: 'ASUS',
    skuFamily: 'Professional',
    skuNumber: 48,
    ownerType: 'personal',
    joinType: 'azureADRegistered',
    deviceEnrollmentType: 'windowsBulkUserless',
    weight: 2,
    appPlatform: 'windows',
  }),
  windowsDefaults({
    id: 'windows-empty-model',
    rule: 10,
    expectedKind: 'computer',
    note: 'empty model and manufacturer: NOT a server (the anchor made these servers)',
    deviceType: 'windowsRT',
    operatingSystem: 'Windows',
    model: '',
    manufacturer: '',
    weight: 1,
    appPlatform: 'windows',
  }),
  otherDefaults({
    id: 'linux-no-hints',
    rule: 10,
    expectedKind: 'computer',
    note: 'Linux box without model hints',
    deviceType: 'linux',
    operatingSystem: 'Linux',
    osVersions: LINUX,
    model: 'To Be Filled By O.E.M.',
    manufacturer: 'To Be Filled By O.E.M.',
    managementAgent: 'intuneClient',
    reportPlatform: 'Linux',
    weight: 0.8,
    appPlatform: 'unknown',
    userlessShare: 0.1,
  }),
  appleDefaults({
    id: 'mac-unknown-model',
    rule: 10,
    expectedKind: 'computer',
    note: 'macMDM with a model identifier only (Mac14,3): a computer, not a laptop',
    deviceType: 'macMDM',
    operatingSystem: 'macOS',
    model: 'Mac14,3',
    manufacturer: 'Apple',
    weight: 0.3,
    appPlatform: 'macOS',
    cellular: false,
  }),
  otherDefaults({
    id: 'chromebox',
    rule: 10,
    expectedKind: 'computer',
    note: 'ChromeOS Chromebox (no laptop hint)',
    deviceType: 'chromeOS',
    operatingSystem: 'ChromeOS',
    osVersions: CHROMEOS,
    model: 'ASUS Chromebox 4',
    manufacturer: 'ASUS',
    managementAgent: 'googleCloudDevicePolicyController',
    reportPlatform: 'ChromeOS',
    weight: 0.2,
    appPlatform: 'chromeOS',
  }),

  // ---- rule 11: nothing usable --------------------------------------------------------
  otherDefaults({
    id: 'no-signal',
    rule: 11,
    expectedKind: 'user_endpoint',
    note: 'deviceType unknown, OS Unknown, no model, chassis unknown',
    deviceType: 'unknown',
    operatingSystem: 'Unknown',
    model: '',
    manufacturer: '',
    managementAgent: 'eas',
    weight: 0.3,
    appPlatform: 'unknown',
  }),
  otherDefaults({
    id: 'isoc-consumer',
    rule: 11,
    expectedKind: 'user_endpoint',
    note: 'deviceType iSocConsumer with an unlisted OS string',
    deviceType: 'iSocConsumer',
    operatingSystem: 'Other',
    model: 'Generic IoT Gateway',
    manufacturer: 'Contoso Devices',
    weight: 0.1,
    appPlatform: 'unknown',
  }),
];

export function templateById(id: string): DeviceTemplate {
  const t = DEVICE_TEMPLATES.find((x) => x.id === id);
  if (!t) throw new Error(`unknown device template ${id}`);
  return t;
}

/** One representative template per kind (first in catalogue order), in DEVICE_KINDS order. */
export const REPRESENTATIVE_TEMPLATE_BY_KIND: readonly number[] =
  DEVICE_KINDS.map((kind) =>
    DEVICE_TEMPLATES.findIndex((t) => t.expectedKind === kind),
  );
