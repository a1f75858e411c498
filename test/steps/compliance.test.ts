/**
 * The compliance steps end to end: the whole integration collects a
 * simulated tenant through the real credential and Graph client, and what
 * the two compliance steps wrote is compared with the tenant's ground truth.
 */
import {
  IntegrationInvocationConfig,
  IntegrationStep,
  RelationshipMapping,
} from '@jupiterone/integration-sdk-core';
import {
  executeStepWithDependencies,
  ToMatchGraphObjectSchemaParams,
} from '@jupiterone/integration-sdk-testing';
import { invocationConfig } from '../../src';
import { IntegrationConfig } from '../../src/config';
import { integrationSteps } from '../../src/steps';
import {
  COMPLIANCE_POLICIES_SPEC,
  DEVICE_CONFIGURATIONS_SPEC,
  fetchPoliciesAndFindings,
} from '../../src/steps/compliance';
import { DEVICE_KINDS, Entities, Steps } from '../../src/steps/constants';
import { GroundTruth, startGraphSimulator } from '../graph-simulator';
import {
  DeviceStatusSource,
  GraphObject,
  TenantData,
} from '../graph-simulator/tenant/model';
import { STATUS_SEVERITY } from '../graph-simulator/tenant/ground-truth';
import { CollectionResult, runCollection } from '../support/collect';
import { countGraph } from '../support/graph-counts';
import {
  doneRecord,
  expectOutcome,
  ofType,
  stepError,
} from '../support/outcome';
import { ALL_ROLES, startTestTenant, TestTenant } from '../support/tenant';

const COMPLIANCE_STEP = Steps.COMPLIANCE_POLICIES;
const CONFIGURATION_STEP = Steps.DEVICE_CONFIGURATIONS;
const CONFIGURATION_PERMISSION = 'DeviceManagementConfiguration.Read.All';

const POLICY = 'intune_compliance_policy';
const CONFIGURATION = 'intune_device_configuration';
const FINDING = 'intune_noncompliance_finding';

/** The compliance part of the ground truth, in the key shape of graph-counts.ts. */
function complianceTruth(truth: GroundTruth) {
  const relationshipTypes = [
    `intune_host_agent|ASSIGNED|${POLICY}`,
    `intune_host_agent|ASSIGNED|${CONFIGURATION}`,
    `${POLICY}|IDENTIFIED|${FINDING}`,
    `${CONFIGURATION}|IDENTIFIED|${FINDING}`,
    ...DEVICE_KINDS.map((kind) => `${kind}|HAS|${FINDING}`),
  ];
  return {
    entities: {
      [POLICY]: truth.entities[POLICY] ?? 0,
      [CONFIGURATION]: truth.entities[CONFIGURATION] ?? 0,
      [FINDING]: truth.entities[FINDING] ?? 0,
    },
    relationships: Object.fromEntries(
      relationshipTypes.map((type) => [type, truth.relationships[type] ?? 0]),
    ),
  };
}

function complianceCounts(result: CollectionResult, truth: GroundTruth) {
  const counts = countGraph(result.entities, result.relationships);
  const expected = complianceTruth(truth);
  return {
    duplicateKeys: counts.duplicateKeys,
    entities: Object.fromEntries(
      Object.keys(expected.entities).map((type) => [
        type,
        counts.entities[type] ?? 0,
      ]),
    ),
    relationships: Object.fromEntries(
      Object.keys(expected.relationships).map((type) => [
        type,
        counts.relationships[type] ?? 0,
      ]),
    ),
  };
}

/** Every (policy, status item) of a source, straight from the tenant data. */
function statusItems(tenant: TenantData, source: DeviceStatusSource) {
  const policies =
    source === 'compliance'
      ? tenant.compliancePolicies
      : tenant.deviceConfigurations;
  const items: { policyId: string; status: GraphObject }[] = [];
  for (let i = 0; i < policies.count; i++) {
    const policyId = policies.get(i).id as string;
    for (const status of tenant.deviceStatuses(source, policyId) ?? []) {
      items.push({ policyId, status });
    }
  }
  return items;
}

const deviceOf = (status: GraphObject) =>
  (status.id as string).split('_').pop() as string;

const findingSchema: ToMatchGraphObjectSchemaParams = {
  _class: Entities.NONCOMPLIANCE_FINDING._class,
  _type: Entities.NONCOMPLIANCE_FINDING._type,
};

describe('compliance steps against a tenant with every status value', () => {
  let tenant: TestTenant;
  let result: CollectionResult;

  beforeAll(async () => {
    tenant = await startTestTenant('tiny');
    result = await runCollection(tenant.config);
  });
  afterAll(() => tenant?.close());

  test('the tenant has every status value, repeated statuses and statuses of unknown devices', () => {
    const items = [
      ...statusItems(tenant.tenant, 'compliance'),
      ...statusItems(tenant.tenant, 'configuration'),
    ];
    expect(new Set(items.map((i) => i.status.status))).toEqual(
      new Set([
        'unknown',
        'notApplicable',
        'compliant',
        'remediated',
        'nonCompliant',
        'error',
        'conflict',
        'notAssigned',
      ]),
    );
    const ids = items.map((i) => i.status.id);
    expect(new Set(ids).size).toBeLessThan(ids.length);
    expect(tenant.truth().skipped.statusesForUnknownDevices).toBeGreaterThan(0);
    expect(
      items.some((i) => !tenant.tenant.managedDevice(deviceOf(i.status))),
    ).toBe(true);
  });

  test('both steps succeed', () => {
    expect(result.error).toBeUndefined();
    expect(result.stepStatus(Steps.DEVICES.id)).toBe('success');
    expect(result.stepStatus(COMPLIANCE_STEP.id)).toBe('success');
    expect(result.stepStatus(CONFIGURATION_STEP.id)).toBe('success');
  });

  test('policies, configurations, findings and the five relationship types match the ground truth exactly', () => {
    const expected = complianceTruth(tenant.truth());
    expect(expected.entities[FINDING]).toBeGreaterThan(0);
    for (const kind of DEVICE_KINDS) {
      expect(expected.relationships[`${kind}|HAS|${FINDING}`]).toBeGreaterThan(
        0,
      );
    }
    expect(complianceCounts(result, tenant.truth())).toEqual({
      duplicateKeys: [],
      ...expected,
    });
  });

  test('the logged count of statuses for unknown devices is the ground truth', () => {
    const logged =
      Number(doneRecord(result, COMPLIANCE_STEP).statusesForUnknownDevices) +
      Number(doneRecord(result, CONFIGURATION_STEP).statusesForUnknownDevices);
    // issue 15: the report families count theirs in their own steps.
    const values = tenant.truth().values;
    expect(logged).toBe(
      values['family compliance statusesForUnknownDevices'] +
        values['family configuration statusesForUnknownDevices'],
    );
  });

  test('ASSIGNED carries the status and compliant only for compliant; notAssigned is never ASSIGNED', () => {
    const assigned = result.relationships.filter(
      (r) =>
        r._class === 'ASSIGNED' &&
        String(r._fromEntityKey).startsWith('intune_host_agent:'),
    );
    expect(assigned.length).toBeGreaterThan(0);
    const statuses = new Set(assigned.map((r) => r.status));
    expect(statuses).toEqual(
      new Set([
        'unknown',
        'notApplicable',
        'compliant',
        'remediated',
        'nonCompliant',
        'error',
        'conflict',
      ]),
    );
    for (const r of assigned)
      expect(r.compliant).toBe(r.status === 'compliant');
  });

  test('findings follow the key rule, the Finding schema and the severity mapping', () => {
    const findings = ofType(result.entities, FINDING);
    expect(new Set(findings.map((f) => f.status))).toEqual(
      new Set(['nonCompliant', 'error', 'conflict']),
    );
    expect(findings).toMatchGraphObjectSchema(findingSchema);
    for (const finding of findings) {
      expect(finding._key).toBe(
        `${FINDING}:${finding.policyId}:${finding.managedDeviceId}`,
      );
      expect(finding.open).toBe(true);
      expect(finding.numericSeverity).toBe(
        { low: 3, medium: 5, high: 7 }[finding.severity as string],
      );
      if (finding.policySource === 'compliancePolicy') {
        expect(finding.severity).toBe(
          finding.status === 'nonCompliant' ? 'high' : 'medium',
        );
      }
    }
    // the tenant's compliance policy 0 has a nonCompliant finding on every coverage device
    expect(
      findings.filter((f) => f.severity === 'high').length,
    ).toBeGreaterThan(0);
    expect(findings.filter((f) => f.severity === 'low').length).toBeGreaterThan(
      0,
    );
  });

  test('every policy is an entity, the unassigned one with no assigned device', () => {
    const policies = [
      ...ofType(result.entities, POLICY),
      ...ofType(result.entities, CONFIGURATION),
    ];
    const assigned = (key: string) =>
      result.relationships.filter(
        (r) => r._class === 'ASSIGNED' && r._toEntityKey === key,
      ).length;
    const identified = (key: string) =>
      result.relationships.filter(
        (r) => r._class === 'IDENTIFIED' && r._fromEntityKey === key,
      ).length;
    for (const policy of policies) {
      expect(policy.assignedDeviceCount).toBe(assigned(policy._key));
      expect(policy.openFindingCount).toBe(identified(policy._key));
      expect(typeof policy.platform).toBe('string');
    }
    const compliancePolicies = tenant.tenant.compliancePolicies;
    const lastPolicy = compliancePolicies.get(compliancePolicies.count - 1).id;
    expect(
      tenant.tenant.deviceStatuses('compliance', lastPolicy as string),
    ).toEqual([]);
    expect(
      policies.find((p) => p._key === lastPolicy)?.assignedDeviceCount,
    ).toBe(0);
  });

  test('each step produces every type it declares, each valid for its schema', async () => {
    // the testing helpers are not generic over the instance config
    const invocation =
      invocationConfig as unknown as IntegrationInvocationConfig;
    for (const stepId of [COMPLIANCE_STEP.id, CONFIGURATION_STEP.id]) {
      const produced = await executeStepWithDependencies({
        stepId,
        invocationConfig: invocation,
        instanceConfig: tenant.config,
      });
      expect(produced).toMatchStepMetadata({
        stepId,
        invocationConfig: invocation,
        instanceConfig: tenant.config,
      });
    }
  });

  // ---- issue 15: assignments ----------------------------------------------------------

  test('policy group assignments: included ASSIGNED, excluded ALLOWS, deleted groups mapped, exact counts against the ground truth', () => {
    expect(result.stepStatus(Steps.POLICY_ASSIGNMENTS.id)).toBe('success');
    const truth = tenant.truth();
    const keys = [POLICY, CONFIGURATION].flatMap((type) =>
      ['ASSIGNED', 'ALLOWS'].map((cls) => `${type}|${cls}|azure_user_group`),
    );
    const counts = countGraph(result.entities, result.relationships);
    const pick = (table: Record<string, number>) =>
      Object.fromEntries(keys.map((key) => [key, table[key] ?? 0]));
    // the tiny tenant has every one of the eight, direct and mapped
    for (const key of keys) {
      expect([key, truth.relationships[key] > 0]).toEqual([key, true]);
      expect([key, truth.mappedRelationships[key] > 0]).toEqual([key, true]);
    }
    expect({
      direct: pick(counts.relationships),
      mapped: pick(counts.mappedRelationships),
      duplicateKeys: counts.duplicateKeys,
    }).toEqual({
      direct: pick(truth.relationships),
      mapped: pick(truth.mappedRelationships),
      duplicateKeys: [],
    });
  });

  test('policy group assignments: exact (policy, class, group) triples and filters, from the wire', () => {
    const expected: string[] = [];
    const sources: [
      DeviceStatusSource,
      typeof tenant.tenant.compliancePolicies,
    ][] = [
      ['compliance', tenant.tenant.compliancePolicies],
      ['configuration', tenant.tenant.deviceConfigurations],
    ];
    const expectAssignments = (
      policyId: string,
      assignments: GraphObject[],
    ) => {
      for (const a of assignments) {
        const target = a.target as Record<string, string | null>;
        if (!target.groupId) continue;
        const cls = target['@odata.type']!.endsWith(
          'exclusionGroupAssignmentTarget',
        )
          ? 'ALLOWS'
          : 'ASSIGNED';
        const filter =
          target.deviceAndAppManagementAssignmentFilterType === 'none'
            ? ''
            : `${target.deviceAndAppManagementAssignmentFilterType}:${target.deviceAndAppManagementAssignmentFilterId}`;
        expected.push(`${policyId}|${cls}|${target.groupId}|${filter}`);
      }
    };
    for (const [source, policies] of sources) {
      for (let i = 0; i < policies.count; i++) {
        const policyId = policies.get(i).id as string;
        expectAssignments(
          policyId,
          tenant.tenant.policyAssignments?.(source, policyId) ?? [],
        );
      }
    }
    // issue 15: Settings Catalog and endpoint security policies are configurations too
    const settings = tenant.tenant.settingsPolicies;
    for (let i = 0; i < (settings?.collection.count ?? 0); i++) {
      const policyId = settings!.collection.get(i).id as string;
      expectAssignments(policyId, settings!.assignments(policyId) ?? []);
    }
    // issue 15: the policies above (administrative templates and settings
    // compliance policies have their own tests).
    const checkedPolicyIds = new Set([
      ...sources.flatMap(([, policies]) =>
        Array.from({ length: policies.count }, (_, i) => policies.get(i).id),
      ),
      ...Array.from(
        { length: settings?.collection.count ?? 0 },
        (_, i) => settings!.collection.get(i).id,
      ),
    ]);
    const written = result.relationships
      .filter(
        (r) =>
          r._type.endsWith('_user_group') &&
          /^intune_(compliance_policy|device_configuration)_/.test(r._type) &&
          checkedPolicyIds.has(
            (r._mapping as RelationshipMapping | undefined)?.sourceEntityKey ??
              r._fromEntityKey,
          ),
      )
      .map((r) => {
        const mapping = r._mapping as RelationshipMapping | undefined;
        const from = mapping ? mapping.sourceEntityKey : r._fromEntityKey;
        const to = mapping ? mapping.targetEntity._key : r._toEntityKey;
        expect(r.intent).toBe(r._class === 'ASSIGNED' ? 'include' : 'exclude');
        const filter = r.filterMode ? `${r.filterMode}:${r.filterId}` : '';
        return `${from}|${r._class}|${to}|${filter}`;
      });
    expect(written.length).toBeGreaterThan(0);
    expect(written.some((w) => w.endsWith('|'))).toBe(true);
    expect(written.some((w) => /\|include:[0-9a-f-]{36}$/.test(w))).toBe(true);
    expect(written.sort()).toEqual(expected.sort());
  });

  test('"All devices" and "All users" are policy properties, with their filters', () => {
    const truth = tenant.truth().values;
    const policies = [
      ...ofType(result.entities, POLICY),
      ...ofType(result.entities, CONFIGURATION),
    ];
    for (const type of [POLICY, CONFIGURATION]) {
      const ofThisType = policies.filter((p) => p._type === type);
      expect(
        ofThisType.every((p) => typeof p.assignedToAllDevices === 'boolean'),
      ).toBe(true);
      expect(
        ofThisType.filter((p) => p.assignedToAllDevices === true).length,
      ).toBe(truth[`${type} assignedToAllDevices=true`]);
      expect(
        ofThisType.filter((p) => p.assignedToAllUsers === true).length,
      ).toBe(truth[`${type} assignedToAllUsers=true`]);
      expect(truth[`${type} assignedToAllUsers=true`]).toBeGreaterThan(0);
    }
    // policy 1 of each source: all devices through an exclude filter
    const policy1 = policies.find(
      (p) => p._key === tenant.tenant.compliancePolicies.get(1).id,
    );
    expect(policy1).toMatchObject({
      assignedToAllDevices: true,
      allDevicesFilterMode: 'exclude',
    });
    expect(policy1?.allDevicesFilterId).toMatch(/^[0-9a-f-]{36}$/);
    expect(policy1?.allUsersFilterId).toBeUndefined();
  });

  test('finding keys are identical across two collections of the same tenant', async () => {
    const again = await runCollection(tenant.config);
    const keys = (r: CollectionResult) =>
      ofType(r.entities, FINDING)
        .map((f) => f._key)
        .sort();
    expect(keys(result).length).toBeGreaterThan(0);
    expect(keys(again)).toEqual(keys(result));
  });
});

describe('status values Graph may add later', () => {
  test('are ASSIGNED without a finding, counted and logged as a warning', async () => {
    // The generated tiny tenant, with every `remediated` status renamed to a
    // value this integration does not know; remediated yields no finding, so
    // the ground truth still holds.
    const base = await startTestTenant('tiny');
    await base.close();
    const renamed: TenantData = {
      ...base.tenant,
      deviceStatuses: (source, policyId) =>
        base.tenant
          .deviceStatuses(source, policyId)
          ?.map((s) =>
            s.status === 'remediated'
              ? { ...s, status: 'quarantinedFutureValue' }
              : s,
          ),
    };
    const simulator = await startGraphSimulator({
      tenants: [renamed],
      applications: [
        {
          clientId: base.config.clientId,
          displayName: 'JupiterOne Microsoft 365 (test)',
          secrets: [{ value: base.config.clientSecret }],
        },
      ],
    });
    try {
      const config: IntegrationConfig = {
        ...base.config,
        authorityHost: simulator.origin,
        graphEndpoint: simulator.origin,
      };
      const result = await runCollection(config);
      const truth = base.truth();
      expect(complianceCounts(result, truth)).toEqual({
        duplicateKeys: [],
        ...complianceTruth(truth),
      });

      // Devices whose deciding row (the worst, docs/compliance.md; an unknown
      // value ranks with `unknown`) carries the new value.
      const rank = (value: string) => {
        const r = STATUS_SEVERITY.indexOf(value as never);
        return r >= 0 ? r : STATUS_SEVERITY.indexOf('unknown');
      };
      const distinctKnown = (source: DeviceStatusSource) => {
        const deciding = new Map<string, string>();
        for (const { status } of statusItems(renamed, source)) {
          if (!base.tenant.managedDevice(deviceOf(status))) continue;
          const value = status.status as string;
          const before = deciding.get(status.id as string);
          if (before === undefined || rank(value) < rank(before))
            deciding.set(status.id as string, value);
        }
        return [...deciding.values()].filter(
          (v) => v === 'quarantinedFutureValue',
        ).length;
      };
      for (const [step, source] of [
        [COMPLIANCE_STEP, 'compliance'],
        [CONFIGURATION_STEP, 'configuration'],
      ] as const) {
        const expected = distinctKnown(source);
        expect(expected).toBeGreaterThan(0);
        const warnings = result.logs.filter(
          (r) =>
            r.level === 40 &&
            String(r.msg).startsWith(
              `${step.name}: device statuses with a status value`,
            ),
        );
        expect(warnings).toHaveLength(1);
        expect(warnings[0].unrecognizedStatuses).toBe(expected);
        expect(warnings[0].values).toEqual({
          quarantinedFutureValue: expected,
        });
        expect(doneRecord(result, step).counts).toMatchObject({
          unrecognizedStatuses: expected,
        });
      }
      const unknownAssigned = result.relationships.filter(
        (r) => r._class === 'ASSIGNED' && r.status === 'quarantinedFutureValue',
      );
      expect(unknownAssigned.length).toBe(
        distinctKnown('compliance') + distinctKnown('configuration'),
      );
      expect(unknownAssigned.every((r) => r.compliant === false)).toBe(true);
      expect(
        ofType(result.entities, FINDING).some(
          (f) => f.status === 'quarantinedFutureValue',
        ),
      ).toBe(false);
    } finally {
      await simulator.close();
    }
  });
});

describe('missing DeviceManagementConfiguration.Read.All', () => {
  const GRANT_MESSAGE =
    'grant the Microsoft Graph application permission DeviceManagementConfiguration.Read.All to read Intune compliance policies, device configurations and their device statuses, then grant admin consent';

  function expectPartial(result: CollectionResult, types: string[]) {
    const partial = result.summary.metadata.partialDatasets.types;
    for (const type of types) expect(partial).toContain(type);
  }

  test('a 403 on the statuses fails the compliance step naming the permission; the other steps still run', async () => {
    const tenant = await startTestTenant('tiny');
    try {
      tenant.simulator.addFault({
        id: 'compliance-statuses-403',
        match: { pathRegex: '/deviceCompliancePolicies/[^/]+/deviceStatuses' },
        respond: {
          status: 403,
          code: 'Forbidden',
          message:
            '{\r\n  "_version": 3,\r\n  "Message": "Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.Read.All, DeviceManagementConfiguration.ReadWrite.All - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000"\r\n}',
        },
      });
      const result = await runCollection(tenant.config);
      expect(result.stepStatus(COMPLIANCE_STEP.id)).toBe('failure');
      expect(result.stepStatus(CONFIGURATION_STEP.id)).toBe('success');
      expect(result.stepStatus(Steps.DEVICES.id)).toBe('success');
      expect(result.stepStatus(Steps.USERS.id)).toBe('success');
      const message = stepError(result, COMPLIANCE_STEP);
      expect(message).toMatch(
        new RegExp(
          `^Microsoft Graph GET ${tenant.simulator.origin.replace(
            /[.]/g,
            '\\.',
          )}/v1\\.0/deviceManagement/deviceCompliancePolicies/[0-9a-f-]{36}/deviceStatuses failed with 403 Forbidden: `,
        ),
      );
      expect(message.endsWith(`To fix it, ${GRANT_MESSAGE}.`)).toBe(true);
      expectPartial(result, [
        POLICY,
        FINDING,
        'intune_host_agent_assigned_compliance_policy',
        'intune_compliance_policy_identified_noncompliance_finding',
      ]);
      // the configuration step's data is whole
      const truth = complianceTruth(tenant.truth());
      const counts = complianceCounts(result, tenant.truth());
      expect(counts.entities[CONFIGURATION]).toBe(
        truth.entities[CONFIGURATION],
      );
      expect(
        counts.relationships[`intune_host_agent|ASSIGNED|${CONFIGURATION}`],
      ).toBe(
        truth.relationships[`intune_host_agent|ASSIGNED|${CONFIGURATION}`],
      );
    } finally {
      await tenant.close();
    }
  });

  test('without the role, both steps fail before any request, naming the permission', async () => {
    const tenant = await startTestTenant('tiny', {
      roles: ALL_ROLES.filter((role) => role !== CONFIGURATION_PERMISSION),
    });
    try {
      const result = await runCollection(tenant.config);
      // issue 15: the Settings Catalog / endpoint security step too
      for (const step of [
        COMPLIANCE_STEP,
        CONFIGURATION_STEP,
        Steps.SETTINGS_POLICIES,
      ]) {
        expect(result.stepStatus(step.id)).toBe('failure');
        expect(stepError(result, step)).toBe(
          `${step.name} cannot run: ${GRANT_MESSAGE}. The previous data of this step is kept until then.`,
        );
      }
      expect(result.stepStatus(Steps.DEVICES.id)).toBe('success');
      expect(result.stepStatus(Steps.USERS.id)).toBe('success');
      expectPartial(result, [POLICY, CONFIGURATION, FINDING]);
      const endpoints = Object.keys(tenant.simulator.stats().endpoints);
      expect(
        endpoints.filter((e) =>
          /deviceCompliancePolicies|deviceConfigurations|configurationPolicies|getConfiguration/.test(
            e,
          ),
        ),
      ).toEqual([]);
    } finally {
      await tenant.close();
    }
  });
});

describe('statuses through $batch', () => {
  test('give the same graph, with the first status pages in $batch requests', async () => {
    const tenant = await startTestTenant('tiny');
    try {
      const withBatch: IntegrationStep<IntegrationConfig>[] =
        integrationSteps.map((step) => {
          const spec =
            step.id === COMPLIANCE_STEP.id
              ? COMPLIANCE_POLICIES_SPEC
              : step.id === CONFIGURATION_STEP.id
              ? DEVICE_CONFIGURATIONS_SPEC
              : undefined;
          return spec
            ? {
                ...step,
                executionHandler: (context) =>
                  fetchPoliciesAndFindings(context, spec, { batch: true }),
              }
            : step;
        });
      const result = await runCollection(tenant.config, {
        invocation: { integrationSteps: withBatch },
      });
      expect(complianceCounts(result, tenant.truth())).toEqual({
        duplicateKeys: [],
        ...complianceTruth(tenant.truth()),
      });
      const batchItems = tenant.simulator.requests.filter(
        (r) => r.batchItem && r.path.includes('/deviceStatuses'),
      );
      const policies =
        tenant.tenant.compliancePolicies.count +
        tenant.tenant.deviceConfigurations.count;
      expect(batchItems.length).toBe(policies);
      expect(
        tenant.simulator.requests.filter(
          (r) => !r.batchItem && r.path.includes('/deviceStatuses'),
        ),
      ).toEqual([]);
    } finally {
      await tenant.close();
    }
  });
});

// ---- issue 15: the status list against the policy's own overview -------------------------

describe('a status list short of its deviceStatusOverview (statusListShortOfOverview)', () => {
  test('fails both policy steps with both numbers logged per short policy; their types are partial, the rest complete', async () => {
    const tenant = await startTestTenant('tiny', {
      behaviour: { statusListShortOfOverview: true },
    });
    try {
      const result = await runCollection(tenant.config);
      const t = tenant.tenant;
      // The devices the first half of each list holds, and what the
      // overview counts: managed devices whose worst row is not notAssigned.
      const expectedShort: Record<string, unknown>[] = [];
      const lines: Record<'compliance' | 'configuration', string[]> = {
        compliance: [],
        configuration: [],
      };
      const sources: [
        'compliance' | 'configuration',
        typeof t.compliancePolicies,
      ][] = [
        ['compliance', t.compliancePolicies],
        ['configuration', t.deviceConfigurations],
      ];
      for (const [source, policies] of sources) {
        for (let i = 0; i < policies.count; i++) {
          const policyId = policies.get(i).id as string;
          const rows = t.deviceStatuses(source, policyId) ?? [];
          // A device counts when one of its rows is not notAssigned (its
          // worst row then is not), whether or not it is a managed device.
          const listed = new Set(
            rows
              .slice(0, Math.ceil(rows.length / 2))
              .filter((row) => row.status !== 'notAssigned')
              .map((row) => deviceOf(row).toLowerCase()),
          );
          const collected = listed.size;
          const overview = t.policyStatusOverview?.(source, policyId) ?? {};
          const expected = Object.entries(overview)
            .filter(([value]) => value !== 'notAssigned')
            .reduce((sum, [, n]) => sum + n, 0);
          const tolerance = Math.max(5, Math.ceil(expected * 0.05));
          if (expected - collected > tolerance) {
            expectedShort.push({ policyId, collected, expected, tolerance });
            lines[source].push(
              `"${
                policies.get(i).displayName
              }" (${policyId}): read the states of ${collected} devices, its deviceStatusOverview counts ${expected}`,
            );
          }
        }
      }
      // policy 0 of each source covers every coverage device: far short
      expect(expectedShort.map((s) => s.policyId)).toEqual(
        expect.arrayContaining([
          t.compliancePolicies.get(0).id,
          t.deviceConfigurations.get(0).id,
        ]),
      );
      const logged = result.logs
        .filter(
          (r) =>
            r.policyId !== undefined &&
            /its deviceStatusOverview counts/.test(r.msg),
        )
        .map(({ policyId, collected, expected, tolerance }) => ({
          policyId,
          collected,
          expected,
          tolerance,
        }));
      const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
        String(a.policyId).localeCompare(String(b.policyId));
      expect(logged.sort(byId)).toEqual(expectedShort.sort(byId));
      const failure = (step: { name: string }, short: string[]) =>
        `${step.name}: the device status lists of ${
          short.length
        } policies fall short of the policy's deviceStatusOverview by more than 5 % (at least 5 devices): ${short
          .slice(0, 3)
          .join('; ')}${
          short.length > 3 ? '; ...' : ''
        }. Microsoft Graph ended those lists early, so the step's types are marked partial and the previous data is kept.`;
      expectOutcome(result, tenant.truth(), {
        failed: {
          [COMPLIANCE_STEP.id]: failure(COMPLIANCE_STEP, lines.compliance),
          [CONFIGURATION_STEP.id]: failure(
            CONFIGURATION_STEP,
            lines.configuration,
          ),
        },
      });
    } finally {
      await tenant.close();
    }
  });
});
