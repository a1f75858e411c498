/**
 * Persistent faults: one collection keeps failing. The step that reads it
 * fails with a message naming the endpoint, the status, Graph's error code
 * and the request-id; its types (and those of the steps that depend on it)
 * are partial, so the platform keeps their previous data; every other step
 * succeeds, and every type that is not partial holds exactly the ground
 * truth. At least one endpoint of every step module is broken in turn.
 */
import { createGraphClient } from '../../src/config';
import { GraphClient, GraphRequest } from '../../src/graph/client';
import { compliancePolicyDeviceStatusesRequest } from '../../src/graph/compliance';
import {
  GROUP_SELECT,
  groupMembersRequest,
  usersRequest,
} from '../../src/graph/directory';
import { managedDevicesRequest } from '../../src/graph/intune-devices';
import { Steps } from '../../src/steps/constants';
import { FaultRule } from '../graph-simulator';
import { runCollection } from '../support/collect';
import {
  expectOutcome,
  GROUP_SERVICE_PRINCIPALS_INCOMPLETE,
  literal,
  MANAGES_WITHOUT,
} from '../support/outcome';
import { startTestTenant, TestTenant } from '../support/tenant';

jest.setTimeout(120_000);

const REQUEST_ID =
  '\\(request-id [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\)';
const KEPT_FAILING =
  'Microsoft Graph kept failing after retries; the step fails so that its partial data does not replace the previous collection.';
const SKIPTOKEN = '&\\$skiptoken=[A-Za-z0-9_-]+';
const INSUFFICIENT = 'Insufficient privileges to complete the operation.';
/** Intune's 403 (graph-api.md §5): a JSON text as the message, on several lines. */
const INTUNE_FORBIDDEN = (scopes: string) =>
  `{\r\n  "_version": 3,\r\n  "Message": "Application is not authorized to perform this operation. Application must have one of the following scopes: ${scopes} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000",\r\n  "RetryAfter": null\r\n}`;
const INTUNE_FORBIDDEN_ONE_LINE = (scopes: string) =>
  `{ "_version": 3, "Message": "Application is not authorized to perform this operation. Application must have one of the following scopes: ${scopes} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000", "RetryAfter": null }`;

let t: TestTenant;
let client: GraphClient;

beforeAll(async () => {
  t = await startTestTenant('tiny');
  // Only for the URLs the messages must name; it sends nothing.
  client = createGraphClient(t.config);
});
afterAll(() => t?.close());
beforeEach(() => {
  t.simulator.clearFaults();
  t.simulator.setBehaviour({
    intunePageSize: 1000,
    signInActivityPageSize: 120,
  });
  t.simulator.resetStats();
});

/** `^Microsoft Graph {method} {url} failed with {status} {code}[: message] (request-id …). {hint}$` */
/** issue 15: why the policy assignment step fails when a policy step did not complete. */
const ASSIGNMENTS_WITHOUT = (step: { name: string }): string =>
  `${Steps.POLICY_ASSIGNMENTS.name}: ${step.name} did not complete in this execution, so the group assignments of those policies are not related; the previous ones are kept.`;

function failure(options: {
  method?: string;
  /** A RegExp source for the URL after the origin. */
  path: string;
  status: number;
  code: string;
  message?: string;
  hint: string;
}): RegExp {
  const message = options.message ? `: ${literal(options.message)}` : '';
  return new RegExp(
    `^Microsoft Graph ${options.method ?? 'GET'} ${literal(
      t.simulator.origin,
    )}${options.path} failed with ${options.status} ${literal(
      options.code,
    )}${message} ${REQUEST_ID}\\. ${literal(options.hint)}$`,
  );
}

/**
 * The error of a fan-out some of whose requests kept failing
 * (GraphFanOutError): how many of how many, then the first one or three.
 */
function fanOutFailure(each: RegExp, failed: number, items: number): RegExp {
  const one = each.source.replace(/^\^|\$$/g, '');
  const which =
    failed === 1
      ? `: ${one}`
      : `\\. The first 3: ${[one, one, one].join(' \\| ')}`;
  return new RegExp(
    `^${failed} of ${items} Microsoft Graph requests of this step kept failing after retries; the other ${
      items - failed
    } were read, and this step's data is partial${which}$`,
  );
}

function pathOf(request: GraphRequest): string {
  return literal(client.urlOf(request).slice(t.simulator.origin.length));
}

async function collectWith(...rules: FaultRule[]) {
  for (const rule of rules) t.simulator.addFault(rule);
  return runCollection(t.config);
}

const ALWAYS_500 = { status: 500 } as const;

test('users: a 403 on page 2 of /users fails Fetch Users; group members are partial', async () => {
  t.simulator.setBehaviour({ signInActivityPageSize: 5 });
  const result = await collectWith({
    match: { pathIncludes: '/v1.0/users?', pageNumber: 2 },
    respond: { status: 403 },
  });
  expectOutcome(result, t.truth(), {
    failed: {
      [Steps.USERS.id]: failure({
        path: `${pathOf(usersRequest({ signInActivity: true }))}${SKIPTOKEN}`,
        status: 403,
        code: 'Authorization_RequestDenied',
        message: INSUFFICIENT,
        hint: 'To fix it, grant the Microsoft Graph application permission User.Read.All (or Directory.Read.All) to read users, then grant admin consent.',
      }),
    },
    dependencyFailed: [Steps.GROUP_MEMBERS.id],
  });
  // Page 1 was read and written before page 2 failed: partial, not lost.
  expect(result.entities.filter((e) => e._type === 'azure_user')).toHaveLength(
    5,
  );
});

test('groups: /groups keeps answering 500; Fetch Groups fails after its retries', async () => {
  const result = await collectWith({
    match: { pathIncludes: '/v1.0/groups?' },
    respond: ALWAYS_500,
  });
  expectOutcome(result, t.truth(), {
    failed: {
      [Steps.GROUPS.id]: failure({
        path: literal(
          `/v1.0/groups?$select=${GROUP_SELECT.join(',')}&$top=999`,
        ),
        status: 500,
        code: 'UnknownError',
        hint: KEPT_FAILING,
      }),
      [Steps.GROUP_SERVICE_PRINCIPALS.id]: GROUP_SERVICE_PRINCIPALS_INCOMPLETE,
    },
    dependencyFailed: [Steps.GROUP_MEMBERS.id],
  });
  // 1 attempt + 5 retries, then the step gives up.
  expect(
    t.simulator.requests.filter((r) => r.path.startsWith('/v1.0/groups?')),
  ).toHaveLength(6);
});

test('members: one group member list ($batch item) keeps answering 500; Fetch Group Members fails', async () => {
  const groupId = t.tenant.groups.get(2).id as string;
  const result = await collectWith({
    match: { pathIncludes: `/groups/${groupId}/members` },
    respond: ALWAYS_500,
  });
  expectOutcome(result, t.truth(), {
    failed: {
      [Steps.GROUP_MEMBERS.id]: fanOutFailure(
        failure({
          path: pathOf(groupMembersRequest(groupId)),
          status: 500,
          code: 'UnknownError',
          hint: KEPT_FAILING,
        }),
        1,
        t.tenant.groups.count,
      ),
      [Steps.GROUP_SERVICE_PRINCIPALS.id]: GROUP_SERVICE_PRINCIPALS_INCOMPLETE,
    },
  });
  expect(
    t.simulator.requests.filter(
      (r) => r.path.includes(`/groups/${groupId}/members`) && r.batchItem,
    ),
  ).toHaveLength(6);
});

test('managedDevices: an Intune 403 on page 2 fails Fetch Intune Managed Devices; every step that relates devices keeps its previous data', async () => {
  t.simulator.setBehaviour({ intunePageSize: 3 });
  const scopes =
    'DeviceManagementManagedDevices.Read.All, DeviceManagementManagedDevices.ReadWrite.All';
  const result = await collectWith({
    match: {
      pathIncludes: '/beta/deviceManagement/managedDevices?',
      pageNumber: 2,
    },
    respond: {
      status: 403,
      code: 'Forbidden',
      message: INTUNE_FORBIDDEN(scopes),
    },
  });
  expectOutcome(result, t.truth(), {
    failed: {
      [Steps.DEVICES.id]: failure({
        path: `${pathOf(managedDevicesRequest())}${SKIPTOKEN}`,
        status: 403,
        code: 'Forbidden',
        message: INTUNE_FORBIDDEN_ONE_LINE(scopes),
        hint: 'To fix it, grant the Microsoft Graph application permission DeviceManagementManagedDevices.Read.All to read Intune managed devices and their detected applications, then grant admin consent.',
      }),
      [Steps.USER_DEVICES.id]:
        'Build User and Device Relationships did not run: Fetch Intune Managed Devices did not read every managed device in this execution. The previous user and device relationships are kept.',
      [Steps.APPLICATION_MANAGES.id]: MANAGES_WITHOUT(Steps.DEVICES),
    },
    dependencyFailed: [
      Steps.MANAGED_APPS.id,
      Steps.DETECTED_APPS.id,
      Steps.COMPLIANCE_POLICIES.id,
      Steps.DEVICE_CONFIGURATIONS.id,
      // issue 15
      Steps.ADMINISTRATIVE_TEMPLATES.id,
      Steps.SETTINGS_COMPLIANCE_POLICIES.id,
      Steps.SETTINGS_POLICIES.id, // issue 15
    ],
  });
});

test('mobileApps: the app list keeps answering 500; Fetch Intune Managed Applications fails, and so does the MANAGES step that needs it', async () => {
  const result = await collectWith({
    match: { pathIncludes: '/beta/deviceAppManagement/mobileApps' },
    respond: ALWAYS_500,
  });
  expectOutcome(result, t.truth(), {
    failed: {
      [Steps.MANAGED_APPS.id]: failure({
        path: literal('/beta/deviceAppManagement/mobileApps'),
        status: 500,
        code: 'UnknownError',
        hint: KEPT_FAILING,
      }),
      [Steps.APPLICATION_MANAGES.id]: MANAGES_WITHOUT(Steps.MANAGED_APPS),
    },
  });
});

test('install report: getDeviceInstallStatusReport keeps answering 500; the error names its code and request-id', async () => {
  const result = await collectWith({
    match: {
      pathIncludes: '/deviceManagement/reports/getDeviceInstallStatusReport',
    },
    respond: {
      status: 500,
      code: 'InternalServerError',
      message: 'An internal server error has occurred.',
    },
  });
  expectOutcome(result, t.truth(), {
    failed: {
      [Steps.MANAGED_APPS.id]: fanOutFailure(
        failure({
          method: 'POST',
          path: literal(
            '/beta/deviceManagement/reports/getDeviceInstallStatusReport',
          ),
          status: 500,
          code: 'InternalServerError',
          message: 'An internal server error has occurred.',
          hint: KEPT_FAILING,
        }),
        t.tenant.mobileApps.count,
        t.tenant.mobileApps.count,
      ),
      [Steps.APPLICATION_MANAGES.id]: MANAGES_WITHOUT(Steps.MANAGED_APPS),
    },
  });
});

test('detectedApps: the detected-app list keeps answering 500; Fetch Intune Detected Applications fails', async () => {
  const result = await collectWith({
    match: { pathIncludes: '/beta/deviceManagement/detectedApps?' },
    respond: ALWAYS_500,
  });
  expectOutcome(result, t.truth(), {
    failed: {
      [Steps.DETECTED_APPS.id]: failure({
        path: literal(
          '/beta/deviceManagement/detectedApps?$select=id,displayName,version,sizeInByte,deviceCount,publisher,platform',
        ),
        status: 500,
        code: 'UnknownError',
        hint: KEPT_FAILING,
      }),
      [Steps.APPLICATION_MANAGES.id]: MANAGES_WITHOUT(Steps.DETECTED_APPS),
    },
  });
});

test("compliance statuses: an Intune 403 on page 2 of one policy's deviceStatuses fails Fetch Intune Compliance Policies and Findings only", async () => {
  t.simulator.setBehaviour({ intunePageSize: 3 });
  const policies = Array.from(
    { length: t.tenant.compliancePolicies.count },
    (_, i) => t.tenant.compliancePolicies.get(i).id as string,
  );
  const policyId = policies.find(
    (id) => (t.tenant.deviceStatuses('compliance', id) ?? []).length > 3,
  ) as string;
  const scopes =
    'DeviceManagementConfiguration.Read.All, DeviceManagementConfiguration.ReadWrite.All';
  const result = await collectWith({
    match: {
      pathIncludes: `/deviceCompliancePolicies/${policyId}/deviceStatuses`,
      pageNumber: 2,
    },
    respond: {
      status: 403,
      code: 'Forbidden',
      message: INTUNE_FORBIDDEN(scopes),
    },
  });
  expectOutcome(result, t.truth(), {
    failed: {
      [Steps.COMPLIANCE_POLICIES.id]: failure({
        path: `${pathOf(
          compliancePolicyDeviceStatusesRequest(policyId),
        )}\\?${SKIPTOKEN.slice(1)}`,
        status: 403,
        code: 'Forbidden',
        message: INTUNE_FORBIDDEN_ONE_LINE(scopes),
        hint: 'To fix it, grant the Microsoft Graph application permission DeviceManagementConfiguration.Read.All to read Intune compliance policies, device configurations and their device statuses, then grant admin consent.',
      }),
      [Steps.POLICY_ASSIGNMENTS.id]: ASSIGNMENTS_WITHOUT(
        Steps.COMPLIANCE_POLICIES,
      ),
    },
  });
});

test('device configurations: the configuration list keeps answering 500; Fetch Intune Device Configurations and Findings fails', async () => {
  const result = await collectWith({
    match: { pathRegex: '^/v1\\.0/deviceManagement/deviceConfigurations\\?' },
    respond: ALWAYS_500,
  });
  expectOutcome(result, t.truth(), {
    failed: {
      [Steps.DEVICE_CONFIGURATIONS.id]: failure({
        path: literal(
          '/v1.0/deviceManagement/deviceConfigurations?$expand=assignments',
        ),
        status: 500,
        code: 'UnknownError',
        hint: KEPT_FAILING,
      }),
      [Steps.POLICY_ASSIGNMENTS.id]: ASSIGNMENTS_WITHOUT(
        Steps.DEVICE_CONFIGURATIONS,
      ),
    },
  });
});

test('the Intune singleton (/deviceManagement) keeps answering 500: the account is written without Intune details, every step succeeds', async () => {
  // Issue 14 §5: an optional lookup must never take the directory down.
  const result = await collectWith({
    match: { pathRegex: '^/v1\\.0/deviceManagement\\?' },
    respond: ALWAYS_500,
  });
  // getStepStartStates cannot tell whether the tenant has Intune: it warns and
  // leaves the Intune steps enabled; the account is written without the
  // enrichment and says why.
  const messages = result.logs.map((r) => r.msg);
  expect(messages).toContain(
    'Could not tell whether the tenant has Intune; the Intune steps run and report their own errors.',
  );
  expect(
    messages.filter((m) =>
      m.startsWith(
        'The account is not enriched with Intune details: reading whether the tenant has Intune (/deviceManagement) failed: ',
      ),
    ),
  ).toHaveLength(1);
  expect(
    messages.find((m) => m.startsWith('The account is not enriched')),
  ).toMatch(
    new RegExp(
      failure({
        path: literal(
          '/v1.0/deviceManagement?$select=intuneAccountId,subscriptionState',
        ),
        status: 500,
        code: 'UnknownError',
        hint: KEPT_FAILING,
      }).source.replace('^', 'failed: '),
    ),
  );
  expectOutcome(result, t.truth(), {});
  const account = result.entities.find(
    (e) => e._type === 'microsoft_365_account',
  );
  expect(account).toBeDefined();
  expect(account).not.toHaveProperty('intuneAccountId');
});

test('/organization keeps answering 500: validateInvocation fails and nothing is collected', async () => {
  const result = await collectWith({
    match: { pathRegex: '^/v1\\.0/organization$' },
    respond: ALWAYS_500,
  });
  expect(result.error?.message).toMatch(
    failure({
      path: literal('/v1.0/organization'),
      status: 500,
      code: 'UnknownError',
      hint: KEPT_FAILING,
    }),
  );
  expect(result.summary).toBeUndefined();
  expect(result.entities).toEqual([]);
});
