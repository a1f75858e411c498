/**
 * The Intune report `AppInvRawData` ("Apps > Monitor > Discovered apps >
 * Export"): one row per (detected app, device) of the tenant, as the export
 * job serves it (intune-exports.md §2.1, MD-REPORTS). Built from the same
 * installations as the detectedApps endpoints, so both routes describe one
 * inventory, plus what the report adds on its own:
 *
 * - rows for devices that are no longer managed devices (the reporting
 *   store lags behind deletions and retirements: the same assumption as the
 *   install-status report's unknown devices; UNCONFIRMED for this report);
 * - rows repeated verbatim (the anchor saw repeated report rows in
 *   getDeviceInstallStatusReport; assumed here too, harsher than Graph);
 * - the DeviceId of some devices in upper case (a GUID's case is not
 *   promised anywhere; harsher than Graph: the client must join
 *   case-insensitively);
 * - a `Platform` text ("Windows", "macOS", "iOS", "Android"...), not the
 *   detectedApp enum (cartography's report-shaped fixtures carry "Windows"
 *   and "macOS"; the others are inference). Every android* variant is
 *   "Android".
 *
 * Rows are not grouped by application, and repeats and unknown devices come
 * at the end, far from their originals: nothing may rely on the order.
 */
import { createHash } from 'crypto';
import { DetectedAppPlatform } from './devices';
import { DetectedApps } from './detected-apps';
import { DeviceLabel, ManagedDevices } from './managed-devices';
import { TenantProfile } from './profiles';
import { hash, unit } from './random';

/** The report's columns, in the order the docs list them (MD-REPORTS, AppInvRawData). */
export const APP_INV_RAW_DATA_COLUMNS = [
  'ApplicationKey',
  'ApplicationName',
  'ApplicationPublisher',
  'ApplicationShortVersion',
  'ApplicationVersion',
  'DeviceId',
  'DeviceName',
  'EmailAddress',
  'OSDescription',
  'OSVersion',
  'Platform',
  'UserId',
  'UserName',
] as const;

/**
 * Columns that come twice with the default localizationType (raw value, and
 * `<Column>_loc`; MD-APIS). Which AppInvRawData columns are localizable is
 * not documented: Platform is the only enum-like one (UNCONFIRMED).
 */
export const APP_INV_LOCALIZABLE_COLUMNS = new Set(['Platform']);

export type ReportRow = Record<string, string>;

const REPORT_PLATFORM: Record<DetectedAppPlatform, string> = {
  windows: 'Windows',
  windowsMobile: 'Windows Mobile',
  windowsHolographic: 'Windows Holographic',
  ios: 'iOS',
  macOS: 'macOS',
  chromeOS: 'Chrome OS',
  androidWorkProfile: 'Android',
  androidDeviceAdministrator: 'Android',
  androidDedicatedAndFullyManaged: 'Android',
  androidOSP: 'Android',
  unknown: 'Unknown',
};

const SALT_REPEAT = 501;
const SALT_UNKNOWN = 502;
const SALT_UPPER = 503;
const SALT_ORDER = 504;

/**
 * One row of the report, before it is written: a managed device (index
 * >= 0) or a device that is not one any more (-1 - k: stale device k), and
 * a detectedApp item.
 */
export interface AppInventoryFact {
  device: number;
  item: number;
}

export class AppInventoryReport {
  private counted?: {
    rows: number;
    unknownDeviceRows: number;
    repeatedRows: number;
  };
  private readonly keys = new Map<number, string>();

  constructor(
    private readonly profile: TenantProfile,
    private readonly devices: ManagedDevices,
    private readonly detected: DetectedApps,
  ) {}

  /** Every row of the report, in report order. */
  *facts(): Generator<AppInventoryFact> {
    const installs = this.detected.installed;
    const count = this.devices.count;
    const seed = this.profile.seed;
    const a = this.profile.anomalies;
    const repeats: AppInventoryFact[] = [];
    // A stride prime to the device count: device order, but not index order.
    let stride = 1 + (hash(seed, SALT_ORDER) % Math.max(1, count));
    while (count > 1 && gcd(stride, count) !== 1) stride++;
    for (let step = 0; step < count; step++) {
      const d = (step * stride) % count;
      for (const item of installs.itemsOfDevice(d)) {
        yield { device: d, item };
        if (unit(seed, SALT_REPEAT, d, item) < a.duplicateAppRowShare) {
          repeats.push({ device: d, item });
        }
      }
    }
    for (const fact of repeats) yield fact;
    const stale = this.devices.staleDeviceCount;
    const visible = installs.visibleItems;
    if (stale > 0 && visible.length > 0 && a.unknownDeviceAppRowShare > 0) {
      const n = Math.max(
        1,
        Math.round(installs.installationCount * a.unknownDeviceAppRowShare),
      );
      for (let k = 0; k < n; k++) {
        yield {
          device: -1 - (hash(seed, SALT_UNKNOWN, k) % stale),
          item: visible[hash(seed, SALT_UNKNOWN, k, 1) % visible.length],
        };
      }
    }
  }

  /** Rows, rows of devices that are not managed devices, rows that repeat an earlier one. */
  counts(): { rows: number; unknownDeviceRows: number; repeatedRows: number } {
    if (!this.counted) {
      let rows = 0;
      let unknownDeviceRows = 0;
      const installs = this.detected.installed;
      rows = installs.installationCount;
      let repeatedRows = 0;
      const seed = this.profile.seed;
      const share = this.profile.anomalies.duplicateAppRowShare;
      if (share > 0) {
        for (let d = 0; d < this.devices.count; d++) {
          for (const item of installs.itemsOfDevice(d)) {
            if (unit(seed, SALT_REPEAT, d, item) < share) repeatedRows++;
          }
        }
      }
      const stale = this.devices.staleDeviceCount;
      if (
        stale > 0 &&
        installs.visibleItems.length > 0 &&
        this.profile.anomalies.unknownDeviceAppRowShare > 0
      ) {
        unknownDeviceRows = Math.max(
          1,
          Math.round(
            installs.installationCount *
              this.profile.anomalies.unknownDeviceAppRowShare,
          ),
        );
      }
      rows += repeatedRows + unknownDeviceRows;
      this.counted = { rows, unknownDeviceRows, repeatedRows };
    }
    return this.counted;
  }

  /** Every row, as column name -> text (all columns of the report). */
  *rows(): Generator<ReportRow> {
    let labelOf = -1;
    let label: DeviceLabel | undefined;
    let upper = false;
    for (const fact of this.facts()) {
      if (fact.device !== labelOf || !label) {
        labelOf = fact.device;
        label =
          fact.device >= 0
            ? this.devices.label(fact.device)
            : this.devices.staleLabel(-1 - fact.device);
        upper = hash(this.profile.seed, SALT_UPPER, fact.device) % 4 === 0;
      }
      yield this.row(fact.item, label, upper);
    }
  }

  private row(item: number, label: DeviceLabel, upper: boolean): ReportRow {
    const entry = this.detected.entries[this.detected.itemEntry[item]];
    const version = this.detected.version(item);
    return {
      ApplicationKey: this.applicationKey(item),
      ApplicationName: entry.name,
      ApplicationPublisher: entry.publisher ?? '',
      ApplicationShortVersion: version.split('.').slice(0, 2).join('.'),
      ApplicationVersion: version,
      DeviceId: upper ? label.id.toUpperCase() : label.id,
      DeviceName: label.deviceName,
      EmailAddress: label.userPrincipalName,
      OSDescription: label.model,
      OSVersion: label.osVersion,
      Platform: REPORT_PLATFORM[entry.platform],
      UserId: label.userId,
      UserName: label.userDisplayName,
    };
  }

  /** 44 hex characters, like cartography's report-shaped fixtures; not the detectedApp id. */
  private applicationKey(item: number): string {
    let key = this.keys.get(item);
    if (!key) {
      key = createHash('sha256')
        .update(`${this.profile.seed}|appkey|${this.detected.id(item)}`)
        .digest('hex')
        .slice(0, 44);
      this.keys.set(item, key);
    }
    return key;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
