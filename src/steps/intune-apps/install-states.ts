/**
 * The install report's enum columns, read whichever way Graph sends them:
 * as names, or as integer codes (the Schema's PropertyType says which), and
 * which of several rows of one device decides its install state.
 */
import { InstallStatusRow } from '../../graph/intune-apps';
import { presentText } from '../convert';

/**
 * InstallState codes: Graph's resultantAppState enum,
 * https://learn.microsoft.com/graph/api/resources/intune-apps-resultantappstate
 */
export const INSTALL_STATE_BY_CODE: Readonly<Record<number, string>> = {
  1: 'installed',
  2: 'failed',
  3: 'notInstalled',
  4: 'uninstallFailed',
  5: 'pendingInstall',
  99: 'unknown',
  [-1]: 'notApplicable',
};

/**
 * InstallStateDetail codes: Graph's resultantAppStateDetail enum,
 * https://learn.microsoft.com/graph/api/resources/intune-apps-resultantappstatedetail
 */
export const INSTALL_STATE_DETAIL_BY_CODE: Readonly<Record<number, string>> = {
  0: 'noAdditionalDetails',
  1: 'dependencyFailedToInstall',
  2: 'dependencyWithRequirementsNotMet',
  3: 'dependencyPendingReboot',
  4: 'dependencyWithAutoInstallDisabled',
  5: 'supersededAppUninstallFailed',
  6: 'supersededAppUninstallPendingReboot',
  7: 'removingSupersededApps',
  1000: 'iosAppStoreUpdateFailedToInstall',
  1001: 'vppAppHasUpdateAvailable',
  1002: 'userRejectedUpdate',
  1003: 'uninstallPendingReboot',
  1004: 'supersedingAppsDetected',
  1005: 'supersededAppsDetected',
  2000: 'seeInstallErrorCode',
  3000: 'autoInstallDisabled',
  3001: 'managedAppNoLongerPresent',
  3002: 'userRejectedInstall',
  3003: 'userIsNotLoggedIntoAppStore',
  3004: 'untargetedSupersedingAppsDetected',
  3005: 'appRemovedBySupersedence',
  4000: 'seeUninstallErrorCode',
  5000: 'pendingReboot',
  5001: 'installingDependencies',
  5002: 'contentDownloaded',
  [-1016]: 'supersedingAppsNotApplicable',
  [-1013]: 'powerShellScriptRequirementNotMet',
  [-1012]: 'registryRequirementNotMet',
  [-1011]: 'fileSystemRequirementNotMet',
  [-1006]: 'platformNotApplicable',
  [-1005]: 'minimumCpuSpeedNotMet',
  [-1004]: 'minimumLogicalProcessorCountNotMet',
  [-1003]: 'minimumPhysicalMemoryNotMet',
  [-1002]: 'minimumOsVersionNotMet',
  [-1001]: 'minimumDiskSpaceNotMet',
  [-1000]: 'processorArchitectureNotApplicable',
};

export interface ReadEnum {
  /** The enum name, when the cell is a name or a known code. */
  name?: string;
  /** The integer, when the cell was a code (known or not). */
  code?: number;
}

/** A name as sent, or a code looked up in `table`; an unknown code keeps only its number. */
export function readEnumCell(
  value: unknown,
  table: Readonly<Record<number, string>>,
): ReadEnum {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return { name: table[value], code: value };
  }
  return { name: presentText(value) };
}

/**
 * An App* column (AppInstallState, AppInstallStateDetails): its text, or,
 * when Graph sent an integer whose numbering is not documented, the label
 * of its `<column>_loc` column.
 */
export function readLabelledCell(
  row: InstallStatusRow,
  column: string,
): string | undefined {
  const value = row[column];
  if (typeof value === 'number') return presentText(row[`${column}_loc`]);
  return presentText(value);
}

/**
 * Worst first: the state that needs action wins when a device has several
 * rows for one app (one per user, and one for the device context). A state
 * not listed ranks after 'unknown' and before 'installed'.
 */
export const INSTALL_STATE_SEVERITY = [
  'failed',
  'uninstallFailed',
  'pendingInstall',
  'notInstalled',
  'unknown',
  'installed',
  'notApplicable',
] as const;

function severityRank(row: InstallStatusRow): number {
  const name = readEnumCell(row.InstallState, INSTALL_STATE_BY_CODE).name;
  const rank = INSTALL_STATE_SEVERITY.indexOf(name as never);
  return rank >= 0 ? rank : INSTALL_STATE_SEVERITY.indexOf('unknown') + 0.5;
}

/**
 * Whether row `a` decides over row `b` for the same device: the more severe
 * state, then the lower UserId, then the lower UserPrincipalName, so that the
 * choice never depends on the order Graph sent the rows in.
 */
export function isDecidingInstallRow(
  a: InstallStatusRow,
  b: InstallStatusRow,
): boolean {
  const rankA = severityRank(a);
  const rankB = severityRank(b);
  if (rankA !== rankB) return rankA < rankB;
  const userA = String(a.UserId ?? '');
  const userB = String(b.UserId ?? '');
  if (userA !== userB) return userA < userB;
  return String(a.UserPrincipalName ?? '') < String(b.UserPrincipalName ?? '');
}
