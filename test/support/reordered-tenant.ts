/**
 * A generated tenant served in another order: every collection, member list,
 * status list, report and device inventory permuted by a seed. Graph promises
 * no order for any of them (graph-api.md §2), so the same tenant in another
 * order must give the same graph, key for key and value for value (issue 14
 * §9). The ground truth is the original tenant's.
 */
import { Collection, TenantData } from '../graph-simulator/tenant/model';
import { hashOf } from './corrupt-tenant';

/** A permutation of 0..n-1 drawn from the seed (Fisher-Yates with an LCG). */
function permutation(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function reordered<T>(items: T[], seed: number): T[] {
  return permutation(items.length, seed).map((i) => items[i]);
}

function reorderedCollection(collection: Collection, seed: number): Collection {
  const order = permutation(collection.count, seed);
  return { count: collection.count, get: (i) => collection.get(order[i]) };
}

export function reorderedTenant(tenant: TenantData, seed: number): TenantData {
  const salt = (id: string) => (seed ^ hashOf(id)) >>> 0;
  return {
    ...tenant,
    users: reorderedCollection(tenant.users, seed + 1),
    groups: reorderedCollection(tenant.groups, seed + 2),
    managedDevices: reorderedCollection(tenant.managedDevices, seed + 3),
    detectedApps: reorderedCollection(tenant.detectedApps, seed + 4),
    mobileApps: reorderedCollection(tenant.mobileApps, seed + 5),
    compliancePolicies: reorderedCollection(
      tenant.compliancePolicies,
      seed + 6,
    ),
    deviceConfigurations: reorderedCollection(
      tenant.deviceConfigurations,
      seed + 7,
    ),
    groupMemberIds: (groupId) => {
      const ids = tenant.groupMemberIds(groupId);
      return ids && reordered(ids, salt(groupId));
    },
    detectedAppsOfDevice: (deviceId) =>
      reordered(tenant.detectedAppsOfDevice(deviceId), salt(deviceId)),
    deviceIdsOfDetectedApp: (appId) => {
      const ids = tenant.deviceIdsOfDetectedApp(appId);
      return ids && reordered(ids, salt(appId));
    },
    installStatusRows: (appId) =>
      reordered(tenant.installStatusRows(appId), salt(appId)),
    deviceStatuses: (source, policyId) => {
      const items = tenant.deviceStatuses(source, policyId);
      return items && reordered(items, salt(policyId));
    },
  };
}
