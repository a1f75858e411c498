/**
 * The integration declares exactly the specification's data model, plus the
 * documented additions (DATA_MODEL_NOTES in src/steps/constants.ts), and a
 * collection of the demo tenant produces every declared type.
 */
import { RelationshipClass } from '@jupiterone/integration-sdk-core';
import spec from '../fixtures/spec/data-model.json';
import { invocationConfig } from '../../src';
import { runCollection } from '../support/collect';
import { countGraph } from '../support/graph-counts';
import { startTestTenant } from '../support/tenant';
import { IDENTITY_RELATIONSHIP_KEYS } from '../support/identity-model';
import { POLICY_ASSIGNMENT_RELATIONSHIP_KEYS } from '../support/policy-assignment-model';

const steps = invocationConfig.integrationSteps;
const declaredEntities = steps.flatMap((s) => s.entities);
const declaredRelationships = steps.flatMap((s) => s.relationships);
const declaredMapped = steps.flatMap((s) => s.mappedRelationships ?? []);

const DEVICE_KINDS = [
  'user_endpoint',
  'workstation',
  'laptop',
  'desktop',
  'computer',
  'server',
  'smartphone',
];
/** The additions of jupiterone.md "Additions to the data model". */
const ADDITIONS = [
  ...DEVICE_KINDS.map((kind) => `azure_user|USES|${kind}`),
  'intune_managed_application|MANAGES|intune_detected_application',
  // issue 17: app registrations and service principals
  'azure_app_registration|HAS|azure_app_credential',
  'azure_app_registration|HAS|azure_service_principal',
  'azure_service_principal|ALLOWS|azure_service_principal',
  'azure_service_principal|ASSIGNED|azure_service_principal',
  'azure_service_principal|HAS|azure_app_credential',
  'azure_service_principal|OWNS|azure_app_registration',
  'azure_service_principal|OWNS|azure_service_principal',
  'azure_user_group|HAS|azure_service_principal',
  'azure_user|OWNS|azure_app_registration',
  'azure_user|OWNS|azure_service_principal',
  // issue 16: privileged roles and Conditional Access
  ...IDENTITY_RELATIONSHIP_KEYS,
  // issue 15: Intune policy assignments
  ...POLICY_ASSIGNMENT_RELATIONSHIP_KEYS,
];

/** The entity additions of jupiterone.md "Additions to the data model". */
const ENTITY_ADDITIONS = [
  // issue 17: app registrations and service principals
  '[AD] Service Principal|azure_service_principal|Service',
  '[AD] App Registration|azure_app_registration|Application',
  '[AD] App Credential|azure_app_credential|AccessKey',
  // issue 16: privileged roles and Conditional Access
  '[AD] Role Definition|azure_ad_role_definition|AccessRole',
  '[AD] Conditional Access Policy|azure_conditional_access_policy|AccessPolicy',
  '[AD] Conditional Access Named Location|azure_conditional_access_named_location|Network',
];

describe('data model', () => {
  test('entities: exactly the specification rows plus the documented additions (resource name, _type, _class)', () => {
    const rows = (e: {
      resourceName: string;
      _type: string;
      _class: string | string[];
    }) =>
      `${e.resourceName}|${e._type}|${([] as string[])
        .concat(e._class)
        .join(',')}`;
    const unique = Array.from(new Set(declaredEntities.map(rows))).sort();
    expect(unique).toEqual(
      [...spec.entities.map(rows), ...ENTITY_ADDITIONS].sort(),
    );
  });

  test('relationships: exactly the specification rows plus the documented additions', () => {
    const declared = Array.from(
      new Set(
        declaredRelationships.map(
          (r) => `${r.sourceType}|${r._class}|${r.targetType}`,
        ),
      ),
    ).sort();
    const specRows = spec.relationships.map(
      (r: { sourceType: string; _class: string; targetType: string }) =>
        `${r.sourceType}|${r._class}|${r.targetType}`,
    );
    expect(specRows).toHaveLength(44);
    expect(declared).toEqual([...specRows, ...ADDITIONS].sort());
    for (const r of declaredRelationships) {
      expect(Object.values(RelationshipClass)).toContain(r._class);
    }
  });

  test('a collection of the demo tenant produces every declared entity, relationship and mapped relationship type, with no duplicate key', async () => {
    const t = await startTestTenant('demo');
    try {
      const result = await runCollection(t.config);
      expect(
        result.summary.integrationStepResults.map((s) => s.status),
      ).toEqual(steps.map(() => 'success'));
      const counts = countGraph(result.entities, result.relationships);
      expect(counts.duplicateKeys).toEqual([]);
      for (const e of declaredEntities) {
        expect([e._type, counts.entities[e._type] > 0]).toEqual([
          e._type,
          true,
        ]);
      }
      const direct = new Set(
        result.relationships.filter((r) => !r._mapping).map((r) => r._type),
      );
      const mapped = new Set(
        result.relationships.filter((r) => r._mapping).map((r) => r._type),
      );
      for (const r of declaredRelationships) {
        expect([r._type, direct.has(r._type)]).toEqual([r._type, true]);
      }
      expect(declaredMapped.length).toBeGreaterThan(0);
      for (const r of declaredMapped) {
        expect([r._type, mapped.has(r._type)]).toEqual([r._type, true]);
      }
      expect(result.summary.metadata.partialDatasets.types).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
