/**
 * What the compliance steps do with statuses the generated tenant does not
 * hold: the same device under a second status id (on the same page and the
 * next), ids without a device segment, devices not in the graph, a missing
 * status value, and a device configuration deleted before its statuses are
 * read (404). A whole collection through the real credential and Graph
 * client, against the simulator serving the tiny tenant with two compliance
 * policies and two device configurations whose status lists are written
 * here (corrupt-tenant.ts `lists`), four Intune items per page. The
 * generated statuses end to end are in compliance.test.ts.
 */
import { Counters } from '../../src/steps/compliance';
import { DEVICE_KINDS, Steps } from '../../src/steps/constants';
import { GraphObject } from '../graph-simulator/tenant/model';
import { CollectionResult, runCollection } from '../support/collect';
import { corruptTenant } from '../support/corrupt-tenant';
import { doneRecord, ofType, requestLines } from '../support/outcome';
import { startTestTenant, TestTenant } from '../support/tenant';
import { relationshipKey } from '../../src/steps/graph-objects';

const COMPLIANCE_STEP = Steps.COMPLIANCE_POLICIES;
const CONFIGURATION_STEP = Steps.DEVICE_CONFIGURATIONS;
/** A managed device id that the tenant does not have. */
const GONE_DEVICE = '00000000-0000-4000-8000-00000000000c';

let t: TestTenant;
let result: CollectionResult;
/** The tenant's Intune account id (the first segment of every status id). */
let ACCOUNT: string;
/** A laptop and a smartphone of the tenant. */
let LAPTOP: string;
let PHONE: string;
/** Compliance policies (windows 10, iOS) and device configurations (windows 10 general, iOS custom) of the tenant. */
let P1: string;
let P2: string;
let C1: string;
let C2: string;

const status = (
  policyId: string,
  deviceId: string,
  value: string | null,
  account = ACCOUNT,
): GraphObject => ({
  id: `${account}_${policyId}_${deviceId}`,
  deviceDisplayName: deviceId,
  status: value,
  lastReportedDateTime: '2024-01-01T00:00:00Z',
});

function policyOfType(
  policies: { count: number; get(i: number): GraphObject },
  type: string,
): GraphObject {
  for (let i = 0; i < policies.count; i++) {
    const policy = policies.get(i);
    if (policy['@odata.type'] === `#microsoft.graph.${type}`) return policy;
  }
  throw new Error(`the tenant has no ${type}`);
}

/** `${status} ${path}` of the deviceStatuses requests of one collection, without the query, sorted. */
function statusRequests(collection: string): string[] {
  return requestLines(
    t.simulator.requests.filter(
      (r) =>
        r.path.includes(`/deviceManagement/${collection}/`) &&
        r.path.includes('/deviceStatuses'),
    ),
  )
    .map((line) => line.replace(/\?.*$/, ''))
    .sort();
}

/** The records logged with this exact message. */
const logged = (message: string) =>
  result.logs.filter((r) => r.msg === message);

beforeAll(async () => {
  // Four items per Intune page: the first policy's six statuses come in two pages.
  t = await startTestTenant('tiny', { behaviour: { intunePageSize: 4 } });
  ACCOUNT = t.tenant.intune!.intuneAccountId;
  const kinds = Object.entries(t.truth().deviceKinds);
  LAPTOP = kinds.find(([, kind]) => kind === 'laptop')![0];
  PHONE = kinds.find(([, kind]) => kind === 'smartphone')![0];
  const p1 = policyOfType(
    t.tenant.compliancePolicies,
    'windows10CompliancePolicy',
  );
  const p2 = policyOfType(t.tenant.compliancePolicies, 'iosCompliancePolicy');
  const c1 = policyOfType(
    t.tenant.deviceConfigurations,
    'windows10GeneralConfiguration',
  );
  const c2 = policyOfType(
    t.tenant.deviceConfigurations,
    'iosCustomConfiguration',
  );
  [P1, P2, C1, C2] = [p1, p2, c1, c2].map((p) => p.id as string);

  const statuses: Record<string, GraphObject[] | undefined> = {
    [`compliance|${P1}`]: [
      // page 1
      status(P1, LAPTOP, 'nonCompliant'),
      // the same device under another id, on the same page and the next
      status(P1, LAPTOP, 'nonCompliant', 'other'),
      status(P1, GONE_DEVICE, 'nonCompliant'),
      { id: 'no-device-segment', status: 'error' },
      // page 2
      status(P1, LAPTOP, 'compliant', 'third'),
      status(P1, PHONE, 'notAssigned'),
    ],
    [`compliance|${P2}`]: [
      status(P2, PHONE, 'conflict'),
      status(P2, LAPTOP, null),
    ],
    // deleted between the list call and its statuses: 404
    [`configuration|${C1}`]: undefined,
    [`configuration|${C2}`]: [status(C2, PHONE, 'error')],
  };
  t.simulator.addTenant(
    corruptTenant(t.tenant, {
      lists: {
        compliancePolicies: () => [p1, p2],
        deviceConfigurations: () => [c1, c2],
        deviceStatuses: (source, policyId) => statuses[`${source}|${policyId}`],
      },
    }),
  );
  result = await runCollection(t.config);
});
afterAll(() => t?.close());

test('the tenant has what the cases need', () => {
  expect(new Set([LAPTOP, PHONE, P1, P2, C1, C2]).size).toBe(6);
  expect(t.tenant.managedDevice(GONE_DEVICE)).toBeUndefined();
  expect(result.error).toBeUndefined();
  expect(result.stepStatus(COMPLIANCE_STEP.id)).toBe('success');
  expect(result.stepStatus(CONFIGURATION_STEP.id)).toBe('success');
});

test('one ASSIGNED per (policy, device) however Graph repeats it; counts what it skips', () => {
  expect(statusRequests('deviceCompliancePolicies')).toEqual(
    [
      `200 /deviceManagement/deviceCompliancePolicies/${P1}/deviceStatuses`,
      // the second page of P1, through its nextLink
      `200 /deviceManagement/deviceCompliancePolicies/${P1}/deviceStatuses`,
      `200 /deviceManagement/deviceCompliancePolicies/${P2}/deviceStatuses`,
    ].sort(),
  );
  // Everything the compliance step wrote names one of its two policies.
  // (Relationship keys are hashed: their ends name the policy.)
  const ofStep = <T extends object>(objects: T[], keys: (o: T) => unknown[]) =>
    objects.filter((o) =>
      [P1, P2].some((p) => keys(o).some((k) => String(k).includes(p))),
    );
  const entities = ofStep(result.entities, (e) => [e._key]);
  const relationships = ofStep(
    // The policies' group assignments (issue 15) are another step's.
    result.relationships.filter((r) => !r._type.endsWith('_user_group')),
    (r) => [r._fromEntityKey, r._toEntityKey],
  );
  expect(entities.map((e) => e._key).sort()).toEqual(
    [
      `intune_noncompliance_finding:${P1}:${LAPTOP}`,
      `intune_noncompliance_finding:${P2}:${PHONE}`,
      P1,
      P2,
    ].sort(),
  );
  expect(relationships.map((r) => r._key).sort()).toEqual(
    [
      relationshipKey(
        `${LAPTOP}|has|intune_noncompliance_finding:${P1}:${LAPTOP}`,
      ),
      relationshipKey(
        `${PHONE}|has|intune_noncompliance_finding:${P2}:${PHONE}`,
      ),
      relationshipKey(`intune_host_agent:${LAPTOP}|assigned|${P1}`),
      relationshipKey(`intune_host_agent:${LAPTOP}|assigned|${P2}`),
      relationshipKey(`intune_host_agent:${PHONE}|assigned|${P2}`),
      relationshipKey(
        `${P1}|identified|intune_noncompliance_finding:${P1}:${LAPTOP}`,
      ),
      relationshipKey(
        `${P2}|identified|intune_noncompliance_finding:${P2}:${PHONE}`,
      ),
    ].sort(),
  );
  const byKey = (key: string) => entities.find((e) => e._key === key);
  expect(byKey(P1)).toMatchObject({
    assignedDeviceCount: 1,
    openFindingCount: 1,
  });
  expect(byKey(P2)).toMatchObject({
    assignedDeviceCount: 2,
    openFindingCount: 1,
  });
  expect(
    relationships.find(
      (r) =>
        r._key ===
        relationshipKey(`intune_host_agent:${LAPTOP}|assigned|${P2}`),
    ),
  ).toMatchObject({ compliant: false });

  const unknownDevices = logged(
    `${COMPLIANCE_STEP.name}: 1 device statuses name a device that is not a managed device of this collection (deleted between calls, or not read); they were skipped.`,
  );
  expect(unknownDevices).toHaveLength(1);
  expect(unknownDevices[0]).toMatchObject({
    level: 30,
    [Counters.UNKNOWN_DEVICES]: 1,
    exampleDeviceIds: [GONE_DEVICE],
  });
  const unrecognized = logged(
    `${COMPLIANCE_STEP.name}: device statuses with a status value this integration does not know ((none)); the host agents are ASSIGNED the compliance policy with that status, and no finding was created for them.`,
  );
  expect(unrecognized).toHaveLength(1);
  expect(unrecognized[0]).toMatchObject({
    level: 40,
    [Counters.UNRECOGNIZED_STATUSES]: 1,
    values: { '(none)': 1 },
  });
  const devicesWritten = ofType(result.entities, ...DEVICE_KINDS).length;
  expect(devicesWritten).toBe(t.tenant.managedDevices.count);
  const done = doneRecord(result, COMPLIANCE_STEP);
  expect(done.counts).toEqual({
    [Counters.POLICIES]: 2,
    [Counters.STATUSES]: 8,
    [Counters.ASSIGNED]: 3,
    [Counters.FINDINGS]: 2,
    [Counters.NOT_ASSIGNED]: 1,
    [Counters.UNKNOWN_DEVICES]: 1,
    [Counters.UNRECOGNIZED_STATUSES]: 1,
    [Counters.DUPLICATE_STATUSES]: 2,
    [Counters.MALFORMED_STATUS_IDS]: 1,
  });
  expect(done).toMatchObject({
    [Counters.UNKNOWN_DEVICES]: 1,
    devicesInIndex: devicesWritten,
  });
});

test('a configuration deleted before its statuses is left out and logged', () => {
  expect(statusRequests('deviceConfigurations')).toEqual(
    [
      `404 /deviceManagement/deviceConfigurations/${C1}/deviceStatuses`,
      `200 /deviceManagement/deviceConfigurations/${C2}/deviceStatuses`,
    ].sort(),
  );
  // issue 15: the v1.0 configurations (administrative templates share the type).
  expect(
    ofType(result.entities, 'intune_device_configuration')
      // issue 15: Settings Catalog and endpoint security policies are configurations too
      .filter((e) => e.policyFamily === 'deviceConfiguration')
      .map((e) => e._key),
  ).toEqual([C2]);
  const findings = ofType(
    result.entities,
    'intune_noncompliance_finding',
  ).filter((f) => f.policySource === 'deviceConfiguration');
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject({
    _key: `intune_noncompliance_finding:${C2}:${PHONE}`,
    severity: 'low',
    numericSeverity: 3,
    status: 'error',
  });
  const gone = logged(
    `${CONFIGURATION_STEP.name}: 1 device configurations were deleted between the list call and reading their device statuses (404).`,
  );
  expect(gone).toHaveLength(1);
  expect(gone[0]).toMatchObject({ level: 40, policyIds: [C1], count: 1 });
  expect(doneRecord(result, CONFIGURATION_STEP).counts).toMatchObject({
    [Counters.POLICIES]: 2,
    [Counters.POLICIES_GONE]: 1,
    [Counters.FINDINGS]: 1,
  });
});
