/**
 * Which Microsoft Graph application permissions each step needs. Read by
 * validateInvocation (to warn early), by each step (to fail fast with
 * "grant X to read Y" instead of running into a wall of 403s), by the docs
 * and by the permission tests.
 */
import { PermissionRequirement, Permissions } from '../graph/permissions';
import { Steps } from './constants';

export type StepId = (typeof Steps)[keyof typeof Steps]['id'];

/** Permissions without which a step cannot run at all. */
export const REQUIRED_STEP_PERMISSIONS: Record<
  StepId,
  PermissionRequirement[]
> = {
  [Steps.ACCOUNT.id]: [Permissions.ORGANIZATION],
  [Steps.USERS.id]: [Permissions.USERS],
  [Steps.GROUPS.id]: [Permissions.GROUPS],
  [Steps.GROUP_MEMBERS.id]: [Permissions.GROUPS],
  [Steps.DEVICES.id]: [Permissions.MANAGED_DEVICES],
  [Steps.USER_DEVICES.id]: [],
  [Steps.MANAGED_APPS.id]: [Permissions.APPS],
  [Steps.DETECTED_APPS.id]: [Permissions.MANAGED_DEVICES],
  [Steps.APPLICATION_MANAGES.id]: [],
  [Steps.COMPLIANCE_POLICIES.id]: [Permissions.CONFIGURATION],
  [Steps.DEVICE_CONFIGURATIONS.id]: [Permissions.CONFIGURATION],
  // issue 17
  [Steps.SERVICE_PRINCIPALS.id]: [Permissions.APPLICATIONS],
  [Steps.APPLICATIONS.id]: [Permissions.APPLICATIONS],
  [Steps.APPLICATION_PERMISSIONS.id]: [Permissions.APPLICATIONS],
  [Steps.DELEGATED_PERMISSIONS.id]: [Permissions.DELEGATED_GRANTS],
  [Steps.APPLICATION_OWNERS.id]: [],
  [Steps.GROUP_SERVICE_PRINCIPALS.id]: [],
  // ---- issue 16 ----
  [Steps.ROLE_DEFINITIONS.id]: [Permissions.ROLE_MANAGEMENT],
  [Steps.ROLE_ASSIGNMENTS.id]: [Permissions.ROLE_MANAGEMENT],
  [Steps.ROLE_RELATIONSHIPS.id]: [],
  [Steps.CONDITIONAL_ACCESS_POLICIES.id]: [Permissions.CONDITIONAL_ACCESS],
  [Steps.CONDITIONAL_ACCESS_TARGETS.id]: [],
  // ---- issue 15 ----
  [Steps.POLICY_ASSIGNMENTS.id]: [],
  // issue 15: administrativeTemplate, settingsCompliance
  [Steps.ADMINISTRATIVE_TEMPLATES.id]: [Permissions.CONFIGURATION],
  [Steps.SETTINGS_COMPLIANCE_POLICIES.id]: [Permissions.CONFIGURATION],
  // issue 15: settingsCatalog / endpointSecurity
  [Steps.SETTINGS_POLICIES.id]: [Permissions.CONFIGURATION],
};

/**
 * Permissions that only enrich: without them the step still runs and logs a
 * warning naming what is missing.
 */
export const OPTIONAL_STEP_PERMISSIONS: Partial<
  Record<StepId, PermissionRequirement[]>
> = {
  [Steps.ACCOUNT.id]: [Permissions.INTUNE_SERVICE_CONFIG],
  [Steps.USERS.id]: [Permissions.SIGN_IN_ACTIVITY],
  [Steps.GROUP_MEMBERS.id]: [Permissions.DIRECTORY],
};

// ---- issue 16: enrichments of existing steps, and PIM ----
OPTIONAL_STEP_PERMISSIONS[Steps.ACCOUNT.id]?.push(Permissions.TENANT_POLICIES);
OPTIONAL_STEP_PERMISSIONS[Steps.USERS.id]?.push(
  Permissions.REGISTRATION_DETAILS,
);
OPTIONAL_STEP_PERMISSIONS[Steps.ROLE_ASSIGNMENTS.id] = [Permissions.PIM];

export const STEP_NAMES: Record<string, string> = Object.fromEntries(
  Object.values(Steps).map((step) => [step.id, step.name]),
);

/** Step name -> permissions it cannot run without. */
export const STEP_PERMISSIONS: Record<string, PermissionRequirement[]> =
  Object.fromEntries(
    Object.entries(REQUIRED_STEP_PERMISSIONS).map(([id, requirements]) => [
      STEP_NAMES[id],
      requirements,
    ]),
  );
