/**
 * The simulator's export jobs (export-jobs.ts, blob-host.ts, export-files.ts)
 * over the wire, with plain fetch: the job lifecycle, both poll forms, the
 * SAS url on another origin, what the zip holds, and the faults.
 */
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as yauzl from 'yauzl';
import { GraphSimulator, startGraphSimulator } from './index';
import { generateTenant } from './tenant/generate';
import { TenantData } from './tenant/model';
import { makeProfile, PROFILES } from './tenant/profiles';

const CLIENT_ID = '7c1f2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
let sim: GraphSimulator;
let tenant: TenantData;
let token: string;

beforeAll(async () => {
  const secret = randomBytes(12).toString('hex');
  tenant = generateTenant(
    makeProfile({
      servicePrincipals: [
        {
          clientId: CLIENT_ID,
          roles: ['DeviceManagementManagedDevices.Read.All'],
        },
      ],
    }),
  );
  sim = await startGraphSimulator({
    tenants: [tenant],
    applications: [
      {
        clientId: CLIENT_ID,
        displayName: 'test',
        secrets: [{ value: secret }],
      },
    ],
    behaviour: {
      exportJobs: { queueMs: 20, baseMs: 30, perThousandRowsMs: 0 },
    },
  });
  const response = await fetch(
    `${sim.origin}/${tenant.tenantId}/oauth2/v2.0/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: CLIENT_ID,
        client_secret: secret,
        scope: 'https://graph.microsoft.com/.default',
        grant_type: 'client_credentials',
      }).toString(),
    },
  );
  token = ((await response.json()) as { access_token: string }).access_token;
});
afterAll(() => sim?.close());
afterEach(() => sim.clearExportJobFaults());

const graph = (path: string, init: RequestInit = {}) =>
  fetch(`${sim.origin}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
  });

async function createJob(body: Record<string, unknown>) {
  const response = await graph('/v1.0/deviceManagement/reports/exportJobs', {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return { status: response.status, job: (await response.json()) as any };
}

async function waitFor(id: string, form: 'key' | 'segment' = 'key') {
  const path =
    form === 'key'
      ? `/beta/deviceManagement/reports/exportJobs('${id}')`
      : `/beta/deviceManagement/reports/exportJobs/${id}`;
  const seen: string[] = [];
  for (let i = 0; i < 100; i++) {
    const job = (await (await graph(path)).json()) as any;
    if (seen[seen.length - 1] !== job.status) seen.push(job.status);
    if (job.status === 'completed' || job.status === 'failed')
      return { job, seen };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('job did not finish');
}

async function unzip(bytes: Buffer): Promise<Map<string, string>> {
  const file = join(
    tmpdir(),
    `sim-export-${randomBytes(6).toString('hex')}.zip`,
  );
  await fs.writeFile(file, bytes);
  try {
    return await new Promise((resolve, reject) => {
      const out = new Map<string, string>();
      yauzl.open(file, { lazyEntries: true }, (err, zip) => {
        if (err) return reject(err);
        zip.readEntry();
        zip.on('entry', (entry: yauzl.Entry) =>
          zip.openReadStream(entry, (e, stream) => {
            if (e) return reject(e);
            const chunks: Buffer[] = [];
            stream.on('data', (c) => chunks.push(c));
            stream.on('end', () => {
              out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
              zip.readEntry();
            });
          }),
        );
        zip.on('end', () => resolve(out));
        zip.on('error', reject);
      });
    });
  } finally {
    await fs.rm(file, { force: true });
  }
}

test('a job: 201 notStarted, then inProgress, then completed with a SAS url on another origin', async () => {
  const { status, job } = await createJob({
    reportName: 'AppInvRawData',
    select: ['DeviceId', 'applicationName', 'Platform'],
    localizationType: 'LocalizedValuesAsAdditionalColumn',
  });
  expect(status).toBe(201);
  expect(job).toMatchObject({
    '@odata.context': `${sim.origin}/v1.0/$metadata#deviceManagement/reports/exportJobs/$entity`,
    reportName: 'AppInvRawData',
    select: ['DeviceId', 'ApplicationName', 'Platform'],
    format: 'csv',
    localizationType: 'localizedValuesAsAdditionalColumn',
    status: 'notStarted',
    url: null,
    expirationDateTime: '0001-01-01T00:00:00Z',
  });
  expect(job.id).toMatch(/^AppInvRawData_[0-9a-f-]{36}$/);
  expect(job.requestDateTime).toMatch(/\.\d{7}Z$/);
  const { job: done, seen } = await waitFor(job.id);
  // Which states a poll lands in depends on timing: only their names are checked.
  expect(seen[seen.length - 1]).toBe('completed');
  expect(
    seen.filter((s) => !['notStarted', 'inProgress', 'completed'].includes(s)),
  ).toEqual([]);
  const url = new URL(done.url);
  expect(url.origin).toBe(sim.blobOrigin);
  expect(url.origin).not.toBe(sim.origin);
  expect(url.pathname).toMatch(new RegExp(`/[0-9a-f-]{36}/${job.id}\\.zip$`));
  expect(url.searchParams.get('sp')).toBe('r');
  expect(url.searchParams.get('se')).toBe(
    done.expirationDateTime.replace(/\.\d+Z$/, 'Z'),
  );

  const download = await fetch(done.url);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-length')).toBeNull();
  const files = await unzip(Buffer.from(await download.arrayBuffer()));
  expect([...files.keys()]).toEqual([`${job.id}.csv`]);
  const text = files.get(`${job.id}.csv`)!;
  expect(
    text.startsWith(
      '\ufeff"DeviceId","ApplicationName","Platform","Platform_loc"\r\n',
    ),
  ).toBe(true);
  const lines = text.trimEnd().split('\r\n');
  expect(lines.length - 1).toBe(tenant.appInventory!.rowCount());
  const truth = tenant.groundTruth().skipped;
  expect(truth.appRowsForUnknownDevices).toBeGreaterThan(0);
  expect(truth.appRowsRepeated).toBeGreaterThan(0);
  // some DeviceIds in upper case
  expect(lines.some((l) => /^"[0-9A-F]{8}-/.test(l))).toBe(true);
  const blob = sim.requests.filter(
    (r) => r.endpoint === 'GET /{container}/{blob}',
  );
  expect(blob.map((r) => [r.status, r.hadAuthorization])).toEqual([
    [200, false],
  ]);
  expect(JSON.stringify(blob)).not.toContain(url.searchParams.get('sig'));
});

test('the path-segment poll form, replaceLocalizableValues, and the blob host refusing a bearer token', async () => {
  const { job } = await createJob({
    reportName: 'AppInvRawData',
    select: ['Platform'],
    localizationType: 'replaceLocalizableValues',
  });
  const { job: done } = await waitFor(job.id, 'segment');
  const refused = await fetch(done.url, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain('<Code>AuthenticationFailed</Code>');
  expect(sim.requests.some((r) => r.hadAuthorization && r.status === 403)).toBe(
    true,
  );
  const files = await unzip(
    Buffer.from(await (await fetch(done.url)).arrayBuffer()),
  );
  expect([...files.values()][0].split('\r\n')[0]).toBe('\ufeff"Platform"');
});

test('faults: a withdrawn report name, a failed job, an expired url, two CSVs, a missing column', async () => {
  sim.addExportJobFault({ fault: 'reportNotSupported', times: 1 });
  const refused = await createJob({
    reportName: 'AppInvRawData',
    select: ['DeviceId'],
  });
  expect(refused.status).toBe(400);
  expect(JSON.parse(refused.job.error.message).Message).toMatch(
    /^PostExportJobAsync not supported for reportType AppInvRawData - Operation ID/,
  );

  sim.addExportJobFault({ fault: 'failed', times: 1 });
  const failed = await createJob({
    reportName: 'AppInvRawData',
    select: ['DeviceId'],
  });
  expect((await waitFor(failed.job.id)).job).toMatchObject({
    status: 'failed',
    url: null,
  });

  sim.addExportJobFault({ fault: 'expiredUrl', times: 1 });
  const expired = await createJob({
    reportName: 'AppInvRawData',
    select: ['DeviceId'],
  });
  const late = await fetch((await waitFor(expired.job.id)).job.url);
  expect(late.status).toBe(403);
  expect(await late.text()).toContain(
    'Signature not valid in the specified time frame',
  );

  sim.addExportJobFault({ fault: 'twoCsv', times: 1 });
  sim.addExportJobFault({
    fault: 'missingColumn',
    column: 'DeviceId',
    times: 1,
  });
  const two = await createJob({
    reportName: 'AppInvRawData',
    select: ['DeviceId', 'Platform'],
  });
  const files = await unzip(
    Buffer.from(
      await (await fetch((await waitFor(two.job.id)).job.url)).arrayBuffer(),
    ),
  );
  expect([...files.keys()]).toEqual([
    `${two.job.id}.csv`,
    `${two.job.id}_2.csv`,
  ]);
  expect([...files.values()][0].split('\r\n')[0]).toBe(
    '\ufeff"Platform","Platform_loc"',
  );

  const list = await graph('/v1.0/deviceManagement/reports/exportJobs');
  expect(list.status).toBe(400);
});

test('export jobs count against the Intune applications budget', () => {
  expect(PROFILES.tiny.intune).not.toBeNull();
  expect(sim.stats().services.intuneApps.requests).toBeGreaterThan(0);
  expect(sim.stats().services.intuneDevices.requests).toBe(0);
});
