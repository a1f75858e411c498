/**
 * The step routine on hand-made pages: what it does with the statuses the
 * simulator does not produce (a second id for the same device, ids without a
 * device, policies deleted between calls). End-to-end behaviour against the
 * simulator is in test/steps/compliance.test.ts.
 */
import {
  createDirectRelationship,
  createIntegrationEntity,
  Entity,
  RelationshipClass,
} from '@jupiterone/integration-sdk-core';
import {
  createMockStepExecutionContext,
  MockIntegrationStepExecutionContext,
} from '@jupiterone/integration-sdk-testing';
import { IntegrationConfig, SharedGraphClient } from '../../config';
import { GraphRequest } from '../../graph/client';
import { IntunePolicy, PolicyDeviceStatus } from '../../graph/compliance';
import { Entities, IngestionSources, Relationships, Steps } from '../constants';
import {
  COMPLIANCE_POLICIES_SPEC,
  complianceSteps,
  Counters,
  DEVICE_CONFIGURATIONS_SPEC,
  fetchPoliciesAndFindings,
} from '.';

const ACCOUNT = 'acct';
const LAPTOP = '00000000-0000-4000-8000-00000000000a';
const PHONE = '00000000-0000-4000-8000-00000000000b';
const GONE_DEVICE = '00000000-0000-4000-8000-00000000000c';

/** A stand-in for GraphClient: one page of policies, statuses per policy in pages, 'gone' = 404. */
class FakeGraph {
  readonly statusRequests: string[] = [];

  constructor(
    private readonly policies: IntunePolicy[],
    private readonly statuses: Record<string, PolicyDeviceStatus[][] | 'gone'>,
  ) {}

  graphEndpoint = 'https://graph.example';

  grantedRoles(): Promise<string[]> {
    return Promise.resolve(['DeviceManagementConfiguration.Read.All']);
  }

  async *iteratePages(): AsyncGenerator<IntunePolicy[]> {
    yield await Promise.resolve(this.policies);
  }

  async forEachCollection(
    collections: Iterable<{ key: string; request: GraphRequest }>,
    onPage: (key: string, page: PolicyDeviceStatus[]) => Promise<void>,
    options: { onNotFound?: (key: string) => void },
  ): Promise<void> {
    for (const { key, request } of collections) {
      this.statusRequests.push(request.path);
      const pages = this.statuses[key];
      if (pages === 'gone') {
        options.onNotFound?.(key);
        continue;
      }
      for (const page of pages ?? []) await onPage(key, page);
    }
  }

  stats() {
    return { services: {}, retries: {}, pages: 0 };
  }
}

function device(kind: string, id: string): Entity {
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        _key: id,
        _type: kind,
        _class: ['Device', 'Host'],
        name: id,
        displayName: id,
      },
    },
  });
}

function contextWith(
  graph: FakeGraph,
): MockIntegrationStepExecutionContext<IntegrationConfig> {
  const context = createMockStepExecutionContext<IntegrationConfig>({
    instanceConfig: { clientId: 'c', clientSecret: 's', tenant: 't' },
    entities: [device('laptop', LAPTOP), device('smartphone', PHONE)],
  });
  (context as { executionConfig: unknown }).executionConfig = {
    graph: { get: () => graph } as unknown as SharedGraphClient,
  };
  return context;
}

const status = (
  policyId: string,
  deviceId: string,
  value: string | null,
  account = ACCOUNT,
): PolicyDeviceStatus => ({
  id: `${account}_${policyId}_${deviceId}`,
  deviceDisplayName: deviceId,
  status: value,
  lastReportedDateTime: '2024-01-01T00:00:00Z',
});

const policy = (id: string, type: string): IntunePolicy => ({
  '@odata.type': `#microsoft.graph.${type}`,
  id,
  displayName: id,
});

describe('fetchPoliciesAndFindings', () => {
  test('one ASSIGNED per (policy, device) however Graph repeats it; counts what it skips', async () => {
    const graph = new FakeGraph(
      [
        policy('p1', 'windows10CompliancePolicy'),
        policy('p2', 'iosCompliancePolicy'),
      ],
      {
        p1: [
          [
            status('p1', LAPTOP, 'nonCompliant'),
            // the same device under another id, on the same page and the next
            status('p1', LAPTOP, 'nonCompliant', 'other'),
            status('p1', GONE_DEVICE, 'nonCompliant'),
            { id: 'no-device-segment', status: 'error' },
          ],
          [
            status('p1', LAPTOP, 'compliant', 'third'),
            status('p1', PHONE, 'notAssigned'),
          ],
        ],
        p2: [[status('p2', PHONE, 'conflict'), status('p2', LAPTOP, null)]],
      },
    );
    const context = contextWith(graph);
    const info = jest.spyOn(context.logger, 'info');
    const warn = jest.spyOn(context.logger, 'warn');
    await fetchPoliciesAndFindings(context, COMPLIANCE_POLICIES_SPEC);

    expect(graph.statusRequests).toEqual([
      '/deviceManagement/deviceCompliancePolicies/p1/deviceStatuses',
      '/deviceManagement/deviceCompliancePolicies/p2/deviceStatuses',
    ]);
    const { collectedEntities, collectedRelationships } = context.jobState;
    expect(collectedEntities.map((e) => e._key).sort()).toEqual([
      'intune_noncompliance_finding:p1:' + LAPTOP,
      'intune_noncompliance_finding:p2:' + PHONE,
      'p1',
      'p2',
    ]);
    expect(collectedRelationships.map((r) => r._key).sort()).toEqual(
      [
        `${LAPTOP}|has|intune_noncompliance_finding:p1:${LAPTOP}`,
        `${PHONE}|has|intune_noncompliance_finding:p2:${PHONE}`,
        `intune_host_agent:${LAPTOP}|assigned|p1`,
        `intune_host_agent:${LAPTOP}|assigned|p2`,
        `intune_host_agent:${PHONE}|assigned|p2`,
        `p1|identified|intune_noncompliance_finding:p1:${LAPTOP}`,
        `p2|identified|intune_noncompliance_finding:p2:${PHONE}`,
      ].sort(),
    );
    const byKey = (key: string) =>
      collectedEntities.find((e) => e._key === key);
    expect(byKey('p1')).toMatchObject({
      assignedDeviceCount: 1,
      openFindingCount: 1,
    });
    expect(byKey('p2')).toMatchObject({
      assignedDeviceCount: 2,
      openFindingCount: 1,
    });
    expect(
      collectedRelationships.find(
        (r) => r._key === `intune_host_agent:${LAPTOP}|assigned|p2`,
      ),
    ).toMatchObject({ compliant: false });

    expect(info).toHaveBeenCalledWith(
      { [Counters.UNKNOWN_DEVICES]: 1, exampleDeviceIds: [GONE_DEVICE] },
      `${Steps.COMPLIANCE_POLICIES.name}: 1 device statuses name a device that is not a managed device of this collection (deleted between calls, or not read); they were skipped.`,
    );
    expect(warn).toHaveBeenCalledWith(
      { [Counters.UNRECOGNIZED_STATUSES]: 1, values: { '(none)': 1 } },
      `${Steps.COMPLIANCE_POLICIES.name}: device statuses with a status value this integration does not know ((none)); the host agents are ASSIGNED the compliance policy with that status, and no finding was created for them.`,
    );
    const done = info.mock.calls.find(
      ([, message]) => message === `${Steps.COMPLIANCE_POLICIES.name}: done`,
    );
    expect(done?.[0]).toMatchObject({
      counts: {
        [Counters.POLICIES]: 2,
        [Counters.STATUSES]: 8,
        [Counters.ASSIGNED]: 3,
        [Counters.FINDINGS]: 2,
        [Counters.NOT_ASSIGNED]: 1,
        [Counters.UNKNOWN_DEVICES]: 1,
        [Counters.UNRECOGNIZED_STATUSES]: 1,
        [Counters.DUPLICATE_STATUSES]: 2,
        [Counters.MALFORMED_STATUS_IDS]: 1,
      },
      [Counters.UNKNOWN_DEVICES]: 1,
      devicesInIndex: 2,
    });
  });

  test('a configuration deleted before its statuses is left out and logged', async () => {
    const graph = new FakeGraph(
      [
        policy('c1', 'windows10GeneralConfiguration'),
        policy('c2', 'iosCustomConfiguration'),
      ],
      { c1: 'gone', c2: [[status('c2', PHONE, 'error')]] },
    );
    const context = contextWith(graph);
    const warn = jest.spyOn(context.logger, 'warn');
    await fetchPoliciesAndFindings(context, DEVICE_CONFIGURATIONS_SPEC);
    expect(graph.statusRequests).toEqual([
      '/deviceManagement/deviceConfigurations/c1/deviceStatuses',
      '/deviceManagement/deviceConfigurations/c2/deviceStatuses',
    ]);
    expect(
      context.jobState.collectedEntities
        .filter((e) => e._type === 'intune_device_configuration')
        .map((e) => e._key),
    ).toEqual(['c2']);
    expect(
      context.jobState.collectedEntities.find(
        (e) => e._type === 'intune_noncompliance_finding',
      ),
    ).toMatchObject({ severity: 'low', numericSeverity: 3, status: 'error' });
    expect(warn).toHaveBeenCalledWith(
      { policyIds: ['c1'], count: 1 },
      `${Steps.DEVICE_CONFIGURATIONS.name}: 1 device configurations were deleted between the list call and reading their device statuses (404).`,
    );
  });
});

describe('step metadata', () => {
  test('two steps after fetch-devices, in the compliance ingestion source', () => {
    expect(
      complianceSteps.map((step) => ({
        id: step.id,
        name: step.name,
        dependsOn: step.dependsOn,
        ingestionSourceId: step.ingestionSourceId,
        entities: step.entities.map((e) => e._type),
        relationships: step.relationships.map((r) => r._type),
      })),
    ).toEqual([
      {
        id: 'fetch-compliance-policies',
        name: 'Fetch Intune Compliance Policies and Findings',
        dependsOn: ['fetch-devices'],
        ingestionSourceId: IngestionSources.COMPLIANCE,
        entities: ['intune_compliance_policy', 'intune_noncompliance_finding'],
        relationships: [
          Relationships.HOST_AGENT_ASSIGNED_COMPLIANCE_POLICY._type,
          Relationships.COMPLIANCE_POLICY_IDENTIFIED_FINDING._type,
          ...Object.values(Relationships.DEVICE_HAS_FINDING).map(
            (r) => r._type,
          ),
        ],
      },
      {
        id: 'fetch-device-configurations',
        name: 'Fetch Intune Device Configurations and Findings',
        dependsOn: ['fetch-devices'],
        ingestionSourceId: IngestionSources.COMPLIANCE,
        entities: [
          'intune_device_configuration',
          'intune_noncompliance_finding',
        ],
        relationships: [
          Relationships.HOST_AGENT_ASSIGNED_DEVICE_CONFIGURATION._type,
          Relationships.DEVICE_CONFIGURATION_IDENTIFIED_FINDING._type,
          ...Object.values(Relationships.DEVICE_HAS_FINDING).map(
            (r) => r._type,
          ),
        ],
      },
    ]);
    expect(Relationships.HOST_AGENT_ASSIGNED_COMPLIANCE_POLICY._type).toBe(
      createDirectRelationship({
        _class: RelationshipClass.ASSIGNED,
        fromKey: 'a',
        fromType: Entities.HOST_AGENT._type,
        toKey: 'b',
        toType: Entities.COMPLIANCE_POLICY._type,
      })._type,
    );
  });
});
