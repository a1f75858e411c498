/**
 * OData query options and paging, as Graph reads and writes them
 * (graph-api.md §2.2).
 */
import { GraphHttpError } from './errors';

export interface QueryOptions {
  /** Lower-cased system option name ('$select') -> decoded value. */
  system: Map<string, string>;
  /** $select items, de-duplicated (graph-client re-appends them on nextLinks). */
  select?: string[];
  expand?: string[];
  filter?: string;
  top?: string;
  skipToken?: PageToken;
  /** The raw $skiptoken text, for loop detection and the request log. */
  rawSkipToken?: string;
}

/** Opaque paging state carried in $skiptoken: offset and 1-based page number. */
export interface PageToken {
  offset: number;
  page: number;
}

const ONCE_ONLY_OPTIONS = [
  '$select',
  '$expand',
  '$filter',
  '$top',
  '$skiptoken',
  '$count',
  '$orderby',
  '$search',
  '$skip',
];

/**
 * Parses a raw query string. Keys may be `$x` or `%24x` (Polly-recorded URLs
 * and some clients encode the dollar; graph-api.md §2.2), in any case.
 */
export function parseQuery(rawQuery: string): QueryOptions {
  const system = new Map<string, string>();
  if (rawQuery) {
    for (const part of rawQuery.split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const rawKey = eq < 0 ? part : part.slice(0, eq);
      const rawValue = eq < 0 ? '' : part.slice(eq + 1);
      const key = decode(rawKey).trim().toLowerCase();
      if (!key.startsWith('$')) continue;
      if (system.has(key) && ONCE_ONLY_OPTIONS.includes(key)) {
        throw new GraphHttpError(
          400,
          'BadRequest',
          `Query option '${key}' was specified more than once, but it must be specified at most once.`,
        );
      }
      system.set(key, decode(rawValue));
    }
  }
  const options: QueryOptions = { system };
  const select = system.get('$select');
  if (select !== undefined) options.select = splitList(select);
  const expand = system.get('$expand');
  if (expand !== undefined) options.expand = splitList(expand);
  options.filter = system.get('$filter');
  options.top = system.get('$top');
  const skipToken = system.get('$skiptoken');
  if (skipToken !== undefined) {
    options.rawSkipToken = skipToken;
    options.skipToken = decodePageToken(skipToken);
  }
  return options;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new GraphHttpError(
      400,
      'BadRequest',
      'The query string is not valid.',
    );
  }
}

/** "a, b,a" -> ['a', 'b']; duplicates are tolerated (UNCONFIRMED whether Graph does; §2.2). */
function splitList(value: string): string[] {
  const seen = new Set<string>();
  const items: string[] = [];
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (!item || seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    items.push(item);
  }
  return items;
}

export function encodePageToken(token: PageToken): string {
  // base64url: '+', '/' and '&' would be mangled by the SDK's query splitting (§2.2).
  return Buffer.from(
    JSON.stringify({ o: token.offset, p: token.page }),
  ).toString('base64url');
}

function decodePageToken(text: string): PageToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Number.isInteger(parsed?.o) &&
      parsed.o >= 0 &&
      Number.isInteger(parsed?.p) &&
      parsed.p >= 2
    ) {
      return { offset: parsed.o, page: parsed.p };
    }
  } catch {
    // fall through
  }
  throw new GraphHttpError(
    400,
    'Directory_ExpiredPageToken',
    'The specified page token value is invalid.',
  );
}

/**
 * The nextLink: the request's own origin and path, its query options
 * unchanged, and a new $skiptoken (graph-api.md §0 item 5, §2.2).
 */
export function buildNextLink(
  origin: string,
  pathWithVersion: string,
  rawQuery: string,
  token: PageToken,
): string {
  const kept = rawQuery
    .split('&')
    .filter((part) => part && !/^(\$|%24)skiptoken(=|$)/i.test(part));
  kept.push(`$skiptoken=${encodePageToken(token)}`);
  return `${origin}${pathWithVersion}?${kept.join('&')}`;
}

/** `https://host/v1.0/$metadata#fragment` */
export function contextUrl(
  origin: string,
  version: string,
  fragment: string,
): string {
  return `${origin}/${version}/$metadata#${fragment}`;
}
