/**
 * Malformed responses: bodies that are not JSON, collections without
 * `value`, nextLinks that loop, items repeated across pages, and items whose
 * values are not what Graph documents (nulls, enum values added after this
 * was written, 100,000-character strings). Each either gets a clear error
 * (exact text) on the one step that read it, or is deduplicated / converted
 * safely; nothing loops, and unrelated steps are untouched.
 */
import { createGraphClient } from '../../src/config';
import { GraphClient } from '../../src/graph/client';
import { GROUP_SELECT, groupMembersRequest } from '../../src/graph/directory';
import { managedDevicesRequest } from '../../src/graph/intune-devices';
import { DEVICE_KINDS, Entities, Steps } from '../../src/steps/constants';
import { FaultRule } from '../graph-simulator';
import { CollectionResult, runCollection } from '../support/collect';
import {
  corruptTenant,
  CorruptionPlan,
  CorruptTenant,
  lengthenStrings,
  longString,
  nullEverything,
  oneIn,
  replaceValues,
} from '../support/corrupt-tenant';
import {
  expectOutcome,
  failureMessages,
  graphOf,
  literal,
  GROUP_SERVICE_PRINCIPALS_INCOMPLETE,
  MANAGES_WITHOUT,
  warnings,
} from '../support/outcome';
import { startTestTenant, TestTenant } from '../support/tenant';

jest.setTimeout(120_000);

let t: TestTenant;
let client: GraphClient;
let baseline: CollectionResult;

beforeAll(async () => {
  t = await startTestTenant('tiny');
  client = createGraphClient(t.config);
  baseline = await runCollection(t.config);
});
afterAll(() => t?.close());
beforeEach(() => {
  t.simulator.addTenant(t.tenant);
  t.simulator.clearFaults();
  t.simulator.setBehaviour({
    intunePageSize: 1000,
    signInActivityPageSize: 120,
  });
  t.simulator.resetStats();
});

async function collectWith(...rules: FaultRule[]) {
  for (const rule of rules) t.simulator.addFault(rule);
  return runCollection(t.config);
}

function url(path: string): string {
  return `${t.simulator.origin}${path}`;
}

function expectSameGraph(result: CollectionResult) {
  expect(result.summary.metadata.partialDatasets.types).toEqual([]);
  expect(graphOf(result)).toEqual(graphOf(baseline));
}

// ---- bodies ------------------------------------------------------------------------------------

describe('bodies that are not what Graph promises', () => {
  test('a truncated JSON body, once: the request is retried and the graph is complete', async () => {
    const result = await collectWith(
      {
        match: { pathIncludes: '/v1.0/users?' },
        times: 1,
        respond: { kind: 'invalidJson' },
      },
      {
        match: { pathIncludes: '/reports/getDeviceInstallStatusReport' },
        times: 1,
        respond: { kind: 'invalidJson' },
      },
    );
    expectSameGraph(result);
    const retried = result.logs.filter(
      (r) =>
        r.msg === 'Retrying Microsoft Graph request' &&
        r.code === 'InvalidJson',
    );
    expect(retried.map((r) => new URL(String(r.url)).pathname).sort()).toEqual([
      '/beta/deviceManagement/reports/getDeviceInstallStatusReport',
      '/v1.0/users',
    ]);
  });

  test('managedDevices keeps answering a truncated body: the step fails with the parser error, devices are partial', async () => {
    const result = await collectWith({
      match: { pathIncludes: '/beta/deviceManagement/managedDevices?' },
      respond: { kind: 'invalidJson' },
    });
    expectOutcome(result, t.truth(), {
      failed: {
        [Steps.DEVICES.id]: new RegExp(
          `^${literal(
            `Microsoft Graph GET ${client.urlOf(
              managedDevicesRequest(),
            )} failed with 200 InvalidJson: `,
          )}(Unterminated string|Expected [^.]+|Unexpected end of JSON input)[^.]*${literal(
            '. The response body could not be read as JSON.',
          )}$`,
        ),
        [Steps.USER_DEVICES.id]:
          'Build User and Device Relationships did not run: Fetch Intune Managed Devices did not read every managed device in this execution. The previous user and device relationships are kept.',
        [Steps.APPLICATION_MANAGES.id]: MANAGES_WITHOUT(Steps.DEVICES),
      },
      dependencyFailed: [
        Steps.MANAGED_APPS.id,
        Steps.DETECTED_APPS.id,
        Steps.COMPLIANCE_POLICIES.id,
        Steps.DEVICE_CONFIGURATIONS.id,
        // issue 15
        Steps.ADMINISTRATIVE_TEMPLATES.id,
        Steps.SETTINGS_COMPLIANCE_POLICIES.id,
        Steps.SETTINGS_POLICIES.id, // issue 15
      ],
    });
    // 1 attempt + 5 retries: a body that never parses is not retried forever.
    expect(
      t.simulator.requests.filter((r) =>
        r.path.startsWith('/beta/deviceManagement/managedDevices?'),
      ),
    ).toHaveLength(6);
  });

  test('the install report keeps answering a truncated body: Fetch Intune Managed Applications fails, naming it', async () => {
    const result = await collectWith({
      match: { pathIncludes: '/reports/getDeviceInstallStatusReport' },
      respond: { kind: 'invalidJson' },
    });
    expectOutcome(result, t.truth(), {
      failed: {
        // Every app's report failed: the fan-out counts them and names three.
        [Steps.MANAGED_APPS.id]: new RegExp(
          `^${t.tenant.mobileApps.count} of ${
            t.tenant.mobileApps.count
          } Microsoft Graph requests of this step kept failing after retries; the other 0 were read, and this step's data is partial\\. The first 3: ${[
            1, 2, 3,
          ]
            .map(
              () =>
                `${literal(
                  `Microsoft Graph POST ${url(
                    '/beta/deviceManagement/reports/getDeviceInstallStatusReport',
                  )} failed with 200 InvalidJson: `,
                )}[^|]+${literal('. The report body was not valid JSON.')}`,
            )
            .join(' \\| ')}$`,
        ),
        [Steps.APPLICATION_MANAGES.id]: MANAGES_WITHOUT(Steps.MANAGED_APPS),
      },
    });
  });

  test('a group member list ($batch item) without "value": Fetch Group Members fails instead of seeing an empty group', async () => {
    const groupId = t.tenant.groups.get(1).id as string;
    const result = await collectWith({
      match: { pathIncludes: `/groups/${groupId}/members`, batchItem: true },
      respond: { kind: 'missingValue' },
    });
    expectOutcome(result, t.truth(), {
      failed: {
        [Steps.GROUP_MEMBERS.id]: `1 of ${
          t.tenant.groups.count
        } Microsoft Graph requests of this step kept failing after retries; the other ${
          t.tenant.groups.count - 1
        } were read, and this step's data is partial: Microsoft Graph GET ${client.urlOf(
          groupMembersRequest(groupId),
        )} failed with 200 MissingValue. The response had no "value" collection; the collection was not read to the end.`,
        [Steps.GROUP_SERVICE_PRINCIPALS.id]:
          GROUP_SERVICE_PRINCIPALS_INCOMPLETE,
      },
    });
  });

  test('a nextLink that points at itself: the walk stops at once with an error, no endless loop', async () => {
    t.simulator.setBehaviour({ intunePageSize: 3 });
    const result = await collectWith({
      match: {
        pathIncludes: '/beta/deviceManagement/managedDevices?',
        pageNumber: 2,
      },
      respond: { kind: 'loopNextLink' },
    });
    const message = failureMessages(result)[Steps.DEVICES.id];
    expect(message).toMatch(
      new RegExp(
        `^${literal(
          `Microsoft Graph GET ${client.urlOf(
            managedDevicesRequest(),
          )}&$skiptoken=`,
        )}[A-Za-z0-9_-]+${literal(
          ' failed with 200 NextLinkLoop. Microsoft Graph returned a nextLink that was already followed; the walk stopped to avoid an endless loop.',
        )}$`,
      ),
    );
    // Page 1, then page 2 (whose nextLink is itself): two requests, not a loop.
    expect(
      t.simulator.requests.filter((r) =>
        r.path.startsWith('/beta/deviceManagement/managedDevices?'),
      ),
    ).toHaveLength(2);
    expect(result.stepStatus(Steps.USERS.id)).toBe('success');
    expect(result.stepStatus(Steps.GROUP_MEMBERS.id)).toBe('success');
    expect(result.stepStatus(Steps.USER_DEVICES.id)).toBe('failure');
  });

  test('the same items on two pages (users, devices, detected apps, device statuses): deduplicated, the graph is complete', async () => {
    t.simulator.setBehaviour({ intunePageSize: 3, signInActivityPageSize: 5 });
    const duplicate = { kind: 'duplicatePage' as const };
    const result = await collectWith(
      {
        match: { pathIncludes: '/v1.0/users?', pageNumber: 1 },
        times: 1,
        respond: duplicate,
      },
      {
        match: {
          pathIncludes: '/beta/deviceManagement/managedDevices?',
          pageNumber: 2,
        },
        times: 1,
        respond: duplicate,
      },
      {
        match: {
          pathIncludes: '/beta/deviceManagement/detectedApps?',
          pageNumber: 1,
        },
        times: 1,
        respond: duplicate,
      },
      {
        match: {
          pathRegex: '/deviceConfigurations/[^/]+/deviceStatuses',
          pageNumber: 1,
        },
        times: 3,
        respond: duplicate,
      },
    );
    expectSameGraph(result);
    expect(
      t.simulator.requests.filter((r) => r.fault === 'duplicatePage'),
    ).toHaveLength(6);
  });

  test('an error whose message is 100,000 characters: the step message keeps 400 of them', async () => {
    const huge = longString('The server had a very bad day', 100_000);
    const result = await collectWith({
      match: { pathIncludes: '/v1.0/groups?' },
      respond: { status: 500, code: 'UnknownError', message: huge },
    });
    const message = failureMessages(result)[Steps.GROUPS.id];
    expect(message).toMatch(
      new RegExp(
        `^${literal(
          `Microsoft Graph GET ${url(
            `/v1.0/groups?$select=${GROUP_SELECT.join(',')}&$top=999`,
          )} failed with 500 UnknownError: ${huge
            .replace(/\s+/g, ' ')
            .slice(0, 400)}… `,
        )}\\(request-id [0-9a-f-]{36}\\)${literal(
          '. Microsoft Graph kept failing after retries; the step fails so that its partial data does not replace the previous collection.',
        )}$`,
      ),
    );
    expect(message.length).toBeLessThan(1200);
    expect(JSON.stringify(result.logs).includes(huge)).toBe(false);
  });
});

// ---- values ------------------------------------------------------------------------------------

const ID_KEYED_TYPES = [
  Entities.USER._type,
  Entities.GROUP._type,
  Entities.GROUP_MEMBER._type,
  Entities.HOST_AGENT._type,
  Entities.COMPLIANCE_POLICY._type,
  Entities.DEVICE_CONFIGURATION._type,
];

function keysOf(result: CollectionResult, types: string[]): string[] {
  return result.entities
    .filter((e) => types.includes(e._type))
    .map((e) => e._key)
    .sort();
}

async function collectCorrupted(plan: CorruptionPlan): Promise<{
  result: CollectionResult;
  tenant: CorruptTenant;
}> {
  const tenant = corruptTenant(t.tenant, plan);
  t.simulator.addTenant(tenant);
  const result = await runCollection(t.config);
  return { result, tenant };
}

/**
 * Every step succeeded (with schema validation on) and nothing keyed by a
 * Graph id was lost or added; `newGroupMembers` are ids that became
 * azure_group_member entities on purpose.
 */
function expectSafeConversion(
  result: CollectionResult,
  newGroupMembers: string[] = [],
) {
  expect(result.error).toBeUndefined();
  expect(failureMessages(result)).toEqual({});
  expect(
    result.summary.integrationStepResults.filter((s) => s.status !== 'success'),
  ).toEqual([]);
  for (const type of ID_KEYED_TYPES) {
    const extra = type === Entities.GROUP_MEMBER._type ? newGroupMembers : [];
    expect([type, keysOf(result, [type])]).toEqual([
      type,
      [...keysOf(baseline, [type]), ...extra].sort(),
    ]);
  }
  // A device keeps its key whatever its values; only its kind may change.
  expect(keysOf(result, [...DEVICE_KINDS])).toEqual(
    keysOf(baseline, [...DEVICE_KINDS]),
  );
  // Absent values are absent (or null where the data model requires the
  // property): never the text "null", "undefined" or "NaN".
  const words = [...result.entities, ...result.relationships].flatMap((o) =>
    Object.entries(o)
      .filter(
        ([, v]) =>
          typeof v === 'string' && ['null', 'undefined', 'NaN'].includes(v),
      )
      .map(([p]) => `${o._key}.${p}`),
  );
  expect(words).toEqual([]);
}

function statusWarning(
  step: { name: string },
  singular: string,
  shown: string,
) {
  return `${step.name}: device statuses with a status value this integration does not know (${shown}); the host agents are ASSIGNED the ${singular} with that status, and no finding was created for them.`;
}

describe('item values Graph documents otherwise (a corrupted copy of the tenant)', () => {
  test('null in every property but the id, in a third of the items of every collection', async () => {
    const nulls = nullEverything();
    const { result, tenant } = await collectCorrupted({
      users: nulls,
      groups: nulls,
      otherMembers: nulls,
      managedDevices: nulls,
      detectedApps: nulls,
      mobileApps: nulls,
      compliancePolicies: nulls,
      deviceConfigurations: nulls,
      deviceStatuses: nulls,
      installStatusRows: (row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            ['ApplicationId', 'DeviceId'].includes(k) ? v : null,
          ]),
        ),
    });
    for (const collection of [
      'users',
      'groups',
      'otherMembers',
      'managedDevices',
      'detectedApps',
      'mobileApps',
      'compliancePolicies',
      'deviceConfigurations',
      'deviceStatuses',
      'installStatusRows',
    ]) {
      expect([collection, (tenant.altered[collection]?.size ?? 0) > 0]).toEqual(
        [collection, true],
      );
    }
    expectSafeConversion(result);

    // A device without any value is kept, typed by rule 11, and the step says so.
    const nulled = tenant.altered.managedDevices;
    const devices = result.entities.filter((e) => nulled.has(e._key));
    expect(devices).toHaveLength(nulled.size);
    for (const device of devices) {
      expect([device._type, device.deviceKindRule]).toEqual([
        'user_endpoint',
        11,
      ]);
    }
    const unsignalled = result.entities.filter(
      (e) => e.deviceKindRule === 11,
    ).length;
    expect(result.logs.map((r) => r.msg)).toContain(
      `Fetch Intune Managed Devices: ${unsignalled} managed devices had no value to tell their kind by (deviceType, chassisType, operatingSystem, skuFamily, model) and were typed user_endpoint (rule 11 of docs/data-model-rules.md). Their _type changes when Intune fills these values in later (docs/device-classification.md).`,
    );
    // A user without values is kept, named by its id.
    for (const id of tenant.altered.users) {
      const user = result.entities.find((e) => e._key === id);
      expect(user).toMatchObject({ _type: 'azure_user', name: id });
      expect(user).not.toHaveProperty('userPrincipalName');
    }
    // An app with no isAssigned is still an app of the catalog.
    const appKeys = keysOf(result, [Entities.MANAGED_APPLICATION._type]);
    expect(appKeys).toEqual(
      keysOf(baseline, [Entities.MANAGED_APPLICATION._type]),
    );
    // A status without a value: ASSIGNED without a finding, and a warning.
    expect(warnings(result.logs).sort()).toEqual(
      [
        statusWarning(Steps.COMPLIANCE_POLICIES, 'compliance policy', '(none)'),
        statusWarning(
          Steps.DEVICE_CONFIGURATIONS,
          'device configuration',
          '(none)',
        ),
      ].sort(),
    );
    // Detected apps without a name are counted, not invented (export rows
    // without a name, or request-route items without one).
    const detected = result.logs.find(
      (r) => r.msg === `${Steps.DETECTED_APPS.name}: done`,
    );
    const counts = detected?.counts as Record<string, number>;
    expect(detected?.detectedAppsRoute).toBe('export');
    expect(counts.exportRowsWithoutName).toBeGreaterThan(0);
  });

  test('enum values Microsoft may add (deviceType, complianceState, status, member type, app type, platform, install state)', async () => {
    const { result, tenant } = await collectCorrupted({
      users: replaceValues({ userType: 'Robot' }),
      otherMembers: replaceValues({
        '@odata.type': '#microsoft.graph.agentIdentity',
      }),
      managedDevices: replaceValues({
        deviceType: 'holoTable',
        complianceState: 'quantumCompliant',
        chassisType: 'hoverboard',
        ownerType: 'alien',
        managementState: 'levitating',
      }),
      detectedApps: replaceValues({ platform: 'fuchsia' }),
      mobileApps: replaceValues({
        '@odata.type': '#microsoft.graph.fuchsiaStoreApp',
      }),
      deviceStatuses: replaceValues({ status: 'pendingReboot' }),
      installStatusRows: (row) => ({ ...row, InstallState: 'teleported' }),
    });
    // A service principal named by a type this integration does not know
    // stays related to its azure_service_principal when one was collected;
    // one that /servicePrincipals did not list becomes a group member.
    const listed = new Set(
      keysOf(baseline, [Entities.SERVICE_PRINCIPAL._type]),
    );
    const newMembers = Array.from(tenant.altered.otherMembers).filter(
      (id) =>
        t.tenant.directoryObjectType(id) === 'servicePrincipal' &&
        !listed.has(id),
    );
    expect(newMembers.length).toBeGreaterThan(0);
    expectSafeConversion(result, newMembers);
    const altered = tenant.altered.managedDevices.size;
    expect(warnings(result.logs).sort()).toEqual(
      [
        `Fetch Intune Managed Devices: managed devices with values this integration does not know: deviceType "holoTable" (${altered}), complianceState "quantumCompliant" (${altered}). The devices are kept with these values as sent; the values decide neither the device kind nor the compliant flag.`,
        statusWarning(
          Steps.COMPLIANCE_POLICIES,
          'compliance policy',
          'pendingReboot',
        ),
        statusWarning(
          Steps.DEVICE_CONFIGURATIONS,
          'device configuration',
          'pendingReboot',
        ),
      ].sort(),
    );
    for (const id of tenant.altered.managedDevices) {
      const device = result.entities.find((e) => e._key === id);
      expect(device).toMatchObject({
        deviceType: 'holoTable',
        complianceState: 'quantumCompliant',
        chassisType: 'hoverboard',
      });
      expect(device).not.toHaveProperty('compliant');
    }
    // A member of a type this integration has never seen is still a member.
    for (const id of Array.from(tenant.altered.otherMembers).filter(
      (member) => !listed.has(member),
    )) {
      expect(result.entities.find((e) => e._key === id)).toMatchObject({
        _type: 'azure_group_member',
        memberType: 'agentIdentity',
      });
    }
    for (const id of tenant.altered.users) {
      expect(result.entities.find((e) => e._key === id)).toMatchObject({
        userType: 'Robot',
      });
    }
    // An app of an unknown type is still an app of the catalog.
    expect(keysOf(result, [Entities.MANAGED_APPLICATION._type])).toEqual(
      keysOf(baseline, [Entities.MANAGED_APPLICATION._type])
        .filter((id) => !tenant.altered.mobileApps.has(id))
        .concat(Array.from(tenant.altered.mobileApps))
        .sort(),
    );
    // Statuses of an unknown value: the host agent is ASSIGNED with it.
    expect(
      result.relationships.filter((r) => r.status === 'pendingReboot').length,
    ).toBeGreaterThan(0);
    // An unknown install state stays on ASSIGNED; an unknown platform is its own family.
    expect(
      result.relationships.filter((r) => r.installState === 'teleported')
        .length,
    ).toBeGreaterThan(0);
    expect(
      result.entities.filter(
        (e) =>
          e._type === Entities.DETECTED_APPLICATION._type &&
          e.platform === 'fuchsia',
      ).length,
    ).toBeGreaterThan(0);
  });

  test('100,000-character strings in names, descriptions, models and statuses', async () => {
    const long = (...properties: string[]) =>
      lengthenStrings(100_000, properties);
    const { result, tenant } = await collectCorrupted({
      pick: oneIn(4),
      users: long('displayName', 'jobTitle'),
      groups: long('displayName', 'description'),
      otherMembers: long('displayName'),
      managedDevices: long('deviceName', 'model', 'manufacturer'),
      detectedApps: long('displayName', 'publisher'),
      mobileApps: long('displayName', 'description'),
      compliancePolicies: long('displayName', 'description'),
      deviceStatuses: long('status'),
    });
    expectSafeConversion(result);
    // Kept whole on the entity: a name is data.
    expect(tenant.altered.users.size).toBeGreaterThan(0);
    for (const id of tenant.altered.users) {
      const user = result.entities.find((e) => e._key === id);
      expect(String(user?.displayName)).toHaveLength(100_000);
    }
    // In a log message, a value from Graph is cut at 64 characters.
    const statusWarnings = result.logs.filter((r) =>
      /device statuses with a status value this integration does not know/.test(
        r.msg,
      ),
    );
    expect(statusWarnings).toHaveLength(2);
    for (const record of statusWarnings) {
      const values = Object.keys(record.values as Record<string, number>);
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) {
        expect(value).toHaveLength(65);
        expect(value.endsWith('…')).toBe(true);
      }
      expect(record.msg.length).toBeLessThan(600 + 66 * values.length);
    }
  });
});
