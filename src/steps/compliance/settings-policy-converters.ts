/**
 * issue 15: settingsCatalog / endpointSecurity. Pure conversions of beta
 * configurationPolicies and their report rows into what the compliance
 * routine already writes (docs/compliance.md "Policy families").
 */
import { IntunePolicy, PolicyDeviceStatus } from '../../graph/compliance';
import {
  FailedSettingRow,
  PolicyDeviceRow,
  SettingsPolicy,
} from '../../graph/settings-policies';
import { Entities } from '../constants';
import { presentString } from '../convert';
import { PolicyFamily, PolicySummary } from './policy-summary';

const ENDPOINT_SECURITY_PREFIX = 'endpointSecurity';

function templateOf(policy: SettingsPolicy) {
  const ref = policy.templateReference ?? {};
  return {
    templateId: presentString(ref.templateId),
    templateFamily: presentString(ref.templateFamily),
    templateDisplayName: presentString(ref.templateDisplayName),
    templateDisplayVersion: presentString(ref.templateDisplayVersion),
  };
}

/** endpointSecurity when the template belongs to an endpoint security family, settingsCatalog otherwise. */
export function settingsPolicyFamilyOf(policy: SettingsPolicy): PolicyFamily {
  return templateOf(policy).templateFamily?.startsWith(ENDPOINT_SECURITY_PREFIX)
    ? 'endpointSecurity'
    : 'settingsCatalog';
}

/** deviceManagementConfigurationPlatforms flags -> the platform families of data-model-rules.md. */
const PLATFORM_OF_FLAG: Record<string, string> = {
  windows10: 'windows',
  windows10x: 'windows',
  macos: 'macOS',
  ios: 'ios',
  android: 'android',
  linux: 'linux',
};

/** One family when every flag names the same one; `unknown` for none, several, or a new flag. */
export function platformOfSettingsPolicy(platforms: unknown): string {
  const flags =
    typeof platforms === 'string'
      ? platforms
          .split(',')
          .map((flag) => flag.trim().toLowerCase())
          .filter((flag) => flag && flag !== 'none')
      : [];
  const families = new Set(flags.map((flag) => PLATFORM_OF_FLAG[flag]));
  if (families.size !== 1) return 'unknown';
  return [...families][0] ?? 'unknown';
}

export function summarizeSettingsPolicy(policy: IntunePolicy): PolicySummary {
  const p = policy as SettingsPolicy;
  const family = settingsPolicyFamilyOf(p);
  return {
    source: 'settingsPolicy',
    id: p.id,
    key: p.id,
    _type: Entities.DEVICE_CONFIGURATION._type,
    name: presentString(p.name) ?? p.id,
    // The template family says what an endpoint security policy does (endpointSecurityDiskEncryption).
    kind:
      family === 'endpointSecurity'
        ? (templateOf(p).templateFamily as string)
        : 'settingsCatalog',
    platform: platformOfSettingsPolicy(p.platforms),
    family,
  };
}

/** The properties of a settings policy entity beyond those every policy has. */
export function settingsPolicyPropertiesOf(
  policy: IntunePolicy,
): Record<string, string | number | string[] | undefined> {
  const p = policy as SettingsPolicy;
  const template = templateOf(p);
  const tags = Array.isArray(p.roleScopeTagIds)
    ? p.roleScopeTagIds.filter((tag): tag is string => typeof tag === 'string')
    : undefined;
  return {
    ...template,
    platforms: presentString(p.platforms),
    technologies: presentString(p.technologies),
    settingCount:
      typeof p.settingCount === 'number' ? p.settingCount : undefined,
    roleScopeTagIds: tags?.length ? [...tags].sort() : undefined,
  };
}

/**
 * Graph's complianceStatus enum (learn.microsoft.com/graph/api/resources/intune-shared-compliancestatus),
 * in its documented order: report columns carry enums as their integer.
 */
export const COMPLIANCE_STATUS_BY_CODE = [
  'unknown',
  'notApplicable',
  'compliant',
  'remediated',
  'nonCompliant',
  'error',
  'conflict',
  'notAssigned',
] as const;

/** A PolicyStatus cell (integer, or the enum name) -> the status value deviceStatuses would carry. */
export function statusOfCode(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value))
    return COMPLIANCE_STATUS_BY_CODE[value] ?? `code ${value}`;
  return presentString(value);
}

/**
 * A report row as the status the compliance routine reads. Its `id` ends
 * with the device id, as a deviceStatuses id does (`{policyId}_{deviceId}`);
 * the principal is the row's UPN, and "System account" rows have none.
 */
export function toPolicyDeviceStatus(
  policyId: string,
  row: PolicyDeviceRow,
): PolicyDeviceStatus {
  const deviceId = presentString(row.IntuneDeviceId) ?? '';
  return {
    id: `${policyId}_${deviceId}`,
    deviceDisplayName: presentString(row.DeviceName) ?? null,
    userPrincipalName: presentString(row.UPN) ?? null,
    userName: null,
    status: statusOfCode(row.PolicyStatus) ?? null,
    lastReportedDateTime: presentString(row.PspdpuLastModifiedTimeUtc) ?? null,
  };
}

/**
 * The settings that fail on each device, by lower-cased device id: display
 * names, the setting id where the report gives no name. Held as sets, so
 * the finding's value never depends on row order.
 */
export function addFailedSettings(
  failed: Map<string, Set<string>>,
  rows: FailedSettingRow[],
): void {
  for (const row of rows) {
    const deviceId = presentString(row.DeviceId)?.toLowerCase();
    const setting =
      presentString(row.SettingName) ?? presentString(row.SettingId);
    if (!deviceId || !setting) continue;
    let settings = failed.get(deviceId);
    if (!settings) failed.set(deviceId, (settings = new Set()));
    settings.add(setting);
  }
}

/** The finding's `failedSettings` (unique, sorted) and `failedSettingCount`. */
export function failedSettingProperties(settings: Set<string> | undefined): {
  failedSettings?: string[];
  failedSettingCount: number;
} {
  if (!settings?.size) return { failedSettingCount: 0 };
  const sorted = [...settings].sort();
  return { failedSettings: sorted, failedSettingCount: sorted.length };
}
