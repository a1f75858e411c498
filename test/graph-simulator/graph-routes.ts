/**
 * The Graph route table and path matching. Handlers live in
 * directory-routes.ts, intune-routes.ts and reports.ts.
 */
import { applicationRoutes } from './application-routes';
import { directoryRoutes } from './directory-routes';
import { GraphHttpError, GraphMessages, resourceNotFound } from './errors';
import { GraphRoute } from './graph-call';
import { exportJobRoutes } from './export-jobs';
import { identityRoutes } from './identity-routes';
import { intuneRoutes } from './intune-routes';
import { reportRoutes } from './reports';
// issue 15
import { reportPolicyRoutes } from './report-policy-routes';
import {
  namesSettingsPolicy,
  settingsPolicyRoutes,
} from './settings-policy-routes';

export interface RouteMatch {
  route: GraphRoute;
  params: string[];
  endpoint: string;
}

/**
 * issue 15: Settings Catalog / endpoint security policies and administrative
 * templates share report actions (getConfigurationPolicyDevicesReport,
 * getConfigurationPolicyDeviceSummaryReport), as in Intune: the admin center
 * calls the same actions for both, told apart only by the filter
 * (docs/compliance.md "Policy families" cites the public scripts). The policy
 * id in the request's filter says whose rows answer.
 */
function policyFamilyRoutes(): GraphRoute[] {
  const keyOf = (route: GraphRoute) =>
    `${route.method} ${route.path.toLowerCase()}`;
  const settings = new Map(settingsPolicyRoutes.map((r) => [keyOf(r), r]));
  const shared = reportPolicyRoutes.map((route): GraphRoute => {
    const other = settings.get(keyOf(route));
    if (!other) return route;
    settings.delete(keyOf(route));
    return {
      ...route,
      handle: (call) =>
        namesSettingsPolicy(call) ? other.handle(call) : route.handle(call),
    };
  });
  return [...shared, ...settings.values()];
}

interface CompiledRoute {
  route: GraphRoute;
  segments: string[];
}

const ROUTES: CompiledRoute[] = [
  ...directoryRoutes,
  ...intuneRoutes,
  ...reportRoutes,
  // issue 15
  ...policyFamilyRoutes(),
  ...exportJobRoutes,
  ...applicationRoutes,
  ...identityRoutes, // issue 16
].map((route) => ({
  route,
  segments: route.path
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.toLowerCase()),
}));

/**
 * Splits a path after the version into segments, expanding OData key syntax
 * (`deviceConfigurations('id')` -> `deviceConfigurations`, `id`).
 */
export function pathSegments(path: string): string[] {
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (!raw) continue;
    const segment = safeDecode(raw);
    const keyed = /^([^()]+)\('?([^'()]*)'?\)$/.exec(segment);
    if (keyed) segments.push(keyed[1], keyed[2]);
    else segments.push(segment);
  }
  return segments;
}

/**
 * Finds the route for a method and path segments. Segment names are
 * case-insensitive (the anchor requests `manageddevices`; graph-api.md §2.3).
 * Unknown paths raise Graph's 400 for the first segment that matches nothing;
 * a known path with another method raises 405.
 */
export function matchRoute(method: string, segments: string[]): RouteMatch {
  let deepestMatch = 0;
  let pathExists = false;
  for (const { route, segments: pattern } of ROUTES) {
    let matched = 0;
    const params: string[] = [];
    while (matched < pattern.length && matched < segments.length) {
      const expected = pattern[matched];
      const actual = segments[matched];
      if (expected === '{id}') params.push(actual);
      else if (expected !== actual.toLowerCase()) break;
      matched++;
    }
    if (matched === pattern.length && matched === segments.length) {
      if (route.method === method) {
        return { route, params, endpoint: `${route.method} ${route.path}` };
      }
      pathExists = true;
    }
    deepestMatch = Math.max(deepestMatch, matched);
  }
  if (pathExists)
    throw new GraphHttpError(
      405,
      'Request_BadRequest',
      GraphMessages.methodNotAllowed,
    );
  throw resourceNotFound(
    segments[deepestMatch] ?? segments[segments.length - 1] ?? '',
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
