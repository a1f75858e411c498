/**
 * The request route of fetch-detected-applications: per detected app
 * (`detectedApps/{id}/managedDevices`) or per device
 * (`managedDevices/{id}?$expand=detectedApps`), whichever needs fewer
 * requests (docs/applications.md, "Request route").
 */
import { graphClientOf, IntegrationStepContext } from '../../config';
import {
  DetectedApp,
  forEachDetectedAppDevices,
  forEachDeviceInventory,
} from '../../graph/intune-apps';
import { DeviceIndex } from '../intune-devices/device-index';
import { StepProgress } from '../progress';
import { DetectedAppCounters, InventoryWriter } from './inventory-writer';
import { IntuneAppsOptions } from './options';

/** The request route: per detected app or per device, whichever needs fewer requests. */
export async function readByRequests(
  client: ReturnType<typeof graphClientOf>,
  inventory: InventoryWriter,
  listed: DetectedApp[],
  largestPage: number,
  devices: DeviceIndex,
  options: IntuneAppsOptions,
  progress: StepProgress,
  logger: IntegrationStepContext['logger'],
): Promise<Record<string, unknown>> {
  const fanOut = {
    batch: options.batch,
    concurrency: options.concurrency,
    onNotFound: (key: string) => {
      progress.add(DetectedAppCounters.GONE);
      logger.debug(
        { key },
        'Gone between the list and its detail (404); skipped',
      );
    },
  };
  let strategy = options.detectedAppsStrategy;
  let decision: Record<string, unknown> = {};
  if (strategy === 'auto') {
    const perAppRequests = perAppRequestEstimate(listed, largestPage);
    const perDeviceRequests = devices.size;
    strategy = perAppRequests <= perDeviceRequests ? 'perApp' : 'perDevice';
    decision = { perAppRequests, perDeviceRequests, chosen: strategy };
    logger.info(
      decision,
      `Detected apps: reading them ${
        strategy === 'perApp' ? 'per detected app' : 'per device'
      } (${Math.min(
        perAppRequests,
        perDeviceRequests,
      )} requests instead of ${Math.max(perAppRequests, perDeviceRequests)})`,
    );
  }
  if (strategy === 'perApp') {
    inventory.expectItems(listed);
    const byId = new Map(listed.map((app) => [app.id, app]));
    await forEachDetectedAppDevices(
      client,
      byId.keys(),
      (detectedAppId, managedDeviceIds) =>
        inventory.writeApp(
          byId.get(detectedAppId) as DetectedApp,
          managedDeviceIds,
        ),
      fanOut,
    );
  } else {
    await forEachDeviceInventory(
      client,
      devices.ids(),
      (managedDeviceId, apps) => {
        progress.add(DetectedAppCounters.DEVICES_READ);
        return inventory.writeDevice(managedDeviceId, apps);
      },
      fanOut,
    );
  }
  return { strategy, ...decision, batch: options.batch };
}

/**
 * Requests the per-app strategy still needs once the listing is read: one
 * per detected app, plus one per further page of its devices. Graph's page
 * size for these lists is not documented; the largest listing page seen is
 * taken as it (a single short page makes the estimate high, never low).
 */
export function perAppRequestEstimate(
  apps: DetectedApp[],
  pageSize: number,
): number {
  const size = Math.max(1, pageSize);
  return apps.reduce(
    (sum, app) =>
      sum + Math.max(1, Math.ceil((Number(app.deviceCount) || 0) / size)),
    0,
  );
}
