/**
 * The tenant's detected-app inventory as one report export: `AppInvRawData`
 * ("Apps > Monitor > Discovered apps > Export"), one row per (detected app,
 * device), from a handful of requests whatever the fleet size
 * (intune-exports.md §2.1).
 *
 * Only AppInvRawData: its sibling AppInvAggregate (one row per app, with a
 * device count) can hold apps the raw report lacks (cartography), but such an
 * app has no DeviceId, so it could never become an INSTALLED; the per-app
 * facts it carries (name, publisher, platform, version) are what the
 * detectedApps listing gives, and the listing is read on every route
 * (docs/applications.md, "Export route").
 *
 * Docs: https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-available-reports
 * Permission: DeviceManagementManagedDevices.Read.All (any of the export scopes; export-jobs.ts)
 */
import { GraphClient } from './client';
import {
  DEFAULT_EXPORT_JOB_OPTIONS,
  ExportJobOptions,
  runExportJob,
} from './export-jobs';
import {
  DEFAULT_REPORT_FILE_LIMITS,
  describeUrl,
  ReportFile,
  ReportFileLimits,
} from './report-download';

export const APP_INVENTORY_REPORT = 'AppInvRawData';

/** The columns selected, explicitly (MD-APIS: never rely on a report's defaults). */
export const APP_INVENTORY_COLUMNS = [
  'DeviceId',
  'ApplicationName',
  'ApplicationVersion',
  'ApplicationPublisher',
  'Platform',
] as const;

/** The localized twin of Platform, present with the default localizationType (MD-APIS). */
export const APP_INVENTORY_OPTIONAL_COLUMNS = ['Platform_loc'] as const;

export interface AppInventoryExportOptions {
  job: ExportJobOptions;
  file: ReportFileLimits;
}

export const DEFAULT_APP_INVENTORY_EXPORT_OPTIONS: AppInventoryExportOptions = {
  job: DEFAULT_EXPORT_JOB_OPTIONS,
  file: DEFAULT_REPORT_FILE_LIMITS,
};

export interface AppInventoryExport {
  jobId: string;
  /** Jobs submitted and polls made. */
  attempts: number;
  polls: number;
  file: ReportFile;
}

/** Runs the export job and downloads its file; the caller reads it and disposes of it. */
export async function exportAppInventory(
  client: GraphClient,
  options: AppInventoryExportOptions = DEFAULT_APP_INVENTORY_EXPORT_OPTIONS,
  log: (message: string, details: Record<string, unknown>) => void = () =>
    undefined,
): Promise<AppInventoryExport> {
  const { job, attempts, polls } = await runExportJob(
    client,
    { reportName: APP_INVENTORY_REPORT, select: APP_INVENTORY_COLUMNS },
    options.job,
    log,
  );
  log('Downloading the export file', {
    jobId: job.id,
    from: describeUrl(job.url),
  });
  const file = await ReportFile.download(job.url, options.file);
  return { jobId: job.id, attempts, polls, file };
}
