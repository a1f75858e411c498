import {
  DisabledStepReason,
  StepStartStates,
} from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationExecution } from './config';
import { GraphAuthenticationError } from './graph/errors';
import { readIntuneAvailability } from './graph/organization';
import { integrationSteps } from './steps';
import { IngestionSources } from './steps/constants';

const INTUNE_SOURCES: string[] = [
  IngestionSources.INTUNE_DEVICES,
  IngestionSources.INTUNE_APPS,
  IngestionSources.COMPLIANCE,
];

/**
 * Every step runs, except the Intune steps of a tenant without Intune: there
 * is nothing to read, and Graph would answer each call with 400 "Request not
 * applicable to target tenant."
 */
export async function getStepStartStates(
  context: IntegrationExecution,
): Promise<StepStartStates> {
  const intuneAbsent = (await intuneAvailability(context)) === 'absent';
  if (intuneAbsent) {
    context.logger.info(
      'The tenant has no Intune subscription (Microsoft Graph: "Request not applicable to target tenant."): the Intune device, application and compliance steps are disabled.',
    );
  }
  return Object.fromEntries(
    integrationSteps.map((step) => {
      const disabled =
        intuneAbsent && INTUNE_SOURCES.includes(step.ingestionSourceId ?? '');
      return [
        step.id,
        disabled
          ? { disabled: true, disabledReason: DisabledStepReason.CONFIG }
          : { disabled: false },
      ];
    }),
  );
}

/**
 * Whether the tenant has Intune. If Graph cannot say (it keeps failing), the
 * Intune steps stay enabled and fail on their own, loudly, with their types
 * partial; the directory steps are not held back by it.
 */
async function intuneAvailability(
  context: IntegrationExecution,
): Promise<'present' | 'absent' | 'unknown'> {
  try {
    return (await readIntuneAvailability(graphClientOf(context))).status;
  } catch (err) {
    if (err instanceof GraphAuthenticationError) throw err;
    context.logger.warn(
      { err },
      'Could not tell whether the tenant has Intune; the Intune steps run and report their own errors.',
    );
    return 'unknown';
  }
}
