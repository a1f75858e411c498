/**
 * Graph endpoints through the real Graph client (and raw fetch where the
 * client hides the wire): envelopes, paging, query options, permissions,
 * v1.0 vs beta, and tenants without Intune.
 */
import { FAKE_IDS } from './fake-tenant';
import {
  graphError,
  rejectionOf,
  startTestSimulator,
  TestSimulator,
} from './test-helpers';

const ODATA_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

describe('directory endpoints', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator({ tenant: { users: 2500, groups: 3 } });
  });
  afterAll(() => t.close());

  test('GET /users pages with absolute nextLinks on the simulator origin', async () => {
    const client = t.client();
    let page = await client.api('/users').top(999).get();
    const seen: string[] = [];
    const pageSizes: number[] = [];
    for (;;) {
      seen.push(...page.value.map((user: { id: string }) => user.id));
      pageSizes.push(page.value.length);
      const next: string | undefined = page['@odata.nextLink'];
      if (!next) break;
      expect(next.startsWith(`${t.sim.origin}/v1.0/users?`)).toBe(true);
      expect(next).toContain('$top=999');
      page = await client.api(next).get();
    }
    expect(pageSizes).toEqual([999, 999, 502]);
    expect(new Set(seen).size).toBe(2500);
  });

  test('GET /users envelope, headers and default property set (id last)', async () => {
    const response = await t.get('/v1.0/users', {
      'client-request-id': 'req-1',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(ODATA_JSON);
    expect(response.headers.get('client-request-id')).toBe('req-1');
    expect(response.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('odata-version')).toBe('4.0');
    expect(response.headers.get('x-ms-resource-unit')).toBe('2');
    expect(
      JSON.parse(response.headers.get('x-ms-ags-diagnostic')!),
    ).toHaveProperty('ServerInfo');
    const body = await response.json();
    expect(Object.keys(body)).toEqual([
      '@odata.context',
      '@odata.nextLink',
      'value',
    ]);
    expect(body['@odata.context']).toBe(`${t.sim.origin}/v1.0/$metadata#users`);
    expect(body.value).toHaveLength(100);
    expect(Object.keys(body.value[0])).toEqual([
      'businessPhones',
      'displayName',
      'givenName',
      'jobTitle',
      'mail',
      'mobilePhone',
      'officeLocation',
      'preferredLanguage',
      'surname',
      'userPrincipalName',
      'id',
    ]);
  });

  test('$select: id plus the selected properties, %24 keys, duplicates tolerated', async () => {
    const body = await (
      await t.get(
        '/v1.0/users?%24select=displayName,accountEnabled,displayName&%24top=2',
      )
    ).json();
    expect(body['@odata.context']).toBe(
      `${t.sim.origin}/v1.0/$metadata#users(displayName,accountEnabled)`,
    );
    expect(body.value[0]).toEqual({
      displayName: 'User 0',
      accountEnabled: false,
      id: expect.any(String),
    });

    // graph-client re-appends $select on nextLinks; the next page must still work.
    const client = t.client();
    const first = await client
      .api('/users')
      .select('id,displayName')
      .top(999)
      .get();
    const second = await client
      .api(first['@odata.nextLink'])
      .select('id,displayName')
      .get();
    expect(second.value[0]).toEqual({
      id: expect.any(String),
      displayName: 'User 999',
    });
  });

  test('$select of an unknown property is a 400', async () => {
    const error = await rejectionOf(
      t.client().api('/users').select('id,nope').get(),
    );
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('BadRequest');
    expect(error.message).toBe(
      "Parsing OData Select and Expand failed: Could not find a property named 'nope' on type 'microsoft.graph.user'.",
    );
  });

  test('$top is 1..999 on directory collections', async () => {
    const error = await rejectionOf(t.client().api('/users').top(1000).get());
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_UnsupportedQuery');
    expect(error.message).toBe(
      "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
    );
    expect((await t.get('/v1.0/groups?$top=0')).status).toBe(400);
    const small = await (await t.get('/v1.0/users?$top=5')).json();
    expect(small.value).toHaveLength(5);
  });

  test('signInActivity pages are at most signInActivityPageSize', async () => {
    const body = await t
      .client()
      .api('/users')
      .select('id,signInActivity')
      .top(999)
      .get();
    expect(body.value).toHaveLength(120);
    expect(body.value[0].signInActivity).toHaveProperty('lastSignInDateTime');
    t.sim.setBehaviour({ signInActivityPageSize: 50 });
    const smaller = await t
      .client()
      .api('/users')
      .select('id,signInActivity')
      .top(999)
      .get();
    t.sim.setBehaviour({ signInActivityPageSize: 120 });
    expect(smaller.value).toHaveLength(50);
  });

  test('GET /groups default set and /organization', async () => {
    const groups = await (await t.get('/v1.0/groups')).json();
    expect(groups.value[0]).toMatchObject({
      id: expect.any(String),
      displayName: 'Group 0',
      securityEnabled: true,
    });
    expect(Object.keys(groups.value[0])[0]).toBe('id');
    const response = await t.get('/v1.0/organization');
    expect(response.headers.get('x-ms-resource-unit')).toBe('1');
    const organization = await response.json();
    expect(organization['@odata.context']).toBe(
      `${t.sim.origin}/v1.0/$metadata#organization`,
    );
    expect(organization.value).toHaveLength(1);
    expect(organization.value[0]).not.toHaveProperty(
      'mobileDeviceManagementAuthority',
    );
  });

  test('/organization/{id}?$select=mobileDeviceManagementAuthority is an $entity without id', async () => {
    const response = await t.get(
      `/v1.0/organization/${t.tenant.tenantId}?%24select=mobileDeviceManagementAuthority`,
    );
    expect(response.headers.get('x-ms-resource-unit')).toBeNull();
    expect(await response.json()).toEqual({
      '@odata.context': `${t.sim.origin}/v1.0/$metadata#organization(mobileDeviceManagementAuthority)/$entity`,
      mobileDeviceManagementAuthority: 'intune',
    });
    expect(
      (await t.get('/v1.0/organization/00000000-0000-0000-0000-000000000000'))
        .status,
    ).toBe(404);
  });

  test('group members: every type on beta, no service principals on v1.0', async () => {
    const client = t.client();
    const beta = await client
      .api(`/groups/${FAKE_IDS.groupWithEveryMemberType}/members`)
      .version('beta')
      .get();
    const types = beta.value.map(
      (member: Record<string, string>) => member['@odata.type'],
    );
    expect(types).toEqual(
      expect.arrayContaining([
        '#microsoft.graph.user',
        '#microsoft.graph.group',
        '#microsoft.graph.device',
        '#microsoft.graph.servicePrincipal',
        '#microsoft.graph.orgContact',
        '#microsoft.graph.directoryObject',
      ]),
    );
    expect(beta['@odata.context']).toBe(
      `${t.sim.origin}/beta/$metadata#directoryObjects`,
    );
    const v1 = await client
      .api(`/groups/${FAKE_IDS.groupWithEveryMemberType}/members`)
      .get();
    expect(
      v1.value.map((member: Record<string, string>) => member['@odata.type']),
    ).not.toContain('#microsoft.graph.servicePrincipal');
    expect(v1.value).toHaveLength(beta.value.length - 1);
    // A user deleted between calls still appears as a member.
    expect(v1.value.map((member: { id: string }) => member.id)).toContain(
      FAKE_IDS.ghostUser,
    );
    const user = v1.value[0];
    expect(Object.keys(user).slice(0, 3)).toEqual([
      '@odata.type',
      'id',
      'businessPhones',
    ]);

    const response = await t.get(
      `/v1.0/groups/${FAKE_IDS.groupWithEveryMemberType}/members?$select=id,displayName`,
    );
    expect(response.headers.get('x-ms-resource-unit')).toBe('2');
    const selected = await response.json();
    expect(selected['@odata.context']).toBe(
      `${t.sim.origin}/v1.0/$metadata#directoryObjects(id,displayName)`,
    );
    expect(Object.keys(selected.value[0])).toEqual([
      '@odata.type',
      'id',
      'displayName',
    ]);
  });

  test('group members page through large groups; unknown group is 404', async () => {
    const client = t.client();
    let page = await client
      .api(`/groups/${FAKE_IDS.groupOfAllUsers}/members`)
      .top(999)
      .get();
    let count = page.value.length;
    while (page['@odata.nextLink']) {
      page = await client.api(page['@odata.nextLink']).get();
      count += page.value.length;
    }
    expect(count).toBe(2500);
    const missing = await t.get(
      '/v1.0/groups/00000000-0000-4000-8000-000000000000/members',
    );
    expect(missing.status).toBe(404);
    expect((await graphError(missing)).code).toBe('Request_ResourceNotFound');
  });

  test('unknown segments and unsupported $filter are 400s', async () => {
    const unknown = await t.get('/v1.0/nothingHere');
    expect(unknown.status).toBe(400);
    expect((await graphError(unknown)).message).toBe(
      "Resource not found for the segment 'nothingHere'.",
    );
    const filter = await t.get("/v1.0/users?$filter=displayName%20eq%20'x'");
    expect(filter.status).toBe(400);
    expect((await graphError(filter)).code).toBe('Request_UnsupportedQuery');
    // graph-client 3 puts a relative /beta path under /v1.0, which real Graph refuses.
    const error = await rejectionOf(t.client().api('/beta/users').get());
    expect(error.message).toBe("Resource not found for the segment 'beta'.");
  });
});

describe('permissions', () => {
  test('directory 403 and limited member objects', async () => {
    const t = await startTestSimulator({ roles: ['GroupMember.Read.All'] });
    try {
      const users = await t.get('/v1.0/users');
      expect(users.status).toBe(403);
      expect(users.headers.get('content-type')).toBe('application/json');
      const error = await graphError(users);
      expect(error).toMatchObject({
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
      });
      expect(Object.keys(error.innerError)).toEqual([
        'date',
        'request-id',
        'client-request-id',
      ]);
      expect(error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

      // GroupMember.Read.All reads groups in full, other member types come back as type + id.
      const members = await (
        await t.get(
          `/beta/groups/${FAKE_IDS.groupWithEveryMemberType}/members?$select=id,displayName`,
        )
      ).json();
      const byType = Object.fromEntries(
        members.value.map((member: Record<string, unknown>) => [
          member['@odata.type'],
          member,
        ]),
      );
      expect(byType['#microsoft.graph.group'].displayName).toBe('Group 1');
      expect(byType['#microsoft.graph.user']).toEqual({
        '@odata.type': '#microsoft.graph.user',
        id: expect.any(String),
        displayName: null,
      });
      expect(byType['#microsoft.graph.device'].displayName).toBeNull();
      const plain = await (
        await t.get(`/beta/groups/${FAKE_IDS.groupWithEveryMemberType}/members`)
      ).json();
      expect(Object.keys(plain.value[0])).toEqual(['@odata.type', 'id']);
    } finally {
      await t.close();
    }
  });

  test('Intune 403 carries the JSON-string message naming the scopes', async () => {
    const t = await startTestSimulator({ roles: ['Directory.Read.All'] });
    try {
      const response = await t.get('/beta/deviceManagement/managedDevices');
      expect(response.status).toBe(403);
      const error = await graphError(response);
      expect(error.code).toBe('Forbidden');
      const inner = JSON.parse(error.message);
      expect(inner._version).toBe(3);
      expect(inner.Message).toContain(
        'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementManagedDevices.Read.All, DeviceManagementManagedDevices.ReadWrite.All',
      );
      expect(error.message).toContain('\r\n');
    } finally {
      await t.close();
    }
  });

  test('signInActivity needs AuditLog.Read.All, then a premium tenant', async () => {
    const noAudit = await startTestSimulator({ roles: ['User.Read.All'] });
    try {
      const error = await graphError(
        await noAudit.get('/v1.0/users?$select=id,signInActivity'),
      );
      expect(error).toMatchObject({
        code: 'Authentication_MSGraphPermissionMissing',
        message:
          'Calling principal does not have required MSGraph permissions AuditLog.Read.All',
      });
    } finally {
      await noAudit.close();
    }
    const free = await startTestSimulator({ tenant: { premium: false } });
    try {
      const response = await free.get(
        '/v1.0/users?$top=1&$select=id,signInActivity',
      );
      expect(response.status).toBe(403);
      expect(await graphError(response)).toMatchObject({
        code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        message: "Tenant is not a B2C tenant and doesn't have premium license",
      });
      free.sim.setBehaviour({ licenceErrorWording: 'old' });
      expect(
        (await graphError(await free.get('/v1.0/users?$select=signInActivity')))
          .message,
      ).toBe("Neither tenant is B2C or tenant doesn't have premium license");
      expect(
        (await free.get('/v1.0/users?$select=id,displayName')).status,
      ).toBe(200);
    } finally {
      await free.close();
    }
  });
});

describe('Intune endpoints', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator();
  });
  afterAll(() => t.close());

  test('deviceManagement singleton and subscriptionState', async () => {
    expect(
      await (
        await t.get(
          '/v1.0/deviceManagement?$select=intuneAccountId,subscriptionState',
        )
      ).json(),
    ).toEqual({
      '@odata.context': `${t.sim.origin}/v1.0/$metadata#deviceManagement(intuneAccountId,subscriptionState)`,
      intuneAccountId: t.tenant.intune!.intuneAccountId,
      subscriptionState: 'active',
    });
    expect(
      await (await t.get('/beta/deviceManagement/subscriptionState')).json(),
    ).toEqual({
      '@odata.context': `${t.sim.origin}/beta/$metadata#deviceManagement/subscriptionState`,
      value: 'active',
    });
  });

  test('managedDevices: beta has device-kind fields and @odata.count, v1.0 does not', async () => {
    const client = t.client();
    const beta = await client
      .api('/deviceManagement/managedDevices')
      .version('beta')
      .get();
    expect(beta['@odata.count']).toBe(4);
    expect(beta.value[0]).toMatchObject({
      deviceType: 'iPhone',
      chassisType: 'unknown',
    });
    expect(beta.value[0]).toHaveProperty('usersLoggedOn');
    const v1 = await client.api('/deviceManagement/managedDevices').get();
    expect(v1).not.toHaveProperty('@odata.count');
    for (const property of [
      'deviceType',
      'chassisType',
      'hardwareInformation',
      'joinType',
      'skuFamily',
      'usersLoggedOn',
      'ownerType',
      'managementState',
    ]) {
      expect(v1.value[0]).not.toHaveProperty(property);
    }
    expect(v1.value[0]).toMatchObject({
      operatingSystem: 'iOS',
      model: 'iPhone 11 Pro',
    });
    const error = await rejectionOf(
      client
        .api('/deviceManagement/managedDevices')
        .select('id,deviceType')
        .get(),
    );
    expect(error.message).toContain(
      "Could not find a property named 'deviceType' on type 'microsoft.graph.managedDevice'",
    );
  });

  test('Intune pages hold intunePageSize items', async () => {
    t.sim.setBehaviour({ intunePageSize: 3 });
    try {
      const client = t.client();
      const first = await client
        .api('/deviceManagement/managedDevices')
        .version('beta')
        .get();
      expect(first.value).toHaveLength(3);
      const second = await client.api(first['@odata.nextLink']).get();
      expect(second.value).toHaveLength(1);
      expect(second['@odata.nextLink']).toBeUndefined();
    } finally {
      t.sim.setBehaviour({ intunePageSize: 1000 });
    }
  });

  test('managedDevices/{id}?$expand=detectedApps on beta (lower-case segment accepted), 400 on v1.0', async () => {
    const response = await t.get(
      `/beta/deviceManagement/manageddevices/${FAKE_IDS.firstManagedDevice}?%24expand=detectedApps`,
    );
    const device = await response.json();
    expect(device['@odata.context']).toBe(
      `${t.sim.origin}/beta/$metadata#deviceManagement/managedDevices(detectedApps())/$entity`,
    );
    expect(device.detectedApps).toHaveLength(2);
    expect(device.id).toBe(FAKE_IDS.firstManagedDevice);
    const v1 = await t.get(
      `/v1.0/deviceManagement/managedDevices/${FAKE_IDS.firstManagedDevice}?$expand=detectedApps`,
    );
    expect(v1.status).toBe(400);
  });

  test('detectedApps and their managedDevices', async () => {
    const apps = await (
      await t.get('/v1.0/deviceManagement/detectedApps')
    ).json();
    expect(apps.value).toHaveLength(6);
    const devices = await (
      await t.get(
        `/v1.0/deviceManagement/detectedApps/${FAKE_IDS.firstDetectedApp}/managedDevices`,
      )
    ).json();
    expect(devices['@odata.context']).toBe(
      `${t.sim.origin}/v1.0/$metadata#deviceManagement/detectedApps('${FAKE_IDS.firstDetectedApp}')/managedDevices`,
    );
    expect(
      devices.value.map((device: { id: string }) => device.id),
    ).toHaveLength(2);
  });

  test("mobileApps applies the anchor's $filter with OData cast semantics", async () => {
    const filter =
      "(isAssigned eq true or microsoft.graph.managedApp/appAvailability eq 'lineOfBusiness' or microsoft.graph.managedApp/appAvailability eq null)";
    const filtered = await t
      .client()
      .api('/deviceAppManagement/mobileApps')
      .version('beta')
      .filter(filter)
      .get();
    const names = filtered.value.map(
      (app: { displayName: string }) => app.displayName,
    );
    // Everything except the unassigned managed store app (whose availability is 'global').
    expect(names).toEqual(['Lob App', 'Web App', 'Managed LOB', 'Store App']);
    expect(filtered['@odata.count']).toBe(0); // as captured: not to be trusted
    const all = await t
      .client()
      .api('/deviceAppManagement/mobileApps')
      .version('beta')
      .get();
    expect(all.value).toHaveLength(5);
    const bad = await t.get(
      '/beta/deviceAppManagement/mobileApps?$filter=nothing%20eq%201',
    );
    expect(bad.status).toBe(400);
  });

  test('policies and their deviceStatuses', async () => {
    const policies = await (
      await t.get('/v1.0/deviceManagement/deviceCompliancePolicies')
    ).json();
    expect(policies.value[0]['@odata.type']).toBe(
      '#microsoft.graph.iosCompliancePolicy',
    );
    const beta = await (
      await t.get(
        `/beta/deviceManagement/deviceCompliancePolicies/${FAKE_IDS.compliancePolicy}/deviceStatuses`,
      )
    ).json();
    expect(beta['@odata.context']).toBe(
      `${t.sim.origin}/beta/$metadata#deviceManagement/deviceCompliancePolicies('${FAKE_IDS.compliancePolicy}')/deviceStatuses`,
    );
    expect(beta['@odata.count']).toBe(4);
    expect(beta.value[0]).toHaveProperty('platform');
    const v1 = await (
      await t.get(
        `/v1.0/deviceManagement/deviceConfigurations/${FAKE_IDS.deviceConfiguration}/deviceStatuses`,
      )
    ).json();
    expect(v1['@odata.count']).toBe(4);
    expect(v1.value[0]).not.toHaveProperty('platform');
    expect(v1.value[0].id).toBe(
      `${t.tenant.intune!.intuneAccountId}_${FAKE_IDS.deviceConfiguration}_${
        FAKE_IDS.firstManagedDevice
      }`,
    );
    expect(
      (
        await t.get(
          '/v1.0/deviceManagement/deviceConfigurations/nope/deviceStatuses',
        )
      ).status,
    ).toBe(404);
  });
});

describe('tenant without Intune', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator({ tenant: { intune: false } });
  });
  afterAll(() => t.close());

  test.each([
    '/v1.0/deviceManagement?$select=intuneAccountId',
    '/beta/deviceManagement/subscriptionState',
    '/beta/deviceManagement/managedDevices',
    '/v1.0/deviceManagement/detectedApps',
    '/beta/deviceAppManagement/mobileApps',
    '/v1.0/deviceManagement/deviceCompliancePolicies',
    '/v1.0/deviceManagement/deviceConfigurations',
    '/v1.0/organization/a76fc728-0cba-45f0-a9eb-d45207e14513?$select=mobileDeviceManagementAuthority',
  ])(
    '%s answers 400 "Request not applicable to target tenant."',
    async (path) => {
      const response = await t.get(path);
      expect(response.status).toBe(400);
      expect(await graphError(response)).toMatchObject({
        code: 'BadRequest',
        message: 'Request not applicable to target tenant.',
      });
    },
  );

  test('the report action too, and directory endpoints still work', async () => {
    const response = await fetch(
      `${t.sim.origin}/beta/deviceManagement/reports/getDeviceInstallStatusReport`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await t.token()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ filter: "(ApplicationId eq 'x')" }),
      },
    );
    expect(response.status).toBe(400);
    expect((await t.get('/v1.0/organization')).status).toBe(200);
  });
});

describe('request log', () => {
  test('recordRequests: false keeps statistics but no log', async () => {
    const t = await startTestSimulator({
      simulator: { recordRequests: false },
    });
    try {
      expect((await t.get('/v1.0/organization')).status).toBe(200);
      expect(t.sim.requests).toHaveLength(0);
      expect(t.sim.stats().services.directory.requests).toBe(1);
      expect(t.sim.stats().endpoints['GET /organization']).toMatchObject({
        requests: 1,
        itemsServed: 1,
        resourceUnits: 1,
      });
    } finally {
      await t.close();
    }
  });

  test('with latency configured, concurrent requests are all answered', async () => {
    const t = await startTestSimulator({
      simulator: { behaviour: { latency: { baseMs: 30, perItemMs: 1 } } },
    });
    try {
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => t.get('/v1.0/users')),
      );
      expect(responses.map((response) => response.status)).toEqual([
        200, 200, 200, 200, 200,
      ]);
      t.sim.setBehaviour({ latency: { baseMs: 0, perItemMs: 0 } });
      expect((await t.get('/v1.0/users')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
