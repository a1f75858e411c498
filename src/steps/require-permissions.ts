/**
 * Fails a step before any request when the token lacks a permission the step
 * cannot run without (the table in permissions.ts).
 */
import { IntegrationProviderAuthorizationError } from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationStepContext } from '../config';
import { describeMissing, isGranted } from '../graph/permissions';
import { REQUIRED_STEP_PERMISSIONS, STEP_NAMES, StepId } from './permissions';

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
