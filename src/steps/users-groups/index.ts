/**
 * Entra ID users, groups and every kind of group member
 * (docs/data-model-rules.md, "Directory").
 *
 * Users and groups stream page by page into the job state. Member lists, one
 * per group, are the N+1 hot spot: they run concurrently through
 * GraphClient.forEachCollection, on the directory throttling budget shared
 * with every other step. Existence checks use jobState.hasKey (in memory),
 * never findEntity.
 */
import {
  IntegrationError,
  IntegrationStep,
} from '@jupiterone/integration-sdk-core';
import {
  graphClientOf,
  IntegrationConfig,
  IntegrationStepContext,
} from '../../config';
import { GraphClient } from '../../graph/client';
import {
  forEachGroupMembersPage,
  GraphDirectoryObject,
  GraphUser,
  iterateGroupPages,
  iterateUserPages,
  SignInActivityGap,
  signInActivityRefusal,
} from '../../graph/directory';
import {
  describeMissing,
  isGranted,
  Permissions,
} from '../../graph/permissions';
import { getAccountEntity } from '../account';
import {
  Entities,
  IngestionSources,
  MappedRelationships,
  Relationships,
  RELATIONSHIP_GRAPH_ID,
  Steps,
} from '../constants';
import { hasKeyNow, writingGraphObjects } from '../graph-objects';
import { countDirectoryObjects } from '../../graph/counts';
import { assertComplete, COUNT_CHECKS, startCount } from '../completeness';
import { requireStepPermissions } from '../require-permissions';
import { StepProgress } from '../progress';
import { warnMissing } from '../warnings';
import { RegistrationJoin } from '../sign-in-security/registration';
import { readRegistrationReport } from '../sign-in-security/registration-report';
import {
  buildGroupServicePrincipalRelationships,
  DeferredMember,
  GROUPS_COMPLETE,
  NOT_SERVICE_PRINCIPAL_TYPES,
  publishServicePrincipalMembers,
  writeOtherMember,
} from './group-service-principals';
import {
  memberKind,
  memberTypeOf,
  toAccountHasRelationship,
  toGroupEntity,
  toGroupHasMappedMemberRelationship,
  toGroupHasMemberRelationship,
  toUserEntity,
} from './converters';

const SIGN_IN_ACTIVITY_WARNING_PREFIX =
  'Users are ingested without signInActivity (last sign-in times)';

/** The warning logged and published when users arrive without signInActivity. */
export function signInActivityWarning(gap: SignInActivityGap): string {
  return gap === 'permission'
    ? `${SIGN_IN_ACTIVITY_WARNING_PREFIX}: ${describeMissing(
        Permissions.SIGN_IN_ACTIVITY,
      )}.`
    : `${SIGN_IN_ACTIVITY_WARNING_PREFIX}: Microsoft Graph answered Authentication_RequestFromNonPremiumTenantOrB2CTenant, the tenant has no Microsoft Entra ID P1 or P2 licence. Sign-in activity is collected once it has one.`;
}

/** The warning logged and published when members may arrive as `id` + `@odata.type` only. */
export const MEMBER_DETAILS_WARNING = `Group members that are devices or organizational contacts may be ingested with their id and type only: ${describeMissing(
  Permissions.DIRECTORY,
)}.`;

// ---- users -----------------------------------------------------------------------

export async function fetchUsers(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.USERS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const account = await getAccountEntity(jobState);
  const progress = new StepProgress(logger, client, Steps.USERS.name);
  const expected = startCount(logger, COUNT_CHECKS.USERS, () =>
    countDirectoryObjects(client, 'users'),
  );

  // Users and their MFA registration are read at once and joined as they
  // arrive (sign-in-security/registration.ts).
  const { withSignInActivity, registration } = await writingGraphObjects(
    jobState,
    async (writer) => {
      const join = new RegistrationJoin((user, properties) => {
        writer.addEntity(toUserEntity(user, properties));
        progress.add(Entities.USER._type);
      });
      const started = Date.now();
      const report = readRegistrationReport(context, client, join, () =>
        writer.drain(),
      );
      const reportEnded = report.done.then(() => Date.now());
      let signInActivity: boolean;
      try {
        signInActivity = await walkUsers(context, client, async (users) => {
          for (const user of users) {
            join.addUser(user);
            writer.addRelationship(
              toAccountHasRelationship(account, {
                _key: user.id,
                _type: Entities.USER._type,
              }),
            );
          }
          await writer.drain();
        });
      } catch (err) {
        // The users read so far are written now, without waiting for the report.
        report.stop();
        join.endReport();
        throw err;
      }
      const usersEnded = Date.now();
      const outcome = await report.done;
      const reportEndedAt = await reportEnded;
      return {
        withSignInActivity: signInActivity,
        registration: {
          ...outcome,
          ...join.finish(),
          // The join's cost: how long the users step waited for the report after /users ended.
          usersMs: usersEnded - started,
          reportMs: reportEndedAt - started,
          waitedForReportMs: Math.max(0, reportEndedAt - usersEnded),
        },
      };
    },
  );
  const { error, ...registrationCounts } = registration;
  progress.done({
    signInActivity: withSignInActivity,
    registration: registrationCounts,
  });
  assertComplete(
    logger,
    Steps.USERS.name,
    COUNT_CHECKS.USERS,
    progress.count(Entities.USER._type),
    await expected,
  );
  if (registration.status === 'failed') {
    throw new IntegrationError({
      code: 'REGISTRATION_DETAILS_INCOMPLETE',
      message: `${
        Steps.USERS.name
      } wrote every user, but the authentication-method registration report could not be read to its end, so ${
        registration.usersWithoutRecord
      } users lack it: ${(error as Error)?.message ?? String(error)}`,
      cause: error as Error,
    });
  }
}

/**
 * Hands every page of /users to `onPage`, with signInActivity when Graph
 * allows it. The token tells up front whether AuditLog.Read.All is granted;
 * only Graph can tell whether the tenant has the P1/P2 licence, so the first
 * page is asked with signInActivity and a refusal of that page (403 with one
 * of the two codes) restarts the walk without it. A probe (`$top=1`) would
 * cost one request on every run to save one on unlicensed tenants only.
 * A refusal after the first page, or any other error, fails the step: the
 * users already added are never read twice, and nothing is silently missing.
 */
async function walkUsers(
  context: IntegrationStepContext,
  client: GraphClient,
  onPage: (users: GraphUser[]) => Promise<void>,
): Promise<boolean> {
  const roles = await client.grantedRoles();
  let gap: SignInActivityGap | undefined =
    roles && !isGranted(Permissions.SIGN_IN_ACTIVITY, roles)
      ? 'permission'
      : undefined;
  if (!gap) {
    let pages = 0;
    try {
      for await (const page of iterateUserPages(client, {
        signInActivity: true,
      })) {
        pages++;
        await onPage(page);
      }
      return true;
    } catch (err) {
      gap = signInActivityRefusal(err);
      if (!gap || pages > 0) throw err;
      context.logger.debug(
        { gap },
        'Microsoft Graph refused signInActivity on the first page of users',
      );
    }
  }
  warnMissing(context.logger, signInActivityWarning(gap));
  for await (const page of iterateUserPages(client, {
    signInActivity: false,
  })) {
    await onPage(page);
  }
  return false;
}

// ---- groups ----------------------------------------------------------------------

export async function fetchGroups(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.GROUPS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const account = await getAccountEntity(jobState);
  const progress = new StepProgress(logger, client, Steps.GROUPS.name);
  const expected = startCount(logger, COUNT_CHECKS.GROUPS, () =>
    countDirectoryObjects(client, 'groups'),
  );

  for await (const groups of iterateGroupPages(client)) {
    const entities = groups.map(toGroupEntity);
    await jobState.addEntities(entities);
    await jobState.addRelationships(
      entities.map((group) => toAccountHasRelationship(account, group)),
    );
    progress.add(Entities.GROUP._type, entities.length);
  }
  await jobState.setData(GROUPS_COMPLETE, true);
  progress.done();
  assertComplete(
    logger,
    Steps.GROUPS.name,
    COUNT_CHECKS.GROUPS,
    progress.count(Entities.GROUP._type),
    await expected,
  );
}

// ---- group members ---------------------------------------------------------------

export async function fetchGroupMembers(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.GROUP_MEMBERS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const progress = new StepProgress(logger, client, Steps.GROUP_MEMBERS.name);
  const roles = await client.grantedRoles();
  if (roles && !isGranted(Permissions.DIRECTORY, roles)) {
    warnMissing(context.logger, MEMBER_DETAILS_WARNING);
  }

  const groupIds: string[] = [];
  await jobState.iterateEntities({ _type: Entities.GROUP._type }, (group) => {
    groupIds.push(group._key);
  });
  // One azure_group_member per member id, however many groups it is in.
  const memberEntityKeys = new Set<string>();
  // Service principal members and members of unknown types, related after
  // fetch-service-principals (group-service-principals.ts).
  const deferredMembers = new Map<string, DeferredMember>();

  await writingGraphObjects(jobState, async (writer) => {
    const onPage = async (groupId: string, members: GraphDirectoryObject[]) => {
      for (const member of members) {
        if (typeof member?.id !== 'string' || !member.id) {
          progress.add('membersWithoutId');
          continue;
        }
        const kind = memberKind(member);
        const unknownType =
          kind === 'other' &&
          !NOT_SERVICE_PRINCIPAL_TYPES.has(memberTypeOf(member));
        if (kind === 'servicePrincipal' || unknownType) {
          const pair = `${groupId}|${member.id}`;
          if (!deferredMembers.has(pair)) {
            deferredMembers.set(pair, [
              groupId,
              member.id,
              member.displayName || undefined,
              unknownType ? member : undefined,
            ]);
            progress.add(
              unknownType ? 'membersOfUnknownTypes' : 'servicePrincipalMembers',
            );
          }
          continue;
        }
        if (kind === 'other') {
          writeOtherMember(writer, progress, memberEntityKeys, groupId, member);
          continue;
        }
        const target = kind === 'user' ? Entities.USER : Entities.GROUP;
        // Directory ids are unique across object types: a key of this run
        // equal to a user's (group's) id is that user's (group's) entity.
        const relationship = hasKeyNow(jobState, member.id)
          ? toGroupHasMemberRelationship(groupId, member.id, target._type)
          : toGroupHasMappedMemberRelationship(groupId, member, kind);
        writer.addRelationship(relationship);
        progress.add(
          relationship._mapping
            ? `mapped ${relationship._type}`
            : relationship._type,
        );
      }
      await writer.drain();
    };

    await forEachGroupMembersPage(client, groupIds, onPage, {
      onGroupNotFound: (groupId) => {
        progress.add('groupsDeletedBeforeMemberListing');
        logger.info(
          { groupId },
          'A group listed by /groups no longer exists (404); its members are skipped',
        );
      },
    });
  });
  // Every group's members, only when every group was listed.
  if (await jobState.getData<boolean>(GROUPS_COMPLETE)) {
    await publishServicePrincipalMembers(jobState, deferredMembers);
  }
  progress.done({ groups: groupIds.length });
}

export const usersGroupsSteps: IntegrationStep<IntegrationConfig>[] = [
  {
    ...Steps.USERS,
    ingestionSourceId: IngestionSources.USERS_GROUPS,
    entities: [Entities.USER],
    relationships: [Relationships.ACCOUNT_HAS_USER],
    dependsOn: [Steps.ACCOUNT.id],
    executionHandler: fetchUsers,
  },
  {
    ...Steps.GROUPS,
    ingestionSourceId: IngestionSources.USERS_GROUPS,
    entities: [Entities.GROUP],
    relationships: [Relationships.ACCOUNT_HAS_GROUP],
    dependsOn: [Steps.ACCOUNT.id],
    executionHandler: fetchGroups,
  },
  {
    ...Steps.GROUP_MEMBERS,
    ingestionSourceId: IngestionSources.USERS_GROUPS,
    entities: [Entities.GROUP_MEMBER],
    relationships: [
      Relationships.GROUP_HAS_USER,
      Relationships.GROUP_HAS_GROUP,
      Relationships.GROUP_HAS_MEMBER,
    ],
    mappedRelationships: [
      MappedRelationships.GROUP_HAS_USER,
      MappedRelationships.GROUP_HAS_GROUP,
    ],
    dependsOn: [Steps.USERS.id, Steps.GROUPS.id],
    executionHandler: fetchGroupMembers,
  },
  {
    ...Steps.GROUP_SERVICE_PRINCIPALS,
    ingestionSourceId: IngestionSources.USERS_GROUPS,
    dependencyGraphId: RELATIONSHIP_GRAPH_ID,
    entities: [Entities.GROUP_MEMBER],
    relationships: [
      Relationships.GROUP_HAS_SERVICE_PRINCIPAL,
      Relationships.GROUP_HAS_MEMBER,
    ],
    mappedRelationships: [MappedRelationships.GROUP_HAS_SERVICE_PRINCIPAL],
    executionHandler: buildGroupServicePrincipalRelationships,
  },
];
