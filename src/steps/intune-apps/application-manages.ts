/**
 * Managed app MANAGES detected app (docs/data-model-rules.md): built after
 * every collection step, from the entities both steps wrote, so that reading
 * the detected-app inventory (the largest fan-out of the integration) does
 * not have to wait for the managed applications and their install reports.
 */
import { IntegrationError, JobState } from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationStepContext } from '../../config';
import { Entities, Relationships, Steps } from '../constants';
import { StepProgress } from '../progress';
import { managesTargetKey, toManagesRelationship } from './converters';
import { DETECTED_APPS_COMPLETE } from './detected-applications';
import { DEVICES_COMPLETE } from '../intune-devices';
import { MANAGED_APPS_COMPLETE } from './managed-applications';

/**
 * Detected-app key -> keys of the managed applications that are the same
 * application, from the managed-application entities of this collection
 * (their `platform` is the family of their `@odata.type`).
 */
export async function loadManagedAppTargets(
  jobState: JobState,
): Promise<Map<string, string[]>> {
  const targets = new Map<string, string[]>();
  await jobState.iterateEntities(
    { _type: Entities.MANAGED_APPLICATION._type },
    (app) => {
      const key = managesTargetKey(app.platform, app.normalizedName);
      if (key) targets.set(key, [...(targets.get(key) ?? []), app._key]);
    },
  );
  return targets;
}

export async function buildApplicationManagesRelationships(
  context: IntegrationStepContext,
): Promise<void> {
  const { jobState, logger } = context;
  // Without every input complete, a missing MANAGES could be a false "not
  // managed": fail so that the previous relationships are kept (partial).
  // The detected-app inventory is only complete if the devices were: it
  // still runs when they failed, and relates what it can.
  for (const [flag, step] of [
    [DEVICES_COMPLETE, Steps.DEVICES],
    [MANAGED_APPS_COMPLETE, Steps.MANAGED_APPS],
    [DETECTED_APPS_COMPLETE, Steps.DETECTED_APPS],
  ] as const) {
    if (!(await jobState.getData<boolean>(flag))) {
      throw new IntegrationError({
        code: 'INCOMPLETE_INPUT',
        message: `${Steps.APPLICATION_MANAGES.name} cannot run: ${step.name} did not complete, so which detected applications Intune manages is unknown. The previous relationships are kept.`,
      });
    }
  }
  const progress = new StepProgress(
    logger,
    graphClientOf(context),
    Steps.APPLICATION_MANAGES.name,
  );
  const managedBy = await loadManagedAppTargets(jobState);
  const type =
    Relationships.MANAGED_APPLICATION_MANAGES_DETECTED_APPLICATION._type;
  await jobState.iterateEntities(
    { _type: Entities.DETECTED_APPLICATION._type },
    async (detected) => {
      for (const managedKey of managedBy.get(detected._key) ?? []) {
        const manages = toManagesRelationship(managedKey, detected._key);
        if (jobState.hasKey(manages._key)) continue;
        await jobState.addRelationship(manages);
        progress.add(type);
      }
    },
  );
  progress.done({ managedAppTargets: managedBy.size });
}
