/**
 * Intune compliance: compliance policies and device configurations, which
 * host agent each is assigned to with the device's status, and one open
 * finding per (policy, device) that is nonCompliant, in error or in conflict
 * (docs/data-model-rules.md "Compliance", docs/compliance.md).
 *
 * The two steps run the same routine on two sources. Policies are few and
 * read first; their statuses (every policy x its devices) are walked
 * concurrently, page by page, and each page goes to the job state as it
 * arrives (in runs of one type, GraphObjectWriter). Devices are looked up
 * in one in-memory index, never findEntity.
 */
import {
  IntegrationError,
  IntegrationStep,
  StepRelationshipMetadata,
} from '@jupiterone/integration-sdk-core';
import {
  graphClientOf,
  IntegrationConfig,
  IntegrationStepContext,
} from '../../config';
import { GraphClient } from '../../graph/client';
import { PolicyDeviceStatus } from '../../graph/compliance';
import {
  allOf,
  Entities,
  IngestionSources,
  Relationships,
  Steps,
} from '../constants';
import { GraphObjectWriter, writingGraphObjects } from '../graph-objects';
import { DeviceIndex, loadDeviceIndex } from '../intune-devices/device-index';
import { requireStepPermissions } from '../require-permissions';
import { brief, StepProgress } from '../progress';
import {
  toAssignedRelationship,
  toDeviceHasFindingRelationship,
  toFindingEntity,
  toIdentifiedRelationship,
  toPolicyEntity,
} from './converters';
import {
  deviceIdOfStatus,
  isDecidingStatus,
  isRecognizedStatus,
  statusOutcome,
} from './statuses';
import { handOverAssignments, policyAssignmentSteps } from './assignments';
import { assertStatusListsComplete } from './cross-check';
import { PolicyState, readPolicies } from './policy-state';
import {
  PolicyStatusReader,
  PolicyStepSpec,
  statusListReader,
} from './policy-reader';
// issue 15: administrativeTemplate, settingsCompliance
import { ADMINISTRATIVE_TEMPLATES_SPEC } from './administrative-templates';
import { SETTINGS_COMPLIANCE_POLICIES_SPEC } from './settings-compliance';

export {
  BATCH_DEVICE_STATUSES,
  STATUS_WALK_CONCURRENCY,
} from './policy-reader';
export type { PolicyStatusReader, PolicyStepSpec } from './policy-reader';

/** The per-step counters that the end-of-step log line carries. */
export const Counters = {
  POLICIES: 'policies',
  STATUSES: 'deviceStatuses',
  ASSIGNED: 'assignedRelationships',
  FINDINGS: 'findings',
  NOT_ASSIGNED: 'notAssignedStatuses',
  UNKNOWN_DEVICES: 'statusesForUnknownDevices',
  UNRECOGNIZED_STATUSES: 'unrecognizedStatuses',
  DUPLICATE_STATUSES: 'statusesForADeviceAlreadyRead',
  MALFORMED_STATUS_IDS: 'statusesWithoutDeviceId',
  POLICIES_GONE: 'policiesDeletedDuringCollection',
} as const;

const EXAMPLES_LOGGED = 5;

/**
 * The one routine behind both steps: policies of `spec.source`, their
 * device statuses, findings and relationships.
 */
export async function fetchPoliciesAndFindings(
  context: IntegrationStepContext,
  spec: PolicyStepSpec,
  options: { batch?: boolean; concurrency?: number } = {},
  readerOf: (
    client: GraphClient,
    context: IntegrationStepContext,
  ) => PolicyStatusReader = (client) =>
    statusListReader(client, context, spec, options),
): Promise<void> {
  await requireStepPermissions(context, spec.step.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const reader = readerOf(client, context);
  const progress = new StepProgress(logger, client, spec.step.name);

  const devicesRead = loadDeviceIndex(jobState);
  let policies: Map<string, PolicyState>;
  try {
    policies = await readPolicies(spec.source, () => reader.iteratePolicies());
  } catch (err) {
    // issue 15: a family the tenant's licence lacks is skipped, not failed.
    const absent = reader.familyAbsent?.(err);
    if (absent === undefined) throw err;
    await devicesRead;
    logger.info(
      { policyFamily: spec.source, err },
      `${spec.step.name}: ${absent}`,
    );
    await handOverAssignments(context, spec.step.name, spec.source, []);
    progress.done();
    return;
  }
  const devices = await devicesRead;
  progress.add(Counters.POLICIES, policies.size);
  // issue 15: each policy's own count, read while its statuses are walked.
  const overviews = reader.readCounts(Array.from(policies.keys()));

  const unknownDeviceExamples: string[] = [];
  const unrecognized = new Map<string, number>();
  const gone: string[] = [];
  await writingGraphObjects(jobState, async (writer) => {
    const writePolicyStatuses = async (policyId: string) => {
      const state = policies.get(policyId);
      if (!state) return;
      await reader.beforeWrite?.(state);
      writeDecidingStatuses(writer, state, devices, {
        findingProperties: reader.findingProperties,
        onUnrecognizedStatus: (value) => {
          progress.add(Counters.UNRECOGNIZED_STATUSES);
          const shown = brief(value);
          unrecognized.set(shown, (unrecognized.get(shown) ?? 0) + 1);
        },
        count: (counter) => progress.add(counter),
      });
      await writer.drain();
    };
    await reader.walkStatuses(
      Array.from(policies.keys()),
      (policyId, statuses) => {
        const state = policies.get(policyId);
        if (!state) return;
        readStatusPage(state, statuses, devices, {
          onUnknownDevice: (deviceId) => {
            progress.add(Counters.UNKNOWN_DEVICES);
            if (unknownDeviceExamples.length < EXAMPLES_LOGGED) {
              unknownDeviceExamples.push(deviceId);
            }
          },
          onMalformedId: (statusId) =>
            logger.debug(
              { policyId, statusId },
              'Device status without a device id; skipped',
            ),
          count: (counter) => progress.add(counter),
        });
      },
      {
        onPolicyDone: writePolicyStatuses,
        onPolicyGone: async (policyId) => {
          progress.add(Counters.POLICIES_GONE);
          gone.push(policyId);
          // What was read before it went still stands.
          await writePolicyStatuses(policyId);
        },
      },
    );

    // A policy deleted before its first status page is left out; one deleted
    // part-way keeps its entity, which its relationships already point at.
    for (const policyId of gone) {
      if (!policies.get(policyId)?.tally.assignedDevices)
        policies.delete(policyId);
    }
    for (const state of policies.values()) {
      writer.addEntity(toPolicyEntity(spec.source, state.policy, state.tally));
    }
  });

  await handOverAssignments(
    context,
    spec.step.name,
    spec.source,
    Array.from(policies.values(), (state) => state.policy),
  );

  if (gone.length) {
    logger.warn(
      { policyIds: gone.slice(0, EXAMPLES_LOGGED), count: gone.length },
      `${spec.step.name}: ${gone.length} ${spec.label} were deleted between the list call and reading their device statuses (404).`,
    );
  }
  const unknownDevices = progress.count(Counters.UNKNOWN_DEVICES);
  if (unknownDevices) {
    logger.info(
      {
        [Counters.UNKNOWN_DEVICES]: unknownDevices,
        exampleDeviceIds: unknownDeviceExamples,
      },
      `${spec.step.name}: ${unknownDevices} device statuses name a device that is not a managed device of this collection (deleted between calls, or not read); they were skipped.`,
    );
  }
  if (unrecognized.size) {
    logger.warn(
      {
        [Counters.UNRECOGNIZED_STATUSES]: progress.count(
          Counters.UNRECOGNIZED_STATUSES,
        ),
        values: Object.fromEntries(unrecognized),
      },
      `${
        spec.step.name
      }: device statuses with a status value this integration does not know (${Array.from(
        unrecognized.keys(),
      ).join(', ')}); the host agents are ASSIGNED the ${
        spec.singular
      } with that status, and no finding was created for them.`,
    );
  }
  progress.done({
    [Counters.UNKNOWN_DEVICES]: unknownDevices,
    devicesInIndex: devices.size,
  });
  const rows =
    progress.count(Counters.STATUSES) -
    progress.count(Counters.MALFORMED_STATUS_IDS);
  if (rows > 0 && unknownDevices === rows && devices.size > 0) {
    // Every status named a device we do not have: a change in how Graph
    // spells device ids, not a fleet without statuses. Never succeed with zero.
    throw new IntegrationError({
      code: 'UNMATCHED_STATUS_ROWS',
      message: `${spec.step.name}: Graph returned ${rows} device statuses and none of them names a managed device of this collection (${devices.size} devices), so no status was recorded; the previous data of this step is kept.`,
    });
  }
  assertStatusListsComplete(
    logger,
    spec.step.name,
    Array.from(policies.values())
      .filter((state) => !gone.includes(state.policy.id))
      .map(({ policy, summary, tally, listedUnknown }) => ({
        policyId: policy.id,
        policyName: summary.name,
        collected: tally.assignedDevices + listedUnknown,
      })),
    await overviews,
    reader.check.count,
    reader.check.name,
  );
}

interface PageCallbacks {
  onUnknownDevice(deviceId: string): void;
  onMalformedId(statusId: unknown): void;
  count(counter: string): void;
}

/** One page of one policy's statuses: each row competes to decide its device. */
function readStatusPage(
  state: PolicyState,
  statuses: PolicyDeviceStatus[],
  devices: DeviceIndex,
  on: PageCallbacks,
): void {
  const deciding = (state.deciding ??= new Map());
  for (const status of statuses) {
    on.count(Counters.STATUSES);
    const deviceId = deviceIdOfStatus(status?.id);
    if (!deviceId) {
      on.count(Counters.MALFORMED_STATUS_IDS);
      on.onMalformedId(status?.id);
      continue;
    }
    const ordinal = devices.ordinalOf(deviceId);
    if (ordinal === undefined) {
      on.onUnknownDevice(deviceId);
      // Still a device the list holds, for the cross-check (cross-check.ts).
      if (status.status !== 'notAssigned')
        (state.unknownListed ??= new Set()).add(deviceId.toLowerCase());
      continue;
    }
    const before = deciding.get(ordinal);
    if (before) on.count(Counters.DUPLICATE_STATUSES);
    if (!before || isDecidingStatus(status, before)) {
      deciding.set(ordinal, status);
    }
  }
}

/** A policy's deciding rows -> ASSIGNED relationships, findings and their relationships. */
function writeDecidingStatuses(
  writer: GraphObjectWriter,
  state: PolicyState,
  devices: DeviceIndex,
  on: {
    onUnrecognizedStatus(value: string): void;
    count(counter: string): void;
    findingProperties?: PolicyStatusReader['findingProperties'];
  },
): void {
  const deciding = state.deciding;
  state.deciding = undefined;
  state.listedUnknown += state.unknownListed?.size ?? 0;
  state.unknownListed = undefined;
  for (const [ordinal, status] of deciding ?? []) {
    // The id the devices step read: a status may spell it in another case.
    const deviceId = devices.idAt(ordinal);
    const value = status.status ?? '';
    const outcome = statusOutcome(value);
    if (!outcome.assigned) {
      on.count(Counters.NOT_ASSIGNED);
      continue;
    }
    if (!isRecognizedStatus(value)) on.onUnrecognizedStatus(value || '(none)');
    writer.addRelationship(
      toAssignedRelationship(state.summary, status, deviceId),
    );
    state.tally.assignedDevices++;
    on.count(Counters.ASSIGNED);
    if (!outcome.finding) continue;
    const finding = toFindingEntity(state.summary, status, deviceId);
    // issue 15: e.g. the settings that fail (settings policies)
    Object.assign(finding, on.findingProperties?.(state, deviceId));
    writer.addEntity(finding);
    writer.addRelationship(toIdentifiedRelationship(state.summary, finding));
    writer.addRelationship(
      toDeviceHasFindingRelationship(
        devices.kindAt(ordinal),
        deviceId,
        finding,
      ),
    );
    state.tally.findings++;
    on.count(Counters.FINDINGS);
  }
}

function policyStep(
  spec: PolicyStepSpec,
  entity: typeof Entities.COMPLIANCE_POLICY,
  assigned: StepRelationshipMetadata,
  identified: StepRelationshipMetadata,
): IntegrationStep<IntegrationConfig> {
  return {
    ...spec.step,
    entities: [entity, Entities.NONCOMPLIANCE_FINDING],
    relationships: [
      assigned,
      identified,
      ...allOf(Relationships.DEVICE_HAS_FINDING),
    ],
    dependsOn: [Steps.DEVICES.id],
    ingestionSourceId: IngestionSources.COMPLIANCE,
    executionHandler: (context) => fetchPoliciesAndFindings(context, spec),
  };
}

export const COMPLIANCE_POLICIES_SPEC: PolicyStepSpec = {
  source: 'compliancePolicy',
  step: Steps.COMPLIANCE_POLICIES,
  label: 'compliance policies',
  singular: 'compliance policy',
};

export const DEVICE_CONFIGURATIONS_SPEC: PolicyStepSpec = {
  source: 'deviceConfiguration',
  step: Steps.DEVICE_CONFIGURATIONS,
  label: 'device configurations',
  singular: 'device configuration',
};

export const complianceSteps: IntegrationStep<IntegrationConfig>[] = [
  policyStep(
    COMPLIANCE_POLICIES_SPEC,
    Entities.COMPLIANCE_POLICY,
    Relationships.HOST_AGENT_ASSIGNED_COMPLIANCE_POLICY,
    Relationships.COMPLIANCE_POLICY_IDENTIFIED_FINDING,
  ),
  policyStep(
    DEVICE_CONFIGURATIONS_SPEC,
    Entities.DEVICE_CONFIGURATION,
    Relationships.HOST_AGENT_ASSIGNED_DEVICE_CONFIGURATION,
    Relationships.DEVICE_CONFIGURATION_IDENTIFIED_FINDING,
  ),
  // issue 15: administrativeTemplate, settingsCompliance
  policyStep(
    ADMINISTRATIVE_TEMPLATES_SPEC,
    Entities.DEVICE_CONFIGURATION,
    Relationships.HOST_AGENT_ASSIGNED_DEVICE_CONFIGURATION,
    Relationships.DEVICE_CONFIGURATION_IDENTIFIED_FINDING,
  ),
  policyStep(
    SETTINGS_COMPLIANCE_POLICIES_SPEC,
    Entities.COMPLIANCE_POLICY,
    Relationships.HOST_AGENT_ASSIGNED_COMPLIANCE_POLICY,
    Relationships.COMPLIANCE_POLICY_IDENTIFIED_FINDING,
  ),
  ...policyAssignmentSteps,
];
