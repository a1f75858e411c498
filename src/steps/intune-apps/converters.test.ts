import { RelationshipClass } from '@jupiterone/integration-sdk-core';
import { readFileSync } from 'fs';
import { join } from 'path';
import { DetectedApp, MobileApp } from '../../graph/intune-apps';
import { Entities, Relationships } from '../constants';
import {
  detectedApplicationKey,
  detectedAppIdentity,
  detectedAppPlatformFamily,
  isLineOfBusinessApp,
  mergeDetectedApplicationFacts,
  managesTargetKey,
  mobileAppPlatformFamily,
  normaliseAppName,
  toAssignedRelationship,
  toDetectedApplicationEntity,
  toInstalledRelationship,
  toManagedApplicationEntity,
  toManagesRelationship,
} from './converters';
import { asUri, DROPPED_MOBILE_APP_PROPERTIES } from './mobile-app-properties';
import { relationshipKey } from '../graph-objects';

const RECORDINGS = join(__dirname, '../../../test/fixtures/graph-recordings');

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number; content: { text?: string } };
}

function harBodies(
  file: string,
  urlIncludes: string,
): Record<string, unknown>[] {
  const har = JSON.parse(readFileSync(join(RECORDINGS, file), 'utf8'));
  return (har.log.entries as HarEntry[])
    .filter(
      (e) => e.request.method === 'GET' && e.request.url.includes(urlIncludes),
    )
    .map((e) => JSON.parse(e.response.content.text ?? 'null'));
}

const mobileApps = harBodies(
  'fetchManagedApplications.har',
  '/deviceAppManagement/mobileApps?',
)[0].value as MobileApp[];
const devices = harBodies(
  'fetchDetectedApplications.har',
  'expand=detectedApps',
) as {
  id: string;
  detectedApps: DetectedApp[];
}[];

function appNamed(displayName: string): MobileApp {
  const app = mobileApps.find((a) => a.displayName === displayName);
  if (!app) throw new Error(`no app ${displayName} in the capture`);
  return app;
}

describe('managed applications from fetchManagedApplications.har', () => {
  test('the capture holds the nine apps of the anchor filter', () => {
    expect(mobileApps.map((a) => a['@odata.type'])).toEqual([
      '#microsoft.graph.androidLobApp',
      '#microsoft.graph.webApp',
      '#microsoft.graph.androidManagedStoreApp',
      '#microsoft.graph.androidManagedStoreApp',
      '#microsoft.graph.macOSOfficeSuiteApp',
      '#microsoft.graph.officeSuiteApp',
      '#microsoft.graph.androidManagedStoreApp',
      '#microsoft.graph.androidManagedStoreApp',
      '#microsoft.graph.iosStoreApp',
    ]);
  });

  test('every app of the catalog is a managed application, assigned or not', () => {
    // Issue 14 §1: the three unassigned Managed Google Play apps were dropped before.
    const entities = mobileApps.map(toManagedApplicationEntity);
    expect(entities).toHaveLength(9);
    expect(
      Object.fromEntries(entities.map((e) => [e.displayName, e.isAssigned])),
    ).toEqual({
      'com.android.vending.apk': false,
      'google.com': true,
      'Intune Company Portal': true,
      'Managed Home Screen': false,
      'Microsoft Authenticator': false,
      'Microsoft Intune': false,
      'Microsoft 365 Apps for macOS': true,
      'Microsoft 365 Apps for Windows 10': true,
      'Microsoft Word': true,
    });
  });

  test('an android line-of-business app', () => {
    const entity = toManagedApplicationEntity(
      appNamed('com.android.vending.apk'),
    );
    expect(entity).toEqual({
      _key: 'cfbeb753-49e3-4ed5-9743-f857eb74df2a',
      _type: 'intune_managed_application',
      _class: ['Application'],
      _rawData: [],
      id: 'cfbeb753-49e3-4ed5-9743-f857eb74df2a',
      name: 'com.android.vending.apk',
      displayName: 'com.android.vending.apk',
      description: 'com.android.vending.apk',
      appType: 'androidLobApp',
      platform: 'android',
      normalizedName: 'com.android.vending.apk',
      mobile: true,
      lineOfBusiness: true,
      isAssigned: false,
      publishingState: 'notPublished',
      uploadState: 0,
      isFeatured: false,
      publisher: "Noodle's n No Company",
      developer: 'developer me',
      owner: 'owner me',
      notes: ['notes'],
      version: '0.7.5',
      dependentAppCount: 0,
      supersedingAppCount: 0,
      supersededAppCount: 0,
      createdOn: Date.parse('2021-03-01T22:59:11Z'),
      updatedOn: Date.parse('2021-03-01T22:59:11Z'),
      fileName: 'com.android.vending.apk',
      size: 0,
      packageId: 'com.android.vending',
      identityName: 'com.android.vending',
      versionName: '0.7.5',
      versionCode: '705',
      identityVersion: '705',
      minimumSupportedOperatingSystem: ['v4_0'],
      roleScopeTagIds: [],
    });
  });

  test('a web link: appUrl is its webLink, empty privacy URL left out', () => {
    expect(toManagedApplicationEntity(appNamed('google.com'))).toEqual({
      _key: '50124056-8cca-4cf5-9f98-8e63bede0b6e',
      _type: 'intune_managed_application',
      _class: ['Application'],
      _rawData: [],
      id: '50124056-8cca-4cf5-9f98-8e63bede0b6e',
      name: 'google.com',
      displayName: 'google.com',
      description: 'just google.com',
      appType: 'webApp',
      normalizedName: 'google.com',
      mobile: false,
      lineOfBusiness: false,
      isAssigned: true,
      publishingState: 'published',
      uploadState: 1,
      isFeatured: true,
      publisher: 'Google',
      developer: 'Google',
      dependentAppCount: 0,
      supersedingAppCount: 0,
      supersededAppCount: 0,
      createdOn: Date.parse('2021-02-17T18:04:47Z'),
      updatedOn: Date.parse('2021-02-17T18:04:47Z'),
      useManagedBrowser: false,
      roleScopeTagIds: [],
      appUrl: 'https://www.google.com',
      webLink: 'https://www.google.com',
    });
  });

  test('a managed Google Play app: store URL is its webLink', () => {
    expect(
      toManagedApplicationEntity(appNamed('Intune Company Portal')),
    ).toEqual({
      _key: '813a7159-4c66-4286-82f3-51b39aaefcd9',
      _type: 'intune_managed_application',
      _class: ['Application'],
      _rawData: [],
      id: '813a7159-4c66-4286-82f3-51b39aaefcd9',
      name: 'Intune Company Portal',
      displayName: 'Intune Company Portal',
      description:
        'Install company apps & remotely manage your devices enrolled to Microsoft Intune',
      appType: 'androidManagedStoreApp',
      platform: 'android',
      normalizedName: 'intune company portal',
      mobile: true,
      lineOfBusiness: false,
      isAssigned: true,
      publishingState: 'published',
      uploadState: 1,
      isFeatured: false,
      publisher: 'Microsoft Corporation',
      dependentAppCount: 0,
      supersedingAppCount: 0,
      supersededAppCount: 0,
      createdOn: Date.parse('2021-02-17T17:02:31Z'),
      updatedOn: Date.parse('2021-02-17T17:02:31Z'),
      packageId: 'com.microsoft.windowsintune.companyportal',
      appIdentifier: 'com.microsoft.windowsintune.companyportal',
      usedLicenseCount: 0,
      totalLicenseCount: 0,
      isPrivate: false,
      isSystemApp: false,
      supportsOemConfig: false,
      appTrackAliases: [],
      roleScopeTagIds: [],
      appStoreUrl:
        'https://play.google.com/store/apps/details?id=com.microsoft.windowsintune.companyportal&hl=en-US',
      informationUrl:
        'https://play.google.com/store/apps/details?id=com.microsoft.windowsintune.companyportal&hl=en-US',
      webLink:
        'https://play.google.com/store/apps/details?id=com.microsoft.windowsintune.companyportal&hl=en-US',
    });
  });

  test('Office for Mac: timestamps with 7 fractional digits', () => {
    expect(
      toManagedApplicationEntity(appNamed('Microsoft 365 Apps for macOS')),
    ).toEqual({
      _key: '55c4e44f-7e06-4586-8f4c-b1aebf301d32',
      _type: 'intune_managed_application',
      _class: ['Application'],
      _rawData: [],
      id: '55c4e44f-7e06-4586-8f4c-b1aebf301d32',
      name: 'Microsoft 365 Apps for macOS',
      displayName: 'Microsoft 365 Apps for macOS',
      description: 'Microsoft 365 Apps for macOS',
      appType: 'macOSOfficeSuiteApp',
      platform: 'macOS',
      normalizedName: 'microsoft 365 apps for macos',
      mobile: false,
      lineOfBusiness: false,
      isAssigned: true,
      publishingState: 'published',
      uploadState: 1,
      isFeatured: true,
      publisher: 'Microsoft',
      developer: 'Microsoft',
      owner: 'Microsoft',
      dependentAppCount: 0,
      supersedingAppCount: 0,
      supersededAppCount: 0,
      createdOn: Date.parse('2021-02-17T17:45:22.199Z'),
      updatedOn: Date.parse('2021-02-18T20:32:36.710Z'),
      roleScopeTagIds: [],
      privacyInformationUrl:
        'https://privacy.microsoft.com/en-US/privacystatement',
      informationUrl:
        'https://products.office.com/en-us/explore-office-for-home',
      webLink: 'https://products.office.com/en-us/explore-office-for-home',
    });
  });

  test('Office for Windows: excluded apps as a list, no configuration XML', () => {
    expect(
      toManagedApplicationEntity(appNamed('Microsoft 365 Apps for Windows 10')),
    ).toEqual({
      _key: 'd88ed6fd-24da-406e-aba6-3e2c0c7a7e1d',
      _type: 'intune_managed_application',
      _class: ['Application'],
      _rawData: [],
      id: 'd88ed6fd-24da-406e-aba6-3e2c0c7a7e1d',
      name: 'Microsoft 365 Apps for Windows 10',
      displayName: 'Microsoft 365 Apps for Windows 10',
      description: 'Microsoft 365 Apps for Windows 10',
      appType: 'officeSuiteApp',
      platform: 'windows',
      normalizedName: 'microsoft 365 apps for windows 10',
      mobile: false,
      lineOfBusiness: false,
      isAssigned: true,
      publishingState: 'published',
      uploadState: 1,
      isFeatured: false,
      publisher: 'Microsoft',
      developer: 'Microsoft',
      owner: 'Microsoft',
      dependentAppCount: 0,
      supersedingAppCount: 0,
      supersededAppCount: 0,
      createdOn: Date.parse('2021-02-16T22:24:49.277Z'),
      updatedOn: Date.parse('2021-02-16T22:24:49.277Z'),
      autoAcceptEula: false,
      productIds: ['o365ProPlusRetail'],
      useSharedComputerActivation: true,
      updateChannel: 'current',
      officePlatformArchitecture: 'x64',
      localesToInstall: [],
      installProgressDisplayLevel: 'none',
      shouldUninstallOlderVersionsOfOffice: true,
      excludedApps: ['groove', 'infoPath', 'sharePointDesigner'],
      roleScopeTagIds: [],
      privacyInformationUrl:
        'https://privacy.microsoft.com/en-US/privacystatement',
      informationUrl:
        'https://products.office.com/en-us/explore-office-for-home',
      webLink: 'https://products.office.com/en-us/explore-office-for-home',
    });
  });

  test('an App Store app', () => {
    const app = appNamed('Microsoft Word');
    expect(toManagedApplicationEntity(app)).toEqual({
      _key: '152c83ee-8d4d-4fd4-8cf3-62f7f6689ca0',
      _type: 'intune_managed_application',
      _class: ['Application'],
      _rawData: [],
      id: '152c83ee-8d4d-4fd4-8cf3-62f7f6689ca0',
      name: 'Microsoft Word',
      displayName: 'Microsoft Word',
      description: app.description,
      appType: 'iosStoreApp',
      platform: 'ios',
      normalizedName: 'microsoft word',
      mobile: true,
      lineOfBusiness: false,
      isAssigned: true,
      publishingState: 'published',
      uploadState: 1,
      isFeatured: false,
      publisher: 'Microsoft Corporation',
      dependentAppCount: 0,
      supersedingAppCount: 0,
      supersededAppCount: 0,
      createdOn: Date.parse('2021-02-18T23:18:44.611Z'),
      updatedOn: Date.parse('2021-02-18T23:18:44.611Z'),
      bundleId: 'com.microsoft.Office.Word',
      applicableDeviceType: ['iPad', 'iPhoneAndIPod'],
      minimumSupportedOperatingSystem: ['v8_0'],
      roleScopeTagIds: [],
      appStoreUrl:
        'https://apps.apple.com/us/app/microsoft-word/id586447913?uo=4',
      webLink: 'https://apps.apple.com/us/app/microsoft-word/id586447913?uo=4',
    });
  });

  test.each(mobileApps.map((app) => [app.displayName, app] as const))(
    'nothing of %s is lost: every property is converted or dropped for a stated reason',
    (_name, app) => {
      const entity = toManagedApplicationEntity(app) as Record<string, unknown>;
      const lost = Object.entries(app).filter(([property, value]) => {
        if (property in DROPPED_MOBILE_APP_PROPERTIES) return false;
        if (value === null || value === '') return false;
        if (Array.isArray(value)) return !Array.isArray(entity[property]);
        if (typeof value === 'object') {
          const flags = Object.entries(value as object).filter(
            ([, f]) => f === true,
          );
          return flags.length > 0 && !Array.isArray(entity[property]);
        }
        return entity[property] !== value;
      });
      expect(lost).toEqual([]);
      // and the URLs that were dropped as invalid were really empty
      for (const url of [
        'informationUrl',
        'privacyInformationUrl',
        'appStoreUrl',
        'appUrl',
      ]) {
        if (entity[url] === undefined) expect(app[url] ?? '').toBe('');
        else expect(entity[url]).toBe(app[url]);
      }
    },
  );

  test.each(mobileApps.map((app) => [app.displayName, app] as const))(
    '%s passes the Application schema',
    (_name, app) => {
      expect(toManagedApplicationEntity(app)).toMatchGraphObjectSchema({
        _class: Entities.MANAGED_APPLICATION._class,
        _type: Entities.MANAGED_APPLICATION._type,
      });
    },
  );
});

describe('detected applications from fetchDetectedApplications.har', () => {
  const [iphone, mac] = devices;

  test('the capture: an iPhone with 87 apps and a Mac with 326, without `platform`', () => {
    expect(iphone.id).toBe('683dbff1-c8ff-4996-91ae-85484de46cfc');
    expect(iphone.detectedApps).toHaveLength(87);
    expect(mac.id).toBe('1f75329e-51fc-451c-bd40-c457337641a4');
    expect(mac.detectedApps).toHaveLength(326);
    expect(
      [...iphone.detectedApps, ...mac.detectedApps].some(
        (a) => a.platform !== undefined,
      ),
    ).toBe(false);
  });

  test('identity: family `unknown` without platform; key = sha256(family|normalised name), 32 hex', () => {
    const word = mac.detectedApps.find(
      (a) => a.displayName === 'Microsoft Word',
    )!;
    expect(detectedAppIdentity(word)).toEqual({
      family: 'unknown',
      normalisedName: 'microsoft word',
      // sha256("unknown|microsoft word"), computed independently
      key: 'intune_detected_application:eca1a55597e844a2a89fae5d4766e8cc',
    });
  });

  test('every item converts to one entity per identity and one INSTALLED per (identity, version)', () => {
    for (const [device, identities, installed] of [
      [iphone, 87, 87],
      // 3 x Python, 2 x Siri, 2 x iCloud Drive (twice 1.0), 2 x IDLE 3, ...
      [mac, 319, 325],
    ] as const) {
      const entities = new Map<string, unknown>();
      const relationships = new Map<string, unknown>();
      for (const app of device.detectedApps) {
        const identity = detectedAppIdentity(app);
        if (!entities.has(identity.key)) {
          entities.set(
            identity.key,
            toDetectedApplicationEntity(
              mergeDetectedApplicationFacts(undefined, app),
            ),
          );
        }
        const r = toInstalledRelationship(
          'laptop',
          device.id,
          identity.key,
          app,
        );
        relationships.set(r._key, r);
      }
      expect(entities.size).toBe(identities);
      expect(relationships.size).toBe(installed);
    }
  });

  test('name and publisher of an identity do not depend on the order of its items', () => {
    const items = [
      {
        id: 'a',
        displayName: 'Zoom  Workplace',
        publisher: 'Zoom',
        platform: 'windows',
      },
      {
        id: 'b',
        displayName: 'zoom workplace',
        publisher: '',
        platform: 'windows',
      },
      {
        id: 'c',
        displayName: 'Zoom Workplace',
        publisher: 'Zoom Video Communications',
        platform: 'windows',
      },
    ] as DetectedApp[];
    const fold = (order: DetectedApp[]) =>
      toDetectedApplicationEntity(
        order.reduce<
          ReturnType<typeof mergeDetectedApplicationFacts> | undefined
        >(
          (facts, app) => mergeDetectedApplicationFacts(facts, app),
          undefined,
        )!,
      );
    const forward = fold(items);
    expect([forward.name, forward.publisher]).toEqual([
      'Zoom  Workplace',
      'Zoom',
    ]);
    expect(fold([...items].reverse())).toEqual(forward);
    expect(fold([items[1], items[2], items[0]])).toEqual(forward);
  });

  test('a detected application entity carries no version and no raw data', () => {
    const app = mac.detectedApps.find((a) => a.displayName === 'Python')!;
    const entity = toDetectedApplicationEntity(
      mergeDetectedApplicationFacts(undefined, app),
    );
    expect(entity).toEqual({
      _key: 'intune_detected_application:1e86a3ef3cd944ccea644583fa099fc6',
      _type: 'intune_detected_application',
      _class: ['Application'],
      _rawData: [],
      name: 'Python',
      displayName: 'Python',
      normalizedName: 'python',
      platform: 'unknown',
    });
    expect(entity).toMatchGraphObjectSchema({
      _class: Entities.DETECTED_APPLICATION._class,
      _type: Entities.DETECTED_APPLICATION._type,
    });
  });

  test('one application at three versions: three INSTALLED with version and size', () => {
    const pythons = mac.detectedApps.filter((a) => a.displayName === 'Python');
    const key = detectedAppIdentity(pythons[0]).key;
    expect(
      pythons.map((a) => toInstalledRelationship('laptop', mac.id, key, a)),
    ).toEqual(
      [
        ['3.9.1', 156982],
        ['3.8.7', 156998],
        ['2.7.16', 1],
      ].map(([version, size]) => ({
        _key: relationshipKey(
          `1f75329e-51fc-451c-bd40-c457337641a4|installed|${key}|${version}`,
        ),
        _type: Relationships.DEVICE_INSTALLED_DETECTED_APPLICATION.laptop._type,
        _class: 'INSTALLED',
        _fromEntityKey: '1f75329e-51fc-451c-bd40-c457337641a4',
        _toEntityKey: key,
        displayName: 'INSTALLED',
        version,
        sizeInByte: size,
      })),
    );
  });

  test('an app without a version: INSTALLED without `version`, key ends with "|"', () => {
    const app = mac.detectedApps.find(
      (a) => a.displayName === 'pritunl-service',
    )!;
    const key = detectedAppIdentity(app).key;
    const r = toInstalledRelationship('desktop', mac.id, key, app);
    expect(r).toEqual({
      _key: relationshipKey(`${mac.id}|installed|${key}|`),
      _type: Relationships.DEVICE_INSTALLED_DETECTED_APPLICATION.desktop._type,
      _class: 'INSTALLED',
      _fromEntityKey: mac.id,
      _toEntityKey: key,
      displayName: 'INSTALLED',
      sizeInByte: 16815360,
    });
    expect(r).toMatchDirectRelationshipSchema({
      _class: RelationshipClass.INSTALLED,
      _type: Relationships.DEVICE_INSTALLED_DETECTED_APPLICATION.desktop._type,
    });
  });

  test('iOS apps of the capture carry size 0, kept as 0', () => {
    const app = iphone.detectedApps[0];
    const r = toInstalledRelationship(
      'smartphone',
      iphone.id,
      detectedAppIdentity(app).key,
      app,
    );
    expect(r.sizeInByte).toBe(0);
    expect(r.version).toBe('4.13.0(52.2102042.000)');
  });
});

describe('identity rules', () => {
  test('names are trimmed, lower-cased, white space runs collapsed', () => {
    expect(normaliseAppName('  Microsoft \t  Edge\u00a0 ')).toBe(
      'microsoft edge',
    );
    expect(normaliseAppName(null)).toBe('');
  });

  test('detected platform families fold android*', () => {
    expect(
      [
        'androidWorkProfile',
        'androidDeviceAdministrator',
        'androidDedicatedAndFullyManaged',
        'androidOSP',
        'windows',
        'macOS',
        'ios',
        'chromeOS',
        'windowsHolographic',
        null,
        undefined,
        '',
      ].map(detectedAppPlatformFamily),
    ).toEqual([
      'android',
      'android',
      'android',
      'android',
      'windows',
      'macOS',
      'ios',
      'chromeOS',
      'windowsHolographic',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });

  test('managed app families by @odata.type', () => {
    const families = Object.fromEntries(
      [
        'win32LobApp',
        'windowsMobileMSI',
        'winGetApp',
        'windowsMicrosoftEdgeApp',
        'officeSuiteApp',
        'windowsStoreApp',
        'windowsUniversalAppX',
        'microsoftStoreForBusinessApp',
        'windowsAppX',
        'windowsWebApp',
        'iosStoreApp',
        'iosVppApp',
        'iosLobApp',
        'macOSLobApp',
        'macOSOfficeSuiteApp',
        'macOSMicrosoftEdgeApp',
        'androidLobApp',
        'androidManagedStoreApp',
        'managedAndroidStoreApp',
        'managedAndroidLobApp',
        'managedIOSLobApp',
        'managedIOSStoreApp',
        'webApp',
      ].map((t) => [
        t,
        mobileAppPlatformFamily(`#microsoft.graph.${t}`) ?? null,
      ]),
    );
    expect(families).toEqual({
      win32LobApp: 'windows',
      windowsMobileMSI: 'windows',
      winGetApp: 'windows',
      windowsMicrosoftEdgeApp: 'windows',
      officeSuiteApp: 'windows',
      windowsStoreApp: 'windows',
      windowsUniversalAppX: 'windows',
      microsoftStoreForBusinessApp: 'windows',
      windowsAppX: 'windows',
      windowsWebApp: 'windows',
      iosStoreApp: 'ios',
      iosVppApp: 'ios',
      iosLobApp: 'ios',
      macOSLobApp: 'macOS',
      macOSOfficeSuiteApp: 'macOS',
      macOSMicrosoftEdgeApp: 'macOS',
      androidLobApp: 'android',
      androidManagedStoreApp: 'android',
      managedAndroidStoreApp: 'android',
      managedAndroidLobApp: 'android',
      managedIOSLobApp: null,
      managedIOSStoreApp: null,
      webApp: null,
    });
  });

  test('MANAGES targets: same family and normalised name; no family, no target', () => {
    const target = (type: string, displayName: string) => {
      const entity = toManagedApplicationEntity({
        id: '00000000-0000-4000-8000-000000000001',
        '@odata.type': `#microsoft.graph.${type}`,
        displayName,
        isAssigned: true,
      });
      return managesTargetKey(entity.platform, entity.normalizedName);
    };
    expect(target('windowsMicrosoftEdgeApp', ' Microsoft  EDGE')).toBe(
      // sha256("windows|microsoft edge"), computed independently
      'intune_detected_application:e89345122a2bc7b51163f61af0f7e8b0',
    );
    expect(target('macOSMicrosoftEdgeApp', 'Microsoft Edge')).toBe(
      detectedApplicationKey('macOS', 'microsoft edge'),
    );
    expect(target('webApp', 'Microsoft Teams')).toBeUndefined();
    expect(target('win32LobApp', '   ')).toBeUndefined();
    expect(
      toManagesRelationship('app-1234567890', 'intune_detected_application:x'),
    ).toEqual({
      _key: relationshipKey(
        'app-1234567890|manages|intune_detected_application:x',
      ),
      _type:
        Relationships.MANAGED_APPLICATION_MANAGES_DETECTED_APPLICATION._type,
      _class: 'MANAGES',
      _fromEntityKey: 'app-1234567890',
      _toEntityKey: 'intune_detected_application:x',
      displayName: 'MANAGES',
    });
  });

  test('line-of-business by type suffix or by appAvailability', () => {
    const app = (type: string, extra: Partial<MobileApp> = {}): MobileApp => ({
      id: 'x',
      '@odata.type': `#microsoft.graph.${type}`,
      isAssigned: false,
      ...extra,
    });
    expect(isLineOfBusinessApp(app('macOSLobApp'))).toBe(true);
    expect(
      isLineOfBusinessApp(
        app('managedIOSLobApp', { appAvailability: 'lineOfBusiness' }),
      ),
    ).toBe(true);
    expect(
      isLineOfBusinessApp(
        app('managedAndroidStoreApp', { appAvailability: 'lineOfBusiness' }),
      ),
    ).toBe(true);
    expect(
      isLineOfBusinessApp(
        app('managedIOSStoreApp', { appAvailability: 'global' }),
      ),
    ).toBe(false);
    expect(isLineOfBusinessApp(app('windowsMobileMSI'))).toBe(false);
  });
});

describe('URLs', () => {
  test.each([
    ['https://www.google.com', 'https://www.google.com'],
    ['', undefined],
    [null, undefined],
    ['   ', undefined],
    ['www.example.com', undefined],
    ['ftp://example.com/x', undefined],
    ['javascript:alert(1)', undefined],
    ['https://example.com/a b', 'https://example.com/a%20b'],
    ['https://example.com/caf\u00e9', 'https://example.com/caf%C3%A9'],
    ['https://example.com/?q=1#frag', 'https://example.com/?q=1#frag'],
  ])('%j -> %j', (input, expected) => {
    expect(asUri(input)).toBe(expected);
  });
});

describe('install status rows', () => {
  const row = {
    DeviceId: '683dbff1-c8ff-4996-91ae-85484de46cfc',
    ApplicationId: '50124056-8cca-4cf5-9f98-8e63bede0b6e',
    UserId: 'b1c2d3e4-0000-4000-8000-000000000001',
    UserPrincipalName: 'adele@contoso.com',
    Platform: 'iOS',
    AppVersion: '',
    InstallState: 'failed',
    InstallStateDetail: 'seeInstallErrorCode',
    ErrorCode: -2016345060,
    HexErrorCode: '0x87D1041C',
    AppInstallState: 'Failed',
    AppInstallStateDetails: 'seeInstallErrorCode',
    LastModifiedDateTime: '2024-05-20T10:00:00.000Z',
  };

  test('every column lands on the relationship; an empty app version is left out', () => {
    const r = toAssignedRelationship(
      'smartphone',
      row.DeviceId,
      row.ApplicationId,
      row,
    );
    expect(r).toEqual({
      _key: relationshipKey(`${row.DeviceId}|assigned|${row.ApplicationId}`),
      _type: Relationships.DEVICE_ASSIGNED_MANAGED_APPLICATION.smartphone._type,
      _class: 'ASSIGNED',
      _fromEntityKey: row.DeviceId,
      _toEntityKey: row.ApplicationId,
      displayName: 'ASSIGNED',
      installState: 'failed',
      installStateDetail: 'seeInstallErrorCode',
      errorCode: -2016345060,
      hexErrorCode: '0x87D1041C',
      appInstallState: 'Failed',
      appInstallStateDetails: 'seeInstallErrorCode',
      platform: 'iOS',
      userId: 'b1c2d3e4-0000-4000-8000-000000000001',
      userPrincipalName: 'adele@contoso.com',
      lastModifiedOn: Date.parse('2024-05-20T10:00:00.000Z'),
    });
    expect(r).toMatchDirectRelationshipSchema({
      _class: RelationshipClass.ASSIGNED,
      _type: Relationships.DEVICE_ASSIGNED_MANAGED_APPLICATION.smartphone._type,
    });
  });

  test('an installed row keeps its version; an error code sent as text becomes a number', () => {
    const r = toAssignedRelationship(
      'laptop',
      row.DeviceId,
      row.ApplicationId,
      {
        ...row,
        InstallState: 'installed',
        AppVersion: '1.2.3',
        ErrorCode: '0',
      },
    );
    expect(r).toMatchObject({
      installState: 'installed',
      appVersion: '1.2.3',
      errorCode: 0,
    });
  });
});
