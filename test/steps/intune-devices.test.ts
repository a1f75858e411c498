/**
 * The intune-devices module end to end: the whole integration runs in-process
 * (validateInvocation, getStepStartStates, both dependency graphs, the file
 * store) against the Graph simulator, through the real credential and Graph
 * client, and what it wrote is compared with the generated tenant's ground
 * truth and raw Graph objects.
 */
import {
  Entity,
  IntegrationExecutionContext,
} from '@jupiterone/integration-sdk-core';
import { IntegrationConfig } from '../../src/config';
import { getStepStartStates } from '../../src/getStepStartStates';
import { MANAGED_DEVICE_SELECT } from '../../src/graph/intune-devices';
import { intuneDevicesSteps } from '../../src/steps/intune-devices';
import { integrationSteps } from '../../src/steps';
import {
  DEVICE_KINDS,
  IngestionSources,
  Steps,
} from '../../src/steps/constants';
import { GroundTruth } from '../graph-simulator';
import { CollectionResult, LogRecord, runCollection } from '../support/collect';
import { countGraph, GraphCounts } from '../support/graph-counts';
import { ALL_ROLES, startTestTenant, TestTenant } from '../support/tenant';
import { relationshipKey } from '../../src/steps/graph-objects';

const KINDS: readonly string[] = DEVICE_KINDS;
const DEVICE_STEP_TYPES = [
  ...intuneDevicesSteps[0].entities.map((e) => e._type),
  ...intuneDevicesSteps[0].relationships.map((r) => r._type),
];
const RELATIONSHIP_STEP_TYPES = [
  ...intuneDevicesSteps[1].relationships.map((r) => r._type),
  ...(intuneDevicesSteps[1].mappedRelationships ?? []).map((r) => r._type),
];
const PERMISSION_HINT =
  'grant the Microsoft Graph application permission DeviceManagementManagedDevices.Read.All to read Intune managed devices and their detected applications, then grant admin consent';

/** The part of the ground truth this module is responsible for, zeros included. */
function moduleTruth(truth: GroundTruth) {
  const relationships: Record<string, number> = {};
  const mapped: Record<string, number> = {};
  for (const kind of KINDS) {
    for (const key of [
      `intune_host_agent|MANAGES|${kind}`,
      `azure_user|HAS|${kind}`,
      `azure_user|USES|${kind}`,
    ]) {
      relationships[key] = truth.relationships[key] ?? 0;
    }
    for (const key of [`azure_user|HAS|${kind}`, `azure_user|USES|${kind}`]) {
      mapped[key] = truth.mappedRelationships[key] ?? 0;
    }
  }
  const entities: Record<string, number> = {
    intune_host_agent: truth.entities.intune_host_agent ?? 0,
  };
  for (const kind of KINDS) entities[kind] = truth.entities[kind] ?? 0;
  return { entities, relationships, mappedRelationships: mapped };
}

/** The same keys, read from what the collection wrote (absent = 0). */
function moduleCounts(
  counts: GraphCounts,
  truth: ReturnType<typeof moduleTruth>,
) {
  const pick = (source: Record<string, number>, keys: Record<string, number>) =>
    Object.fromEntries(Object.keys(keys).map((key) => [key, source[key] ?? 0]));
  return {
    entities: pick(counts.entities, truth.entities),
    relationships: pick(counts.relationships, truth.relationships),
    mappedRelationships: pick(
      counts.mappedRelationships,
      truth.mappedRelationships,
    ),
  };
}

function devicesOf(result: CollectionResult): Entity[] {
  return result.entities.filter((e) => KINDS.includes(e._type));
}

/** The error messages the runtime logged for a failed step (warn for auth errors, else error). */
function stepFailureMessages(logs: LogRecord[], stepName: string): string[] {
  return logs
    .filter((r) =>
      r.msg.startsWith(`Step "${stepName}" failed to complete due to error.`),
    )
    .map((r) => (r.err as { message: string }).message);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function userIdsOf(tenant: TestTenant): Set<string> {
  const ids = new Set<string>();
  for (let i = 0; i < tenant.tenant.users.count; i++) {
    ids.add(tenant.tenant.users.get(i).id as string);
  }
  return ids;
}

function withoutStepsOf(
  source: string,
): (
  context: IntegrationExecutionContext<IntegrationConfig>,
) => ReturnType<typeof getStepStartStates> {
  return async (context) => {
    const states = await getStepStartStates(context);
    for (const step of integrationSteps) {
      if (step.ingestionSourceId === source)
        states[step.id] = { disabled: true };
    }
    return states;
  };
}

describe('fetch-devices and build-user-device-relationships against the simulator', () => {
  let tenant: TestTenant;
  let result: CollectionResult;

  beforeAll(async () => {
    // Pages of 10 devices: the step streams several pages.
    tenant = await startTestTenant('tiny', {
      behaviour: { intunePageSize: 10 },
    });
    result = await runCollection(tenant.config);
  });
  afterAll(() => tenant?.close());

  test('both steps succeed', () => {
    expect(result.error).toBeUndefined();
    expect(result.stepStatus(Steps.DEVICES.id)).toBe('success');
    expect(result.stepStatus(Steps.USER_DEVICES.id)).toBe('success');
  });

  test('every managed device is one entity of the expected kind', () => {
    const truth = tenant.truth();
    const kinds = Object.fromEntries(
      devicesOf(result).map((d) => [d._key, d._type]),
    );
    expect(kinds).toEqual(truth.deviceKinds);
    // The tenant has every kind, so every rule path was exercised.
    expect(new Set(Object.values(kinds))).toEqual(new Set(KINDS));
  });

  test('entity and relationship counts per type equal the ground truth, with no duplicate keys', () => {
    const truth = moduleTruth(tenant.truth());
    const counts = countGraph(result.entities, result.relationships);
    expect(counts.duplicateKeys).toEqual([]);
    expect(moduleCounts(counts, truth)).toEqual(truth);
    // The tiny tenant has users outside /users: mapped relationships exist.
    expect(
      Object.values(truth.mappedRelationships).reduce((a, b) => a + b, 0),
    ).toBeGreaterThan(0);
  });

  test('one host agent MANAGES each device, keyed by the managed device id', () => {
    const agents = result.entities.filter(
      (e) => e._type === 'intune_host_agent',
    );
    const devices = devicesOf(result);
    expect(agents.map((a) => a._key).sort()).toEqual(
      devices.map((d) => `intune_host_agent:${d._key}`).sort(),
    );
    for (const agent of agents) {
      expect(agent.function).toEqual([
        'endpoint-compliance',
        'endpoint-configuration',
      ]);
    }
    const manages = result.relationships.filter(
      (r) =>
        r._class === 'MANAGES' &&
        r._type.startsWith('intune_host_agent_manages_'),
    );
    expect(
      manages.map((r) => [r._fromEntityKey, r._toEntityKey, r._type]).sort(),
    ).toEqual(
      devices
        .map((d) => [
          `intune_host_agent:${d._key}`,
          d._key,
          `intune_host_agent_manages_${d._type}`,
        ])
        .sort(),
    );
  });

  test('HAS and USES: exact keys, direct for users of /users, mapped for the others', () => {
    const users = userIdsOf(tenant);
    const expected: string[] = [];
    for (let i = 0; i < tenant.tenant.managedDevices.count; i++) {
      const raw = tenant.tenant.managedDevices.get(i);
      const id = raw.id as string;
      const owner = raw.userId as string;
      if (owner) {
        expected.push(
          users.has(owner)
            ? `direct ${relationshipKey(`${owner}|has|${id}`)}`
            : `mapped ${relationshipKey(`${owner}|has|${id}`)}`, // the direct key (issue 14 §9)
        );
      }
      const loggedOn = new Set(
        (raw.usersLoggedOn as { userId: string }[]).map((u) => u.userId),
      );
      for (const user of loggedOn) {
        expected.push(
          users.has(user)
            ? `direct ${relationshipKey(`${user}|uses|${id}`)}`
            : `mapped ${relationshipKey(`${user}|uses|${id}`)}`,
        );
      }
    }
    const actual = result.relationships
      .filter(
        (r) =>
          /^azure_user_(has|uses)_/.test(r._type) &&
          KINDS.some((k) => r._type.endsWith(`_${k}`)),
      )
      .map((r) => `${r._mapping ? 'mapped' : 'direct'} ${r._key}`);
    expect(actual.sort()).toEqual(expected.sort());
    for (const r of result.relationships.filter((r) => r._mapping)) {
      if (!/^azure_user_(has|uses)_/.test(r._type)) continue;
      expect(r._mapping).toMatchObject({
        relationshipDirection: 'REVERSE',
        targetEntity: { _type: 'azure_user' },
        targetFilterKeys: [['_type', '_key']],
      });
    }
  });

  test('device properties follow the Graph object, without sentinels, placeholders or raw data', () => {
    for (const device of devicesOf(result)) {
      const raw = tenant.tenant.managedDevice(device._key)!;
      for (const required of [
        'category',
        'make',
        'model',
        'serial',
        'deviceId',
        'hostname',
      ]) {
        expect(device).toHaveProperty(required);
      }
      expect(device).not.toHaveProperty('_rawData');
      expect([
        'darwin',
        'linux',
        'unix',
        'windows',
        'android',
        'ios',
        'embedded',
        'other',
      ]).toContain(device.platform);
      expect(device.make).toBe((raw.manufacturer as string) || null);
      expect(device.model).toBe((raw.model as string) || null);
      expect(device.serial).toBe((raw.serialNumber as string) || null);
      const entraId = raw.azureADDeviceId as string;
      expect(device.deviceId).toBe(
        entraId === '00000000-0000-0000-0000-000000000000' ? null : entraId,
      );
      expect(device.azureADDeviceId).toBe(device.deviceId ?? undefined);
      expect(device.userId).toBe((raw.userId as string) || undefined);
      expect(device.loggedOnUserIds).toEqual(
        Array.from(
          new Set(
            (raw.usersLoggedOn as { userId: string }[]).map((u) => u.userId),
          ),
        ),
      );
      expect(device.lastSeenOn).toBe(
        Date.parse(raw.lastSyncDateTime as string),
      );
      expect(device.enrolledOn).toBe(
        Date.parse(raw.enrolledDateTime as string),
      );
      expect(device.encrypted).toBe(raw.isEncrypted);
      expect(device.jailBroken).toBe(
        raw.jailBroken === 'True'
          ? true
          : raw.jailBroken === 'False'
          ? false
          : undefined,
      );
      const wifi = raw.wiFiMacAddress as string | null;
      expect(device.macAddress).toEqual(
        wifi ? [wifi.toLowerCase().match(/../g)!.join(':')] : undefined,
      );
      // LIST placeholders are not selected, so never presented.
      for (const placeholder of [
        'physicalMemoryInBytes',
        'hardwareInformation',
        'ethernetMacAddress',
        'notes',
        'udid',
        'iccid',
      ]) {
        expect(device).not.toHaveProperty(placeholder);
      }
      for (const value of Object.values(device)) {
        expect(value).not.toBe('');
        expect(value).not.toBe('00000000-0000-0000-0000-000000000000');
      }
    }
  });

  test('entities pass the data-model schemas (one of each type)', () => {
    // The collection already validated every entity as it was created
    // (enableSchemaValidation); this checks the matcher's view of one per type.
    for (const type of [...KINDS, 'intune_host_agent']) {
      const entity = result.entities.find((e) => e._type === type)!;
      expect(entity).toMatchGraphObjectSchema({
        _class:
          type === 'intune_host_agent' ? ['HostAgent'] : ['Device', 'Host'],
        _type: type,
      });
    }
  });

  test('reads beta managedDevices with $select and $top=1000, page after page', () => {
    const requests = tenant.simulator.requests.filter((r) =>
      // The list; other modules GET single devices (managedDevices/{id}).
      r.path.startsWith('/beta/deviceManagement/managedDevices?'),
    );
    const pages = Math.ceil(tenant.tenant.managedDevices.count / 10);
    expect(requests).toHaveLength(pages);
    expect(requests.every((r) => r.status === 200)).toBe(true);
    const first = new URL(`https://x${requests[0].path}`);
    expect(first.searchParams.get('$select')).toBe(
      MANAGED_DEVICE_SELECT.join(','),
    );
    expect(first.searchParams.get('$top')).toBe('1000');
    expect(
      tenant.simulator.requests.filter((r) =>
        r.path.startsWith('/v1.0/deviceManagement/managedDevices'),
      ),
    ).toEqual([]);
  });

  test('each step ends with one line of counts', () => {
    const done = result.logs.filter(
      (r) => r.msg === `${Steps.DEVICES.name}: done`,
    );
    expect(done).toHaveLength(1);
    const counts = done[0].counts as Record<string, number>;
    const truth = tenant.truth();
    for (const kind of KINDS)
      expect(counts[kind] ?? 0).toBe(truth.entities[kind]);
    expect(done[0].devices).toBe(tenant.tenant.managedDevices.count);
    expect(
      result.logs.filter((r) => r.msg === `${Steps.USER_DEVICES.name}: done`),
    ).toHaveLength(1);
  });
});

describe('without the users step', () => {
  test('every HAS and USES is mapped to the azure_user by _key, none dropped', async () => {
    const tenant = await startTestTenant('tiny');
    try {
      const result = await runCollection(tenant.config, {
        invocation: {
          getStepStartStates: withoutStepsOf(IngestionSources.USERS_GROUPS),
        },
      });
      expect(result.stepStatus(Steps.USERS.id)).toBe('disabled');
      expect(result.stepStatus(Steps.USER_DEVICES.id)).toBe('success');
      const truth = moduleTruth(tenant.truth());
      const counts = moduleCounts(
        countGraph(result.entities, result.relationships),
        truth,
      );
      for (const kind of KINDS) {
        for (const verb of ['HAS', 'USES']) {
          const key = `azure_user|${verb}|${kind}`;
          expect([key, counts.relationships[key]]).toEqual([key, 0]);
          expect([key, counts.mappedRelationships[key]]).toEqual([
            key,
            truth.relationships[key] + truth.mappedRelationships[key],
          ]);
        }
      }
      expect(counts.entities).toEqual(truth.entities);
    } finally {
      await tenant.close();
    }
  });
});

describe('a tenant without Intune', () => {
  test('both steps are disabled, with the reason logged', async () => {
    const tenant = await startTestTenant('noIntune');
    try {
      const result = await runCollection(tenant.config);
      expect(result.stepStatus(Steps.DEVICES.id)).toBe('disabled');
      expect(result.stepStatus(Steps.USER_DEVICES.id)).toBe('disabled');
      expect(result.stepStatus(Steps.ACCOUNT.id)).toBe('success');
      expect(
        result.logs.filter(
          (r) =>
            r.msg ===
            'The tenant has no Intune subscription (Microsoft Graph: "Request not applicable to target tenant."): the Intune device, application and compliance steps are disabled.',
        ),
      ).toHaveLength(1);
      expect(devicesOf(result)).toEqual([]);
      expect(
        tenant.simulator.requests.filter((r) =>
          r.path.includes('/deviceManagement/managedDevices'),
        ),
      ).toEqual([]);
    } finally {
      await tenant.close();
    }
  });
});

describe('a 403 on managedDevices', () => {
  function expectFailedAndPartial(result: CollectionResult) {
    expect(result.stepStatus(Steps.DEVICES.id)).toBe('failure');
    // The relationship step refuses to rebuild from an incomplete device list.
    expect(result.stepStatus(Steps.USER_DEVICES.id)).toBe('failure');
    const partial = result.summary.metadata.partialDatasets.types;
    for (const type of [...DEVICE_STEP_TYPES, ...RELATIONSHIP_STEP_TYPES]) {
      expect(partial).toContain(type);
    }
    expect(stepFailureMessages(result.logs, Steps.USER_DEVICES.name)).toEqual([
      `${Steps.USER_DEVICES.name} did not run: ${Steps.DEVICES.name} did not read every managed device in this execution. The previous user and device relationships are kept.`,
    ]);
    // Every other step still ran.
    for (const step of integrationSteps) {
      expect([step.id, result.stepStatus(step.id)]).not.toEqual([
        step.id,
        'disabled',
      ]);
      expect(result.stepStatus(step.id)).toBeDefined();
    }
    expect(result.stepStatus(Steps.ACCOUNT.id)).toBe('success');
    expect(devicesOf(result)).toEqual([]);
    expect(
      result.entities.filter((e) => e._type === 'intune_host_agent'),
    ).toEqual([]);
  }

  test('Graph refuses while the role is granted: the step fails naming the permission', async () => {
    const tenant = await startTestTenant('tiny');
    try {
      const message =
        'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementManagedDevices.Read.All, DeviceManagementManagedDevices.ReadWrite.All - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000';
      tenant.simulator.addFault({
        id: 'managed-devices-403',
        match: { pathIncludes: '/beta/deviceManagement/managedDevices?' },
        respond: { status: 403, code: 'Forbidden', message },
      });
      const result = await runCollection(tenant.config);
      expectFailedAndPartial(result);
      const url = `${
        tenant.simulator.origin
      }/beta/deviceManagement/managedDevices?$select=${MANAGED_DEVICE_SELECT.join(
        ',',
      )}&$top=1000`;
      const expected = new RegExp(
        `^${escapeRegExp(
          `Microsoft Graph GET ${url} failed with 403 Forbidden: ${message} (request-id REQUEST_ID). To fix it, ${PERMISSION_HINT}.`,
        ).replace('REQUEST_ID', '[0-9a-f-]{36}')}$`,
      );
      const messages = stepFailureMessages(result.logs, Steps.DEVICES.name);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(expected);
      // One request: a 403 is not retried.
      expect(
        tenant.simulator.requests.filter((r) =>
          r.path.startsWith('/beta/deviceManagement/managedDevices?'),
        ),
      ).toHaveLength(1);
    } finally {
      await tenant.close();
    }
  });

  test('the role is missing: the step fails before any request', async () => {
    const tenant = await startTestTenant('tiny', {
      roles: ALL_ROLES.filter(
        (r) => r !== 'DeviceManagementManagedDevices.Read.All',
      ),
    });
    try {
      const result = await runCollection(tenant.config);
      expectFailedAndPartial(result);
      expect(stepFailureMessages(result.logs, Steps.DEVICES.name)).toEqual([
        `${Steps.DEVICES.name} cannot run: ${PERMISSION_HINT}. The previous data of this step is kept until then.`,
      ]);
      expect(
        tenant.simulator.requests.filter((r) =>
          r.path.includes('/deviceManagement/managedDevices?'),
        ),
      ).toEqual([]);
    } finally {
      await tenant.close();
    }
  });
});
