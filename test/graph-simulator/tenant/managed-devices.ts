/**
 * Intune managed devices. Each device is (template, enrolled user, logged-on
 * users) — its "facts" — plus cosmetic fields drawn from the seed. Only the
 * template of each device is precomputed (one byte per device); the rest is
 * rebuilt on demand.
 */
import { Directory, UserIdentity, checkIndex } from './directory';
import {
  DEVICE_KINDS,
  DEVICE_TEMPLATES,
  DeviceTemplate,
  PlatformFamily,
  REPRESENTATIVE_TEMPLATE_BY_KIND,
  platformFamily,
} from './devices';
import { Collection, GraphObject } from './model';
import { TenantProfile } from './profiles';
import {
  DAY_MS,
  IdKind,
  NO_DATE,
  Rng,
  ZERO_GUID,
  guid,
  guidIndex,
  isoMillis,
  isoSeconds,
  pastMs,
  rngFor,
  unit,
} from './random';

// Local aliases: a global `Math` lookup is slow inside jest's vm sandbox (see random.ts).
const { ceil, floor, max } = Math;

/** Who a device's user reference points at: a user of /users, nobody, or a user /users does not list. */
export const NO_USER = -1;
/** Absent user k (deleted from the directory) is encoded as -2 - k. */
export function absentUserRef(k: number): number {
  return -2 - k;
}
export function isAbsentUserRef(ref: number): boolean {
  return ref <= -2;
}

export interface DeviceFacts {
  template: number;
  /** >= 0: index of a user of /users; NO_USER; or absentUserRef(k). */
  user: number;
  /** usersLoggedOn in order, same encoding (never NO_USER); may repeat a user. */
  loggedOn: number[];
}

/** What statuses and report rows need to know about a device. */
export interface DeviceLabel {
  id: string;
  deviceName: string;
  model: string;
  osVersion: string;
  reportPlatform: string;
  userId: string;
  userDisplayName: string;
  userPrincipalName: string;
}

const SALT_TEMPLATE = 31;
const SALT_FACTS = 32;
const SALT_NAME = 33;
const SALT_OBJECT = 34;

const COVERAGE_TEMPLATES = DEVICE_TEMPLATES.length;
const COVERAGE_KINDS = DEVICE_KINDS.length;

export class ManagedDevices {
  readonly count: number;
  /** Template index of every device. */
  readonly templateOf: Uint8Array;
  readonly absentUserCount: number;
  /** Devices that statuses and report rows name but managedDevices does not list. */
  readonly staleDeviceCount: number;
  readonly collection: Collection;
  private readonly seed: number;
  private familyLists?: Map<PlatformFamily, Int32Array>;

  constructor(
    private readonly profile: TenantProfile,
    private readonly directory: Directory,
  ) {
    const intune = profile.intune;
    this.seed = profile.seed;
    this.count = intune ? intune.devices : 0;
    const a = profile.anomalies;
    const absentShare = max(
      a.unknownEnrolledUserShare,
      a.unknownLoggedOnUserShare,
    );
    this.absentUserCount =
      absentShare > 0 ? max(COVERAGE_KINDS, ceil(this.count * absentShare)) : 0;
    const staleShare = max(
      a.unknownDeviceStatusShare,
      a.unknownDeviceInstallRowShare,
      a.unknownDeviceAppRowShare,
    );
    this.staleDeviceCount =
      staleShare > 0 ? max(3, ceil(this.count * 0.02)) : 0;

    this.templateOf = new Uint8Array(this.count);
    const weights = DEVICE_TEMPLATES.map(
      (t) => intune?.deviceMix?.[t.id] ?? t.weight,
    );
    const total = weights.reduce((s, w) => s + w, 0);
    const cumulative = weights.map(
      (
        (sum) => (w: number) =>
          (sum += w / total)
      )(0),
    );
    for (let i = 0; i < this.count; i++) {
      if (i < COVERAGE_TEMPLATES) this.templateOf[i] = i;
      else if (i < COVERAGE_TEMPLATES + COVERAGE_KINDS)
        this.templateOf[i] =
          REPRESENTATIVE_TEMPLATE_BY_KIND[i - COVERAGE_TEMPLATES];
      else {
        const r = unit(this.seed, SALT_TEMPLATE, i);
        let t = 0;
        while (t < cumulative.length - 1 && r >= cumulative[t]) t++;
        this.templateOf[i] = t;
      }
    }

    this.collection = {
      count: this.count,
      get: (i) => this.object(checkIndex(i, this.count)),
    };
  }

  id(index: number): string {
    return guid(this.seed, IdKind.managedDevice, index);
  }

  indexOf(id: string): number {
    return guidIndex(this.seed, IdKind.managedDevice, id, this.count);
  }

  template(index: number): DeviceTemplate {
    return DEVICE_TEMPLATES[this.templateOf[index]];
  }

  family(index: number): PlatformFamily {
    return platformFamily(this.template(index).appPlatform);
  }

  /** Device indexes per detected-app platform family. */
  devicesOfFamily(family: PlatformFamily): Int32Array {
    if (!this.familyLists) {
      const lists = new Map<PlatformFamily, number[]>();
      for (let i = 0; i < this.count; i++) {
        const f = this.family(i);
        if (!lists.has(f)) lists.set(f, []);
        lists.get(f)!.push(i);
      }
      this.familyLists = new Map(
        [...lists].map(([f, l]) => [f, Int32Array.from(l)]),
      );
    }
    return this.familyLists.get(family) ?? new Int32Array(0);
  }

  // ---- facts -----------------------------------------------------------------

  facts(index: number): DeviceFacts {
    const template = this.templateOf[index];
    const users = this.directory.userCount;
    const a = this.profile.anomalies;
    const known = (k: number) => (users > 0 ? k % users : NO_USER);

    if (index < COVERAGE_TEMPLATES) {
      // one device per template, enrolled by a listed user; device 0 repeats its user in usersLoggedOn
      const user = known(index);
      const loggedOn =
        user === NO_USER ? [] : index === 0 ? [user, user] : [user];
      return { template, user, loggedOn };
    }
    if (
      index < COVERAGE_TEMPLATES + COVERAGE_KINDS &&
      this.absentUserCount > 0
    ) {
      // one device per kind enrolled by a user /users does not list
      const k = index - COVERAGE_TEMPLATES;
      const user = absentUserRef(k % this.absentUserCount);
      const other = known(k);
      return {
        template,
        user,
        loggedOn: other === NO_USER ? [user] : [user, other],
      };
    }

    const rng = rngFor(this.seed, IdKind.managedDevice, index, SALT_FACTS);
    const t = DEVICE_TEMPLATES[template];
    const desktop =
      t.naming === 'windows' ||
      t.appPlatform === 'macOS' ||
      t.naming === 'server';
    if (users === 0 || rng.chance(t.userlessShare)) {
      const shared = users > 0 && rng.chance(0.3) ? [rng.int(users)] : [];
      return { template, user: NO_USER, loggedOn: shared };
    }
    const user = rng.chance(a.unknownEnrolledUserShare)
      ? absentUserRef(rng.int(max(1, this.absentUserCount)))
      : rng.int(users);
    const loggedOn = [user];
    if (desktop && rng.chance(0.15)) loggedOn.push(rng.int(users));
    if (rng.chance(a.unknownLoggedOnUserShare))
      loggedOn.push(absentUserRef(rng.int(max(1, this.absentUserCount))));
    if (desktop && rng.chance(0.03)) loggedOn.push(user);
    return { template, user, loggedOn };
  }

  absentUserId(k: number): string {
    return guid(this.seed, IdKind.absentUser, k);
  }

  /** The id a user reference puts in userId / usersLoggedOn ('' for none). */
  userRefId(ref: number): string {
    if (ref === NO_USER) return '';
    if (isAbsentUserRef(ref)) return this.absentUserId(-2 - ref);
    return this.directory.userId(ref);
  }

  private userRefIdentity(
    ref: number,
  ): Pick<
    UserIdentity,
    'displayName' | 'userPrincipalName' | 'mail' | 'givenName'
  > | null {
    if (ref === NO_USER) return null;
    if (isAbsentUserRef(ref)) {
      const k = -2 - ref;
      const upn = `former.employee${k}@${
        this.profile.extraDomains[0] ?? this.profile.initialDomain
      }`;
      return {
        displayName: `Former Employee ${k}`,
        userPrincipalName: upn,
        mail: upn,
        givenName: 'Former',
      };
    }
    return this.directory.identity(ref);
  }

  // ---- rendering --------------------------------------------------------------

  private deviceName(
    index: number,
    t: DeviceTemplate,
    owner: { givenName: string } | null,
  ): string {
    const rng = rngFor(this.seed, IdKind.managedDevice, index, SALT_NAME);
    const short =
      t.model
        .replace(/ \(.*\)$/, '')
        .split(' ')
        .slice(0, 2)
        .join(' ') || 'Device';
    switch (t.naming) {
      case 'windows':
        return `${
          t.model.match(/Book|Laptop|ThinkPad|Latitude/) ? 'LAPTOP' : 'DESKTOP'
        }-${rng.hex(7, true)}`;
      case 'server':
        return `SRV-${rng.pick(['APP', 'SQL', 'FS', 'WEB', 'DC'])}-${String(
          index,
        ).padStart(3, '0')}`;
      case 'apple':
        return owner
          ? `${owner.givenName}\u2019s ${short}`
          : `${short} ${rng.hex(4, true)}`;
      case 'android':
        return owner
          ? `${owner.givenName}'s ${
              t.manufacturer === 'Google' ? 'Pixel' : 'Galaxy'
            }`
          : `${t.model}-${rng.hex(4)}`;
      default:
        return `host-${rng.hex(6)}`;
    }
  }

  /** Cheap summary (no full object) for statuses and report rows. */
  label(index: number): DeviceLabel {
    const f = this.facts(index);
    const t = DEVICE_TEMPLATES[f.template];
    const who = this.userRefIdentity(f.user);
    const rng = rngFor(this.seed, IdKind.managedDevice, index, SALT_NAME + 1);
    return {
      id: this.id(index),
      deviceName: this.deviceName(index, t, who),
      model: t.model,
      osVersion: rng.pick(t.osVersions),
      reportPlatform: t.reportPlatform,
      userId: this.userRefId(f.user),
      userDisplayName: who?.displayName ?? '',
      userPrincipalName: who?.userPrincipalName ?? '',
    };
  }

  staleDeviceId(k: number): string {
    return guid(this.seed, IdKind.staleDevice, k);
  }

  staleLabel(k: number): DeviceLabel {
    const rng = rngFor(this.seed, IdKind.staleDevice, k, 1);
    return {
      id: this.staleDeviceId(k),
      deviceName: `OLD-${rng.hex(7, true)}`,
      model: rng.pick([
        'Latitude 7400',
        'iPhone 11',
        'SM-G973F',
        'ThinkPad X1 Carbon Gen 7',
      ]),
      osVersion: '10.0.19044.1889',
      reportPlatform: rng.pick(['Windows', 'iOS', 'Android']),
      userId: '',
      userDisplayName: '',
      userPrincipalName: '',
    };
  }

  object(index: number): GraphObject {
    const f = this.facts(index);
    const t = DEVICE_TEMPLATES[f.template];
    const rng = rngFor(this.seed, IdKind.managedDevice, index, SALT_OBJECT);
    const who = this.userRefIdentity(f.user);
    const label = this.label(index);
    const apple = t.naming === 'apple';
    const mobile = t.cellular;
    const registered = t.joinType !== 'unknown' || rng.chance(0.3);
    const aadDeviceId = registered
      ? guid(this.seed, IdKind.aadDevice, index)
      : ZERO_GUID;
    const enrolled = pastMs(rng, 20, 900);
    const lastSync = max(enrolled, pastMs(rng, 0, 14));
    const compliance = pickWeighted(
      rng,
      t.joinType === 'hybridAzureADJoined' ? COMPLIANCE_COMANAGED : COMPLIANCE,
    );
    const graceEnds =
      compliance === 'noncompliant' || compliance === 'inGracePeriod';
    const serial = serialNumber(rng, t);
    const totalStorage = mobile
      ? 2 ** (36 + rng.int(3))
      : rng.pick([256, 512, 1024]) * 1e9;
    const owner = who ? who.userPrincipalName.split('@')[0] : '';
    // "michael.knoedel_IPhone_2/17/2021_4:24 PM" (HAR): owner, platform, US-style enrolment time
    const [date, time] = isoSeconds(enrolled).split('T');
    const [year, month, day] = date.split('-').map(Number);
    const [hours, minutes] = time.split(':').map(Number);
    const clock = `${((hours + 11) % 12) + 1}:${String(minutes).padStart(
      2,
      '0',
    )} ${hours < 12 ? 'AM' : 'PM'}`;
    const managedDeviceName = `${owner}_${
      PLATFORM_WORD[t.deviceType] ?? 'Windows'
    }_${month}/${day}/${year}_${clock}`;
    const imei = mobile ? rng.digits(15) : '';
    const android = t.operatingSystem === 'Android';
    const windows = t.naming === 'windows' || t.naming === 'server';

    return {
      id: label.id,
      userId: this.userRefId(f.user),
      deviceName: label.deviceName,
      ownerType: t.ownerType,
      managedDeviceOwnerType: t.ownerType,
      managementState: pickWeighted(
        rng,
        t.managementAgent === 'msSense'
          ? MANAGEMENT_STATES_MDE
          : MANAGEMENT_STATES,
      ),
      enrolledDateTime: isoSeconds(enrolled),
      lastSyncDateTime: isoSeconds(lastSync),
      chassisType: t.chassisType,
      operatingSystem: t.operatingSystem,
      deviceType: t.deviceType,
      complianceState: compliance,
      jailBroken:
        mobile && (apple || android)
          ? rng.chance(0.01)
            ? 'True'
            : rng.chance(0.97)
            ? 'False'
            : 'Unknown'
          : 'Unknown',
      managementAgent: t.managementAgent,
      osVersion: label.osVersion,
      easActivated: t.managementAgent === 'eas',
      easDeviceId: apple
        ? t.deviceType === 'macMDM'
          ? `Appl${serial}`
          : rng.hex(26, true)
        : t.managementAgent === 'eas'
        ? rng.hex(32, true)
        : '',
      easActivationDateTime:
        t.managementAgent === 'eas' ? isoSeconds(enrolled) : NO_DATE,
      aadRegistered: apple && t.ownerType === 'personal' ? null : registered,
      azureADRegistered:
        apple && t.ownerType === 'personal' ? null : registered,
      deviceEnrollmentType: t.deviceEnrollmentType,
      lostModeState: 'disabled',
      activationLockBypassCode: null,
      emailAddress: who?.mail ?? '',
      azureActiveDirectoryDeviceId: aadDeviceId,
      azureADDeviceId: aadDeviceId,
      deviceRegistrationState: registered ? 'registered' : 'notRegistered',
      deviceCategoryDisplayName: rng.pick([
        'Unknown',
        'Unknown',
        '',
        'Corporate',
        'Kiosk',
      ]),
      isSupervised: apple && t.ownerType === 'company',
      exchangeLastSuccessfulSyncDateTime: NO_DATE,
      exchangeAccessState: 'none',
      exchangeAccessStateReason: 'none',
      remoteAssistanceSessionUrl: null,
      remoteAssistanceSessionErrorDetails: null,
      isEncrypted: rng.chance(0.88),
      userPrincipalName: label.userPrincipalName,
      model: t.model,
      manufacturer: t.manufacturer,
      imei,
      complianceGracePeriodExpirationDateTime: graceEnds
        ? isoSeconds(lastSync + 3 * DAY_MS)
        : NO_DATE,
      serialNumber: serial,
      phoneNumber: mobile ? `+1425555${rng.digits(4)}` : '',
      androidSecurityPatchLevel: android
        ? rng.pick(['2024-05-01', '2024-04-01', '2024-02-05'])
        : '',
      userDisplayName: label.userDisplayName,
      configurationManagerClientEnabledFeatures: null,
      wiFiMacAddress: t.wifi ? macAddress(rng, apple) : null,
      deviceHealthAttestationState: null,
      subscriberCarrier: mobile
        ? rng.pick(['Verizon', 'T-Mobile', 'AT&T', 'Vodafone', 'Sprint'])
        : '',
      meid: mobile && !android ? imei.slice(0, 14) : '',
      totalStorageSpaceInBytes: totalStorage,
      freeStorageSpaceInBytes: floor(totalStorage * (0.1 + 0.7 * rng.next())),
      managedDeviceName,
      partnerReportedThreatState: windows
        ? rng.pick(['unknown', 'activated', 'secured'])
        : 'unknown',
      retireAfterDateTime: NO_DATE,
      preferMdmOverGroupPolicyAppliedDateTime: NO_DATE,
      autopilotEnrolled:
        windows && t.ownerType === 'company' && rng.chance(0.4),
      requireUserEnrollmentApproval: apple ? rng.chance(0.5) : null,
      managementCertificateExpirationDate: isoSeconds(enrolled + 365 * DAY_MS),
      iccid: null,
      udid: null,
      roleScopeTagIds: [],
      windowsActiveMalwareCount: windows ? (rng.chance(0.02) ? 1 : 0) : 0,
      windowsRemediatedMalwareCount: windows
        ? rng.chance(0.05)
          ? rng.range(1, 4)
          : 0
        : 0,
      notes: null,
      configurationManagerClientHealthState: null,
      configurationManagerClientInformation: null,
      ethernetMacAddress: t.wired ? macAddress(rng, apple) : null,
      physicalMemoryInBytes: 0,
      processorArchitecture: t.processorArchitecture,
      specificationVersion: null,
      joinType: t.joinType,
      skuFamily: t.skuFamily,
      skuNumber: t.skuNumber,
      managementFeatures: 'none',
      hardwareInformation: {
        serialNumber: serial,
        totalStorageSpace: 0,
        freeStorageSpace: 0,
        imei: mobile ? imei : '',
        meid: null,
        manufacturer: null,
        model: null,
        phoneNumber: null,
        subscriberCarrier: null,
        cellularTechnology: null,
        wifiMac: null,
        operatingSystemLanguage: null,
        isSupervised: false,
        isEncrypted: false,
        batterySerialNumber: null,
        batteryHealthPercentage: 0,
        batteryChargeCycles: 0,
        isSharedDevice: false,
        tpmSpecificationVersion: null,
        operatingSystemEdition: null,
        deviceFullQualifiedDomainName: null,
        deviceGuardVirtualizationBasedSecurityHardwareRequirementState:
          'meetHardwareRequirements',
        deviceGuardVirtualizationBasedSecurityState: 'running',
        deviceGuardLocalSystemAuthorityCredentialGuardState: 'running',
        osBuildNumber: null,
        operatingSystemProductType: 0,
        ipAddressV4: null,
        subnetAddress: null,
        sharedDeviceCachedUsers: [],
      },
      deviceActionResults: [],
      usersLoggedOn: f.loggedOn.map((ref, k) => ({
        userId: this.userRefId(ref),
        lastLogOnDateTime: isoMillis(
          lastSync - k * 3_600_000 - rng.int(3_600_000),
        ),
      })),
      // beta properties the HAR (2021) predates
      enrollmentProfileName:
        t.ownerType === 'company' && (apple || windows)
          ? rng.pick([null, 'Corporate ADE', 'Autopilot - Standard'])
          : null,
      bootstrapTokenEscrowed: t.deviceType === 'macMDM' && rng.chance(0.7),
      deviceFirmwareConfigurationInterfaceManaged: false,
    };
  }
}

/** Platform word Intune puts in managedDeviceName. */
const PLATFORM_WORD: Record<string, string> = {
  iPhone: 'IPhone',
  iPad: 'IPad',
  macMDM: 'MacOS',
  androidForWork: 'AndroidForWork',
  androidEnterprise: 'AndroidEnterprise',
  chromeOS: 'ChromeOS',
  linux: 'Linux',
};

const COMPLIANCE: Weighted = weighted([
  ['compliant', 75],
  ['noncompliant', 12],
  ['inGracePeriod', 4],
  ['unknown', 5],
  ['error', 1],
  ['conflict', 1],
]);
/** Co-managed (hybrid joined) devices may report compliance through Configuration Manager. */
const COMPLIANCE_COMANAGED: Weighted = weighted([
  ...COMPLIANCE.table,
  ['configManager', 3],
]);
const MANAGEMENT_STATES: Weighted = weighted([
  ['managed', 95],
  ['retireIssued', 2],
  ['retirePending', 1],
  ['wipePending', 1],
]);
/** Defender-onboarded devices can be merely discovered. */
const MANAGEMENT_STATES_MDE: Weighted = weighted([
  ...MANAGEMENT_STATES.table,
  ['discovered', 1],
]);

interface Weighted {
  table: [string, number][];
  weights: number[];
}

function weighted(table: [string, number][]): Weighted {
  return { table, weights: table.map(([, w]) => w) };
}

function pickWeighted(rng: Rng, w: Weighted): string {
  return w.table[rng.weighted(w.weights)][0];
}

/** Graph reports MACs as 12 hex digits without separators; Apple devices lower-case (HAR), others upper-case. */
function macAddress(rng: Rng, lower: boolean): string {
  const mac = rng.hex(12, !lower);
  return mac;
}

function serialNumber(rng: Rng, t: DeviceTemplate): string {
  if (t.model === 'Virtual Machine')
    return `${rng.digits(4)}-${rng.digits(4)}-${rng.digits(4)}-${rng.digits(
      4,
    )}-${rng.digits(4)}-${rng.digits(4)}-${rng.digits(2)}`;
  if (t.manufacturer.startsWith('VMware'))
    return `VMware-56 4d ${rng.hex(2)} ${rng.hex(2)} ${rng.hex(2)} ${rng.hex(
      2,
    )}`;
  if (t.manufacturer === 'Apple')
    return rng.hex(12, true).replace(/[01]/g, 'C');
  if (t.manufacturer === 'Dell Inc.') return rng.hex(7, true);
  if (t.manufacturer === 'LENOVO') return `PF${rng.hex(6, true)}`;
  if (t.manufacturer === '') return '';
  return rng.hex(10, true);
}
