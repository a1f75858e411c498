/**
 * Managed device id -> device `_type`, built once per step from the job
 * state. Steps that relate devices to other things (apps, policies) need the
 * kind for the relationship `_type`, and must not call findEntity per row
 * (jupiterone-sdk.md §2.3): one pass over the device entities is ~1 s for
 * 200k entities and ~100 bytes per device in memory.
 */
import { JobState } from '@jupiterone/integration-sdk-core';
import { DEVICE_KINDS, DeviceKind } from '../constants';
import { hostAgentKey } from './keys';

export interface DeviceIndex {
  kindOf(managedDeviceId: string): DeviceKind | undefined;
  hostAgentKeyOf(managedDeviceId: string): string;
  readonly size: number;
}

export async function loadDeviceIndex(jobState: JobState): Promise<DeviceIndex> {
  const kinds = new Map<string, DeviceKind>();
  for (const kind of DEVICE_KINDS) {
    await jobState.iterateEntities({ _type: kind }, (device) => {
      kinds.set(device._key, kind);
    });
  }
  return {
    kindOf: (id) => kinds.get(id),
    hostAgentKeyOf: hostAgentKey,
    size: kinds.size,
  };
}
