/**
 * Rows of POST /deviceManagement/reports/getDeviceInstallStatusReport: install
 * states and how a row renders (columns as in intune-exports.md §3.6).
 *
 * InstallState carries the resultantAppState names (installed, failed, ...);
 * AppInstallState / AppInstallState_loc carry the report's display labels.
 */
import { DeviceLabel } from './managed-devices';
import { Rng, hash, isoMillis, pastMs } from './random';

/** Salt of the per-row draws (shared with MobileApps.installFacts). */
export const SALT_ROW_STATE = 53;

export const INSTALL_STATES = [
  'installed',
  'failed',
  'notInstalled',
  'uninstallFailed',
  'pendingInstall',
  'unknown',
  'notApplicable',
] as const;
export type InstallState = (typeof INSTALL_STATES)[number];
const INSTALL_STATE_WEIGHTS = [70, 8, 8, 2, 5, 3, 4];

/** Install state for a uniform draw r in [0, 1): mostly installed, every state possible. */
export function weightedState(r: number): InstallState {
  const total = INSTALL_STATE_WEIGHTS.reduce((s, w) => s + w, 0);
  let x = r * total;
  for (let i = 0; i < INSTALL_STATES.length; i++) {
    x -= INSTALL_STATE_WEIGHTS[i];
    if (x < 0) return INSTALL_STATES[i];
  }
  return 'installed';
}

/** One install-report row before rendering: a managed device (>= 0) or stale device k (-1 - k). */
export interface InstallFact {
  device: number;
  state: InstallState;
  /** Graph repeats the row right after this one. */
  repeated: boolean;
  /** A second row for the device from its "System account", with this state. */
  systemAccount?: InstallState;
  systemAccountFirst?: boolean;
}

/**
 * Integer values of the report's enum columns, as public clients read them
 * (issue 14 §2). InstallState and InstallStateDetail are Graph's
 * resultantAppState and resultantAppStateDetail enums; the values are those
 * of the Graph reference (learn.microsoft.com/graph/api/resources/
 * intune-apps-resultantappstate and intune-apps-resultantappstatedetail).
 */
export const RESULTANT_APP_STATE_CODES: Record<InstallState, number> = {
  installed: 1,
  failed: 2,
  notInstalled: 3,
  uninstallFailed: 4,
  pendingInstall: 5,
  unknown: 99,
  notApplicable: -1,
};

export const RESULTANT_APP_STATE_DETAIL_CODES: Record<string, number> = {
  noAdditionalDetails: 0,
  dependencyFailedToInstall: 1,
  seeInstallErrorCode: 2000,
  autoInstallDisabled: 3000,
  seeUninstallErrorCode: 4000,
  pendingReboot: 5000,
  installingDependencies: 5001,
  contentDownloaded: 5002,
  minimumOsVersionNotMet: -1002,
};

/**
 * AppInstallState and AppInstallStateDetails as integers: their numbering is
 * not documented, so the simulator numbers the labels in its own way and
 * sends the label in the `_loc` column; a client must read the label there.
 */
export const APP_INSTALL_LABEL_CODES: Record<string, number> = {
  Installed: 1,
  Failed: 2,
  NotInstalled: 3,
  UninstallFailed: 4,
  PendingInstall: 5,
  Unknown: 0,
  NotApplicable: 6,
  '': 0,
  seeInstallErrorCode: 2000,
  dependencyFailedToInstall: 1,
  minimumOsVersionNotMet: -1002,
  seeUninstallErrorCode: 4000,
  contentDownloaded: 5002,
  pendingReboot: 5000,
};

const STATE_DETAILS: Record<
  InstallState,
  {
    detail: string;
    error: number;
    hex: string;
    app: string;
    appLoc: string;
    details: string;
    detailsLoc: string;
  }[]
> = {
  installed: [
    {
      detail: 'noAdditionalDetails',
      error: 0,
      hex: '0x0',
      app: 'Installed',
      appLoc: 'Installed',
      details: '',
      detailsLoc: '',
    },
  ],
  failed: [
    {
      detail: 'seeInstallErrorCode',
      error: 0x87d1041c | 0,
      hex: '0x87D1041C',
      app: 'Failed',
      appLoc: 'Failed',
      details: 'seeInstallErrorCode',
      detailsLoc:
        "The application wasn't detected after installation completed successfully.",
    },
    {
      detail: 'seeInstallErrorCode',
      error: 0x80070643 | 0,
      hex: '0x80070643',
      app: 'Failed',
      appLoc: 'Failed',
      details: 'seeInstallErrorCode',
      detailsLoc: 'Fatal error during installation.',
    },
    {
      detail: 'dependencyFailedToInstall',
      error: 0,
      hex: '0x0',
      app: 'Failed',
      appLoc: 'Failed',
      details: 'dependencyFailedToInstall',
      detailsLoc: '1 or more dependent apps failed to install.',
    },
  ],
  notInstalled: [
    {
      detail: 'noAdditionalDetails',
      error: 0,
      hex: '0x0',
      app: 'NotInstalled',
      appLoc: 'Not Installed',
      details: '',
      detailsLoc: '',
    },
    {
      detail: 'minimumOsVersionNotMet',
      error: 0,
      hex: '0x0',
      app: 'NotInstalled',
      appLoc: 'Not Installed',
      details: 'minimumOsVersionNotMet',
      detailsLoc: 'Requirements not met.',
    },
  ],
  uninstallFailed: [
    {
      detail: 'seeUninstallErrorCode',
      error: 0x80070005 | 0,
      hex: '0x80070005',
      app: 'UninstallFailed',
      appLoc: 'Uninstall Failed',
      details: 'seeUninstallErrorCode',
      detailsLoc: 'Access is denied.',
    },
  ],
  pendingInstall: [
    {
      detail: 'contentDownloaded',
      error: 0,
      hex: '0x0',
      app: 'PendingInstall',
      appLoc: 'Install Pending',
      details: 'contentDownloaded',
      detailsLoc: 'Content download completed.',
    },
    {
      detail: 'pendingReboot',
      error: 0x80070bc2 | 0,
      hex: '0x80070BC2',
      app: 'PendingInstall',
      appLoc: 'Install Pending',
      details: 'pendingReboot',
      detailsLoc: 'A device restart is required to complete the installation.',
    },
  ],
  unknown: [
    {
      detail: 'noAdditionalDetails',
      error: 0,
      hex: '0x0',
      app: 'Unknown',
      appLoc: 'Unknown',
      details: '',
      detailsLoc: '',
    },
  ],
  notApplicable: [
    {
      detail: 'noAdditionalDetails',
      error: 0,
      hex: '0x0',
      app: 'NotApplicable',
      appLoc: 'Not Applicable',
      details: '',
      detailsLoc: '',
    },
  ],
};

export function installRow(
  appId: string,
  app: { version: string },
  device: DeviceLabel,
  fact: Pick<InstallFact, 'state'>,
  seed: number,
): Record<string, string | number | null> {
  const options = STATE_DETAILS[fact.state];
  const h = hash(
    seed,
    SALT_ROW_STATE,
    stringSeed(appId),
    stringSeed(device.id),
  );
  const d = options[h % options.length];
  const modified = pastMs(new Rng(h), 0, 30);
  return {
    DeviceId: device.id,
    ApplicationId: appId,
    UserId: device.userId,
    DeviceName: device.deviceName,
    UserPrincipalName: device.userPrincipalName,
    UserName: device.userDisplayName,
    Platform: device.reportPlatform,
    AppVersion: fact.state === 'installed' ? app.version : '',
    ErrorCode: d.error,
    InstallState: fact.state,
    InstallStateDetail: d.detail,
    LastModifiedDateTime: isoMillis(modified),
    HexErrorCode: d.hex,
    AppInstallState: d.app,
    AppInstallState_loc: d.appLoc,
    AppInstallStateDetails: d.details,
    AppInstallStateDetails_loc: d.detailsLoc,
  };
}

function stringSeed(id: string): number {
  return parseInt(id.slice(0, 8), 16) | 0;
}
