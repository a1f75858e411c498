/**
 * issue 15: settingsCatalog / endpointSecurity. The whole integration
 * collects a simulated tenant through the real credential and Graph client;
 * what fetch-intune-settings-policies wrote is compared with what the
 * simulator serves for beta configurationPolicies and their reports.
 */
import {
  Entity,
  IntegrationInvocationConfig,
  Relationship,
} from '@jupiterone/integration-sdk-core';
import { executeStepWithDependencies } from '@jupiterone/integration-sdk-testing';
import { invocationConfig } from '../../src';
import { createGraphClient } from '../../src/config';
import { SETTINGS_POLICIES_ABSENT } from '../../src/steps/compliance/settings-policies';
import { Steps } from '../../src/steps/constants';
import { STATUS_SEVERITY } from '../graph-simulator/tenant/ground-truth';
import { STATUS_VALUES } from '../graph-simulator/tenant/policies';
import { TenantData } from '../graph-simulator/tenant/model';
import {
  CollectionResult,
  FAST_RETRIES,
  runCollection,
} from '../support/collect';
import { doneRecord, expectOutcome, ofType } from '../support/outcome';
import { startTestTenant, TestTenant } from '../support/tenant';

const STEP = Steps.SETTINGS_POLICIES;
const CONFIGURATION = 'intune_device_configuration';
const FINDING = 'intune_noncompliance_finding';
/** The simulator's status values are Graph's complianceStatus enum, in its order. */
const STATUS_BY_CODE = STATUS_VALUES;
const FAILING = ['nonCompliant', 'error', 'conflict'];

function all(tenant: TenantData) {
  const c = tenant.settingsPolicies!.collection;
  return Array.from({ length: c.count }, (_, i) => c.get(i));
}

/**
 * What a correct collection of the family holds, computed from the served
 * rows: per policy, each managed device in its worst state (ties between
 * rows of one state do not matter to these counts), and the failing settings
 * of each finding.
 */
function expected(tenant: TenantData) {
  const data = tenant.settingsPolicies!;
  const assigned: string[] = [];
  const findings = new Map<string, string[]>();
  let unknownRows = 0;
  for (const policy of all(tenant)) {
    const policyId = policy.id as string;
    const worst = new Map<string, string>();
    for (const row of data.deviceRows(policyId)!) {
      const deviceId = row.IntuneDeviceId as string;
      if (!tenant.managedDevice(deviceId)) {
        unknownRows++;
        continue;
      }
      const status = STATUS_BY_CODE[row.PolicyStatus as number];
      const before = worst.get(deviceId);
      if (
        !before ||
        STATUS_SEVERITY.indexOf(status as never) <
          STATUS_SEVERITY.indexOf(before as never)
      )
        worst.set(deviceId, status);
    }
    for (const [deviceId, status] of worst) {
      if (status !== 'notAssigned')
        assigned.push(`${policyId}|${deviceId}|${status}`);
      if (!FAILING.includes(status)) continue;
      const settings = new Set<string>();
      for (const row of data.settingRows(policyId)!) {
        if (row.DeviceId !== deviceId) continue;
        settings.add((row.SettingName ?? row.SettingId) as string);
      }
      findings.set(`${FINDING}:${policyId}:${deviceId}`, [...settings].sort());
    }
  }
  return { assigned: assigned.sort(), findings, unknownRows };
}

const settingsPolicyKeys = (tenant: TenantData) =>
  new Set(all(tenant).map((p) => p.id as string));

describe('Settings Catalog and endpoint security policies (tiny tenant)', () => {
  let tenant: TestTenant;
  let result: CollectionResult;
  let keys: Set<string>;

  beforeAll(async () => {
    tenant = await startTestTenant('tiny');
    result = await runCollection(tenant.config);
    keys = settingsPolicyKeys(tenant.tenant);
  });
  afterAll(() => tenant?.close());

  test('every step succeeds and every type holds the ground truth, the new family included', () => {
    expectOutcome(result, tenant.truth(), {});
    expect(result.stepStatus(STEP.id)).toBe('success');
  });

  test('each policy is an intune_device_configuration with its family, template, platforms and technologies', () => {
    const policies = ofType(result.entities, CONFIGURATION).filter((e) =>
      keys.has(e._key),
    );
    expect(policies.map((p) => p._key).sort()).toEqual([...keys].sort());
    const byName = Object.fromEntries(policies.map((p) => [p.name, p]));
    expect(byName['BitLocker']).toMatchObject({
      policyFamily: 'endpointSecurity',
      kind: 'endpointSecurityDiskEncryption',
      templateFamily: 'endpointSecurityDiskEncryption',
      templateId: '46ddfc50-d10f-4867-b852-9434254b3bff_1',
      templateDisplayName: 'BitLocker',
      platform: 'windows',
      platforms: 'windows10',
      technologies: 'mdm',
      category: 'config',
    });
    expect(
      byName['Windows security baseline (Settings Catalog)'],
    ).toMatchObject({
      policyFamily: 'settingsCatalog',
      kind: 'settingsCatalog',
      templateFamily: 'none',
      platform: 'windows',
    });
    expect(
      byName['Windows security baseline (Settings Catalog)'].templateId,
    ).toBeUndefined();
    expect(byName['macOS FileVault (Settings Catalog)']).toMatchObject({
      policyFamily: 'settingsCatalog',
      platform: 'macOS',
      technologies: 'mdm,appleRemoteManagement',
    });
    for (const p of policies) expect(typeof p.settingCount).toBe('number');
  });

  test('the step produces every type it declares, each valid for its schema', async () => {
    // the testing helpers are not generic over the instance config
    const invocation =
      invocationConfig as unknown as IntegrationInvocationConfig;
    const produced = await executeStepWithDependencies({
      stepId: STEP.id,
      invocationConfig: invocation,
      instanceConfig: tenant.config,
    });
    expect(produced).toMatchStepMetadata({
      stepId: STEP.id,
      invocationConfig: invocation,
      instanceConfig: tenant.config,
    });
  });

  test('the other families carry policyFamily too', () => {
    const families = new Set(
      [
        ...ofType(result.entities, 'intune_compliance_policy'),
        ...ofType(result.entities, CONFIGURATION),
      ]
        .filter((e) => !keys.has(e._key))
        .map((e) => `${e._type}:${e.policyFamily}`),
    );
    expect(families).toEqual(
      new Set([
        'intune_compliance_policy:compliancePolicy',
        'intune_compliance_policy:settingsCompliance',
        `${CONFIGURATION}:deviceConfiguration`,
        `${CONFIGURATION}:administrativeTemplate`,
      ]),
    );
  });

  test('ASSIGNED states and findings match the served report rows exactly; findings name the failing settings', () => {
    const want = expected(tenant.tenant);
    const assigned = result.relationships
      .filter(
        (r) => r._class === 'ASSIGNED' && keys.has(String(r._toEntityKey)),
      )
      .filter((r) => String(r._fromEntityKey).startsWith('intune_host_agent:'))
      .map(
        (r) =>
          `${r._toEntityKey}|${String(r._fromEntityKey).replace(
            'intune_host_agent:',
            '',
          )}|${r.status}`,
      )
      .sort();
    expect(assigned).toEqual(want.assigned);
    const findings = ofType(result.entities, FINDING).filter(
      (f) => f.policySource === 'settingsPolicy',
    );
    expect(findings.length).toBe(want.findings.size);
    expect(new Set(findings.map((f) => f.status))).toEqual(new Set(FAILING));
    let named = 0;
    let byId = 0;
    for (const f of findings) {
      expect(f.failedSettings).toEqual(want.findings.get(f._key));
      expect(f.failedSettingCount).toBe(want.findings.get(f._key)!.length);
      expect(['settingsCatalog', 'endpointSecurity']).toContain(f.policyFamily);
      named += (f.failedSettings as string[]).length;
      byId += (f.failedSettings as string[]).filter((s) =>
        s.startsWith('device_vendor_msft_'),
      ).length;
    }
    expect(named).toBeGreaterThan(0);
    // a setting whose name the report leaves empty is named by its id
    expect(byId).toBeGreaterThan(0);
    // endpoint security is a protection: nonCompliant there is high
    expect(
      findings
        .filter(
          (f) =>
            f.policyFamily === 'endpointSecurity' &&
            f.status === 'nonCompliant',
        )
        .every((f) => f.severity === 'high'),
    ).toBe(true);
    expect(Number(doneRecord(result, STEP).statusesForUnknownDevices)).toBe(
      want.unknownRows,
    );
  });

  test('include and exclude assignments of the family, deleted groups mapped', () => {
    const groups = new Set(
      ofType(result.entities, 'azure_user_group').map((g) => g._key),
    );
    const expectedRels: string[] = [];
    for (const policy of all(tenant.tenant)) {
      for (const a of tenant.tenant.settingsPolicies!.assignments(
        policy.id as string,
      )!) {
        const target = a.target as Record<string, string>;
        const type = target['@odata.type'];
        if (!target.groupId) continue;
        const cls = type.endsWith('exclusionGroupAssignmentTarget')
          ? 'ALLOWS'
          : 'ASSIGNED';
        expectedRels.push(
          `${policy.id}|${cls}|${target.groupId}|${
            groups.has(target.groupId) ? 'direct' : 'mapped'
          }`,
        );
      }
    }
    const got = result.relationships
      .filter((r: Relationship) =>
        keys.has(
          String(
            r._fromEntityKey ??
              (r._mapping as { sourceEntityKey?: string } | undefined)
                ?.sourceEntityKey,
          ),
        ),
      )
      .filter((r) => r._class === 'ASSIGNED' || r._class === 'ALLOWS')
      .map((r) => {
        const mapping = r._mapping as
          | { sourceEntityKey: string; targetEntity: { _key: string } }
          | undefined;
        return mapping
          ? `${mapping.sourceEntityKey}|${r._class}|${mapping.targetEntity._key}|mapped`
          : `${r._fromEntityKey}|${r._class}|${r._toEntityKey}|direct`;
      })
      .sort();
    expect(got).toEqual(expectedRels.sort());
    expect(got.some((g) => g.includes('|ALLOWS|'))).toBe(true);
    expect(got.some((g) => g.endsWith('|mapped'))).toBe(true);
    const bitLocker = ofType(result.entities, CONFIGURATION).find(
      (e: Entity) => e.name === 'BitLocker',
    )!;
    expect(bitLocker.assignedToAllDevices).toBe(true);
    expect(bitLocker.allDevicesFilterMode).toBe('exclude');
  });
});

describe('Settings policies: cross-check, licence and permission', () => {
  test('a device report short of its summary report fails the step, names both numbers, and marks its types partial', async () => {
    const t = await startTestTenant('tiny', {
      behaviour: { settingsReportShortOfSummary: true },
    });
    try {
      const result = await runCollection(t.config);
      expect(result.stepStatus(STEP.id)).toBe('failure');
      const lines = result.logs.filter(
        (r) =>
          r.level === 40 &&
          /its getConfigurationPolicyDeviceSummaryReport counts/.test(r.msg),
      );
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.collected as number).toBeLessThan(line.expected as number);
      }
      expect(result.summary.metadata.partialDatasets.types).toEqual(
        expect.arrayContaining([CONFIGURATION, FINDING]),
      );
    } finally {
      await t.close();
    }
  });

  test('report pages of 5 rows or fewer, each request answered with fewer than asked: the same graph', async () => {
    const t = await startTestTenant('tiny', {
      behaviour: { reportMaxTop: 5, reportShortPages: true },
    });
    try {
      const result = await runCollection(t.config);
      expectOutcome(result, t.truth(), {});
      const want = expected(t.tenant);
      const findings = ofType(result.entities, FINDING).filter(
        (f) => f.policySource === 'settingsPolicy',
      );
      expect(
        Object.fromEntries(findings.map((f) => [f._key, f.failedSettings])),
      ).toEqual(Object.fromEntries(want.findings));
    } finally {
      await t.close();
    }
  });

  test('a tenant without the licence: the family is skipped with an info log, the step succeeds, no policy of it', async () => {
    const t = await startTestTenant('tiny', {
      behaviour: { settingsPoliciesNotApplicable: true },
    });
    try {
      const result = await runCollection(t.config);
      expect(result.stepStatus(STEP.id)).toBe('success');
      expect(result.stepStatus(Steps.POLICY_ASSIGNMENTS.id)).toBe('success');
      const info = result.logs.filter(
        (r) => r.msg === `${STEP.name}: ${SETTINGS_POLICIES_ABSENT}`,
      );
      expect(info).toHaveLength(1);
      expect(info[0].level).toBe(30);
      const keys = settingsPolicyKeys(t.tenant);
      expect(result.entities.filter((e) => keys.has(e._key))).toEqual([]);
      // The other configuration families are still read.
      expect(ofType(result.entities, CONFIGURATION).length).toBe(
        t.tenant.deviceConfigurations.count +
          (t.tenant.reportPolicies?.('administrativeTemplate').count ?? 0),
      );
    } finally {
      await t.close();
    }
  });

  test('configurationPolicies is beta only: v1.0 answers 400 Resource not found for the segment', async () => {
    const t = await startTestTenant('tiny');
    try {
      const client = createGraphClient(t.config, FAST_RETRIES);
      const walk = async () => {
        for await (const page of client.iteratePages({
          version: 'v1.0',
          path: '/deviceManagement/configurationPolicies',
        }))
          void page;
      };
      await expect(walk()).rejects.toThrow(
        "Resource not found for the segment 'configurationPolicies'.",
      );
    } finally {
      await t.close();
    }
  });
});
