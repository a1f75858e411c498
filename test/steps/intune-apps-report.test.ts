/**
 * The install status report walk (forEachInstallStatusPage) with the real
 * credential and Graph client against the simulator's
 * getDeviceInstallStatusReport: top/skip paging by rows received in an
 * explicit order, the cost of an app without rows, an empty page before
 * TotalRowCount as an error, short and reordered pages, integer-coded
 * columns, and the app id as an OData string literal. The tiny tenant is served through a wrapper
 * that gives two of its apps a chosen number of rows; request bodies are read
 * off the wire (wire-recorder.ts), since the simulator logs paths only.
 * The whole managed-apps step against the simulator is in intune-apps.test.ts.
 */
import { createGraphClient } from '../../src/config';
import { GraphClient } from '../../src/graph/client';
import {
  DEFAULT_REPORT_TOP,
  forEachInstallStatusPage,
  INSTALL_STATUS_COLUMNS,
} from '../../src/graph/intune-apps';
import { GraphObject } from '../graph-simulator/tenant/model';
import { FAST_RETRIES } from '../support/collect';
import { corruptTenant, CorruptTenant } from '../support/corrupt-tenant';
import { requestLines } from '../support/outcome';
import { startTestTenant, TestTenant } from '../support/tenant';
import { recordGraphRequests, WireRecorder } from '../support/wire-recorder';

const REPORT_PATH = '/deviceManagement/reports/getDeviceInstallStatusReport';
const REPORT_ENDPOINT = `POST ${REPORT_PATH}`;

let t: TestTenant;
let client: GraphClient;
let wire: WireRecorder;
/** Mobile apps of the tenant, served with exactly 7 and 4 report rows, and one without rows. */
let SEVEN_ROWS: string;
let FOUR_ROWS: string;
let NO_ROWS: string;

function mobileApps(): GraphObject[] {
  const apps = t.tenant.mobileApps;
  return Array.from({ length: apps.count }, (_, i) => apps.get(i));
}

let served: CorruptTenant;

/** The report rows the simulator serves for an app (through the wrapper). */
function servedRows(appId: string) {
  return served.installStatusRows(appId);
}

beforeAll(async () => {
  t = await startTestTenant('tiny');
  const ids = (having: (rows: number) => boolean) =>
    mobileApps()
      .map((app) => app.id as string)
      .filter((id) => having(t.tenant.installStatusRows(id).length));
  [SEVEN_ROWS] = ids((n) => n >= 7);
  [FOUR_ROWS] = ids((n) => n >= 4).filter((id) => id !== SEVEN_ROWS);
  [NO_ROWS] = ids((n) => n === 0);
  served = corruptTenant(t.tenant, {
    lists: {
      installStatusRows: (appId, rows) =>
        appId === SEVEN_ROWS
          ? rows.slice(0, 7)
          : appId === FOUR_ROWS
          ? rows.slice(0, 4)
          : rows,
    },
  });
  t.simulator.addTenant(served);
  client = createGraphClient(t.config, FAST_RETRIES);
  wire = recordGraphRequests();
});
afterAll(async () => {
  wire?.stop();
  await t?.close();
});
const ORDER_BY = ['DeviceId', 'UserId'];

/** Rows as the report orders them when asked to: by DeviceId, then UserId. */
function ordered(rows: Record<string, unknown>[]) {
  return [...rows].sort((a, b) => {
    const left = `${a.DeviceId}|${a.UserId}`;
    const right = `${b.DeviceId}|${b.UserId}`;
    return left < right ? -1 : left > right ? 1 : 0;
  });
}

beforeEach(() => {
  t.simulator.setBehaviour({
    reportMaxTop: 1000,
    reportValues: 'names',
    reportUnorderedWithoutOrderBy: true,
    reportShortPages: false,
    reportEmptyPageFromSkip: undefined,
  });
  t.simulator.resetStats();
  wire.clear();
});

const reportBodies = () =>
  wire.bodiesTo(`${t.simulator.origin}/beta${REPORT_PATH}`);
const reportRequests = () =>
  requestLines(
    t.simulator.requests.filter((r) => r.path.includes(REPORT_PATH)),
  );

test('the tenant has the apps the cases need', () => {
  expect(SEVEN_ROWS).toBeDefined();
  expect(FOUR_ROWS).toBeDefined();
  expect(NO_ROWS).toBeDefined();
  expect(servedRows(SEVEN_ROWS)).toHaveLength(7);
  expect(servedRows(FOUR_ROWS)).toHaveLength(4);
  expect(servedRows(NO_ROWS)).toHaveLength(0);
});

test('pages with top/skip until TotalRowCount, advancing by rows received', async () => {
  // Graph sends at most 3 rows per page, whatever `top` asks for.
  t.simulator.setBehaviour({ reportMaxTop: 3 });
  const seen: string[] = [];
  const columns = new Set<string>();
  const walk = await forEachInstallStatusPage(
    client,
    SEVEN_ROWS,
    (rows) => {
      seen.push(...rows.map((r) => r.DeviceId as string));
      for (const row of rows) columns.add(Object.keys(row).join());
    },
    { top: 5 },
  );
  // Graph shuffles unsorted reports from page to page (the simulator's
  // default): every row arrives exactly once because the walk orders them.
  expect(seen).toEqual(ordered(servedRows(SEVEN_ROWS)).map((r) => r.DeviceId));
  expect(walk).toEqual({ totalRowCount: 7, rowsRead: 7, requests: 3 });
  expect(reportBodies()).toEqual(
    [0, 3, 6].map((skip) => ({
      filter: `(ApplicationId eq '${SEVEN_ROWS}')`,
      select: INSTALL_STATUS_COLUMNS,
      orderBy: ORDER_BY,
      top: 5,
      skip,
    })),
  );
  expect(reportRequests()).toEqual(Array(3).fill(`200 ${REPORT_PATH}`));
  expect(t.simulator.stats().endpoints[REPORT_ENDPOINT].itemsServed).toBe(7);
  // the rows hold the selected columns, in the order selected
  expect(columns).toEqual(new Set([INSTALL_STATUS_COLUMNS.join()]));
});

test('an app without rows costs one request', async () => {
  const onRows = jest.fn();
  expect(await forEachInstallStatusPage(client, NO_ROWS, onRows)).toEqual({
    totalRowCount: 0,
    rowsRead: 0,
    requests: 1,
  });
  expect(onRows).not.toHaveBeenCalled();
  expect(reportBodies()).toEqual([
    {
      filter: `(ApplicationId eq '${NO_ROWS}')`,
      select: INSTALL_STATUS_COLUMNS,
      orderBy: ORDER_BY,
      top: DEFAULT_REPORT_TOP,
      skip: 0,
    },
  ]);
  expect(reportRequests()).toEqual([`200 ${REPORT_PATH}`]);
});

test('an empty page before TotalRowCount rows is an error, never the end of the report', async () => {
  const url = `${t.simulator.origin}/beta${REPORT_PATH}`;
  const incomplete = (read: number) =>
    `Microsoft Graph POST ${url} failed with 200 IncompleteReport. The report answered an empty page after ${read} of the 4 rows its TotalRowCount announced; the install status of this app was not read to the end.`;
  // A report that answers TotalRowCount 4 and no Values.
  t.simulator.setBehaviour({ reportEmptyPageFromSkip: 0 });
  const onRows = jest.fn();
  await expect(
    forEachInstallStatusPage(client, FOUR_ROWS, onRows),
  ).rejects.toThrow(incomplete(0));
  expect(onRows).not.toHaveBeenCalled();
  expect(reportRequests()).toEqual([`200 ${REPORT_PATH}`]);

  // The same after a first page: 2 of 4 rows, then an empty page (rows
  // removed while paging); the page is never asked for again.
  t.simulator.setBehaviour({ reportMaxTop: 2, reportEmptyPageFromSkip: 2 });
  t.simulator.resetStats();
  wire.clear();
  const seen: string[] = [];
  await expect(
    forEachInstallStatusPage(client, FOUR_ROWS, (rows) => {
      seen.push(...rows.map((r) => r.DeviceId as string));
    }),
  ).rejects.toThrow(incomplete(2));
  expect(seen).toEqual(
    ordered(servedRows(FOUR_ROWS))
      .slice(0, 2)
      .map((r) => r.DeviceId),
  );
  expect(reportBodies().map((b) => (b as { skip: number }).skip)).toEqual([
    0, 2,
  ]);
});

test('pages shorter than top are followed by rows received, to the end', async () => {
  t.simulator.setBehaviour({ reportMaxTop: 4, reportShortPages: true });
  const seen: string[] = [];
  const walk = await forEachInstallStatusPage(client, SEVEN_ROWS, (rows) => {
    seen.push(...rows.map((r) => r.DeviceId as string));
  });
  expect(seen).toEqual(ordered(servedRows(SEVEN_ROWS)).map((r) => r.DeviceId));
  expect(walk.rowsRead).toBe(7);
  expect(walk.requests).toBeGreaterThan(2);
});

test('integer-coded columns are read by their Schema PropertyType, with the _loc labels', async () => {
  t.simulator.setBehaviour({ reportValues: 'codes' });
  const rows: Record<string, unknown>[] = [];
  await forEachInstallStatusPage(client, SEVEN_ROWS, (page) => {
    rows.push(...page);
  });
  const names = ordered(servedRows(SEVEN_ROWS));
  expect(rows).toHaveLength(7);
  rows.forEach((row, i) => {
    expect(typeof row.InstallState).toBe('number');
    expect(typeof row.InstallStateDetail).toBe('number');
    expect(typeof row.AppInstallState).toBe('number');
    // the label of an App* column travels beside it
    expect(row.AppInstallState_loc).toBe(names[i].AppInstallState_loc);
    expect(row.DeviceId).toBe(names[i].DeviceId);
  });
});

test('an app id is an OData string literal: quotes in it are doubled', async () => {
  await forEachInstallStatusPage(
    client,
    "x') or (ApplicationId ne '",
    jest.fn(),
  );
  expect(reportBodies()).toHaveLength(1);
  expect((reportBodies()[0] as { filter: string }).filter).toBe(
    "(ApplicationId eq 'x'') or (ApplicationId ne ''')",
  );
});
