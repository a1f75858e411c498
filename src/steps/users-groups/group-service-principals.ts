/**
 * Group members that are service principals relate to their
 * azure_service_principal (fetch-service-principals), not to an
 * azure_group_member: fetch-group-members records the (group, service
 * principal) pairs, and build-group-service-principal-relationships relates
 * them after every collection step, directly when the service principal was
 * collected in this execution and mapped otherwise.
 */
import {
  IntegrationError,
  JobState,
  RelationshipClass,
} from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationStepContext } from '../../config';
import { relationshipBetween } from '../applications/converters';
import {
  collectedServicePrincipals,
  isCollectedServicePrincipal,
} from '../applications/data';
import { Entities, MappedRelationships, Steps } from '../constants';
import { writingGraphObjects } from '../graph-objects';
import { StepProgress } from '../progress';

/** [groupId, servicePrincipalId, displayName] of each distinct pair, set once every member list was read. */
export const GROUP_SERVICE_PRINCIPALS_DATA_KEY =
  'users-groups:service-principal-members';

export type GroupServicePrincipalPair = [string, string, string | undefined];

export async function publishServicePrincipalMembers(
  jobState: JobState,
  pairs: Map<string, GroupServicePrincipalPair>,
): Promise<void> {
  await jobState.setData(
    GROUP_SERVICE_PRINCIPALS_DATA_KEY,
    Array.from(pairs.values()),
  );
}

/**
 * Tells the group HAS service principal relationships from the
 * group HAS group member ones that had the same identity before service
 * principals were entities (docs/applications-and-service-principals.md,
 * "Migration").
 */
const DISCRIMINATOR = 'servicePrincipal';

export async function buildGroupServicePrincipalRelationships(
  context: IntegrationStepContext,
): Promise<void> {
  const { jobState, logger } = context;
  const step = Steps.GROUP_SERVICE_PRINCIPALS;
  const pairs = await jobState.getData<GroupServicePrincipalPair[]>(
    GROUP_SERVICE_PRINCIPALS_DATA_KEY,
  );
  if (!pairs) {
    throw new IntegrationError({
      code: 'DEPENDENCY_INCOMPLETE',
      message: `${step.name} did not run: ${Steps.GROUP_MEMBERS.name} did not read every member list in this execution. The previous group and service principal relationships are kept.`,
    });
  }
  const progress = new StepProgress(logger, graphClientOf(context), step.name);
  const collected = await collectedServicePrincipals(jobState);
  await writingGraphObjects(jobState, async (writer) => {
    for (const [groupId, servicePrincipalId, displayName] of pairs) {
      const isCollected = isCollectedServicePrincipal(
        collected,
        servicePrincipalId,
      );
      writer.addRelationship(
        relationshipBetween({
          _class: RelationshipClass.HAS,
          from: { _key: groupId, metadata: Entities.GROUP },
          to: {
            _key: servicePrincipalId,
            metadata: Entities.SERVICE_PRINCIPAL,
            displayName,
          },
          anchor: 'from',
          collected: isCollected,
          mapped: MappedRelationships.GROUP_HAS_SERVICE_PRINCIPAL,
          discriminator: DISCRIMINATOR,
        }),
      );
      await writer.drain();
      progress.add(
        `${Entities.GROUP._type}|HAS|${Entities.SERVICE_PRINCIPAL._type}${
          isCollected ? '' : ' (mapped)'
        }`,
      );
    }
  });
  progress.done();
}
