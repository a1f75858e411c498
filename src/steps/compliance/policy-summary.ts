/**
 * What findings and relationships need to know about their policy, and the
 * families a policy belongs to (issue 15, docs/compliance.md "Policy
 * families"). A file of its own so that the converters of every family can
 * share it without importing one another.
 */
import { PolicySource } from '../../graph/compliance';

/** The value of `policyFamily` on every policy entity (contract of issue 15). */
export type PolicyFamily =
  | 'compliancePolicy'
  | 'deviceConfiguration'
  | 'settingsCatalog'
  | 'endpointSecurity'
  | 'administrativeTemplate'
  | 'settingsCompliance';

/** What findings and relationships need to know about their policy. */
export interface PolicySummary {
  source: PolicySource;
  id: string;
  /** The entity `_key` (the policy id). */
  key: string;
  _type: string;
  name: string;
  kind: string;
  platform: string;
  /** issue 15: policyFamily (docs/compliance.md "Policy families"). */
  family: PolicyFamily;
}
