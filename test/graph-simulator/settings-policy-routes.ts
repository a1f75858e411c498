/**
 * issue 15: settingsCatalog / endpointSecurity. Beta
 * `/deviceManagement/configurationPolicies` and the report actions the
 * Intune admin center reads for one such policy.
 *
 * - GET /beta/deviceManagement/configurationPolicies
 *   (learn.microsoft.com/graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-list):
 *   beta only; v1.0 has no such segment and answers Graph's 400 "Resource
 *   not found for the segment 'configurationPolicies'.". `$expand=assignments`
 *   is what Microsoft's Zero Trust Assessment reads
 *   (`configurationPolicies?$expand=assignments,settings`, peers.md §1.6);
 *   any other expansion but `settings` is refused (`settings` is not served
 *   here: nothing reads it).
 * - POST /deviceManagement/reports/getConfigurationPolicyDevicesReport: the
 *   "Device and user check-in status" list of one policy. Public callers
 *   send `filter: "((PolicyBaseTypeName eq 'Microsoft.Management.Services.Api.DeviceConfiguration')
 *   or (PolicyBaseTypeName eq 'DeviceManagementConfigurationPolicy') ...) and (PolicyId eq '{id}')"`
 *   and select DeviceName, UPN, ReportStatus, AssignmentFilterIds,
 *   PspdpuLastModifiedTimeUtc, IntuneDeviceId, UnifiedPolicyPlatformType,
 *   UserId, PolicyStatus, PolicyBaseTypeName, paging with top/skip
 *   (public scripts; intune-exports.md §2.4 lists the same columns for the
 *   DeviceStatusesByConfigurationProfile export).
 * - POST .../getConfigurationPolicyDeviceSummaryReport: one row of counts
 *   (NumberOfCompliantDevices, NumberOfNonCompliantDevices,
 *   NumberOfErrorDevices, NumberOfConflictDevices,
 *   NumberOfNotApplicableDevices, NumberOfInProgressDevices) with the same
 *   PolicyId filter (public script reading it for Settings Catalog policies).
 * - POST .../getConfigurationSettingNonComplianceReport: failing settings
 *   (SettingId, SettingName, SettingStatus, ErrorCode...) with
 *   `(PolicyId eq '{id}')`, optionally `and (DeviceId eq '{id}') and (UserId eq '{id}')`
 *   as the per-device drill-down sends it (public script).
 *
 * Harsher than Graph where it is not documented: a filter without
 * `PolicyId eq` is refused (400); `top` defaults to 50 and is clamped to
 * reportMaxTop; without `orderBy` the rows may come in another order on
 * every page (reportUnorderedWithoutOrderBy). Permissions: the report
 * actions accept any of the six DeviceManagement*.Read(Write).All scopes
 * (each action's page); the list needs DeviceManagementConfiguration.Read.All.
 */
import {
  listAssignments,
  refuseExpandedAssignments,
} from './report-policy-routes';
import { fromCollection } from './collections';
import { serializePage, STREAM_CONTENT_TYPE } from './envelope';
import {
  GraphHttpError,
  GraphMessages,
  resourceNotFound,
  unknownProperty,
} from './errors';
import {
  GraphCall,
  GraphPayload,
  GraphRoute,
  intunePageSize,
  rejectFilter,
} from './graph-call';
import { Permissions } from './permissions';
import {
  columnType,
  orderRows,
  clauseValue,
  POLICY_FILTER_REQUIRED,
  readReportRequest,
  ReportRequest,
  shuffled,
} from './reports';
import { hash } from './tenant/random';

type Row = Record<string, string | number | null>;

const REPORT_PERMISSIONS = [
  ...Permissions.intuneConfiguration,
  ...Permissions.intuneApps,
  ...Permissions.intuneDevices,
];

export const DEVICE_REPORT_COLUMNS = [
  'DeviceName',
  'UPN',
  'ReportStatus',
  'AssignmentFilterIds',
  'PspdpuLastModifiedTimeUtc',
  'IntuneDeviceId',
  'UnifiedPolicyPlatformType',
  'UserId',
  'UserName',
  'PolicyStatus',
  'PolicyBaseTypeName',
  'PolicyId',
  'PolicyName',
];

export const SETTING_REPORT_COLUMNS = [
  'PolicyId',
  'PolicyName',
  'DeviceId',
  'DeviceName',
  'UserId',
  'UPN',
  'SettingId',
  'SettingInstancePath',
  'SettingStatus',
  'ErrorType',
  'ErrorCode',
  'ErrorMessage',
  'SettingName',
];

export const SUMMARY_REPORT_COLUMNS = [
  'PolicyId',
  'PolicyName',
  'PolicyBaseTypeName',
  'UnifiedPolicyType',
  'NumberOfCompliantDevices',
  'NumberOfNonCompliantDevices',
  'NumberOfErrorDevices',
  'NumberOfConflictDevices',
  'NumberOfNotApplicableDevices',
  'NumberOfInProgressDevices',
];

const COLUMN_TYPES: Record<string, string> = {
  PspdpuLastModifiedTimeUtc: 'DateTime',
  PolicyStatus: 'Int32',
  SettingStatus: 'Int32',
  ErrorCode: 'Int32',
};

const DEFAULT_TOP = 50;

/** A tenant without an Intune licence answers this on every Intune endpoint (graph-api.md §0.8). */
function refuseWithoutLicence(call: GraphCall): void {
  if (call.behaviour.settingsPoliciesNotApplicable)
    throw new GraphHttpError(400, 'BadRequest', GraphMessages.notApplicable);
}

function listConfigurationPolicies(call: GraphCall): GraphPayload {
  if (call.version !== 'beta') throw resourceNotFound('configurationPolicies');
  refuseWithoutLicence(call);
  rejectFilter(
    call,
    'intuneConfiguration',
    'deviceManagementConfigurationPolicy',
  );
  const data = call.tenant.settingsPolicies;
  const expand = (call.query.expand ?? []).map((item) =>
    item.replace(/\(.*$/, '').toLowerCase(),
  );
  for (const name of expand) {
    if (name !== 'assignments' && name !== 'settings')
      throw unknownProperty(name, 'deviceManagementConfigurationPolicy');
  }
  const withAssignments = expand.includes('assignments');
  if (withAssignments)
    refuseExpandedAssignments(call, 'deviceManagementConfigurationPolicy');
  const source = fromCollection(
    data?.collection ?? { count: 0, get: () => ({}) },
  );
  const page = serializePage(call.page, {
    source,
    contextFragment: withAssignments
      ? 'deviceManagement/configurationPolicies(assignments())'
      : 'deviceManagement/configurationPolicies',
    pageSize: intunePageSize(call),
    count: source.count,
    project: (item) =>
      withAssignments
        ? {
            ...item,
            'assignments@odata.context': `${
              call.origin
            }/beta/$metadata#deviceManagement/configurationPolicies('${String(
              item.id,
            )}')/assignments`,
            assignments: data?.assignments(String(item.id)) ?? [],
          }
        : item,
  });
  return page;
}

function knownColumn(columns: string[], name: string, what: string): string {
  const column = columns.find((c) => c.toLowerCase() === name.toLowerCase());
  if (!column)
    throw new GraphHttpError(
      400,
      'BadRequest',
      `Invalid ${what} column '${name}'.`,
    );
  return column;
}

/** Schema/Values with skip/top, orderBy, TotalRowCount, as reports.ts does for install status. */
function reportPage(
  call: GraphCall,
  request: ReportRequest,
  allColumns: string[],
  allRows: Row[],
): GraphPayload {
  const columns = request.select?.length
    ? request.select.map((name) => knownColumn(allColumns, name, 'select'))
    : allColumns;
  let rows = allRows;
  const behaviour = call.behaviour;
  if (request.orderBy?.length) {
    rows = orderRows(rows, request.orderBy, allColumns);
  } else if (behaviour.reportUnorderedWithoutOrderBy) {
    rows = shuffled(rows, hash(rows.length, request.skip ?? 0, 7));
  }
  const skip = request.skip ?? 0;
  let top = Math.min(request.top ?? DEFAULT_TOP, behaviour.reportMaxTop);
  if (behaviour.reportShortPages && top > 1)
    top = Math.ceil(top / 2) + (hash(skip, rows.length) % Math.ceil(top / 2));
  const page = rows.slice(skip, skip + top);
  const body = JSON.stringify({
    TotalRowCount: rows.length,
    Schema: columns.map((column) => ({
      Column: column,
      PropertyType: COLUMN_TYPES[column] ?? columnType(column, rows),
    })),
    Values: page.map((row) => columns.map((column) => row[column] ?? null)),
  });
  return { body, itemsServed: page.length, contentType: STREAM_CONTENT_TYPE };
}

/**
 * Whether a report request names a settings policy (its `PolicyId` clause):
 * administrative templates share getConfigurationPolicyDevicesReport and
 * …DeviceSummaryReport with these policies (graph-routes.ts dispatches).
 */
export function namesSettingsPolicy(call: GraphCall): boolean {
  let filter: string;
  try {
    filter = readReportRequest(call.body, POLICY_FILTER_REQUIRED).filter;
  } catch {
    return false;
  }
  const policyId = clauseValue(filter, 'PolicyId');
  return (
    policyId !== undefined &&
    call.tenant.settingsPolicies?.deviceRows(policyId) !== undefined
  );
}

function policyReport(
  call: GraphCall,
  columns: string[],
  rowsOf: (policyId: string) => Row[] | undefined,
  narrow?: (rows: Row[], filter: string) => Row[],
): GraphPayload {
  refuseWithoutLicence(call);
  const request = readReportRequest(call.body, POLICY_FILTER_REQUIRED);
  const policyId = clauseValue(request.filter, 'PolicyId');
  if (policyId === undefined)
    throw new GraphHttpError(400, 'BadRequest', POLICY_FILTER_REQUIRED);
  // A policy Intune does not know has no rows (an empty report, not a 404).
  let rows = rowsOf(policyId) ?? [];
  if (narrow) rows = narrow(rows, request.filter);
  return reportPage(call, request, columns, rows);
}

function getDevicesReport(call: GraphCall): GraphPayload {
  return policyReport(call, DEVICE_REPORT_COLUMNS, (policyId) => {
    const rows = call.tenant.settingsPolicies?.deviceRows(policyId);
    // The list ends early and looks complete (settingsReportShortOfSummary).
    return rows && call.behaviour.settingsReportShortOfSummary
      ? rows.slice(0, Math.ceil(rows.length / 2))
      : rows;
  });
}

function getSettingReport(call: GraphCall): GraphPayload {
  return policyReport(
    call,
    SETTING_REPORT_COLUMNS,
    (policyId) => call.tenant.settingsPolicies?.settingRows(policyId),
    (rows, filter) => {
      const deviceId = clauseValue(filter, 'DeviceId');
      const userId = clauseValue(filter, 'UserId');
      return rows.filter(
        (row) =>
          (deviceId === undefined ||
            String(row.DeviceId).toLowerCase() === deviceId.toLowerCase()) &&
          (userId === undefined ||
            String(row.UserId).toLowerCase() === userId.toLowerCase()),
      );
    },
  );
}

function getSummaryReport(call: GraphCall): GraphPayload {
  return policyReport(call, SUMMARY_REPORT_COLUMNS, (policyId) => {
    const row = call.tenant.settingsPolicies?.summaryRow(policyId);
    return row ? [row] : [];
  });
}

const report = (
  name: string,
  handle: (call: GraphCall) => GraphPayload,
): GraphRoute => ({
  method: 'POST',
  path: `/deviceManagement/reports/${name}`,
  // Policy state, as the other families' reports (report-policy-routes.ts):
  // which budget Graph charges is undocumented; this is what the client assumes.
  service: 'intuneConfiguration',
  permissions: REPORT_PERMISSIONS,
  requiresIntune: true,
  handle,
});

export const settingsPolicyRoutes: GraphRoute[] = [
  {
    method: 'GET',
    path: '/deviceManagement/configurationPolicies',
    service: 'intuneConfiguration',
    permissions: Permissions.intuneConfiguration,
    requiresIntune: true,
    handle: listConfigurationPolicies,
  },
  {
    // Where a client reads the targets when $expand=assignments is refused
    // (expandAssignmentsRefused): the documented list of a policy's
    // assignments, learn.microsoft.com/graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicyassignment-list?view=graph-rest-beta
    method: 'GET',
    path: '/deviceManagement/configurationPolicies/{id}/assignments',
    service: 'intuneConfiguration',
    permissions: Permissions.intuneConfiguration,
    requiresIntune: true,
    handle: (call) => {
      if (call.version !== 'beta')
        throw resourceNotFound('configurationPolicies');
      refuseWithoutLicence(call);
      return listAssignments(
        call,
        call.tenant.settingsPolicies?.assignments(call.params[0]),
        `deviceManagement/configurationPolicies('${call.params[0]}')/assignments`,
      );
    },
  },
  report('getConfigurationPolicyDevicesReport', getDevicesReport),
  report('getConfigurationSettingNonComplianceReport', getSettingReport),
  report('getConfigurationPolicyDeviceSummaryReport', getSummaryReport),
];
