/**
 * issue 15: settingsCatalog / endpointSecurity. Intune's newer policies,
 * beta `/deviceManagement/configurationPolicies` (Settings Catalog, and the
 * endpoint security templates: BitLocker, Defender Antivirus, firewall...),
 * and the report actions the Intune admin center reads for one of them
 * (docs/compliance.md "Policy families"). The only place that knows these
 * URLs.
 *
 * Why reports and not `deviceStatuses`: these policies have no
 * `deviceStatuses` navigation; Microsoft's docs note that a Settings Catalog
 * policy read through deviceConfigurations shows zeros. The admin center's
 * "Device and user check-in status", its overview counts and its per-device
 * setting drill-down are the three actions below (evidence in
 * docs/compliance.md).
 */
import { iteratePoliciesWithAssignments } from './policy-assignments';
import { GraphClient, GraphRequest } from './client';
import { PolicyAssignment } from './compliance';
import { ReportRow, ReportWalk } from './reports';

/**
 * deviceManagementConfigurationPolicy (beta;
 * learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy).
 * `platforms` and `technologies` are flags enums, comma-separated names.
 */
export interface SettingsPolicy {
  id: string;
  name?: string | null;
  description?: string | null;
  platforms?: string | null;
  technologies?: string | null;
  createdDateTime?: string | null;
  lastModifiedDateTime?: string | null;
  settingCount?: number | null;
  roleScopeTagIds?: string[] | null;
  templateReference?: {
    templateId?: string | null;
    templateFamily?: string | null;
    templateDisplayName?: string | null;
    templateDisplayVersion?: string | null;
  } | null;
  /** deviceManagementConfigurationPolicyAssignment: id, target (as the other families), source, sourceId. */
  assignments?: PolicyAssignment[] | null;
  [other: string]: unknown;
}

/**
 * GET /beta/deviceManagement/configurationPolicies?$expand=assignments, page
 * by page. Beta only: v1.0 answers 400 "Resource not found for the segment".
 * `$expand=assignments` as Microsoft's Zero Trust Assessment reads it
 * (`$expand=assignments,settings`): no request per policy for its targets.
 * Needs DeviceManagementConfiguration.Read.All.
 * https://learn.microsoft.com/graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-list?view=graph-rest-beta
 */
export function iterateSettingsPolicies(
  client: GraphClient,
): AsyncGenerator<SettingsPolicy[]> {
  // $expand=assignments, or each policy's /assignments when it is refused.
  return iteratePoliciesWithAssignments(client, {
    version: 'beta',
    path: '/deviceManagement/configurationPolicies',
  }) as AsyncGenerator<SettingsPolicy[]>;
}

const REPORTS = '/deviceManagement/reports/';

function reportRequest(action: string): GraphRequest {
  return { version: 'beta', path: `${REPORTS}${action}` };
}

/** An OData string literal: a quote inside is doubled. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The filter the admin center sends for a Settings Catalog or endpoint
 * security policy: its base type and its id.
 */
function policyFilter(policyId: string): string {
  return `(PolicyBaseTypeName eq 'DeviceManagementConfigurationPolicy') and (PolicyId eq ${literal(
    policyId,
  )})`;
}

/** The columns of the device report read here (the admin center selects these and more). */
export const DEVICE_REPORT_COLUMNS = [
  'IntuneDeviceId',
  'UserId',
  'UPN',
  'DeviceName',
  'PolicyStatus',
  'PspdpuLastModifiedTimeUtc',
] as const;

/** One row of getConfigurationPolicyDevicesReport: a device and a principal (its user, or the device context). */
export interface PolicyDeviceRow {
  IntuneDeviceId?: unknown;
  UserId?: unknown;
  UPN?: unknown;
  DeviceName?: unknown;
  /** Graph's complianceStatus enum as an integer (0 unknown ... 7 notAssigned), or its name. */
  PolicyStatus?: unknown;
  PspdpuLastModifiedTimeUtc?: unknown;
}

/**
 * Every row of one policy's "Device and user check-in status":
 * POST /beta/deviceManagement/reports/getConfigurationPolicyDevicesReport,
 * paged completely (reports.ts: explicit orderBy, TotalRowCount).
 * Any of the six DeviceManagement*.Read.All permissions; the step needs
 * DeviceManagementConfiguration.Read.All for the list anyway.
 * https://learn.microsoft.com/graph/api/intune-reporting-devicemanagementreports-getconfigurationpolicydevicesreport?view=graph-rest-beta
 */
export function forEachPolicyDeviceRow(
  client: GraphClient,
  policyId: string,
  onRows: (rows: PolicyDeviceRow[]) => Promise<void> | void,
  options: { top?: number } = {},
): Promise<ReportWalk> {
  return client.forEachReportPage(
    reportRequest('getConfigurationPolicyDevicesReport'),
    { filter: policyFilter(policyId), select: DEVICE_REPORT_COLUMNS },
    onRows as (rows: ReportRow[]) => Promise<void> | void,
    {
      top: options.top,
      // A row per device and principal; repeated rows are equal whole.
      orderBy: ['IntuneDeviceId', 'UserId', 'UPN'],
      subject: "this policy's device states",
    },
  );
}

/** One row of getConfigurationSettingNonComplianceReport: a setting that fails on a device for a principal. */
export interface FailedSettingRow {
  DeviceId?: unknown;
  UserId?: unknown;
  SettingId?: unknown;
  SettingName?: unknown;
  SettingStatus?: unknown;
}

export const SETTING_REPORT_COLUMNS = [
  'DeviceId',
  'UserId',
  'SettingId',
  'SettingName',
  'SettingStatus',
] as const;

/**
 * Every failing setting of one policy, on every device:
 * POST /beta/deviceManagement/reports/getConfigurationSettingNonComplianceReport
 * with `(PolicyId eq '{id}')`. The admin center's per-device drill-down adds
 * `and (DeviceId eq ...) and (UserId eq ...)`; one walk per policy instead
 * of one per failing device keeps the cost to the policy's pages
 * (docs/compliance.md: whether Graph serves it without the device clause is
 * UNCONFIRMED).
 * https://learn.microsoft.com/graph/api/intune-reporting-devicemanagementreports-getconfigurationsettingnoncompliancereport?view=graph-rest-beta
 */
export function forEachFailedSettingRow(
  client: GraphClient,
  policyId: string,
  onRows: (rows: FailedSettingRow[]) => Promise<void> | void,
  options: { top?: number } = {},
): Promise<ReportWalk> {
  return client.forEachReportPage(
    reportRequest('getConfigurationSettingNonComplianceReport'),
    {
      filter: `(PolicyId eq ${literal(policyId)})`,
      select: SETTING_REPORT_COLUMNS,
    },
    onRows as (rows: ReportRow[]) => Promise<void> | void,
    {
      top: options.top,
      orderBy: ['DeviceId', 'UserId', 'SettingId'],
      subject: "this policy's failing settings",
    },
  );
}

/** The counts of getConfigurationPolicyDeviceSummaryReport, the policy's own overview. */
export const SUMMARY_COUNT_COLUMNS = [
  'NumberOfCompliantDevices',
  'NumberOfNonCompliantDevices',
  'NumberOfErrorDevices',
  'NumberOfConflictDevices',
  'NumberOfNotApplicableDevices',
  'NumberOfInProgressDevices',
] as const;

/**
 * The policy's own count of its devices per state:
 * POST /beta/deviceManagement/reports/getConfigurationPolicyDeviceSummaryReport
 * (one row). undefined when the report holds no row or no count.
 * https://learn.microsoft.com/graph/api/intune-reporting-devicemanagementreports-getconfigurationpolicydevicesummaryreport?view=graph-rest-beta
 */
export async function readPolicyDeviceSummary(
  client: GraphClient,
  policyId: string,
): Promise<number | undefined> {
  let total: number | undefined;
  await client.forEachReportPage(
    reportRequest('getConfigurationPolicyDeviceSummaryReport'),
    {
      filter: policyFilter(policyId),
      select: ['PolicyId', ...SUMMARY_COUNT_COLUMNS],
    },
    (rows) => {
      for (const row of rows) {
        for (const column of SUMMARY_COUNT_COLUMNS) {
          const n = row[column];
          if (typeof n === 'number' && Number.isFinite(n) && n >= 0)
            total = (total ?? 0) + n;
        }
      }
    },
    { orderBy: ['PolicyId'], subject: "this policy's device summary" },
  );
  return total;
}
