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
import { graphClientOf, IntegrationStepContext } from '../../config';
import {
  DetectedApp,
  forEachDetectedAppDevices,
  forEachDeviceInventory,
  iterateDetectedApps,
} from '../../graph/intune-apps';
import { Entities, Steps } from '../constants';
import {
  DeviceIndex,
  DeviceSet,
  loadDeviceIndex,
} from '../intune-devices/device-index';
import { deviceKey } from '../intune-devices/keys';
import { requireStepPermissions } from '../require-permissions';
import { StepProgress } from '../progress';
import { GraphObjectWriter, writingGraphObjects } from '../graph-objects';
import {
  DetectedApplicationFacts,
  DetectedIdentity,
  detectedAppIdentity,
  mergeDetectedApplicationFacts,
  detectedVersion,
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

/**
 * The INSTALLED key of a detectedApp item is (device, identity, version).
 * Items that share identity and version (the same name in another case or
 * spacing, an android variant) share a slot, and only pairs of one slot can
 * repeat a key. Per device, a call holds all of a device's items, so the
 * slots are checked within the call. Per app, the listing tells up front
 * which slots are shared; each of those remembers its devices in a DeviceSet.
 */
interface DetectedItem {
  identity: DetectedIdentity;
  slotKey: string;
}

/**
 * Turns (device, detectedApp) pairs into graph objects, each key once. The
 * detected-application entities are written at the end (writeApplications):
 * an identity's items (versions, spellings) come in any order under
 * concurrency, and its name and publisher must not depend on which came first.
 */
class InventoryWriter {
  private readonly sharedSlots = new Map<string, DeviceSet>();
  private readonly applications = new Map<string, DetectedApplicationFacts>();

  constructor(
    private readonly writer: GraphObjectWriter,
    private readonly devices: DeviceIndex,
    private readonly progress: StepProgress,
  ) {}

  /**
   * One identity per detectedApp item: the per-app route pairs the same item
   * with every device that has it (868k pairs for 9k items on the L tenant),
   * and the identity costs a normalisation and a SHA-256.
   */
  private readonly items = new WeakMap<DetectedApp, DetectedItem>();

  private itemOf(app: DetectedApp): DetectedItem {
    let item = this.items.get(app);
    if (!item) {
      const identity = detectedAppIdentity(app);
      const slotKey = `${identity.key}|${detectedVersion(app)}`;
      item = { identity, slotKey };
      this.items.set(app, item);
    }
    return item;
  }

  /** Per app: the listed items, before any of their devices. */
  expectItems(listed: DetectedApp[]): void {
    const firstItemOfSlot = new Map<string, string | undefined>();
    for (const app of listed) {
      const { slotKey } = this.itemOf(app);
      if (!firstItemOfSlot.has(slotKey)) {
        firstItemOfSlot.set(slotKey, app.id);
      } else if (
        (!app.id || firstItemOfSlot.get(slotKey) !== app.id) &&
        !this.sharedSlots.has(slotKey)
      ) {
        this.sharedSlots.set(slotKey, new DeviceSet(this.devices));
      }
    }
  }

  /** Per app: one page of the devices that have `app` (the client yields each once per walk). */
  async writeApp(app: DetectedApp, managedDeviceIds: string[]): Promise<void> {
    const item = this.itemOf(app);
    const shared = this.sharedSlots.get(item.slotKey);
    for (const managedDeviceId of managedDeviceIds) {
      const ordinal = this.devices.ordinalOf(managedDeviceId);
      if (ordinal !== undefined && shared && !shared.add(ordinal)) {
        this.progress.add(DetectedAppCounters.INVENTORY_ITEMS);
        this.progress.add(DetectedAppCounters.REPEATED_ITEMS);
        continue;
      }
      this.writePair(managedDeviceId, ordinal, app, item);
    }
    await this.writer.drain();
  }

  /** Per device: all of one device's items. */
  async writeDevice(
    managedDeviceId: string,
    apps: DetectedApp[],
  ): Promise<void> {
    const ordinal = this.devices.ordinalOf(managedDeviceId);
    const slots = new Set<string>();
    for (const app of apps) {
      const item = this.itemOf(app);
      if (slots.has(item.slotKey)) {
        this.progress.add(DetectedAppCounters.INVENTORY_ITEMS);
        this.progress.add(DetectedAppCounters.REPEATED_ITEMS);
        continue;
      }
      slots.add(item.slotKey);
      this.writePair(managedDeviceId, ordinal, app, item);
    }
    await this.writer.drain();
  }

  /** The detected applications, once every item has been seen. */
  writeApplications(): void {
    for (const [key, facts] of this.applications) {
      this.writer.addEntity(toDetectedApplicationEntity(facts, key));
      this.progress.add(Entities.DETECTED_APPLICATION._type);
    }
  }

  private writePair(
    managedDeviceId: string,
    ordinal: number | undefined,
    app: DetectedApp,
    { identity }: DetectedItem,
  ): void {
    this.progress.add(DetectedAppCounters.INVENTORY_ITEMS);
    if (ordinal === undefined) {
      this.progress.add(DetectedAppCounters.UNKNOWN_DEVICE_ITEMS);
      return;
    }
    if (!identity.normalisedName) {
      // No name, no application to find: nothing to relate the device to.
      this.progress.add(DetectedAppCounters.NAMELESS_ITEMS);
      return;
    }
    this.applications.set(
      identity.key,
      mergeDetectedApplicationFacts(this.applications.get(identity.key), app),
    );
    const installed = toInstalledRelationship(
      this.devices.kindAt(ordinal),
      deviceKey(managedDeviceId),
      identity.key,
      app,
    );
    this.writer.addRelationship(installed);
    this.progress.add(installed._type);
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
  let strategy = options.detectedAppsStrategy;
  let decision: Record<string, unknown> = {};
  await writingGraphObjects(jobState, async (writer) => {
    const inventory = new InventoryWriter(writer, devices, progress);
    try {
      await readInventory(inventory);
    } finally {
      // Also when part of the inventory failed: the relationships written point at them.
      inventory.writeApplications();
    }
  });
  async function readInventory(inventory: InventoryWriter): Promise<void> {
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
      await forEachDeviceInventory(
        client,
        devices.ids(),
        (managedDeviceId, apps) => {
          progress.add(DetectedAppCounters.DEVICES_READ);
          return inventory.writeDevice(managedDeviceId, apps);
        },
        fanOut,
      );
    };
    const readPerApp = async (apps: DetectedApp[]) => {
      inventory.expectItems(apps);
      const byId = new Map(apps.map((app) => [app.id, app]));
      await forEachDetectedAppDevices(
        client,
        byId.keys(),
        (detectedAppId, managedDeviceIds) => {
          const app = byId.get(detectedAppId) as DetectedApp;
          return inventory.writeApp(app, managedDeviceIds);
        },
        fanOut,
      );
    };

    if (strategy === 'perDevice') {
      await readPerDevice();
    } else {
      // The whole listing first (a few thousand small items): it tells which
      // items share a slot, and how many requests each route needs.
      const listed: DetectedApp[] = [];
      let largestPage = 0;
      for await (const page of iterateDetectedApps(client)) {
        progress.add(DetectedAppCounters.DETECTED_APPS_LISTED, page.length);
        largestPage = Math.max(largestPage, page.length);
        for (const app of page) listed.push(app);
      }
      if (strategy === 'perApp') {
        await readPerApp(listed);
        return;
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
