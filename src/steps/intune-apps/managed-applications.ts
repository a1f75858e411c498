/**
 * fetch-managed-applications: the apps Intune manages (assigned or
 * line-of-business), and for each one the devices it is assigned to with
 * their install state, from the getDeviceInstallStatusReport action.
 */
import { graphClientOf, IntegrationStepContext } from '../../config';
import { isGraphError } from '../../graph/errors';
import { forEachConcurrently } from '../../graph/fan-out';
import {
  forEachInstallStatusPage,
  iterateMobileApps,
} from '../../graph/intune-apps';
import { Entities, Steps } from '../constants';
import { writingGraphObjects } from '../graph-objects';
import { DeviceSet, loadDeviceIndex } from '../intune-devices/device-index';
import { deviceKey } from '../intune-devices/keys';
import { requireStepPermissions } from '../require-permissions';
import { StepProgress } from '../progress';
import {
  isManagedApplication,
  toAssignedRelationship,
  toManagedApplicationEntity,
} from './converters';
import { IntuneAppsOptions } from './options';

/** Set once every managed application of the tenant has been read. */
export const MANAGED_APPS_COMPLETE = 'intune-apps:managed-complete';

export const ManagedAppCounters = {
  MOBILE_APPS: 'mobileApps',
  NOT_MANAGED: 'mobileAppsNeitherAssignedNorLineOfBusiness',
  WITHOUT_ID: 'mobileAppsWithoutId',
  INSTALL_ROWS: 'installStatusRows',
  UNKNOWN_DEVICE_ROWS: 'installRowsForUnknownDevices',
  REPEATED_ROWS: 'installRowsRepeated',
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
      if (!isManagedApplication(app)) {
        progress.add(ManagedAppCounters.NOT_MANAGED);
        continue;
      }
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
        // A device with several users has a row per user: one ASSIGNED per device.
        const assigned = new DeviceSet(devices);
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
                if (!assigned.add(ordinal)) {
                  progress.add(ManagedAppCounters.REPEATED_ROWS);
                  continue;
                }
                const relationship = toAssignedRelationship(
                  devices.kindAt(ordinal),
                  deviceKey(deviceId),
                  appId,
                  row,
                );
                writer.addRelationship(relationship);
                progress.add(relationship._type);
              }
              return writer.drain();
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
  progress.done({ devicesInIndex: devices.size });
  await jobState.setData(MANAGED_APPS_COMPLETE, true);
}
