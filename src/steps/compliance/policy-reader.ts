/**
 * Where the compliance routine (index.ts) reads a source's policies, their
 * per-device states and their own counts from: the v1.0 lists and
 * `deviceStatuses` here; issue 15 families bring their own reader
 * (settings-policies.ts).
 */
import { IntegrationStepContext } from '../../config';
import { GraphClient } from '../../graph/client';
import {
  DeviceStatusWalkOptions,
  forEachDeviceStatusPage,
  IntunePolicy,
  OverviewSource,
  POLICY_ENDPOINTS,
  PolicyDeviceStatus,
  PolicySource,
  StatusListSource,
} from '../../graph/compliance';
import { isIntuneNotApplicable } from '../../graph/errors';
import { CountCheck } from '../completeness';
import { StepId } from '../permissions';
import {
  readReportSummaries,
  readStatusOverviews,
  REPORT_SUMMARY_CHECK,
  STATUS_OVERVIEW_CHECK,
} from './cross-check';
import { PolicyState } from './policy-state';

/**
 * Statuses are read without `$batch`. A batch saves round trips only for the
 * first page of each policy (20 per POST), and there are few policies; see
 * docs/compliance.md for the measurement.
 */
export const BATCH_DEVICE_STATUSES = false;

/**
 * Policies whose statuses are walked at once, per step. The configuration
 * service's budget is not what bounds a large collection (the detected-app
 * fan-out on the Intune devices service is), so these walks need not be
 * fast, only done before it; more of them in flight took CPU from the
 * detected apps while they were starting (docs/performance.md).
 */
export const STATUS_WALK_CONCURRENCY = 4;

export interface PolicyStepSpec {
  source: PolicySource;
  step: { id: StepId; name: string };
  /** Plural and singular nouns for log lines. */
  label: string;
  singular: string;
  /**
   * issue 15: a family the tenant's licence may lack. Its list answering
   * "Request not applicable to target tenant." skips the family (info log,
   * no entities) rather than failing the step.
   */
  licence?: string;
}

/**
 * Where a source's policies, per-device states and own counts come from:
 * v1.0 lists and `deviceStatuses` for the two original sources; issue 15
 * families bring their own (report actions).
 */
export interface PolicyStatusReader {
  iteratePolicies(): AsyncGenerator<IntunePolicy[]>;
  /** Each policy's states, page by page, as deviceStatuses rows. */
  walkStatuses(
    policyIds: string[],
    onPage: (
      policyId: string,
      statuses: PolicyDeviceStatus[],
    ) => Promise<void> | void,
    options: DeviceStatusWalkOptions,
  ): Promise<void>;
  /** Each policy's own count of its devices (cross-check.ts); never rejects. */
  readCounts(policyIds: string[]): Promise<Map<string, number>>;
  /** The check those counts make, and what the log line calls them. */
  check: { count: CountCheck; name: string };
  /** Called once a policy's states are read, before they are written. */
  beforeWrite?(state: PolicyState): Promise<void>;
  /** Extra finding properties for a (policy, device). */
  findingProperties?(
    state: PolicyState,
    deviceId: string,
  ): Record<string, unknown> | undefined;
  /**
   * The list call failed: a message to log (info) when that means the
   * tenant lacks the family, so the step ends with none of it; undefined
   * to fail as usual.
   */
  familyAbsent?(err: unknown): string | undefined;
}

/**
 * The sources of POLICY_ENDPOINTS: the v1.0 lists with `deviceStatuses` and
 * `deviceStatusOverview`; administrative templates and settings compliance
 * policies (issue 15) with their device and summary report actions.
 */
export function statusListReader(
  client: GraphClient,
  context: IntegrationStepContext,
  spec: PolicyStepSpec,
  options: { batch?: boolean; concurrency?: number },
): PolicyStatusReader {
  const source = spec.source as StatusListSource;
  const byReports = Boolean(POLICY_ENDPOINTS[source].reports);
  const { logger } = context;
  const licence = spec.licence;
  return {
    iteratePolicies: () => POLICY_ENDPOINTS[source].iteratePolicies(client),
    walkStatuses: (policyIds, onPage, walk) =>
      forEachDeviceStatusPage(client, source, policyIds, onPage, {
        ...walk,
        batch: options.batch ?? BATCH_DEVICE_STATUSES,
        concurrency: options.concurrency ?? STATUS_WALK_CONCURRENCY,
      }),
    readCounts: (policyIds) =>
      byReports
        ? readReportSummaries(client, logger, spec.step.name, source, policyIds)
        : readStatusOverviews(
            client,
            logger,
            spec.step.name,
            source as OverviewSource,
            policyIds,
          ),
    check: byReports
      ? { count: REPORT_SUMMARY_CHECK, name: 'summary report' }
      : { count: STATUS_OVERVIEW_CHECK, name: 'deviceStatusOverview' },
    familyAbsent: licence
      ? (err) =>
          isIntuneNotApplicable(err)
            ? `Microsoft Graph answered "Request not applicable to target tenant." for ${spec.label}: the tenant's licence lacks ${licence}, so this family is skipped.`
            : undefined
      : undefined,
  };
}
