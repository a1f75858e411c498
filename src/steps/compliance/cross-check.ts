/**
 * Issue 15: a policy's status list is checked against the policy's own
 * count of its devices (`deviceStatusOverview`) before it is trusted
 * (docs/compliance.md "Cross-check").
 *
 * A public report has v1.0 `deviceCompliancePolicies/{id}/deviceStatuses`
 * returning 51 of 100+ devices while the policy's overview counted them all
 * (microsoftgraph/microsoft-graph-explorer-v4 #4043). A list cut short that
 * way ends with no nextLink: it looks complete, and the platform would
 * delete the ASSIGNED relationships and close the findings of every device
 * it left out. Like the completeness guard (completeness.ts), a shortfall
 * beyond the tolerance fails the step so its types are partial, and a count
 * that cannot be read only skips the check, with a warning.
 */
import {
  IntegrationError,
  IntegrationLogger,
} from '@jupiterone/integration-sdk-core';
import { GraphClient } from '../../graph/client';
import {
  forEachDeviceStatusOverview,
  forEachPolicyDeviceTotal,
  OverviewSource,
  overviewTotal,
  StatusListSource,
} from '../../graph/compliance';
import { isGraphError } from '../../graph/errors';
import { CountCheck, toleranceOf } from '../completeness';

/** issue 15: settingsCatalog / endpointSecurity: the same check against the summary report. */
export const SETTINGS_SUMMARY_CHECK: CountCheck = {
  what: 'device states',
  source: "the policy's getConfigurationPolicyDeviceSummaryReport",
  share: 0.05,
};

/**
 * issue 15: administrative templates and settings compliance policies: the
 * same check against the family's summary report (graph/policy-reports.ts).
 */
export const REPORT_SUMMARY_CHECK: CountCheck = {
  what: 'device states',
  source: "the policy's summary report",
  share: 0.05,
};

/**
 * Devices a policy's list may miss against its overview without doubt: at
 * least 5, or 5 %. Intune recomputes the overview on its own schedule
 * (`lastUpdateDateTime`), so devices enrolled, retired or re-evaluated since
 * make the two differ a little. 51 of 100+ is far past it.
 */
export const STATUS_OVERVIEW_CHECK: CountCheck = {
  what: 'device statuses',
  source: "the policy's deviceStatusOverview",
  share: 0.05,
};

/**
 * Every policy's overview total, by policy id, read while the statuses are
 * walked. Never rejects: a policy whose overview cannot be read (deleted:
 * 404; refused; no count in it) is left out, and so is not checked; every
 * reason but a 404 is logged once.
 */
export async function readStatusOverviews(
  client: GraphClient,
  logger: IntegrationLogger,
  stepName: string,
  source: OverviewSource,
  policyIds: string[],
): Promise<Map<string, number>> {
  return readPolicyTotals(
    logger,
    stepName,
    'deviceStatusOverview',
    policyIds,
    (onTotal) =>
      forEachDeviceStatusOverview(
        client,
        source,
        policyIds,
        (policyId, answer) =>
          onTotal(
            policyId,
            answer.error ? undefined : overviewTotal(answer.body),
            answer.error,
          ),
      ),
  );
}

/** issue 15: each policy's total from its family's summary report; never rejects. */
export async function readReportSummaries(
  client: GraphClient,
  logger: IntegrationLogger,
  stepName: string,
  source: StatusListSource,
  policyIds: string[],
): Promise<Map<string, number>> {
  return readPolicyTotals(
    logger,
    stepName,
    'summary report',
    policyIds,
    (onTotal) =>
      forEachPolicyDeviceTotal(client, source, policyIds, (policyId, answer) =>
        onTotal(policyId, answer.error ? undefined : answer.body, answer.error),
      ),
  );
}

/**
 * The routine behind readStatusOverviews, for any source of per-policy
 * totals (issue 15: the summary report of settings policies): `read` hands
 * each policy's total, or the error that kept it. Never rejects.
 */
export async function readPolicyTotals(
  logger: IntegrationLogger,
  stepName: string,
  what: string,
  policyIds: string[],
  read: (
    onTotal: (
      policyId: string,
      total: number | undefined,
      error?: unknown,
    ) => void,
  ) => Promise<void>,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  let unreadable = 0;
  let example: unknown;
  try {
    await read((policyId, total, error) => {
      if (total !== undefined) {
        totals.set(policyId, total);
        return;
      }
      if (error && isGraphError(error, { status: 404 })) return;
      unreadable++;
      example ??= error ?? 'no count in the answer';
    });
  } catch (err) {
    unreadable = policyIds.length - totals.size;
    example = err;
  }
  if (unreadable) {
    logger.warn(
      { err: example, unreadable },
      `${stepName}: could not read the ${what} of ${unreadable} policies; their device statuses are not checked against it.`,
    );
  }
  return totals;
}

export interface StatusListCount {
  policyId: string;
  policyName: string;
  /** Devices the policy's list holds with a state other than notAssigned. */
  collected: number;
}

/**
 * Logs each policy whose status list falls short of its overview by more
 * than the tolerance, with both numbers, then fails the step once: its
 * types become partial and the previous data is kept.
 */
export function assertStatusListsComplete(
  logger: IntegrationLogger,
  stepName: string,
  counts: StatusListCount[],
  overviews: Map<string, number>,
  check: CountCheck = STATUS_OVERVIEW_CHECK,
  /** What the line calls the policy's own count. */
  countName = 'deviceStatusOverview',
): void {
  const short: string[] = [];
  for (const { policyId, policyName, collected } of counts) {
    const expected = overviews.get(policyId);
    if (expected === undefined) continue;
    const tolerance = toleranceOf(expected, check.share);
    if (expected - collected <= tolerance) continue;
    const line = `"${policyName}" (${policyId}): read the states of ${collected} devices, its ${countName} counts ${expected}`;
    logger.warn(
      { policyId, collected, expected, tolerance },
      `${stepName}: ${line}; ${
        expected - collected
      } missing is more than the ${tolerance} that changes during the collection explain.`,
    );
    short.push(line);
  }
  if (!short.length) return;
  throw new IntegrationError({
    code: 'INCOMPLETE_COLLECTION',
    message: `${stepName}: the device status lists of ${
      short.length
    } policies fall short of ${check.source} by more than ${
      check.share * 100
    } % (at least 5 devices): ${short.slice(0, 3).join('; ')}${
      short.length > 3 ? '; ...' : ''
    }. Microsoft Graph ended those lists early, so the step's types are marked partial and the previous data is kept.`,
  });
}
