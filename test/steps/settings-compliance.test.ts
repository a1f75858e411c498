/**
 * Issue 15: settings compliance policies (beta compliancePolicies) end to
 * end against the tiny tenant, compared with the ground truth of that family
 * (values 'family settingsCompliance …'); and, for both report families, a
 * device report short of its summary, and a family the licence lacks.
 */
import { Steps } from '../../src/steps/constants';
import { CollectionResult, runCollection } from '../support/collect';
import { doneRecord, stepError } from '../support/outcome';
import { startTestTenant, TestTenant } from '../support/tenant';
import {
  expectFamilyMatchesTruth,
  familyGraph,
} from '../support/policy-families';

const STEP = Steps.SETTINGS_COMPLIANCE_POLICIES;
const FAMILY = 'settingsCompliance';

function familyTruth(tenant: TestTenant, family: string, key: string) {
  return tenant.truth().values[`family ${family} ${key}`] ?? 0;
}

describe('settings compliance policies', () => {
  let tenant: TestTenant;
  let result: CollectionResult;

  beforeAll(async () => {
    tenant = await startTestTenant('tiny');
    result = await runCollection(tenant.config);
  });
  afterAll(() => tenant?.close());

  test('the step succeeds', () => {
    expect(result.error).toBeUndefined();
    expect(result.stepStatus(STEP.id)).toBe('success');
  });

  test('policies, ASSIGNED host agents, findings and group assignments match the ground truth exactly', () => {
    expectFamilyMatchesTruth(result, tenant, FAMILY);
    expect(familyTruth(tenant, FAMILY, 'findings')).toBeGreaterThan(0);
    expect(Number(doneRecord(result, STEP).statusesForUnknownDevices)).toBe(
      familyTruth(tenant, FAMILY, 'statusesForUnknownDevices'),
    );
  });

  test('policies are intune_compliance_policy named from `name`, with platforms, technologies and settingCount', () => {
    const graph = familyGraph(result, FAMILY);
    const first = graph.policies.find(
      (p) => p.name === 'Linux baseline compliance',
    );
    expect(first).toMatchObject({
      _type: 'intune_compliance_policy',
      category: 'compliance',
      kind: 'deviceManagementCompliancePolicy',
      platform: 'linux',
      platforms: 'linux',
      technologies: 'linuxMdm',
      policyFamily: FAMILY,
    });
    expect(typeof first?.settingCount).toBe('number');
  });

  test('a device in its grace period (code 3) is a nonCompliant finding, with the compliance severity', () => {
    const graph = familyGraph(result, FAMILY);
    const findings = graph.findings as Record<string, unknown>[];
    expect(findings.some((f) => f.status === 'nonCompliant')).toBe(true);
    for (const f of findings.filter((f) => f.status === 'nonCompliant'))
      expect(f.severity).toBe('high');
  });
});

describe('report families: a device report short of its summary, and a family the licence lacks', () => {
  test('a short device report fails both report steps with both numbers logged; the v1.0 steps still succeed', async () => {
    const tenant = await startTestTenant('tiny', {
      behaviour: { reportShortOfSummary: true },
    });
    try {
      const result = await runCollection(tenant.config);
      for (const step of [STEP, Steps.ADMINISTRATIVE_TEMPLATES]) {
        expect(result.stepStatus(step.id)).toBe('failure');
      }
      expect(result.stepStatus(Steps.COMPLIANCE_POLICIES.id)).toBe('success');
      expect(result.stepStatus(Steps.DEVICE_CONFIGURATIONS.id)).toBe('success');
      const short = result.logs.filter(
        (r) =>
          r.policyId !== undefined && /its summary report counts/.test(r.msg),
      );
      expect(short.length).toBeGreaterThanOrEqual(2);
      for (const r of short)
        expect(Number(r.expected) - Number(r.collected)).toBeGreaterThan(
          Number(r.tolerance),
        );
      const failures = result.logs.filter(
        (r) => r.code === 'INCOMPLETE_COLLECTION',
      );
      expect(
        failures.map((r) => String((r.err as Error)?.message ?? r.msg)),
      ).toEqual(
        expect.arrayContaining([
          expect.stringContaining("fall short of the policy's summary report"),
        ]),
      );
    } finally {
      await tenant.close();
    }
  });

  test('a family the licence lacks is skipped with an info log, no failure and no entities of it', async () => {
    const tenant = await startTestTenant('tiny', {
      behaviour: {
        policyFamiliesNotLicensed: [
          'administrativeTemplate',
          'settingsCompliance',
        ],
      },
    });
    try {
      const result = await runCollection(tenant.config);
      for (const step of [STEP, Steps.ADMINISTRATIVE_TEMPLATES]) {
        expect(result.stepStatus(step.id)).toBe('success');
      }
      expect(result.stepStatus(Steps.POLICY_ASSIGNMENTS.id)).toBe('success');
      for (const family of [FAMILY, 'administrativeTemplate'])
        expect(familyGraph(result, family).policies).toHaveLength(0);
      const skipped = result.logs.filter(
        (r) => r.level === 30 && /so this family is skipped/.test(r.msg),
      );
      expect(skipped.map((r) => r.policyFamily).sort()).toEqual([
        'groupPolicyConfiguration',
        'settingsCompliancePolicy',
      ]);
    } finally {
      await tenant.close();
    }
  });

  test('a 403 on the device report fails the step naming DeviceManagementConfiguration.Read.All; the other steps still run', async () => {
    const tenant = await startTestTenant('tiny');
    try {
      tenant.simulator.addFault({
        id: 'settings-compliance-report-403',
        match: { pathIncludes: '/getDeviceStatusByCompliacePolicyReport' },
        respond: {
          status: 403,
          code: 'Forbidden',
          message: 'Application is not authorized to perform this operation.',
        },
      });
      const result = await runCollection(tenant.config);
      expect(result.stepStatus(STEP.id)).toBe('failure');
      expect(result.stepStatus(Steps.ADMINISTRATIVE_TEMPLATES.id)).toBe(
        'success',
      );
      expect(result.stepStatus(Steps.COMPLIANCE_POLICIES.id)).toBe('success');
      const message = stepError(result, STEP);
      expect(message).toMatch(
        /^Microsoft Graph POST \S+\/beta\/deviceManagement\/reports\/getDeviceStatusByCompliacePolicyReport failed with 403 Forbidden: /,
      );
      expect(message).toContain(
        'To fix it, grant the Microsoft Graph application permission DeviceManagementConfiguration.Read.All',
      );
      expect(familyGraph(result, FAMILY).policies).toHaveLength(0);
    } finally {
      await tenant.close();
    }
  });
});
