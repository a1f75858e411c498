/**
 * $batch (graph-api.md §7) and the getDeviceInstallStatusReport action
 * (intune-exports.md §3.6), through the real Graph client where it can.
 */
import {
  BatchRequestContent,
  BatchResponseContent,
} from '@microsoft/microsoft-graph-client';
import { FAKE_IDS } from './fake-tenant';
import { graphError, startTestSimulator, TestSimulator } from './test-helpers';

describe('$batch', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator({ tenant: { users: 150 } });
  });
  afterAll(() => t.close());
  beforeEach(() => t.sim.resetStats());

  async function postBatch(version: string, body: unknown): Promise<Response> {
    return fetch(`${t.sim.origin}/${version}/$batch`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await t.token()}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  }

  test('items are answered individually with absolute nextLinks and counted in their own service', async () => {
    const response = await postBatch('v1.0', {
      requests: [
        { id: '1', method: 'GET', url: '/users?$top=100' },
        { id: '2', method: 'GET', url: 'organization' },
        { id: '3', method: 'GET', url: '/deviceManagement/detectedApps' },
        { id: '4', method: 'GET', url: '/nothingHere' },
      ],
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    const byId = Object.fromEntries(
      body.responses.map((item: { id: string }) => [item.id, item]),
    );
    expect(Object.keys(byId).sort()).toEqual(['1', '2', '3', '4']);
    expect(byId['1'].status).toBe(200);
    expect(byId['1'].headers).toMatchObject({
      'Content-Type': expect.stringContaining('application/json'),
      'x-ms-resource-unit': '2',
    });
    expect(byId['1'].body['@odata.context']).toBe(
      `${t.sim.origin}/v1.0/$metadata#users`,
    );
    expect(byId['1'].body['@odata.nextLink']).toMatch(
      new RegExp(`^${t.sim.origin}/v1.0/users\\?\\$top=100&\\$skiptoken=`),
    );
    expect(byId['2'].body.value).toHaveLength(1);
    expect(byId['3'].body.value).toHaveLength(6);
    expect(byId['4'].status).toBe(400);

    const stats = t.sim.stats();
    expect(stats.services.batch.requests).toBe(1);
    expect(stats.services.directory.requests).toBe(2);
    expect(stats.services.intuneDevices.requests).toBe(1);
    expect(stats.endpoints['POST /$batch'].requests).toBe(1);
    expect(stats.endpoints['GET /users'].itemsServed).toBe(100);
    expect(stats.totals).toMatchObject({ httpRequests: 2, batchItems: 4 });
    expect(t.sim.requests.filter((record) => record.batchItem)).toHaveLength(4);
  });

  test("graph-client 3.0.7's /v1.0 step URLs get Graph's per-item 400; version-less URLs work", async () => {
    const content = new BatchRequestContent([
      { id: 'withVersion', request: new Request(`${t.sim.origin}/v1.0/users`) },
      {
        id: 'withoutVersion',
        request: new Request(`${t.sim.origin}/users?$top=1`),
      },
    ]);
    const raw = await t
      .client()
      .api('/$batch')
      .post(await content.getContent());
    const responses = new BatchResponseContent(raw);
    const bad = responses.getResponseById('withVersion');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toBe(
      "Resource not found for the segment 'v1.0'.",
    );
    const good = responses.getResponseById('withoutVersion');
    expect(good.status).toBe(200);
    expect((await good.json()).value).toHaveLength(1);
  });

  test('more than 20 items, duplicate ids and malformed bodies fail the whole batch', async () => {
    const many = Array.from({ length: 21 }, (_, index) => ({
      id: String(index),
      method: 'GET',
      url: '/organization',
    }));
    const tooMany = await postBatch('v1.0', { requests: many });
    expect(tooMany.status).toBe(400);
    expect((await graphError(tooMany)).code).toBe('BadRequest');
    const duplicate = await postBatch('v1.0', {
      requests: [
        { id: 'a', method: 'GET', url: '/users' },
        { id: 'A', method: 'GET', url: '/groups' },
      ],
    });
    expect(duplicate.status).toBe(400);
    expect((await postBatch('beta', { requests: [] })).status).toBe(400);
    expect((await postBatch('beta', { nope: true })).status).toBe(400);
  });

  test('dependsOn: dependents of a failed item get 424', async () => {
    const body = await (
      await postBatch('v1.0', {
        requests: [
          {
            id: '1',
            method: 'GET',
            url: '/groups/00000000-0000-4000-8000-000000000000/members',
          },
          { id: '2', method: 'GET', url: '/users', dependsOn: ['1'] },
          { id: '3', method: 'GET', url: '/groups' },
          { id: '4', method: 'GET', url: '/users?$top=1', dependsOn: ['3'] },
        ],
      })
    ).json();
    const statuses = Object.fromEntries(
      body.responses.map((item: { id: string; status: number }) => [
        item.id,
        item.status,
      ]),
    );
    expect(statuses).toEqual({ '1': 404, '2': 424, '3': 200, '4': 200 });
  });

  test('a throttled item is a 429 item with Retry-After while the others succeed', async () => {
    t.sim.setBehaviour({
      throttling: {
        directory: { small: 4, medium: 4, large: 4, windowSeconds: 600 },
      },
    });
    try {
      const body = await (
        await postBatch('v1.0', {
          requests: [
            { id: 'a', method: 'GET', url: '/users' },
            { id: 'b', method: 'GET', url: '/users' },
            { id: 'c', method: 'GET', url: '/users' },
            { id: 'i', method: 'GET', url: '/deviceManagement/detectedApps' },
          ],
        })
      ).json();
      const throttled = body.responses.filter(
        (item: { status: number }) => item.status === 429,
      );
      expect(throttled).toHaveLength(1);
      expect(
        Number(throttled[0].headers['Retry-After']),
      ).toBeGreaterThanOrEqual(1);
      expect(throttled[0].body.error.code).toBe('TooManyRequests');
      expect(
        body.responses.find((item: { id: string }) => item.id === 'i').status,
      ).toBe(200);
    } finally {
      t.sim.setBehaviour({ throttling: false });
    }
  });

  test('a transport fault on one item takes the whole batch down; page faults stay per item', async () => {
    t.sim.addFault({
      match: { batchItem: true, pathIncludes: '/groups' },
      respond: { kind: 'invalidJson' },
      times: 1,
    });
    const broken = await postBatch('v1.0', {
      requests: [
        { id: '1', method: 'GET', url: '/groups' },
        { id: '2', method: 'GET', url: '/organization' },
      ],
    });
    expect(broken.status).toBe(200);
    const text = await broken.text();
    expect(() => JSON.parse(text)).toThrow();
    t.sim.addFault({
      match: { batchItem: true, pathIncludes: '/groups' },
      respond: { kind: 'missingValue' },
      times: 1,
    });
    const body = await (
      await postBatch('v1.0', {
        requests: [
          { id: '1', method: 'GET', url: '/groups' },
          { id: '2', method: 'GET', url: '/organization' },
        ],
      })
    ).json();
    const byId = Object.fromEntries(
      body.responses.map((item: { id: string }) => [item.id, item]),
    );
    expect(byId['1'].body).not.toHaveProperty('value');
    expect(byId['2'].body.value).toHaveLength(1);
    t.sim.clearFaults();
  });

  test('the response order is deterministic', async () => {
    const requests = ['x', 'y', 'z', 'w'].map((id) => ({
      id,
      method: 'GET',
      url: '/organization',
    }));
    const first = (
      await (await postBatch('v1.0', { requests })).json()
    ).responses.map((item: { id: string }) => item.id);
    const second = (
      await (await postBatch('v1.0', { requests })).json()
    ).responses.map((item: { id: string }) => item.id);
    expect(first).toEqual(second);
  });
});

describe('getDeviceInstallStatusReport', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator({ tenant: { installRows: 120 } });
  });
  afterAll(() => t.close());

  async function report(body: unknown): Promise<Response> {
    return fetch(
      `${t.sim.origin}/beta/deviceManagement/reports/getDeviceInstallStatusReport`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await t.token()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      },
    );
  }

  test('octet-stream JSON with Schema and Values in select order; top defaults to 50', async () => {
    const response = await report({
      filter: `(ApplicationId eq '${FAKE_IDS.lobApp}')`,
      select: ['DeviceName', 'DeviceId', 'ErrorCode'],
      orderBy: ['DeviceName'],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/octet-stream',
    );
    const body = JSON.parse(await response.text());
    expect(Object.keys(body)).toEqual(['TotalRowCount', 'Schema', 'Values']);
    expect(body.TotalRowCount).toBe(120);
    expect(body.Schema).toEqual([
      { Column: 'DeviceName', PropertyType: 'String' },
      { Column: 'DeviceId', PropertyType: 'String' },
      { Column: 'ErrorCode', PropertyType: 'Int32' },
    ]);
    expect(body.Values).toHaveLength(50);
    expect(body.Values[0]).toEqual(['Device 0000', expect.any(String), 0]);
  });

  test('pages with top and skip until skip >= TotalRowCount', async () => {
    const rows: unknown[][] = [];
    for (let skip = 0; ; skip += 50) {
      const body = JSON.parse(
        await (
          await report({
            filter: `(ApplicationId eq '${FAKE_IDS.lobApp}')`,
            top: 50,
            skip,
          })
        ).text(),
      );
      rows.push(...body.Values);
      if (skip + 50 >= body.TotalRowCount) break;
    }
    expect(rows).toHaveLength(120);
    t.sim.setBehaviour({ reportMaxTop: 30 });
    const clamped = JSON.parse(
      await (
        await report({
          filter: `(ApplicationId eq '${FAKE_IDS.lobApp}')`,
          top: 1000,
        })
      ).text(),
    );
    t.sim.setBehaviour({ reportMaxTop: 1000 });
    expect(clamped.Values).toHaveLength(30);
  });

  test('through the Graph client the answer is a raw stream', async () => {
    const stream = await t
      .client()
      .api('/deviceManagement/reports/getDeviceInstallStatusReport')
      .version('beta')
      .post({ filter: `(ApplicationId eq '${FAKE_IDS.lobApp}')`, top: 2 });
    const body = JSON.parse(await new Response(stream).text());
    expect(body.Values).toHaveLength(2);
    expect(
      body.Schema.map((column: { Column: string }) => column.Column),
    ).toContain('AppInstallState_loc');
  });

  test('the ApplicationId filter is required; unknown columns are refused', async () => {
    expect((await report({})).status).toBe(400);
    expect((await report({ filter: "(DeviceName eq 'x')" })).status).toBe(400);
    expect(
      (
        await report({
          filter: `(ApplicationId eq '${FAKE_IDS.lobApp}')`,
          select: ['Nope'],
        })
      ).status,
    ).toBe(400);
    const empty = JSON.parse(
      await (await report({ filter: "(ApplicationId eq 'unknown')" })).text(),
    );
    expect(empty).toMatchObject({ TotalRowCount: 0, Values: [] });
  });
});
