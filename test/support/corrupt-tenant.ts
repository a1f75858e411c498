/**
 * A generated tenant with some of its items altered: nulls where Graph
 * promised values, enum values Microsoft may add tomorrow, very long strings.
 * It wraps a TenantData (test/graph-simulator/tenant/model.ts) without
 * touching the generator or the server: every accessor the server reads
 * returns a copy of the generated item, altered when the item is picked.
 *
 * Items are picked by a hash of their id, so the same object is altered the
 * same way wherever the server reads it (a device in the managedDevices list
 * and in `managedDevices/{id}`, a user in /users and as a group member).
 * Serve it with `simulator.addTenant(corruptTenant(...))`: the simulator then
 * answers for that tenant id from the wrapper (and `addTenant(original)`
 * restores the original).
 *
 * `lists` goes further and replaces whole lists (the policies listed, one
 * policy's statuses, one app's report rows) for what one item at a time
 * cannot express: a device under two status ids, a policy whose statuses
 * answer 404, an app with a chosen number of rows. The ground truth of the
 * wrapper stays the generated tenant's.
 */
import {
  Collection,
  DeviceStatusSource,
  GraphObject,
  TenantData,
} from '../graph-simulator/tenant/model';

export type Alteration = (item: GraphObject) => GraphObject;
export type RowAlteration = (
  row: Record<string, string | number | null>,
) => Record<string, string | number | null>;

/** What to alter; collections without an alteration are served as generated. */
export interface CorruptionPlan {
  /** Which items are altered, by id (default: about one in three). */
  pick?: (id: string) => boolean;
  users?: Alteration;
  groups?: Alteration;
  /** Group members that are neither users nor groups (devices, service principals, contacts...). */
  otherMembers?: Alteration;
  managedDevices?: Alteration;
  /** In the detectedApps list and in each device's `$expand=detectedApps`. */
  detectedApps?: Alteration;
  mobileApps?: Alteration;
  /** Rows of the install-status report, picked by `${ApplicationId}|${DeviceId}`. */
  installStatusRows?: RowAlteration;
  compliancePolicies?: Alteration;
  deviceConfigurations?: Alteration;
  /** `{policy}/deviceStatuses` items of both sources, picked by status id. */
  deviceStatuses?: Alteration;
  /**
   * Whole lists, replaced before any item alteration (and whatever `pick`
   * says). Each gets what the generated tenant serves and returns what the
   * simulator serves instead.
   */
  lists?: {
    /** The compliance policies listed, in order. */
    compliancePolicies?: (policies: GraphObject[]) => GraphObject[];
    /** The device configurations listed, in order. */
    deviceConfigurations?: (configurations: GraphObject[]) => GraphObject[];
    /**
     * The `{policy}/deviceStatuses` items of one policy, in order; undefined
     * answers 404 (the policy was deleted after the list call).
     */
    deviceStatuses?: (
      source: DeviceStatusSource,
      policyId: string,
      statuses: GraphObject[] | undefined,
    ) => GraphObject[] | undefined;
    /** The rows of one app's install-status report, in order. */
    installStatusRows?: (
      appId: string,
      rows: Record<string, string | number | null>[],
    ) => Record<string, string | number | null>[];
  };
}

export interface CorruptTenant extends TenantData {
  /** Ids (install rows: `${ApplicationId}|${DeviceId}`) of the items altered so far, by plan key. */
  readonly altered: Record<string, Set<string>>;
}

/** FNV-1a: a stable, well-spread hash of an id. */
export function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Picks about one id in `n`. */
export function oneIn(n: number): (id: string) => boolean {
  return (id) => hashOf(id) % n === 0;
}

/** Every property set to null, except the ones named (by default the id and the OData type). */
export function nullEverything(
  keep: string[] = ['id', '@odata.type'],
): Alteration {
  return (item) =>
    Object.fromEntries(
      Object.keys(item).map((key) => [
        key,
        keep.includes(key) ? item[key] : null,
      ]),
    );
}

/** The named properties replaced (only those the item has: the server's schema stays valid). */
export function replaceValues(values: Record<string, unknown>): Alteration {
  return (item) => {
    const copy = { ...item };
    for (const [key, value] of Object.entries(values)) {
      if (key in copy) copy[key] = value;
    }
    return copy;
  };
}

/** A string of exactly `length` characters that starts with `seed`. */
export function longString(seed: string, length: number): string {
  const filler = `${seed} `;
  return filler.repeat(Math.ceil(length / filler.length)).slice(0, length);
}

/** The named string properties made `length` characters long. */
export function lengthenStrings(
  length: number,
  properties: string[],
): Alteration {
  return (item) =>
    Object.fromEntries(
      Object.entries(item).map(([key, value]) => [
        key,
        typeof value === 'string' && properties.includes(key)
          ? longString(value || key, length)
          : value,
      ]),
    );
}

export function corruptTenant(
  tenant: TenantData,
  plan: CorruptionPlan,
): CorruptTenant {
  const pick = plan.pick ?? oneIn(3);
  const altered: Record<string, Set<string>> = {};
  const alterer =
    (name: keyof CorruptionPlan, alteration: Alteration | undefined) =>
    (item: GraphObject | undefined): GraphObject | undefined => {
      if (!item || !alteration) return item;
      const id = String(item.id);
      if (!pick(id)) return item;
      (altered[name] ??= new Set()).add(id);
      return alteration({ ...item });
    };
  const users = alterer('users', plan.users);
  const groups = alterer('groups', plan.groups);
  const others = alterer('otherMembers', plan.otherMembers);
  const devices = alterer('managedDevices', plan.managedDevices);
  const detected = alterer('detectedApps', plan.detectedApps);
  const statuses = alterer('deviceStatuses', plan.deviceStatuses);
  const rowAlteration = plan.installStatusRows;
  const lists = plan.lists ?? {};

  const collection = (
    source: Collection,
    alter: (item: GraphObject) => GraphObject | undefined,
  ): Collection => ({
    count: source.count,
    get: (index) => alter(source.get(index)) as GraphObject,
  });

  return {
    ...tenant,
    // The export job reports what the altered endpoints serve: the simulator
    // then builds the AppInvRawData rows from each device's detectedApps.
    appInventory:
      plan.detectedApps || plan.managedDevices || plan.lists
        ? undefined
        : tenant.appInventory,
    altered,
    users: collection(tenant.users, users),
    groups: collection(tenant.groups, groups),
    directoryObject: (id) => {
      const object = tenant.directoryObject(id);
      switch (tenant.directoryObjectType(id)) {
        case 'user':
          return users(object);
        case 'group':
          return groups(object);
        default:
          return others(object);
      }
    },
    managedDevices: collection(tenant.managedDevices, devices),
    managedDevice: (id) => devices(tenant.managedDevice(id)),
    detectedApps: collection(tenant.detectedApps, detected),
    detectedAppsOfDevice: (deviceId) =>
      tenant
        .detectedAppsOfDevice(deviceId)
        .map((app) => detected(app) as GraphObject),
    mobileApps: collection(
      tenant.mobileApps,
      alterer('mobileApps', plan.mobileApps),
    ),
    installStatusRows: (appId) =>
      (lists.installStatusRows
        ? lists.installStatusRows(appId, tenant.installStatusRows(appId))
        : tenant.installStatusRows(appId)
      ).map((row) => {
        const key = `${row.ApplicationId}|${row.DeviceId}`;
        if (!rowAlteration || !pick(key)) return row;
        (altered.installStatusRows ??= new Set()).add(key);
        return rowAlteration({ ...row });
      }),
    compliancePolicies: collection(
      replaced(tenant.compliancePolicies, lists.compliancePolicies),
      alterer('compliancePolicies', plan.compliancePolicies),
    ),
    deviceConfigurations: collection(
      replaced(tenant.deviceConfigurations, lists.deviceConfigurations),
      alterer('deviceConfigurations', plan.deviceConfigurations),
    ),
    deviceStatuses: (source: DeviceStatusSource, policyId: string) =>
      (lists.deviceStatuses
        ? lists.deviceStatuses(
            source,
            policyId,
            tenant.deviceStatuses(source, policyId),
          )
        : tenant.deviceStatuses(source, policyId)
      )?.map((status) => statuses(status) as GraphObject),
    // issue 15: a replaced status list comes with an overview that counts
    // what it holds (every device with a row other than notAssigned), so
    // that only the cases of the lists are tested, not the cross-check.
    policyStatusOverview: (source: DeviceStatusSource, policyId: string) => {
      if (!lists.deviceStatuses)
        return tenant.policyStatusOverview?.(source, policyId);
      const rows = lists.deviceStatuses(
        source,
        policyId,
        tenant.deviceStatuses(source, policyId),
      );
      if (!rows) return undefined;
      const devices = new Set(
        rows
          .filter((row) => row.status !== 'notAssigned')
          .map((row) => String(row.id).split('_').pop()?.toLowerCase()),
      );
      return { compliant: devices.size };
    },
  };
}

/** A collection whose items are `replace(all generated items)`, or the collection itself. */
function replaced(
  source: Collection,
  replace: ((items: GraphObject[]) => GraphObject[]) | undefined,
): Collection {
  if (!replace) return source;
  const items = replace(
    Array.from({ length: source.count }, (_, i) => source.get(i)),
  );
  return { count: items.length, get: (index) => items[index] };
}
