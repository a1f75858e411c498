/**
 * Paging of a Graph collection: follow `@odata.nextLink` verbatim until Graph
 * stops sending one, restart on an expired page token, and refuse what would
 * silently end or never end a walk (a page without `value`, a nextLink seen
 * twice).
 */
import { GraphApiError, isGraphError } from './errors';
import { GraphRequest, GraphTransport } from './transport';

export interface GraphCollectionPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

export interface IterateOptions {
  /** The first page, already fetched (by a $batch). */
  firstPage?: GraphCollectionPage<unknown>;
  /**
   * How often to restart the walk from its first page when Graph says the
   * page token expired (Directory_ExpiredPageToken). Items already yielded
   * are not yielded again: within one walk, items are yielded once per `id`.
   */
  maxRestarts?: number;
  /**
   * What makes two items the same item, for the repeats Graph sends across
   * pages; `id` by default. Collections whose rows share an `id` (a device
   * status per user and per System account) name more of the row.
   */
  identityOf?: (item: { id?: string }) => string | undefined;
}

const DEFAULT_MAX_RESTARTS = 3;

export async function* iteratePages<T extends { id?: string }>(
  transport: GraphTransport,
  request: GraphRequest,
  options: IterateOptions = {},
): AsyncGenerator<T[]> {
  const firstUrl = transport.urlOf(request);
  const maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  const yielded = new Set<string>();
  const seenLinks = new Set<string>();
  let restarts = 0;
  let url: string | undefined = firstUrl;
  let prefetched = options.firstPage as GraphCollectionPage<T> | undefined;
  while (url) {
    let page: GraphCollectionPage<T>;
    if (prefetched) {
      page = prefetched;
      prefetched = undefined;
    } else {
      try {
        page = await transport.send<GraphCollectionPage<T>>('GET', url, {
          headers: request.headers,
        });
      } catch (err) {
        if (
          url !== firstUrl &&
          restarts < maxRestarts &&
          isGraphError(err, {
            status: 400,
            code: 'Directory_ExpiredPageToken',
          })
        ) {
          restarts++;
          transport.logger?.warn(
            { path: request.path, restarts },
            'Microsoft Graph page token expired; restarting the walk from the first page',
          );
          url = firstUrl;
          seenLinks.clear();
          continue;
        }
        throw err;
      }
    }
    if (!page || !Array.isArray(page.value)) {
      throw new GraphApiError(
        { method: 'GET', url, status: 200, code: 'MissingValue' },
        'The response had no "value" collection; the collection was not read to the end.',
      );
    }
    transport.counters.pages++;
    // Graph has been seen to repeat an item on two pages; yield it once.
    const identityOf = options.identityOf ?? idOf;
    const fresh = page.value.filter((item) => isNew(identityOf(item), yielded));
    if (fresh.length) yield fresh;
    const next: string | undefined = page['@odata.nextLink'];
    if (next) {
      if (seenLinks.has(next) || next === url) {
        throw new GraphApiError(
          { method: 'GET', url: next, status: 200, code: 'NextLinkLoop' },
          'Microsoft Graph returned a nextLink that was already followed; the walk stopped to avoid an endless loop.',
        );
      }
      seenLinks.add(next);
    }
    url = next;
  }
}

function idOf(item: { id?: string }): string | undefined {
  return typeof item?.id === 'string' ? item.id : undefined;
}

function isNew(identity: string | undefined, yielded: Set<string>): boolean {
  if (identity === undefined) return true;
  if (yielded.has(identity)) return false;
  yielded.add(identity);
  return true;
}
