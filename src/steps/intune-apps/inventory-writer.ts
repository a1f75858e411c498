/**
 * Turns (device, detected app) pairs, from either route, into graph objects,
 * each key once; the entities come last, named by the catalog.
 */
import { Relationship } from '@jupiterone/integration-sdk-core';
import { DetectedApp } from '../../graph/intune-apps';
import { Entities } from '../constants';
import { GraphObjectWriter } from '../graph-objects';
import { DeviceIndex, DeviceSet } from '../intune-devices/device-index';
import { deviceKey } from '../intune-devices/keys';
import { StepProgress } from '../progress';
import {
  DetectedIdentity,
  detectedVersion,
  toDetectedApplicationEntity,
  toInstalledRelationship,
} from './converters';
import { DetectedCatalog } from './detected-catalog';
import { ExportRowSink } from './detected-export-route';

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
export class InventoryWriter implements ExportRowSink {
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
