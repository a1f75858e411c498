/**
 * Intune detected-app inventory.
 *
 * A catalogue entry is one (display name, platform); Graph lists one detectedApp
 * per (entry, version). Entries are grouped into *identities* the way the rules
 * group them: (platform family, normalised name). Some entries are deliberate
 * variants of another entry — same name on another android* platform, or the
 * same name with different case / white space — so the identity count is below
 * the entry count, and one device can list two items that are one INSTALLED.
 *
 * Which device lists which item is drawn once (on first use) and kept as two
 * CSR arrays (device → items, item → devices): about 8 bytes per installation,
 * ~8 MB for the L profile.
 */
import {
  DEVICE_TEMPLATES,
  DetectedAppPlatform,
  PlatformFamily,
  platformFamily,
} from './devices';
import { ManagedDevices } from './managed-devices';
import { Collection, GraphObject } from './model';
import {
  APP_PRODUCTS,
  APP_VENDORS,
  KNOWN_DETECTED_APPS,
  PUBLISHERS,
} from './names';
import { COVERAGE_DEVICES, TenantProfile } from './profiles';
import { IdKind, hash, hex64, hex64Index, rngFor, unit } from './random';

// Local aliases: a global `Math` lookup is slow inside jest's vm sandbox (see random.ts).
const { floor, log, max, min, round } = Math;

/** The rules' name normalisation: trimmed, lower-cased, runs of white space collapsed. */
export function normaliseAppName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

export function identityKey(family: PlatformFamily, name: string): string {
  return `${family}|${normaliseAppName(name)}`;
}

interface CatalogueEntry {
  name: string;
  platform: DetectedAppPlatform;
  family: PlatformFamily;
  /** Entry whose versions this one shares (itself for a base entry). */
  base: number;
  versions: number;
  publisher: string | null;
  identity: number;
}

const ANDROID_PLATFORMS: DetectedAppPlatform[] = [
  'androidWorkProfile',
  'androidDedicatedAndFullyManaged',
  'androidDeviceAdministrator',
  'androidOSP',
];

const FAMILY_PLATFORM: Record<PlatformFamily, DetectedAppPlatform> = {
  windows: 'windows',
  windowsMobile: 'windowsMobile',
  windowsHolographic: 'windowsHolographic',
  ios: 'ios',
  macOS: 'macOS',
  chromeOS: 'chromeOS',
  android: 'androidWorkProfile',
  unknown: 'unknown',
};

/** How many apps a device of each family reports, relative to appsPerDevice. */
const APPS_PER_FAMILY: Record<PlatformFamily, number> = {
  windows: 1,
  macOS: 1,
  ios: 0.6,
  android: 0.6,
  chromeOS: 0.4,
  windowsHolographic: 0.3,
  windowsMobile: 0.3,
  unknown: 0.4,
};

const MOBILE_FAMILIES = new Set<PlatformFamily>([
  'ios',
  'android',
  'windowsMobile',
]);

export class DetectedApps {
  readonly entries: CatalogueEntry[] = [];
  /** Base entries of each family, most popular first. */
  readonly basePool = new Map<PlatformFamily, number[]>();
  /** One variant entry per base entry that has one (-1 otherwise). */
  private readonly variantOf: Int32Array;
  /** Items of entry e are itemStart[e] .. itemStart[e + 1] - 1; item - itemStart[e] is the version index. */
  readonly itemStart: Int32Array;
  readonly itemCount: number;
  readonly itemEntry: Int32Array;
  readonly identityCount: number;
  private readonly identityIndex = new Map<string, number>();
  private readonly seed: number;
  private installs?: Installs;

  constructor(
    private readonly profile: TenantProfile,
    private readonly devices: ManagedDevices,
  ) {
    this.seed = profile.seed;
    const intune = profile.intune;
    if (intune)
      this.buildCatalogue(intune.distinctDetectedApps, intune.versionsPerApp);
    this.variantOf = new Int32Array(this.entries.length).fill(-1);
    this.entries.forEach((e, i) => {
      if (e.base !== i) this.variantOf[e.base] = i;
    });
    this.itemStart = new Int32Array(this.entries.length + 1);
    for (let e = 0; e < this.entries.length; e++)
      this.itemStart[e + 1] = this.itemStart[e] + this.entries[e].versions;
    this.itemCount = this.itemStart[this.entries.length];
    this.itemEntry = new Int32Array(this.itemCount);
    for (let e = 0; e < this.entries.length; e++)
      this.itemEntry.fill(e, this.itemStart[e], this.itemStart[e + 1]);
    this.identityCount = this.identityIndex.size;
  }

  // ---- catalogue ---------------------------------------------------------------

  private buildCatalogue(distinct: number, versionsPerApp: number): void {
    const mix = this.profile.intune?.deviceMix;
    const familyWeight = new Map<PlatformFamily, number>();
    for (const t of DEVICE_TEMPLATES) {
      const w = mix?.[t.id] ?? t.weight;
      if (w <= 0) continue;
      const f = platformFamily(t.appPlatform);
      familyWeight.set(f, (familyWeight.get(f) ?? 0) + w);
    }
    const families = [...familyWeight.keys()];
    const totalWeight = families.reduce((s, f) => s + familyWeight.get(f)!, 0);
    const spare = max(0, distinct - 2 * families.length);
    const allocation = new Map(
      families.map((f) => [
        f,
        2 + floor((spare * familyWeight.get(f)!) / totalWeight),
      ]),
    );
    const allocated = [...allocation.values()].reduce((s, n) => s + n, 0);
    const largest = families.reduce((a, b) =>
      familyWeight.get(a)! >= familyWeight.get(b)! ? a : b,
    );
    allocation.set(
      largest,
      allocation.get(largest)! + max(0, distinct - allocated),
    );

    families.forEach((family, familyNumber) => {
      const pool: number[] = [];
      const n = allocation.get(family)!;
      for (let k = 0; k < n; k++) {
        const name = this.entryName(family, familyNumber, k);
        const e = this.entries.length;
        const rng = rngFor(this.seed, IdKind.detectedApp, e, 1);
        const platform =
          family === 'android'
            ? ANDROID_PLATFORMS[
                hash(this.seed, e, 3) % ANDROID_PLATFORMS.length
              ]
            : FAMILY_PLATFORM[family];
        this.entries.push({
          name,
          platform,
          family,
          base: e,
          versions: max(
            1,
            min(8, round(versionsPerApp * (0.4 + 1.2 * rng.next()))),
          ),
          publisher: publisherOf(name, rng.chance(0.1)),
          identity: this.identity(family, name),
        });
        pool.push(e);
      }
      this.basePool.set(family, pool);
    });

    // Variants: a few popular entries per family get a second entry that is the same identity.
    for (const family of families) {
      const pool = this.basePool.get(family)!;
      if (pool.length < 4 || family === 'unknown' || family === 'chromeOS')
        continue;
      const count = max(1, round(pool.length * 0.02));
      for (let j = 0; j < count; j++) {
        const b = pool[j];
        const base = this.entries[b];
        const name =
          family === 'android' ? base.name : variantName(base.name, j);
        const platform =
          family === 'android'
            ? ANDROID_PLATFORMS[
                (ANDROID_PLATFORMS.indexOf(base.platform) + 1) %
                  ANDROID_PLATFORMS.length
              ]
            : base.platform;
        this.entries.push({
          ...base,
          name,
          platform,
          base: b,
          identity: this.identity(family, name),
        });
      }
    }
  }

  private entryName(
    family: PlatformFamily,
    familyNumber: number,
    k: number,
  ): string {
    const known = KNOWN_DETECTED_APPS[family] ?? [];
    if (k < known.length) return known[k];
    const j = k - known.length;
    const grid = APP_VENDORS.length * APP_PRODUCTS.length;
    // 7919 is prime and does not divide the grid size: j -> cell is a bijection on each round
    const cell = (j * 7919 + familyNumber * 37) % grid;
    const lap = floor(j / grid);
    const name = `${APP_VENDORS[cell % APP_VENDORS.length]} ${
      APP_PRODUCTS[floor(cell / APP_VENDORS.length)]
    }`;
    return lap ? `${name} ${lap + 1}` : name;
  }

  private identity(family: PlatformFamily, name: string): number {
    const key = identityKey(family, name);
    let id = this.identityIndex.get(key);
    if (id === undefined) {
      id = this.identityIndex.size;
      this.identityIndex.set(key, id);
    }
    return id;
  }

  /** Identity number of (family, name), if the catalogue has it. */
  identityOf(family: PlatformFamily, name: string): number | undefined {
    return this.identityIndex.get(identityKey(family, name));
  }

  version(item: number): string {
    const e = this.itemEntry[item];
    const base = this.entries[e].base;
    const v = item - this.itemStart[e];
    const h = hash(this.seed, IdKind.detectedApp, base, 77);
    const a = 1 + (h % 23);
    const b = (h >>> 8) % 10;
    switch ((h >>> 16) % 5) {
      case 0:
        return `${a}.${b + v}.${(h >>> 20) % 9}`;
      case 1:
        return `${100 + a + v}.0.${6000 + ((h >>> 4) % 400)}.${
          (h >>> 12) % 200
        }`;
      case 2:
        return `16.0.${17000 + v * 131 + (h % 50)}.${
          20000 + ((h >>> 6) % 999)
        }`;
      case 3:
        return `${a}.${v}.${b}(${1000 + ((h >>> 5) % 9000)})`;
      default:
        return `${2022 + floor((b + v) / 12)}.${((b + v) % 12) + 1}.${
          (h >>> 24) % 9
        }`;
    }
  }

  sizeInByte(item: number): number {
    const e = this.entries[this.itemEntry[item]];
    if (MOBILE_FAMILIES.has(e.family)) return 0;
    const h = hash(this.seed, IdKind.detectedApp, e.base, 78);
    return (
      100_000 +
      (h % 900_000_000) +
      (item - this.itemStart[this.itemEntry[item]]) * 1_048_576
    );
  }

  id(item: number): string {
    return hex64(this.seed, IdKind.detectedApp, item);
  }

  itemObject(item: number, deviceCount: number): GraphObject {
    const e = this.entries[this.itemEntry[item]];
    return {
      id: this.id(item),
      displayName: e.name,
      version: this.version(item),
      sizeInByte: this.sizeInByte(item),
      deviceCount,
      publisher: e.publisher,
      platform: e.platform,
    };
  }

  // ---- installations -------------------------------------------------------------

  get installed(): Installs {
    if (!this.installs) this.installs = this.buildInstalls();
    return this.installs;
  }

  private buildInstalls(): Installs {
    const intune = this.profile.intune;
    const deviceCount = this.devices.count;
    const lists: number[][] = new Array(deviceCount);
    const itemMark = new Int32Array(this.itemCount).fill(-1);
    const entryMark = new Int32Array(this.entries.length).fill(-1);
    const itemDevices = new Int32Array(this.itemCount);

    for (let d = 0; d < deviceCount; d++) {
      const list: number[] = (lists[d] = []);
      const family = this.devices.family(d);
      const pool = this.basePool.get(family);
      if (!intune || !pool || pool.length === 0) continue;
      const rng = rngFor(this.seed, IdKind.detectedApp, d, 5);
      const coverage = d < COVERAGE_DEVICES;
      let k = round(
        intune.appsPerDevice * APPS_PER_FAMILY[family] * (0.5 + rng.next()),
      );
      if (!coverage && rng.chance(0.02)) k = 0; // freshly enrolled, no inventory yet
      if (coverage) k = max(1, k);
      k = min(k, pool.length);

      const add = (item: number) => {
        if (itemMark[item] === d) return;
        itemMark[item] = d;
        list.push(item);
        itemDevices[item]++;
      };
      const newest = (e: number) => {
        const n = this.entries[e].versions;
        return n - 1 - min(n - 1, floor(-log(1 - rng.next()) * 0.8));
      };

      for (let picked = 0; picked < k; picked++) {
        // skewed towards the popular end of the pool; linear probing past entries already picked
        let j =
          picked === 0 && coverage ? 0 : floor(pool.length * rng.next() ** 2);
        while (entryMark[pool[j]] === d) j = (j + 1) % pool.length;
        const e = pool[j];
        entryMark[e] = d;
        const v = newest(e);
        const variant = this.variantOf[e];
        const r = rng.next();
        if (variant >= 0 && (r < 0.3 || (coverage && picked === 0))) {
          // the same application under a second name: listed instead of, or next to, the base
          if (r >= 0.2 || coverage) add(this.itemStart[e] + v);
          add(this.itemStart[variant] + v);
        } else {
          add(this.itemStart[e] + v);
        }
        const n = this.entries[e].versions;
        if (n > 1 && rng.chance(0.03)) add(this.itemStart[e] + ((v + 1) % n)); // side-by-side versions
      }
    }

    // Graph lists only apps some device reports: give every item a device of its family when there is one.
    for (let item = 0; item < this.itemCount; item++) {
      if (itemDevices[item] > 0) continue;
      const candidates = this.devices.devicesOfFamily(
        this.entries[this.itemEntry[item]].family,
      );
      if (candidates.length === 0) continue;
      const d =
        candidates[
          floor(
            unit(this.seed, IdKind.detectedApp, item, 6) * candidates.length,
          )
        ];
      lists[d].push(item);
      itemDevices[item]++;
    }

    return Installs.pack(lists, itemDevices);
  }

  // ---- Graph-facing views ----------------------------------------------------------

  collection(): Collection {
    return new DetectedAppCollection(this);
  }

  /** Items of a device as its `$expand=detectedApps` lists them (deviceCount 0 there, as in the HAR). */
  ofDevice(deviceIndex: number): GraphObject[] {
    return Array.from(this.installed.itemsOfDevice(deviceIndex), (item) =>
      this.itemObject(item, 0),
    );
  }

  deviceIndexesOf(detectedAppId: string): Int32Array | undefined {
    const item = hex64Index(
      this.seed,
      IdKind.detectedApp,
      detectedAppId,
      this.itemCount,
    );
    if (item < 0) return undefined;
    const devices = this.installed.devicesOfItem(item);
    return devices.length > 0 ? devices : undefined;
  }
}

/** GET /deviceManagement/detectedApps: the items at least one device reports, in catalogue order. */
class DetectedAppCollection implements Collection {
  constructor(private readonly apps: DetectedApps) {}

  get count(): number {
    return this.apps.installed.visibleItems.length;
  }

  get(index: number): GraphObject {
    const visible = this.apps.installed.visibleItems;
    if (!Number.isInteger(index) || index < 0 || index >= visible.length) {
      throw new RangeError(
        `index ${index} out of range 0..${visible.length - 1}`,
      );
    }
    const item = visible[index];
    return this.apps.itemObject(
      item,
      this.apps.installed.devicesOfItem(item).length,
    );
  }
}

/** Device ↔ item incidence in compressed sparse row form, both directions. */
export class Installs {
  private constructor(
    private readonly deviceOffsets: Int32Array,
    private readonly deviceItems: Int32Array,
    private readonly itemOffsets: Int32Array,
    private readonly itemDeviceList: Int32Array,
    readonly visibleItems: Int32Array,
  ) {}

  static pack(lists: number[][], itemDevices: Int32Array): Installs {
    const deviceOffsets = new Int32Array(lists.length + 1);
    for (let d = 0; d < lists.length; d++)
      deviceOffsets[d + 1] = deviceOffsets[d] + lists[d].length;
    const deviceItems = new Int32Array(deviceOffsets[lists.length]);
    for (let d = 0; d < lists.length; d++)
      deviceItems.set(lists[d], deviceOffsets[d]);

    const itemOffsets = new Int32Array(itemDevices.length + 1);
    for (let i = 0; i < itemDevices.length; i++)
      itemOffsets[i + 1] = itemOffsets[i] + itemDevices[i];
    const fill = itemOffsets.slice(0, itemDevices.length);
    const itemDeviceList = new Int32Array(deviceItems.length);
    for (let d = 0; d < lists.length; d++) {
      for (const item of lists[d]) itemDeviceList[fill[item]++] = d;
    }
    const visible: number[] = [];
    for (let i = 0; i < itemDevices.length; i++)
      if (itemDevices[i] > 0) visible.push(i);
    return new Installs(
      deviceOffsets,
      deviceItems,
      itemOffsets,
      itemDeviceList,
      Int32Array.from(visible),
    );
  }

  itemsOfDevice(device: number): Int32Array {
    return this.deviceItems.subarray(
      this.deviceOffsets[device],
      this.deviceOffsets[device + 1],
    );
  }

  devicesOfItem(item: number): Int32Array {
    return this.itemDeviceList.subarray(
      this.itemOffsets[item],
      this.itemOffsets[item + 1],
    );
  }

  get installationCount(): number {
    return this.deviceItems.length;
  }
}

function publisherOf(name: string, unknown: boolean): string | null {
  if (unknown) return null;
  const first = name.split(' ')[0];
  if (PUBLISHERS[first]) return PUBLISHERS[first];
  if (/^(Safari|Xcode|Keynote|Numbers|Pages|GarageBand|iMovie)$/.test(name))
    return PUBLISHERS.Apple;
  if (
    /^(Outlook|Teams|Word|Excel|PowerPoint|OneDrive|Comp Portal|Company Portal|Intune)/.test(
      name,
    )
  )
    return PUBLISHERS.Microsoft;
  if (APP_VENDORS.includes(first as (typeof APP_VENDORS)[number]))
    return `${first} Software`;
  return null;
}

/** The same name with case / white space changed (never identical to the original). */
export function variantName(name: string, j: number): string {
  const candidates = [
    name.toLowerCase(),
    `${name.replace(' ', '  ')} `,
    name.toUpperCase(),
  ];
  for (let k = 0; k < candidates.length; k++) {
    const candidate = candidates[(j + k) % candidates.length];
    if (candidate !== name) return candidate;
  }
  return `${name} `;
}
