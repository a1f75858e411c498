/**
 * What the detectedApps listing says about each application identity, read
 * once per collection on every route: the listing is the one source of the
 * values that must not depend on the route (docs/applications.md, "One
 * graph, either route").
 *
 * - Entity `name`/`displayName`/`publisher`: of all the listed items of an
 *   identity, the smallest trimmed display name (code-unit order), and the
 *   publisher of the first item in (name, publisher) order that has one.
 *   Never "the first one this run saw", which depended on response order.
 * - INSTALLED `sizeInByte`: the listed item's size for (identity, version);
 *   the largest when several items share it. A detectedApp's size is a
 *   property of the tenant-wide item, not of a device; the export has no
 *   size column, so neither route takes it from anywhere else.
 * - An export row's identity (identityOfRow): the families the listing knows
 *   for its (name, version), else for its name, decide; the row's Platform
 *   text only picks among several, or names the family of an app the listing
 *   does not have.
 *
 * Identities the listing lacks (an app first detected between the listing
 * and the inventory read) take their name and publisher from the items or
 * rows themselves, by the same smallest-first rule.
 */
import { DetectedApp } from '../../graph/intune-apps';
import { presentText } from '../convert';
import {
  DetectedIdentity,
  detectedAppIdentity,
  detectedVersion,
  identityOf,
  normaliseAppName,
  reportPlatformFamily,
} from './converters';

interface Naming {
  name: string;
  publisher?: string;
}

/** (name, publisher) a is chosen over b: smaller name, then a publisher over none, then smaller publisher. */
function prefer(a: Naming, b: Naming): boolean {
  if (a.name !== b.name) return a.name < b.name;
  if (!a.publisher) return false;
  if (!b.publisher) return true;
  return a.publisher < b.publisher;
}

export class DetectedCatalog {
  private readonly naming = new Map<string, Naming>();
  private readonly sizes = new Map<string, number>();
  /** `${normalised name}|${version}` and `${normalised name}` -> families listed. */
  private readonly families = new Map<string, Set<string>>();
  private readonly listed = new Set<string>();
  private readonly identities = new Map<string, DetectedIdentity>();

  constructor(listing: Iterable<DetectedApp>) {
    for (const app of listing) {
      const identity = this.identity(detectedAppIdentity(app));
      if (!identity.normalisedName) continue;
      this.listed.add(identity.key);
      this.observe(identity, app.displayName, app.publisher, true);
      const version = detectedVersion(app);
      const size =
        typeof app.sizeInByte === 'number' ? app.sizeInByte : undefined;
      const slot = `${identity.key}|${version}`;
      if (size !== undefined && !(this.sizes.get(slot)! >= size))
        this.sizes.set(slot, size);
      for (const key of [
        `${identity.normalisedName}|${version}`,
        identity.normalisedName,
      ]) {
        const set = this.families.get(key) ?? new Set<string>();
        set.add(identity.family);
        this.families.set(key, set);
      }
    }
  }

  /** One shared object per identity (a million rows name a few thousand). */
  private identity(candidate: DetectedIdentity): DetectedIdentity {
    const known = this.identities.get(candidate.key);
    if (known) return known;
    this.identities.set(candidate.key, candidate);
    return candidate;
  }

  /** Records a name and publisher seen for an identity (listed ones only from the listing). */
  observe(
    identity: DetectedIdentity,
    displayName: string | null | undefined,
    publisher: string | null | undefined,
    fromListing = false,
  ): void {
    if (!fromListing && this.listed.has(identity.key)) return;
    const name = presentText(displayName)?.trim();
    if (!name) return;
    const candidate: Naming = { name, publisher: presentText(publisher) };
    const current = this.naming.get(identity.key);
    if (!current || prefer(candidate, current))
      this.naming.set(identity.key, candidate);
  }

  /** Name and publisher of the entity of an identity. */
  namingOf(key: string): Naming | undefined {
    return this.naming.get(key);
  }

  /** The listed size of (identity, version), if any. */
  sizeOf(key: string, version: string): number | undefined {
    return this.sizes.get(`${key}|${version}`);
  }

  /** A detectedApp item's identity (shared object). */
  identityOfItem(
    app: Pick<DetectedApp, 'displayName' | 'platform'>,
  ): DetectedIdentity {
    return this.identity(detectedAppIdentity(app));
  }

  /**
   * An export row's identity; undefined for a row without a name. The
   * families the listing has for the row's (name, version), else its name,
   * decide: the row's platform when it is one of them; the only one when the
   * row's platform is unreadable, or when the listing has no platforms; the
   * row's platform when the listing has the name on other platforms only.
   * Throws when it cannot be told (the route then falls back rather than
   * guess a key).
   */
  identityOfRow(
    name: string,
    version: string,
    platform: string | undefined,
    localizedPlatform: string | undefined,
  ): DetectedIdentity | undefined {
    const normalised = normaliseAppName(name);
    if (!normalised) return undefined;
    const text = (platform ?? '').trim() || (localizedPlatform ?? '').trim();
    // A row without any platform text is family `unknown`, like an item without `platform`.
    const told =
      reportPlatformFamily(platform) ??
      reportPlatformFamily(localizedPlatform) ??
      (text ? undefined : 'unknown');
    const listed =
      this.families.get(`${normalised}|${version}`) ??
      this.families.get(normalised);
    let family: string | undefined;
    // A text that spells a listed family (a platform newer than this code).
    const spelled = (value: string) =>
      value.toLowerCase().replace(/[^a-z0-9]/g, '');
    const named =
      listed && text
        ? [...listed].find((f) => spelled(f) === spelled(text))
        : undefined;
    if (named) family = named;
    else if (!listed) family = told;
    else if (told && listed.has(told)) family = told;
    else if (listed.size === 1 && (!told || listed.has('unknown'))) {
      // The listing's one family: also when it has no platforms at all (old
      // responses), whatever the report says.
      family = listed.values().next().value;
    } else family = told; // listed on other platforms only: not this one
    if (!family) {
      throw new UnknownPlatformError(name, text, listed);
    }
    return this.identity(identityOf(family, normalised));
  }
}

export class UnknownPlatformError extends Error {
  constructor(
    readonly applicationName: string,
    readonly platform: string,
    readonly listed: Set<string> | undefined,
  ) {
    super(
      `the platform "${platform}" of "${applicationName}" is not one this integration knows${
        listed
          ? `, and the listing has that name on ${[...listed].join(', ')}`
          : ''
      }`,
    );
  }
}
