/**
 * Issue 15: settings compliance policies, beta
 * `/deviceManagement/compliancePolicies` (compliance policies built from the
 * settings catalog, e.g. for Linux), and their per-device state
 * (docs/compliance.md "Settings compliance policies").
 *
 * - Items are deviceManagementCompliancePolicy: id, name (not displayName),
 *   description, platforms, technologies, settingCount, createdDateTime,
 *   lastModifiedDateTime, creationSource, roleScopeTagIds, isAssigned
 *   (learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementcompliancepolicy).
 * - Assignments with `$expand=assignments` (deviceManagementConfigurationPolicyAssignment:
 *   id, target, source), with the `/{id}/assignments` fallback.
 * - Per-device state from `getDeviceStatusByCompliacePolicyReport`
 *   (Microsoft's spelling), the call the admin center makes from a
 *   compliance policy's device status page, filtered by PolicyId; the counts
 *   from `getDeviceStatusSummaryByCompliacePolicyReport` (one row per OS).
 */
import { GraphClient, ReportRow } from './client';
import type { IntunePolicy } from './policy-types';
import { iteratePoliciesWithAssignments } from './policy-assignments';
import {
  cellText,
  odataString,
  ReportPolicyFamily,
  statusOfCode,
} from './policy-reports';

/**
 * PolicyStatus codes of the compliance reports: 1 unknown, 2 compliant, 3 in
 * grace period, 4 noncompliant, 5 error, 6 conflict, 7 not applicable (two
 * independent public scripts; intune-exports.md §2.4). A device in its grace
 * period does not comply yet, and the v1.0 status lists say `nonCompliant`
 * for it: so here too, and the two routes give one graph.
 */
export const COMPLIANCE_POLICY_STATUS: Record<number, string> = {
  1: 'unknown',
  2: 'compliant',
  3: 'nonCompliant',
  4: 'nonCompliant',
  5: 'error',
  6: 'conflict',
  7: 'notApplicable',
};

/** GET beta /deviceManagement/compliancePolicies with their assignments, page by page. */
export function iterateSettingsCompliancePolicies(
  client: GraphClient,
): AsyncGenerator<IntunePolicy[]> {
  return iteratePoliciesWithAssignments(client, {
    version: 'beta',
    path: '/deviceManagement/compliancePolicies',
  });
}

export const SETTINGS_COMPLIANCE_REPORTS: ReportPolicyFamily = {
  devicesReport: {
    version: 'beta',
    path: '/deviceManagement/reports/getDeviceStatusByCompliacePolicyReport',
  },
  select: [
    'DeviceId',
    'DeviceName',
    'UPN',
    'UserName',
    'PolicyStatus',
    'LastContact',
  ],
  orderBy: ['DeviceId', 'UPN', 'UserName'],
  summaryReport: {
    version: 'beta',
    path: '/deviceManagement/reports/getDeviceStatusSummaryByCompliacePolicyReport',
  },
  summaryOrderBy: ['OS'],
  filterOf: (policyId) => `(PolicyId eq ${odataString(policyId)})`,
  statusOf: (row: ReportRow) => ({
    deviceId: cellText(row.DeviceId),
    deviceDisplayName: cellText(row.DeviceName),
    userPrincipalName: cellText(row.UPN) ?? '',
    userName: cellText(row.UserName),
    status: statusOfCode(COMPLIANCE_POLICY_STATUS, row.PolicyStatus),
    lastReportedDateTime: cellText(row.LastContact),
  }),
  subject: "the settings compliance policy's device report",
};
