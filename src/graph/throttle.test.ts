import { ServiceBudget } from './throttle';
import { DOCUMENTED_LIMITS } from './services';

/** Advances the fake clock, then lets the promises it resolved run. */
async function tick(ms: number): Promise<void> {
  jest.advanceTimersByTime(ms);
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('ServiceBudget', () => {
  beforeEach(() => jest.useFakeTimers('modern'));
  afterEach(() => jest.useRealTimers());

  test('a one-request-per-second budget (Conditional Access) keeps its margin: one request every 1/0.95 s', async () => {
    const budget = new ServiceBudget({
      limit: DOCUMENTED_LIMITS.conditionalAccess,
      targetShare: 0.95,
      maxConcurrency: 16,
    });
    const first = await budget.acquire(1);
    first();
    let second = false;
    const waiting = budget.acquire(1).then((release) => {
      second = true;
      release();
    });
    await tick(1000);
    expect(second).toBe(false);
    await tick(60);
    await waiting;
    expect(second).toBe(true);
  });

  test('identity reports: the slow start grows the first burst to the documented 5 per 10 s, less the margin', async () => {
    const budget = new ServiceBudget({
      limit: DOCUMENTED_LIMITS.identityReports,
      targetShare: 0.95,
      maxConcurrency: 16,
    });
    let granted = 0;
    const ask = () =>
      void budget.acquire(1).then((release) => {
        granted++;
        budget.succeeded(1);
        release();
      });
    for (let i = 0; i < 6; i++) ask();
    await tick(0);
    // One request's burst at first; each answer without a sign of the limit
    // grows it by one, up to a bucket of 4.75 requests.
    expect(granted).toBe(4);
    // Refilled at 0.475 a second.
    await tick(600);
    expect(granted).toBe(5);
    await tick(2100);
    expect(granted).toBe(6);
  });

  test('slow start: the first burst of a directory fan-out is a second and a half of the pace, not a whole window', async () => {
    const budget = new ServiceBudget({
      limit: DOCUMENTED_LIMITS.directory,
      targetShare: 0.95,
      maxConcurrency: 100_000,
    });
    let granted = 0;
    for (let i = 0; i < 10_000; i++)
      void budget.acquire(1).then(() => granted++);
    await tick(0);
    const perMs =
      (DOCUMENTED_LIMITS.directory.units /
        DOCUMENTED_LIMITS.directory.windowMs) *
      0.95;
    expect(granted).toBe(Math.floor(perMs * 1500));
  });

  test('x-ms-throttle-limit-percentage: the limit it implies becomes the pace, before any 429', async () => {
    const budget = new ServiceBudget({
      limit: DOCUMENTED_LIMITS.directory,
      targetShare: 0.95,
      maxConcurrency: 16,
    });
    // 1,000 units got through; Graph says that is 90 % of the limit it grants.
    for (let i = 0; i < 10; i++) {
      const release = await budget.acquire(100);
      budget.succeeded(100, i === 9 ? 0.9 : undefined);
      release();
    }
    const granted = 1000 / 0.9;
    expect(budget.stats.currentShare).toBeCloseTo(
      (granted * 0.95) / DOCUMENTED_LIMITS.directory.units,
      5,
    );
    // What is left of the window at that margin: 1,055.6 - 1,000 units, so 55 now and no more.
    let sent = false;
    void budget.acquire(55).then(() => (sent = true));
    await tick(0);
    expect(sent).toBe(true);
    let next = false;
    void budget.acquire(55).then(() => (next = true));
    await tick(0);
    expect(next).toBe(false);
    expect(budget.stats.throttled).toBe(0);
  });

  test('a 429 after a window of real demand measures the grant: one request per 10 s on a fifth of the identity reports', async () => {
    const budget = new ServiceBudget({
      limit: DOCUMENTED_LIMITS.identityReports,
      targetShare: 0.95,
      maxConcurrency: 16,
    });
    // A report walked page by page: one page through, the next refused.
    const first = await budget.acquire(1);
    budget.succeeded(1);
    first();
    const second = await budget.acquire(1);
    budget.throttled(20_000, true);
    second();
    // One request got through in the window: that is the grant, 0.2 of 5.
    expect(budget.stats.currentShare).toBeCloseTo(0.95 / 5, 5);
    // Graph named the time to retry: the retry goes when the pause ends...
    let retried = false;
    void budget.acquire(1).then((release) => {
      retried = true;
      budget.succeeded(1);
      release();
    });
    await tick(19_999);
    expect(retried).toBe(false);
    await tick(1);
    expect(retried).toBe(true);
    // ...and the pace stays at one request per 10.5 s, under the grant, for
    // the two minutes after the 429 (the pages of the report, queued).
    const grantedAt: number[] = [];
    for (let page = 0; page < 9; page++)
      void budget.acquire(1).then((release) => {
        grantedAt.push(Date.now());
        budget.succeeded(1);
        release();
      });
    for (let ms = 0; ms < 100_000; ms += 100) await tick(100);
    expect(grantedAt).toHaveLength(9);
    for (let i = 1; i < grantedAt.length; i++) {
      expect(grantedAt[i] - grantedAt[i - 1]).toBeGreaterThanOrEqual(10_500);
      expect(grantedAt[i] - grantedAt[i - 1]).toBeLessThanOrEqual(10_600);
    }
  });

  test('one 429 on a quiet service cuts the rate to 0.7 of half of it at most, not to what little was asked', async () => {
    const budget = new ServiceBudget({
      limit: DOCUMENTED_LIMITS.directory,
      targetShare: 0.95,
      maxConcurrency: 16,
    });
    // Two requests got through in the window: demand, not Graph's grant.
    for (let i = 0; i < 2; i++) {
      const release = await budget.acquire(1);
      budget.succeeded(1);
      release();
    }
    budget.throttled(1000);
    expect(budget.stats.currentShare).toBeCloseTo(0.95 * 0.5 * 0.7, 5);
  });

  test('a one-request-per-second budget keeps one request per second after a 429', async () => {
    const budget = new ServiceBudget({
      limit: DOCUMENTED_LIMITS.conditionalAccess,
      targetShare: 0.95,
      maxConcurrency: 16,
    });
    budget.throttled(1000);
    budget.throttled(1000);
    await tick(1000);
    budget.throttled(1000);
    // One request per window at the lowest, the documented limit's margin at most.
    expect(budget.stats.currentShare).toBeCloseTo(0.95, 5);
  });

  test('after a 429 the pace grows back to 90 % of the pace that met it, no further, for two minutes', async () => {
    const budget = new ServiceBudget({
      limit: DOCUMENTED_LIMITS.identityReports,
      targetShare: 0.95,
      maxConcurrency: 16,
    });
    budget.throttled(1000);
    await tick(1000);
    const metSecond429 = budget.stats.currentShare;
    budget.throttled(1000);
    // 100 s of successes: the additive increase alone (0.2 % a second) would pass the ceiling.
    for (let i = 0; i < 100; i++) {
      await tick(1000);
      budget.succeeded(1);
    }
    expect(budget.stats.currentShare).toBeCloseTo(metSecond429 * 0.9, 5);
    // Once the ceiling lapses (120 s after the 429), the pace goes on up.
    for (let i = 0; i < 40; i++) {
      await tick(1000);
      budget.succeeded(1);
    }
    expect(budget.stats.currentShare).toBeGreaterThan(
      metSecond429 * 0.9 + 0.03,
    );
  });

  test('no burst when a 429 pause ends: nothing accrues while the service is held', async () => {
    const budget = new ServiceBudget({
      limit: DOCUMENTED_LIMITS.directory,
      targetShare: 0.95,
      maxConcurrency: 1000,
    });
    budget.throttled(5000);
    await tick(5000);
    let granted = 0;
    for (let i = 0; i < 50; i++)
      void budget.acquire(1).then((release) => {
        granted++;
        release();
      });
    await tick(10);
    // A tenth of what a full one-second bucket would have let through at once.
    const perMs =
      (DOCUMENTED_LIMITS.directory.units /
        DOCUMENTED_LIMITS.directory.windowMs) *
      0.95 *
      0.5 *
      0.7;
    expect(granted).toBeLessThanOrEqual(Math.ceil(perMs * 10) + 1);
  });
});
