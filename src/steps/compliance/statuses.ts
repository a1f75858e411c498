/**
 * What a policy's per-device status rows mean: which values lead to an
 * ASSIGNED relationship and a finding, which row of a device decides when
 * it has several, and the device id a row's status id embeds.
 */
import { PolicyDeviceStatus } from '../../graph/compliance';
import { mapEnum } from '../convert';

/**
 * What each documented status value leads to. `assigned`: the host agent is
 * ASSIGNED the policy; `finding`: there is something to act on.
 */
export const STATUS_OUTCOMES: Record<
  string,
  { assigned: boolean; finding: boolean }
> = {
  compliant: { assigned: true, finding: false },
  notApplicable: { assigned: true, finding: false },
  unknown: { assigned: true, finding: false },
  /** Intune fixed the setting itself: nothing left to act on; the earlier finding (same key) disappears, which closes it. */
  remediated: { assigned: true, finding: false },
  nonCompliant: { assigned: true, finding: true },
  error: { assigned: true, finding: true },
  conflict: { assigned: true, finding: true },
  /** Intune knows the device but the policy is not assigned to it. */
  notAssigned: { assigned: false, finding: false },
};

/** A status value Graph may add later (`unknownFutureValue`...): assigned, no finding, counted and logged. */
export const UNRECOGNIZED_STATUS_OUTCOME = { assigned: true, finding: false };

/**
 * Worst first: when a device has several rows for one policy (its user's and
 * "System account"'s), the first of these decides, as Intune's own device
 * compliance does (MicrosoftDocs/IntuneDocs #2662: the device stays
 * noncompliant while the System account row is in error). A value not
 * listed ranks with 'unknown'.
 */
export const STATUS_SEVERITY = [
  'nonCompliant',
  'error',
  'conflict',
  'unknown',
  'remediated',
  'compliant',
  'notApplicable',
  'notAssigned',
] as const;

function statusRank(status: PolicyDeviceStatus): number {
  const rank = STATUS_SEVERITY.indexOf(status.status as never);
  return rank >= 0 ? rank : STATUS_SEVERITY.indexOf('unknown');
}

/**
 * Whether status row `a` decides over row `b` of the same device: the more
 * severe status, then the lower userPrincipalName, then the lower userName,
 * then the later lastReportedDateTime, so the choice never depends on the
 * order Graph sent the rows in.
 */
export function isDecidingStatus(
  a: PolicyDeviceStatus,
  b: PolicyDeviceStatus,
): boolean {
  if (statusRank(a) !== statusRank(b)) return statusRank(a) < statusRank(b);
  const upnA = a.userPrincipalName ?? '';
  const upnB = b.userPrincipalName ?? '';
  if (upnA !== upnB) return upnA < upnB;
  const nameA = a.userName ?? '';
  const nameB = b.userName ?? '';
  if (nameA !== nameB) return nameA < nameB;
  // issue 15: report rows of one device may differ only in their time (the
  // user's row and the device context's, neither named): the later decides.
  return (a.lastReportedDateTime ?? '') > (b.lastReportedDateTime ?? '');
}

export function isRecognizedStatus(status: string | null | undefined): boolean {
  return (
    typeof status === 'string' &&
    Object.prototype.hasOwnProperty.call(STATUS_OUTCOMES, status)
  );
}

export function statusOutcome(status: string | null | undefined): {
  assigned: boolean;
  finding: boolean;
} {
  return mapEnum(status, STATUS_OUTCOMES) ?? UNRECOGNIZED_STATUS_OUTCOME;
}

/**
 * The managed device id embedded in a status id
 * `{intuneAccountId}_{policyId}_{managedDeviceId}`: its last `_` segment
 * (graph-api.md §9). undefined when the id has no such segment.
 */
export function deviceIdOfStatus(
  statusId: string | null | undefined,
): string | undefined {
  if (typeof statusId !== 'string') return undefined;
  const at = statusId.lastIndexOf('_');
  if (at < 0) return undefined;
  const deviceId = statusId.slice(at + 1);
  return deviceId || undefined;
}
