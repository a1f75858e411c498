/** Type-specific properties of each mobile app `@odata.type` (after the common mobileApp ones). */
import { GraphObject } from './model';
import { IdKind, Rng, guid, isoSeconds, pastMs } from './random';

export function typeSpecificProperties(
  f: { displayName: string; odataType: string; version: string },
  rng: Rng,
  index: number,
): GraphObject {
  const slug = f.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const bundle = `com.${slug.slice(0, 12) || 'app'}.app${index}`;
  const iosOs = {
    v8_0: false,
    v9_0: false,
    v10_0: false,
    v11_0: false,
    v12_0: false,
    v13_0: false,
    v14_0: true,
  };
  const devicesIos = { iPad: true, iPhoneAndIPod: true };
  const lobFile = {
    committedContentVersion: '1',
    fileName: `${slug || 'app'}.pkg`,
    size: 1_000_000 + rng.int(200_000_000),
  };
  switch (f.odataType) {
    case 'webApp':
      return {
        appUrl: `https://${slug || 'app'}.example.com`,
        useManagedBrowser: rng.chance(0.3),
      };
    case 'win32LobApp':
      return {
        ...lobFile,
        fileName: `${slug || 'app'}.intunewin`,
        installCommandLine: `setup.exe /quiet`,
        uninstallCommandLine: `setup.exe /uninstall /quiet`,
        applicableArchitectures: 'x64',
        minimumFreeDiskSpaceInMB: null,
        minimumMemoryInMB: null,
        minimumNumberOfProcessors: null,
        minimumCpuSpeedInMHz: null,
        msiInformation: null,
        setupFilePath: 'setup.exe',
        minimumSupportedWindowsRelease: '1607',
        displayVersion: f.version,
        allowAvailableUninstall: rng.chance(0.5),
      };
    case 'windowsMobileMSI':
      return {
        ...lobFile,
        fileName: `${slug || 'app'}.msi`,
        commandLine: '/qn',
        productCode: `{${guid(index, IdKind.appId, 7).toUpperCase()}}`,
        productVersion: f.version,
        ignoreVersionDetection: false,
        identityVersion: f.version,
        useDeviceContext: true,
      };
    case 'winGetApp':
      return {
        manifestHash: rng.hex(64, true),
        packageIdentifier: rng.hex(12, true),
        installExperience: { runAsAccount: 'system' },
      };
    case 'windowsMicrosoftEdgeApp':
      return { channel: 'stable', displayLanguageLocale: null };
    case 'macOSMicrosoftEdgeApp':
      return { channel: 'stable' };
    case 'officeSuiteApp':
      return {
        autoAcceptEula: false,
        productIds: ['o365ProPlusRetail'],
        useSharedComputerActivation: true,
        updateChannel: 'current',
        officePlatformArchitecture: 'x64',
        localesToInstall: [],
        installProgressDisplayLevel: 'none',
        shouldUninstallOlderVersionsOfOffice: true,
        targetVersion: '',
        updateVersion: '',
        officeConfigurationXml: null,
        excludedApps: {
          access: false,
          bing: false,
          excel: false,
          groove: true,
          infoPath: true,
          lync: false,
          oneDrive: false,
          oneNote: false,
          outlook: false,
          powerPoint: false,
          publisher: false,
          sharePointDesigner: true,
          teams: false,
          visio: false,
          word: false,
        },
      };
    case 'windowsStoreApp':
      return {
        appStoreUrl: `https://www.microsoft.com/store/apps/9N${rng.hex(
          10,
          true,
        )}`,
      };
    case 'microsoftStoreForBusinessApp':
      return {
        usedLicenseCount: rng.int(50),
        totalLicenseCount: 50,
        productKey: `9N${rng.hex(10, true)}/0016`,
        licenseType: 'offline',
        packageIdentityName: bundle,
      };
    case 'iosStoreApp':
      return {
        bundleId: bundle,
        appStoreUrl: `https://apps.apple.com/us/app/${slug}/id${rng.digits(9)}`,
        applicableDeviceType: devicesIos,
        minimumSupportedOperatingSystem: iosOs,
      };
    case 'iosVppApp':
      return {
        usedLicenseCount: rng.int(100),
        totalLicenseCount: 100,
        releaseDateTime: isoSeconds(pastMs(rng, 100, 2000)),
        appStoreUrl: `https://apps.apple.com/us/app/${slug}/id${rng.digits(9)}`,
        licensingType: {
          supportsUserLicensing: true,
          supportsDeviceLicensing: true,
        },
        applicableDeviceType: devicesIos,
        vppTokenOrganizationName: 'Contoso',
        vppTokenAccountType: 'business',
        vppTokenAppleId: 'vpp@contoso.com',
        bundleId: bundle,
      };
    case 'iosLobApp':
    case 'managedIOSLobApp':
      return {
        ...lobFile,
        fileName: `${slug || 'app'}.ipa`,
        bundleId: bundle,
        applicableDeviceType: devicesIos,
        minimumSupportedOperatingSystem: iosOs,
        expirationDateTime: isoSeconds(pastMs(rng, -365, -30)),
        versionNumber: f.version,
        buildNumber: String(rng.int(9999)),
      };
    case 'managedIOSStoreApp':
      return {
        bundleId: bundle,
        appStoreUrl: `https://apps.apple.com/us/app/${slug}/id${rng.digits(9)}`,
        applicableDeviceType: devicesIos,
        minimumSupportedOperatingSystem: iosOs,
      };
    case 'androidManagedStoreApp':
      return {
        packageId: bundle,
        appIdentifier: bundle,
        usedLicenseCount: 0,
        totalLicenseCount: 0,
        appStoreUrl: `https://play.google.com/store/apps/details?id=${bundle}&hl=en-US`,
        isPrivate: false,
        isSystemApp: false,
        supportsOemConfig: false,
        appTracks: [],
      };
    case 'managedAndroidStoreApp':
      return {
        packageId: bundle,
        appStoreUrl: `https://play.google.com/store/apps/details?id=${bundle}`,
        minimumSupportedOperatingSystem: androidOs(),
      };
    case 'androidLobApp':
      return {
        ...lobFile,
        fileName: `${bundle}.apk`,
        packageId: bundle,
        identityName: bundle,
        versionName: f.version,
        versionCode: String(rng.int(1000)),
        identityVersion: String(rng.int(1000)),
        minimumSupportedOperatingSystem: androidOs(),
      };
    case 'macOSLobApp':
      return {
        ...lobFile,
        bundleId: bundle,
        buildNumber: f.version,
        versionNumber: f.version,
        childApps: [
          {
            bundleId: bundle,
            buildNumber: f.version,
            versionNumber: f.version,
          },
        ],
        ignoreVersionDetection: false,
        installAsManaged: false,
        minimumSupportedOperatingSystem: {
          v10_7: false,
          v10_8: false,
          v10_13: true,
          v11_0: false,
        },
      };
    default:
      return {};
  }
}

function androidOs() {
  return {
    v4_0: false,
    v4_0_3: false,
    v4_1: false,
    v4_2: false,
    v4_3: false,
    v4_4: false,
    v5_0: true,
    v5_1: false,
    v6_0: false,
    v7_0: false,
    v7_1: false,
    v8_0: false,
    v8_1: false,
    v9_0: false,
    v10_0: false,
    v11_0: false,
  };
}
