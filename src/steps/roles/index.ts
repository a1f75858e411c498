/**
 * Privileged roles (docs/identity-security.md, "Roles"):
 *
 * - fetch-role-definitions: every built-in and custom role definition, an
 *   `azure_ad_role_definition` each.
 * - fetch-role-assignments: active assignments (roleAssignments) and, with
 *   Entra ID P2, the PIM schedule instances (active with dates, and
 *   eligible), merged into one record per principal, role, scope and type
 *   (assignments.ts). Handed to the relationship step in memory.
 * - build-role-assignment-relationships, in the second dependency graph
 *   (after users, groups and service principals are known): principal HAS
 *   role, direct or mapped.
 */
import {
  IntegrationError,
  IntegrationProviderAuthorizationError,
  IntegrationStep,
} from '@jupiterone/integration-sdk-core';
import {
  graphClientOf,
  IntegrationConfig,
  IntegrationStepContext,
} from '../../config';
import { GraphClient } from '../../graph/client';
import {
  describeMissing,
  isGranted,
  Permissions,
} from '../../graph/permissions';
import {
  isPimLicenceRefusal,
  isPimPermissionRefusal,
  iterateRoleAssignmentPages,
  iterateRoleDefinitionPages,
  iterateRoleScheduleInstancePages,
  ScheduleKind,
} from '../../graph/role-management';
import {
  Entities,
  IngestionSources,
  MappedRelationships,
  Relationships,
  RELATIONSHIP_GRAPH_ID,
  Steps,
} from '../constants';
import { hasKeyNow, writingGraphObjects } from '../graph-objects';
import {
  collectedServicePrincipalIds,
  isPrincipalCollected,
} from '../principals';
import { StepProgress } from '../progress';
import { requireStepPermissions } from '../require-permissions';
import { warnMissing } from '../warnings';
import { RoleAssignment, RoleAssignmentMerge } from './assignments';
import {
  roleRelationshipType,
  toRoleAssignmentRelationship,
  toRoleDefinitionEntity,
} from './converters';

/** Set once every role definition was read. */
export const ROLE_DEFINITIONS_COMPLETE = 'roles:definitions-complete';
/** The merged assignments, set once every list the tenant allows was read. */
export const ROLE_ASSIGNMENTS_DATA = 'roles:assignments';

const PIM_UNAVAILABLE_PREFIX =
  'PIM-eligible and time-bound role assignments are not collected';

/** Logged (info) when the tenant has no Entra ID P2: nothing of it is missing that could exist. */
export const PIM_LICENCE_MESSAGE = `${PIM_UNAVAILABLE_PREFIX}: Microsoft Graph answered AadPremiumLicenseRequired, the tenant has no Microsoft Entra ID P2 (or ID Governance) licence. Active role assignments are collected.`;

/** Why the relationship step fails (after writing the active assignments) when PIM could not be read. */
export const PIM_INCOMPLETE_MESSAGE = `${Steps.ROLE_RELATIONSHIPS.name} wrote the active role assignments, but not the PIM-eligible ones: ${describeMissing(
  Permissions.PIM,
)}. Until then the previous role assignment relationships are kept as well.`;

/** Logged (warning) when the app may not read PIM schedules. */
export const PIM_PERMISSION_MESSAGE = `${PIM_UNAVAILABLE_PREFIX}: ${describeMissing(
  Permissions.PIM,
)}. Active role assignments are collected.`;

export async function fetchRoleDefinitions(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.ROLE_DEFINITIONS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const progress = new StepProgress(
    logger,
    client,
    Steps.ROLE_DEFINITIONS.name,
  );
  await writingGraphObjects(jobState, async (writer) => {
    for await (const page of iterateRoleDefinitionPages(client)) {
      for (const role of page) {
        if (typeof role?.id !== 'string' || !role.id) {
          progress.add('skipped: role definition without id');
          continue;
        }
        const entity = toRoleDefinitionEntity(role);
        writer.addEntity(entity);
        progress.add(entity._type);
        if (entity.privileged === true) progress.add('privileged');
        if (entity.custom === true) progress.add('custom');
      }
      await writer.drain();
    }
  });
  await jobState.setData(ROLE_DEFINITIONS_COMPLETE, true);
  progress.done();
}

export interface RoleAssignmentsData {
  assignments: RoleAssignment[];
  /** Whether the PIM schedules were read, or why not. */
  pim: 'read' | 'noLicence' | 'noPermission';
}

export async function fetchRoleAssignments(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.ROLE_ASSIGNMENTS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const progress = new StepProgress(
    logger,
    client,
    Steps.ROLE_ASSIGNMENTS.name,
  );
  const merge = new RoleAssignmentMerge();
  for await (const page of iterateRoleAssignmentPages(client)) {
    for (const item of page) merge.add(item, 'roleAssignments');
    progress.add('roleAssignments', page.length);
  }
  const pim = await readPimSchedules(context, client, merge, progress);
  const assignments = merge.assignments();
  const data: RoleAssignmentsData = { assignments, pim };
  await jobState.setData(ROLE_ASSIGNMENTS_DATA, data);
  for (const a of assignments) progress.add(`${a.assignmentType} assignments`);
  progress.done({ pim, skipped: merge.skipped });
}

/**
 * The two PIM lists. The token tells whether the app may read them; only
 * Graph can tell whether the tenant has P2, by refusing the first page of
 * the first list (then the second is not asked). A refusal after a page was
 * read, or any other error, fails the step.
 */
async function readPimSchedules(
  context: IntegrationStepContext,
  client: GraphClient,
  merge: RoleAssignmentMerge,
  progress: StepProgress,
): Promise<RoleAssignmentsData['pim']> {
  const roles = await client.grantedRoles();
  if (roles && !isGranted(Permissions.PIM, roles)) {
    warnMissing(context.logger, PIM_PERMISSION_MESSAGE);
    return 'noPermission';
  }
  const lists: [ScheduleKind, 'activeInstances' | 'eligibleInstances'][] = [
    ['active', 'activeInstances'],
    ['eligible', 'eligibleInstances'],
  ];
  for (const [kind, source] of lists) {
    let pages = 0;
    try {
      for await (const page of iterateRoleScheduleInstancePages(client, kind)) {
        pages++;
        for (const item of page) merge.add(item, source);
        progress.add(source, page.length);
      }
    } catch (err) {
      if (pages > 0) throw err;
      if (isPimLicenceRefusal(err)) {
        context.logger.info(PIM_LICENCE_MESSAGE);
        return 'noLicence';
      }
      if (isPimPermissionRefusal(err)) {
        warnMissing(context.logger, PIM_PERMISSION_MESSAGE);
        return 'noPermission';
      }
      throw err;
    }
  }
  return 'read';
}

export async function buildRoleAssignmentRelationships(
  context: IntegrationStepContext,
): Promise<void> {
  const { jobState, logger } = context;
  const data = await jobState.getData<RoleAssignmentsData>(
    ROLE_ASSIGNMENTS_DATA,
  );
  const definitions = await jobState.getData<boolean>(
    ROLE_DEFINITIONS_COMPLETE,
  );
  if (!data || !definitions) {
    const missing = !data ? Steps.ROLE_ASSIGNMENTS : Steps.ROLE_DEFINITIONS;
    throw new IntegrationError({
      code: 'ROLES_INCOMPLETE',
      message: `${Steps.ROLE_RELATIONSHIPS.name} did not run: ${missing.name} did not complete in this execution. The previous role assignment relationships are kept.`,
    });
  }
  const progress = new StepProgress(
    logger,
    graphClientOf(context),
    Steps.ROLE_RELATIONSHIPS.name,
  );
  const servicePrincipals = await collectedServicePrincipalIds(jobState);
  const unknownRoles = new Set<string>();
  await writingGraphObjects(jobState, async (writer) => {
    for (const assignment of data.assignments) {
      const { principalType: type } = assignment;
      if (!type) {
        // Graph named no user, group or service principal: deleted, or another kind.
        progress.add('skipped: principal not found');
        continue;
      }
      if (!hasKeyNow(jobState, assignment.roleDefinitionId)) {
        progress.add('skipped: role not listed');
        unknownRoles.add(assignment.roleDefinitionId);
        continue;
      }
      const collected = isPrincipalCollected(
        jobState,
        type,
        assignment.principalId,
        servicePrincipals,
      );
      writer.addRelationship(
        toRoleAssignmentRelationship(
          { ...assignment, principalType: type },
          collected,
        ),
      );
      await writer.drain();
      progress.add(
        `${roleRelationshipType(type)} ${assignment.assignmentType}${
          collected ? '' : ' (mapped)'
        }`,
      );
    }
  });
  if (unknownRoles.size) {
    logger.warn(
      { roleDefinitionIds: Array.from(unknownRoles).sort() },
      `${Steps.ROLE_RELATIONSHIPS.name}: ${progress.count(
        'skipped: role not listed',
      )} role assignments name role definitions that ${
        Steps.ROLE_DEFINITIONS.name
      } did not list (deleted custom roles); they are left out.`,
    );
  }
  progress.done({ pim: data.pim });
  if (data.pim === 'noPermission') {
    // The eligible assignments exist but could not be read: the types are short, so partial.
    const error = new IntegrationProviderAuthorizationError({
      endpoint: graphClientOf(context).graphEndpoint,
      status: 403,
      statusText: 'MissingPermission',
    });
    error.message = PIM_INCOMPLETE_MESSAGE;
    throw error;
  }
}

export const rolesSteps: IntegrationStep<IntegrationConfig>[] = [
  {
    ...Steps.ROLE_DEFINITIONS,
    ingestionSourceId: IngestionSources.ROLES,
    entities: [Entities.ROLE_DEFINITION],
    relationships: [],
    executionHandler: fetchRoleDefinitions,
  },
  {
    ...Steps.ROLE_ASSIGNMENTS,
    ingestionSourceId: IngestionSources.ROLES,
    entities: [],
    relationships: [],
    executionHandler: fetchRoleAssignments,
  },
  {
    ...Steps.ROLE_RELATIONSHIPS,
    ingestionSourceId: IngestionSources.ROLES,
    dependencyGraphId: RELATIONSHIP_GRAPH_ID,
    entities: [],
    relationships: [
      Relationships.USER_HAS_ROLE,
      Relationships.GROUP_HAS_ROLE,
      Relationships.SERVICE_PRINCIPAL_HAS_ROLE,
    ],
    mappedRelationships: [
      MappedRelationships.USER_HAS_ROLE,
      MappedRelationships.GROUP_HAS_ROLE,
      MappedRelationships.SERVICE_PRINCIPAL_HAS_ROLE,
    ],
    executionHandler: buildRoleAssignmentRelationships,
  },
];
