/**
 * Issue 15: what one policy family wrote in a collection, and its exact
 * comparison with the family's ground truth (values 'family <source> …'):
 * several families share one entity type, so the type counts alone cannot
 * tell whether a family is whole.
 */
import { CollectionResult } from './collect';
import { TestTenant } from './tenant';

/** What the collection holds of one family: its policies and what hangs off them. */
export function familyGraph(result: CollectionResult, family: string) {
  const policies = result.entities.filter(
    (e) => (e as Record<string, unknown>).policyFamily === family,
  );
  const keys = new Set(policies.map((p) => p._key));
  const to = (cls: string) =>
    result.relationships.filter(
      (r) =>
        r._class === cls &&
        keys.has(String(r._toEntityKey)) &&
        String(r._fromEntityKey).startsWith('intune_host_agent:'),
    );
  const from = (cls: string, mapped: boolean) =>
    result.relationships.filter((r) => {
      const fromKey = r._mapping
        ? (r._mapping as { sourceEntityKey: string }).sourceEntityKey
        : String(r._fromEntityKey);
      return (
        r._class === cls && keys.has(fromKey) && Boolean(r._mapping) === mapped
      );
    });
  const findings = result.entities.filter(
    (e) =>
      e._type === 'intune_noncompliance_finding' &&
      keys.has(String((e as Record<string, unknown>).policyId)),
  );
  return {
    policies,
    assigned: to('ASSIGNED'),
    findings,
    identified: from('IDENTIFIED', false),
    groupsAssigned: from('ASSIGNED', false).filter(
      (r) => String(r._toEntityKey ?? '').length,
    ),
    groupsAllowed: from('ALLOWS', false),
    mappedAssigned: from('ASSIGNED', true),
    mappedAllowed: from('ALLOWS', true),
  };
}

/** Exact counts of one family against its ground truth; returns the family's graph. */
export function expectFamilyMatchesTruth(
  result: CollectionResult,
  tenant: TestTenant,
  family: string,
) {
  const truth = (key: string) =>
    tenant.truth().values[`family ${family} ${key}`] ?? 0;
  const graph = familyGraph(result, family);
  expect({
    policies: graph.policies.length,
    assigned: graph.assigned.length,
    findings: graph.findings.length,
    identified: graph.identified.length,
    groupsAssigned: graph.groupsAssigned.length,
    groupsAllowed: graph.groupsAllowed.length,
    mappedAssigned: graph.mappedAssigned.length,
    mappedAllowed: graph.mappedAllowed.length,
  }).toEqual({
    policies: truth('policies'),
    assigned: truth('ASSIGNED'),
    findings: truth('findings'),
    identified: truth('findings'),
    groupsAssigned: truth('ASSIGNED group'),
    groupsAllowed: truth('ALLOWS group'),
    mappedAssigned: truth('ASSIGNED group (mapped)'),
    mappedAllowed: truth('ALLOWS group (mapped)'),
  });
  return graph;
}
