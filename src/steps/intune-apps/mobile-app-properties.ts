/**
 * Which properties of a mobile app the managed-application entity carries,
 * by its `@odata.type`: the type-specific scalars, flag objects and lists
 * copied as they are, the ones left out and why (command lines and product
 * keys can carry secrets), and URLs in the form the data model accepts.
 */
import { MobileApp } from '../../graph/intune-apps';
import {
  presentBoolean,
  presentNumber,
  presentText,
  presentStrings,
} from '../convert';

/** The names of the `true` flags of a Graph flag object ({ v8_0: true, v9_0: false } -> ['v8_0']). */
function trueFlags(value: unknown): string[] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return undefined;
  return Object.entries(value as Record<string, unknown>)
    .filter(([, flag]) => flag === true)
    .map(([name]) => name);
}

const URI_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// RFC 3986 characters allowed after the scheme, as the data model's "uri" format checks them.
const URI_PART = /^(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*$/i;

function isRfc3986Uri(value: string): boolean {
  if (!URI_SCHEME.test(value)) return false;
  const hash = value.indexOf('#');
  const beforeFragment = hash >= 0 ? value.slice(0, hash) : value;
  const fragment = hash >= 0 ? value.slice(hash + 1) : '';
  const rest = beforeFragment.replace(URI_SCHEME, '');
  return URI_PART.test(rest) && URI_PART.test(fragment);
}

/**
 * An absolute http(s) URL that passes the data model's `uri` format, or
 * undefined (Graph sends "" and null for "no URL"). A URL with characters
 * the format refuses (spaces, non-ASCII) is sent percent-encoded.
 */
export function asUri(value: unknown): string | undefined {
  const s = presentText(value)?.trim();
  if (!s) return undefined;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (isRfc3986Uri(s)) return s;
  return isRfc3986Uri(url.href) ? url.href : undefined;
}

/**
 * Type-specific scalar properties copied as they are (string, number,
 * boolean). Install and uninstall command lines, product keys and the Office
 * configuration XML are left out on purpose: they can carry licence keys
 * and credentials.
 */
const TYPE_SCALARS = [
  // line-of-business packages
  'fileName',
  'size',
  'committedContentVersion',
  'identityName',
  'identityVersion',
  'identityPublisherHash',
  'identityResourceIdentifier',
  'packageId',
  'appIdentifier',
  'bundleId',
  'primaryBundleId',
  'primaryBundleVersion',
  'versionName',
  'versionCode',
  'versionNumber',
  'buildNumber',
  'displayVersion',
  'productVersion',
  'productCode',
  'packageIdentifier',
  'packageIdentityName',
  'setupFilePath',
  'installLanguage',
  'minimumSupportedWindowsRelease',
  'applicableArchitectures',
  'allowedArchitectures',
  'applicableDeviceTypes',
  'minimumFreeDiskSpaceInMB',
  'minimumMemoryInMB',
  'minimumNumberOfProcessors',
  'minimumCpuSpeedInMHz',
  'allowAvailableUninstall',
  'ignoreVersionDetection',
  'installAsManaged',
  'useDeviceContext',
  'isBundle',
  // store apps and licences
  'isPrivate',
  'isSystemApp',
  'supportsOemConfig',
  'usedLicenseCount',
  'totalLicenseCount',
  'licenseType',
  'vppTokenOrganizationName',
  'vppTokenAccountType',
  'vppTokenAppleId',
  'vppTokenId',
  // web apps
  'useManagedBrowser',
  // Microsoft Edge and Office
  'channel',
  'displayLanguageLocale',
  'updateChannel',
  'officePlatformArchitecture',
  'targetVersion',
  'updateVersion',
  'useSharedComputerActivation',
  'shouldUninstallOlderVersionsOfOffice',
  'autoAcceptEula',
  'installProgressDisplayLevel',
  'officeSuiteAppDefaultFileFormat',
] as const;

/** Flag objects kept as the list of their `true` flags. */
const TYPE_FLAG_OBJECTS = [
  'minimumSupportedOperatingSystem',
  'applicableDeviceType',
  'excludedApps',
  'licensingType',
] as const;

/** String arrays copied as they are. */
const TYPE_STRING_ARRAYS = [
  'roleScopeTagIds',
  'productIds',
  'localesToInstall',
] as const;

/**
 * Properties of a mobile app that the entity does not carry, and why. The
 * converter test checks every property of the real captures is either
 * converted or listed here.
 */
export const DROPPED_MOBILE_APP_PROPERTIES: Record<string, string> = {
  '@odata.type': 'kept as appType',
  largeIcon: 'an image (base64)',
  officeConfigurationXml: 'base64 XML; may hold product keys',
  installCommandLine: 'may hold licence keys or credentials',
  uninstallCommandLine: 'may hold licence keys or credentials',
  commandLine: 'may hold licence keys or credentials',
  productKey: 'a licence key',
  manifestHash: 'an opaque hash',
  md5Hash: 'opaque hashes',
  md5HashChunkSize: 'a transfer detail',
  appTracks: 'kept as appTrackAliases',
  msiInformation: 'kept as msi* properties',
  installExperience: 'kept as runAsAccount, deviceRestartBehavior',
  childApps: 'objects: bundle ids of the package content',
  includedApps: 'objects: bundle ids of the package content',
  detectionRules: 'objects: install detection scripts and rules',
  requirementRules: 'objects: install requirement rules',
  rules: 'objects: install detection and requirement rules',
  returnCodes: 'objects: installer return-code table',
  revokeLicenseActionResults: 'objects: VPP licence revocations',
  expirationDateTime: 'kept as expiresOn',
  releaseDateTime: 'kept as releasedOn',
  createdDateTime: 'kept as createdOn',
  lastModifiedDateTime: 'kept as updatedOn',
  informationUrl: 'kept when it is a valid URL',
  privacyInformationUrl: 'kept when it is a valid URL',
  appStoreUrl: 'kept when it is a valid URL',
  appUrl: 'kept when it is a valid URL',
  notes: 'kept as notes[] when not empty',
};

/** The version a mobile app's type carries, if any. */
export function mobileAppVersion(app: MobileApp): string | undefined {
  return (
    presentText(app.version) ??
    presentText(app.displayVersion) ??
    presentText(app.versionName) ??
    presentText(app.versionNumber) ??
    presentText(app.productVersion) ??
    presentText(app.primaryBundleVersion) ??
    presentText(app.identityVersion)
  );
}

export function mobileAppTypeProperties(
  app: MobileApp,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of TYPE_SCALARS) {
    const value = app[name];
    if (typeof value === 'string') {
      if (value.trim()) out[name] = value;
    } else if (
      typeof value === 'boolean' ||
      presentNumber(value) !== undefined
    ) {
      out[name] = value;
    }
  }
  for (const name of TYPE_FLAG_OBJECTS) {
    const flags = trueFlags(app[name]);
    if (flags) out[name] = flags;
  }
  for (const name of TYPE_STRING_ARRAYS) {
    const list = presentStrings(app[name]);
    if (list) out[name] = list;
  }
  const msi = app.msiInformation as Record<string, unknown> | null | undefined;
  if (msi && typeof msi === 'object') {
    out.msiProductCode = presentText(msi.productCode);
    out.msiProductVersion = presentText(msi.productVersion);
    out.msiUpgradeCode = presentText(msi.upgradeCode);
    out.msiProductName = presentText(msi.productName);
    out.msiPublisher = presentText(msi.publisher);
    out.msiPackageType = presentText(msi.packageType);
    out.msiRequiresReboot = presentBoolean(msi.requiresReboot);
  }
  const experience = app.installExperience as
    | Record<string, unknown>
    | null
    | undefined;
  if (experience && typeof experience === 'object') {
    out.runAsAccount = presentText(experience.runAsAccount);
    out.deviceRestartBehavior = presentText(experience.deviceRestartBehavior);
  }
  const tracks = app.appTracks;
  if (Array.isArray(tracks)) {
    out.appTrackAliases = tracks
      .map((track) => (track as { trackAlias?: unknown })?.trackAlias)
      .filter((alias): alias is string => typeof alias === 'string');
  }
  return out;
}
