/**
 * Issue 15: what sets the policy families apart on their entities
 * (docs/compliance.md "Policy families"): the family's name, the kind and
 * platform of policies whose list items carry no `@odata.type`, and the few
 * properties a family has beyond the common ones.
 */
import type { IntunePolicy, PolicySource } from '../../graph/compliance';
import type { PolicyFamily } from './policy-summary';

/**
 * The `policyFamily` property (docs/compliance.md "Policy families"): which
 * Intune family a policy of the shared types comes from. Settings policies
 * (beta configurationPolicies) are `settingsCatalog` or `endpointSecurity`
 * by their template (settings-policy-converters.ts).
 */
export const POLICY_FAMILY: Record<
  Exclude<PolicySource, 'settingsPolicy'>,
  PolicyFamily
> = {
  compliancePolicy: 'compliancePolicy',
  deviceConfiguration: 'deviceConfiguration',
  groupPolicyConfiguration: 'administrativeTemplate',
  settingsCompliancePolicy: 'settingsCompliance',
};

/**
 * The kind of a policy whose list items carry no `@odata.type` (the report
 * families' resources are not polymorphic): the resource's type name.
 */
export const KIND_WITHOUT_ODATA_TYPE: Partial<Record<PolicySource, string>> = {
  groupPolicyConfiguration: 'groupPolicyConfiguration',
  settingsCompliancePolicy: 'deviceManagementCompliancePolicy',
};

/**
 * deviceManagementConfigurationPlatforms of a settings compliance policy
 * (`platforms`: none, android, iOS, macOS, windows10X, windows10, linux...)
 * -> the platform families of platformOfPolicyKind. Administrative templates
 * are Windows ADMX.
 */
export function platformOfFamily(
  source: PolicySource,
  policy: IntunePolicy,
): string | undefined {
  if (source === 'groupPolicyConfiguration') return 'windows';
  if (source !== 'settingsCompliancePolicy') return undefined;
  const platforms = String(policy.platforms ?? '').toLowerCase();
  if (platforms.startsWith('windows')) return 'windows';
  if (platforms === 'ios') return 'ios';
  if (platforms === 'macos') return 'macOS';
  if (platforms === 'android') return 'android';
  if (platforms === 'linux') return 'linux';
  return 'unknown';
}

/** What a report family's policy says about itself beyond the common properties. */
export function familyPropertiesOf(
  source: PolicySource,
  policy: IntunePolicy,
): Record<string, string | number | boolean | undefined> {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  switch (source) {
    case 'groupPolicyConfiguration':
      return {
        policyConfigurationIngestionType: text(
          policy.policyConfigurationIngestionType,
        ),
      };
    case 'settingsCompliancePolicy':
      return {
        platforms: text(policy.platforms),
        technologies: text(policy.technologies),
        settingCount:
          typeof policy.settingCount === 'number'
            ? policy.settingCount
            : undefined,
      };
    default:
      return {};
  }
}
