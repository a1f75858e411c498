/**
 * Issue 15: settings compliance policies (beta compliancePolicies), one step
 * on the compliance routine (index.ts); URLs and reports in
 * src/graph/settings-compliance.ts (docs/compliance.md "Settings compliance
 * policies").
 */
import { Steps } from '../constants';
import { PolicyStepSpec } from './policy-reader';

export const SETTINGS_COMPLIANCE_POLICIES_SPEC: PolicyStepSpec = {
  source: 'settingsCompliancePolicy',
  step: Steps.SETTINGS_COMPLIANCE_POLICIES,
  label: 'settings compliance policies',
  singular: 'settings compliance policy',
  licence: 'settings compliance policies (e.g. Linux management)',
};
