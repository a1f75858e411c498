/**
 * Reading one report page (Schema / Values). The walk itself runs with the
 * real client against the Graph simulator (test/steps/intune-apps-report.test.ts).
 */
import { GraphApiError } from './errors';
import { readReportPage } from './reports';

const URL =
  'https://graph.example/beta/deviceManagement/reports/getDeviceInstallStatusReport';
const SUBJECT = 'the install status of this app';

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
        SUBJECT,
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
      readReportPage(page as never, URL, SUBJECT);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GraphApiError);
    expect((error as Error).message).toBe(
      `Microsoft Graph POST ${URL} failed with 200 UnexpectedReportFormat. ${hint}`,
    );
  });
});
