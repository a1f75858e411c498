/**
 * Group members that are service principals relate to their
 * azure_service_principal (fetch-service-principals), not to an
 * azure_group_member: fetch-group-members records the (group, service
 * principal) pairs, and build-group-service-principal-relationships relates
 * them after every collection step, directly when the service principal was
 * collected in this execution and mapped otherwise.
 *
 * Members of a type this integration does not know are decided here too:
 * Graph adds subtypes of servicePrincipal (agentIdentity, 2025) that member
 * lists may name by the subtype while /servicePrincipals lists them. One
 * that fetch-service-principals collected is related to it; any other
 * becomes an azure_group_member. Deciding it in fetch-group-members, which
 * runs beside fetch-service-principals, could give one id two entities.
 */
import {
  IntegrationError,
  JobState,
  RelationshipClass,
} from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationStepContext } from '../../config';
import { GraphDirectoryObject } from '../../graph/directory';
import { relationshipBetween } from '../applications/converters';
import {
  collectedServicePrincipals,
  isCollectedServicePrincipal,
} from '../applications/data';
import {
  Entities,
  MappedRelationships,
  Relationships,
  Steps,
} from '../constants';
import { GraphObjectWriter, writingGraphObjects } from '../graph-objects';
import { StepProgress } from '../progress';
import {
  memberTypeOf,
  toGroupHasMemberRelationship,
  toGroupMemberEntity,
} from './converters';

/** Set by fetch-groups once every group was listed. */
export const GROUPS_COMPLETE = 'users-groups:groups-complete';

/** The deferred members of each group, set once every group and every member list was read. */
export const GROUP_SERVICE_PRINCIPALS_DATA_KEY =
  'users-groups:service-principal-members';

/** [groupId, member id, display name, the member itself when of an unknown type]. */
export type DeferredMember = [
  string,
  string,
  string | undefined,
  GraphDirectoryObject | undefined,
];

/**
 * group HAS azure_group_member, and the member's one azure_group_member
 * (`written`: the member ids that have it already).
 */
export function writeOtherMember(
  writer: GraphObjectWriter,
  progress: StepProgress,
  written: Set<string>,
  groupId: string,
  member: GraphDirectoryObject,
): void {
  if (!written.has(member.id)) {
    written.add(member.id);
    writer.addEntity(toGroupMemberEntity(member));
    progress.add(`${Entities.GROUP_MEMBER._type}:${memberTypeOf(member)}`);
  }
  writer.addRelationship(
    toGroupHasMemberRelationship(
      groupId,
      member.id,
      Entities.GROUP_MEMBER._type,
    ),
  );
  progress.add(Relationships.GROUP_HAS_MEMBER._type);
}

/** Member types that are known not to be service principals. */
export const NOT_SERVICE_PRINCIPAL_TYPES = new Set([
  'device',
  'orgContact',
  'directoryObject',
]);

export async function publishServicePrincipalMembers(
  jobState: JobState,
  pairs: Map<string, DeferredMember>,
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
  const pairs = await jobState.getData<DeferredMember[]>(
    GROUP_SERVICE_PRINCIPALS_DATA_KEY,
  );
  if (!pairs) {
    throw new IntegrationError({
      code: 'DEPENDENCY_INCOMPLETE',
      message: `${step.name} did not run: ${Steps.GROUPS.name} and ${Steps.GROUP_MEMBERS.name} did not read every group and member list in this execution. The previous group and service principal relationships are kept.`,
    });
  }
  const progress = new StepProgress(logger, graphClientOf(context), step.name);
  const collected = await collectedServicePrincipals(jobState);
  const memberEntities = new Set<string>();
  await writingGraphObjects(jobState, async (writer) => {
    for (const [groupId, id, displayName, member] of pairs) {
      const isCollected = isCollectedServicePrincipal(collected, id);
      if (member && !isCollected) {
        // Of a type this integration does not know, and no service principal.
        writeOtherMember(writer, progress, memberEntities, groupId, member);
        await writer.drain();
        continue;
      }
      writer.addRelationship(
        relationshipBetween({
          _class: RelationshipClass.HAS,
          from: { _key: groupId, metadata: Entities.GROUP },
          to: {
            _key: id,
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
