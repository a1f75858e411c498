/**
 * Internal knobs of the intune-apps steps (not instance configuration): the
 * detected-apps read strategy and the fan-out sizes. Tests and benchmarks
 * build the steps with other values through `createIntuneAppsSteps`.
 */

/**
 * How detected apps are read (docs/applications.md, "Reading detected apps"):
 * - `perDevice`: `managedDevices/{id}?$expand=detectedApps`, one request per device;
 * - `perApp`: `detectedApps`, then `detectedApps/{id}/managedDevices` per detected app (per version);
 * - `auto`: list `detectedApps` first, then take whichever of the two needs
 *   fewer requests for this tenant (the listing's `deviceCount`s tell).
 */
export type DetectedAppsStrategy = 'perDevice' | 'perApp' | 'auto';

export interface IntuneAppsOptions {
  detectedAppsStrategy: DetectedAppsStrategy;
  /** Send the N+1 requests 20 to a `$batch`. */
  batch: boolean;
  /** Requests (or batches) in flight for the detected-apps fan-out. */
  concurrency: number;
  /** Rows asked for per install-status report page. */
  reportTop?: number;
  /** Apps whose install-status report is read at once. */
  reportConcurrency: number;
}

export const DEFAULT_INTUNE_APPS_OPTIONS: IntuneAppsOptions = {
  detectedAppsStrategy: 'auto',
  batch: true,
  concurrency: 16,
  reportTop: undefined,
  reportConcurrency: 8,
};
