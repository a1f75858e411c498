/**
 * Issue 15: Intune policy families whose per-device state Graph gives only
 * through report actions (administrative templates, settings compliance
 * policies). What the families share: one report walk per policy, its rows
 * turned into the deviceStatus shape the compliance routine already decides
 * on, and the policy's summary report totalled for the cross-check
 * (docs/compliance.md "Policy families").
 *
 * Each family's URLs, columns and status codes are in its own file
 * (group-policy.ts, settings-compliance.ts).
 */
import { GraphClient, GraphRequest, ReportRow } from './client';
import { GraphAnswer } from './batch';
import type { PolicyDeviceStatus } from './policy-types';
import { forEachConcurrently } from './fan-out';
import { isGraphError } from './errors';

/** How to read one family's device report and its summary. */
export interface ReportPolicyFamily {
  /** The per-device report action, e.g. `/deviceManagement/reports/getConfigurationPolicyDevicesReport`. */
  devicesReport: GraphRequest;
  /** Columns asked for (select). */
  select: string[];
  /** Columns that order the rows completely (ReportPageOptions.orderBy). */
  orderBy: string[];
  /** The policy's device counts, e.g. `getConfigurationPolicyDeviceSummaryReport`. */
  summaryReport: GraphRequest;
  summaryOrderBy: string[];
  /** The report's filter for one policy. */
  filterOf(policyId: string): string;
  /** A row -> the deviceStatus shape; undefined for a row without a device id. */
  statusOf(row: ReportRow): Omit<PolicyDeviceStatus, 'id'> & {
    deviceId?: string;
  };
  /** For errors: "the administrative template's device report". */
  subject: string;
}

/** `'` doubled, as OData string literals need. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Text of a report cell, or undefined when empty. */
export function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  return text === '' ? undefined : text;
}

/**
 * The status value of a coded PolicyStatus cell: the code's meaning when the
 * table knows it, `policyStatus:<code>` otherwise (counted and logged by the
 * step as a status it does not know, never a finding).
 */
export function statusOfCode(
  table: Record<number, string>,
  value: unknown,
): string {
  const code = typeof value === 'number' ? value : Number(value);
  if (Number.isInteger(code) && table[code] !== undefined) return table[code];
  return `policyStatus:${cellText(value) ?? '(none)'}`;
}

export interface ReportWalkOptions {
  concurrency?: number;
  /** Every row of the policy has been handed over. */
  onPolicyDone?: (policyId: string) => Promise<void> | void;
}

/**
 * Reads the device report of every policy (concurrently, each completely:
 * explicit orderBy, TotalRowCount check) and hands each page to `onPage` as
 * deviceStatus rows whose id is `{policyId}_{deviceId}`, so that the device id
 * is the last `_` segment, as in the v1.0 status ids. A row repeated whole is
 * handed over once. Failures follow the fan-out's policy (one policy failing
 * spares the others; the step fails once).
 */
export function forEachReportStatusPage(
  client: GraphClient,
  family: ReportPolicyFamily,
  policyIds: Iterable<string>,
  onPage: (
    policyId: string,
    statuses: PolicyDeviceStatus[],
  ) => Promise<void> | void,
  options: ReportWalkOptions = {},
): Promise<void> {
  return forEachConcurrently(
    policyIds,
    options.concurrency ?? 4,
    async (policyId) => {
      const seen = new Set<string>();
      await client.forEachReportPage(
        family.devicesReport,
        { filter: family.filterOf(policyId), select: family.select },
        async (rows) => {
          const statuses: PolicyDeviceStatus[] = [];
          for (const row of rows) {
            const { deviceId, ...status } = family.statusOf(row);
            const identity = JSON.stringify(row);
            if (seen.has(identity)) continue;
            seen.add(identity);
            // No device id: an id without a device segment, which the step counts.
            statuses.push({
              ...status,
              id: deviceId ? `${policyId}_${deviceId}` : policyId,
            });
          }
          await onPage(policyId, statuses);
        },
        { orderBy: family.orderBy, subject: family.subject },
      );
      await options.onPolicyDone?.(policyId);
    },
  );
}

/** Summary columns that count devices another column already counts. */
const OVERLAPPING_COUNTS = new Set(['NumberOfNonCompliantOrErrorDevices']);

/**
 * Every device a summary report counts: the sum of its `NumberOf…Devices`
 * columns over all its rows (the compliance summary has one row per OS),
 * leaving out columns that overlap others. undefined when it has no count.
 */
export function summaryTotal(rows: ReportRow[]): number | undefined {
  let total: number | undefined;
  for (const row of rows) {
    for (const [column, value] of Object.entries(row)) {
      if (!/^NumberOf\w*Devices$/.test(column)) continue;
      if (OVERLAPPING_COUNTS.has(column)) continue;
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
        total = (total ?? 0) + value;
    }
  }
  return total;
}

/**
 * Each policy's summary report, totalled (summaryTotal), or the Graph error
 * that one policy's report met, to `onAnswer`. Other failures reject.
 */
export function forEachReportSummaryTotal(
  client: GraphClient,
  family: ReportPolicyFamily,
  policyIds: Iterable<string>,
  onAnswer: (
    policyId: string,
    answer: GraphAnswer<number | undefined>,
  ) => Promise<void> | void,
): Promise<void> {
  return forEachConcurrently(policyIds, 4, async (policyId) => {
    const rows: ReportRow[] = [];
    try {
      await client.forEachReportPage(
        family.summaryReport,
        { filter: family.filterOf(policyId) },
        (page) => {
          rows.push(...page);
        },
        {
          orderBy: family.summaryOrderBy,
          subject: `the summary of ${family.subject}`,
        },
      );
    } catch (err) {
      if (isGraphError(err)) {
        await onAnswer(policyId, { error: err });
        return;
      }
      throw err;
    }
    await onAnswer(policyId, { body: summaryTotal(rows) });
  });
}
