/**
 * The completeness guard: before the platform deletes what a collection did
 * not see, the number of objects read is checked against Graph's own count.
 * A walk that ended early (a last page without its nextLink, a list cut
 * short) would otherwise look complete, and the objects it missed would be
 * deleted, with their history.
 */
import {
  IntegrationError,
  IntegrationLogger,
} from '@jupiterone/integration-sdk-core';

export interface CountCheck {
  /** What was counted, plural: "users", "groups", "managed devices". */
  what: string;
  /** Where Graph's number came from, for the message. */
  source: string;
  /** Share of Graph's count that may be missing without doubt (objects deleted or created during the run). */
  share: number;
}

/** The difference a count may show without being a short walk: at least 5 objects, or `share` of the count. */
export function toleranceOf(expected: number, share: number): number {
  return Math.max(5, Math.ceil(expected * share));
}

/**
 * Starts Graph's count while the walk runs. A count that cannot be read
 * (refused, not supported in the tenant) only skips the check, with a
 * warning: the check must never be what fails a collection.
 */
export function startCount(
  logger: IntegrationLogger,
  check: CountCheck,
  count: () => Promise<number>,
): Promise<number | undefined> {
  return count().catch((err: unknown) => {
    logger.warn(
      { err },
      `Could not read how many ${check.what} Microsoft Graph holds (${check.source}); the ${check.what} read are not checked against it.`,
    );
    return undefined;
  });
}

/**
 * Throws when `collected` falls short of Graph's count by more than the
 * tolerance: the step fails with its types partial, so the platform keeps
 * the previous data instead of deleting what this run did not see.
 */
export function assertComplete(
  logger: IntegrationLogger,
  stepName: string,
  check: CountCheck,
  collected: number,
  expected: number | undefined,
): void {
  if (expected === undefined) return;
  const tolerance = toleranceOf(expected, check.share);
  if (expected - collected <= tolerance) return;
  const message = `${stepName}: read ${collected} ${check.what}, but Microsoft Graph counts ${expected} (${check.source}); ${
    expected - collected
  } missing is more than the ${tolerance} that changes during the collection explain, so the ${check.what} are marked partial and the previous data is kept.`;
  logger.warn({ collected, expected, tolerance }, message);
  throw new IntegrationError({ code: 'INCOMPLETE_COLLECTION', message });
}

export const COUNT_CHECKS = {
  USERS: {
    what: 'users',
    source: 'GET /users/$count, ConsistencyLevel: eventual',
    share: 0.005,
  },
  GROUPS: {
    what: 'groups',
    source: 'GET /groups/$count, ConsistencyLevel: eventual',
    share: 0.005,
  },
  MANAGED_DEVICES: {
    what: 'managed devices',
    source: 'managedDeviceOverview.enrolledDeviceCount',
    share: 0.01,
  },
} as const;
