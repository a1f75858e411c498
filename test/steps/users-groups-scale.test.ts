/**
 * The directory steps on the M tenant (5,000 users, 500 groups): exact counts
 * against the ground truth, and the requests it takes, which are
 * deterministic (wall time is not asserted).
 */
import { integrationSteps } from '../../src/steps';
import { Steps } from '../../src/steps/constants';
import { runCollection } from '../support/collect';
import { countGraph, expectedCounts } from '../support/graph-counts';
import { startTestTenant, TestTenant } from '../support/tenant';

jest.setTimeout(600_000);

const DIRECTORY_STEPS: string[] = [
  Steps.ACCOUNT.id,
  Steps.USERS.id,
  Steps.GROUPS.id,
  Steps.GROUP_MEMBERS.id,
];

const DIRECTORY_KEYS = [
  'azure_user',
  'azure_user_group',
  'azure_group_member',
  'microsoft_365_account|HAS|azure_user',
  'microsoft_365_account|HAS|azure_user_group',
  'azure_user_group|HAS|azure_user',
  'azure_user_group|HAS|azure_user_group',
  'azure_user_group|HAS|azure_group_member',
];

function directory(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).filter(([key]) => DIRECTORY_KEYS.includes(key)),
  );
}

let tenant: TestTenant;
afterAll(() => tenant?.close());

test('M tenant: exact directory graph, in the expected number of requests', async () => {
  tenant = await startTestTenant('M');
  const result = await runCollection(tenant.config, {
    invocation: {
      getStepStartStates: () =>
        Object.fromEntries(
          integrationSteps.map((step) => [
            step.id,
            { disabled: !DIRECTORY_STEPS.includes(step.id) },
          ]),
        ),
    },
  });

  for (const step of DIRECTORY_STEPS) {
    expect([step, result.stepStatus(step)]).toEqual([step, 'success']);
  }
  const counts = countGraph(result.entities, result.relationships);
  const truth = expectedCounts(tenant.truth());
  expect({
    entities: directory(counts.entities),
    relationships: directory(counts.relationships),
    mappedRelationships: directory(counts.mappedRelationships),
    duplicateKeys: counts.duplicateKeys,
  }).toEqual({
    entities: directory(truth.entities),
    relationships: directory(truth.relationships),
    mappedRelationships: directory(truth.mappedRelationships),
    duplicateKeys: [],
  });

  const { users, groups } = tenant.tenant;
  let laterMemberPages = 0;
  for (let i = 0; i < groups.count; i++) {
    const slots = tenant.tenant.groupMemberIds(
      groups.get(i).id as string,
    )!.length;
    laterMemberPages += Math.max(0, Math.ceil(slots / 999) - 1);
  }
  const endpoints = tenant.simulator.stats().endpoints;
  const requests = (endpoint: string) => endpoints[endpoint]?.requests ?? 0;
  expect({
    users: requests('GET /users'),
    groups: requests('GET /groups'),
    members: requests('GET /groups/{id}/members'),
    batches: requests('POST /$batch'),
    memberResourceUnits: endpoints['GET /groups/{id}/members']?.resourceUnits,
  }).toEqual({
    // signInActivity: 120 users a page
    users: Math.ceil(users.count / 120),
    groups: Math.ceil(groups.count / 999),
    members: groups.count + laterMemberPages,
    // first pages 20 to a $batch
    batches: Math.ceil(groups.count / 20),
    // $select makes a member page cost 2 resource units instead of 3
    memberResourceUnits: 2 * (groups.count + laterMemberPages),
  });
});
