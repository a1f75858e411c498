/**
 * Intune mobile apps (GET /deviceAppManagement/mobileApps) and the rows of
 * getDeviceInstallStatusReport for each of them.
 */
import { DetectedApps, variantName } from './detected-apps';
import {
  INSTALL_STATES,
  InstallFact,
  InstallState,
  SALT_ROW_STATE,
  installRow,
  weightedState,
} from './install-report';
import { typeSpecificProperties } from './mobile-app-properties';
import { PlatformFamily } from './devices';
import { ManagedDevices } from './managed-devices';
import {
  EXTRA_MOBILE_APP_TYPES,
  MOBILE_APP_TEMPLATES,
  MobileAppNaming,
  isDeployedApp,
  mobileAppFamily,
} from './mobile-app-templates';
import { checkIndex } from './directory';
import { Collection, GraphObject } from './model';
import { APP_PRODUCTS } from './names';
import { COVERAGE_DEVICES, TenantProfile } from './profiles';
import {
  IdKind,
  guid,
  guidIndex,
  hash,
  isoSeconds,
  isoTicks,
  pastMs,
  rngFor,
  unit,
} from './random';
import { merge } from './objects';

// Local aliases: a global `Math` lookup is slow inside jest's vm sandbox (see random.ts).
const { max, min, round } = Math;

/** UserId of device-context rows (UNCONFIRMED: Intune's exact value is not documented). */
export const SYSTEM_ACCOUNT_ID = '00000000-0000-0000-0000-000000000000';

export interface MobileAppFacts {
  odataType: string;
  displayName: string;
  isAssigned: boolean;
  appAvailability?: 'global' | 'lineOfBusiness';
  publishingState: string;
  family: PlatformFamily | null;
  /** Assigned or line-of-business: it has install-report rows. */
  deployed: boolean;
  version: string;
}

const SALT_ROW = 51;
const SALT_ROW_DUP = 52;
const SALT_ROW_SYSTEM = 54;

export class MobileApps {
  readonly count: number;
  readonly collection: Collection;
  private readonly seed: number;

  constructor(
    private readonly profile: TenantProfile,
    private readonly devices: ManagedDevices,
    private readonly detected: DetectedApps,
  ) {
    this.seed = profile.seed;
    this.count = profile.intune?.mobileApps ?? 0;
    this.collection = {
      count: this.count,
      get: (i) => this.object(checkIndex(i, this.count)),
    };
  }

  id(index: number): string {
    return guid(this.seed, IdKind.mobileApp, index);
  }

  indexOf(id: string): number {
    return guidIndex(this.seed, IdKind.mobileApp, id, this.count);
  }

  facts(index: number): MobileAppFacts {
    const rng = rngFor(this.seed, IdKind.mobileApp, index, 1);
    let odataType: string;
    let naming: MobileAppNaming;
    let isAssigned: boolean;
    let appAvailability: 'global' | 'lineOfBusiness' | undefined;
    let publishingState = 'published';
    if (index < MOBILE_APP_TEMPLATES.length) {
      const t = MOBILE_APP_TEMPLATES[index];
      ({ odataType, naming, isAssigned, appAvailability, publishingState } = t);
    } else {
      const intune = this.profile.intune!;
      const type =
        EXTRA_MOBILE_APP_TYPES[
          rng.weighted(EXTRA_MOBILE_APP_TYPES.map((t) => t.weight))
        ];
      odataType = type.odataType;
      isAssigned = type.store
        ? !rng.chance(intune.unassignedStoreAppShare)
        : rng.chance(0.8);
      naming = rng.chance(intune.sameAsDetectedShare)
        ? { kind: 'detected' }
        : { kind: 'unique' };
      if (rng.chance(0.03)) publishingState = 'processing';
    }
    const family = mobileAppFamily(odataType);
    const facts = {
      odataType,
      displayName: this.nameFor(index, naming, family),
      isAssigned,
      appAvailability,
      publishingState,
      family,
      version: `${1 + rng.int(12)}.${rng.int(10)}.${rng.int(400)}`,
    };
    return {
      ...facts,
      deployed: isDeployedApp({
        '@odata.type': odataType,
        ...facts,
      }),
    };
  }

  private nameFor(
    index: number,
    naming: MobileAppNaming,
    family: PlatformFamily | null,
  ): string {
    const unique = `Contoso ${APP_PRODUCTS[index % APP_PRODUCTS.length]} ${
      index + 1
    }`;
    if (naming.kind === 'fixed') return naming.value;
    if (naming.kind === 'unique' || !family) return unique;
    const pool = this.detected.basePool.get(family);
    if (!pool || pool.length === 0) return unique;
    // popular entries: likely installed somewhere, so the MANAGES relationship exists
    const entry =
      pool[hash(this.seed, IdKind.mobileApp, index, 9) % min(pool.length, 12)];
    const name = this.detected.entries[entry].name;
    return naming.kind === 'detectedVariant' ? variantName(name, index) : name;
  }

  object(index: number): GraphObject {
    const f = this.facts(index);
    const rng = rngFor(this.seed, IdKind.mobileApp, index, 2);
    const microsoft =
      /^Microsoft|^Intune|^Company Portal|^Outlook|^Teams|^Word|^Excel|^OneDrive/.test(
        f.displayName,
      );
    const publisher = microsoft
      ? 'Microsoft Corporation'
      : f.displayName.startsWith('Contoso')
      ? 'Contoso IT'
      : rng.pick([
          'Google LLC',
          'Zoom',
          'Adobe',
          'Slack Technologies',
          'Vendor',
        ]);
    const created = pastMs(rng, 30, 1200);
    const store =
      !f.odataType.endsWith('LobApp') && f.odataType !== 'windowsMobileMSI';
    const base: GraphObject = {
      '@odata.type': `#microsoft.graph.${f.odataType}`,
      id: this.id(index),
      displayName: f.displayName,
      description: rng.chance(0.5)
        ? f.displayName
        : `${f.displayName} for ${this.profile.displayName}`,
      publisher,
      largeIcon: null,
      createdDateTime: store ? isoSeconds(created) : isoTicks(created, rng),
      lastModifiedDateTime: store
        ? isoSeconds(created)
        : isoTicks(created + rng.int(90) * 86_400_000, rng),
      isFeatured: rng.chance(0.2),
      privacyInformationUrl: microsoft
        ? 'https://privacy.microsoft.com/en-US/privacystatement'
        : rng.pick(['', null]),
      informationUrl: rng.chance(0.3)
        ? `https://apps.example.com/${index}`
        : null,
      owner: rng.pick(['', null, 'IT']),
      developer: rng.pick(['', null, publisher]),
      notes: rng.pick(['', null]),
      uploadState: f.publishingState === 'notPublished' ? 0 : 1,
      publishingState: f.publishingState,
      isAssigned: f.isAssigned,
      roleScopeTagIds: [],
      dependentAppCount: 0,
      supersedingAppCount: 0,
      supersededAppCount: 0,
    };
    if (f.appAvailability) {
      base.appAvailability = f.appAvailability;
      base.version = f.version;
    }
    return merge(base, typeSpecificProperties(f, rng, index));
  }

  // ---- install status report -----------------------------------------------------------

  /** Rows of the report for app `index`, before rendering. Only deployed apps have rows. */
  installFacts(index: number): InstallFact[] {
    const f = this.facts(index);
    const intune = this.profile.intune;
    if (!intune || !f.deployed) return [];
    const a = this.profile.anomalies;
    const facts: InstallFact[] = [];
    const eligible = f.family ? this.devices.devicesOfFamily(f.family) : null;
    const eligibleCount = eligible ? eligible.length : this.devices.count;
    const p =
      eligibleCount > 0 ? min(1, intune.installRowsPerApp / eligibleCount) : 0;
    for (let k = 0; k < eligibleCount; k++) {
      const d = eligible ? eligible[k] : k;
      let state: InstallState;
      if (index === 0 && d < COVERAGE_DEVICES) {
        state = INSTALL_STATES[d % INSTALL_STATES.length]; // every kind of device, every state
      } else if (unit(this.seed, SALT_ROW, index, d) < p) {
        state = weightedState(unit(this.seed, SALT_ROW_STATE, index, d));
      } else continue;
      const fact: InstallFact = {
        device: d,
        state,
        repeated:
          unit(this.seed, SALT_ROW_DUP, index, d) < a.duplicateInstallRowShare,
      };
      // Coverage devices of app 0 always have one, so small tenants see it.
      if (
        (index === 0 && d < COVERAGE_DEVICES) ||
        unit(this.seed, SALT_ROW_SYSTEM, index, d) <
          a.systemAccountInstallRowShare
      ) {
        fact.systemAccount = INSTALL_STATES[(d * 3 + 1) % INSTALL_STATES.length];
        fact.systemAccountFirst = d % 2 === 1;
      }
      facts.push(fact);
    }
    const stale = this.devices.staleDeviceCount;
    if (stale > 0 && a.unknownDeviceInstallRowShare > 0 && facts.length > 0) {
      let n = round(facts.length * a.unknownDeviceInstallRowShare);
      if (index === 0) n = max(1, n);
      n = min(n, stale);
      const start = hash(this.seed, SALT_ROW, index) % stale;
      for (let k = 0; k < n; k++) {
        const at = hash(this.seed, SALT_ROW, index, k + 1) % (facts.length + 1);
        const state =
          INSTALL_STATES[
            hash(this.seed, SALT_ROW_STATE, index, k) % INSTALL_STATES.length
          ];
        facts.splice(at, 0, {
          device: -1 - ((start + k) % stale),
          state,
          repeated: false,
        });
      }
    }
    return facts;
  }

  installRows(appId: string): Record<string, string | number | null>[] {
    const index = this.indexOf(appId);
    if (index < 0) return [];
    const app = this.facts(index);
    const rows: Record<string, string | number | null>[] = [];
    for (const fact of this.installFacts(index)) {
      const label =
        fact.device >= 0
          ? this.devices.label(fact.device)
          : this.devices.staleLabel(-1 - fact.device);
      const row = installRow(appId, app, label, fact, this.seed);
      const system = fact.systemAccount
        ? {
            ...installRow(
              appId,
              app,
              label,
              { state: fact.systemAccount },
              this.seed,
            ),
            UserId: SYSTEM_ACCOUNT_ID,
            UserPrincipalName: '',
            UserName: 'System account',
          }
        : undefined;
      if (system && fact.systemAccountFirst) rows.push(system);
      rows.push(row);
      if (fact.repeated) rows.push(Object.assign({}, row));
      if (system && !fact.systemAccountFirst) rows.push(system);
    }
    return rows;
  }
}
