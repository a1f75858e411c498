/**
 * The pure part of policy assignments: targets read from `assignments`
 * (shapes of learn.microsoft.com deviceAndAppManagementAssignmentTarget),
 * and the relationship each group assignment becomes. End to end against
 * the simulator: test/steps/compliance.test.ts.
 */
import { PolicyAssignment } from '../../graph/compliance';
import {
  assignmentPropertiesOf,
  targetsOf,
  TargetTypes,
  toPolicyGroupRelationship,
} from './assignments';

const POLICY = '0f3e6b5c-1d2a-4c8e-9b7a-6d5e4f3a2b1c';
const G1 = '11111111-1111-4111-8111-111111111111';
const G2 = '22222222-2222-4222-8222-222222222222';
const FILTER = '33333333-3333-4333-8333-333333333333';

function target(
  type: string,
  groupId?: string,
  filter: [string | null, string] = [null, 'none'],
): PolicyAssignment['target'] {
  return {
    '@odata.type': type,
    deviceAndAppManagementAssignmentFilterId: filter[0],
    deviceAndAppManagementAssignmentFilterType: filter[1],
    ...(groupId ? { groupId } : {}),
  };
}

const assignments: PolicyAssignment[] = [
  { id: `${POLICY}_${G2}`, target: target(TargetTypes.EXCLUSION_GROUP, G2) },
  {
    id: `${POLICY}_${G1}`,
    target: target(TargetTypes.GROUP, G1, [FILTER, 'include']),
  },
  {
    id: `${POLICY}_adadadad-808e-44e2-905a-0b7873a8a531`,
    target: target(TargetTypes.ALL_DEVICES, undefined, [FILTER, 'exclude']),
  },
  // a filter id with type none is no filter
  {
    id: `${POLICY}_x`,
    target: target(TargetTypes.ALL_USERS, undefined, [FILTER, 'none']),
  },
  {
    id: `${POLICY}_cm`,
    target: {
      '@odata.type':
        '#microsoft.graph.configurationManagerCollectionAssignmentTarget',
    },
  },
  // the same group and intent again, under a higher id: the first is kept
  {
    id: `${POLICY}_zz`,
    target: target(TargetTypes.GROUP, G1, [null, 'none']),
  },
];

describe('targetsOf', () => {
  test('groups by intent with their filters, all devices / all users, other targets', () => {
    expect(targetsOf({ assignments })).toEqual({
      allDevices: { filterId: FILTER, filterMode: 'exclude' },
      allUsers: {},
      groups: [
        {
          groupId: G1,
          intent: 'include',
          assignmentId: `${POLICY}_${G1}`,
          filterId: FILTER,
          filterMode: 'include',
        },
        { groupId: G2, intent: 'exclude', assignmentId: `${POLICY}_${G2}` },
      ],
      otherTargets: [
        '#microsoft.graph.configurationManagerCollectionAssignmentTarget',
      ],
    });
  });

  test('does not depend on the order Graph lists assignments in', () => {
    expect(targetsOf({ assignments: [...assignments].reverse() })).toEqual(
      targetsOf({ assignments }),
    );
  });

  test('policy properties; none assigned is all false and zero', () => {
    expect(assignmentPropertiesOf(targetsOf({ assignments }))).toEqual({
      assignedToAllDevices: true,
      allDevicesFilterId: FILTER,
      allDevicesFilterMode: 'exclude',
      assignedToAllUsers: true,
      allUsersFilterId: undefined,
      allUsersFilterMode: undefined,
      includedGroupCount: 1,
      excludedGroupCount: 1,
    });
    expect(assignmentPropertiesOf(targetsOf({ assignments: [] }))).toEqual({
      assignedToAllDevices: false,
      assignedToAllUsers: false,
      includedGroupCount: 0,
      excludedGroupCount: 0,
    });
  });
});

describe('toPolicyGroupRelationship', () => {
  const [include, exclude] = targetsOf({ assignments }).groups;

  test('included ASSIGNED, excluded ALLOWS, with the filter', () => {
    const assigned = toPolicyGroupRelationship(
      'compliancePolicy',
      POLICY,
      include,
      true,
    );
    expect(assigned).toMatchObject({
      _class: 'ASSIGNED',
      _type: 'intune_compliance_policy_assigned_azure_user_group',
      _fromEntityKey: POLICY,
      _toEntityKey: G1,
      intent: 'include',
      filterId: FILTER,
      filterMode: 'include',
    });
    expect(
      toPolicyGroupRelationship('deviceConfiguration', POLICY, exclude, true),
    ).toMatchObject({
      _class: 'ALLOWS',
      _type: 'intune_device_configuration_allows_azure_user_group',
      intent: 'exclude',
    });
  });

  test('a group not collected is mapped, under the key the direct one would have', () => {
    const direct = toPolicyGroupRelationship(
      'compliancePolicy',
      POLICY,
      exclude,
      true,
    );
    const mapped = toPolicyGroupRelationship(
      'compliancePolicy',
      POLICY,
      exclude,
      false,
    );
    expect(mapped._key).toBe(direct._key);
    expect(mapped._type).toBe(direct._type);
    expect(mapped._mapping).toMatchObject({
      sourceEntityKey: POLICY,
      relationshipDirection: 'FORWARD',
      targetEntity: { _type: 'azure_user_group', _key: G2 },
    });
  });
});
