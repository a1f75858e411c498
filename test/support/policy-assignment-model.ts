/**
 * Issue 15: the ground-truth keys of Intune policy -> group assignments
 * (included ASSIGNED, excluded ALLOWS), direct and mapped alike.
 */
export const POLICY_ASSIGNMENT_RELATIONSHIP_KEYS = [
  'intune_compliance_policy|ASSIGNED|azure_user_group',
  'intune_compliance_policy|ALLOWS|azure_user_group',
  'intune_device_configuration|ASSIGNED|azure_user_group',
  'intune_device_configuration|ALLOWS|azure_user_group',
];
