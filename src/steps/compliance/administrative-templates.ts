/**
 * Issue 15: administrative templates (beta groupPolicyConfigurations), one
 * step on the compliance routine (index.ts); URLs and reports in
 * src/graph/group-policy.ts (docs/compliance.md "Administrative templates").
 */
import { Steps } from '../constants';
import { PolicyStepSpec } from './policy-reader';

export const ADMINISTRATIVE_TEMPLATES_SPEC: PolicyStepSpec = {
  source: 'groupPolicyConfiguration',
  step: Steps.ADMINISTRATIVE_TEMPLATES,
  label: 'administrative templates',
  singular: 'administrative template',
  licence: 'administrative templates (Intune for Windows)',
};
