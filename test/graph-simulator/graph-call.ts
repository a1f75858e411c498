/**
 * The contract between the Graph pipeline (graph-service.ts) and the route
 * handlers: what a handler reads, what it returns, and shared paging rules.
 */
import { PageRequest } from './envelope';
import type { ExportJobStore } from './export-jobs';
import { GraphHttpError, invalidPageSize, unknownProperty } from './errors';
import { QueryOptions } from './odata';
import { ApiVersion, EntityTypeName, PropertyCatalog } from './schema';
import { GraphObject, TenantData } from './tenant/model';
import { ServiceFamily, SimulatorBehaviour } from './types';

/** Everything a handler may read about the request it serves. */
export interface GraphCall {
  tenant: TenantData;
  version: ApiVersion;
  /** The token's application permissions. */
  roles: ReadonlySet<string>;
  /** Values of the `{id}` placeholders, in order. */
  params: string[];
  query: QueryOptions;
  page: PageRequest;
  origin: string;
  /** Parsed JSON body of POST requests. */
  body: unknown;
  behaviour: SimulatorBehaviour;
  catalog: PropertyCatalog;
  requestId: string;
  /** Request headers, lower-cased names ($batch items: the item's own). */
  headers: Record<string, string | undefined>;
  /** Report export jobs (export-jobs.ts). */
  exportJobs?: ExportJobStore;
}

export interface GraphPayload {
  /** Default 200 (export job creation answers 201). */
  status?: number;
  body: string;
  itemsServed: number;
  /** Default: the OData JSON content type. */
  contentType?: string;
  /** Directory answers carry x-ms-resource-unit unless this is set (HAR fetchAccount). */
  omitResourceUnitHeader?: boolean;
  /** Headers a particular endpoint adds (e.g. a Retry-After on a 200, issue 16). */
  headers?: Record<string, string>;
}

export interface GraphRoute {
  method: 'GET' | 'POST';
  /** With `{id}` placeholders, e.g. '/groups/{id}/members'; also the stats key. */
  path: string;
  service: ServiceFamily;
  /** Directory base cost in resource units (graph-api.md §6). */
  resourceUnits?: number;
  /** Any of these roles grants access. */
  permissions: readonly string[];
  /** Tenants without Intune answer 400 "Request not applicable to target tenant." */
  requiresIntune: boolean;
  /** Checks beyond `permissions` (e.g. signInActivity), run before `handle`. */
  authorize?: (call: GraphCall) => void;
  handle: (call: GraphCall) => GraphPayload;
}

/** Directory page size: $top 1..999, default 100; at most signInActivityPageSize with signInActivity (§2.2, §4). */
export function directoryPageSize(
  call: GraphCall,
  withSignInActivity: boolean,
): number {
  let size = 100;
  const top = call.query.top;
  if (top !== undefined) {
    const value = top.trim();
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(parsed >= 1 && parsed <= 999)) throw invalidPageSize(top);
    size = parsed;
  }
  if (call.behaviour.directoryPageSizeCap !== undefined)
    size = Math.min(size, call.behaviour.directoryPageSizeCap);
  return withSignInActivity
    ? Math.min(size, call.behaviour.signInActivityPageSize)
    : size;
}

/** Intune page size: default and maximum intunePageSize (UNCONFIRMED; larger $top is clamped). */
export function intunePageSize(call: GraphCall): number {
  const max = call.behaviour.intunePageSize;
  const top = call.query.top;
  if (top === undefined) return max;
  const parsed = /^\d+$/.test(top.trim()) ? Number(top.trim()) : NaN;
  if (!(parsed >= 1))
    throw new GraphHttpError(
      400,
      'BadRequest',
      `Invalid value '${top}' for $top.`,
    );
  return Math.min(parsed, max);
}

/** $top as a number for the resource-unit discount, when it is one. */
export function numericTop(query: QueryOptions): number | undefined {
  if (query.top === undefined || !/^\d+$/.test(query.top.trim()))
    return undefined;
  return Number(query.top.trim());
}

/** Select list resolved against a type's properties (400 on unknown names), or undefined without $select. */
export function resolveSelect(
  call: GraphCall,
  type: EntityTypeName,
  samples: () => GraphObject[],
): string[] | undefined {
  const select = call.query.select;
  if (!select || select.length === 0) return undefined;
  return call.catalog.resolveSelect(type, call.version, select, samples);
}

/** `name` or `name(a,b)` for `@odata.context`. */
export function withSelect(
  fragment: string,
  select: string[] | undefined,
): string {
  return select ? `${fragment}(${select.join(',')})` : fragment;
}

/** $filter on an endpoint the simulator does not filter: Graph-style 400s (graph-api.md §5). */
export function rejectFilter(
  call: GraphCall,
  service: ServiceFamily,
  resourceType: string,
): void {
  const filter = call.query.filter;
  if (filter === undefined) return;
  if (service === 'directory') {
    const property = /^[\s(]*([A-Za-z_][\w]*)/.exec(filter)?.[1] ?? filter;
    throw new GraphHttpError(
      400,
      'Request_UnsupportedQuery',
      `Unsupported or invalid query filter clause specified for property '${property}' of resource '${resourceType}'.`,
    );
  }
  throw new GraphHttpError(
    400,
    'BadRequest',
    `An error has occurred - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${
      call.requestId
    } - Url: ${intuneBackendUrl(call)}`,
  );
}

/** $expand where nothing can be expanded: the same 400 as an unknown property. */
export function rejectExpand(call: GraphCall, type: EntityTypeName): void {
  const expand = call.query.expand;
  if (expand && expand.length > 0)
    throw unknownProperty(expand[0].replace(/\(.*$/, ''), type);
}

/** The internal Intune URL its error messages quote (shape from graph-api.md §5). */
export function intuneBackendUrl(call: GraphCall): string {
  const path = call.page.pathWithVersion.replace(/^\/(v1\.0|beta)/i, '');
  return `https://fef.msub05.manage.microsoft.com/StatelessGraphService${path}?api-version=5024-01-01`;
}
