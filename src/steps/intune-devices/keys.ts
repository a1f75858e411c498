import { Entities } from '../constants';

/** A device entity's `_key` is its Intune managed device id (docs/data-model-rules.md). */
export function deviceKey(managedDeviceId: string): string {
  return managedDeviceId;
}

export function hostAgentKey(managedDeviceId: string): string {
  return `${Entities.HOST_AGENT._type}:${managedDeviceId}`;
}
