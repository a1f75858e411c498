/**
 * Which Microsoft Graph throttling budget a request draws from, and what it
 * costs there (graph-api.md §6, learn.microsoft.com/graph/throttling-limits).
 */

export type GraphService =
  | 'directory'
  | 'intuneDevices'
  | 'intuneConfiguration'
  | 'intuneApps'
  // issue 16
  | 'identityReports'
  | 'conditionalAccess';

export const GRAPH_SERVICES: GraphService[] = [
  'directory',
  'intuneDevices',
  'intuneConfiguration',
  'intuneApps',
  // issue 16
  'identityReports',
  'conditionalAccess',
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
  // issue 16. learn.microsoft.com/graph/throttling-limits (docs-contrib
  // concepts/throttling-limits.md, read 2026): "Identity and access reports
  // service limits", any request, 5 per 10 s per app per tenant (122 per 10 s
  // per app over all tenants) for the /reports resources;
  // "Identity protection and conditional access service limits", 1 request per
  // second per tenant for all apps, for namedLocation and
  // conditionalAccessPolicy, with 429s that carry no Retry-After.
  identityReports: { units: 5, windowMs: 10_000 },
  conditionalAccess: { units: 1, windowMs: 1_000 },
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
  // issue 15: the policy families' device, setting and summary reports read
  // configuration and compliance policy state, not app data: they share the
  // configuration budget with the policy lists (the simulator charges them
  // there too). Which budget Graph really charges them to is undocumented;
  // on the apps budget they crowded out the install-status reports under
  // throttling (docs/compliance.md "Policy families").
  if (
    /^\/devicemanagement\/reports\/get(configuration|devicestatus(summary)?bycompliacepolicy)/.test(
      p,
    )
  ) {
    return { service: 'intuneConfiguration', units: 1 };
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
  // issue 16: userRegistrationDetails is an identity report; CA its own service.
  if (p.startsWith('/reports/authenticationmethods')) {
    return { service: 'identityReports', units: 1 };
  }
  if (p.startsWith('/identity/conditionalaccess')) {
    return { service: 'conditionalAccess', units: 1 };
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
  // Top-level options only: a $select inside $expand=principal($select=id) is not one.
  if (/(^|&)\$select=/.test(q)) units -= 1;
  if (/(^|&)\$expand=/.test(q)) units += 1;
  const top = /\$top=(\d+)/.exec(q);
  if (top && Number(top[1]) < 20) units -= 1;
  return Math.max(1, units);
}
