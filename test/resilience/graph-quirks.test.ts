/**
 * Issue 14: what real Graph does that a kinder simulator hid, each against
 * the simulator through the real credential and Graph client. The simulator
 * mode behind each case, and its evidence, is in test/graph-simulator/README.md.
 *
 *  §1 the whole mobile-app catalog, assigned or not;
 *  §2 report columns as integer codes (Schema PropertyType), with _loc labels;
 *  §3 report paging complete or failing: unordered pages (the default),
 *     device ids in another case, rows that match no device;
 *  §4 several status rows per device (user and System account): the worst
 *     decides, whatever the order of the rows.
 */
import {
  allOf,
  Entities,
  Relationships,
  Steps,
} from '../../src/steps/constants';
import { GraphObject } from '../graph-simulator/tenant/model';
import { CollectionResult, runCollection } from '../support/collect';
import { corruptTenant } from '../support/corrupt-tenant';
import { failureMessages, ofType } from '../support/outcome';
import { startTestTenant, TestTenant } from '../support/tenant';

const MANAGED = Entities.MANAGED_APPLICATION._type;

/** The `_type`s of the ASSIGNED relationships to a target type (one per device kind for apps). */
function assignedTypes(targetType: string): string[] {
  if (targetType === MANAGED)
    return allOf(Relationships.DEVICE_ASSIGNED_MANAGED_APPLICATION).map(
      (r) => r._type,
    );
  return [
    targetType === Entities.COMPLIANCE_POLICY._type
      ? Relationships.HOST_AGENT_ASSIGNED_COMPLIANCE_POLICY._type
      : Relationships.HOST_AGENT_ASSIGNED_DEVICE_CONFIGURATION._type,
  ];
}

/** How many ASSIGNED relationships carry each value of `property`, in the ground truth's notation. */
function valueCounts(
  result: CollectionResult,
  targetType: string,
  property: string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of ofType(result.relationships, ...assignedTypes(targetType))) {
    const key = `ASSIGNED ${targetType} ${property}=${String(r[property])}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function truthValues(
  tenant: TestTenant,
  targetType: string,
  property: string,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(tenant.truth().values).filter(([key]) =>
      key.startsWith(`ASSIGNED ${targetType} ${property}=`),
    ),
  );
}

describe('§1 and §4: the default tiny tenant', () => {
  let tenant: TestTenant;
  let result: CollectionResult;
  beforeAll(async () => {
    tenant = await startTestTenant('tiny');
    result = await runCollection(tenant.config);
  });
  afterAll(() => tenant?.close());

  test('§1 every mobile app of the catalog is an intune_managed_application, assigned or not', () => {
    const apps = ofType(result.entities, MANAGED);
    expect(apps).toHaveLength(tenant.tenant.mobileApps.count);
    const unassigned = apps.filter((a) => a.isAssigned === false);
    expect(unassigned.length).toBeGreaterThan(0);
    expect(unassigned.length).toBe(
      Array.from({ length: tenant.tenant.mobileApps.count }, (_, i) =>
        tenant.tenant.mobileApps.get(i),
      ).filter((a) => a.isAssigned !== true).length,
    );
  });

  test('§4 the worst install row of a device decides its installState', () => {
    const expected = truthValues(tenant, MANAGED, 'installState');
    expect(Object.keys(expected).length).toBeGreaterThan(3);
    expect(valueCounts(result, MANAGED, 'installState')).toEqual(expected);
  });

  test('§4 the worst status row of a device decides its status, for both policy sources', () => {
    for (const type of [
      Entities.COMPLIANCE_POLICY._type,
      Entities.DEVICE_CONFIGURATION._type,
    ]) {
      const expected = truthValues(tenant, type, 'status');
      expect(Object.keys(expected).length).toBeGreaterThan(3);
      expect(valueCounts(result, type, 'status')).toEqual(expected);
    }
  });

  test('§4 the System account row keeps its principal when it decides', () => {
    const system = result.relationships.filter(
      (r) => r._class === 'ASSIGNED' && r.userName === 'System account',
    );
    expect(system.length).toBeGreaterThan(0);
    expect(
      ofType(result.entities, Entities.NONCOMPLIANCE_FINDING._type).some(
        (f) => f.userName === 'System account',
      ),
    ).toBe(true);
  });

  test('§4 rows in the reverse order give the same graph, key for key and value for value', async () => {
    const reversed = corruptTenant(tenant.tenant, {
      lists: {
        deviceStatuses: (_source, _policyId, statuses) =>
          statuses && [...statuses].reverse(),
        installStatusRows: (_appId, rows) => [...rows].reverse(),
      },
    });
    tenant.simulator.addTenant(reversed);
    try {
      const again = await runCollection(tenant.config);
      const intune = (r: CollectionResult) =>
        Object.fromEntries(
          [...r.entities, ...r.relationships]
            .filter((o) =>
              /managed_application|compliance|configuration|finding/.test(
                o._type as string,
              ),
            )
            .map((o) => [o._key, o]),
        );
      const before = intune(result);
      expect(Object.keys(before).length).toBeGreaterThan(100);
      expect(intune(again)).toEqual(before);
    } finally {
      tenant.simulator.addTenant(tenant.tenant);
    }
  });
});

describe('§2 integer-coded report values', () => {
  test('give the same installState values as names, and none is lost', async () => {
    const tenant = await startTestTenant('tiny', {
      behaviour: { reportValues: 'codes' },
    });
    try {
      const result = await runCollection(tenant.config);
      expect(result.stepStatus(Steps.MANAGED_APPS.id)).toBe('success');
      expect(valueCounts(result, MANAGED, 'installState')).toEqual(
        truthValues(tenant, MANAGED, 'installState'),
      );
      const assigned = ofType(result.relationships, ...assignedTypes(MANAGED));
      expect(
        assigned.every((r) => typeof r.installStateCode === 'number'),
      ).toBe(true);
      // the App* columns' labels come from their _loc columns
      expect(
        assigned.filter((r) => r.appInstallState === 'Install Pending').length,
      ).toBe(
        truthValues(tenant, MANAGED, 'installState')[
          `ASSIGNED ${MANAGED} installState=pendingInstall`
        ],
      );
      expect(
        assigned.filter((r) => r.installStateDetail === undefined),
      ).toEqual([]);
    } finally {
      await tenant.close();
    }
  });
});

describe('§3 report rows and device ids', () => {
  test("device ids in upper case still match their devices, and keys stay the devices' own", async () => {
    const tenant = await startTestTenant('tiny', {
      behaviour: { reportMixedCaseDeviceIds: true },
    });
    try {
      const result = await runCollection(tenant.config);
      expect(valueCounts(result, MANAGED, 'installState')).toEqual(
        truthValues(tenant, MANAGED, 'installState'),
      );
      const deviceKeys = new Set(
        result.entities
          .filter((e) => (e._class as string[]).includes('Device'))
          .map((e) => e._key),
      );
      const assigned = ofType(result.relationships, ...assignedTypes(MANAGED));
      expect(assigned.length).toBeGreaterThan(0);
      expect(
        assigned.filter((r) => !deviceKeys.has(r._fromEntityKey as string)),
      ).toEqual([]);
    } finally {
      await tenant.close();
    }
  });

  test('a report whose rows match no collected device fails the step with its types partial', async () => {
    const tenant = await startTestTenant('tiny');
    const unknownIds = (rows: Record<string, string | number | null>[]) =>
      rows.map((row) => ({
        ...row,
        DeviceId: `ffffffff${String(row.DeviceId).slice(8)}`,
      }));
    tenant.simulator.addTenant(
      corruptTenant(tenant.tenant, {
        lists: { installStatusRows: (_appId, rows) => unknownIds(rows) },
      }),
    );
    try {
      const result = await runCollection(tenant.config);
      expect(result.stepStatus(Steps.MANAGED_APPS.id)).toBe('failure');
      const rows = Array.from(
        { length: tenant.tenant.mobileApps.count },
        (_, i) =>
          tenant.tenant.installStatusRows(
            tenant.tenant.mobileApps.get(i).id as string,
          ),
      ).reduce((n, r) => n + r.length, 0);
      expect(failureMessages(result)[Steps.MANAGED_APPS.id]).toBe(
        `${Steps.MANAGED_APPS.name}: the install status report returned ${rows} rows and none of them names a managed device of this collection (${tenant.tenant.managedDevices.count} devices), so no install state was recorded; the ASSIGNED relationships are kept from the previous collection.`,
      );
      expect(result.summary.metadata.partialDatasets.types).toEqual(
        expect.arrayContaining([MANAGED]),
      );
    } finally {
      await tenant.close();
    }
  });

  test('device statuses that match no collected device fail the step with its types partial', async () => {
    const tenant = await startTestTenant('tiny');
    const elsewhere = (status: GraphObject): GraphObject => ({
      ...status,
      id: String(status.id).replace(
        /_[^_]+$/,
        (device) => `_ffffffff${device.slice(9)}`,
      ),
    });
    tenant.simulator.addTenant(
      corruptTenant(tenant.tenant, {
        lists: {
          deviceStatuses: (source, _policyId, statuses) =>
            source === 'compliance' ? statuses?.map(elsewhere) : statuses,
        },
      }),
    );
    try {
      const result = await runCollection(tenant.config);
      expect(result.stepStatus(Steps.COMPLIANCE_POLICIES.id)).toBe('failure');
      expect(result.stepStatus(Steps.DEVICE_CONFIGURATIONS.id)).toBe('success');
      expect(failureMessages(result)[Steps.COMPLIANCE_POLICIES.id]).toMatch(
        new RegExp(
          `^${Steps.COMPLIANCE_POLICIES.name}: Graph returned \\d+ device statuses and none of them names a managed device of this collection \\(${tenant.tenant.managedDevices.count} devices\\), so no status was recorded; the previous data of this step is kept\\.$`,
        ),
      );
      expect(result.summary.metadata.partialDatasets.types).toEqual(
        expect.arrayContaining([Entities.COMPLIANCE_POLICY._type]),
      );
    } finally {
      await tenant.close();
    }
  });
});
