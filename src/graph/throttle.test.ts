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

  test('identity reports: the documented 5 per 10 s, less the margin', async () => {
    const budget = new ServiceBudget({
      limit: DOCUMENTED_LIMITS.identityReports,
      targetShare: 0.95,
      maxConcurrency: 16,
    });
    let granted = 0;
    for (let i = 0; i < 6; i++)
      void budget.acquire(1).then((release) => {
        granted++;
        release();
      });
    await tick(0);
    // A bucket of 4.75 requests, refilled at 0.475 a second.
    expect(granted).toBe(4);
    await tick(600);
    expect(granted).toBe(5);
    await tick(2100);
    expect(granted).toBe(6);
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
