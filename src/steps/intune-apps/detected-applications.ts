/**
 * fetch-detected-applications: the applications Intune found on devices,
 * one entity per application identity (platform family, normalised name),
 * one INSTALLED per (device, identity, version). MANAGES is built after
 * collection (application-manages.ts).
 *
 * Two routes give the same graph (docs/applications.md):
 * - the export route (detected-export-route.ts): one AppInvRawData report
 *   export, a handful of requests whatever the fleet size; tried first;
 * - the request route: `detectedApps/{id}/managedDevices` per detected app,
 *   or `managedDevices/{id}?$expand=detectedApps` per device, whichever
 *   needs fewer requests; what runs when the export cannot finish.
 * Both start from the detectedApps listing (DetectedCatalog), the source of
 * every value that must not depend on the route.
 *
 * The largest fan-out of the integration (20k devices x 50 apps = 1M
 * relationships): rows go straight from each response or file batch into
 * relationships; what stays in memory is the device index, the listing, and
 * the keys the SDK's duplicate tracker holds anyway.
 */
import {
  IntegrationError,
  Relationship,
} from '@jupiterone/integration-sdk-core';
import {
  detectedAppsRouteOf,
  graphClientOf,
  IntegrationStepContext,
} from '../../config';
import { APP_INVENTORY_REPORT } from '../../graph/detected-app-export';
import { ExportRouteError } from '../../graph/export-jobs';
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
  DetectedIdentity,
  detectedVersion,
  toDetectedApplicationEntity,
  toInstalledRelationship,
} from './converters';
import { DetectedCatalog } from './detected-catalog';
import {
  ExportRowSink,
  readDetectedAppsByExport,
} from './detected-export-route';
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
  EXPORT_ROWS: 'exportRows',
  EXPORT_UNKNOWN_DEVICE_ROWS: 'exportRowsOfUnknownDevices',
  EXPORT_NAMELESS_ROWS: 'exportRowsWithoutName',
  EXPORT_REPEATED_ROWS: 'exportRowsRepeated',
} as const;

/**
 * The INSTALLED key of a detectedApp item is (device, identity, version).
 * Items that share identity and version (the same name in another case or
 * spacing, an android variant) share a slot, and only pairs of one slot can
 * repeat a key. Per device, a call holds all of a device's items, so the
 * slots are checked within the call. Per app, the listing tells up front
 * which slots are shared; each of those remembers its devices in a DeviceSet.
 * Export rows may repeat anywhere in the file: there the writer's key check
 * decides (GraphObjectWriter.has).
 */
interface DetectedItem {
  identity: DetectedIdentity;
  slotKey: string;
}

/** Turns (device, detected app) pairs into graph objects, each key once. */
class InventoryWriter implements ExportRowSink {
  private readonly sharedSlots = new Map<string, DeviceSet>();
  /** Identities with at least one INSTALLED: their entities are written at the end. */
  private readonly applications = new Map<string, DetectedIdentity>();
  private lowerCaseOrdinals?: Map<string, number>;
  private canonicalIds?: string[];
  wroteAny = false;

  constructor(
    private readonly writer: GraphObjectWriter,
    private readonly devices: DeviceIndex,
    private readonly progress: StepProgress,
    private readonly catalog: DetectedCatalog,
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
      const identity = this.catalog.identityOfItem(app);
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
    this.catalog.observe(identity, app.displayName, app.publisher);
    this.install(
      identity,
      this.installed(ordinal, managedDeviceId, identity, detectedVersion(app)),
    );
  }

  /** INSTALLED, with the listed size of (identity, version): the same on either route. */
  private installed(
    ordinal: number,
    managedDeviceId: string,
    identity: DetectedIdentity,
    version: string,
  ): Relationship {
    return toInstalledRelationship(
      this.devices.kindAt(ordinal),
      deviceKey(managedDeviceId),
      identity.key,
      { version, sizeInByte: this.catalog.sizeOf(identity.key, version) },
    );
  }

  private install(identity: DetectedIdentity, installed: Relationship): void {
    this.applications.set(identity.key, identity);
    this.writer.addRelationship(installed);
    this.wroteAny = true;
    this.progress.add(installed._type);
  }

  /** Export route: one row. Its DeviceId is matched without regard to case. */
  writeRow(
    deviceId: string,
    identity: DetectedIdentity | undefined,
    version: string,
    name: string,
    publisher: string,
  ): void {
    this.progress.add(DetectedAppCounters.EXPORT_ROWS);
    const ordinal = this.ordinalOfReported(deviceId);
    if (ordinal === undefined) {
      this.progress.add(DetectedAppCounters.EXPORT_UNKNOWN_DEVICE_ROWS);
      return;
    }
    if (!identity) {
      this.progress.add(DetectedAppCounters.EXPORT_NAMELESS_ROWS);
      return;
    }
    const managedDeviceId = (this.canonicalIds as string[])[ordinal];
    const installed = this.installed(
      ordinal,
      managedDeviceId,
      identity,
      version,
    );
    if (this.writer.has(installed._key)) {
      this.progress.add(DetectedAppCounters.EXPORT_REPEATED_ROWS);
      return;
    }
    this.catalog.observe(identity, name, publisher);
    this.install(identity, installed);
  }

  private ordinalOfReported(deviceId: string): number | undefined {
    if (!this.lowerCaseOrdinals) {
      this.lowerCaseOrdinals = new Map();
      this.canonicalIds = [];
      for (const id of this.devices.ids()) {
        const ordinal = this.devices.ordinalOf(id) as number;
        this.canonicalIds[ordinal] = id;
        this.lowerCaseOrdinals.set(id.toLowerCase(), ordinal);
      }
    }
    return this.lowerCaseOrdinals.get(deviceId.toLowerCase());
  }

  drain(): Promise<void> {
    return this.writer.drain();
  }

  /** The entities of every identity installed somewhere, named by the catalog. */
  writeApplications(): void {
    for (const identity of this.applications.values()) {
      const naming = this.catalog.namingOf(identity.key);
      if (!naming) continue;
      this.writer.addEntity(
        toDetectedApplicationEntity(
          { displayName: naming.name, publisher: naming.publisher },
          identity,
        ),
      );
      this.progress.add(Entities.DETECTED_APPLICATION._type);
    }
  }
}

export async function fetchDetectedApplications(
  context: IntegrationStepContext,
  options: IntuneAppsOptions,
): Promise<void> {
  await requireStepPermissions(context, Steps.DETECTED_APPS.id);
  const { jobState, logger } = context;
  const route = detectedAppsRouteOf(context.instance.config);
  const client = graphClientOf(context);
  const progress = new StepProgress(logger, client, Steps.DETECTED_APPS.name);
  const devices = await loadDeviceIndex(jobState);

  // Every route starts from the listing (a few pages even on large tenants).
  const listed: DetectedApp[] = [];
  let largestPage = 0;
  for await (const page of iterateDetectedApps(client)) {
    progress.add(DetectedAppCounters.DETECTED_APPS_LISTED, page.length);
    largestPage = Math.max(largestPage, page.length);
    for (const app of page) listed.push(app);
  }
  const catalog = new DetectedCatalog(listed);

  let ran: 'export' | 'requests' | undefined;
  let details: Record<string, unknown> = {};
  let fallbackReason: string | undefined;
  await writingGraphObjects(
    jobState,
    async (writer) => {
      const inventory = new InventoryWriter(writer, devices, progress, catalog);
      if (route !== 'requests') {
        try {
          details = {
            ...(await readDetectedAppsByExport(
              client,
              catalog,
              inventory,
              options.exportRoute,
              logger,
            )),
          };
          ran = 'export';
        } catch (err) {
          const reason =
            err instanceof ExportRouteError
              ? err.reason
              : `an unexpected error: ${
                  err instanceof Error ? err.message : String(err)
                }`;
          if (route === 'export') {
            throw new IntegrationError({
              code: 'DETECTED_APPS_EXPORT_FAILED',
              message: `Detected apps: the ${APP_INVENTORY_REPORT} export could not finish: ${reason}. detectedAppsRoute is "export", so the request route was not tried; set it to "auto" to fall back to it.`,
              cause: err as Error,
            });
          }
          // The verifying pass found every reason to give up before any write.
          if (inventory.wroteAny) throw err;
          fallbackReason = reason;
          logger.warn(
            { detectedAppsRoute: route, reason },
            `Detected apps: the ${APP_INVENTORY_REPORT} export could not finish (${reason}); reading them through the request route instead.`,
          );
        }
      }
      if (!ran) {
        details = await readByRequests(
          client,
          inventory,
          listed,
          largestPage,
          devices,
          options,
          progress,
          logger,
        );
        ran = 'requests';
      }
      inventory.writeApplications();
    },
    { trackKeys: route !== 'requests' },
  );

  const unknown =
    progress.count(DetectedAppCounters.UNKNOWN_DEVICE_ITEMS) +
    progress.count(DetectedAppCounters.EXPORT_UNKNOWN_DEVICE_ROWS);
  if (unknown) {
    logger.info(
      { detectedAppsOfUnknownDevices: unknown },
      `${unknown} detected-app installations are on devices that are not managed devices of this collection (retired or deleted); no INSTALLED relationship was made for them.`,
    );
  }
  progress.done({
    detectedAppsRoute: ran,
    configuredRoute: route,
    ...(fallbackReason ? { fallbackReason } : {}),
    ...details,
    devicesInIndex: devices.size,
  });
  await jobState.setData(DETECTED_APPS_COMPLETE, true);
}

/** The request route: per detected app or per device, whichever needs fewer requests. */
async function readByRequests(
  client: ReturnType<typeof graphClientOf>,
  inventory: InventoryWriter,
  listed: DetectedApp[],
  largestPage: number,
  devices: DeviceIndex,
  options: IntuneAppsOptions,
  progress: StepProgress,
  logger: IntegrationStepContext['logger'],
): Promise<Record<string, unknown>> {
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
  let strategy = options.detectedAppsStrategy;
  let decision: Record<string, unknown> = {};
  if (strategy === 'auto') {
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
  }
  if (strategy === 'perApp') {
    inventory.expectItems(listed);
    const byId = new Map(listed.map((app) => [app.id, app]));
    await forEachDetectedAppDevices(
      client,
      byId.keys(),
      (detectedAppId, managedDeviceIds) =>
        inventory.writeApp(
          byId.get(detectedAppId) as DetectedApp,
          managedDeviceIds,
        ),
      fanOut,
    );
  } else {
    await forEachDeviceInventory(
      client,
      devices.ids(),
      (managedDeviceId, apps) => {
        progress.add(DetectedAppCounters.DEVICES_READ);
        return inventory.writeDevice(managedDeviceId, apps);
      },
      fanOut,
    );
  }
  return { strategy, ...decision, batch: options.batch };
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
