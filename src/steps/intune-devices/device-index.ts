/**
 * Managed device id -> device `_type` and ordinal, built once by the devices
 * step as it reads them. Steps that relate devices to other things (apps,
 * policies) need the kind for the relationship `_type`, and must not call
 * findEntity per row (jupiterone-sdk.md §2.3); reading the device entities
 * back from disk in each of those four steps cost ~0.5 s apiece on 20k
 * devices, at the moment they all start. ~100 bytes per device in memory.
 * The ordinal (0..n-1) lets a step remember "seen this device" in one bit
 * (DeviceSet) instead of a key lookup in the SDK's duplicate tracker per row.
 */
import { JobState } from '@jupiterone/integration-sdk-core';
import { DEVICE_KINDS, DeviceKind } from '../constants';

export interface DeviceIndex {
  /**
   * 0..size-1, or undefined for a device not in this collection. Ids compare
   * case-insensitively: reports and status ids do not always spell a GUID the
   * way managedDevices does.
   */
  ordinalOf(managedDeviceId: string): number | undefined;
  /** The managed device id as the devices step read it: the one device keys are made of. */
  idAt(ordinal: number): string;
  /** The kind of the device with that ordinal. */
  kindAt(ordinal: number): DeviceKind;
  /** Every managed device id of the index. */
  ids(): Iterable<string>;
  readonly size: number;
}

/** Where the devices step leaves the index it built, for the steps after it. */
export const DEVICE_INDEX_DATA = 'intune-devices:index';

/** Builds the index as devices are read; the first of a repeated id wins. */
export class DeviceIndexBuilder {
  private readonly ordinals = new Map<string, number>();
  private readonly deviceIds: string[] = [];
  private readonly kindIndexes: number[] = [];

  has(deviceKey: string): boolean {
    return this.ordinals.has(deviceKey.toLowerCase());
  }

  add(deviceKey: string, kind: DeviceKind): void {
    const folded = deviceKey.toLowerCase();
    if (this.ordinals.has(folded)) return;
    this.ordinals.set(folded, this.kindIndexes.length);
    this.deviceIds.push(deviceKey);
    this.kindIndexes.push(DEVICE_KINDS.indexOf(kind));
  }

  build(): DeviceIndex {
    const { ordinals, deviceIds } = this;
    const kinds = Uint8Array.from(this.kindIndexes);
    return {
      ordinalOf: (id) => ordinals.get(id) ?? ordinals.get(id.toLowerCase()),
      idAt: (ordinal) => deviceIds[ordinal],
      kindAt: (ordinal) => DEVICE_KINDS[kinds[ordinal]],
      ids: () => deviceIds.values(),
      size: ordinals.size,
    };
  }
}

/**
 * The index the devices step left, or, when it did not run in this process
 * (a cached `--step` run), one built from the device entities.
 */
export async function loadDeviceIndex(
  jobState: JobState,
): Promise<DeviceIndex> {
  const built = await jobState.getData<DeviceIndex>(DEVICE_INDEX_DATA);
  if (built) return built;
  const builder = new DeviceIndexBuilder();
  for (const kind of DEVICE_KINDS) {
    await jobState.iterateEntities({ _type: kind }, (device) => {
      builder.add(device._key, kind);
    });
  }
  return builder.build();
}

/** A set of devices of one index, one bit each. */
export class DeviceSet {
  private readonly bits: Uint8Array;

  constructor(index: Pick<DeviceIndex, 'size'>) {
    this.bits = new Uint8Array((index.size >>> 3) + 1);
  }

  /** Adds the device; false if it was already in the set. */
  add(ordinal: number): boolean {
    const byte = ordinal >>> 3;
    const bit = 1 << (ordinal & 7);
    if (this.bits[byte] & bit) return false;
    this.bits[byte] |= bit;
    return true;
  }
}
