/**
 * Seeded, stateless randomness for the tenant generator.
 *
 * Everything the generator produces is a pure function of (seed, kind, index),
 * so any object can be rebuilt on demand without storing it. Two building
 * blocks:
 * - `hash`/`unit`: stateless 32-bit hashes, for "does device 17 get a status
 *   for policy 3?" questions asked millions of times;
 * - `Rng` (mulberry32): a small sequential generator for building one object.
 *
 * Ids embed their index through an invertible 32-bit permutation, so an id can
 * be mapped back to (kind, index) without a lookup table: that is what keeps a
 * 50,000-user tenant's `directoryObject(id)` free of a 50,000-entry Map.
 */

/** Id families. Each gets its own id space; the numbers only need to be distinct. */
export const IdKind = {
  user: 1,
  ghostUser: 2,
  group: 3,
  ghostGroup: 4,
  memberDevice: 5,
  servicePrincipal: 6,
  orgContact: 7,
  unknownMember: 8,
  absentUser: 9,
  managedDevice: 10,
  staleDevice: 11,
  aadDevice: 12,
  detectedApp: 13,
  mobileApp: 14,
  compliancePolicy: 15,
  deviceConfiguration: 16,
  intuneAccount: 17,
  requestId: 18,
  servicePlan: 19,
  immutableId: 20,
  securityIdentifier: 21,
  appId: 22,
  // issue 17 (applications and service principals); numbered apart so that
  // id kinds added on other branches cannot collide with them
  ghostServicePrincipal: 171,
  application: 172,
  credential: 173,
  foreignTenant: 174,
  appRole: 175,
  // issue 16: roles, Conditional Access
  customRole: 23,
  orphanPrincipal: 24,
  administrativeUnit: 25,
  namedLocation: 26,
  conditionalAccessPolicy: 27,
  deletedObject: 28,
  // issue 15: Intune policy assignments
  assignmentFilter: 151,
  // issue 15: policy families read through report actions
  administrativeTemplate: 155,
  settingsCompliancePolicy: 156,
  // issue 15: settingsCatalog / endpointSecurity (beta configurationPolicies)
  settingsPolicy: 152,
} as const;
export type IdKindValue = (typeof IdKind)[keyof typeof IdKind];

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

// Module-level aliases: inside jest's vm sandbox every lookup of the global
// `Math` is slow (~0.5 µs), which made the L ground truth 50x slower there.
const imul = Math.imul;
const floor = Math.floor;

/** murmur3 finaliser: a bijection on 32-bit integers. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Multiplicative inverse modulo 2^32 (Newton iteration; x must be odd). */
function inverseMod32(x: number): number {
  let inv = x;
  for (let i = 0; i < 5; i++) inv = imul(inv, 2 - imul(x, inv));
  return inv >>> 0;
}
const INV_C1 = inverseMod32(0x85ebca6b);
const INV_C2 = inverseMod32(0xc2b2ae35);

function unfmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, INV_C2);
  h ^= (h >>> 13) ^ (h >>> 26);
  h = imul(h, INV_C1);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixIn(h: number, v: number): number {
  v = imul(v | 0, 0xcc9e2d51);
  v = (v << 15) | (v >>> 17);
  v = imul(v, 0x1b873593);
  h ^= v;
  h = (h << 13) | (h >>> 19);
  return (imul(h, 5) + 0xe6546b64) | 0;
}

/** Stateless 32-bit hash of up to five integers (fixed arity: no array allocation in hot loops). */
export function hash(a: number, b = 0, c = 0, d = 0, e = 0): number {
  let h = 0x9747b28c;
  h = mixIn(h, a);
  h = mixIn(h, b);
  h = mixIn(h, c);
  h = mixIn(h, d);
  h = mixIn(h, e);
  return fmix32(h ^ 20);
}

/** Stateless uniform number in [0, 1). */
export function unit(a: number, b = 0, c = 0, d = 0, e = 0): number {
  return hash(a, b, c, d, e) / 4294967296;
}

/** 32-bit hash of a string (FNV-1a, then finalised). */
export function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** mulberry32: small, fast, good enough for test data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Index drawn with the given (non-negative) weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  hex(length: number, upper = false): string {
    let s = '';
    while (s.length < length) s += HEX_BYTE[this.int(256)];
    s = s.slice(0, length);
    return upper ? s.toUpperCase() : s;
  }

  digits(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += String(this.int(10));
    return s;
  }
}

/** The generator for one object: same (seed, kind, index, salt) → same sequence. */
export function rngFor(
  seed: number,
  kind: number,
  index: number,
  salt = 0,
): Rng {
  return new Rng(hash(seed, kind, index, salt, 0x5eed));
}

// Number#toString(16) is slow (~1 µs); ids are built from a byte table instead.
const HEX_BYTE = Array.from({ length: 256 }, (_, b) =>
  (b + 0x100).toString(16).slice(1),
);

function hex8(n: number): string {
  return (
    HEX_BYTE[n >>> 24] +
    HEX_BYTE[(n >>> 16) & 255] +
    HEX_BYTE[(n >>> 8) & 255] +
    HEX_BYTE[n & 255]
  );
}

function indexKey(seed: number, kind: number): number {
  return hash(seed, kind, 0x1d);
}

/**
 * Deterministic GUID for (seed, kind, index): lower-case 8-4-4-4-12, version 4
 * and RFC 4122 variant bits like a real random GUID. The last 8 hex digits are
 * a bijective scramble of the index, so `guidIndex` can invert it.
 */
export function guid(seed: number, kind: number, index: number): string {
  const a = hash(seed, kind, index, 1);
  const b = hash(seed, kind, index, 2);
  const c = hash(seed, kind, index, 3);
  const tail = fmix32((index ^ indexKey(seed, kind)) >>> 0);
  const bHex = hex8(b);
  const cHex = hex8(c);
  const variant = (8 | (c >>> 30)).toString(16);
  return (
    hex8(a) +
    '-' +
    bHex.slice(0, 4) +
    '-4' +
    bHex.slice(5, 8) +
    '-' +
    variant +
    cHex.slice(1, 4) +
    '-' +
    cHex.slice(4, 8) +
    hex8(tail)
  );
}

/** Index i such that guid(seed, kind, i) === id, or -1. */
export function guidIndex(
  seed: number,
  kind: number,
  id: string,
  count: number,
): number {
  if (id.length !== 36) return -1;
  const tail = parseInt(id.slice(28), 16);
  if (Number.isNaN(tail)) return -1;
  const index = (unfmix32(tail) ^ indexKey(seed, kind)) >>> 0;
  if (index >= count) return -1;
  return guid(seed, kind, index) === id ? index : -1;
}

/** Deterministic 64-hex id (Intune detectedApp ids look like sha256 digests). */
export function hex64(seed: number, kind: number, index: number): string {
  let s = '';
  for (let w = 0; w < 7; w++) s += hex8(hash(seed, kind, index, 100 + w));
  return s + hex8(fmix32((index ^ indexKey(seed, kind)) >>> 0));
}

export function hex64Index(
  seed: number,
  kind: number,
  id: string,
  count: number,
): number {
  if (id.length !== 64) return -1;
  const tail = parseInt(id.slice(56), 16);
  if (Number.isNaN(tail)) return -1;
  const index = (unfmix32(tail) ^ indexKey(seed, kind)) >>> 0;
  if (index >= count) return -1;
  return hex64(seed, kind, index) === id ? index : -1;
}

// ---- dates -----------------------------------------------------------------

/** The generator's "now": fixed, so output never depends on the wall clock. */
export const NOW_MS = Date.UTC(2024, 5, 1, 12, 0, 0);
export const DAY_MS = 86_400_000;
/** Graph's "no date" sentinel. */
export const NO_DATE = '0001-01-01T00:00:00Z';

const PAD2 = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));

/**
 * `2024-05-31T08:15:02Z` (Graph's directory format: seconds, no fraction).
 * Formatted by hand (civil-from-days, H. Hinnant): Date#toISOString was the
 * single largest cost of listing a large tenant.
 */
export function isoSeconds(ms: number): string {
  const seconds = floor(ms / 1000);
  const days = floor(seconds / 86400);
  const secondOfDay = seconds - days * 86400;
  const z = days + 719468;
  const era = floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = floor(
    (dayOfEra -
      floor(dayOfEra / 1460) +
      floor(dayOfEra / 36524) -
      floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear =
    dayOfEra -
    (365 * yearOfEra + floor(yearOfEra / 4) - floor(yearOfEra / 100));
  const mp = floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return (
    `${year}-${PAD2[month]}-${PAD2[day]}T${PAD2[floor(secondOfDay / 3600)]}:` +
    `${PAD2[floor(secondOfDay / 60) % 60]}:${PAD2[secondOfDay % 60]}Z`
  );
}

/** `2024-05-31T08:15:02.123Z` (millisecond precision, as usersLoggedOn and report rows show). */
export function isoMillis(ms: number): string {
  const whole = floor(ms);
  return isoSeconds(whole).replace(
    'Z',
    `.${String(whole % 1000).padStart(3, '0')}Z`,
  );
}

/** `2024-05-31T08:15:02.1234567Z` (Intune's 7-digit fraction). */
export function isoTicks(ms: number, rng: Rng): string {
  return isoSeconds(ms).replace('Z', '.' + rng.digits(7) + 'Z');
}

/** A time `daysAgoMin..daysAgoMax` days before NOW_MS. */
export function pastMs(
  rng: Rng,
  daysAgoMin: number,
  daysAgoMax: number,
): number {
  return (
    NOW_MS -
    floor((daysAgoMin + rng.next() * (daysAgoMax - daysAgoMin)) * DAY_MS)
  );
}
