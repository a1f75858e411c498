/**
 * Compliance policies, device configurations and their per-device statuses.
 *
 * Both sources work the same way: policy p is a template type; when assigned,
 * it has a status for a share of the managed devices (devices of its platform
 * mostly report real states, others notApplicable / notAssigned), plus
 * occasional verbatim repeats and statuses for devices managedDevices does not
 * list. Policies 0 and 1 of each source have fixed statuses on the coverage
 * devices so every device kind has a finding and every status value occurs.
 */
import { PlatformFamily } from './devices';
import { checkIndex } from './directory';
import { DeviceLabel, ManagedDevices } from './managed-devices';
import {
  Collection,
  GraphObject,
  PolicyFamilySource,
  ReportStatusRow,
} from './model';
import {
  IosCompliancePolicySettings,
  IosCustomConfigurationSettings,
  Windows10CompliancePolicySettings,
  Windows10GeneralConfigurationSettings,
} from './policy-settings';
import { COVERAGE_DEVICES, TenantProfile } from './profiles';
import {
  IdKind,
  NO_DATE,
  Rng,
  guid,
  guidIndex,
  hash,
  isoTicks,
  pastMs,
  rngFor,
  unit,
} from './random';
import { merge } from './objects';
import {
  SETTINGS_POLICY_TEMPLATES,
  settingsPolicyObject,
} from './settings-policy-templates';

// Local aliases: a global `Math` lookup is slow inside jest's vm sandbox (see random.ts).
const { max, min, round } = Math;

export const STATUS_VALUES = [
  'unknown',
  'notApplicable',
  'compliant',
  'remediated',
  'nonCompliant',
  'error',
  'conflict',
  'notAssigned',
] as const;
export type StatusValue = (typeof STATUS_VALUES)[number];

/** Real states reported by devices the policy targets. */
const TARGETED_WEIGHTS: Record<StatusValue, number> = {
  unknown: 6,
  notApplicable: 5,
  compliant: 60,
  remediated: 4,
  nonCompliant: 12,
  error: 4,
  conflict: 3,
  notAssigned: 6,
};

export interface PolicyTemplate {
  odataType: string;
  family: PlatformFamily;
  name: string;
  settings(rng: Rng): Record<string, unknown>;
}

const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const COMPLIANCE_TEMPLATES: readonly PolicyTemplate[] = [
  {
    odataType: 'windows10CompliancePolicy',
    family: 'windows',
    name: 'Windows 10/11 baseline compliance',
    settings: (rng) =>
      merge(Windows10CompliancePolicySettings, {
        passwordMinimumLength: rng.pick([null, 8, 12]),
        osMinimumVersion: rng.pick(['10.0.19044', '10.0.22621', '1']),
        bitLockerEnabled: rng.chance(0.8),
        secureBootEnabled: rng.chance(0.7),
        storageRequireEncryption: rng.chance(0.8),
      }),
  },
  {
    odataType: 'iosCompliancePolicy',
    family: 'ios',
    name: 'iOS compliance',
    settings: (rng) =>
      merge(IosCompliancePolicySettings, {
        passcodeRequired: rng.chance(0.8),
        passcodeMinimumLength: rng.pick([null, 6]),
        osMinimumVersion: rng.pick([null, '16.0', '17.0']),
        securityBlockJailbrokenDevices: rng.chance(0.9),
      }),
  },
  {
    odataType: 'androidWorkProfileCompliancePolicy',
    family: 'android',
    name: 'Android work profile compliance',
    settings: (rng) => ({
      passwordRequired: rng.chance(0.8),
      passwordMinimumLength: rng.pick([null, 6]),
      passwordRequiredType: 'deviceDefault',
      passwordMinutesOfInactivityBeforeLock: rng.pick([null, 5]),
      passwordExpirationDays: null,
      passwordPreviousPasswordBlockCount: null,
      passwordSignInFailureCountBeforeFactoryReset: null,
      securityPreventInstallAppsFromUnknownSources: true,
      securityDisableUsbDebugging: rng.chance(0.5),
      securityRequireVerifyApps: true,
      deviceThreatProtectionEnabled: false,
      deviceThreatProtectionRequiredSecurityLevel: 'unavailable',
      securityBlockJailbrokenDevices: true,
      osMinimumVersion: rng.pick([null, '12.0', '13.0']),
      osMaximumVersion: null,
      minAndroidSecurityPatchLevel: rng.pick([null, '2024-01-01']),
      storageRequireEncryption: true,
      securityRequireSafetyNetAttestationBasicIntegrity: rng.chance(0.5),
      securityRequireSafetyNetAttestationCertifiedDevice: false,
      securityRequireGooglePlayServices: true,
      securityRequireUpToDateSecurityProviders: false,
      securityRequireCompanyPortalAppIntegrity: false,
    }),
  },
  {
    odataType: 'macOSCompliancePolicy',
    family: 'macOS',
    name: 'macOS compliance',
    settings: (rng) => ({
      passwordRequired: rng.chance(0.8),
      passwordBlockSimple: false,
      passwordExpirationDays: null,
      passwordMinimumLength: rng.pick([null, 8]),
      passwordMinutesOfInactivityBeforeLock: rng.pick([null, 15]),
      passwordPreviousPasswordBlockCount: null,
      passwordMinimumCharacterSetCount: null,
      passwordRequiredType: 'deviceDefault',
      osMinimumVersion: rng.pick([null, '13.0', '14.0']),
      osMaximumVersion: null,
      systemIntegrityProtectionEnabled: true,
      deviceThreatProtectionEnabled: false,
      deviceThreatProtectionRequiredSecurityLevel: 'unavailable',
      storageRequireEncryption: rng.chance(0.9),
      firewallEnabled: rng.chance(0.8),
      firewallBlockAllIncoming: false,
      firewallEnableStealthMode: rng.chance(0.3),
    }),
  },
  {
    odataType: 'androidDeviceOwnerCompliancePolicy',
    family: 'android',
    name: 'Android fully managed compliance',
    settings: (rng) => ({
      deviceThreatProtectionEnabled: false,
      deviceThreatProtectionRequiredSecurityLevel: 'unavailable',
      advancedThreatProtectionRequiredSecurityLevel: 'unavailable',
      securityRequireSafetyNetAttestationBasicIntegrity: rng.chance(0.5),
      securityRequireSafetyNetAttestationCertifiedDevice: false,
      osMinimumVersion: rng.pick([null, '12.0']),
      osMaximumVersion: null,
      minAndroidSecurityPatchLevel: null,
      passwordRequired: true,
      passwordMinimumLength: 6,
      passwordRequiredType: 'numericComplex',
      passwordMinutesOfInactivityBeforeLock: 5,
      passwordExpirationDays: null,
      passwordPreviousPasswordCountToBlock: null,
      storageRequireEncryption: true,
      securityRequireIntuneAppIntegrity: false,
    }),
  },
];

const CONFIGURATION_TEMPLATES: readonly PolicyTemplate[] = [
  {
    odataType: 'windows10GeneralConfiguration',
    family: 'windows',
    name: 'Windows device restrictions',
    settings: (rng) =>
      merge(Windows10GeneralConfigurationSettings, {
        passwordRequired: rng.chance(0.5),
        screenCaptureBlocked: rng.chance(0.3),
        defenderRequireRealTimeMonitoring: rng.chance(0.8),
      }),
  },
  {
    odataType: 'iosCustomConfiguration',
    family: 'ios',
    name: 'iOS custom profile',
    settings: (rng) =>
      merge(IosCustomConfigurationSettings, {
        payloadName: rng.pick(['Wi-Fi profile', 'Restrictions', 'Web clip']),
        payloadFileName: rng.pick([
          'wifi.mobileconfig',
          'restrictions.mobileconfig',
        ]),
        payload: Buffer.from(`<plist>${rng.hex(16)}</plist>`).toString(
          'base64',
        ),
      }),
  },
  {
    odataType: 'windows10EndpointProtectionConfiguration',
    family: 'windows',
    name: 'Windows endpoint protection',
    settings: (rng) => ({
      firewallBlockStatefulFTP: null,
      firewallIdleTimeoutForSecurityAssociationInSeconds: null,
      firewallPreSharedKeyEncodingMethod: 'deviceDefault',
      firewallIPSecExemptionsAllowNeighborDiscovery: false,
      firewallIPSecExemptionsAllowICMP: false,
      firewallIPSecExemptionsAllowRouterDiscovery: false,
      firewallIPSecExemptionsAllowDHCP: false,
      firewallCertificateRevocationListCheckMethod: 'deviceDefault',
      firewallMergeKeyingModuleSettings: null,
      firewallPacketQueueingMethod: 'deviceDefault',
      firewallProfileDomain: null,
      firewallProfilePublic: null,
      firewallProfilePrivate: null,
      defenderAttackSurfaceReductionExcludedPaths: [],
      defenderGuardedFoldersAllowedAppPaths: [],
      defenderAdditionalGuardedFolders: [],
      defenderExploitProtectionXml: null,
      defenderExploitProtectionXmlFileName: null,
      defenderSecurityCenterBlockExploitProtectionOverride: false,
      appLockerApplicationControl: 'notConfigured',
      smartScreenEnableInShell: rng.chance(0.7),
      smartScreenBlockOverrideForFiles: false,
      applicationGuardEnabled: rng.chance(0.2),
      applicationGuardBlockFileTransfer: 'notConfigured',
      applicationGuardBlockNonEnterpriseContent: false,
      applicationGuardAllowPersistence: false,
      applicationGuardForceAuditing: false,
      applicationGuardBlockClipboardSharing: 'notConfigured',
      applicationGuardAllowPrintToPDF: false,
      applicationGuardAllowPrintToXPS: false,
      applicationGuardAllowPrintToLocalPrinters: false,
      applicationGuardAllowPrintToNetworkPrinters: false,
      bitLockerDisableWarningForOtherDiskEncryption: true,
      bitLockerEnableStorageCardEncryptionOnMobile: false,
      bitLockerEncryptDevice: rng.chance(0.9),
      bitLockerRemovableDrivePolicy: {
        encryptionMethod: null,
        requireEncryptionForWriteAccess: false,
        blockCrossOrganizationWriteAccess: false,
      },
    }),
  },
  {
    odataType: 'macOSGeneralDeviceConfiguration',
    family: 'macOS',
    name: 'macOS device restrictions',
    settings: (rng) => ({
      compliantAppsList: [],
      compliantAppListType: 'none',
      emailInDomainSuffixes: [],
      passwordBlockSimple: false,
      passwordExpirationDays: null,
      passwordMinimumCharacterSetCount: null,
      passwordMinimumLength: rng.pick([null, 8]),
      passwordMinutesOfInactivityBeforeLock: null,
      passwordMinutesOfInactivityBeforeScreenTimeout: rng.pick([null, 10]),
      passwordPreviousPasswordBlockCount: null,
      passwordRequiredType: 'deviceDefault',
      passwordRequired: rng.chance(0.6),
    }),
  },
  {
    odataType: 'androidWorkProfileGeneralDeviceConfiguration',
    family: 'android',
    name: 'Android work profile restrictions',
    settings: (rng) => ({
      passwordBlockFingerprintUnlock: false,
      passwordBlockTrustAgents: false,
      passwordExpirationDays: null,
      passwordMinimumLength: rng.pick([null, 6]),
      passwordMinutesOfInactivityBeforeScreenTimeout: null,
      passwordPreviousPasswordBlockCount: null,
      passwordSignInFailureCountBeforeFactoryReset: null,
      passwordRequiredType: 'deviceDefault',
      workProfileDataSharingType: 'deviceDefault',
      workProfileBlockNotificationsWhileDeviceLocked: false,
      workProfileBlockAddingAccounts: false,
      workProfileBluetoothEnableContactSharing: false,
      workProfileBlockScreenCapture: rng.chance(0.5),
      workProfileBlockCrossProfileCallerId: false,
      workProfileBlockCamera: false,
      workProfileBlockCrossProfileContactsSearch: false,
      workProfileBlockCrossProfileCopyPaste: rng.chance(0.7),
      workProfileDefaultAppPermissionPolicy: 'deviceDefault',
      securityRequireVerifyApps: true,
    }),
  },
  {
    odataType: 'windows10CustomConfiguration',
    family: 'windows',
    name: 'Windows custom OMA-URI',
    settings: (rng) => ({
      omaSettings: [
        {
          '@odata.type': '#microsoft.graph.omaSettingInteger',
          displayName: 'Disable consumer features',
          description: null,
          omaUri:
            './Device/Vendor/MSFT/Policy/Config/Experience/AllowWindowsConsumerFeatures',
          value: rng.int(2),
        },
      ],
    }),
  },
  {
    odataType: 'iosGeneralDeviceConfiguration',
    family: 'ios',
    name: 'iOS device restrictions',
    settings: (rng) => ({
      accountBlockModification: false,
      activationLockAllowWhenSupervised: rng.chance(0.5),
      airDropBlocked: rng.chance(0.3),
      airDropForceUnmanagedDropTarget: false,
      airPlayForcePairingPasswordForOutgoingRequests: false,
      appleWatchBlockPairing: false,
      appleWatchForceWristDetection: false,
      appleNewsBlocked: false,
      appStoreBlocked: false,
      cameraBlocked: false,
      passcodeBlockSimple: true,
      passcodeExpirationDays: null,
      passcodeMinimumLength: rng.pick([null, 6]),
      passcodeRequired: rng.chance(0.8),
      passcodeRequiredType: 'deviceDefault',
      safariBlockAutofill: false,
      screenCaptureBlocked: false,
    }),
  },
];

// ---- issue 15: families read through report actions --------------------------------

/**
 * Administrative templates (beta groupPolicyConfigurations): ADMX settings for
 * Windows. The list item is a groupPolicyConfiguration
 * (learn.microsoft.com/graph/api/resources/intune-grouppolicy-grouppolicyconfiguration:
 * id, displayName, description, createdDateTime, lastModifiedDateTime,
 * roleScopeTagIds, policyConfigurationIngestionType); not polymorphic, so no
 * `@odata.type` on the items. `odataType` here only names the kind.
 */
const ADMINISTRATIVE_TEMPLATES: readonly PolicyTemplate[] = [
  {
    odataType: 'groupPolicyConfiguration',
    family: 'windows',
    name: 'Edge security baseline (ADMX)',
    settings: () => ({ policyConfigurationIngestionType: 'builtIn' }),
  },
  {
    odataType: 'groupPolicyConfiguration',
    family: 'windows',
    name: 'Office macro settings (ADMX)',
    settings: (rng) => ({
      policyConfigurationIngestionType: rng.pick(['builtIn', 'mixed']),
    }),
  },
  {
    odataType: 'groupPolicyConfiguration',
    family: 'windows',
    name: 'Imported line-of-business ADMX',
    settings: () => ({ policyConfigurationIngestionType: 'custom' }),
  },
];

/**
 * Settings compliance policies (beta compliancePolicies), Linux here: a
 * deviceManagementCompliancePolicy
 * (learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementcompliancepolicy:
 * id, name (not displayName), description, platforms, technologies,
 * createdDateTime, lastModifiedDateTime, settingCount, creationSource,
 * roleScopeTagIds, isAssigned). The generated fleet has no Linux device, so
 * every status outside the coverage devices is notApplicable, as Intune
 * reports a policy of another platform.
 */
const SETTINGS_COMPLIANCE_TEMPLATES: readonly PolicyTemplate[] = [
  {
    odataType: 'deviceManagementCompliancePolicy',
    family: 'unknown',
    name: 'Linux baseline compliance',
    settings: (rng) => ({ settingCount: 3 + rng.int(6) }),
  },
  {
    odataType: 'deviceManagementCompliancePolicy',
    family: 'unknown',
    name: 'Linux disk encryption compliance',
    settings: () => ({ settingCount: 2 }),
  },
];

const TEMPLATES: Record<PolicyFamilySource, readonly PolicyTemplate[]> = {
  compliance: COMPLIANCE_TEMPLATES,
  configuration: CONFIGURATION_TEMPLATES,
  administrativeTemplate: ADMINISTRATIVE_TEMPLATES,
  settingsCompliance: SETTINGS_COMPLIANCE_TEMPLATES,
  // issue 15: settingsCatalog / endpointSecurity
  settings: SETTINGS_POLICY_TEMPLATES,
};

/** issue 15: how many policies of each family a profile has, and their id kind. */
const FAMILY_COUNT: Record<
  PolicyFamilySource,
  (intune: NonNullable<TenantProfile['intune']>) => number
> = {
  compliance: (intune) => intune.compliancePolicies,
  configuration: (intune) => intune.deviceConfigurations,
  administrativeTemplate: (intune) => intune.administrativeTemplates ?? 0,
  settingsCompliance: (intune) => intune.settingsCompliancePolicies ?? 0,
  settings: (intune) => intune.settingsPolicies ?? 0, // issue 15
};

const FAMILY_KIND: Record<PolicyFamilySource, number> = {
  compliance: IdKind.compliancePolicy,
  configuration: IdKind.deviceConfiguration,
  administrativeTemplate: IdKind.administrativeTemplate,
  settingsCompliance: IdKind.settingsCompliancePolicy,
  settings: IdKind.settingsPolicy, // issue 15
};

/** Families whose coverage devices are noncompliant (compliance) rather than in error / conflict. */
function isComplianceFamily(source: PolicyFamilySource): boolean {
  return source === 'compliance' || source === 'settingsCompliance';
}

/** One deviceStatuses item before rendering: a managed device (>= 0) or stale device k (-1 - k). */
export interface StatusFact {
  device: number;
  status: StatusValue;
  /** Graph repeats the item right after this one. */
  repeated: boolean;
  /**
   * A second row for the device from "System account", with this state
   * (AnomalyProfile.systemAccountStatusShare); before the user's row when
   * `systemAccountFirst`.
   */
  systemAccount?: StatusValue;
  systemAccountFirst?: boolean;
}

// ---- issue 15: assignments ---------------------------------------------------------

/** The groups a policy can be assigned to: /groups, and groups deleted since (ghosts). */
export interface AssignableGroups {
  count: number;
  id(index: number): string;
  /** Ids of groups deleted since /groups was read; an assignment may still name them. */
  ghostIds: string[];
}

const NO_GROUPS: AssignableGroups = { count: 0, id: () => '', ghostIds: [] };

/**
 * One assignment of a policy, before rendering. Target `@odata.type`s as the
 * deviceAndAppManagementAssignmentTarget docs list them
 * (learn.microsoft.com/graph/api/resources/intune-shared-deviceandappmanagementassignmenttarget):
 * groupAssignmentTarget, exclusionGroupAssignmentTarget (groupId),
 * allDevicesAssignmentTarget, allLicensedUsersAssignmentTarget; every
 * target carries deviceAndAppManagementAssignmentFilterId / ...FilterType
 * (none, include, exclude).
 */
export interface AssignmentFact {
  target: 'group' | 'exclusionGroup' | 'allDevices' | 'allLicensedUsers';
  groupId?: string;
  /** The group was deleted since /groups was read (a mapped relationship). */
  ghost?: boolean;
  filterId?: string;
  filterType: 'none' | 'include' | 'exclude';
}

/**
 * The ids Intune gives the two virtual groups; an assignment's id is
 * `{policyId}_{groupId}` (shape seen in public captures; UNCONFIRMED, and
 * never parsed by the integration).
 */
const ALL_LICENSED_USERS_ID = 'acacacac-9df4-4c7d-9d50-4ef0226f57a9';
const ALL_DEVICES_ID = 'adadadad-808e-44e2-905a-0b7873a8a531';

const TARGET_TYPES: Record<AssignmentFact['target'], string> = {
  group: '#microsoft.graph.groupAssignmentTarget',
  exclusionGroup: '#microsoft.graph.exclusionGroupAssignmentTarget',
  allDevices: '#microsoft.graph.allDevicesAssignmentTarget',
  allLicensedUsers: '#microsoft.graph.allLicensedUsersAssignmentTarget',
};

const SALT_ASSIGNMENT = 67;

/** The order in which a device's rows decide its state (docs/compliance.md). */
const OVERVIEW_SEVERITY: readonly StatusValue[] = [
  'nonCompliant',
  'error',
  'conflict',
  'unknown',
  'remediated',
  'compliant',
  'notApplicable',
  'notAssigned',
];

/** The name Intune gives the device-context principal of a status row. */
export const SYSTEM_ACCOUNT = 'System account';

const SALT_ASSIGNED = 61;
const SALT_SYSTEM = 66;
const SALT_COVERED = 62;
const SALT_STATUS = 63;
const SALT_REPEAT = 64;
const SALT_STALE = 65;

export class Policies {
  readonly count: number;
  readonly collection: Collection;
  private readonly seed: number;
  private readonly kind: number;

  constructor(
    private readonly source: PolicyFamilySource,
    private readonly profile: TenantProfile,
    private readonly devices: ManagedDevices,
    private readonly intuneAccountId: string,
    private readonly groups: AssignableGroups = NO_GROUPS,
  ) {
    this.seed = profile.seed;
    const intune = profile.intune;
    this.count = !intune ? 0 : FAMILY_COUNT[source](intune);
    this.kind = FAMILY_KIND[source];
    this.collection = {
      count: this.count,
      get: (i) => this.object(checkIndex(i, this.count)),
    };
  }

  id(index: number): string {
    return guid(this.seed, this.kind, index);
  }

  /** issue 15: which family these policies are. */
  get family(): PolicyFamilySource {
    return this.source;
  }

  /** issue 15: a compliance family (its entities are intune_compliance_policy). */
  get isCompliance(): boolean {
    return isComplianceFamily(this.source);
  }

  indexOf(id: string): number {
    return guidIndex(this.seed, this.kind, id, this.count);
  }

  template(index: number): PolicyTemplate {
    const templates = TEMPLATES[this.source];
    return templates[
      index < templates.length
        ? index
        : hash(this.seed, this.kind, index, 1) % templates.length
    ];
  }

  /** Policies 0 and 1 always have statuses; the last one (of 3 or more) never does. */
  assigned(index: number): boolean {
    if (index < 2) return true;
    if (this.count >= 3 && index === this.count - 1) return false;
    return (
      unit(this.seed, SALT_ASSIGNED, this.kind, index) >=
      (this.profile.intune?.unassignedPolicyShare ?? 0)
    );
  }

  object(index: number): GraphObject {
    const t = this.template(index);
    const rng = rngFor(this.seed, this.kind, index, 1);
    // issue 15: deviceManagementConfigurationPolicy, another shape altogether
    if (this.source === 'settings')
      return settingsPolicyObject(
        this.id(index),
        index,
        t,
        rng,
        this.assigned(index),
      );
    const created = pastMs(rng, 30, 900);
    const modified = created + rng.int(30) * 86_400_000;
    const version = 1 + rng.int(5);
    const description = rng.chance(0.4)
      ? null
      : `${t.name} for ${this.profile.displayName}`;
    const displayName =
      index < TEMPLATES[this.source].length ? t.name : `${t.name} ${index + 1}`;
    if (this.source === 'administrativeTemplate') {
      return {
        id: this.id(index),
        displayName,
        description,
        createdDateTime: isoTicks(created, rng),
        lastModifiedDateTime: isoTicks(modified, rng),
        roleScopeTagIds: ['0'],
        ...t.settings(rng),
      };
    }
    if (this.source === 'settingsCompliance') {
      return {
        id: this.id(index),
        name: displayName,
        description,
        platforms: 'linux',
        technologies: 'linuxMdm',
        createdDateTime: isoTicks(created, rng),
        lastModifiedDateTime: isoTicks(modified, rng),
        creationSource: null,
        roleScopeTagIds: ['0'],
        isAssigned: this.assignmentFacts(index).length > 0,
        ...t.settings(rng),
      };
    }
    const head: GraphObject =
      this.source === 'compliance'
        ? {
            '@odata.type': `#microsoft.graph.${t.odataType}`,
            id: this.id(index),
            createdDateTime: isoTicks(created, rng),
            description,
            lastModifiedDateTime: isoTicks(modified, rng),
            displayName,
            version,
          }
        : {
            '@odata.type': `#microsoft.graph.${t.odataType}`,
            id: this.id(index),
            lastModifiedDateTime: isoTicks(modified, rng),
            createdDateTime: isoTicks(created, rng),
            description,
            displayName,
            version,
          };
    // settings are copied through JSON: the recorded defaults hold arrays that must not be shared
    return merge(head, cloneJson(t.settings(rng)));
  }

  /**
   * The assignments of policy `index` ([] when unassigned). Policies 0-2
   * cover every case: 0 includes a group through an include filter,
   * excludes another and includes a deleted group; 1 is assigned to all
   * devices through an exclude filter, includes a group and excludes a
   * deleted group; 2 is assigned to all licensed users and a group. The
   * others include one group, sometimes exclude another, sometimes all
   * devices, sometimes through a filter.
   */
  assignmentFacts(index: number): AssignmentFact[] {
    const g = this.groups;
    if (!this.profile.intune || !this.assigned(index) || g.count === 0)
      return [];
    const group = (n: number) => g.id(n % g.count);
    const ghost = g.ghostIds[0];
    const filter = (k: number) =>
      guid(this.seed, IdKind.assignmentFilter, (this.kind * 1000 + k) % 7);
    const facts: AssignmentFact[] = [];
    const include = (n: number, filterType: AssignmentFact['filterType']) =>
      facts.push({
        target: 'group',
        groupId: group(n),
        filterType,
        filterId: filterType === 'none' ? undefined : filter(n),
      });
    const exclude = (n: number) => {
      if (facts.some((f) => f.groupId === group(n))) return;
      facts.push({
        target: 'exclusionGroup',
        groupId: group(n),
        filterType: 'none',
      });
    };
    switch (index) {
      case 0:
        include(0, 'include');
        exclude(1);
        if (ghost)
          facts.push({
            target: 'group',
            groupId: ghost,
            ghost: true,
            filterType: 'none',
          });
        break;
      case 1:
        facts.push({
          target: 'allDevices',
          filterType: 'exclude',
          filterId: filter(100),
        });
        include(2, 'none');
        if (ghost)
          facts.push({
            target: 'exclusionGroup',
            groupId: ghost,
            ghost: true,
            filterType: 'none',
          });
        break;
      case 2:
        facts.push({ target: 'allLicensedUsers', filterType: 'none' });
        include(3, 'none');
        break;
      default: {
        const rng = rngFor(this.seed, this.kind, index, SALT_ASSIGNMENT);
        include(index, rng.chance(0.3) ? 'include' : 'none');
        if (rng.chance(0.5)) exclude(index + 3);
        if (rng.chance(0.3))
          facts.push({ target: 'allDevices', filterType: 'none' });
      }
    }
    return facts;
  }

  /**
   * The policy's `assignments` as `$expand=assignments` inlines them
   * (deviceCompliancePolicyAssignment / deviceConfigurationAssignment:
   * `id` and `target`; learn.microsoft.com/graph/api/resources/
   * intune-deviceconfig-devicecompliancepolicyassignment).
   */
  assignments(index: number): GraphObject[] {
    const policyId = this.id(index);
    return this.assignmentFacts(index).map((fact) => {
      const targetId =
        fact.groupId ??
        (fact.target === 'allDevices' ? ALL_DEVICES_ID : ALL_LICENSED_USERS_ID);
      const target: GraphObject = {
        '@odata.type': TARGET_TYPES[fact.target],
        deviceAndAppManagementAssignmentFilterId: fact.filterId ?? null,
        deviceAndAppManagementAssignmentFilterType: fact.filterType,
      };
      if (fact.groupId) target.groupId = fact.groupId;
      return { id: `${policyId}_${targetId}`, target };
    });
  }

  /** The statuses of policy `index` in Graph's order, before rendering ([] when unassigned). */
  statusFacts(index: number): StatusFact[] {
    const intune = this.profile.intune;
    if (!intune || !this.assigned(index)) return [];
    const a = this.profile.anomalies;
    const family = this.template(index).family;
    const facts: StatusFact[] = [];
    for (let d = 0; d < this.devices.count; d++) {
      let status: StatusValue;
      if (index < 2 && d < COVERAGE_DEVICES) {
        status = this.coverageStatus(index, d);
      } else if (
        unit(this.seed, SALT_COVERED, this.kind * 100_000 + index, d) <
        intune.statusCoverage
      ) {
        const r = unit(this.seed, SALT_STATUS, this.kind * 100_000 + index, d);
        status =
          this.devices.family(d) === family
            ? weightedStatus(r)
            : r < 0.85
            ? 'notApplicable'
            : 'notAssigned';
      } else continue;
      status = this.expressible(status);
      const repeated =
        unit(this.seed, SALT_REPEAT, this.kind * 100_000 + index, d) <
        a.duplicateStatusShare;
      const fact: StatusFact = { device: d, status, repeated };
      const s = unit(this.seed, SALT_SYSTEM, this.kind * 100_000 + index, d);
      // Coverage devices of policy 1 always have one, so small tenants see it.
      if (
        (index === 1 && d < COVERAGE_DEVICES) ||
        s < a.systemAccountStatusShare
      ) {
        fact.systemAccount = this.expressible(systemAccountStatus(status, d));
        fact.systemAccountFirst = (d + index) % 2 === 0;
      }
      facts.push(fact);
    }
    const stale = this.devices.staleDeviceCount;
    if (stale > 0 && a.unknownDeviceStatusShare > 0 && facts.length > 0) {
      let n = round(facts.length * a.unknownDeviceStatusShare);
      if (index === 0) n = max(1, n);
      n = min(n, stale);
      const start = hash(this.seed, SALT_STALE, this.kind, index) % stale;
      for (let k = 0; k < n; k++) {
        const at =
          hash(this.seed, SALT_STALE, this.kind, index, k + 1) %
          (facts.length + 1);
        const status = this.expressible(
          STATUS_VALUES[
            hash(this.seed, SALT_STATUS, this.kind, index, k) %
              STATUS_VALUES.length
          ],
        );
        facts.splice(at, 0, {
          device: -1 - ((start + k) % stale),
          status,
          repeated: false,
        });
      }
    }
    return facts;
  }

  /**
   * issue 15: the states a family's report can say. A per-policy report lists
   * the devices the policy targets, so never notAssigned (notApplicable
   * instead); the compliance report's PolicyStatus has no remediated
   * (compliant instead: intune-exports.md §2.4 codes 1-7).
   */
  private expressible(status: StatusValue): StatusValue {
    if (this.source === 'compliance' || this.source === 'configuration')
      return status;
    if (status === 'notAssigned') return 'notApplicable';
    if (this.source === 'settingsCompliance' && status === 'remediated')
      return 'compliant';
    return status;
  }

  /**
   * issue 15: a report family's per-device rows, in Graph's order: the
   * user's row, "System account"'s row (UPN empty) before or after it, and
   * a row Graph repeats, as the deviceStatuses of the v1.0 families.
   */
  reportRows(policyId: string): ReportStatusRow[] | undefined {
    return this.inGraphOrder(
      policyId,
      (fact, label, item) => {
        const row: ReportStatusRow = {
          deviceId: label.id,
          deviceName: label.deviceName,
          userPrincipalName: label.userPrincipalName ?? '',
          userName: label.userDisplayName ?? '',
          userId: label.userId ?? '',
          status: fact.status,
          lastReported: String(item.lastReportedDateTime),
        };
        const system: ReportStatusRow | undefined = fact.systemAccount
          ? {
              ...row,
              userPrincipalName: '',
              userName: SYSTEM_ACCOUNT,
              userId: '',
              status: fact.systemAccount,
            }
          : undefined;
        return { row, system };
      },
      (row) => ({ ...row }),
    );
  }

  /**
   * A policy's rows in Graph's order ([] when unassigned, undefined for an
   * unknown policy): per fact its row, its "System account" row before or
   * after it, and the row again when Graph repeats it.
   */
  private inGraphOrder<T>(
    policyId: string,
    render: (
      fact: StatusFact,
      label: DeviceLabel,
      item: GraphObject,
    ) => { row: T; system?: T },
    copy: (row: T) => T,
  ): T[] | undefined {
    const index = this.indexOf(policyId);
    if (index < 0) return undefined;
    const rows: T[] = [];
    for (const fact of this.statusFacts(index)) {
      const label =
        fact.device >= 0
          ? this.devices.label(fact.device)
          : this.devices.staleLabel(-1 - fact.device);
      const { row, system } = render(
        fact,
        label,
        this.statusItem(policyId, label, fact),
      );
      if (system && fact.systemAccountFirst) rows.push(system);
      rows.push(row);
      if (fact.repeated) rows.push(copy(row));
      if (system && !fact.systemAccountFirst) rows.push(system);
    }
    return rows;
  }

  /**
   * issue 15: the policy's deviceStatusOverview before rendering: how many
   * managed devices (not the stale ones the list also names) end in each
   * state, a device's state being its worst row, as the integration decides
   * (docs/compliance.md); notAssigned devices are not counted.
   */
  statusOverview(index: number): Record<StatusValue, number> {
    const worst = new Map<number, StatusValue>();
    const rank = (v: StatusValue) => OVERVIEW_SEVERITY.indexOf(v);
    for (const fact of this.statusFacts(index)) {
      if (fact.device < 0) continue;
      for (const value of [fact.status, fact.systemAccount]) {
        if (!value) continue;
        const before = worst.get(fact.device);
        if (before === undefined || rank(value) < rank(before))
          worst.set(fact.device, value);
      }
    }
    const counts = Object.fromEntries(
      STATUS_VALUES.map((v) => [v, 0]),
    ) as Record<StatusValue, number>;
    for (const value of worst.values()) counts[value]++;
    return counts;
  }

  /**
   * Policy 0: a finding on every coverage device (nonCompliant; error / conflict for
   * configurations). Policy 1: every status value in turn.
   */
  private coverageStatus(index: number, device: number): StatusValue {
    if (index === 1) return STATUS_VALUES[device % STATUS_VALUES.length];
    if (this.source === 'settings')
      return (['nonCompliant', 'error', 'conflict'] as const)[device % 3];
    if (isComplianceFamily(this.source)) return 'nonCompliant';
    return device % 2 === 0 ? 'error' : 'conflict';
  }

  deviceStatuses(policyId: string): GraphObject[] | undefined {
    return this.inGraphOrder(
      policyId,
      (fact, label, item) => {
        const system = fact.systemAccount
          ? this.statusItem(policyId, label, {
              ...fact,
              status: fact.systemAccount,
            })
          : undefined;
        if (system) {
          system.userName = SYSTEM_ACCOUNT;
          system.userPrincipalName = '';
        }
        return { row: item, system };
      },
      cloneJson,
    );
  }

  private statusItem(
    policyId: string,
    device: DeviceLabel,
    fact: StatusFact,
  ): GraphObject {
    const rng = new Rng(
      hash(
        this.seed,
        SALT_STATUS,
        parseInt(policyId.slice(0, 8), 16),
        parseInt(device.id.slice(0, 8), 16),
      ),
    );
    const reported = pastMs(rng, 0, 20);
    const grace =
      fact.status === 'nonCompliant'
        ? isoTicks(reported + 3 * 86_400_000, rng)
        : NO_DATE;
    const item: GraphObject = {
      id: `${this.intuneAccountId}_${policyId}_${device.id}`,
      deviceDisplayName: device.deviceName,
      userName: device.userDisplayName,
      deviceModel: null,
    };
    // beta compliance statuses carry an (undocumented-value) platform number; v1.0 configuration ones do not
    if (this.source === 'compliance') item.platform = 0;
    item.complianceGracePeriodExpirationDateTime = grace;
    item.status = fact.status;
    item.lastReportedDateTime = isoTicks(reported, rng);
    item.userPrincipalName = device.userPrincipalName;
    return item;
  }
}

/**
 * The System account's state beside the user's: most often the user's own,
 * else an error (the BitLocker case of IntuneDocs #2661) or compliant, so
 * that the two rows disagree in both directions.
 */
function systemAccountStatus(user: StatusValue, device: number): StatusValue {
  const choices: StatusValue[] = ['error', 'compliant', 'nonCompliant'];
  const pick = choices[device % choices.length];
  return pick === user ? choices[(device + 1) % choices.length] : pick;
}

function weightedStatus(r: number): StatusValue {
  const total = STATUS_VALUES.reduce((s, v) => s + TARGETED_WEIGHTS[v], 0);
  let x = r * total;
  for (const v of STATUS_VALUES) {
    x -= TARGETED_WEIGHTS[v];
    if (x < 0) return v;
  }
  return 'compliant';
}
