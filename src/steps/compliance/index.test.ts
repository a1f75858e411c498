/**
 * The compliance steps' metadata. What the step routine does with statuses
 * (repeats, ids without a device, policies deleted between calls) is tested
 * against the Graph simulator with the real client in
 * test/steps/compliance-statuses.test.ts; the generated tenant end to end in
 * test/steps/compliance.test.ts.
 */
import {
  createDirectRelationship,
  RelationshipClass,
} from '@jupiterone/integration-sdk-core';
import {
  Entities,
  IngestionSources,
  Relationships,
  RELATIONSHIP_GRAPH_ID,
} from '../constants';
import { complianceSteps } from '.';

describe('step metadata', () => {
  test('four policy steps after fetch-devices and the assignment step, in the compliance ingestion source', () => {
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
      // issue 15: administrative templates, settings compliance policies
      {
        id: 'fetch-intune-administrative-templates',
        name: 'Fetch Intune Administrative Templates and Findings',
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
      {
        id: 'fetch-intune-settings-compliance-policies',
        name: 'Fetch Intune Settings Compliance Policies and Findings',
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
      // issue 15: in the second dependency graph, once every group is written
      {
        id: 'build-intune-policy-group-relationships',
        name: 'Build Intune Policy Group Assignment Relationships',
        dependsOn: undefined,
        ingestionSourceId: IngestionSources.COMPLIANCE,
        entities: [],
        relationships: [
          'intune_compliance_policy_assigned_azure_user_group',
          'intune_compliance_policy_allows_azure_user_group',
          'intune_device_configuration_assigned_azure_user_group',
          'intune_device_configuration_allows_azure_user_group',
        ],
      },
    ]);
    expect(complianceSteps[complianceSteps.length - 1].dependencyGraphId).toBe(
      RELATIONSHIP_GRAPH_ID,
    );
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
