/**
 * Pure conversions of Intune application data into entities and
 * relationships, and the identity rules of docs/data-model-rules.md
 * ("Applications"): which mobile apps are managed applications, what one
 * detected application is, and when a managed app MANAGES a detected one.
 */
import {
  createIntegrationEntity,
  Entity,
  parseTimePropertyValue,
  Relationship,
  RelationshipClass,
} from '@jupiterone/integration-sdk-core';
import { createHash } from 'crypto';
import {
  DetectedApp,
  InstallStatusRow,
  MobileApp,
} from '../../graph/intune-apps';
import { DeviceKind, Entities } from '../constants';
import { directRelationship } from '../graph-objects';

// ---- identity rules -------------------------------------------------------------------

/** Trimmed, lower-cased, runs of white space collapsed to one space. */
export function normaliseAppName(name: string | null | undefined): string {
  return (name ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
}

/** A detected app's platform family: every `android*` folded to `android`; missing = `unknown`. */
export function detectedAppPlatformFamily(
  platform: string | null | undefined,
): string {
  if (!platform) return 'unknown';
  return platform.startsWith('android') ? 'android' : platform;
}

const WINDOWS_APP_TYPES = new Set([
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
]);

/** `#microsoft.graph.win32LobApp` -> `win32LobApp`. */
export function mobileAppType(
  odataType: string | null | undefined,
): string | undefined {
  if (!odataType) return undefined;
  return odataType.replace(/^#?microsoft\.graph\./, '');
}

/**
 * A managed app's platform family, from its `@odata.type`; undefined for
 * types without one (webApp, managedIOS*...), which manage nothing.
 */
export function mobileAppPlatformFamily(
  odataType: string | null | undefined,
): string | undefined {
  const type = mobileAppType(odataType);
  if (!type) return undefined;
  if (WINDOWS_APP_TYPES.has(type)) return 'windows';
  if (type.startsWith('ios')) return 'ios';
  if (type.startsWith('macOS')) return 'macOS';
  if (type.startsWith('android') || type.startsWith('managedAndroid'))
    return 'android';
  return undefined;
}

export function isLineOfBusinessApp(app: MobileApp): boolean {
  return (
    (mobileAppType(app['@odata.type']) ?? '').endsWith('LobApp') ||
    app.appAvailability === 'lineOfBusiness'
  );
}

/** Assigned, or line-of-business: an `intune_managed_application`. */
export function isManagedApplication(app: MobileApp): boolean {
  return app.isAssigned === true || isLineOfBusinessApp(app);
}

/** The `_key` of the detected application (platform family, normalised name). */
export function detectedApplicationKey(
  family: string,
  normalisedName: string,
): string {
  const digest = createHash('sha256')
    .update(`${family}|${normalisedName}`)
    .digest('hex')
    .slice(0, 32);
  return `${Entities.DETECTED_APPLICATION._type}:${digest}`;
}

export interface DetectedIdentity {
  key: string;
  family: string;
  normalisedName: string;
}

export function detectedAppIdentity(app: DetectedApp): DetectedIdentity {
  const family = detectedAppPlatformFamily(app.platform);
  const normalisedName = normaliseAppName(app.displayName);
  return {
    key: detectedApplicationKey(family, normalisedName),
    family,
    normalisedName,
  };
}

/**
 * The detected application a managed app is the same application as (the
 * MANAGES target), from the managed application entity's `platform` (the
 * family of its `@odata.type`) and `normalizedName`; undefined when the app
 * has no family or no name.
 */
export function managesTargetKey(
  platform: unknown,
  normalizedName: unknown,
): string | undefined {
  if (typeof platform !== 'string' || !platform) return undefined;
  if (typeof normalizedName !== 'string' || !normalizedName) return undefined;
  return detectedApplicationKey(platform, normalizedName);
}

// ---- values ---------------------------------------------------------------------------

/** Leaves out undefined properties (relationship properties must be primitives or null). */
function compact<T extends Record<string, unknown>>(properties: T): T {
  for (const name of Object.keys(properties)) {
    if (properties[name] === undefined) delete properties[name];
  }
  return properties;
}

/** A non-empty string, or undefined. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.trim() ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

/** A number, or a string holding an integer ("0", "-2016345060"). */
function integer(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim()))
    return Number(value);
  return undefined;
}

function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((item): item is string => typeof item === 'string');
}

/** The names of the `true` flags of a Graph flag object ({ v8_0: true, v9_0: false } -> ['v8_0']). */
function trueFlags(value: unknown): string[] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return undefined;
  return Object.entries(value as Record<string, unknown>)
    .filter(([, flag]) => flag === true)
    .map(([name]) => name);
}

function epochMs(value: unknown): number | undefined {
  const s = text(value);
  if (!s || s.startsWith('0001-01-01')) return undefined;
  return parseTimePropertyValue(s);
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
  const s = text(value)?.trim();
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

// ---- managed applications -------------------------------------------------------------

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
    text(app.version) ??
    text(app.displayVersion) ??
    text(app.versionName) ??
    text(app.versionNumber) ??
    text(app.productVersion) ??
    text(app.primaryBundleVersion) ??
    text(app.identityVersion)
  );
}

function copyTypeSpecific(app: MobileApp): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of TYPE_SCALARS) {
    const value = app[name];
    if (typeof value === 'string') {
      if (value.trim()) out[name] = value;
    } else if (typeof value === 'boolean' || num(value) !== undefined) {
      out[name] = value;
    }
  }
  for (const name of TYPE_FLAG_OBJECTS) {
    const flags = trueFlags(app[name]);
    if (flags) out[name] = flags;
  }
  for (const name of TYPE_STRING_ARRAYS) {
    const list = strings(app[name]);
    if (list) out[name] = list;
  }
  const msi = app.msiInformation as Record<string, unknown> | null | undefined;
  if (msi && typeof msi === 'object') {
    out.msiProductCode = text(msi.productCode);
    out.msiProductVersion = text(msi.productVersion);
    out.msiUpgradeCode = text(msi.upgradeCode);
    out.msiProductName = text(msi.productName);
    out.msiPublisher = text(msi.publisher);
    out.msiPackageType = text(msi.packageType);
    out.msiRequiresReboot = bool(msi.requiresReboot);
  }
  const experience = app.installExperience as
    | Record<string, unknown>
    | null
    | undefined;
  if (experience && typeof experience === 'object') {
    out.runAsAccount = text(experience.runAsAccount);
    out.deviceRestartBehavior = text(experience.deviceRestartBehavior);
  }
  const tracks = app.appTracks;
  if (Array.isArray(tracks)) {
    out.appTrackAliases = tracks
      .map((track) => (track as { trackAlias?: unknown })?.trackAlias)
      .filter((alias): alias is string => typeof alias === 'string');
  }
  return out;
}

export function toManagedApplicationEntity(app: MobileApp): Entity {
  const appType = mobileAppType(app['@odata.type']);
  const family = mobileAppPlatformFamily(app['@odata.type']);
  const name = text(app.displayName) ?? app.id;
  const links = {
    appUrl: asUri(app.appUrl),
    appStoreUrl: asUri(app.appStoreUrl),
    informationUrl: asUri(app.informationUrl),
    privacyInformationUrl: asUri(app.privacyInformationUrl),
  };
  const notes = text(app.notes);
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: compact({
        ...copyTypeSpecific(app),
        _key: app.id,
        _type: Entities.MANAGED_APPLICATION._type,
        _class: Entities.MANAGED_APPLICATION._class,
        id: app.id,
        name,
        displayName: name,
        description: text(app.description),
        appType,
        // The MANAGES rule: a detected app of this family with this normalised name.
        platform: family,
        normalizedName: normaliseAppName(app.displayName) || undefined,
        mobile: family === 'ios' || family === 'android',
        lineOfBusiness: isLineOfBusinessApp(app),
        isAssigned: bool(app.isAssigned),
        appAvailability: text(app.appAvailability),
        publishingState: text(app.publishingState),
        uploadState: num(app.uploadState),
        isFeatured: bool(app.isFeatured),
        publisher: text(app.publisher),
        developer: text(app.developer),
        owner: text(app.owner),
        notes: notes ? [notes] : undefined,
        version: mobileAppVersion(app),
        dependentAppCount: num(app.dependentAppCount),
        supersedingAppCount: num(app.supersedingAppCount),
        supersededAppCount: num(app.supersededAppCount),
        createdOn: epochMs(app.createdDateTime),
        updatedOn: epochMs(app.lastModifiedDateTime),
        expiresOn: epochMs(app.expirationDateTime),
        releasedOn: epochMs(app.releaseDateTime),
        ...links,
        webLink: links.appUrl ?? links.appStoreUrl ?? links.informationUrl,
      }),
    },
  });
}

// ---- detected applications ------------------------------------------------------------

/** Call only for apps with a name (an empty normalised name is no application identity). */
export function toDetectedApplicationEntity(
  app: DetectedApp,
  identity: DetectedIdentity,
): Entity {
  const name = text(app.displayName)?.trim() as string;
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: compact({
        _key: identity.key,
        _type: Entities.DETECTED_APPLICATION._type,
        _class: Entities.DETECTED_APPLICATION._class,
        name,
        displayName: name,
        normalizedName: identity.normalisedName,
        platform: identity.family,
        publisher: text(app.publisher),
      }),
    },
  });
}

/** INSTALLED keys carry the version: one relationship per (device, application, version). */
/** The version of a detectedApp, '' when Intune reports none. */
export function detectedVersion(app: DetectedApp): string {
  return typeof app.version === 'string' ? app.version.trim() : '';
}

export function toInstalledRelationship(
  deviceKind: DeviceKind,
  deviceKey: string,
  detectedKey: string,
  app: DetectedApp,
): Relationship {
  // A million of these on a large tenant: no compact() (delete makes slow objects).
  const version = detectedVersion(app);
  const properties: Record<string, unknown> = {};
  if (version) properties.version = version;
  const sizeInByte = num(app.sizeInByte);
  if (sizeInByte !== undefined) properties.sizeInByte = sizeInByte;
  return directRelationship({
    _class: RelationshipClass.INSTALLED,
    fromType: deviceKind,
    fromKey: deviceKey,
    toType: Entities.DETECTED_APPLICATION._type,
    toKey: detectedKey,
    // One per device, application and version.
    discriminator: version,
    properties,
  });
}

export function toManagesRelationship(
  managedKey: string,
  detectedKey: string,
): Relationship {
  return directRelationship({
    _class: RelationshipClass.MANAGES,
    fromType: Entities.MANAGED_APPLICATION._type,
    fromKey: managedKey,
    toType: Entities.DETECTED_APPLICATION._type,
    toKey: detectedKey,
  });
}

// ---- install status -------------------------------------------------------------------

export function toAssignedRelationship(
  deviceKind: DeviceKind,
  deviceKey: string,
  managedKey: string,
  row: InstallStatusRow,
): Relationship {
  return directRelationship({
    _class: RelationshipClass.ASSIGNED,
    fromType: deviceKind,
    fromKey: deviceKey,
    toType: Entities.MANAGED_APPLICATION._type,
    toKey: managedKey,
    properties: compact({
      installState: text(row.InstallState),
      installStateDetail: text(row.InstallStateDetail),
      errorCode: integer(row.ErrorCode),
      hexErrorCode: text(row.HexErrorCode),
      appInstallState: text(row.AppInstallState),
      appInstallStateDetails: text(row.AppInstallStateDetails),
      appVersion: text(row.AppVersion),
      platform: text(row.Platform),
      userId: text(row.UserId),
      userPrincipalName: text(row.UserPrincipalName),
      lastModifiedOn: epochMs(row.LastModifiedDateTime),
    }),
  });
}
