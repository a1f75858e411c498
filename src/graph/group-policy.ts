/**
 * Issue 15: administrative templates (Intune "Templates > Administrative
 * templates"), beta `/deviceManagement/groupPolicyConfigurations`, and their
 * per-device state (docs/compliance.md "Administrative templates").
 *
 * - The list exists in beta only (the groupPolicyConfiguration resource page
 *   has no v1.0 version). Items are groupPolicyConfiguration: id,
 *   displayName, description, createdDateTime, lastModifiedDateTime,
 *   roleScopeTagIds, policyConfigurationIngestionType
 *   (learn.microsoft.com/graph/api/resources/intune-grouppolicy-grouppolicyconfiguration).
 * - Assignments with `$expand=assignments`, as public Intune tools read them
 *   (`beta/deviceManagement/groupPolicyConfigurations?$expand=assignments`),
 *   with the `/{id}/assignments` fallback of policy-assignments.ts.
 * - There is no deviceStatuses collection. Per-device state comes from the
 *   report action the admin center's device status uses for configuration
 *   profiles, `getConfigurationPolicyDevicesReport`, filtered by PolicyId
 *   (public scripts scope it with `PolicyBaseTypeName eq
 *   'DeviceConfigurationAdmxPolicy'`, the base type of these profiles, beside
 *   the PolicyId); the policy's counts from
 *   `getConfigurationPolicyDeviceSummaryReport` (same filter).
 *
 * Needs DeviceManagementConfiguration.Read.All (the report actions accept
 * it too). All on the Intune configuration throttling budget for the list;
 * the report actions on the budget costOf gives /deviceManagement/reports.
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
 * PolicyStatus codes of the configuration policy reports, in the order of
 * Intune's complianceStatus enum, as public scripts map them (0 unknown, 1
 * not applicable, 2 succeeded, 3 remediated, 4 not compliant, 5 error, 6
 * conflict, 7 not assigned). 2, 4, 5 and 6, the codes that decide findings,
 * agree across every mapping found; 0, 1, 3 and 7 are UNCONFIRMED.
 */
export const CONFIGURATION_POLICY_STATUS: Record<number, string> = {
  0: 'unknown',
  1: 'notApplicable',
  2: 'compliant',
  3: 'remediated',
  4: 'nonCompliant',
  5: 'error',
  6: 'conflict',
  7: 'notAssigned',
};

/** GET beta /deviceManagement/groupPolicyConfigurations with their assignments, page by page. */
export function iterateGroupPolicyConfigurations(
  client: GraphClient,
): AsyncGenerator<IntunePolicy[]> {
  return iteratePoliciesWithAssignments(client, {
    version: 'beta',
    path: '/deviceManagement/groupPolicyConfigurations',
  });
}

export const ADMINISTRATIVE_TEMPLATE_REPORTS: ReportPolicyFamily = {
  devicesReport: {
    version: 'beta',
    path: '/deviceManagement/reports/getConfigurationPolicyDevicesReport',
  },
  select: [
    'IntuneDeviceId',
    'DeviceName',
    'UPN',
    'PolicyStatus',
    'PspdpuLastModifiedTimeUtc',
  ],
  // A device has a row per principal (its user, "System account"): the UPN
  // completes the order.
  orderBy: ['IntuneDeviceId', 'UPN'],
  summaryReport: {
    version: 'beta',
    path: '/deviceManagement/reports/getConfigurationPolicyDeviceSummaryReport',
  },
  summaryOrderBy: ['PolicyId'],
  filterOf: (policyId) => `(PolicyId eq ${odataString(policyId)})`,
  statusOf: (row: ReportRow) => ({
    deviceId: cellText(row.IntuneDeviceId),
    deviceDisplayName: cellText(row.DeviceName),
    userPrincipalName: cellText(row.UPN) ?? '',
    status: statusOfCode(CONFIGURATION_POLICY_STATUS, row.PolicyStatus),
    lastReportedDateTime: cellText(row.PspdpuLastModifiedTimeUtc),
  }),
  subject: "the administrative template's device report",
};
