/**
 * Issue 20 (and issue 14 §8): the client learns the budget Graph actually
 * grants. Against the simulator granting a fraction of its limits, with and
 * without Retry-After, a collection completes with the ground truth's graph;
 * a service that refuses everything for longer than the give-up window fails
 * its step, partial and named. And the process never exits while requests
 * wait for budget.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';
import { Steps } from '../../src/steps/constants';
import { runCollection } from '../support/collect';
import { expectOutcome, failureMessages } from '../support/outcome';
import { startTestTenant } from '../support/tenant';

/** Limits small enough that the tiny tenant meets them (per 2 s windows). */
const SMALL_LIMITS = {
  directory: { small: 60, medium: 60, large: 60, windowSeconds: 2 },
  intuneDevices: { limit: 30, windowSeconds: 2 },
  intuneConfiguration: { limit: 30, windowSeconds: 2 },
  intuneApps: { limit: 30, windowSeconds: 2 },
};

test('§14.8 the process waits for requests queued on the budget with nothing in flight', () => {
  const out = execFileSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, '../support/budget-exit-child.ts'),
    ],
    { encoding: 'utf8', timeout: 20_000 },
  );
  expect(out).toBe('served 3\n');
});

describe.each([
  ['with Retry-After', true],
  ['without Retry-After', false],
] as const)('Graph granting half of small limits, %s', (_label, retryAfter) => {
  test('the collection completes, equal to the ground truth, and every step succeeds', async () => {
    const tenant = await startTestTenant('tiny', {
      behaviour: {
        throttling: SMALL_LIMITS,
        throttleGrant: 0.5,
        throttleRetryAfter: retryAfter,
      },
    });
    try {
      const result = await runCollection(tenant.config, {
        client: {
          // The client believes the limits are those small ones at full grant.
          throttle: {
            limits: {
              directory: { units: 60, windowMs: 2000 },
              intuneDevices: { units: 30, windowMs: 2000 },
              intuneConfiguration: { units: 30, windowMs: 2000 },
              intuneApps: { units: 30, windowMs: 2000 },
            },
          },
          retry: { baseDelayMs: 100, maxDelayMs: 1000 },
        },
      });
      expectOutcome(result, tenant.truth(), {});
      const { throttled } = tenant.simulator.stats().totals;
      expect(throttled).toBeGreaterThan(0);
      // The step logs say what Graph granted.
      expect(
        result.logs.some((r) =>
          /Microsoft Graph granted the \w+ service less than its documented limit: down to \d+ % of it at the lowest/.test(
            r.msg,
          ),
        ),
      ).toBe(true);
    } finally {
      await tenant.close();
    }
  });
});

test('a service that refuses everything for longer than the give-up window fails its step, partial and named', async () => {
  const tenant = await startTestTenant('tiny');
  try {
    tenant.simulator.addFault({
      match: { pathIncludes: '/deviceManagement/managedDevices' },
      respond: { status: 429, code: 'TooManyRequests', retryAfter: null },
    });
    const result = await runCollection(tenant.config, {
      client: {
        retry: { baseDelayMs: 50, maxDelayMs: 200, throttledGiveUpMs: 1500 },
      },
    });
    expect(result.stepStatus(Steps.DEVICES.id)).toBe('failure');
    expect(failureMessages(result)[Steps.DEVICES.id]).toMatch(
      /^Microsoft Graph GET \S+\/beta\/deviceManagement\/managedDevices\?\S+ failed with 429 TooManyRequests: [^(]+\(request-id [0-9a-f-]{36}\)\. Microsoft Graph kept throttling the intuneDevices service: none of its requests succeeded for \d+ s \(\d+ answers 429 in this collection so far\); the step fails so that its partial data does not replace the previous collection\.$/,
    );
    expect(result.summary.metadata.partialDatasets.types).toEqual(
      expect.arrayContaining(['intune_host_agent']),
    );
  } finally {
    await tenant.close();
  }
});
