/**
 * Throttling (graph-api.md §6) and fault injection, including the real Graph
 * client's RetryHandler honouring Retry-After.
 */
import { graphError, startTestSimulator, TestSimulator } from './test-helpers';

describe('throttling', () => {
  let t: TestSimulator;
  beforeEach(async () => {
    t = await startTestSimulator({ tenant: { users: 20 } });
  });
  afterEach(() => t.close());

  test('directory: resource units per window, 429 with Retry-After and throttle headers', async () => {
    // Small tenant, 10 RU per window; GET /users costs 2.
    t.sim.setBehaviour({
      throttling: {
        // A long window: no refill worth counting while the test runs, however slow the machine.
        directory: { small: 10, medium: 10, large: 10, windowSeconds: 600 },
      },
    });
    const statuses: number[] = [];
    let last: Response | undefined;
    let nearLimit: string | null = null;
    for (let i = 0; i < 6; i++) {
      last = await t.get('/v1.0/users');
      statuses.push(last.status);
      if (last.status === 200)
        nearLimit = last.headers.get('x-ms-throttle-limit-percentage');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(nearLimit).toBe('1.0');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last!.headers.get('x-ms-throttle-scope')).toBe(
      `Tenant_Application/Read/${t.clientId}/${t.tenant.tenantId}`,
    );
    expect(last!.headers.get('x-ms-throttle-information')).toBe(
      'ResourceUnitLimitExceeded',
    );
    const error = await graphError(last!);
    expect(error).toMatchObject({
      code: 'TooManyRequests',
      message: 'Please retry again later.',
    });
    expect(error.innerError).toMatchObject({
      code: '429',
      message: 'Please retry after',
      status: '429',
    });

    // Usage keeps counting: hammering pushes Retry-After up.
    const again = await t.get('/v1.0/users');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(
      Number(last!.headers.get('retry-after')),
    );
    expect(t.sim.stats().services.directory.throttled).toBe(2);
  });

  test('Intune: requests per window, no directory headers', async () => {
    t.sim.setBehaviour({
      throttling: { intuneDevices: { limit: 3, windowSeconds: 600 } },
    });
    const responses = [];
    for (let i = 0; i < 4; i++)
      responses.push(await t.get('/beta/deviceManagement/managedDevices'));
    expect(responses.map((response) => response.status)).toEqual([
      200, 200, 200, 429,
    ]);
    expect(responses[3].headers.get('retry-after')).toBeTruthy();
    expect(responses[3].headers.get('x-ms-throttle-scope')).toBeNull();
    expect(responses[0].headers.get('x-ms-resource-unit')).toBeNull();
    // Other services have their own buckets.
    expect(
      (await t.get('/v1.0/deviceManagement/deviceCompliancePolicies')).status,
    ).toBe(200);
  });

  test('graph-client RetryHandler waits Retry-After and succeeds with the same client-request-id', async () => {
    t.sim.setBehaviour({
      // One request per 3 s: the second call is throttled and its retry (after Retry-After) served.
      throttling: { intuneConfiguration: { limit: 1, windowSeconds: 3 } },
    });
    const client = t.client();
    await client.api('/deviceManagement/deviceCompliancePolicies').get();
    const body = await client
      .api('/deviceManagement/deviceCompliancePolicies')
      .get();
    expect(body.value).toHaveLength(1);
    const calls = t.sim.requests.filter(
      (record) =>
        record.endpoint === 'GET /deviceManagement/deviceCompliancePolicies',
    );
    expect(calls.map((record) => record.status)).toEqual(
      expect.arrayContaining([429, 200]),
    );
    const retried = calls.find((record) => record.retryAttempt === '1');
    expect(retried).toBeDefined();
    const throttled = calls.find((record) => record.status === 429);
    expect(retried!.clientRequestId).toBe(throttled!.clientRequestId);
  });
});

describe('fault injection', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator({ tenant: { users: 250 } });
  });
  afterAll(() => t.close());
  afterEach(() => t.sim.clearFaults());

  test('error responses: status, code, message, Retry-After, times', async () => {
    t.sim.addFault({
      match: { pathIncludes: '/users' },
      respond: {
        status: 503,
        code: 'serviceNotAvailable',
        message: 'down',
        retryAfter: 2,
      },
      times: 2,
    });
    const first = await t.get('/v1.0/users');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(await graphError(first)).toMatchObject({
      code: 'serviceNotAvailable',
      message: 'down',
    });
    expect((await t.get('/v1.0/users')).status).toBe(503);
    expect((await t.get('/v1.0/users')).status).toBe(200);

    t.sim.addFault({
      match: { service: 'intuneDevices' },
      respond: { status: 429 },
    });
    const throttled = await t.get('/beta/deviceManagement/managedDevices');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect((await graphError(throttled)).code).toBe('TooManyRequests');
    t.sim.clearFaults();
    t.sim.addFault({
      match: { service: 'intuneDevices' },
      respond: { status: 429, retryAfter: null },
    });
    expect(
      (await t.get('/beta/deviceManagement/managedDevices')).headers.get(
        'retry-after',
      ),
    ).toBeNull();
    expect(t.sim.stats().services.intuneDevices.injectedFaults).toBe(2);
  });

  test('matching on method, tenant, page number and nextLinks only', async () => {
    t.sim.addFault({
      match: { method: 'POST', service: 'intuneApps' },
      respond: { status: 500 },
    });
    t.sim.addFault({
      match: { tenantId: 'someone-else' },
      respond: { status: 500 },
    });
    t.sim.addFault({
      match: { pathIncludes: '/v1.0/users', pageNumber: 2 },
      respond: { status: 502 },
    });
    const first = await (await t.get('/v1.0/users')).json();
    expect(first.value).toHaveLength(100);
    const second = await fetch(first['@odata.nextLink'], {
      headers: { authorization: `Bearer ${await t.token()}` },
    });
    expect(second.status).toBe(502);
    t.sim.clearFaults();
    t.sim.addFault({
      match: { onlyNextLinks: true },
      respond: { status: 500 },
    });
    expect((await t.get('/v1.0/groups')).status).toBe(200);
  });

  test('probability is seeded: the same rule fires the same way twice', async () => {
    const run = async () => {
      const id = t.sim.addFault({
        id: 'coin',
        match: { pathIncludes: '/organization' },
        probability: 0.5,
        seed: 42,
        respond: { status: 500 },
      });
      const statuses = [];
      for (let i = 0; i < 12; i++)
        statuses.push((await t.get('/v1.0/organization')).status);
      t.sim.removeFault(id);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  test('stall: held without an answer; with ms, answered late', async () => {
    t.sim.addFault({
      match: { pathIncludes: '/groups' },
      respond: { kind: 'stall' },
      times: 1,
    });
    const stalled = await fetch(`${t.sim.origin}/v1.0/groups`, {
      headers: { authorization: `Bearer ${await t.token()}` },
      signal: AbortSignal.timeout(300),
    }).catch((error: Error) => error);
    // A DOMException from another realm: check its name, not its class.
    expect((stalled as Error).name).toBe('TimeoutError');
    t.sim.addFault({
      match: { pathIncludes: '/groups' },
      respond: { kind: 'stall', ms: 50 },
      times: 1,
    });
    expect((await t.get('/v1.0/groups')).status).toBe(200);
  });

  test('resetConnection drops the socket', async () => {
    // Unlimited: undici retries a GET once when a reused connection drops.
    const id = t.sim.addFault({
      match: { pathIncludes: '/groups' },
      respond: { kind: 'resetConnection' },
    });
    const failure = await t.get('/v1.0/groups').catch((error: Error) => error);
    expect((failure as Error).message).toBe('fetch failed');
    t.sim.removeFault(id);
    expect((await t.get('/v1.0/groups')).status).toBe(200);
    expect(
      t.sim.requests.some(
        (record) => record.fault === 'resetConnection' && record.status === 0,
      ),
    ).toBe(true);
  });

  test('invalidJson and missingValue break the body, not the status', async () => {
    t.sim.addFault({
      match: { pathIncludes: '/groups' },
      respond: { kind: 'invalidJson' },
      times: 1,
    });
    const broken = await t.get('/v1.0/groups');
    expect(broken.status).toBe(200);
    expect(broken.headers.get('content-type')).toContain('application/json');
    const text = await broken.text();
    expect(() => JSON.parse(text)).toThrow();

    t.sim.addFault({
      match: { pathIncludes: '/groups' },
      respond: { kind: 'missingValue' },
      times: 1,
    });
    const missing = await (await t.get('/v1.0/groups')).json();
    expect(missing['@odata.context']).toBeDefined();
    expect(missing).not.toHaveProperty('value');
  });

  test('loopNextLink, duplicatePage and expiredPageToken', async () => {
    t.sim.addFault({
      match: { pathIncludes: '/users' },
      respond: { kind: 'loopNextLink' },
      times: 1,
    });
    const looping = await (await t.get('/v1.0/users?$top=10')).json();
    expect(looping['@odata.nextLink']).toBe(
      `${t.sim.origin}/v1.0/users?$top=10`,
    );

    t.sim.addFault({
      match: { pathIncludes: '/users' },
      respond: { kind: 'duplicatePage' },
      times: 1,
    });
    const client = t.client();
    const first = await client.api('/users').top(10).get();
    const second = await client.api(first['@odata.nextLink']).get();
    expect(second.value).toEqual(first.value);
    const third = await client.api(second['@odata.nextLink']).get();
    expect(third.value[0].displayName).toBe('User 10');
    expect(second['@odata.nextLink']).not.toBe(first['@odata.nextLink']);

    t.sim.addFault({
      match: { pathIncludes: '/users' },
      respond: { kind: 'expiredPageToken' },
      times: 1,
    });
    const page = await (await t.get('/v1.0/users?$top=10')).json(); // first pages are never "expired"
    const expired = await fetch(page['@odata.nextLink'], {
      headers: { authorization: `Bearer ${await t.token()}` },
    });
    expect(expired.status).toBe(400);
    expect(await graphError(expired)).toMatchObject({
      code: 'Directory_ExpiredPageToken',
      message:
        'The specified page token value has expired and can no longer be included in your request.',
    });
  });

  test('token endpoint faults answer in the Entra format', async () => {
    t.sim.addFault({
      match: { service: 'identity', pathIncludes: '/oauth2/' },
      respond: { status: 503 },
      times: 1,
    });
    const response = await fetch(
      `${t.sim.origin}/${t.tenant.tenantId}/oauth2/v2.0/token`,
      { method: 'POST', body: '' },
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      error: 'temporarily_unavailable',
    });
  });

  test('random faults are seeded and spare the token endpoint', async () => {
    const run = async () => {
      t.sim.setBehaviour({ random: { rate429: 0.3, rate503: 0.2, seed: 9 } });
      const statuses = [];
      for (let i = 0; i < 20; i++)
        statuses.push((await t.get('/v1.0/organization')).status);
      t.sim.setBehaviour({ random: undefined });
      return statuses;
    };
    t.sim.resetStats();
    const first = await run();
    expect(first).toEqual(expect.arrayContaining([200, 429, 503]));
    expect(await run()).toEqual(first);
    expect(t.sim.stats().services.identity.injectedFaults).toBe(0);
    expect(t.sim.stats().services.directory.injectedFaults).toBe(
      2 * first.filter((status) => status !== 200).length,
    );
  });
});
