import { RoleAssignmentMerge } from './assignments';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const USER = '02e7e79a-bb30-4f28-ad78-1888f5cb4aa1';
const principal = { '@odata.type': '#microsoft.graph.user', id: USER };

const listed = {
  id: 'lAPpYvVpN0KRkAEhdxReEJrn5wIwuyhPrXgYiPXLSqE-1',
  principalId: USER,
  roleDefinitionId: GA,
  directoryScopeId: '/',
  principal,
};
const permanentInstance = {
  ...listed,
  startDateTime: null,
  endDateTime: null,
  assignmentType: 'Assigned',
  memberType: 'Direct',
};
const activatedInstance = {
  ...listed,
  id: 'other-id',
  principal: null,
  startDateTime: '2024-06-01T10:00:00Z',
  endDateTime: '2024-06-01T18:00:00Z',
  assignmentType: 'Activated',
  memberType: 'Direct',
};

describe('RoleAssignmentMerge: one assignment, one record', () => {
  test('the same active assignment in roleAssignments and in the PIM instances is one, whatever the order', () => {
    const orders = [
      [
        [listed, 'roleAssignments'],
        [permanentInstance, 'activeInstances'],
        [activatedInstance, 'activeInstances'],
      ],
      [
        [activatedInstance, 'activeInstances'],
        [permanentInstance, 'activeInstances'],
        [listed, 'roleAssignments'],
      ],
    ] as const;
    const results = orders.map((order) => {
      const merge = new RoleAssignmentMerge();
      for (const [item, source] of order) merge.add(item, source);
      return merge.assignments();
    });
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toEqual([
      {
        principalId: USER,
        principalType: 'user',
        roleDefinitionId: GA,
        directoryScopeId: '/',
        assignmentType: 'active',
        // "no start" and "no end" (the permanent instance) win over the activation's dates.
        startOn: undefined,
        endOn: undefined,
        permanent: true,
        activated: true,
      },
    ]);
  });

  test('roleAssignments alone: no dates, and nothing said about permanence', () => {
    const merge = new RoleAssignmentMerge();
    merge.add(listed, 'roleAssignments');
    expect(merge.assignments()).toEqual([
      {
        principalId: USER,
        principalType: 'user',
        roleDefinitionId: GA,
        directoryScopeId: '/',
        assignmentType: 'active',
      },
    ]);
  });

  test('eligible and active are two; time-bound dates merge to the widest span', () => {
    const merge = new RoleAssignmentMerge();
    const eligible = (start: string, end: string) => ({
      ...listed,
      id: `e-${start}`,
      startDateTime: start,
      endDateTime: end,
      memberType: 'Direct',
    });
    merge.add(
      eligible('2024-05-01T00:00:00Z', '2024-07-01T00:00:00Z'),
      'eligibleInstances',
    );
    merge.add(
      eligible('2024-04-01T00:00:00Z', '2024-06-01T00:00:00Z'),
      'eligibleInstances',
    );
    merge.add(listed, 'roleAssignments');
    expect(
      merge
        .assignments()
        .map((a) => [
          a.assignmentType,
          a.startOn,
          a.endOn,
          a.permanent,
          a.activated,
        ]),
    ).toEqual([
      ['active', undefined, undefined, undefined, undefined],
      [
        'eligible',
        Date.parse('2024-04-01T00:00:00Z'),
        Date.parse('2024-07-01T00:00:00Z'),
        false,
        undefined,
      ],
    ]);
  });

  test('a group member inheriting the role, and items without ids, are counted, not merged', () => {
    const merge = new RoleAssignmentMerge();
    merge.add({ ...permanentInstance, memberType: 'Group' }, 'activeInstances');
    merge.add({ ...listed, principalId: null }, 'roleAssignments');
    merge.add({ ...listed, directoryScopeId: '' }, 'roleAssignments');
    expect(merge.assignments()).toEqual([]);
    expect(merge.skipped).toEqual({
      incompleteItems: 2,
      inheritedInstances: 1,
    });
  });

  test('another scope is another assignment; a principal Graph no longer resolves stays untyped', () => {
    const merge = new RoleAssignmentMerge();
    merge.add({ ...listed, principal: null }, 'roleAssignments');
    merge.add(
      { ...listed, directoryScopeId: '/administrativeUnits/au' },
      'roleAssignments',
    );
    expect(
      merge.assignments().map((a) => [a.directoryScopeId, a.principalType]),
    ).toEqual([
      ['/administrativeUnits/au', 'user'],
      ['/', undefined],
    ]);
  });
});
