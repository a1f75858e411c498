/**
 * fetch-managed-applications: every app of the tenant's Intune catalog
 * (assigned or not: `isAssigned` says which), and for each one the devices
 * it is assigned to with their install state, from the
 * getDeviceInstallStatusReport action. A device may have several rows for
 * one app (one per user, one for the device context): the most severe
 * decides (install-states.ts), whatever order Graph sent them in.
 */
import { graphClientOf, IntegrationStepContext } from '../../config';
import { IntegrationError } from '@jupiterone/integration-sdk-core';
import { isGraphError } from '../../graph/errors';
import { forEachConcurrently } from '../../graph/fan-out';
import {
  forEachInstallStatusPage,
  iterateMobileApps,
} from '../../graph/intune-apps';
import { Entities, Steps } from '../constants';
import { writingGraphObjects } from '../graph-objects';
import { loadDeviceIndex } from '../intune-devices/device-index';
import { deviceKey } from '../intune-devices/keys';
import { requireStepPermissions } from '../require-permissions';
import { StepProgress } from '../progress';
import { toAssignedRelationship, toManagedApplicationEntity } from './converters';
import { InstallStatusRow } from '../../graph/intune-apps';
import { isDecidingInstallRow } from './install-states';
import { IntuneAppsOptions } from './options';

/** Set once every managed application of the tenant has been read. */
export const MANAGED_APPS_COMPLETE = 'intune-apps:managed-complete';

export const ManagedAppCounters = {
  MOBILE_APPS: 'mobileApps',
  UNASSIGNED: 'mobileAppsNotAssigned',
  WITHOUT_ID: 'mobileAppsWithoutId',
  INSTALL_ROWS: 'installStatusRows',
  UNKNOWN_DEVICE_ROWS: 'installRowsForUnknownDevices',
  REPEATED_ROWS: 'installRowsForADeviceAlreadyRead',
  UNKNOWN_CODES: 'installRowsWithAnUndocumentedStateCode',
  REPORT_REQUESTS: 'installReportRequests',
  APPS_GONE: 'appsGoneBeforeTheirReport',
} as const;

export async function fetchManagedApplications(
  context: IntegrationStepContext,
  options: IntuneAppsOptions,
): Promise<void> {
  await requireStepPermissions(context, Steps.MANAGED_APPS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const progress = new StepProgress(logger, client, Steps.MANAGED_APPS.name);
  const devices = await loadDeviceIndex(jobState);

  const appIds: string[] = [];
  for await (const page of iterateMobileApps(client)) {
    for (const app of page) {
      progress.add(ManagedAppCounters.MOBILE_APPS);
      if (app.isAssigned !== true) progress.add(ManagedAppCounters.UNASSIGNED);
      if (typeof app.id !== 'string' || !app.id) {
        progress.add(ManagedAppCounters.WITHOUT_ID);
        continue;
      }
      if (jobState.hasKey(app.id)) continue;
      await jobState.addEntity(toManagedApplicationEntity(app));
      appIds.push(app.id);
      progress.add(Entities.MANAGED_APPLICATION._type);
    }
  }

  await writingGraphObjects(jobState, async (writer) => {
    await forEachConcurrently(
      appIds,
      options.reportConcurrency,
      async (appId) => {
        // Every row of the app is read before any is written: the row that
        // decides a device may come last.
        const deciding = new Map<number, InstallStatusRow>();
        let walk;
        try {
          walk = await forEachInstallStatusPage(
            client,
            appId,
            (rows) => {
              for (const row of rows) {
                progress.add(ManagedAppCounters.INSTALL_ROWS);
                const deviceId =
                  typeof row.DeviceId === 'string' ? row.DeviceId : '';
                const ordinal = devices.ordinalOf(deviceId);
                if (ordinal === undefined) {
                  progress.add(ManagedAppCounters.UNKNOWN_DEVICE_ROWS);
                  logger.debug(
                    { appId, deviceId },
                    'Install status row for a device that is not a managed device of this collection; skipped',
                  );
                  continue;
                }
                const before = deciding.get(ordinal);
                if (before) progress.add(ManagedAppCounters.REPEATED_ROWS);
                if (!before || isDecidingInstallRow(row, before)) {
                  deciding.set(ordinal, row);
                }
              }
            },
            { top: options.reportTop },
          );
        } catch (err) {
          if (isGraphError(err, { status: 404 })) {
            // Deleted between the list and its report: nothing is assigned any more.
            progress.add(ManagedAppCounters.APPS_GONE);
            logger.info(
              { appId },
              'Managed application disappeared before its install status was read',
            );
            return;
          }
          throw err;
        }
        for (const [ordinal, row] of deciding) {
          const relationship = toAssignedRelationship(
            devices.kindAt(ordinal),
            deviceKey(devices.idAt(ordinal)),
            appId,
            row,
          );
          if (
            typeof row.InstallState === 'number' &&
            relationship.installState === undefined
          ) {
            progress.add(ManagedAppCounters.UNKNOWN_CODES);
          }
          writer.addRelationship(relationship);
          progress.add(relationship._type);
        }
        await writer.drain();
        progress.add(ManagedAppCounters.REPORT_REQUESTS, walk.requests);
      },
    );
  });

  const unknown = progress.count(ManagedAppCounters.UNKNOWN_DEVICE_ROWS);
  if (unknown) {
    logger.info(
      { installRowsForUnknownDevices: unknown },
      `${unknown} install status rows name devices that are not managed devices of this collection (retired or deleted); no ASSIGNED relationship was made for them.`,
    );
  }
  const undocumented = progress.count(ManagedAppCounters.UNKNOWN_CODES);
  if (undocumented) {
    logger.warn(
      { [ManagedAppCounters.UNKNOWN_CODES]: undocumented },
      `${undocumented} ASSIGNED relationships have an InstallState code that Graph's resultantAppState enum does not document; they carry installStateCode without installState.`,
    );
  }
  progress.done({ devicesInIndex: devices.size });
  const rows = progress.count(ManagedAppCounters.INSTALL_ROWS);
  if (rows > 0 && unknown === rows && devices.size > 0) {
    // Every row named a device we do not have: a change in how Graph spells
    // device ids, not a fleet without installs. Never succeed with zero.
    throw new IntegrationError({
      code: 'UNMATCHED_REPORT_ROWS',
      message: `${Steps.MANAGED_APPS.name}: the install status report returned ${rows} rows and none of them names a managed device of this collection (${devices.size} devices), so no install state was recorded; the ASSIGNED relationships are kept from the previous collection.`,
    });
  }
  await jobState.setData(MANAGED_APPS_COMPLETE, true);
}
