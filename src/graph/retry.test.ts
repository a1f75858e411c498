import { backoffDelay, classifyStatus, parseRetryAfter } from './retry';

describe('parseRetryAfter', () => {
  test('seconds and HTTP dates', () => {
    expect(parseRetryAfter('10')).toBe(10_000);
    expect(parseRetryAfter('0')).toBe(0);
    const now = Date.parse('2026-11-26T10:00:00Z');
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  test('doubles per retry within [ceiling/2, ceiling], capped', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
  });
});

describe('classifyStatus', () => {
  test.each([
    [429, undefined, undefined, 'throttled'],
    [503, undefined, undefined, 'throttled'],
    [504, undefined, undefined, 'throttled'],
    [500, 'UnknownError', undefined, 'transient'],
    [502, undefined, undefined, 'transient'],
    [-1, 'TypeError', 'fetch failed', 'transient'],
    [
      401,
      'InvalidAuthenticationToken',
      'Lifetime validation failed, the token is expired.',
      'expiredToken',
    ],
    [401, 'InvalidAuthenticationToken', 'Access token is empty.', 'permanent'],
    [400, 'Directory_ExpiredPageToken', undefined, 'expiredPageToken'],
    [403, 'Authorization_RequestDenied', undefined, 'permanent'],
    [404, 'Request_ResourceNotFound', undefined, 'permanent'],
  ])('%s %s -> %s', (status, code, message, kind) => {
    expect(classifyStatus(status as number, code, message)).toBe(kind);
  });
});
