/**
 * Issue 15: what Intune policies are assigned to (docs/compliance.md
 * "Assignments").
 *
 * The policy steps read each policy's `assignments` with the list
 * (`$expand=assignments`), put "All devices" and "All users" on the policy
 * entity, and leave the group assignments in the job state. The step here
 * runs in the second dependency graph, once every group is written, and
 * relates each policy to the groups it includes (ASSIGNED) and excludes
 * (ALLOWS): direct when /groups returned the group, mapped otherwise.
 */
import {
  IntegrationError,
  IntegrationStep,
  Relationship,
  RelationshipClass,
  StepMappedRelationshipMetadata,
} from '@jupiterone/integration-sdk-core';
import {
  graphClientOf,
  IntegrationConfig,
  IntegrationStepContext,
} from '../../config';
import {
  AssignmentTarget,
  IntunePolicy,
  PolicySource,
} from '../../graph/compliance';
import {
  Entities,
  IngestionSources,
  MappedRelationships,
  Relationships,
  RELATIONSHIP_GRAPH_ID,
  Steps,
} from '../constants';
import { presentString, withoutUndefined } from '../convert';
import {
  directRelationship,
  hasKeyNow,
  relationshipKey,
  writingGraphObjects,
} from '../graph-objects';
import { mappedRelationshipTo } from '../principals';
import { StepProgress } from '../progress';

const TARGET = '#microsoft.graph.';
export const TargetTypes = {
  GROUP: `${TARGET}groupAssignmentTarget`,
  EXCLUSION_GROUP: `${TARGET}exclusionGroupAssignmentTarget`,
  ALL_DEVICES: `${TARGET}allDevicesAssignmentTarget`,
  ALL_USERS: `${TARGET}allLicensedUsersAssignmentTarget`,
} as const;

export type AssignmentIntent = 'include' | 'exclude';

/** An assignment filter: which devices of the target it keeps (include) or drops (exclude). */
export interface AssignmentFilter {
  filterId?: string;
  filterMode?: 'include' | 'exclude';
}

export interface GroupAssignment extends AssignmentFilter {
  groupId: string;
  intent: AssignmentIntent;
  assignmentId?: string;
}

/** A policy's assignments, read from its `assignments`. */
export interface PolicyTargets {
  allDevices?: AssignmentFilter;
  allUsers?: AssignmentFilter;
  /** One per (group, intent), in group id order. */
  groups: GroupAssignment[];
  /** `@odata.type`s of targets that are none of the four above (e.g. a Configuration Manager collection). */
  otherTargets: string[];
}

function filterOf(target: AssignmentTarget): AssignmentFilter {
  const mode = target.deviceAndAppManagementAssignmentFilterType;
  const filterId = presentString(
    target.deviceAndAppManagementAssignmentFilterId,
  );
  // "none" (or no filter id) is no filter, whatever the other field says.
  if (!filterId || (mode !== 'include' && mode !== 'exclude')) return {};
  return { filterId, filterMode: mode };
}

/**
 * The targets of a policy's `assignments`. A group named twice with one
 * intent is kept once: the assignment with the lower id, so that the
 * relationship's properties do not depend on Graph's order.
 */
export function targetsOf(
  policy: Pick<IntunePolicy, 'assignments'>,
): PolicyTargets {
  const targets: PolicyTargets = { groups: [], otherTargets: [] };
  const assignments = Array.isArray(policy.assignments)
    ? [...policy.assignments].sort((a, b) =>
        String(a?.id ?? '').localeCompare(String(b?.id ?? '')),
      )
    : [];
  const groups = new Map<string, GroupAssignment>();
  for (const assignment of assignments) {
    const target = assignment?.target;
    if (!target) continue;
    const type = target['@odata.type'];
    switch (type) {
      case TargetTypes.ALL_DEVICES:
        targets.allDevices ??= filterOf(target);
        break;
      case TargetTypes.ALL_USERS:
        targets.allUsers ??= filterOf(target);
        break;
      case TargetTypes.GROUP:
      case TargetTypes.EXCLUSION_GROUP: {
        const groupId = presentString(target.groupId);
        if (!groupId) {
          targets.otherTargets.push(`${type} without groupId`);
          break;
        }
        const intent = type === TargetTypes.GROUP ? 'include' : 'exclude';
        const key = `${intent}|${groupId}`;
        if (groups.has(key)) break;
        groups.set(key, {
          groupId,
          intent,
          assignmentId: presentString(assignment.id),
          ...filterOf(target),
        });
        break;
      }
      default:
        targets.otherTargets.push(String(type ?? '(no @odata.type)'));
    }
  }
  targets.groups = Array.from(groups.values()).sort((a, b) =>
    a.groupId === b.groupId
      ? a.intent.localeCompare(b.intent)
      : a.groupId.localeCompare(b.groupId),
  );
  return targets;
}

/** The policy entity's properties for "All devices" and "All users" (they are not groups). */
export function assignmentPropertiesOf(
  targets: PolicyTargets,
): Record<string, string | number | boolean | undefined> {
  return {
    assignedToAllDevices: Boolean(targets.allDevices),
    allDevicesFilterId: targets.allDevices?.filterId,
    allDevicesFilterMode: targets.allDevices?.filterMode,
    assignedToAllUsers: Boolean(targets.allUsers),
    allUsersFilterId: targets.allUsers?.filterId,
    allUsersFilterMode: targets.allUsers?.filterMode,
    includedGroupCount: targets.groups.filter((g) => g.intent === 'include')
      .length,
    excludedGroupCount: targets.groups.filter((g) => g.intent === 'exclude')
      .length,
  };
}

// ---- relationships ----------------------------------------------------------------------

type PolicyType =
  | typeof Entities.COMPLIANCE_POLICY._type
  | typeof Entities.DEVICE_CONFIGURATION._type;

const POLICY_TYPE: Record<PolicySource, PolicyType> = {
  compliancePolicy: Entities.COMPLIANCE_POLICY._type,
  deviceConfiguration: Entities.DEVICE_CONFIGURATION._type,
  // issue 15: administrativeTemplate, settingsCompliance
  groupPolicyConfiguration: Entities.DEVICE_CONFIGURATION._type,
  settingsCompliancePolicy: Entities.COMPLIANCE_POLICY._type,
  settingsPolicy: Entities.DEVICE_CONFIGURATION._type, // issue 15
};

const CLASS_OF: Record<AssignmentIntent, RelationshipClass> = {
  include: RelationshipClass.ASSIGNED,
  exclude: RelationshipClass.ALLOWS,
};

const MAPPED_ROWS: Record<
  PolicySource,
  Record<AssignmentIntent, StepMappedRelationshipMetadata>
> = {
  compliancePolicy: {
    include: MappedRelationships.COMPLIANCE_POLICY_ASSIGNED_GROUP,
    exclude: MappedRelationships.COMPLIANCE_POLICY_ALLOWS_GROUP,
  },
  deviceConfiguration: {
    include: MappedRelationships.DEVICE_CONFIGURATION_ASSIGNED_GROUP,
    exclude: MappedRelationships.DEVICE_CONFIGURATION_ALLOWS_GROUP,
  },
  // issue 15: administrativeTemplate, settingsCompliance
  groupPolicyConfiguration: {
    include: MappedRelationships.DEVICE_CONFIGURATION_ASSIGNED_GROUP,
    exclude: MappedRelationships.DEVICE_CONFIGURATION_ALLOWS_GROUP,
  },
  settingsCompliancePolicy: {
    include: MappedRelationships.COMPLIANCE_POLICY_ASSIGNED_GROUP,
    exclude: MappedRelationships.COMPLIANCE_POLICY_ALLOWS_GROUP,
  },
  // issue 15: settingsCatalog / endpointSecurity are configurations
  settingsPolicy: {
    include: MappedRelationships.DEVICE_CONFIGURATION_ASSIGNED_GROUP,
    exclude: MappedRelationships.DEVICE_CONFIGURATION_ALLOWS_GROUP,
  },
};

/**
 * policy ASSIGNED group (included) or policy ALLOWS group (excluded), with
 * the assignment's id, intent and filter. Direct when the group is an
 * entity of this collection, mapped by `_type` and `_key` otherwise; one
 * key either way.
 */
export function toPolicyGroupRelationship(
  source: PolicySource,
  policyId: string,
  assignment: GroupAssignment,
  groupCollected: boolean,
): Relationship {
  const _class = CLASS_OF[assignment.intent];
  const properties = withoutUndefined({
    assignmentId: assignment.assignmentId,
    intent: assignment.intent,
    filterId: assignment.filterId,
    filterMode: assignment.filterMode,
  });
  if (groupCollected) {
    return directRelationship({
      _class,
      fromType: POLICY_TYPE[source],
      fromKey: policyId,
      toType: Entities.GROUP._type,
      toKey: assignment.groupId,
      properties,
    });
  }
  return mappedRelationshipTo({
    row: MAPPED_ROWS[source][assignment.intent],
    sourceKey: policyId,
    target: Entities.GROUP,
    targetKey: assignment.groupId,
    key: relationshipKey(
      `${policyId}|${_class.toLowerCase()}|${assignment.groupId}`,
    ),
    properties,
  });
}

// ---- the hand-over between the steps ------------------------------------------------------

/** What a policy step leaves for the relationship step: each policy's group assignments. */
export interface PolicyGroupAssignments {
  policyId: string;
  groups: GroupAssignment[];
}

/** Set by a policy step once its policy entities are written. */
export function assignmentsDataKey(source: PolicySource): string {
  return `intune-policy-assignments:${source}`;
}

/**
 * Called by a policy step once its policy entities are in the job state:
 * their group assignments, for the relationship step. Targets that are
 * neither a group nor "All devices" / "All users" are counted and logged.
 */
export async function handOverAssignments(
  context: IntegrationStepContext,
  stepName: string,
  source: PolicySource,
  policies: IntunePolicy[],
): Promise<void> {
  const handOver: PolicyGroupAssignments[] = [];
  const otherTargets = new Map<string, number>();
  for (const policy of policies) {
    const targets = targetsOf(policy);
    if (targets.groups.length) {
      handOver.push({ policyId: policy.id, groups: targets.groups });
    }
    for (const type of targets.otherTargets) {
      otherTargets.set(type, (otherTargets.get(type) ?? 0) + 1);
    }
  }
  await context.jobState.setData(assignmentsDataKey(source), handOver);
  if (otherTargets.size) {
    context.logger.info(
      { targets: Object.fromEntries(otherTargets) },
      `${stepName}: assignments to targets that are neither a group, "All devices" nor "All users" (${Array.from(
        otherTargets.keys(),
      ).join(', ')}) are not related.`,
    );
  }
}

const SOURCES: PolicySource[] = [
  'compliancePolicy',
  'deviceConfiguration',
  // issue 15: administrativeTemplate, settingsCompliance
  'groupPolicyConfiguration',
  'settingsCompliancePolicy',
  'settingsPolicy', // issue 15
];

const POLICY_STEP: Record<PolicySource, { name: string }> = {
  compliancePolicy: Steps.COMPLIANCE_POLICIES,
  deviceConfiguration: Steps.DEVICE_CONFIGURATIONS,
  // issue 15
  groupPolicyConfiguration: Steps.ADMINISTRATIVE_TEMPLATES,
  settingsCompliancePolicy: Steps.SETTINGS_COMPLIANCE_POLICIES,
  settingsPolicy: Steps.SETTINGS_POLICIES, // issue 15
};

/** "A", "A and B", "A, B and C". */
function listOf(names: string[]): string {
  return names.length < 2
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export async function buildPolicyGroupRelationships(
  context: IntegrationStepContext,
): Promise<void> {
  const { jobState, logger } = context;
  const progress = new StepProgress(
    logger,
    graphClientOf(context),
    Steps.POLICY_ASSIGNMENTS.name,
  );
  const incomplete: string[] = [];
  await writingGraphObjects(jobState, async (writer) => {
    for (const source of SOURCES) {
      const policies = await jobState.getData<PolicyGroupAssignments[]>(
        assignmentsDataKey(source),
      );
      if (!policies) {
        incomplete.push(POLICY_STEP[source].name);
        continue;
      }
      for (const { policyId, groups } of policies) {
        // A policy deleted during the collection is not in the graph.
        if (!hasKeyNow(jobState, policyId)) continue;
        for (const assignment of groups) {
          const relationship = toPolicyGroupRelationship(
            source,
            policyId,
            assignment,
            hasKeyNow(jobState, assignment.groupId),
          );
          writer.addRelationship(relationship);
          progress.add(
            `${relationship._type}${relationship._mapping ? ' (mapped)' : ''}`,
          );
        }
        await writer.drain();
      }
    }
  });
  progress.done();
  if (incomplete.length) {
    throw new IntegrationError({
      code: 'POLICY_ASSIGNMENTS_INCOMPLETE',
      message: `${Steps.POLICY_ASSIGNMENTS.name}: ${listOf(
        incomplete,
      )} did not complete in this execution, so the group assignments of those policies are not related; the previous ones are kept.`,
    });
  }
}

export const policyAssignmentSteps: IntegrationStep<IntegrationConfig>[] = [
  {
    ...Steps.POLICY_ASSIGNMENTS,
    ingestionSourceId: IngestionSources.COMPLIANCE,
    // Runs after every collection step, so every group is written.
    dependencyGraphId: RELATIONSHIP_GRAPH_ID,
    entities: [],
    relationships: [
      Relationships.COMPLIANCE_POLICY_ASSIGNED_GROUP,
      Relationships.COMPLIANCE_POLICY_ALLOWS_GROUP,
      Relationships.DEVICE_CONFIGURATION_ASSIGNED_GROUP,
      Relationships.DEVICE_CONFIGURATION_ALLOWS_GROUP,
    ],
    // One row per (type, class): the families of one type share theirs.
    mappedRelationships: Array.from(
      new Set(
        Object.values(MAPPED_ROWS).flatMap((rows) => Object.values(rows)),
      ),
    ),
    executionHandler: buildPolicyGroupRelationships,
  },
];
