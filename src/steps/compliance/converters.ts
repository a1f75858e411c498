/**
 * Pure conversions of Intune compliance policies, device configurations and
 * their per-device statuses into entities and relationships
 * (docs/data-model-rules.md "Compliance", docs/compliance.md).
 */
import {
  createIntegrationEntity,
  Entity,
  Relationship,
  RelationshipClass,
  StepEntityMetadata,
} from '@jupiterone/integration-sdk-core';
import {
  IntunePolicy,
  PolicyDeviceStatus,
  PolicySource,
} from '../../graph/compliance';
import { deviceKey, hostAgentKey } from '../intune-devices/keys';
import { DeviceKind, Entities } from '../constants';
import { presentString, toEpochMs, withoutUndefined } from '../convert';
import { directRelationship } from '../graph-objects';
import { securitySettingsOf } from './security-settings';
import { assignmentPropertiesOf, targetsOf } from './assignments';
// issue 15: administrativeTemplate, settingsCompliance
import {
  familyPropertiesOf,
  KIND_WITHOUT_ODATA_TYPE,
  platformOfFamily,
  POLICY_FAMILY,
} from './policy-families';
import { PolicySummary } from './policy-summary';
import {
  settingsPolicyPropertiesOf,
  summarizeSettingsPolicy,
} from './settings-policy-converters';

// ---- policies ------------------------------------------------------------------------

const ODATA_TYPE_PREFIX = '#microsoft.graph.';

/** `#microsoft.graph.windows10CompliancePolicy` -> `windows10CompliancePolicy`. */
export function policyKindOf(
  policy: Pick<IntunePolicy, '@odata.type'>,
): string {
  const type = policy['@odata.type'];
  if (typeof type !== 'string' || !type) return 'unknown';
  return type.startsWith(ODATA_TYPE_PREFIX)
    ? type.slice(ODATA_TYPE_PREFIX.length)
    : type.replace(/^#/, '');
}

/** Kinds whose name does not start with their platform. */
const PLATFORM_OF_KIND: Record<string, string> = {
  editionUpgradeConfiguration: 'windows',
  sharedPCConfiguration: 'windows',
  deviceComanagementAuthorityConfiguration: 'windows',
};

/**
 * The platform family a policy kind targets, from the kind's name. Families
 * as in data-model-rules.md (android, ios, macOS, windows), plus
 * windowsPhone, linux, chromeOS, and unknown when the kind does not say
 * (e.g. the tenant's defaultDeviceCompliancePolicy, appleVpnConfiguration,
 * which serves iOS and macOS).
 */
export function platformOfPolicyKind(kind: string): string {
  if (PLATFORM_OF_KIND[kind]) return PLATFORM_OF_KIND[kind];
  const k = kind.toLowerCase();
  if (k.startsWith('android') || k.startsWith('aosp')) return 'android';
  if (k.startsWith('ios')) return 'ios';
  if (k.startsWith('macos')) return 'macOS';
  if (k.startsWith('windowsphone')) return 'windowsPhone';
  if (k.startsWith('windows') || k.startsWith('win32')) return 'windows';
  if (k.startsWith('linux')) return 'linux';
  if (k.startsWith('chromeos')) return 'chromeOS';
  return 'unknown';
}

export type { PolicySummary } from './policy-summary';

export const POLICY_ENTITIES: Record<PolicySource, StepEntityMetadata> = {
  compliancePolicy: Entities.COMPLIANCE_POLICY,
  deviceConfiguration: Entities.DEVICE_CONFIGURATION,
  // issue 15: administrativeTemplate, settingsCompliance
  groupPolicyConfiguration: Entities.DEVICE_CONFIGURATION,
  settingsCompliancePolicy: Entities.COMPLIANCE_POLICY,
  // issue 15: settingsCatalog / endpointSecurity are configurations
  settingsPolicy: Entities.DEVICE_CONFIGURATION,
};

/** ControlPolicy `category` (enum compliance, config, password, other). */
const POLICY_CATEGORY: Record<PolicySource, string> = {
  compliancePolicy: 'compliance',
  deviceConfiguration: 'config',
  // issue 15
  groupPolicyConfiguration: 'config',
  settingsCompliancePolicy: 'compliance',
  settingsPolicy: 'config', // issue 15
};

export function summarizePolicy(
  source: PolicySource,
  policy: IntunePolicy,
): PolicySummary {
  // issue 15: a configurationPolicy has no @odata.type and names itself `name`
  if (source === 'settingsPolicy') return summarizeSettingsPolicy(policy);
  const kind = policy['@odata.type']
    ? policyKindOf(policy)
    : KIND_WITHOUT_ODATA_TYPE[source] ?? policyKindOf(policy);
  return {
    source,
    id: policy.id,
    key: policy.id,
    _type: POLICY_ENTITIES[source]._type,
    // issue 15: settings compliance policies have `name`, not displayName.
    name:
      policy.displayName ||
      (typeof policy.name === 'string' && policy.name) ||
      policy.id,
    kind,
    platform: platformOfFamily(source, policy) ?? platformOfPolicyKind(kind),
    family: POLICY_FAMILY[source],
  };
}

/** What the step counted for one policy while reading its statuses. */
export interface PolicyTally {
  /** Host agents ASSIGNED the policy (statuses of managed devices, except notAssigned). */
  assignedDevices: number;
  /** Open findings it IDENTIFIED. */
  findings: number;
}

/**
 * A compliance policy or device configuration entity. Emitted after its
 * statuses were read, so that it carries how many devices it is assigned to:
 * `assignedDeviceCount` 0 is an unassigned policy (or one whose devices all
 * left), which is worth seeing.
 */
export function toPolicyEntity(
  source: PolicySource,
  policy: IntunePolicy,
  tally: PolicyTally,
): Entity {
  const summary = summarizePolicy(source, policy);
  const metadata = POLICY_ENTITIES[source];
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        ...(source === 'settingsPolicy'
          ? settingsPolicyPropertiesOf(policy) // issue 15
          : securitySettingsOf(policy)),
        policyFamily: summary.family, // issue 15
        _key: summary.key,
        _type: metadata._type,
        _class: metadata._class,
        id: policy.id,
        name: summary.name,
        displayName: summary.name,
        description: policy.description || undefined,
        category: POLICY_CATEGORY[source],
        kind: summary.kind,
        platform: summary.platform,
        version:
          typeof policy.version === 'number' ? policy.version : undefined,
        createdOn: toEpochMs(policy.createdDateTime),
        updatedOn: toEpochMs(policy.lastModifiedDateTime),
        assignedDeviceCount: tally.assignedDevices,
        openFindingCount: tally.findings,
        ...familyPropertiesOf(source, policy), // issue 15
        // Only when Graph returned the assignments: no answer is not "none".
        ...(Array.isArray(policy.assignments)
          ? assignmentPropertiesOf(targetsOf(policy))
          : {}),
      },
    },
  });
}

// ---- findings ------------------------------------------------------------------------

export function findingKey(policyId: string, managedDeviceId: string): string {
  return `${Entities.NONCOMPLIANCE_FINDING._type}:${policyId}:${managedDeviceId}`;
}

export type Severity = 'low' | 'medium' | 'high';

export const NUMERIC_SEVERITY: Record<Severity, number> = {
  low: 3,
  medium: 5,
  high: 7,
};

/**
 * How much a failing policy kind matters:
 * - compliance: every compliance policy (the bar a device must meet, usually
 *   enforced by Conditional Access);
 * - protection: configuration profiles that switch protections on (endpoint
 *   protection: BitLocker, firewall, Defender; Defender for Endpoint
 *   onboarding; identity protection; OS update rings);
 * - general: every other configuration profile (restrictions, Wi-Fi, VPN,
 *   email, certificates, custom...).
 */
export type PolicyTier = 'compliance' | 'protection' | 'general';

const PROTECTION_KIND =
  /endpointprotection|threatprotection|defender|identityprotection|bitlocker|firewall|updateforbusiness|softwareupdate|updateconfiguration/i;

export function policyTierOf(source: PolicySource, kind: string): PolicyTier {
  if (POLICY_CATEGORY[source] === 'compliance') return 'compliance';
  // issue 15: every endpoint security template protects (its kind is its templateFamily)
  if (source === 'settingsPolicy' && kind.startsWith('endpointSecurity'))
    return 'protection';
  return PROTECTION_KIND.test(kind) ? 'protection' : 'general';
}

/** Severity by policy tier x status (docs/compliance.md). */
export const SEVERITY_BY_TIER: Record<
  PolicyTier,
  Record<'nonCompliant' | 'error' | 'conflict', Severity>
> = {
  compliance: { nonCompliant: 'high', error: 'medium', conflict: 'medium' },
  protection: { nonCompliant: 'high', error: 'medium', conflict: 'medium' },
  general: { nonCompliant: 'medium', error: 'low', conflict: 'low' },
};

export function severityOf(
  source: PolicySource,
  kind: string,
  status: string,
): { severity: Severity; numericSeverity: number } {
  const byStatus = SEVERITY_BY_TIER[policyTierOf(source, kind)];
  const severity =
    byStatus[status as keyof typeof byStatus] ?? byStatus.nonCompliant;
  return { severity, numericSeverity: NUMERIC_SEVERITY[severity] };
}

const SOURCE_LABEL: Record<PolicySource, string> = {
  compliancePolicy: 'compliance policy',
  deviceConfiguration: 'device configuration',
  // issue 15
  groupPolicyConfiguration: 'administrative template',
  settingsCompliancePolicy: 'settings compliance policy',
  settingsPolicy: 'configuration policy', // issue 15
};

const RECOMMENDATION: Record<string, string> = {
  nonCompliant:
    'Open the device in Intune to see which settings fail, then bring the device in line with the policy (or retire it).',
  error:
    'Intune could not evaluate or apply the policy on this device: check the per-setting status in Intune, then sync the device.',
  conflict:
    'Another policy assigned to this device sets the same setting to a different value: resolve the conflict in Intune.',
};

function describeFinding(
  policy: PolicySummary,
  status: string,
  deviceName: string,
): string {
  const what = `${SOURCE_LABEL[policy.source]} "${policy.name}" (${
    policy.kind
  })`;
  switch (status) {
    case 'error':
      return `Intune could not evaluate or apply ${what} on device ${deviceName} (status error).`;
    case 'conflict':
      return `Device ${deviceName} has settings of ${what} in conflict with another policy (status conflict).`;
    default:
      return `Device ${deviceName} does not comply with ${what} (status ${status}).`;
  }
}

/** One open finding for a (policy, device) whose status is nonCompliant, error or conflict. */
export function toFindingEntity(
  policy: PolicySummary,
  status: PolicyDeviceStatus,
  managedDeviceId: string,
): Entity {
  const value = status.status as string;
  const { severity, numericSeverity } = severityOf(
    policy.source,
    policy.kind,
    value,
  );
  const deviceName = status.deviceDisplayName || managedDeviceId;
  const name = `${policy.name}: ${value} on ${deviceName}`;
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        _key: findingKey(policy.id, managedDeviceId),
        _type: Entities.NONCOMPLIANCE_FINDING._type,
        _class: Entities.NONCOMPLIANCE_FINDING._class,
        id: status.id,
        name,
        displayName: name,
        description: describeFinding(policy, value, deviceName),
        category: 'endpoint',
        severity,
        numericSeverity,
        open: true,
        status: value,
        recommendation: RECOMMENDATION[value],
        policySource: policy.source,
        policyId: policy.id,
        policyName: policy.name,
        policyKind: policy.kind,
        policyPlatform: policy.platform,
        managedDeviceId,
        deviceName: status.deviceDisplayName || undefined,
        deviceModel: status.deviceModel || undefined,
        userName: status.userName || undefined,
        userPrincipalName: status.userPrincipalName || undefined,
        reportedOn: toEpochMs(status.lastReportedDateTime),
        gracePeriodExpiresOn: toEpochMs(
          status.complianceGracePeriodExpirationDateTime,
        ),
      },
    },
  });
}

// ---- relationships -------------------------------------------------------------------

/** intune_host_agent ASSIGNED policy, with the device's status. */
export function toAssignedRelationship(
  policy: PolicySummary,
  status: PolicyDeviceStatus,
  managedDeviceId: string,
): Relationship {
  return directRelationship({
    _class: RelationshipClass.ASSIGNED,
    fromType: Entities.HOST_AGENT._type,
    fromKey: hostAgentKey(managedDeviceId),
    toType: policy._type,
    toKey: policy.key,
    properties: withoutUndefined({
      status: status.status ?? undefined,
      compliant: status.status === 'compliant',
      lastReportedOn: toEpochMs(status.lastReportedDateTime),
      // Whose row decided: the device's user, or "System account".
      userPrincipalName: presentString(status.userPrincipalName),
      userName: presentString(status.userName),
    }),
  });
}

/** policy IDENTIFIED finding. */
export function toIdentifiedRelationship(
  policy: PolicySummary,
  finding: Entity,
): Relationship {
  return directRelationship({
    _class: RelationshipClass.IDENTIFIED,
    fromType: policy._type,
    fromKey: policy.key,
    toType: finding._type,
    toKey: finding._key,
  });
}

/** device HAS finding; the device entity's `_key` is the managed device id. */
export function toDeviceHasFindingRelationship(
  deviceKind: DeviceKind,
  managedDeviceId: string,
  finding: Entity,
): Relationship {
  return directRelationship({
    _class: RelationshipClass.HAS,
    fromType: deviceKind,
    fromKey: deviceKey(managedDeviceId),
    toType: finding._type,
    toKey: finding._key,
  });
}
