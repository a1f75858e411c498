/**
 * Intune compliance policies, device configurations (legacy configuration
 * profiles) and their per-device statuses: the only place that knows these
 * URLs and API versions (graph-api.md §2.3).
 *
 * Everything here is read from v1.0. Both lists and both `deviceStatuses`
 * collections exist there; beta adds only an integer `platform` to compliance
 * statuses (0 in every capture), which nothing here uses, and v1.0 keeps the
 * two sources on one version so that their statuses can share `$batch`es.
 *
 * No `$select`: policies are polymorphic, and Graph refuses derived-type
 * settings (`bitLockerEnabled`...) in a `$select` on the base collection
 * unless every one is cast; a policy list is a few dozen objects, so the full
 * objects cost nothing. Statuses are nine small properties, all used.
 * No `$top` or `$filter`: Intune's page size is its own, and the status
 * collections do not filter (anchor comment, graph-api.md §2.3).
 *
 * All of these draw on the Intune device-configuration throttling budget
 * (1,000 requests / 20 s per app and tenant, graph-api.md §6), shared by both
 * steps through the one GraphClient.
 */
import {
  FanOutOptions,
  GraphAnswer,
  GraphClient,
  GraphRequest,
} from './client';
import { mapIterable } from './fan-out';
// issue 15: administrativeTemplate, settingsCompliance
import {
  ADMINISTRATIVE_TEMPLATE_REPORTS,
  iterateGroupPolicyConfigurations,
} from './group-policy';
import { iteratePoliciesWithAssignments } from './policy-assignments';
import {
  forEachReportStatusPage,
  forEachReportSummaryTotal,
  ReportPolicyFamily,
} from './policy-reports';
import {
  iterateSettingsCompliancePolicies,
  SETTINGS_COMPLIANCE_REPORTS,
} from './settings-compliance';

// The shapes of policies and statuses live in policy-types.ts, which the
// family modules import without importing this one (issue 15).
import type { IntunePolicy, PolicyDeviceStatus } from './policy-types';
export type {
  AssignmentTarget,
  IntunePolicy,
  PolicyAssignment,
  PolicyDeviceStatus,
} from './policy-types';

/** Where a policy comes from; decides URLs here and entity metadata in the step. */
export type PolicySource =
  | 'compliancePolicy'
  | 'deviceConfiguration'
  // issue 15: administrative templates, settings compliance policies
  | 'groupPolicyConfiguration'
  | 'settingsCompliancePolicy'
  // issue 15: settingsCatalog / endpointSecurity (beta configurationPolicies, settings-policies.ts)
  | 'settingsPolicy';

/**
 * The sources whose lists and per-device states POLICY_ENDPOINTS serves:
 * `deviceStatuses` collections for the v1.0 ones, report actions for
 * administrative templates and settings compliance policies. Settings
 * policies bring their own reader (steps/compliance/settings-policies.ts).
 */
export type StatusListSource = Exclude<PolicySource, 'settingsPolicy'>;

/** The v1.0 sources, whose own counts are `deviceStatusOverview`s. */
export type OverviewSource = 'compliancePolicy' | 'deviceConfiguration';

/**
 * `$expand=assignments` on both policy lists: the list pages document no
 * query parameters, but the expansion is what the Intune admin center and
 * Microsoft's Zero Trust Assessment read (microsoft/zerotrustassessment,
 * test 24541, `deviceManagement/deviceCompliancePolicies?$expand=assignments`
 * on v1.0), and peers such as Cartography take assignments from it
 * (docs/compliance.md). It costs no request beyond the list: the
 * alternative, `GET …/{id}/assignments`, is one more per policy.
 */
export const EXPAND_ASSIGNMENTS = { $expand: 'assignments' };

/**
 * GET /v1.0/deviceManagement/deviceCompliancePolicies?$expand=assignments, page by page.
 * Needs DeviceManagementConfiguration.Read.All.
 * https://learn.microsoft.com/graph/api/intune-deviceconfig-devicecompliancepolicy-list
 */
export function iterateCompliancePolicies(
  client: GraphClient,
): AsyncGenerator<IntunePolicy[]> {
  // EXPAND_ASSIGNMENTS, or each policy's /assignments when it is refused.
  return iteratePoliciesWithAssignments(client, {
    version: 'v1.0',
    path: '/deviceManagement/deviceCompliancePolicies',
  });
}

/**
 * GET /v1.0/deviceManagement/deviceCompliancePolicies/{id}/deviceStatuses
 * (the request; the caller walks many of them with forEachDeviceStatusPage).
 * Needs DeviceManagementConfiguration.Read.All.
 * https://learn.microsoft.com/graph/api/intune-deviceconfig-devicecompliancedevicestatus-list
 */
export function compliancePolicyDeviceStatusesRequest(
  policyId: string,
): GraphRequest {
  return {
    version: 'v1.0',
    path: `/deviceManagement/deviceCompliancePolicies/${encodeURIComponent(
      policyId,
    )}/deviceStatuses`,
  };
}

/**
 * GET /v1.0/deviceManagement/deviceConfigurations?$expand=assignments, page by page.
 * Needs DeviceManagementConfiguration.Read.All.
 * https://learn.microsoft.com/graph/api/intune-deviceconfig-deviceconfiguration-list
 */
export function iterateDeviceConfigurations(
  client: GraphClient,
): AsyncGenerator<IntunePolicy[]> {
  // EXPAND_ASSIGNMENTS, or each policy's /assignments when it is refused.
  return iteratePoliciesWithAssignments(client, {
    version: 'v1.0',
    path: '/deviceManagement/deviceConfigurations',
  });
}

/**
 * GET /v1.0/deviceManagement/deviceConfigurations/{id}/deviceStatuses
 * (the request; the caller walks many of them with forEachDeviceStatusPage).
 * Needs DeviceManagementConfiguration.Read.All.
 * https://learn.microsoft.com/graph/api/intune-deviceconfig-deviceconfigurationdevicestatus-list
 */
export function deviceConfigurationDeviceStatusesRequest(
  configurationId: string,
): GraphRequest {
  return {
    version: 'v1.0',
    path: `/deviceManagement/deviceConfigurations/${encodeURIComponent(
      configurationId,
    )}/deviceStatuses`,
  };
}

/**
 * The list walk of one source, and where its per-device state comes from:
 * a `deviceStatuses` collection, or (issue 15) report actions.
 */
export const POLICY_ENDPOINTS: Record<
  StatusListSource,
  {
    iteratePolicies(client: GraphClient): AsyncGenerator<IntunePolicy[]>;
    deviceStatusesRequest?(policyId: string): GraphRequest;
    reports?: ReportPolicyFamily;
  }
> = {
  compliancePolicy: {
    iteratePolicies: iterateCompliancePolicies,
    deviceStatusesRequest: compliancePolicyDeviceStatusesRequest,
  },
  deviceConfiguration: {
    iteratePolicies: iterateDeviceConfigurations,
    deviceStatusesRequest: deviceConfigurationDeviceStatusesRequest,
  },
  // issue 15: administrative templates, settings compliance policies
  groupPolicyConfiguration: {
    iteratePolicies: iterateGroupPolicyConfigurations,
    reports: ADMINISTRATIVE_TEMPLATE_REPORTS,
  },
  settingsCompliancePolicy: {
    iteratePolicies: iterateSettingsCompliancePolicies,
    reports: SETTINGS_COMPLIANCE_REPORTS,
  },
};

export interface DeviceStatusWalkOptions extends FanOutOptions {
  /** The policy was deleted between the list call and its statuses (404). */
  onPolicyGone?: (policyId: string) => Promise<void> | void;
  /** Every status of the policy has been handed over. */
  onPolicyDone?: (policyId: string) => Promise<void> | void;
}

/**
 * A status row is one device and one principal: Intune lists a device's
 * status once for its user and once for "System account", under the same
 * `id` (MicrosoftDocs/IntuneDocs #2657). Only a row repeated whole is one row.
 */
function statusRowIdentity(item: { id?: string }): string | undefined {
  const status = item as PolicyDeviceStatus;
  if (typeof status?.id !== 'string') return undefined;
  return `${status.id}|${status.userPrincipalName ?? ''}|${
    status.userName ?? ''
  }|${status.status ?? ''}`;
}

/**
 * Walks the `deviceStatuses` of many policies of one source concurrently,
 * handing each page to `onPage` as it arrives. A row repeated whole within
 * one policy's walk is handed over once; rows of one device for different
 * principals are all handed over. 401/403 and any failure after retries
 * reject: never an empty collection.
 * Needs DeviceManagementConfiguration.Read.All.
 */
export function forEachDeviceStatusPage(
  client: GraphClient,
  source: StatusListSource,
  policyIds: Iterable<string>,
  onPage: (
    policyId: string,
    statuses: PolicyDeviceStatus[],
  ) => Promise<void> | void,
  options: DeviceStatusWalkOptions = {},
): Promise<void> {
  const { deviceStatusesRequest: request, reports } = POLICY_ENDPOINTS[source];
  if (reports || !request) {
    // issue 15: a family read through report actions (policy-reports.ts).
    return forEachReportStatusPage(client, reports!, policyIds, onPage, {
      concurrency: options.concurrency,
      onPolicyDone: options.onPolicyDone,
    });
  }
  return client.forEachCollection<PolicyDeviceStatus>(
    mapIterable(policyIds, (policyId) => ({
      key: policyId,
      request: request(policyId),
    })),
    onPage,
    {
      batch: options.batch,
      concurrency: options.concurrency,
      onNotFound: options.onPolicyGone,
      onComplete: options.onPolicyDone,
      identityOf: statusRowIdentity,
    },
  );
}

// ---- issue 15: each policy's own count of its device states ---------------------------

/**
 * deviceComplianceDeviceOverview / deviceConfigurationDeviceOverview
 * (learn.microsoft.com/graph/api/resources/intune-deviceconfig-devicecompliancedeviceoverview,
 * …-deviceconfigurationdeviceoverview): devices per state. v1.0 has the
 * first five counts; beta adds notApplicablePlatformCount and conflictCount.
 */
export interface DeviceStatusOverview {
  pendingCount?: number | null;
  notApplicableCount?: number | null;
  notApplicablePlatformCount?: number | null;
  successCount?: number | null;
  errorCount?: number | null;
  failedCount?: number | null;
  conflictCount?: number | null;
  lastUpdateDateTime?: string | null;
}

const OVERVIEW_COUNTS = [
  'pendingCount',
  'notApplicableCount',
  'notApplicablePlatformCount',
  'successCount',
  'errorCount',
  'failedCount',
  'conflictCount',
] as const;

/** Every device the overview counts, in any state; undefined when it holds no count at all. */
export function overviewTotal(
  overview: DeviceStatusOverview | undefined,
): number | undefined {
  let total: number | undefined;
  for (const name of OVERVIEW_COUNTS) {
    const n = overview?.[name];
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0)
      total = (total ?? 0) + n;
  }
  return total;
}

/**
 * GET /v1.0/deviceManagement/{deviceCompliancePolicies|deviceConfigurations}/{id}/deviceStatusOverview,
 * for many policies, 20 per `$batch`; each answer (the overview, or the
 * Graph error of that one request) to `onAnswer`.
 * Needs DeviceManagementConfiguration.Read.All.
 * https://learn.microsoft.com/graph/api/intune-deviceconfig-devicecompliancedeviceoverview-get
 */
export function forEachDeviceStatusOverview(
  client: GraphClient,
  source: OverviewSource,
  policyIds: Iterable<string>,
  onAnswer: (
    policyId: string,
    answer: GraphAnswer<DeviceStatusOverview>,
  ) => Promise<void> | void,
): Promise<void> {
  const collection =
    source === 'compliancePolicy'
      ? 'deviceCompliancePolicies'
      : 'deviceConfigurations';
  return client.forEachRequest<DeviceStatusOverview>(
    mapIterable(policyIds, (policyId) => ({
      key: policyId,
      request: {
        version: 'v1.0',
        path: `/deviceManagement/${collection}/${encodeURIComponent(
          policyId,
        )}/deviceStatusOverview`,
      },
    })),
    async (item, answer) => onAnswer(item.key, answer),
    { batch: true },
  );
}

/**
 * issue 15: every device each policy's own count says it has in any state:
 * the deviceStatusOverview's counts for the v1.0 sources, the summary
 * report's for the report families. Each answer (a total, undefined when
 * the answer holds no count, or the Graph error of that policy's request)
 * to `onAnswer`.
 */
export function forEachPolicyDeviceTotal(
  client: GraphClient,
  source: StatusListSource,
  policyIds: Iterable<string>,
  onAnswer: (
    policyId: string,
    answer: GraphAnswer<number | undefined>,
  ) => Promise<void> | void,
): Promise<void> {
  const reports = POLICY_ENDPOINTS[source].reports;
  if (reports)
    return forEachReportSummaryTotal(client, reports, policyIds, onAnswer);
  const overviewSource = source as OverviewSource;
  return forEachDeviceStatusOverview(
    client,
    overviewSource,
    policyIds,
    (id, answer) =>
      onAnswer(
        id,
        answer.error
          ? { error: answer.error }
          : { body: overviewTotal(answer.body) },
      ),
  );
}
