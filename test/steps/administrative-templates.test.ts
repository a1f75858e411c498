/**
 * Issue 15: administrative templates (beta groupPolicyConfigurations) end to
 * end: the whole integration collects the tiny tenant through the real
 * credential and client, and what the administrative-template step wrote is
 * compared with the ground truth of that family
 * (values 'family administrativeTemplate …').
 */
import { Steps } from '../../src/steps/constants';
import { CollectionResult, runCollection } from '../support/collect';
import { doneRecord, graphOf } from '../support/outcome';
import {
  expectFamilyMatchesTruth,
  familyGraph,
} from '../support/policy-families';
import { startTestTenant, TestTenant } from '../support/tenant';

const STEP = Steps.ADMINISTRATIVE_TEMPLATES;
const FAMILY = 'administrativeTemplate';
const CONFIGURATION = 'intune_device_configuration';

function familyTruth(tenant: TestTenant, key: string): number {
  return tenant.truth().values[`family ${FAMILY} ${key}`] ?? 0;
}

describe('administrative templates', () => {
  let tenant: TestTenant;
  let result: CollectionResult;

  beforeAll(async () => {
    tenant = await startTestTenant('tiny');
    result = await runCollection(tenant.config);
  });
  afterAll(() => tenant?.close());

  test('the step and the assignment step succeed', () => {
    expect(result.error).toBeUndefined();
    expect(result.stepStatus(STEP.id)).toBe('success');
    expect(result.stepStatus(Steps.POLICY_ASSIGNMENTS.id)).toBe('success');
  });

  test('policies, ASSIGNED host agents, findings and group assignments match the ground truth exactly', () => {
    const graph = expectFamilyMatchesTruth(result, tenant, FAMILY);
    expect(familyTruth(tenant, 'findings')).toBeGreaterThan(0);
    expect(graph.mappedAssigned.length).toBeGreaterThan(0);
    expect(graph.groupsAllowed.length).toBeGreaterThan(0);
  });

  test('policies are intune_device_configuration with the family, kind and platform', () => {
    const graph = familyGraph(result, FAMILY);
    for (const policy of graph.policies) {
      expect(policy).toMatchObject({
        _type: CONFIGURATION,
        _class: ['Configuration', 'ControlPolicy'],
        category: 'config',
        kind: 'groupPolicyConfiguration',
        platform: 'windows',
        policyFamily: FAMILY,
      });
      expect(typeof policy.policyConfigurationIngestionType).toBe('string');
    }
    const first = graph.policies.find(
      (p) => p.name === 'Edge security baseline (ADMX)',
    );
    expect(first).toMatchObject({
      assignedToAllDevices: false,
      includedGroupCount: 2,
    });
  });

  test('findings carry the family as their source and the stable key', () => {
    const graph = familyGraph(result, FAMILY);
    for (const finding of graph.findings) {
      const f = finding as Record<string, unknown>;
      expect(f.policySource).toBe('groupPolicyConfiguration');
      expect(finding._key).toBe(
        `intune_noncompliance_finding:${f.policyId}:${f.managedDeviceId}`,
      );
      expect(['nonCompliant', 'error', 'conflict']).toContain(f.status);
    }
  });

  test('statuses of devices the collection does not have are counted, not related', () => {
    expect(Number(doneRecord(result, STEP).statusesForUnknownDevices)).toBe(
      familyTruth(tenant, 'statusesForUnknownDevices'),
    );
  });
});

describe('when Graph refuses $expand=assignments', () => {
  test('every family reads GET …/{id}/assignments in $batch instead, logged once per list, and the graph is the same', async () => {
    const plain = await startTestTenant('tiny');
    const refused = await startTestTenant('tiny', {
      behaviour: { expandAssignmentsRefused: true },
    });
    try {
      // One after the other: a collection's storage folder is process-wide.
      const a = await runCollection(plain.config);
      const b = await runCollection(refused.config);
      expect(b.error).toBeUndefined();
      expect(graphOf(b)).toEqual(graphOf(a));
      const lines = b.logs.filter((r) =>
        /refused \$expand=assignments/.test(r.msg),
      );
      expect(lines.map((r) => r.path).sort()).toEqual([
        '/deviceManagement/compliancePolicies',
        '/deviceManagement/configurationPolicies',
        '/deviceManagement/deviceCompliancePolicies',
        '/deviceManagement/deviceConfigurations',
        '/deviceManagement/groupPolicyConfigurations',
      ]);
      const requests = refused.simulator.requests;
      const assignmentReads = requests.filter((r) =>
        /\/[^/]+\/assignments$/.test(r.path),
      );
      // One per policy of every family, every one inside a $batch.
      const t = refused.tenant;
      const policyCount =
        t.compliancePolicies.count +
        t.deviceConfigurations.count +
        (t.reportPolicies?.('administrativeTemplate').count ?? 0) +
        (t.reportPolicies?.('settingsCompliance').count ?? 0) +
        (t.settingsPolicies?.collection.count ?? 0);
      expect(assignmentReads).toHaveLength(policyCount);
      expect(assignmentReads.every((r) => r.batchItem === true)).toBe(true);
    } finally {
      await Promise.all([plain.close(), refused.close()]);
    }
  });
});
