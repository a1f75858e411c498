/**
 * fetch-detected-applications: the applications Intune found on devices,
 * one entity per application identity (platform family, normalised name),
 * one INSTALLED per (device, identity, version). MANAGES is built after
 * collection (application-manages.ts).
 *
 * Two routes give the same graph (docs/applications.md):
 * - the export route (detected-export-route.ts): one AppInvRawData report
 *   export, a handful of requests whatever the fleet size; tried first;
 * - the request route: `detectedApps/{id}/managedDevices` per detected app,
 *   or `managedDevices/{id}?$expand=detectedApps` per device, whichever
 *   needs fewer requests; what runs when the export cannot finish.
 * Both start from the detectedApps listing (DetectedCatalog), the source of
 * every value that must not depend on the route.
 *
 * The largest fan-out of the integration (20k devices x 50 apps = 1M
 * relationships): rows go straight from each response or file batch into
 * relationships; what stays in memory is the device index, the listing, and
 * the keys the SDK's duplicate tracker holds anyway.
 */
import { IntegrationError } from '@jupiterone/integration-sdk-core';
import {
  detectedAppsRouteOf,
  graphClientOf,
  IntegrationStepContext,
} from '../../config';
import { APP_INVENTORY_REPORT } from '../../graph/detected-app-export';
import { ExportRouteError } from '../../graph/export-jobs';
import { DetectedApp, iterateDetectedApps } from '../../graph/intune-apps';
import { Steps } from '../constants';
import { loadDeviceIndex } from '../intune-devices/device-index';
import { requireStepPermissions } from '../require-permissions';
import { StepProgress } from '../progress';
import { writingGraphObjects } from '../graph-objects';
import { DetectedCatalog } from './detected-catalog';
import { readDetectedAppsByExport } from './detected-export-route';
import { readByRequests } from './detected-request-route';
import { DetectedAppCounters, InventoryWriter } from './inventory-writer';
import { IntuneAppsOptions } from './options';

export { DetectedAppCounters } from './inventory-writer';
export { perAppRequestEstimate } from './detected-request-route';

/** Set once every detected application of the tenant has been read. */
export const DETECTED_APPS_COMPLETE = 'intune-apps:detected-complete';

export async function fetchDetectedApplications(
  context: IntegrationStepContext,
  options: IntuneAppsOptions,
): Promise<void> {
  await requireStepPermissions(context, Steps.DETECTED_APPS.id);
  const { jobState, logger } = context;
  const route = detectedAppsRouteOf(context.instance.config);
  const client = graphClientOf(context);
  const progress = new StepProgress(logger, client, Steps.DETECTED_APPS.name);
  const devices = await loadDeviceIndex(jobState);

  // Every route starts from the listing (a few pages even on large tenants).
  const listed: DetectedApp[] = [];
  let largestPage = 0;
  for await (const page of iterateDetectedApps(client)) {
    progress.add(DetectedAppCounters.DETECTED_APPS_LISTED, page.length);
    largestPage = Math.max(largestPage, page.length);
    for (const app of page) listed.push(app);
  }
  const catalog = new DetectedCatalog(listed);

  let ran: 'export' | 'requests' | undefined;
  let details: Record<string, unknown> = {};
  let fallbackReason: string | undefined;
  await writingGraphObjects(
    jobState,
    async (writer) => {
      const inventory = new InventoryWriter(writer, devices, progress, catalog);
      if (route !== 'requests') {
        try {
          details = {
            ...(await readDetectedAppsByExport(
              client,
              catalog,
              inventory,
              options.exportRoute,
              logger,
            )),
          };
          ran = 'export';
        } catch (err) {
          const reason =
            err instanceof ExportRouteError
              ? err.reason
              : `an unexpected error: ${
                  err instanceof Error ? err.message : String(err)
                }`;
          if (route === 'export') {
            throw new IntegrationError({
              code: 'DETECTED_APPS_EXPORT_FAILED',
              message: `Detected apps: the ${APP_INVENTORY_REPORT} export could not finish: ${reason}. detectedAppsRoute is "export", so the request route was not tried; set it to "auto" to fall back to it.`,
              cause: err as Error,
            });
          }
          // The verifying pass found every reason to give up before any write.
          if (inventory.wroteAny) throw err;
          fallbackReason = reason;
          logger.warn(
            { detectedAppsRoute: route, reason },
            `Detected apps: the ${APP_INVENTORY_REPORT} export could not finish (${reason}); reading them through the request route instead.`,
          );
        }
      }
      if (!ran) {
        details = await readByRequests(
          client,
          inventory,
          listed,
          largestPage,
          devices,
          options,
          progress,
          logger,
        );
        ran = 'requests';
      }
      inventory.writeApplications();
    },
    { trackKeys: route !== 'requests' },
  );

  const unknown =
    progress.count(DetectedAppCounters.UNKNOWN_DEVICE_ITEMS) +
    progress.count(DetectedAppCounters.EXPORT_UNKNOWN_DEVICE_ROWS);
  if (unknown) {
    logger.info(
      { detectedAppsOfUnknownDevices: unknown },
      `${unknown} detected-app installations are on devices that are not managed devices of this collection (retired or deleted); no INSTALLED relationship was made for them.`,
    );
  }
  progress.done({
    detectedAppsRoute: ran,
    configuredRoute: route,
    ...(fallbackReason ? { fallbackReason } : {}),
    ...details,
    devicesInIndex: devices.size,
  });
  await jobState.setData(DETECTED_APPS_COMPLETE, true);
}
