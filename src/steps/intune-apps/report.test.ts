/**
 * Pure parts of the install status report: reading a page, and the request
 * estimate of the per-app strategy. The report walk (paging, empty pages,
 * the filter literal) runs with the real client against the Graph simulator
 * in test/steps/intune-apps-report.test.ts.
 */
import { perAppRequestEstimate } from './detected-applications';
import { GraphApiError } from '../../graph/errors';
import { readReportPage } from '../../graph/intune-apps';

const URL =
  'https://graph.example/beta/deviceManagement/reports/getDeviceInstallStatusReport';

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
