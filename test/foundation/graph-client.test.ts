import { createGraphClient } from '../../src/config';
import { GraphClient } from '../../src/graph/client';
import { GraphAuthorizationError, GraphApiError } from '../../src/graph/errors';
import { captureLogger, FAST_RETRIES, LogRecord } from '../support/collect';
import { startTestTenant, TestTenant } from '../support/tenant';

describe('GraphClient against the simulator', () => {
  let t: TestTenant;
  let client: GraphClient;
  let logs: LogRecord[];
  beforeAll(async () => {
    t = await startTestTenant('demo');
  });
  afterAll(() => t.close());
  beforeEach(() => {
    logs = [];
    client = createGraphClient(t.config, {
      ...FAST_RETRIES,
      logger: captureLogger(logs),
    });
    t.simulator.clearFaults();
    t.simulator.resetStats();
  });

  const users = {
    version: 'v1.0' as const,
    path: '/users',
    query: { $select: 'id,displayName', $top: 7 },
  };

  test('pages across many pages by following nextLinks verbatim', async () => {
    const ids: string[] = [];
    for await (const user of client.iterate<{ id: string }>(users))
      ids.push(user.id);
    const expected = t.tenant.users.count;
    expect(ids).toHaveLength(expected);
    expect(new Set(ids).size).toBe(expected);
    const pages = t.simulator.requests.filter((r) =>
      r.path.startsWith('/v1.0/users'),
    );
    expect(pages).toHaveLength(Math.ceil(expected / 7));
    // Every page after the first is a nextLink, with the original options once.
    for (const page of pages.slice(1)) {
      expect(page.path).toMatch(
        /^\/v1\.0\/users\?\$select=id,displayName&\$top=7&\$skiptoken=/,
      );
    }
  });

  test('retries a 429 after Retry-After, then succeeds', async () => {
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users' },
      times: 2,
      respond: {
        status: 429,
        code: 'TooManyRequests',
        message: 'Please retry again later.',
        retryAfter: 1,
      },
    });
    let count = 0;
    for await (const _ of client.iterate(users)) count++;
    expect(count).toBe(t.tenant.users.count);
    const first = t.simulator.requests.filter(
      (r) => r.path === '/v1.0/users?$select=id,displayName&$top=7',
    );
    expect(first.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(client.stats().retries.throttled).toBe(2);
    // Retry-After: 1 is honoured (not the 5 ms test backoff), and holds back the whole service.
    const retries = logs.filter(
      (r) => r.msg === 'Retrying Microsoft Graph request',
    );
    expect(retries.map((r) => [r.status, r.delayMs])).toEqual([
      [429, 1000],
      [429, 1000],
    ]);
    expect(client.stats().services.directory.throttled).toBe(2);
  });

  test('retries 500/502/503 and dropped connections with backoff', async () => {
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users' },
      times: 1,
      respond: { status: 500, code: 'UnknownError' },
    });
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users' },
      times: 1,
      respond: { status: 502 },
    });
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users' },
      times: 1,
      respond: { status: 503, retryAfter: null },
    });
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users' },
      times: 1,
      respond: { kind: 'resetConnection' },
    });
    let count = 0;
    for await (const _ of client.iterate(users)) count++;
    expect(count).toBe(t.tenant.users.count);
  });

  test('a 403 fails loudly, naming endpoint, status, code, request-id and the permission to grant', async () => {
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users' },
      respond: {
        status: 403,
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
      },
    });
    const error = await (async () => {
      for await (const _ of client.iterate(users)) {
        // never reached
      }
    })().catch((e) => e);
    expect(error).toBeInstanceOf(GraphAuthorizationError);
    expect(error.message).toMatch(
      new RegExp(
        '^Microsoft Graph GET https://localhost:\\d+/v1.0/users\\?\\$select=id,displayName&\\$top=7 failed with 403 Authorization_RequestDenied: Insufficient privileges to complete the operation. \\(request-id [0-9a-f-]{36}\\)\\. To fix it, grant the Microsoft Graph application permission User.Read.All \\(or Directory.Read.All\\) to read users, then grant admin consent\\.$',
      ),
    );
    expect(error.code).toBe('PROVIDER_AUTHORIZATION_ERROR');
    expect(error.graph).toMatchObject({
      status: 403,
      code: 'Authorization_RequestDenied',
    });
  });

  test('an expired page token restarts the walk without duplicates', async () => {
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users', pageNumber: 3 },
      times: 1,
      respond: { kind: 'expiredPageToken' },
    });
    const ids: string[] = [];
    for await (const user of client.iterate<{ id: string }>(users))
      ids.push(user.id);
    expect(ids).toHaveLength(t.tenant.users.count);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a nextLink that loops, or a page without value, is an error, not the end of the collection', async () => {
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users', pageNumber: 2 },
      respond: { kind: 'loopNextLink' },
    });
    await expect(drain(client, users)).rejects.toThrow(
      /failed with 200 NextLinkLoop\. Microsoft Graph returned a nextLink that was already followed; the walk stopped to avoid an endless loop\.$/,
    );
    t.simulator.clearFaults();
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users', pageNumber: 2 },
      respond: { kind: 'missingValue' },
    });
    await expect(drain(client, users)).rejects.toThrow(
      /failed with 200 MissingValue\. The response had no "value" collection; the collection was not read to the end\.$/,
    );
  });

  test('repeated pages are de-duplicated', async () => {
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users', pageNumber: 1 },
      times: 1,
      respond: { kind: 'duplicatePage' },
    });
    const ids: string[] = [];
    for await (const user of client.iterate<{ id: string }>(users))
      ids.push(user.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(t.tenant.users.count);
  });

  test('persistent 500s fail after a bounded number of retries, naming everything', async () => {
    t.simulator.addFault({
      match: { pathIncludes: '/v1.0/users' },
      respond: { status: 500, code: 'UnknownError', message: 'boom' },
    });
    const error = await drain(client, users).catch((e) => e);
    expect(error).toBeInstanceOf(GraphApiError);
    expect(error.message).toMatch(
      /failed with 500 UnknownError: boom \(request-id [0-9a-f-]{36}\)\. Microsoft Graph kept failing after retries/,
    );
    // 1 attempt + maxTransientRetries (5)
    expect(
      t.simulator.requests.filter((r) => r.path.startsWith('/v1.0/users')),
    ).toHaveLength(6);
  });
});

async function drain(
  client: GraphClient,
  request: Parameters<GraphClient['iterate']>[0],
) {
  let n = 0;
  for await (const _ of client.iterate(request)) n++;
  return n;
}
