/**
 * Which Microsoft Graph application permissions each step needs. Read by
 * validateInvocation (to warn early), by each step (to fail fast with
 * "grant X to read Y" instead of running into a wall of 403s), by the docs
 * and by the permission tests.
 */
import { IntegrationProviderAuthorizationError } from '@jupiterone/integration-sdk-core';
import { IntegrationStepContext, graphClientOf } from '../config';
import {
  describeMissing,
  isGranted,
  PermissionRequirement,
  Permissions,
} from '../graph/permissions';
import { Steps } from './constants';

type StepId = typeof Steps[keyof typeof Steps]['id'];

/** Permissions without which a step cannot run at all. */
export const REQUIRED_STEP_PERMISSIONS: Record<StepId, PermissionRequirement[]> = {
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

const STEP_NAMES: Record<string, string> = Object.fromEntries(
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

/**
 * Fails the step before any request when the token lacks a permission it
 * needs. Failing (rather than disabling) marks the step's types partial, so
 * the platform keeps the previous data instead of deleting it.
 */
export async function requireStepPermissions(
  context: IntegrationStepContext,
  stepId: StepId,
): Promise<void> {
  // A step that needs nothing from Graph never waits for a token here.
  if (!REQUIRED_STEP_PERMISSIONS[stepId].length) return;
  const roles = await graphClientOf(context).grantedRoles();
  if (!roles) return;
  const missing = REQUIRED_STEP_PERMISSIONS[stepId].filter(
    (requirement) => !isGranted(requirement, roles),
  );
  if (!missing.length) return;
  const error = new IntegrationProviderAuthorizationError({
    endpoint: graphClientOf(context).graphEndpoint,
    status: 403,
    statusText: 'MissingPermission',
  });
  error.message = `${STEP_NAMES[stepId]} cannot run: ${missing
    .map(describeMissing)
    .join('; ')}. The previous data of this step is kept until then.`;
  throw error;
}
