/**
 * The device-kind table of docs/data-model-rules.md ("Device kind", rules
 * 1-11), as a pure function. The first matching rule wins. Every text match
 * is case-insensitive, on trimmed values; enum values (deviceType,
 * chassisType) are compared whole. docs/device-classification.md has one
 * example device per rule, and classify.test.ts tests each of them.
 */
import { DeviceKind } from '../constants';

/** The Graph fields the table looks at (beta managedDevice). */
export interface DeviceSignals {
  deviceType?: string | null;
  operatingSystem?: string | null;
  osVersion?: string | null;
  chassisType?: string | null;
  model?: string | null;
  manufacturer?: string | null;
  skuFamily?: string | null;
}

export interface DeviceClassification {
  kind: DeviceKind;
  /** Number of the rule that decided (1-11). */
  rule: number;
  /** A Cloud PC or virtual machine signal was seen (rules 3 and 4), whatever rule decided. */
  virtual: boolean;
}

const PHONE_DEVICE_TYPES = [
  'iphone',
  'windowsphone',
  'winmo6',
  'nokia',
  'blackberry',
  'palm',
];
const ANDROID_DEVICE_TYPES = [
  'android',
  'androidforwork',
  'androidenterprise',
  'androidngms',
];
const PERSONAL_DEVICE_TYPES = ['ipad', 'ipod', 'hololens', 'surfacehub'];
const PERSONAL_CHASSIS_TYPES = ['tablet', 'mobileother', 'mobileunknown'];
const COMPUTER_DEVICE_TYPES = [
  'desktop',
  'windowsrt',
  'windows10x',
  'mac',
  'macmdm',
  'unix',
  'linux',
  'chromeos',
  'winembedded',
  'wince',
];
/** operatingSystem prefixes of rule 10, compared without spaces ("Mac OS X" is macos...). */
const COMPUTER_OPERATING_SYSTEMS = ['windows', 'macos', 'linux', 'chromeos'];

const VIRTUAL_MACHINE_VENDORS = [
  'vmware',
  'virtualbox',
  'innotek gmbh',
  'parallels',
  'qemu',
  'kvm',
  'xen',
  'amazon ec2',
  'google compute engine',
];
const LAPTOP_MODELS = [
  'macbook',
  'chromebook',
  'laptop',
  'notebook',
  'thinkpad',
  'latitude',
  'elitebook',
  'zbook',
  'probook',
  'xps',
  'surface book',
  'surface pro',
  'surface go',
  'yoga',
  'ideapad',
  'zenbook',
  'vivobook',
  'spectre',
  'envy x360',
];
const DESKTOP_MODELS = [
  'imac',
  'mac mini',
  'mac pro',
  'mac studio',
  'optiplex',
  'thinkcentre',
  'elitedesk',
  'prodesk',
  'desktop',
  'tower',
  'all-in-one',
];
const WORKSTATION_MODELS = [
  'thinkstation',
  'precision',
  'z4',
  'z6',
  'z8',
  'workstation',
];

function text(value: string | null | undefined): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/** Hints of three characters or fewer must stand as a word: "Xenon" is no Xen VM. */
const WORD_HINTS = new Map<string, RegExp>();
function wordPattern(hint: string): RegExp {
  let pattern = WORD_HINTS.get(hint);
  if (!pattern) {
    pattern = new RegExp(`(^|[^a-z0-9])${hint}([^a-z0-9]|$)`);
    WORD_HINTS.set(hint, pattern);
  }
  return pattern;
}

/** Substring match, short hints as whole words (see wordPattern). */
function containsAny(value: string, needles: readonly string[]): boolean {
  return (
    value !== '' &&
    needles.some((needle) =>
      needle.length <= 3
        ? wordPattern(needle).test(value)
        : value.includes(needle),
    )
  );
}

/** Windows 365: deviceType cloudPC (single GET) or a "Cloud PC ..." model (LIST says windowsRT). */
function isCloudPc(deviceType: string, model: string): boolean {
  return deviceType === 'cloudpc' || model.startsWith('cloud pc');
}

function isVirtualMachine(model: string, manufacturer: string): boolean {
  return (
    model === 'virtual machine' ||
    containsAny(model, VIRTUAL_MACHINE_VENDORS) ||
    containsAny(manufacturer, VIRTUAL_MACHINE_VENDORS)
  );
}

function isAndroid(deviceType: string, operatingSystem: string): boolean {
  return (
    ANDROID_DEVICE_TYPES.includes(deviceType) ||
    operatingSystem.startsWith('android')
  );
}

export function classifyDevice(signals: DeviceSignals): DeviceClassification {
  const deviceType = text(signals.deviceType);
  const operatingSystem = text(signals.operatingSystem);
  const osVersion = text(signals.osVersion);
  const chassisType = text(signals.chassisType);
  const model = text(signals.model);
  const manufacturer = text(signals.manufacturer);
  const skuFamily = text(signals.skuFamily);

  const cloudPc = isCloudPc(deviceType, model);
  const virtualMachine = isVirtualMachine(model, manufacturer);
  const virtual = cloudPc || virtualMachine;
  const decide = (rule: number, kind: DeviceKind): DeviceClassification => ({
    kind,
    rule,
    virtual,
  });

  // 1. A server OS.
  if (
    operatingSystem.includes('server') ||
    skuFamily.includes('server') ||
    chassisType === 'enterpriseserver'
  ) {
    return decide(1, 'server');
  }
  // 2. A shared session host (Windows Enterprise multi-session, Azure Virtual Desktop).
  if (
    containsAny(`${operatingSystem}\n${skuFamily}\n${osVersion}`, [
      'multi-session',
      'multisession',
    ])
  ) {
    return decide(2, 'server');
  }
  // 3. A Windows 365 Cloud PC.
  if (cloudPc) return decide(3, 'workstation');
  // 4. A virtual machine.
  if (virtualMachine) return decide(4, 'workstation');
  // 5. A phone.
  if (
    PHONE_DEVICE_TYPES.includes(deviceType) ||
    chassisType === 'phone' ||
    model.startsWith('iphone') ||
    (isAndroid(deviceType, operatingSystem) && chassisType !== 'tablet')
  ) {
    return decide(5, 'smartphone');
  }
  // 6. A tablet or other personal device.
  if (
    PERSONAL_DEVICE_TYPES.includes(deviceType) ||
    PERSONAL_CHASSIS_TYPES.includes(chassisType) ||
    model.startsWith('ipad') ||
    model.startsWith('ipod')
  ) {
    return decide(6, 'user_endpoint');
  }
  // 7-9. Model hints first, for all three kinds; only then the chassis,
  // which Graph is known to misreport (microsoft-graph-docs-contrib #9016).
  if (containsAny(model, LAPTOP_MODELS)) return decide(7, 'laptop');
  if (containsAny(model, DESKTOP_MODELS)) return decide(8, 'desktop');
  if (containsAny(model, WORKSTATION_MODELS)) return decide(9, 'workstation');
  if (chassisType === 'laptop') return decide(7, 'laptop');
  if (chassisType === 'desktop') return decide(8, 'desktop');
  if (chassisType === 'worksworkstation') return decide(9, 'workstation');
  // 10. Any other computer OS.
  const compactOs = operatingSystem.replace(/\s+/g, '');
  if (
    COMPUTER_OPERATING_SYSTEMS.some((os) => compactOs.startsWith(os)) ||
    COMPUTER_DEVICE_TYPES.includes(deviceType)
  ) {
    return decide(10, 'computer');
  }
  // 11. No usable signal.
  return decide(11, 'user_endpoint');
}
