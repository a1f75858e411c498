/**
 * Which Microsoft Graph throttling budget a request draws from, and what it
 * costs there (graph-api.md §6, learn.microsoft.com/graph/throttling-limits).
 */

export type GraphService =
  | 'directory'
  | 'intuneDevices'
  | 'intuneConfiguration'
  | 'intuneApps';

export const GRAPH_SERVICES: GraphService[] = [
  'directory',
  'intuneDevices',
  'intuneConfiguration',
  'intuneApps',
];

export interface ServiceLimit {
  /** Units allowed per window: resource units for the directory, requests for Intune. */
  units: number;
  windowMs: number;
}

/**
 * Documented per app per tenant limits. The directory figure is the one for
 * tenants over 500 users; smaller tenants (3,500 / 5,000 RU) never issue
 * enough requests to reach theirs, and a 429 slows us down if they do.
 */
export const DOCUMENTED_LIMITS: Record<GraphService, ServiceLimit> = {
  directory: { units: 8000, windowMs: 10_000 },
  intuneDevices: { units: 2000, windowMs: 20_000 },
  intuneConfiguration: { units: 1000, windowMs: 20_000 },
  intuneApps: { units: 1000, windowMs: 20_000 },
};

export interface ServiceCost {
  service: GraphService;
  units: number;
}

/**
 * @param path the URL path after the version, e.g. `/groups/{id}/members`
 * @param query the query string (with or without `?`)
 */
export function costOf(path: string, query = ''): ServiceCost {
  const p = path.toLowerCase();
  if (p.startsWith('/deviceappmanagement')) {
    return { service: 'intuneApps', units: 1 };
  }
  if (p.startsWith('/devicemanagement/reports')) {
    // getDeviceInstallStatusReport reads mobileAppInstallStatus data.
    return { service: 'intuneApps', units: 1 };
  }
  if (
    p.startsWith('/devicemanagement/manageddevices') ||
    p.startsWith('/devicemanagement/detectedapps')
  ) {
    return { service: 'intuneDevices', units: 1 };
  }
  if (p.startsWith('/devicemanagement')) {
    return { service: 'intuneConfiguration', units: 1 };
  }
  return { service: 'directory', units: directoryResourceUnits(p, query) };
}

/** The identity service's resource-unit cost table. */
function directoryResourceUnits(path: string, query: string): number {
  let units = 1;
  if (/^\/users\/?$/.test(path)) units = 2;
  else if (/^\/groups\/[^/]+\/members/.test(path)) units = 3;
  else if (/^\/groups\/[^/]+\/transitivemembers/.test(path)) units = 5;
  else if (/^\/applications\/?$/.test(path)) units = 2;
  const q = decodeURIComponent(query).toLowerCase();
  if (q.includes('$select=')) units -= 1;
  if (q.includes('$expand=')) units += 1;
  const top = /\$top=(\d+)/.exec(q);
  if (top && Number(top[1]) < 20) units -= 1;
  return Math.max(1, units);
}
