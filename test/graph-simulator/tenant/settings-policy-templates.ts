/**
 * issue 15: settingsCatalog / endpointSecurity. The beta
 * `/deviceManagement/configurationPolicies` templates and the wire shape of
 * one policy.
 *
 * Shape: deviceManagementConfigurationPolicy
 * (learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy,
 * beta only): id, name, description, platforms (flags enum: none, android,
 * iOS, macOS, windows10X, windows10, linux), technologies (flags enum:
 * none, mdm, windows10XManagement, configManager, appleRemoteManagement,
 * microsoftSense, ...), createdDateTime, lastModifiedDateTime, settingCount,
 * creationSource, roleScopeTagIds, isAssigned, templateReference
 * (deviceManagementConfigurationPolicyTemplateReference: templateId,
 * templateFamily, templateDisplayName, templateDisplayVersion), and
 * priorityMetaData. A Settings Catalog policy has templateFamily `none` and
 * an empty templateId; an endpoint security policy names its template
 * (templateFamily `endpointSecurityDiskEncryption`, `endpointSecurityAntivirus`...).
 * Flags enums travel as comma-separated names ("mdm,microsoftSense").
 * The template ids below are illustrative (UNCONFIRMED against a tenant);
 * the integration never interprets them.
 *
 * No import from policies.ts but its types: policies.ts imports this file.
 */
import type { PolicyTemplate } from './policies';
import { GraphObject } from './model';
import { isoTicks, pastMs, Rng } from './random';

/** A setting of a template, as the per-setting reports name it. */
export interface SettingDefinition {
  id: string;
  /** null: the report leaves the name empty (the integration then names the setting by id). */
  name: string | null;
}

export interface SettingsPolicyTemplate extends PolicyTemplate {
  platforms: string;
  technologies: string;
  templateId: string;
  templateFamily: string;
  templateDisplayName: string | null;
  templateDisplayVersion: string | null;
  definitions: SettingDefinition[];
}

const NO_SETTINGS = () => ({});

export const SETTINGS_POLICY_TEMPLATES: readonly SettingsPolicyTemplate[] = [
  {
    odataType: 'deviceManagementConfigurationPolicy',
    family: 'windows',
    name: 'Windows security baseline (Settings Catalog)',
    settings: NO_SETTINGS,
    platforms: 'windows10',
    technologies: 'mdm',
    templateId: '',
    templateFamily: 'none',
    templateDisplayName: null,
    templateDisplayVersion: null,
    definitions: [
      {
        id: 'device_vendor_msft_policy_config_system_allowtelemetry',
        name: 'Allow Telemetry',
      },
      {
        id: 'device_vendor_msft_policy_config_devicelock_devicepasswordenabled',
        name: 'Device Password Enabled',
      },
      {
        id: 'device_vendor_msft_policy_config_devicelock_mindevicepasswordlength',
        name: null,
      },
    ],
  },
  {
    odataType: 'deviceManagementConfigurationPolicy',
    family: 'windows',
    name: 'BitLocker',
    settings: NO_SETTINGS,
    platforms: 'windows10',
    technologies: 'mdm',
    templateId: '46ddfc50-d10f-4867-b852-9434254b3bff_1',
    templateFamily: 'endpointSecurityDiskEncryption',
    templateDisplayName: 'BitLocker',
    templateDisplayVersion: 'Version 1',
    definitions: [
      {
        id: 'device_vendor_msft_bitlocker_requiredeviceencryption',
        name: 'Require Device Encryption',
      },
      {
        id: 'device_vendor_msft_bitlocker_allowwarningforotherdiskencryption',
        name: 'Allow Warning For Other Disk Encryption',
      },
      {
        id: 'device_vendor_msft_bitlocker_encryptionmethodbydrivetype',
        name: 'Choose drive encryption method and cipher strength',
      },
    ],
  },
  {
    odataType: 'deviceManagementConfigurationPolicy',
    family: 'windows',
    name: 'Microsoft Defender Antivirus',
    settings: NO_SETTINGS,
    platforms: 'windows10',
    technologies: 'mdm,microsoftSense',
    templateId: '804339ad-1553-4478-a742-138fb5807418_1',
    templateFamily: 'endpointSecurityAntivirus',
    templateDisplayName: 'Microsoft Defender Antivirus',
    templateDisplayVersion: 'Version 1',
    definitions: [
      {
        id: 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring',
        name: 'Allow Realtime Monitoring',
      },
      {
        id: 'device_vendor_msft_policy_config_defender_allowcloudprotection',
        name: 'Allow Cloud Protection',
      },
    ],
  },
  {
    odataType: 'deviceManagementConfigurationPolicy',
    family: 'macOS',
    name: 'macOS FileVault (Settings Catalog)',
    settings: NO_SETTINGS,
    platforms: 'macOS',
    technologies: 'mdm,appleRemoteManagement',
    templateId: '',
    templateFamily: 'none',
    templateDisplayName: null,
    templateDisplayVersion: null,
    definitions: [
      { id: 'com.apple.mcx.filevault2_enable', name: 'Enable' },
      { id: 'com.apple.mcx.filevault2_defer', name: 'Defer' },
    ],
  },
];

/** One policy as the beta list returns it (no `@odata.type`: the base type). */
export function settingsPolicyObject(
  id: string,
  index: number,
  template: PolicyTemplate,
  rng: Rng,
  assigned: boolean,
): GraphObject {
  const t = template as SettingsPolicyTemplate;
  const created = pastMs(rng, 30, 900);
  const modified = created + rng.int(30) * 86_400_000;
  return {
    createdDateTime: isoTicks(created, rng),
    creationSource: null,
    description: rng.chance(0.4) ? '' : `${t.name}, managed by IT`,
    lastModifiedDateTime: isoTicks(modified, rng),
    name:
      index < SETTINGS_POLICY_TEMPLATES.length
        ? t.name
        : `${t.name} ${index + 1}`,
    platforms: t.platforms,
    priorityMetaData: null,
    roleScopeTagIds: ['0'],
    settingCount: t.definitions.length + rng.int(4),
    technologies: t.technologies,
    id,
    isAssigned: assigned,
    templateReference: {
      templateId: t.templateId,
      templateFamily: t.templateFamily,
      templateDisplayName: t.templateDisplayName,
      templateDisplayVersion: t.templateDisplayVersion,
    },
  };
}
