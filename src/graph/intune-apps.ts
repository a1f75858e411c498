/**
 * Intune applications through Microsoft Graph: the mobile apps Intune
 * manages, their per-device install status (a report action), and the
 * applications Intune detected on devices. The only place that knows these
 * URLs, bodies, `$select`s and API versions; the steps ask for objects.
 */
import {
  FanOutOptions,
  GraphClient,
  GraphRequest,
  ReportRow,
  ReportWalk,
} from './client';
import { GraphApiError, isGraphError } from './errors';
import { mapIterable } from './fan-out';

export { DEFAULT_REPORT_TOP } from './reports';

/**
 * A mobileApp as beta lists it: the common properties, plus whatever its
 * `@odata.type` adds (win32LobApp, iosStoreApp, webApp...).
 */
export interface MobileApp {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  description?: string | null;
  publisher?: string | null;
  createdDateTime?: string | null;
  lastModifiedDateTime?: string | null;
  isAssigned?: boolean | null;
  publishingState?: string | null;
  /** Only on managedApp subtypes: `global` or `lineOfBusiness`. */
  appAvailability?: string | null;
  [property: string]: unknown;
}

/** A detectedApp: one per (name, version, platform) in the tenant's inventory. */
export interface DetectedApp {
  id: string;
  displayName?: string | null;
  version?: string | null;
  sizeInByte?: number | null;
  deviceCount?: number | null;
  publisher?: string | null;
  /** Newer beta schema; absent from older captures (then the platform family is `unknown`). */
  platform?: string | null;
}

/** One row of getDeviceInstallStatusReport, keyed by column name. */
export type InstallStatusRow = ReportRow;

/**
 * Every mobile app of the tenant, page by page. No `$filter` and no `$top`:
 * the assigned / line-of-business rule is applied by the caller, because the
 * server-side cast filter is not documented for every subtype and `$top=999`
 * made this endpoint answer 500 (graph-api.md §2.3). No `$select` either:
 * the useful properties depend on each app's `@odata.type`.
 *
 * Docs: https://learn.microsoft.com/graph/api/intune-apps-mobileapp-list?view=graph-rest-beta
 * Permission: DeviceManagementApps.Read.All
 */
export function iterateMobileApps(
  client: GraphClient,
): AsyncGenerator<MobileApp[]> {
  return client.iteratePages<MobileApp>({
    version: 'beta',
    path: '/deviceAppManagement/mobileApps',
  });
}

/** The report columns the integration reads (`*_loc` columns cannot be selected). */
export const INSTALL_STATUS_COLUMNS = [
  'DeviceId',
  'ApplicationId',
  'UserId',
  'UserPrincipalName',
  'Platform',
  'AppVersion',
  'InstallState',
  'InstallStateDetail',
  'ErrorCode',
  'HexErrorCode',
  'AppInstallState',
  'AppInstallStateDetails',
  'LastModifiedDateTime',
] as const;

/**
 * Every row of the device install status report of one mobile app, page by
 * page (reports.ts: `top`/`skip` until `TotalRowCount`); each row is
 * returned as column name -> value, whatever the column order of `Schema`.
 *
 * Docs: https://learn.microsoft.com/graph/api/intune-reporting-devicemanagementreports-getdeviceinstallstatusreport?view=graph-rest-beta
 *       (body parameters and the Schema/Values format: intune-exports.md §3.6)
 * Permission: DeviceManagementApps.Read.All
 */
export function forEachInstallStatusPage(
  client: GraphClient,
  appId: string,
  onRows: (rows: InstallStatusRow[]) => Promise<void> | void,
  options: { top?: number } = {},
): Promise<ReportWalk> {
  return client.forEachReportPage(
    {
      version: 'beta',
      path: '/deviceManagement/reports/getDeviceInstallStatusReport',
    },
    {
      // An OData string literal: a quote inside is doubled.
      filter: `(ApplicationId eq '${appId.replace(/'/g, "''")}')`,
      select: INSTALL_STATUS_COLUMNS,
    },
    onRows,
    {
      top: options.top,
      // A row per device and user: these two columns order them completely.
      orderBy: ['DeviceId', 'UserId'],
      subject: 'the install status of this app',
    },
  );
}

// ---- detected applications ---------------------------------------------------------

/** The properties of a detectedApp the integration uses. */
const DETECTED_APP_SELECT =
  'id,displayName,version,sizeInByte,deviceCount,publisher,platform';

/** A managed device with its inventory inlined. */
interface DeviceWithDetectedApps {
  id?: string;
  detectedApps?: DetectedApp[];
}

export interface InventoryFanOutOptions extends FanOutOptions {
  /** The parent object (device, detected app) is gone: 404. */
  onNotFound?: (key: string) => void;
}

function deviceDetectedAppsRequest(managedDeviceId: string): GraphRequest {
  return {
    version: 'beta',
    path: `/deviceManagement/managedDevices/${encodeURIComponent(
      managedDeviceId,
    )}`,
    query: { $select: 'id', $expand: 'detectedApps' },
  };
}

function inventoryOf(
  client: GraphClient,
  managedDeviceId: string,
  device: DeviceWithDetectedApps | undefined,
): DetectedApp[] {
  if (!device || !Array.isArray(device.detectedApps)) {
    throw new GraphApiError(
      {
        method: 'GET',
        url: client.urlOf(deviceDetectedAppsRequest(managedDeviceId)),
        status: 200,
        code: 'MissingValue',
      },
      'The device came back without its "detectedApps"; its inventory was not read.',
    );
  }
  return device.detectedApps;
}

/**
 * Strategy "per device": the inventory of each managed device, inlined with
 * `$expand=detectedApps` (beta only; not paged; one request per device).
 * `$select=id` leaves the device's own properties out of the response.
 * A single entity, not a collection, so this fans out itself instead of
 * through `GraphClient.forEachCollection`.
 *
 * Docs: https://learn.microsoft.com/graph/api/intune-devices-manageddevice-get?view=graph-rest-beta
 *       (detectedApps navigation: https://learn.microsoft.com/graph/api/resources/intune-devices-manageddevice?view=graph-rest-beta)
 * Permission: DeviceManagementManagedDevices.Read.All
 */
export async function forEachDeviceInventory(
  client: GraphClient,
  managedDeviceIds: Iterable<string>,
  onDevice: (
    managedDeviceId: string,
    apps: DetectedApp[],
  ) => Promise<void> | void,
  options: InventoryFanOutOptions = {},
): Promise<void> {
  await client.forEachRequest<
    DeviceWithDetectedApps,
    { id: string; request: GraphRequest }
  >(
    Array.from(managedDeviceIds, (id) => ({
      id,
      request: deviceDetectedAppsRequest(id),
    })),
    async ({ id }, answer) => {
      if (answer.error) {
        if (options.onNotFound && isGraphError(answer.error, { status: 404 })) {
          options.onNotFound(id);
          return;
        }
        throw answer.error;
      }
      await onDevice(id, inventoryOf(client, id, answer.body));
    },
    options,
  );
}

/**
 * Strategy "per app", first half: every detectedApp of the tenant (one per
 * name, version and platform), page by page.
 *
 * Docs: https://learn.microsoft.com/graph/api/intune-devices-detectedapp-list?view=graph-rest-beta
 * Permission: DeviceManagementManagedDevices.Read.All
 */
export function iterateDetectedApps(
  client: GraphClient,
): AsyncGenerator<DetectedApp[]> {
  return client.iteratePages<DetectedApp>({
    version: 'beta',
    path: '/deviceManagement/detectedApps',
    query: { $select: DETECTED_APP_SELECT },
  });
}

/**
 * Strategy "per app", second half: the ids of the managed devices that report
 * each detected app (one paged collection per app), concurrently within the
 * shared Intune budget.
 *
 * Docs: https://learn.microsoft.com/graph/api/intune-devices-detectedapp-list-manageddevices?view=graph-rest-beta
 * Permission: DeviceManagementManagedDevices.Read.All
 */
export function forEachDetectedAppDevices(
  client: GraphClient,
  detectedAppIds: Iterable<string>,
  onPage: (
    detectedAppId: string,
    managedDeviceIds: string[],
  ) => Promise<void> | void,
  options: InventoryFanOutOptions = {},
): Promise<void> {
  const collections = mapIterable(detectedAppIds, (id) => ({
    key: id,
    request: {
      version: 'beta' as const,
      path: `/deviceManagement/detectedApps/${encodeURIComponent(
        id,
      )}/managedDevices`,
      query: { $select: 'id' },
    },
  }));
  return client.forEachCollection<{ id?: string }>(
    collections,
    (id, devices) =>
      onPage(
        id,
        devices
          .map((device) => device.id)
          .filter(
            (deviceId): deviceId is string => typeof deviceId === 'string',
          ),
      ),
    options,
  );
}
