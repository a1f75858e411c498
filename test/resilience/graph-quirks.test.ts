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
import { RelationshipClass } from '@jupiterone/integration-sdk-core';
import { userDeviceRelationship } from '../../src/steps/intune-devices/converters';
import { corruptTenant } from '../support/corrupt-tenant';
import { reorderedTenant } from '../support/reordered-tenant';
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

describe('§7 one bad item does not stop a fan-out', () => {
  test('two policies whose statuses keep failing: every other policy is read, then one error counts and names them', async () => {
    const tenant = await startTestTenant('tiny');
    try {
      const policies = tenant.tenant.compliancePolicies;
      const bad = [0, 1].map((i) => policies.get(i).id as string);
      for (const id of bad) {
        tenant.simulator.addFault({
          match: {
            pathIncludes: `/deviceCompliancePolicies/${id}/deviceStatuses`,
          },
          respond: { status: 503, code: 'ServiceUnavailable', retryAfter: 0 },
        });
      }
      const result = await runCollection(tenant.config, {
        client: { retry: { baseDelayMs: 1, maxDelayMs: 5 } },
      });
      expect(result.stepStatus(Steps.COMPLIANCE_POLICIES.id)).toBe('failure');
      expect(failureMessages(result)[Steps.COMPLIANCE_POLICIES.id]).toMatch(
        new RegExp(
          `^2 of ${
            policies.count
          } Microsoft Graph requests of this step kept failing after retries; the other ${
            policies.count - 2
          } were read, and this step's data is partial\\. The first 2: Microsoft Graph GET \\S+/deviceCompliancePolicies/(${bad.join(
            '|',
          )})/deviceStatuses failed with 503 ServiceUnavailable: Service unavailable\\. Please retry later\\. \\(request-id [0-9a-f-]{36}\\)\\. [^|]+ \\| Microsoft Graph GET \\S+/deviceCompliancePolicies/(${bad.join(
            '|',
          )})/deviceStatuses failed with 503 ServiceUnavailable: Service unavailable\\. Please retry later\\. \\(request-id [0-9a-f-]{36}\\)\\. [^|]+$`,
        ),
      );
      // The statuses of every other policy were written.
      const assignedTo = new Set(
        ofType(
          result.relationships,
          Relationships.HOST_AGENT_ASSIGNED_COMPLIANCE_POLICY._type,
        ).map((r) => r._toEntityKey),
      );
      for (let i = 2; i < policies.count; i++) {
        const id = policies.get(i).id as string;
        const statuses = tenant.tenant.deviceStatuses('compliance', id) ?? [];
        const assigned = statuses.some((s) => s.status !== 'notAssigned');
        expect([id, assignedTo.has(id)]).toEqual([id, assigned]);
      }
      for (const id of bad) expect(assignedTo.has(id)).toBe(false);
      expect(result.summary.metadata.partialDatasets.types).toEqual(
        expect.arrayContaining([Entities.COMPLIANCE_POLICY._type]),
      );
    } finally {
      await tenant.close();
    }
  });
});

describe('§5 an optional Intune lookup never takes down the directory', () => {
  test.each([
    [
      'beta drops the undocumented subscriptionState segment (400)',
      '/beta/deviceManagement/subscriptionState',
      {
        status: 400,
        code: 'BadRequest',
        message: "Resource not found for the segment 'subscriptionState'.",
      },
      'the Intune subscription state (beta /deviceManagement/subscriptionState)',
    ],
    [
      'the MDM authority answers 404',
      '/v1.0/organization/',
      { status: 404, code: 'Request_ResourceNotFound', message: 'Gone.' },
      'the MDM authority (organization mobileDeviceManagementAuthority)',
    ],
    [
      'the MDM authority answers 401 (Intune reports permissions so)',
      '/v1.0/organization/',
      { status: 401, code: 'Unauthorized', message: 'Not authorized.' },
      'the MDM authority (organization mobileDeviceManagementAuthority)',
    ],
    [
      'the subscription state keeps answering 503',
      '/beta/deviceManagement/subscriptionState',
      { status: 503, code: 'ServiceUnavailable', retryAfter: 0 },
      'the Intune subscription state (beta /deviceManagement/subscriptionState)',
    ],
  ] as const)(
    '%s: the account is written, one warning names the lookup, every step succeeds',
    async (_label, pathIncludes, respond, what) => {
      const tenant = await startTestTenant('tiny');
      try {
        tenant.simulator.addFault({ match: { pathIncludes }, respond });
        const result = await runCollection(tenant.config, {
          client: { retry: { baseDelayMs: 1, maxDelayMs: 5 } },
        });
        expect(
          result.summary.integrationStepResults.filter(
            (s) => s.status !== 'success',
          ),
        ).toEqual([]);
        expect(
          result.logs.filter(
            (r) =>
              r.msg ===
              `Could not read ${what}; the account is written without it.`,
          ),
        ).toHaveLength(1);
        const account = result.entities.find(
          (e) => e._type === Entities.ACCOUNT._type,
        );
        expect(account?.intuneAccountId).toBe(
          tenant.tenant.intune?.intuneAccountId,
        );
      } finally {
        await tenant.close();
      }
    },
  );
});

describe('§6 "no Intune" only on evidence', () => {
  test('a /deviceManagement without intuneAccountId leaves the Intune steps enabled', async () => {
    const tenant = await startTestTenant('tiny', {
      behaviour: { deviceManagementWithoutAccountId: true },
    });
    try {
      const result = await runCollection(tenant.config);
      expect(
        result.summary.integrationStepResults.filter(
          (s) => s.status !== 'success',
        ),
      ).toEqual([]);
      expect(result.logs.map((r) => r.msg)).toContain(
        'The account is not enriched with Intune details: Microsoft Graph answered /deviceManagement without an intuneAccountId.',
      );
      expect(
        result.logs.some((r) => /has no Intune subscription/.test(r.msg)),
      ).toBe(false);
      expect(
        result.entities.filter((e) => e._type === 'intune_host_agent'),
      ).toHaveLength(tenant.tenant.managedDevices.count);
    } finally {
      await tenant.close();
    }
  });
});

describe('§9 keys and values are stable from run to run', () => {
  test('the same tenant in another order and at another concurrency gives the same graph, key for key and value for value', async () => {
    const tenant = await startTestTenant('tiny');
    try {
      const first = await runCollection(tenant.config);
      tenant.simulator.addTenant(reorderedTenant(tenant.tenant, 20261206));
      const second = await runCollection(tenant.config, {
        client: { throttle: { maxConcurrency: 1 } },
      });
      const byKey = (r: CollectionResult) =>
        new Map([...r.entities, ...r.relationships].map((o) => [o._key, o]));
      const a = byKey(first);
      const b = byKey(second);
      expect(a.size).toBeGreaterThan(1000);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      const changed = [...a.keys()].filter(
        (key) =>
          JSON.stringify(sorted(a.get(key))) !==
          JSON.stringify(sorted(b.get(key))),
      );
      expect(changed).toEqual([]);
    } finally {
      await tenant.close();
    }
  });

  test('a user-device relationship keeps its key when the user leaves the collection (mapped)', () => {
    const device = { _key: 'd1', _type: 'laptop', _class: ['Device', 'Host'] };
    const direct = userDeviceRelationship(
      RelationshipClass.HAS,
      'u1',
      device as never,
      true,
    );
    const mapped = userDeviceRelationship(
      RelationshipClass.HAS,
      'u1',
      device as never,
      false,
    );
    expect(mapped._key).toBe(direct._key);
  });
});

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  return value;
}

describe("§10 the completeness guard: a walk that ended early keeps yesterday's data", () => {
  test.each([
    [
      'users',
      '/v1.0/users?',
      Steps.USERS,
      (t: TestTenant) => t.tenant.users.count,
      'GET /users/$count, ConsistencyLevel: eventual',
      0.005,
    ],
    [
      'groups',
      '/v1.0/groups?',
      Steps.GROUPS,
      (t: TestTenant) => t.tenant.groups.count,
      'GET /groups/$count, ConsistencyLevel: eventual',
      0.005,
    ],
    [
      'managed devices',
      '/beta/deviceManagement/managedDevices?',
      Steps.DEVICES,
      (t: TestTenant) => t.tenant.managedDevices.count,
      'managedDeviceOverview.enrolledDeviceCount',
      0.01,
    ],
  ] as const)(
    '%s: a last page without its nextLink fails the step with both numbers',
    async (what, pathIncludes, step, count, source, share) => {
      const tenant = await startTestTenant('tiny', {
        behaviour: { directoryPageSizeCap: 2, intunePageSize: 2 },
        // enough groups that 4 read of them is a clear shortfall
        profile: { directory: { groups: 20 } } as never,
      });
      try {
        tenant.simulator.addFault({
          match: { pathIncludes, pageNumber: 2 },
          respond: { kind: 'endWalkEarly' },
        });
        const result = await runCollection(tenant.config);
        const expected = count(tenant);
        const pageSize = 2;
        const read = Math.min(expected, 2 * pageSize);
        expect(expected - read).toBeGreaterThan(
          Math.max(5, Math.ceil(expected * share)),
        );
        expect(result.stepStatus(step.id)).toBe('failure');
        expect(failureMessages(result)[step.id]).toBe(
          `${
            step.name
          }: read ${read} ${what}, but Microsoft Graph counts ${expected} (${source}); ${
            expected - read
          } missing is more than the ${Math.max(
            5,
            Math.ceil(expected * share),
          )} that changes during the collection explain, so the ${what} are marked partial and the previous data is kept.`,
        );
      } finally {
        await tenant.close();
      }
    },
  );

  test('a count Graph refuses only skips the check, with a warning', async () => {
    const tenant = await startTestTenant('tiny');
    try {
      tenant.simulator.addFault({
        match: { pathIncludes: '/v1.0/users/$count' },
        respond: {
          status: 400,
          code: 'Request_BadRequest',
          message: '$count is not currently supported.',
        },
      });
      const result = await runCollection(tenant.config);
      expect(result.stepStatus(Steps.USERS.id)).toBe('success');
      expect(result.logs.map((r) => r.msg)).toContain(
        'Could not read how many users Microsoft Graph holds (GET /users/$count, ConsistencyLevel: eventual); the users read are not checked against it.',
      );
    } finally {
      await tenant.close();
    }
  });
});
