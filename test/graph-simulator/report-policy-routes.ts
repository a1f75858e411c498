/**
 * issue 15: the Intune policy families whose per-device state Graph serves
 * only through report actions, and the `/{id}/assignments` collections every
 * family has.
 *
 * - Administrative templates: GET beta `/deviceManagement/groupPolicyConfigurations`
 *   (beta only: the resource page has no v1.0 version; every public caller
 *   reads it from /beta), `$expand=assignments` as public tools read it
 *   (e.g. IntuneAssignmentChecker, DeviceDNA: `groupPolicyConfigurations?$expand=assignments`).
 *   Per-device state: POST `/deviceManagement/reports/getConfigurationPolicyDevicesReport`
 *   with `(PolicyId eq '…')`, the report the admin center's per-policy device
 *   status reads for ADMX profiles (its filters name the base type
 *   `DeviceConfigurationAdmxPolicy`); its summary
 *   `getConfigurationPolicyDeviceSummaryReport`.
 * - Settings compliance policies: GET beta `/deviceManagement/compliancePolicies`
 *   (deviceManagementCompliancePolicy). Per-device state: POST
 *   `getDeviceStatusByCompliacePolicyReport` (Microsoft's spelling), the call
 *   the admin center makes from its per-policy device status page
 *   (DeviceStatusByCompliacePolicy.ReactView); its summary
 *   `getDeviceStatusSummaryByCompliacePolicyReport`.
 *
 * Report answers: Schema/Values, TotalRowCount, top/skip, orderBy; the rows
 * come in no stable order without orderBy (reports.ts). PolicyStatus is an
 * integer code with its label in `PolicyStatus_loc` (intune-exports.md §2.4).
 */
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
  clauseValue,
  POLICY_FILTER_REQUIRED,
  readReportRequest,
} from './reports';
import {
  DeviceStatusSource,
  GraphObject,
  ReportPolicySource,
  ReportStatusRow,
} from './tenant/model';
import { hash } from './tenant/random';

/**
 * Codes of PolicyStatus in the configuration policy reports. Public scripts
 * map 0 unknown, 1 not applicable, 2 succeeded, 3 remediated, 4 not
 * compliant, 5 error, 6 conflict, 7 not assigned (the complianceStatus enum's
 * order); UNCONFIRMED for 0, 1, 3, 7. The label travels in PolicyStatus_loc.
 */
export const CONFIGURATION_STATUS_CODES: Record<string, [number, string]> = {
  unknown: [0, 'Unknown'],
  notApplicable: [1, 'Not applicable'],
  compliant: [2, 'Succeeded'],
  remediated: [3, 'Remediated'],
  nonCompliant: [4, 'Not compliant'],
  error: [5, 'Error'],
  conflict: [6, 'Conflict'],
  notAssigned: [7, 'Not assigned'],
};

/**
 * Codes of PolicyStatus in the compliance reports: 1 unknown, 2 compliant,
 * 3 in grace period, 4 noncompliant, 5 error, 6 conflict, 7 not applicable
 * (two independent public scripts, intune-exports.md §2.4). A noncompliant
 * device within its grace period is code 3: the simulator sends it for some.
 */
export const COMPLIANCE_STATUS_CODES: Record<string, [number, string]> = {
  unknown: [1, 'Unknown'],
  compliant: [2, 'Compliant'],
  inGracePeriod: [3, 'In grace period'],
  nonCompliant: [4, 'Not compliant'],
  error: [5, 'Error'],
  conflict: [6, 'Conflict'],
  notApplicable: [7, 'Not applicable'],
};

type Cell = string | number | null;
type Row = Record<string, Cell>;

interface ReportSpec {
  /** Column names, in the order sent when `select` is absent. */
  columns: string[];
  types: Record<string, string>;
  rows(call: GraphCall, policyId: string): Row[] | undefined;
}

const DEVICES_REPORT_COLUMNS = [
  'IntuneDeviceId',
  'DeviceName',
  'UPN',
  'UserId',
  'PolicyId',
  'PolicyStatus',
  'PolicyStatus_loc',
  'PspdpuLastModifiedTimeUtc',
  'UnifiedPolicyPlatformType',
];

const COMPLIANCE_REPORT_COLUMNS = [
  'DeviceId',
  'DeviceName',
  'UPN',
  'UserId',
  'UserName',
  'PolicyId',
  'PolicyStatus',
  'PolicyStatus_loc',
  'LastContact',
  'OS',
];

function statusRowsOf(
  call: GraphCall,
  source: ReportPolicySource,
  policyId: string,
): ReportStatusRow[] | undefined {
  const rows = call.tenant.reportPolicyRows?.(source, policyId);
  if (!rows) return undefined;
  // The report ends early and looks complete (reportShortOfSummary).
  return call.behaviour.reportShortOfSummary
    ? rows.slice(0, Math.ceil(rows.length / 2))
    : rows;
}

const REPORTS: Record<string, ReportSpec> = {
  getConfigurationPolicyDevicesReport: {
    columns: DEVICES_REPORT_COLUMNS,
    types: { PolicyStatus: 'Int32', PspdpuLastModifiedTimeUtc: 'DateTime' },
    rows: (call, policyId) =>
      statusRowsOf(call, 'administrativeTemplate', policyId)?.map((row) => {
        const [code, label] = CONFIGURATION_STATUS_CODES[row.status];
        return {
          IntuneDeviceId: row.deviceId,
          DeviceName: row.deviceName,
          UPN: row.userPrincipalName,
          UserId: row.userId,
          PolicyId: policyId,
          PolicyStatus: code,
          PolicyStatus_loc: label,
          PspdpuLastModifiedTimeUtc: row.lastReported,
          UnifiedPolicyPlatformType: 'Windows10',
        };
      }),
  },
  getDeviceStatusByCompliacePolicyReport: {
    columns: COMPLIANCE_REPORT_COLUMNS,
    types: { PolicyStatus: 'Int32', LastContact: 'DateTime' },
    rows: (call, policyId) =>
      statusRowsOf(call, 'settingsCompliance', policyId)?.map((row) => {
        const grace =
          row.status === 'nonCompliant' &&
          hash(row.deviceId.length, row.deviceId.charCodeAt(0)) % 3 === 0;
        const [code, label] =
          COMPLIANCE_STATUS_CODES[grace ? 'inGracePeriod' : row.status];
        return {
          DeviceId: row.deviceId,
          DeviceName: row.deviceName,
          UPN: row.userPrincipalName,
          UserId: row.userId,
          UserName: row.userName,
          PolicyId: policyId,
          PolicyStatus: code,
          PolicyStatus_loc: label,
          LastContact: row.lastReported,
          OS: 'Linux',
        };
      }),
  },
  /**
   * One row per policy with its device counts; the columns of the
   * ConfigurationPolicyDeviceAggregates export (intune-exports.md §2.4),
   * including NumberOfNonCompliantOrErrorDevices, which counts devices
   * already counted in two other columns. Which state falls in which count
   * is not documented (UNCONFIRMED).
   */
  getConfigurationPolicyDeviceSummaryReport: {
    columns: [
      'PolicyId',
      'NumberOfCompliantDevices',
      'NumberOfNonCompliantDevices',
      'NumberOfErrorDevices',
      'NumberOfConflictDevices',
      'NumberOfNonCompliantOrErrorDevices',
      'NumberOfNotApplicableDevices',
      'NumberOfInProgressDevices',
    ],
    types: {},
    rows: (call, policyId) => {
      const c = call.tenant.policyStatusOverview?.(
        'administrativeTemplate',
        policyId,
      );
      if (!c) return undefined;
      return [
        {
          PolicyId: policyId,
          NumberOfCompliantDevices: (c.compliant ?? 0) + (c.remediated ?? 0),
          NumberOfNonCompliantDevices: c.nonCompliant ?? 0,
          NumberOfErrorDevices: c.error ?? 0,
          NumberOfConflictDevices: c.conflict ?? 0,
          NumberOfNonCompliantOrErrorDevices:
            (c.nonCompliant ?? 0) + (c.error ?? 0),
          NumberOfNotApplicableDevices: c.notApplicable ?? 0,
          NumberOfInProgressDevices: c.unknown ?? 0,
        },
      ];
    },
  },
  /**
   * Device counts per OS of one compliance policy: the columns of the
   * DeviceStatusSummaryByCompliacePolicyReport export (intune-exports.md
   * §2.4). Two rows here, so that a reader must add them up.
   */
  getDeviceStatusSummaryByCompliacePolicyReport: {
    columns: [
      'PolicyId',
      'OS',
      'NumberOfCompliantDevices',
      'NumberOfNonCompliantDevices',
      'NumberOfOtherDevices',
    ],
    types: {},
    rows: (call, policyId) => {
      const c = call.tenant.policyStatusOverview?.(
        'settingsCompliance',
        policyId,
      );
      if (!c) return undefined;
      return [
        {
          PolicyId: policyId,
          OS: 'Linux',
          NumberOfCompliantDevices: c.compliant ?? 0,
          NumberOfNonCompliantDevices:
            (c.nonCompliant ?? 0) + (c.error ?? 0) + (c.conflict ?? 0),
          NumberOfOtherDevices: c.unknown ?? 0,
        },
        {
          PolicyId: policyId,
          OS: 'Other',
          NumberOfCompliantDevices: 0,
          NumberOfNonCompliantDevices: 0,
          NumberOfOtherDevices: c.notApplicable ?? 0,
        },
      ];
    },
  },
};

const REPORT_FAMILY: Record<string, ReportPolicySource> = {
  getConfigurationPolicyDevicesReport: 'administrativeTemplate',
  getConfigurationPolicyDeviceSummaryReport: 'administrativeTemplate',
  getDeviceStatusByCompliacePolicyReport: 'settingsCompliance',
  getDeviceStatusSummaryByCompliacePolicyReport: 'settingsCompliance',
};

const LISTS: Record<
  ReportPolicySource,
  {
    segment: string;
    type: 'groupPolicyConfiguration' | 'deviceManagementCompliancePolicy';
  }
> = {
  administrativeTemplate: {
    segment: 'groupPolicyConfigurations',
    type: 'groupPolicyConfiguration',
  },
  settingsCompliance: {
    segment: 'compliancePolicies',
    type: 'deviceManagementCompliancePolicy',
  },
};

const V1_LISTS: Record<Exclude<DeviceStatusSource, 'settings'>, string> = {
  compliance: 'deviceCompliancePolicies',
  configuration: 'deviceConfigurations',
};

/**
 * A family the tenant's licence lacks (policyFamiliesNotLicensed) answers as
 * Intune answers a tenant without the service: 400 BadRequest, "Request not
 * applicable to target tenant." (graph-api.md §0.8).
 */
function rejectUnlicensed(call: GraphCall, source: ReportPolicySource): void {
  if (call.behaviour.policyFamiliesNotLicensed?.includes(source)) {
    throw new GraphHttpError(400, 'BadRequest', GraphMessages.notApplicable);
  }
}

/**
 * Whether the list asked for `$expand=assignments`; any other expansion is
 * an unknown property. With expandAssignmentsRefused, the expansion itself is
 * refused with Graph's 400 for a navigation it cannot expand.
 */
export function expandsAssignments(call: GraphCall, type: string): boolean {
  const expand = call.query.expand ?? [];
  for (const item of expand) {
    const name = item.replace(/\(.*$/, '');
    if (name.toLowerCase() !== 'assignments') throw unknownProperty(name, type);
  }
  if (expand.length) refuseExpandedAssignments(call, type);
  return expand.length > 0;
}

/** expandAssignmentsRefused: Graph's 400 for a navigation it cannot expand. */
export function refuseExpandedAssignments(call: GraphCall, type: string): void {
  if (call.behaviour.expandAssignmentsRefused) {
    throw new GraphHttpError(
      400,
      'BadRequest',
      `Parsing OData Select and Expand failed: Expanding 'assignments' is not supported on type 'microsoft.graph.${type}'.`,
    );
  }
}

function listReportPolicies(
  call: GraphCall,
  source: ReportPolicySource,
): GraphPayload {
  const { segment, type } = LISTS[source];
  if (call.version !== 'beta') throw resourceNotFound(segment);
  rejectUnlicensed(call, source);
  rejectFilter(call, 'intuneDevices', type);
  const expand = expandsAssignments(call, type);
  const policies = call.tenant.reportPolicies?.(source) ?? {
    count: 0,
    get: () => ({}),
  };
  return serializePage(call.page, {
    source: fromCollection(policies),
    contextFragment: expand
      ? `deviceManagement/${segment}(assignments())`
      : `deviceManagement/${segment}`,
    pageSize: intunePageSize(call),
    // beta Intune lists carry @odata.count unasked (graph-api.md §2.2)
    count: policies.count,
    cacheVariant: expand ? 'assignments' : '',
    project: (item: GraphObject) =>
      expand
        ? {
            ...item,
            'assignments@odata.context': `${call.origin}/${call.version}/$metadata#deviceManagement/${segment}('${item.id}')/assignments`,
            assignments:
              call.tenant.reportPolicyAssignments?.(
                source,
                item.id as string,
              ) ?? [],
          }
        : item,
  });
}

/** GET `…/{collection}/{id}/assignments`: the policy's assignments as a collection. */
export function listAssignments(
  call: GraphCall,
  assignments: GraphObject[] | undefined,
  fragment: string,
): GraphPayload {
  if (!assignments) {
    throw new GraphHttpError(404, 'ResourceNotFound', 'Resource not found');
  }
  const items = assignments.map((a) => a);
  return serializePage(call.page, {
    source: { count: items.length, get: (i: number) => items[i] },
    contextFragment: fragment,
    pageSize: intunePageSize(call),
    count: undefined,
    cacheVariant: '',
    project: (item: GraphObject) => item,
  });
}

// ---- report actions ------------------------------------------------------------------

function runReport(call: GraphCall, name: string): GraphPayload {
  const spec = REPORTS[name];
  rejectUnlicensed(call, REPORT_FAMILY[name]);
  const request = readReportRequest(call.body, POLICY_FILTER_REQUIRED);
  const skip = request.skip ?? 0;
  const policyId = clauseValue(request.filter, 'PolicyId');
  if (policyId === undefined) {
    throw new GraphHttpError(400, 'BadRequest', POLICY_FILTER_REQUIRED);
  }
  const column = (wanted: string) => {
    const found = spec.columns.find(
      (c) => c.toLowerCase() === wanted.toLowerCase(),
    );
    if (!found)
      throw new GraphHttpError(
        400,
        'BadRequest',
        `Invalid column '${wanted}'.`,
      );
    return found;
  };
  const columns = request.select?.length
    ? request.select.map(column)
    : spec.columns;
  let rows = spec.rows(call, policyId) ?? [];
  if (request.orderBy?.length) {
    const keys = request.orderBy.map((entry) => {
      const [name, direction] = entry.trim().split(/\s+/);
      return {
        column: column(name),
        sign: direction?.toLowerCase() === 'desc' ? -1 : 1,
      };
    });
    rows = [...rows].sort((a, b) => {
      for (const { column: c, sign } of keys) {
        const left = a[c] ?? '';
        const right = b[c] ?? '';
        if (left < right) return -sign;
        if (left > right) return sign;
      }
      return 0;
    });
  } else {
    // No order asked for: each page may see the rows in another order.
    rows = rotated(rows, hash(skip, rows.length) % (rows.length || 1));
  }
  const top = Math.min(request.top ?? 50, call.behaviour.reportMaxTop);
  const page = rows.slice(skip, skip + top);
  const body = JSON.stringify({
    TotalRowCount: rows.length,
    Schema: columns.map((c) => ({
      Column: c,
      PropertyType:
        spec.types[c] ?? (c.startsWith('NumberOf') ? 'Int32' : 'String'),
    })),
    Values: page.map((row) => columns.map((c) => row[c] ?? null)),
  });
  return { body, itemsServed: page.length, contentType: STREAM_CONTENT_TYPE };
}

function rotated<T>(items: T[], by: number): T[] {
  return [...items.slice(by), ...items.slice(0, by)];
}

const REPORT_PERMISSIONS = Permissions.intuneReports;

export const reportPolicyRoutes: GraphRoute[] = [
  ...(Object.keys(LISTS) as ReportPolicySource[]).flatMap(
    (source): GraphRoute[] => [
      {
        method: 'GET',
        path: `/deviceManagement/${LISTS[source].segment}`,
        service: 'intuneConfiguration',
        permissions: Permissions.intuneConfiguration,
        requiresIntune: true,
        handle: (call) => listReportPolicies(call, source),
      },
      {
        method: 'GET',
        path: `/deviceManagement/${LISTS[source].segment}/{id}/assignments`,
        service: 'intuneConfiguration',
        permissions: Permissions.intuneConfiguration,
        requiresIntune: true,
        handle: (call) => {
          if (call.version !== 'beta')
            throw resourceNotFound(LISTS[source].segment);
          rejectUnlicensed(call, source);
          return listAssignments(
            call,
            call.tenant.reportPolicyAssignments?.(source, call.params[0]),
            `deviceManagement/${LISTS[source].segment}('${call.params[0]}')/assignments`,
          );
        },
      },
    ],
  ),
  ...(Object.keys(V1_LISTS) as (keyof typeof V1_LISTS)[]).map(
    (source): GraphRoute => ({
      method: 'GET',
      path: `/deviceManagement/${V1_LISTS[source]}/{id}/assignments`,
      service: 'intuneConfiguration',
      permissions: Permissions.intuneConfiguration,
      requiresIntune: true,
      handle: (call) =>
        listAssignments(
          call,
          call.tenant.policyAssignments?.(source, call.params[0]),
          `deviceManagement/${V1_LISTS[source]}('${call.params[0]}')/assignments`,
        ),
    }),
  ),
  ...Object.keys(REPORTS).map(
    (name): GraphRoute => ({
      method: 'POST',
      path: `/deviceManagement/reports/${name}`,
      service: 'intuneConfiguration',
      permissions: REPORT_PERMISSIONS,
      requiresIntune: true,
      handle: (call) => runReport(call, name),
    }),
  ),
];
