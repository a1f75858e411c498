import { IntegrationStep } from '@jupiterone/integration-sdk-core';
import { IntegrationConfig } from '../../config';
import {
  allOf,
  Entities,
  IngestionSources,
  RELATIONSHIP_GRAPH_ID,
  Relationships,
  Steps,
} from '../constants';
import { buildApplicationManagesRelationships } from './application-manages';
import { fetchDetectedApplications } from './detected-applications';
import { fetchManagedApplications } from './managed-applications';
import { DEFAULT_INTUNE_APPS_OPTIONS, IntuneAppsOptions } from './options';

export { DEFAULT_INTUNE_APPS_OPTIONS } from './options';
export type { DetectedAppsStrategy, IntuneAppsOptions } from './options';

/** The intune-apps steps; tests and benchmarks pass other internal options. */
export function createIntuneAppsSteps(
  overrides: Partial<IntuneAppsOptions> = {},
): IntegrationStep<IntegrationConfig>[] {
  const options: IntuneAppsOptions = {
    ...DEFAULT_INTUNE_APPS_OPTIONS,
    ...overrides,
  };
  return [
    {
      ...Steps.MANAGED_APPS,
      ingestionSourceId: IngestionSources.INTUNE_APPS,
      entities: [Entities.MANAGED_APPLICATION],
      relationships: allOf(Relationships.DEVICE_ASSIGNED_MANAGED_APPLICATION),
      dependsOn: [Steps.DEVICES.id],
      executionHandler: (context) => fetchManagedApplications(context, options),
    },
    {
      ...Steps.DETECTED_APPS,
      ingestionSourceId: IngestionSources.INTUNE_APPS,
      entities: [Entities.DETECTED_APPLICATION],
      relationships: allOf(Relationships.DEVICE_INSTALLED_DETECTED_APPLICATION),
      dependsOn: [Steps.DEVICES.id],
      executionHandler: (context) =>
        fetchDetectedApplications(context, options),
    },
    {
      ...Steps.APPLICATION_MANAGES,
      ingestionSourceId: IngestionSources.INTUNE_APPS,
      // Runs after every collection step (see RELATIONSHIP_GRAPH_ID).
      dependencyGraphId: RELATIONSHIP_GRAPH_ID,
      entities: [],
      relationships: [
        Relationships.MANAGED_APPLICATION_MANAGES_DETECTED_APPLICATION,
      ],
      executionHandler: buildApplicationManagesRelationships,
    },
  ];
}

export const intuneAppsSteps = createIntuneAppsSteps();
