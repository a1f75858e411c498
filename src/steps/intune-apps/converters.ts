/**
 * Pure conversions of Intune application data into entities and
 * relationships, and the identity rules of docs/data-model-rules.md
 * ("Applications"): which mobile apps are managed applications, what one
 * detected application is, and when a managed app MANAGES a detected one.
 */
import {
  createIntegrationEntity,
  Entity,
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
import {
  presentBoolean,
  presentNumber,
  presentText,
  toEpochMs,
  withoutUndefined,
} from '../convert';
import { directRelationship } from '../graph-objects';
import {
  INSTALL_STATE_BY_CODE,
  INSTALL_STATE_DETAIL_BY_CODE,
  readEnumCell,
  readLabelledCell,
} from './install-states';
import {
  asUri,
  mobileAppTypeProperties,
  mobileAppVersion,
} from './mobile-app-properties';

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

/** A number, or a string holding an integer ("0", "-2016345060"). */
function integer(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim()))
    return Number(value);
  return undefined;
}

// ---- managed applications -------------------------------------------------------------

export function toManagedApplicationEntity(app: MobileApp): Entity {
  const appType = mobileAppType(app['@odata.type']);
  const family = mobileAppPlatformFamily(app['@odata.type']);
  const name = presentText(app.displayName) ?? app.id;
  const links = {
    appUrl: asUri(app.appUrl),
    appStoreUrl: asUri(app.appStoreUrl),
    informationUrl: asUri(app.informationUrl),
    privacyInformationUrl: asUri(app.privacyInformationUrl),
  };
  const notes = presentText(app.notes);
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: withoutUndefined({
        ...mobileAppTypeProperties(app),
        _key: app.id,
        _type: Entities.MANAGED_APPLICATION._type,
        _class: Entities.MANAGED_APPLICATION._class,
        id: app.id,
        name,
        displayName: name,
        description: presentText(app.description),
        appType,
        // The MANAGES rule: a detected app of this family with this normalised name.
        platform: family,
        normalizedName: normaliseAppName(app.displayName) || undefined,
        mobile: family === 'ios' || family === 'android',
        lineOfBusiness: isLineOfBusinessApp(app),
        isAssigned: presentBoolean(app.isAssigned),
        appAvailability: presentText(app.appAvailability),
        publishingState: presentText(app.publishingState),
        uploadState: presentNumber(app.uploadState),
        isFeatured: presentBoolean(app.isFeatured),
        publisher: presentText(app.publisher),
        developer: presentText(app.developer),
        owner: presentText(app.owner),
        notes: notes ? [notes] : undefined,
        version: mobileAppVersion(app),
        dependentAppCount: presentNumber(app.dependentAppCount),
        supersedingAppCount: presentNumber(app.supersedingAppCount),
        supersededAppCount: presentNumber(app.supersededAppCount),
        createdOn: toEpochMs(app.createdDateTime),
        updatedOn: toEpochMs(app.lastModifiedDateTime),
        expiresOn: toEpochMs(app.expirationDateTime),
        releasedOn: toEpochMs(app.releaseDateTime),
        ...links,
        webLink: links.appUrl ?? links.appStoreUrl ?? links.informationUrl,
      }),
    },
  });
}

// ---- detected applications ------------------------------------------------------------

/** Call only for apps with a name (an empty normalised name is no application identity). */
/**
 * What one detected-application entity says, gathered over all the items of
 * its identity (its versions and spellings).
 */
export interface DetectedApplicationFacts {
  identity: DetectedIdentity;
  name: string;
  publisher?: string;
}

/**
 * Folds one more item of an identity in. Items of one identity come in any
 * order (under concurrency, on either route), so each value is the least
 * under a total order: the name that sorts first (spellings differ only in
 * case and white space), and the first publisher that is not blank.
 */
export function mergeDetectedApplicationFacts(
  facts: DetectedApplicationFacts | undefined,
  app: DetectedApp,
): DetectedApplicationFacts {
  const name = presentText(app.displayName)?.trim() ?? '';
  const publisher = presentText(app.publisher);
  if (!facts) {
    return { identity: detectedAppIdentity(app), name, publisher };
  }
  if (name && (!facts.name || name < facts.name)) facts.name = name;
  if (
    publisher !== undefined &&
    (facts.publisher === undefined || publisher < facts.publisher)
  )
    facts.publisher = publisher;
  return facts;
}

export function toDetectedApplicationEntity(
  facts: DetectedApplicationFacts,
  key: string = facts.identity.key,
): Entity {
  const { identity, name, publisher } = facts;
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: withoutUndefined({
        _key: key,
        _type: Entities.DETECTED_APPLICATION._type,
        _class: Entities.DETECTED_APPLICATION._class,
        name,
        displayName: name,
        normalizedName: identity.normalisedName,
        platform: identity.family,
        publisher,
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
  // A million of these on a large tenant: no withoutUndefined() (delete makes slow objects).
  const version = detectedVersion(app);
  const properties: Record<string, unknown> = {};
  if (version) properties.version = version;
  const sizeInByte = presentNumber(app.sizeInByte);
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
  const state = readEnumCell(row.InstallState, INSTALL_STATE_BY_CODE);
  const detail = readEnumCell(
    row.InstallStateDetail,
    INSTALL_STATE_DETAIL_BY_CODE,
  );
  return directRelationship({
    _class: RelationshipClass.ASSIGNED,
    fromType: deviceKind,
    fromKey: deviceKey,
    toType: Entities.MANAGED_APPLICATION._type,
    toKey: managedKey,
    properties: withoutUndefined({
      installState: state.name,
      installStateCode: state.code,
      installStateDetail: detail.name,
      installStateDetailCode: detail.code,
      errorCode: integer(row.ErrorCode),
      hexErrorCode: presentText(row.HexErrorCode),
      appInstallState: readLabelledCell(row, 'AppInstallState'),
      appInstallStateDetails: readLabelledCell(row, 'AppInstallStateDetails'),
      appVersion: presentText(row.AppVersion),
      platform: presentText(row.Platform),
      userId: presentText(row.UserId),
      userPrincipalName: presentText(row.UserPrincipalName),
      lastModifiedOn: toEpochMs(row.LastModifiedDateTime),
    }),
  });
}
