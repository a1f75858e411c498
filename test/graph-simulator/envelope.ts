/**
 * Response headers and bodies as Graph writes them (graph-api.md §2.1; HARs).
 */
import { ListSource } from './collections';
import { GraphObject } from './tenant/model';
import { buildNextLink, contextUrl, PageToken, QueryOptions } from './odata';
import { CachedItems, PageCache } from './page-cache';

export const ODATA_JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
export const ERROR_CONTENT_TYPE = 'application/json';
export const STREAM_CONTENT_TYPE = 'application/octet-stream';

/** Same shape as the captured header; the values only say where the answer came from. */
const AGS_DIAGNOSTIC = JSON.stringify({
  ServerInfo: {
    DataCenter: 'Loopback',
    Slice: 'E',
    Ring: '2',
    ScaleUnit: '000',
    RoleInstance: 'GRAPHSIM00001',
  },
});

/** Headers on every Graph answer, success or error. */
export function commonGraphHeaders(
  requestId: string,
  clientRequestId: string,
): Record<string, string> {
  return {
    'strict-transport-security': 'max-age=31536000',
    'request-id': requestId,
    'client-request-id': clientRequestId,
    'x-ms-ags-diagnostic': AGS_DIAGNOSTIC,
  };
}

export function successHeaders(
  requestId: string,
  clientRequestId: string,
  contentType: string,
  directory: boolean,
): Record<string, string> {
  return {
    'content-type': contentType,
    // Directory answers carried `private`/`no-cache`; Intune answers had none (HARs).
    ...(directory ? { 'cache-control': 'no-cache' } : {}),
    vary: 'Accept-Encoding',
    ...commonGraphHeaders(requestId, clientRequestId),
    'odata-version': '4.0',
  };
}

export function errorHeaders(
  requestId: string,
  clientRequestId: string,
): Record<string, string> {
  return {
    'content-type': ERROR_CONTENT_TYPE,
    'cache-control': 'private',
    ...commonGraphHeaders(requestId, clientRequestId),
  };
}

/** 401s name the authority, as the documented sample does (graph-api.md §5). */
export function wwwAuthenticate(origin: string): string {
  return `Bearer realm="", authorization_uri="${origin}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`;
}

/** What a page-shape fault does to the page being served (faults.ts). */
export type PageFault =
  | 'missingValue'
  | 'loopNextLink'
  | 'duplicatePage'
  | 'endWalkEarly';

/** Everything needed to write one page of a collection. */
export interface PageRequest {
  origin: string;
  version: string;
  /** As requested, e.g. '/beta/deviceManagement/managedDevices'. */
  pathWithVersion: string;
  rawQuery: string;
  query: QueryOptions;
  pageFault?: PageFault;
  /** Where serialised pages are kept, and the key prefix that scopes them (tenant). */
  cache?: { store: PageCache; scope: string };
}

export interface PageOptions<T> {
  source: ListSource<T>;
  /** `@odata.context` fragment, e.g. 'users(id,displayName)'. */
  contextFragment: string;
  pageSize: number;
  /** The item as it goes on the wire; undefined drops it from the page. */
  project: (item: T) => GraphObject | undefined;
  /** `@odata.count` value, when the endpoint writes one. */
  count?: number;
  /**
   * Set when the projection depends only on the request path, the context
   * fragment and this text (e.g. the caller's readable member types): the
   * page's items may then be cached. Undefined: never cached.
   */
  cacheVariant?: string;
}

export interface SerializedPage {
  body: string;
  itemsServed: number;
}

/**
 * One page of a collection, serialised by concatenation (no intermediate
 * page object): `@odata.context`, `@odata.count`, `@odata.nextLink`, `value`,
 * in Graph's order.
 */
export function serializePage<T>(
  request: PageRequest,
  options: PageOptions<T>,
): SerializedPage {
  const token: PageToken = request.query.skipToken ?? { offset: 0, page: 1 };
  const total = options.source.count;
  const start = Math.min(token.offset, total);
  const end = Math.min(total, start + options.pageSize);

  const items = pageItems(request, options, start, end);

  let nextLink: string | undefined;
  if (request.pageFault === 'loopNextLink') {
    nextLink = `${request.origin}${request.pathWithVersion}${
      request.rawQuery ? `?${request.rawQuery}` : ''
    }`;
  } else if (request.pageFault === 'duplicatePage') {
    nextLink = buildNextLink(
      request.origin,
      request.pathWithVersion,
      request.rawQuery,
      {
        offset: start,
        page: token.page + 1,
      },
    );
  } else if (end < total && request.pageFault !== 'endWalkEarly') {
    nextLink = buildNextLink(
      request.origin,
      request.pathWithVersion,
      request.rawQuery,
      {
        offset: end,
        page: token.page + 1,
      },
    );
  }

  let body = `{"@odata.context":${JSON.stringify(
    contextUrl(request.origin, request.version, options.contextFragment),
  )}`;
  if (options.count !== undefined) body += `,"@odata.count":${options.count}`;
  if (nextLink) body += `,"@odata.nextLink":${JSON.stringify(nextLink)}`;
  if (request.pageFault !== 'missingValue') body += `,"value":[${items.json}]`;
  body += '}';
  return { body, itemsServed: items.count };
}

function pageItems<T>(
  request: PageRequest,
  options: PageOptions<T>,
  start: number,
  end: number,
): CachedItems {
  const key =
    request.cache && options.cacheVariant !== undefined
      ? `${request.cache.scope}|${request.pathWithVersion.toLowerCase()}|${
          options.contextFragment
        }|${options.cacheVariant}|${start}|${end}`
      : undefined;
  const cached = key ? request.cache!.store.get(key) : undefined;
  if (cached) return cached;
  const serialized: string[] = [];
  for (let index = start; index < end; index++) {
    const item = options.source.get(index);
    if (!item) continue;
    const projected = options.project(item);
    if (projected) serialized.push(JSON.stringify(projected));
  }
  const items = { json: serialized.join(','), count: serialized.length };
  if (key) request.cache!.store.set(key, items);
  return items;
}

/** A single entity or singleton: `@odata.context` first, then the properties. */
export function serializeEntity(
  origin: string,
  version: string,
  contextFragment: string,
  entity: GraphObject,
): string {
  return JSON.stringify({
    '@odata.context': contextUrl(origin, version, contextFragment),
    ...entity,
  });
}
