/**
 * Detected apps through the AppInvRawData export job, end to end through the
 * real credential and Graph client against the simulator: one tenant
 * collected both ways gives the same graph key by key, the download carries
 * no bearer token, every case where the export cannot finish falls back to
 * the request route with its own one-line log and the same graph, and
 * `detectedAppsRoute: export` fails loudly instead.
 */
import { integrationSteps } from '../../src/steps';
import {
  DEVICE_KINDS,
  Entities,
  Relationships,
  Steps,
} from '../../src/steps/constants';
import {
  createIntuneAppsSteps,
  DEFAULT_INTUNE_APPS_OPTIONS,
  IntuneAppsOptions,
} from '../../src/steps/intune-apps';
import {
  compareGraphObjects,
  readGraphObjects,
} from '../../scripts/compare-graphs';
import { FaultRule } from '../graph-simulator';
import { intuneErrorMessage } from '../graph-simulator/errors';
import { ExportJobFaultRule } from '../graph-simulator/export-jobs';
import { CollectionResult, runCollection } from '../support/collect';
import { doneRecord } from '../support/outcome';
import { startTestTenant, TestTenant } from '../support/tenant';
import { join } from 'path';

const REPORT = 'AppInvRawData';
const DETECTED_TYPES = new Set([
  Entities.DETECTED_APPLICATION._type,
  ...DEVICE_KINDS.map(
    (kind) => Relationships.DEVICE_INSTALLED_DETECTED_APPLICATION[kind]._type,
  ),
]);
const ENABLED = new Set<string>([Steps.DEVICES.id, Steps.DETECTED_APPS.id]);
const BLOB_ENDPOINT = 'GET /{container}/{blob}';

/** Quick polls, short deadlines, two jobs at most: every fallback case in well under a second of waiting. */
const FAST_EXPORT: Partial<IntuneAppsOptions> = {
  exportRoute: {
    job: { jobDeadlineMs: 400, maxAttempts: 2, pollDelaysMs: [20, 40, 80] },
    file: {
      ...DEFAULT_INTUNE_APPS_OPTIONS.exportRoute.file,
      stallTimeoutMs: 400,
      retryDelayMs: 10,
    },
  },
};

let tenant: TestTenant;

/** Only the devices and detected apps (the other steps are disabled). */
function collect(
  route: string,
  options: Partial<IntuneAppsOptions> = FAST_EXPORT,
): Promise<CollectionResult> {
  const steps = [
    ...integrationSteps.filter((s) => s.id !== Steps.DETECTED_APPS.id),
    createIntuneAppsSteps({ ...FAST_EXPORT, ...options }).find(
      (s) => s.id === Steps.DETECTED_APPS.id,
    )!,
  ];
  return runCollection(
    { ...tenant.config, detectedAppsRoute: route },
    {
      invocation: {
        integrationSteps: steps,
        getStepStartStates: () =>
          Object.fromEntries(
            steps.map((step) => [step.id, { disabled: !ENABLED.has(step.id) }]),
          ),
      },
    },
  );
}

/** The detected-app entities and INSTALLED of a collection, by key. */
async function detectedGraph(result: CollectionResult) {
  const all = await readGraphObjects(join(result.storageDirectory, 'graph'));
  return new Map(
    [...all].filter(([, object]) => DETECTED_TYPES.has(object._type as string)),
  );
}

let exported: CollectionResult;
let exportedGraph: Awaited<ReturnType<typeof detectedGraph>>;

beforeAll(async () => {
  tenant = await startTestTenant('tiny');
  tenant.simulator.resetStats();
  exported = await collect('export');
  exportedGraph = await detectedGraph(exported);
});
afterAll(() => tenant?.close());
afterEach(() => {
  tenant.simulator.clearExportJobFaults();
  tenant.simulator.clearFaults();
});

describe('the export route', () => {
  test('reads the detected apps from one job, and writes the ground truth', () => {
    expect(exported.stepStatus(Steps.DETECTED_APPS.id)).toBe('success');
    expect(doneRecord(exported, Steps.DETECTED_APPS)).toMatchObject({
      detectedAppsRoute: 'export',
      configuredRoute: 'export',
      jobsSubmitted: 1,
      exportRows: tenant.tenant.appInventory!.rowCount(),
    });
    const truth = tenant.truth();
    const counts: Record<string, number> = {};
    for (const object of exportedGraph.values()) {
      const key =
        object._type === Entities.DETECTED_APPLICATION._type
          ? object._type
          : `${DEVICE_KINDS.find(
              (k) =>
                Relationships.DEVICE_INSTALLED_DETECTED_APPLICATION[k]._type ===
                object._type,
            )}|INSTALLED|${Entities.DETECTED_APPLICATION._type}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    const expected: Record<string, number> = {
      intune_detected_application: truth.entities.intune_detected_application,
    };
    for (const kind of DEVICE_KINDS) {
      const key = `${kind}|INSTALLED|intune_detected_application`;
      if (truth.relationships[key]) expected[key] = truth.relationships[key];
    }
    expect(counts).toEqual(expected);
  });

  test('the download went to the blob origin, without the bearer token', () => {
    const blob = tenant.simulator.requests.filter(
      (r) => r.endpoint === BLOB_ENDPOINT,
    );
    expect(blob.length).toBe(1);
    expect(blob[0]).toMatchObject({ status: 200, hadAuthorization: false });
    expect(`https://${blob[0].host}`).toBe(tenant.simulator.blobOrigin);
    // ...while every Graph request carried it
    const graph = tenant.simulator.requests.filter(
      (r) => r.endpoint.includes('/deviceManagement/') && !r.batchItem,
    );
    expect(graph.length).toBeGreaterThan(0);
    expect(graph.every((r) => r.hadAuthorization)).toBe(true);
  });

  test('no log line or graph file holds the download url signature', async () => {
    const text = await exported.allText();
    expect(text).not.toMatch(/[?&]sig=/);
    expect(text).not.toContain('sv=2019-02-02');
  });
});

describe('one tenant, both routes: the same graph key by key, every property', () => {
  test.each([
    ['per detected app', 'perApp'],
    ['per device', 'perDevice'],
  ] as const)('requests route %s', async (_label, detectedAppsStrategy) => {
    const result = await collect('requests', { detectedAppsStrategy });
    expect(doneRecord(result, Steps.DETECTED_APPS)).toMatchObject({
      detectedAppsRoute: 'requests',
      strategy: detectedAppsStrategy,
    });
    const difference = compareGraphObjects(
      exportedGraph,
      await detectedGraph(result),
    );
    expect(difference.objectsA).toBeGreaterThan(100);
    expect(difference).toMatchObject({ onlyInA: [], onlyInB: [], changed: [] });
  });
});

describe('fallback: each reason the export cannot finish, one log line, the same graph', () => {
  async function fallsBack(reason: string | ((blobPath: string) => string)) {
    const result = await collect('auto');
    expect(result.stepStatus(Steps.DETECTED_APPS.id)).toBe('success');
    const done = doneRecord(result, Steps.DETECTED_APPS);
    expect(done.detectedAppsRoute).toBe('requests');
    const blobPath =
      tenant.simulator.requests
        .filter((r) => r.endpoint === BLOB_ENDPOINT)
        .pop()?.path ?? '';
    const text =
      typeof reason === 'string'
        ? reason
        : reason(blobPath.replace(/\?.*$/, ''));
    expect(done.fallbackReason).toBe(text);
    const lines = result.logs.filter((r) =>
      / export could not finish /.test(r.msg),
    );
    expect(lines.map((r) => r.msg)).toEqual([
      `Detected apps: the ${REPORT} export could not finish (${text}); reading them through the request route instead.`,
    ]);
    const difference = compareGraphObjects(
      exportedGraph,
      await detectedGraph(result),
    );
    expect(difference).toMatchObject({ onlyInA: [], onlyInB: [], changed: [] });
  }
  const jobFault = (rule: ExportJobFaultRule) =>
    tenant.simulator.addExportJobFault(rule);
  const graphFault = (rule: FaultRule) => tenant.simulator.addFault(rule);
  const downloadUrl = (path: string) => `${tenant.simulator.blobOrigin}${path}`;

  test('400: the report name is not supported', async () => {
    jobFault({ fault: 'reportNotSupported' });
    await fallsBack(
      `creating the ${REPORT} export job failed: 400 BadRequest: PostExportJobAsync not supported for reportType ${REPORT}`,
    );
  });

  test('400: a filter the report requires', async () => {
    jobFault({ fault: 'filterRequired' });
    await fallsBack(
      `creating the ${REPORT} export job failed: 400 BadRequest: Filter is required for reportType ${REPORT}.`,
    );
  });

  test('403: the service names the permissions it wants (its nested JSON message, unwrapped)', async () => {
    const scopes =
      'DeviceManagementApps.Read.All, DeviceManagementApps.ReadWrite.All, DeviceManagementConfiguration.Read.All, DeviceManagementConfiguration.ReadWrite.All, DeviceManagementManagedDevices.Read.All, DeviceManagementManagedDevices.ReadWrite.All';
    graphFault({
      match: {
        method: 'POST',
        pathIncludes: '/deviceManagement/reports/exportJobs',
      },
      respond: {
        status: 403,
        code: 'Forbidden',
        message: intuneErrorMessage(
          `Application is not authorized to perform this operation. Application must have one of the following scopes: ${scopes}`,
          '7c0f3d1e-0000-4000-8000-000000000001',
          'https://fef.msua06.manage.microsoft.com/ReportingService/DeviceManagement/reports/exportJobs?api-version=5023-05-04',
        ),
      },
    });
    await fallsBack(
      `creating the ${REPORT} export job failed: 403 Forbidden: Application is not authorized to perform this operation. Application must have one of the following scopes: ${scopes}`,
    );
  });

  test('every job ends `failed` (each resubmitted up to the bound)', async () => {
    jobFault({ fault: 'failed' });
    await fallsBack(`2 ${REPORT} export jobs did not finish (failed; failed)`);
    expect(
      tenant.simulator.stats().endpoints[
        'POST /deviceManagement/reports/exportJobs'
      ].requests,
    ).toBeGreaterThanOrEqual(2);
  });

  test('jobs still inProgress at the deadline', async () => {
    jobFault({ fault: 'stuck' });
    await fallsBack(
      `2 ${REPORT} export jobs did not finish (was still inProgress at its deadline of 0.4 s; was still inProgress at its deadline of 0.4 s)`,
    );
  });

  test('5xx on create, past the retries', async () => {
    graphFault({
      match: {
        method: 'POST',
        pathIncludes: '/deviceManagement/reports/exportJobs',
      },
      respond: { status: 503, retryAfter: 0 },
    });
    await fallsBack(
      `creating the ${REPORT} export job failed: 503 serviceNotAvailable: Service unavailable. Please retry later.`,
    );
  });

  test('429 on poll, past the retries', async () => {
    graphFault({
      match: {
        method: 'GET',
        pathIncludes: '/deviceManagement/reports/exportJobs(',
      },
      respond: { status: 429, retryAfter: 0 },
    });
    await fallsBack(
      `polling the ${REPORT} export job failed: 429 TooManyRequests: Please retry again later.`,
    );
  });

  test('an expired download url', async () => {
    jobFault({ fault: 'expiredUrl' });
    await fallsBack(
      (path) =>
        `downloading the export file failed: GET ${downloadUrl(
          path,
        )} answered 403 AuthenticationFailed: Signature not valid in the specified time frame`,
    );
  });

  test('a refused download url', async () => {
    jobFault({ fault: 'refusedUrl' });
    await fallsBack(
      (path) =>
        `downloading the export file failed: GET ${downloadUrl(
          path,
        )} answered 403 AuthenticationFailed: Server failed to authenticate the request`,
    );
  });

  test('a download that stalls, every time', async () => {
    jobFault({ fault: 'stallDownload' });
    await fallsBack(
      (path) =>
        `downloading the export file failed: GET ${downloadUrl(
          path,
        )} received nothing for 0.4 s (3 attempts)`,
    );
  });

  test('a corrupt zip', async () => {
    jobFault({ fault: 'corruptZip' });
    await fallsBack((path) => corruptReason(path));
  });

  test('a zip with no CSV', async () => {
    jobFault({ fault: 'noCsv' });
    await fallsBack(
      (path) =>
        `the export zip holds no .csv files instead of one (entries: ${jobIdOf(
          path,
        )}.txt)`,
    );
  });

  test('a zip with two CSVs', async () => {
    jobFault({ fault: 'twoCsv' });
    await fallsBack(
      (path) =>
        `the export zip holds 2 .csv files instead of one (entries: ${jobIdOf(
          path,
        )}.csv, ${jobIdOf(path)}_2.csv)`,
    );
  });

  test('a header without a selected column', async () => {
    jobFault({ fault: 'missingColumn', column: 'ApplicationVersion' });
    await fallsBack(
      'the export CSV has no column "ApplicationVersion" (its header: DeviceId, ApplicationName, ApplicationPublisher, Platform, Platform_loc)',
    );
  });
});

function jobIdOf(blobPath: string): string {
  return blobPath.replace(/^.*\//, '').replace(/\.zip$/, '');
}

/** What the corrupt zip's damage is found as: the same bytes every run (same tenant, same offset). */
function corruptReason(_path: string): string {
  return 'the export file could not be read: invalid distance too far back';
}

describe('bounds', () => {
  test('a stranded job is resubmitted, and the second one is read', async () => {
    tenant.simulator.addExportJobFault({ fault: 'stuck', times: 1 });
    const result = await collect('auto');
    const done = doneRecord(result, Steps.DETECTED_APPS);
    expect(done).toMatchObject({
      detectedAppsRoute: 'export',
      jobsSubmitted: 2,
    });
    expect(
      result.logs.filter((r) =>
        r.msg.startsWith(`Detected apps: The ${REPORT} export job was still`),
      ),
    ).toHaveLength(1);
    const difference = compareGraphObjects(
      exportedGraph,
      await detectedGraph(result),
    );
    expect(difference).toMatchObject({ onlyInA: [], onlyInB: [], changed: [] });
  });

  test.each([
    [
      'uncompressed',
      { maxUncompressedBytes: 1000 },
      /^the export CSV is \d+ bytes, over the limit of 1000 bytes \(a zip bomb, or a report larger than this integration reads\)$/,
    ],
    [
      'compressed',
      { maxCompressedBytes: 100 },
      /^the export zip exceeds the limit of 100 bytes \(a zip bomb, or a report larger than this integration reads\)$/,
    ],
  ])(
    'the %s size bound ends the export route',
    async (_label, limits, reason) => {
      const result = await collect('auto', {
        exportRoute: {
          job: FAST_EXPORT.exportRoute!.job,
          file: { ...FAST_EXPORT.exportRoute!.file, ...limits },
        },
      });
      const done = doneRecord(result, Steps.DETECTED_APPS);
      expect(done.detectedAppsRoute).toBe('requests');
      expect(done.fallbackReason).toMatch(reason);
    },
  );
});

describe('detectedAppsRoute: export', () => {
  test('an export that cannot finish fails the step, keeps the previous data, and does not try the requests', async () => {
    tenant.simulator.addExportJobFault({ fault: 'failed' });
    tenant.simulator.resetStats();
    const result = await collect('export');
    expect(result.stepStatus(Steps.DETECTED_APPS.id)).toBe('failure');
    expect(result.summary.metadata.partialDatasets.types).toEqual(
      expect.arrayContaining([...DETECTED_TYPES]),
    );
    const failure = result.logs.find((r) =>
      /DETECTED_APPS_EXPORT_FAILED/.test(JSON.stringify(r)),
    );
    expect(JSON.stringify(failure)).toContain(
      `Detected apps: the ${REPORT} export could not finish: 2 ${REPORT} export jobs did not finish (failed; failed). detectedAppsRoute is \\"export\\", so the request route was not tried; set it to \\"auto\\" to fall back to it.`,
    );
    const endpoints = tenant.simulator.stats().endpoints;
    expect(
      endpoints['GET /deviceManagement/detectedApps/{id}/managedDevices'],
    ).toBeUndefined();
    expect(
      endpoints['GET /deviceManagement/managedDevices/{id}'],
    ).toBeUndefined();
  });
});
