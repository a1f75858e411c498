import { GraphClient } from '../../graph/client';
import { perAppRequestEstimate } from './detected-applications';
import { GraphApiError } from '../../graph/errors';
import {
  forEachInstallStatusPage,
  INSTALL_STATUS_COLUMNS,
  readReportPage,
} from '../../graph/intune-apps';

const URL =
  'https://graph.example/beta/deviceManagement/reports/getDeviceInstallStatusReport';
const APP = '50124056-8cca-4cf5-9f98-8e63bede0b6e';

describe('readReportPage', () => {
  test('rows follow the Schema order, whatever it is', () => {
    expect(
      readReportPage(
        {
          TotalRowCount: 2,
          Schema: [
            { Column: 'InstallState', PropertyType: 'String' },
            { Column: 'DeviceId', PropertyType: 'String' },
            { Column: 'ErrorCode', PropertyType: 'Int32' },
          ],
          Values: [
            ['installed', 'd1', 0],
            ['failed', 'd2', -2016345060],
          ],
        },
        URL,
      ),
    ).toEqual({
      totalRowCount: 2,
      rows: [
        { InstallState: 'installed', DeviceId: 'd1', ErrorCode: 0 },
        { InstallState: 'failed', DeviceId: 'd2', ErrorCode: -2016345060 },
      ],
    });
  });

  test.each([
    [
      {},
      'The report had no TotalRowCount; the install status of this app was not read.',
    ],
    [
      { TotalRowCount: 1, Values: [] },
      'The report had no Schema or no Values; the install status of this app was not read.',
    ],
    [
      {
        TotalRowCount: 1,
        Schema: [{ Column: 'DeviceId' }],
        Values: [['d1', 'extra']],
      },
      'The report had a row that does not match its Schema; the install status of this app was not read.',
    ],
    [
      { TotalRowCount: 1, Schema: [{ PropertyType: 'String' }], Values: [] },
      'The report Schema had a column without a name; the install status of this app was not read.',
    ],
  ])('a malformed page is an error, never "no rows": %j', (page, hint) => {
    let error: unknown;
    try {
      readReportPage(page as never, URL);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GraphApiError);
    expect((error as Error).message).toBe(
      `Microsoft Graph POST ${URL} failed with 200 UnexpectedReportFormat. ${hint}`,
    );
  });
});

/** A client whose report action serves `rows` rows, at most `cap` per page. */
function fakeReportClient(rows: number, cap: number) {
  const bodies: Record<string, unknown>[] = [];
  const client = {
    urlOf: () => URL,
    postReport: jest.fn((_request: unknown, body: Record<string, unknown>) => {
      bodies.push(body);
      const skip = body.skip as number;
      const top = Math.min(body.top as number, cap);
      const count = Math.max(0, Math.min(top, rows - skip));
      return Promise.resolve({
        TotalRowCount: rows,
        Schema: [{ Column: 'DeviceId', PropertyType: 'String' }],
        Values: Array.from({ length: count }, (_, i) => [`d${skip + i}`]),
      });
    }),
  };
  return { client: client as unknown as GraphClient, bodies };
}

describe('forEachInstallStatusPage', () => {
  test('pages with top/skip until TotalRowCount, advancing by rows received', async () => {
    const { client, bodies } = fakeReportClient(7, 3);
    const seen: string[] = [];
    const walk = await forEachInstallStatusPage(
      client,
      APP,
      (rows) => {
        seen.push(...rows.map((r) => r.DeviceId as string));
      },
      { top: 5 },
    );
    expect(seen).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    expect(walk).toEqual({ totalRowCount: 7, rowsRead: 7, requests: 3 });
    expect(bodies).toEqual(
      [0, 3, 6].map((skip) => ({
        filter: `(ApplicationId eq '${APP}')`,
        select: INSTALL_STATUS_COLUMNS,
        top: 5,
        skip,
      })),
    );
  });

  test('an app without rows costs one request', async () => {
    const { client } = fakeReportClient(0, 50);
    const onRows = jest.fn();
    expect(await forEachInstallStatusPage(client, APP, onRows)).toEqual({
      totalRowCount: 0,
      rowsRead: 0,
      requests: 1,
    });
    expect(onRows).not.toHaveBeenCalled();
  });

  test('an empty page ends the walk even when TotalRowCount promised more', async () => {
    const { client } = fakeReportClient(4, 2);
    (client.postReport as jest.Mock).mockImplementationOnce(() =>
      Promise.resolve({
        TotalRowCount: 4,
        Schema: [{ Column: 'DeviceId' }],
        Values: [],
      }),
    );
    expect(await forEachInstallStatusPage(client, APP, jest.fn())).toEqual({
      totalRowCount: 4,
      rowsRead: 0,
      requests: 1,
    });
  });

  test('an app id is an OData string literal: quotes in it are doubled', async () => {
    const { client, bodies } = fakeReportClient(0, 1);
    await forEachInstallStatusPage(
      client,
      "x') or (ApplicationId ne '",
      jest.fn(),
    );
    expect(bodies[0].filter).toBe(
      "(ApplicationId eq 'x'') or (ApplicationId ne ''')",
    );
  });
});

describe('perAppRequestEstimate', () => {
  test('one request per detected app, plus one per further page of its devices', () => {
    const apps = [
      { deviceCount: 0 },
      { deviceCount: 1000 },
      { deviceCount: 1001 },
      { deviceCount: 2500 },
      {},
    ];
    expect(perAppRequestEstimate(apps as never, 1000)).toBe(1 + 1 + 2 + 3 + 1);
  });

  test('a single short listing page makes the estimate high, never low', () => {
    expect(
      perAppRequestEstimate(
        [{ deviceCount: 30 }, { deviceCount: 5 }] as never,
        2,
      ),
    ).toBe(15 + 3);
    expect(perAppRequestEstimate([{ deviceCount: 30 }] as never, 0)).toBe(30);
  });
});
