/**
 * The install status report walk (forEachInstallStatusPage) with the real
 * credential and Graph client against the simulator's
 * getDeviceInstallStatusReport: top/skip paging by rows received, the cost
 * of an app without rows, an empty page that ends the walk, and the app id
 * as an OData string literal. The tiny tenant is served through a wrapper
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
beforeEach(() => {
  t.simulator.setBehaviour({ reportMaxTop: 1000 });
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
  expect(seen).toEqual(servedRows(SEVEN_ROWS).map((r) => r.DeviceId));
  expect(walk).toEqual({ totalRowCount: 7, rowsRead: 7, requests: 3 });
  expect(reportBodies()).toEqual(
    [0, 3, 6].map((skip) => ({
      filter: `(ApplicationId eq '${SEVEN_ROWS}')`,
      select: INSTALL_STATUS_COLUMNS,
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
      top: DEFAULT_REPORT_TOP,
      skip: 0,
    },
  ]);
  expect(reportRequests()).toEqual([`200 ${REPORT_PATH}`]);
});

test('an empty page ends the walk even when TotalRowCount promised more', async () => {
  // A report that answers TotalRowCount 4 and no Values.
  t.simulator.setBehaviour({ reportMaxTop: 0 });
  const onRows = jest.fn();
  expect(await forEachInstallStatusPage(client, FOUR_ROWS, onRows)).toEqual({
    totalRowCount: 4,
    rowsRead: 0,
    requests: 1,
  });
  expect(onRows).not.toHaveBeenCalled();
  expect(reportRequests()).toEqual([`200 ${REPORT_PATH}`]);

  // The same after a first page: 2 of 4 rows, then an empty page (rows
  // removed while paging) ends the walk; the page is never asked for again.
  t.simulator.setBehaviour({ reportMaxTop: 2 });
  t.simulator.resetStats();
  wire.clear();
  const seen: string[] = [];
  expect(
    await forEachInstallStatusPage(client, FOUR_ROWS, (rows) => {
      seen.push(...rows.map((r) => r.DeviceId as string));
      t.simulator.setBehaviour({ reportMaxTop: 0 });
    }),
  ).toEqual({ totalRowCount: 4, rowsRead: 2, requests: 2 });
  expect(seen).toEqual(
    servedRows(FOUR_ROWS)
      .slice(0, 2)
      .map((r) => r.DeviceId),
  );
  expect(reportBodies().map((b) => (b as { skip: number }).skip)).toEqual([
    0, 2,
  ]);
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
