/**
 * Intune managed devices (one entity per device, typed by kind), their Intune
 * host agents, and the users who own and use them.
 *
 * - fetch-devices streams beta managedDevices pages into the job state: per
 *   device a device entity, an intune_host_agent, and host agent MANAGES
 *   device.
 * - build-user-device-relationships runs in the second dependency graph,
 *   after every collection step, and relates each device to its enrolled
 *   user (HAS) and logged-on users (USES): directly when the user is an
 *   entity of this run, mapped by `_key` otherwise.
 */
import {
  IntegrationError,
  IntegrationStep,
  RelationshipClass,
} from '@jupiterone/integration-sdk-core';
import {
  graphClientOf,
  IntegrationConfig,
  IntegrationStepContext,
} from '../../config';
import { readEnrolledDeviceCount } from '../../graph/counts';
import { iterateManagedDevicePages } from '../../graph/intune-devices';
import {
  allOf,
  DEVICE_KINDS,
  DeviceEntities,
  Entities,
  IngestionSources,
  MappedRelationships,
  Relationships,
  RELATIONSHIP_GRAPH_ID,
  Steps,
} from '../constants';
import { hasKeyNow, writingGraphObjects } from '../graph-objects';
import { requireStepPermissions } from '../require-permissions';
import { brief, StepProgress } from '../progress';
import {
  convertManagedDevice,
  deviceUsersOf,
  userDeviceRelationship,
} from './converters';
import { assertComplete, COUNT_CHECKS, startCount } from '../completeness';
import { presentString } from '../convert';
import { undocumentedValues } from './enums';
import { DEVICE_INDEX_DATA, DeviceIndexBuilder } from './device-index';
import { deviceKey } from './keys';

/**
 * Set by fetch-devices once every page was read. Without it the relationship
 * step fails instead of succeeding with what little it sees, so that the
 * platform keeps the previous user-device relationships (partial types).
 */
export const DEVICES_COMPLETE = 'intune-devices:complete';

export async function fetchDevices(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.DEVICES.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const progress = new StepProgress(logger, client, Steps.DEVICES.name);
  const started = Date.now();
  let devices = 0;
  // Odd values are counted, and logged once at the end.
  const undocumented = new Map<string, number>();
  const unsignalled: string[] = [];
  const index = new DeviceIndexBuilder();
  const expected = startCount(logger, COUNT_CHECKS.MANAGED_DEVICES, () =>
    readEnrolledDeviceCount(client),
  );
  await writingGraphObjects(jobState, async (writer) => {
    for await (const page of iterateManagedDevicePages(client)) {
      for (const managed of page) {
        const id = presentString(managed?.id);
        if (!id) {
          progress.add('skipped: device without id');
          continue;
        }
        if (index.has(deviceKey(id))) {
          progress.add('skipped: duplicate device id');
          continue;
        }
        const { device, hostAgent, manages, classification } =
          convertManagedDevice({ ...managed, id });
        index.add(device._key, classification.kind);
        writer.addEntity(device);
        writer.addEntity(hostAgent);
        writer.addRelationship(manages);
        progress.add(device._type);
        devices++;
        for (const { property, value } of undocumentedValues(managed)) {
          const label = `${property} "${brief(value)}"`;
          undocumented.set(label, (undocumented.get(label) ?? 0) + 1);
        }
        if (classification.rule === NO_KIND_SIGNAL_RULE) {
          progress.add(NO_KIND_SIGNAL);
          if (unsignalled.length < EXAMPLES_LOGGED) unsignalled.push(id);
        }
      }
      await writer.drain();
    }
  });
  await jobState.setData(DEVICE_INDEX_DATA, index.build());
  // Short of Intune's own count: the step fails, and without DEVICES_COMPLETE
  // the user-device relationships keep their previous data too.
  assertComplete(
    logger,
    Steps.DEVICES.name,
    COUNT_CHECKS.MANAGED_DEVICES,
    devices,
    await expected,
  );
  await jobState.setData(DEVICES_COMPLETE, true);
  if (undocumented.size) {
    logger.warn(
      { values: Object.fromEntries(undocumented) },
      `${
        Steps.DEVICES.name
      }: managed devices with values this integration does not know: ${Array.from(
        undocumented,
        ([label, count]) => `${label} (${count})`,
      ).join(
        ', ',
      )}. The devices are kept with these values as sent; the values decide neither the device kind nor the compliant flag.`,
    );
  }
  if (progress.count(NO_KIND_SIGNAL)) {
    logger.info(
      {
        [NO_KIND_SIGNAL]: progress.count(NO_KIND_SIGNAL),
        exampleDeviceIds: unsignalled,
      },
      `${Steps.DEVICES.name}: ${progress.count(
        NO_KIND_SIGNAL,
      )} managed devices had no value to tell their kind by (deviceType, chassisType, operatingSystem, skuFamily, model) and were typed user_endpoint (rule 11 of docs/data-model-rules.md). Their _type changes when Intune fills these values in later (docs/device-classification.md).`,
    );
  }
  const seconds = (Date.now() - started) / 1000;
  progress.done({
    devices,
    devicesPerSecond: seconds > 0 ? Math.round(devices / seconds) : devices,
  });
}

const NO_KIND_SIGNAL = 'devicesWithoutKindSignal';
const NO_KIND_SIGNAL_RULE = 11;
const EXAMPLES_LOGGED = 5;

export async function buildUserDeviceRelationships(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.USER_DEVICES.id);
  const { jobState, logger } = context;
  if (!(await jobState.getData<boolean>(DEVICES_COMPLETE))) {
    throw new IntegrationError({
      code: 'DEVICES_INCOMPLETE',
      message: `${Steps.USER_DEVICES.name} did not run: ${Steps.DEVICES.name} did not read every managed device in this execution. The previous user and device relationships are kept.`,
    });
  }
  const progress = new StepProgress(
    logger,
    graphClientOf(context),
    Steps.USER_DEVICES.name,
  );
  // A user listed twice among a device's logged-on users is related once.
  const written = new Set<string>();
  await writingGraphObjects(jobState, async (writer) => {
    for (const kind of DEVICE_KINDS) {
      await jobState.iterateEntities({ _type: kind }, async (device) => {
        const { userId, loggedOnUserIds } = deviceUsersOf(device);
        const relate = (
          _class: RelationshipClass.HAS | RelationshipClass.USES,
          user: string,
        ) => {
          const collected = hasKeyNow(jobState, user);
          const relationship = userDeviceRelationship(
            _class,
            user,
            device,
            collected,
          );
          if (written.has(relationship._key)) return;
          written.add(relationship._key);
          writer.addRelationship(relationship);
          progress.add(
            `azure_user|${_class}|${kind}${collected ? '' : ' (mapped)'}`,
          );
        };
        if (userId) relate(RelationshipClass.HAS, userId);
        for (const user of loggedOnUserIds)
          relate(RelationshipClass.USES, user);
        progress.add('devices');
        await writer.drain();
      });
    }
  });
  progress.done();
}

export const intuneDevicesSteps: IntegrationStep<IntegrationConfig>[] = [
  {
    ...Steps.DEVICES,
    ingestionSourceId: IngestionSources.INTUNE_DEVICES,
    entities: [...Object.values(DeviceEntities), Entities.HOST_AGENT],
    relationships: allOf(Relationships.HOST_AGENT_MANAGES_DEVICE),
    executionHandler: fetchDevices,
  },
  {
    ...Steps.USER_DEVICES,
    ingestionSourceId: IngestionSources.INTUNE_DEVICES,
    dependencyGraphId: RELATIONSHIP_GRAPH_ID,
    entities: [],
    relationships: [
      ...allOf(Relationships.USER_HAS_DEVICE),
      ...allOf(Relationships.USER_USES_DEVICE),
    ],
    mappedRelationships: [
      ...allOf(MappedRelationships.USER_HAS_DEVICE),
      ...allOf(MappedRelationships.USER_USES_DEVICE),
    ],
    executionHandler: buildUserDeviceRelationships,
  },
];
