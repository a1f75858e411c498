/**
 * The value rules every converter shares, one rule each: Graph's way of
 * saying "no value" (null, "", white space, sentinel dates and GUIDs, the
 * word "Unknown") becomes an absent property, which createIntegrationEntity
 * leaves out. Tested once, in convert.test.ts.
 */

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/** A non-blank string, trimmed; undefined for anything else (null, "", white space, non-strings). */
export function presentString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The string exactly as Graph sent it, when it is not blank: for free text
 * (names, descriptions, report cells) that the entity repeats verbatim.
 */
export function presentText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.trim() ? value : undefined;
}

/** Like presentString, and the word "Unknown" (Graph's free-text placeholder) is absent too. */
export function knownString(value: unknown): string | undefined {
  const text = presentString(value);
  return text && text.toLowerCase() !== 'unknown' ? text : undefined;
}

/** A GUID, lower-cased; undefined for empty and all-zero GUIDs. */
export function presentGuid(value: unknown): string | undefined {
  const text = presentString(value);
  return text && text !== ZERO_GUID ? text.toLowerCase() : undefined;
}

/** true/false; undefined for null and anything else. */
export function presentBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A finite number; undefined for null, NaN and anything else. */
export function presentNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

/** The strings of a list; undefined when Graph sent no list. */
export function presentStrings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((item): item is string => typeof item === 'string');
}

/**
 * Epoch milliseconds of a Graph date-time (ISO 8601 text); undefined for
 * missing and unreadable values and for the "not set" sentinels: Graph's
 * 0001-01-01T00:00:00Z (graph-api.md §9) and anything at or before the Unix
 * epoch, which no object this integration reads can really date from.
 */
export function toEpochMs(value: unknown): number | undefined {
  const text = presentString(value);
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * An e-mail address: the ajv-formats "email" pattern in its full mode,
 * case-insensitive. Every address it accepts also passes the fast mode that
 * JupiterOne's data model validates `email` properties with, and it refuses
 * what is no internet address (a host without a dot, consecutive dots).
 */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** A trimmed e-mail address the data model accepts; undefined otherwise. */
export function toEmailAddress(value: unknown): string | undefined {
  const text = presentString(value);
  return text && EMAIL.test(text) ? text : undefined;
}

/** Leaves out undefined properties, so that absent means absent (not a key holding undefined). */
export function withoutUndefined<T extends Record<string, unknown>>(
  object: T,
): T {
  for (const key of Object.keys(object)) {
    if (object[key] === undefined) delete object[key];
  }
  return object;
}

/**
 * Maps a Graph enum value through a table of known values; undefined for a
 * value the table does not know (the caller decides whether to log it).
 */
export function mapEnum<V>(
  value: unknown,
  table: Readonly<Record<string, V>>,
): V | undefined {
  const text = presentString(value);
  return text !== undefined && Object.prototype.hasOwnProperty.call(table, text)
    ? table[text]
    : undefined;
}
