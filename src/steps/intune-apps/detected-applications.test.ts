/**
 * The request estimate of the per-app strategy. The report walk (paging,
 * empty pages, the filter literal) runs with the real client against the
 * Graph simulator in test/steps/intune-apps-report.test.ts.
 */
import { perAppRequestEstimate } from './detected-applications';

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
