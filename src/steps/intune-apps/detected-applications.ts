/**
 * fetch-detected-applications: the applications Intune found on devices,
 * one entity per application identity (platform family, normalised name),
 * one INSTALLED per (device, identity, version), and MANAGES from the
 * managed application that is the same application.
 *
 * The largest fan-out of the integration (20k devices x 50 apps = 1M
 * relationships): rows go straight from each response into relationships;
 * what stays in memory is the device index (id -> kind), the small
 * managed-app lookup, and the keys the SDK's duplicate tracker holds anyway.
 */
import {
  Entity,
  JobState,
  Relationship,
} from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationStepContext } from '../../config';
import {
  DetectedApp,
  forEachDetectedAppDevices,
  forEachDeviceInventory,
  iterateDetectedApps,
} from '../../graph/intune-apps';
import { DEVICE_KINDS, Entities, Steps } from '../constants';
import { DeviceIndex, loadDeviceIndex } from '../intune-devices/device-index';
import { deviceKey } from '../intune-devices/keys';
import { requireStepPermissions } from '../permissions';
import { StepProgress } from '../progress';
import {
  DetectedIdentity,
  detectedAppIdentity,
  toDetectedApplicationEntity,
  toInstalledRelationship,
} from './converters';
import { IntuneAppsOptions } from './options';

/** Set once every detected application of the tenant has been read. */
export const DETECTED_APPS_COMPLETE = 'intune-apps:detected-complete';

export const DetectedAppCounters = {
  DEVICES_READ: 'devicesRead',
  DETECTED_APPS_LISTED: 'detectedAppsListed',
  INVENTORY_ITEMS: 'inventoryItems',
  UNKNOWN_DEVICE_ITEMS: 'inventoryItemsOfUnknownDevices',
  NAMELESS_ITEMS: 'inventoryItemsWithoutName',
  REPEATED_ITEMS: 'inventoryItemsRepeated',
  GONE: 'gone404',
} as const;

/** Turns (device, detectedApp) pairs into graph objects, each key once. */
class InventoryWriter {
  constructor(
    private readonly jobState: JobState,
    private readonly devices: DeviceIndex,
    private readonly progress: StepProgress,
  ) {}

  /**
   * One identity per detectedApp item: the per-app route pairs the same item
   * with every device that has it (868k pairs for 9k items on the L tenant),
   * and the identity costs a normalisation and a SHA-256.
   */
  private readonly identities = new WeakMap<DetectedApp, DetectedIdentity>();

  private identityOf(app: DetectedApp): DetectedIdentity {
    let identity = this.identities.get(app);
    if (!identity) {
      identity = detectedAppIdentity(app);
      this.identities.set(app, identity);
    }
    return identity;
  }

  /**
   * Adds what the pairs hold that is not in the graph yet. Every key is
   * checked and registered (addEntities / addRelationships register when
   * called) without an await in between, so concurrent responses cannot
   * both add the same key.
   */
  async write(pairs: Iterable<[string, DetectedApp]>): Promise<void> {
    const entities: Entity[] = [];
    const relationships: Relationship[] = [];
    const pending = new Set<string>();
    const isNew = (key: string) => {
      if (pending.has(key) || this.jobState.hasKey(key)) return false;
      pending.add(key);
      return true;
    };
    for (const [managedDeviceId, app] of pairs) {
      this.progress.add(DetectedAppCounters.INVENTORY_ITEMS);
      const kind = this.devices.kindOf(managedDeviceId);
      if (!kind) {
        this.progress.add(DetectedAppCounters.UNKNOWN_DEVICE_ITEMS);
        continue;
      }
      const identity = this.identityOf(app);
      if (!identity.normalisedName) {
        // No name, no application to find: nothing to relate the device to.
        this.progress.add(DetectedAppCounters.NAMELESS_ITEMS);
        continue;
      }
      if (isNew(identity.key)) {
        entities.push(toDetectedApplicationEntity(app, identity));
        this.progress.add(Entities.DETECTED_APPLICATION._type);
      }
      const installed = toInstalledRelationship(
        kind,
        deviceKey(managedDeviceId),
        identity.key,
        app,
      );
      if (isNew(installed._key)) {
        relationships.push(installed);
        this.progress.add(installed._type);
      } else {
        this.progress.add(DetectedAppCounters.REPEATED_ITEMS);
      }
    }
    await Promise.all([
      entities.length ? this.jobState.addEntities(entities) : undefined,
      relationships.length
        ? this.jobState.addRelationships(relationships)
        : undefined,
    ]);
  }
}

export async function fetchDetectedApplications(
  context: IntegrationStepContext,
  options: IntuneAppsOptions,
): Promise<void> {
  await requireStepPermissions(context, Steps.DETECTED_APPS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const progress = new StepProgress(logger, client, Steps.DETECTED_APPS.name);
  const devices = await loadDeviceIndex(jobState);
  const writer = new InventoryWriter(jobState, devices, progress);
  const fanOut = {
    batch: options.batch,
    concurrency: options.concurrency,
    onNotFound: (key: string) => {
      progress.add(DetectedAppCounters.GONE);
      logger.debug(
        { key },
        'Gone between the list and its detail (404); skipped',
      );
    },
  };

  const readPerDevice = async () => {
    const deviceIds = await managedDeviceIds(jobState);
    await forEachDeviceInventory(
      client,
      deviceIds,
      (managedDeviceId, apps) => {
        progress.add(DetectedAppCounters.DEVICES_READ);
        return writer.write(apps.map((app) => [managedDeviceId, app]));
      },
      fanOut,
    );
  };
  const readPerApp = async (apps: DetectedApp[]) => {
    const byId = new Map(apps.map((app) => [app.id, app]));
    await forEachDetectedAppDevices(
      client,
      byId.keys(),
      (detectedAppId, managedDeviceIds) => {
        const app = byId.get(detectedAppId) as DetectedApp;
        return writer.write(managedDeviceIds.map((id) => [id, app]));
      },
      fanOut,
    );
  };

  let strategy = options.detectedAppsStrategy;
  let decision: Record<string, unknown> = {};
  if (strategy === 'perDevice') {
    await readPerDevice();
  } else if (strategy === 'perApp') {
    // One listing page at a time: memory holds one page of detected apps.
    for await (const page of iterateDetectedApps(client)) {
      progress.add(DetectedAppCounters.DETECTED_APPS_LISTED, page.length);
      await readPerApp(page);
    }
  } else {
    const listed: DetectedApp[] = [];
    let largestPage = 0;
    for await (const page of iterateDetectedApps(client)) {
      progress.add(DetectedAppCounters.DETECTED_APPS_LISTED, page.length);
      largestPage = Math.max(largestPage, page.length);
      for (const app of page) listed.push(app);
    }
    const perAppRequests = perAppRequestEstimate(listed, largestPage);
    const perDeviceRequests = devices.size;
    strategy = perAppRequests <= perDeviceRequests ? 'perApp' : 'perDevice';
    decision = { perAppRequests, perDeviceRequests, chosen: strategy };
    logger.info(
      decision,
      `Detected apps: reading them ${
        strategy === 'perApp' ? 'per detected app' : 'per device'
      } (${Math.min(
        perAppRequests,
        perDeviceRequests,
      )} requests instead of ${Math.max(perAppRequests, perDeviceRequests)})`,
    );
    if (strategy === 'perApp') {
      await readPerApp(listed);
    } else {
      listed.length = 0;
      await readPerDevice();
    }
  }

  const unknown = progress.count(DetectedAppCounters.UNKNOWN_DEVICE_ITEMS);
  if (unknown) {
    logger.info(
      { inventoryItemsOfUnknownDevices: unknown },
      `${unknown} detected-app installations are on devices that are not managed devices of this collection; no INSTALLED relationship was made for them.`,
    );
  }
  progress.done({
    strategy,
    ...decision,
    batch: options.batch,
    devicesInIndex: devices.size,
  });
  await jobState.setData(DETECTED_APPS_COMPLETE, true);
}

/**
 * Requests the per-app strategy still needs once the listing is read: one
 * per detected app, plus one per further page of its devices. Graph's page
 * size for these lists is not documented; the largest listing page seen is
 * taken as it (a single short page makes the estimate high, never low).
 */
export function perAppRequestEstimate(
  apps: DetectedApp[],
  pageSize: number,
): number {
  const size = Math.max(1, pageSize);
  return apps.reduce(
    (sum, app) =>
      sum + Math.max(1, Math.ceil((Number(app.deviceCount) || 0) / size)),
    0,
  );
}

/** The managed device ids of this collection (the device entities' keys), for the per-device strategy. */
async function managedDeviceIds(jobState: JobState): Promise<string[]> {
  const ids: string[] = [];
  for (const kind of DEVICE_KINDS) {
    await jobState.iterateEntities({ _type: kind }, (device) => {
      ids.push(device._key);
    });
  }
  return ids;
}
