/**
 * The shapes of Intune policies, their assignments and their per-device
 * statuses as Graph lists them: shared by compliance.ts and the issue-15
 * family modules (group-policy.ts, settings-compliance.ts, policy-reports.ts,
 * policy-assignments.ts), which must not import compliance.ts (it imports
 * them).
 */

/**
 * A compliance policy or device configuration as Graph lists it: the common
 * properties, plus the settings of its derived type (`@odata.type`).
 */
export interface IntunePolicy {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  description?: string | null;
  version?: number | null;
  createdDateTime?: string | null;
  lastModifiedDateTime?: string | null;
  /** `$expand=assignments` (issue 15). */
  assignments?: PolicyAssignment[] | null;
  [setting: string]: unknown;
}

/**
 * deviceCompliancePolicyAssignment / deviceConfigurationAssignment: `id`
 * and `target` (learn.microsoft.com/graph/api/resources/
 * intune-deviceconfig-devicecompliancepolicyassignment,
 * ...-deviceconfigurationassignment).
 */
export interface PolicyAssignment {
  id?: string | null;
  target?: AssignmentTarget | null;
}

/**
 * deviceAndAppManagementAssignmentTarget and its derived types
 * (learn.microsoft.com/graph/api/resources/intune-shared-deviceandappmanagementassignmenttarget):
 * `#microsoft.graph.groupAssignmentTarget` and
 * `#microsoft.graph.exclusionGroupAssignmentTarget` carry `groupId`;
 * `allDevicesAssignmentTarget` and `allLicensedUsersAssignmentTarget` carry
 * nothing more; every one may carry an assignment filter (id, and type
 * none / include / exclude).
 */
export interface AssignmentTarget {
  '@odata.type'?: string;
  groupId?: string | null;
  deviceAndAppManagementAssignmentFilterId?: string | null;
  deviceAndAppManagementAssignmentFilterType?: string | null;
}

/** deviceComplianceDeviceStatus / deviceConfigurationDeviceStatus. */
export interface PolicyDeviceStatus {
  /** `{intuneAccountId}_{policyId}_{managedDeviceId}` (graph-api.md §9). */
  id: string;
  deviceDisplayName?: string | null;
  userName?: string | null;
  deviceModel?: string | null;
  /** beta only (compliance statuses); not read from v1.0. */
  platform?: number | null;
  complianceGracePeriodExpirationDateTime?: string | null;
  /** unknown, notApplicable, compliant, remediated, nonCompliant, error, conflict, notAssigned (+ future values). */
  status?: string | null;
  lastReportedDateTime?: string | null;
  userPrincipalName?: string | null;
}
