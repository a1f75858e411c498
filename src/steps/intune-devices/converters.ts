/**
 * Pure conversion of Intune managed devices (beta, as selected by
 * src/graph/intune-devices.ts) into device, host agent and relationship
 * objects. No I/O. Graph's "no value" sentinels (empty strings,
 * 0001-01-01T00:00:00Z, the all-zero GUID, "Unknown" in free-text fields)
 * become absent properties, never data.
 */
import {
  createIntegrationEntity,
  createMappedRelationship,
  Entity,
  Relationship,
  RelationshipClass,
  RelationshipDirection,
} from '@jupiterone/integration-sdk-core';
import { ManagedDevice } from '../../graph/intune-devices';
import {
  DeviceEntities,
  DeviceKind,
  Entities,
  MappedRelationships,
} from '../constants';
import {
  knownString,
  mapEnum,
  presentBoolean,
  presentGuid,
  presentString,
  toEmailAddress,
  toEpochMs,
  withoutUndefined,
} from '../convert';
import { directRelationship, relationshipKey } from '../graph-objects';
import { classifyDevice, DeviceClassification } from './classify';
import { COMPLIANT_BY_STATE } from './enums';
import { deviceKey, hostAgentKey } from './keys';

export const HOST_AGENT_FUNCTION = [
  'endpoint-compliance',
  'endpoint-configuration',
];

/** A positive number, or undefined (0 is how Graph says "not reported"). */
function positiveNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? value
    : undefined;
}

/**
 * Graph's "True"/"False" jailbreak strings as a boolean; "Unknown" (and
 * anything else) is absent.
 */
export function parseJailBroken(value: unknown): boolean | undefined {
  const text = presentString(value)?.toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}

/**
 * "AABBCCDDEEFF", "aa-bb-cc-dd-ee-ff", "aabb.ccdd.eeff" -> "aa:bb:cc:dd:ee:ff".
 * Anything that is not 12 hex digits (a redacted value, a placeholder) and
 * the all-zero address are absent.
 */
export function normaliseMacAddress(value: unknown): string | undefined {
  const text = presentString(value);
  if (!text) return undefined;
  const hex = text.replace(/[:\-.\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex) || /^0+$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

/** RFC 1123 host name: "DESKTOP-4F2A9C1" is one, "Alice’s iPhone" is not. */
const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * The device name when it can be a host name (Windows computer names,
 * servers); null for names such as "Alice’s iPhone", which are labels.
 */
export function hostnameOf(deviceName: string | undefined): string | null {
  return deviceName && HOSTNAME.test(deviceName) ? deviceName : null;
}

export type Platform =
  | 'darwin'
  | 'linux'
  | 'unix'
  | 'windows'
  | 'android'
  | 'ios'
  | 'embedded'
  | 'other';

/**
 * The data model's `platform` enum, from operatingSystem first and deviceType
 * when the OS says nothing. ChromeOS is `other`: calling it `linux` would
 * match Linux vulnerabilities against it.
 */
export function platformOf(
  operatingSystem: string | null | undefined,
  deviceType: string | null | undefined,
): Platform {
  const os = (operatingSystem ?? '').trim().toLowerCase().replace(/\s+/g, '');
  if (os.startsWith('windows')) return 'windows';
  if (os.startsWith('macos') || os === 'osx') return 'darwin';
  if (os === 'ios' || os === 'ipados') return 'ios';
  if (os.startsWith('android')) return 'android';
  if (os.startsWith('linux')) return 'linux';
  if (os.startsWith('unix')) return 'unix';
  if (os.startsWith('chromeos')) return 'other';
  const type = (deviceType ?? '').trim().toLowerCase();
  if (
    [
      'desktop',
      'windowsrt',
      'windows10x',
      'winmo6',
      'windowsphone',
      'hololens',
      'surfacehub',
      'cloudpc',
    ].includes(type)
  ) {
    return 'windows';
  }
  if (type === 'winembedded' || type === 'wince') return 'embedded';
  if (type === 'mac' || type === 'macmdm') return 'darwin';
  if (type === 'iphone' || type === 'ipad' || type === 'ipod') return 'ios';
  if (type.startsWith('android')) return 'android';
  if (type === 'linux') return 'linux';
  if (type === 'unix') return 'unix';
  return 'other';
}

/** Device `category` (data model examples: server, endpoint, mobile...). */
export function categoryOf(kind: DeviceKind): 'server' | 'mobile' | 'endpoint' {
  if (kind === 'server') return 'server';
  if (kind === 'smartphone') return 'mobile';
  return 'endpoint';
}

/** Distinct, non-empty user ids of usersLoggedOn, in Graph's order. */
export function loggedOnUserIdsOf(device: ManagedDevice): string[] {
  const ids = new Set<string>();
  for (const entry of device.usersLoggedOn ?? []) {
    const id = presentGuid(entry?.userId);
    if (id) ids.add(id);
  }
  return Array.from(ids);
}

function ownerTypeOf(device: ManagedDevice): string | undefined {
  return (
    presentString(device.ownerType) ??
    presentString(device.managedDeviceOwnerType)
  );
}

function deviceNameOf(device: ManagedDevice): string | undefined {
  return presentString(device.deviceName);
}

export interface ConvertedDevice {
  device: Entity;
  hostAgent: Entity;
  manages: Relationship;
  classification: DeviceClassification;
}

/** The device entity, its Intune host agent, and host agent MANAGES device. */
export function convertManagedDevice(managed: ManagedDevice): ConvertedDevice {
  const classification = classifyDevice(managed);
  const device = toDeviceEntity(managed, classification);
  const hostAgent = toHostAgentEntity(managed);
  return {
    device,
    hostAgent,
    manages: directRelationship({
      _class: RelationshipClass.MANAGES,
      fromKey: hostAgent._key,
      fromType: hostAgent._type,
      toKey: device._key,
      toType: device._type,
    }),
    classification,
  };
}

export function toDeviceEntity(
  managed: ManagedDevice,
  classification: DeviceClassification = classifyDevice(managed),
): Entity {
  const { kind } = classification;
  const deviceName = deviceNameOf(managed);
  const name =
    deviceName ??
    presentString(managed.managedDeviceName) ??
    presentString(managed.serialNumber) ??
    managed.id;
  const model = presentString(managed.model);
  const operatingSystem = knownString(managed.operatingSystem);
  const osVersion = presentString(managed.osVersion);
  const complianceState = presentString(managed.complianceState);
  const ownerType = ownerTypeOf(managed);
  const azureADDeviceId = presentGuid(managed.azureADDeviceId);
  const wifiMacAddress = normaliseMacAddress(managed.wiFiMacAddress);
  const userEmail = toEmailAddress(managed.emailAddress);
  const entity = createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        _key: deviceKey(managed.id),
        _type: DeviceEntities[kind]._type,
        _class: DeviceEntities[kind]._class,
        id: managed.id,
        name,
        displayName: name,
        // Device and Host required properties: present, null when unknown.
        category: categoryOf(kind),
        make: presentString(managed.manufacturer) ?? null,
        model: model ?? null,
        serial: presentString(managed.serialNumber) ?? null,
        deviceId: azureADDeviceId ?? null,
        hostname: hostnameOf(deviceName),
        // Operating system.
        platform: platformOf(managed.operatingSystem, managed.deviceType),
        osName: operatingSystem,
        osVersion,
        osDetails:
          operatingSystem && osVersion
            ? `${operatingSystem} ${osVersion}`
            : undefined,
        androidSecurityPatchLevel: presentString(
          managed.androidSecurityPatchLevel,
        ),
        // Hardware and kind signals.
        deviceType: presentString(managed.deviceType),
        chassisType: presentString(managed.chassisType),
        skuFamily: presentString(managed.skuFamily),
        processorArchitecture: presentString(managed.processorArchitecture),
        deviceKindRule: classification.rule,
        physical: classification.virtual ? false : model ? true : undefined,
        macAddress: wifiMacAddress ? [wifiMacAddress] : undefined,
        wifiMacAddress,
        imei: presentString(managed.imei),
        meid: presentString(managed.meid),
        totalStorageSpaceInBytes: positiveNumber(
          managed.totalStorageSpaceInBytes,
        ),
        freeStorageSpaceInBytes: positiveNumber(
          managed.freeStorageSpaceInBytes,
        ),
        // Security state.
        encrypted: presentBoolean(managed.isEncrypted),
        supervised: presentBoolean(managed.isSupervised),
        jailBroken: parseJailBroken(managed.jailBroken),
        complianceState,
        compliant: mapEnum(complianceState, COMPLIANT_BY_STATE),
        complianceGracePeriodExpiresOn: toEpochMs(
          managed.complianceGracePeriodExpirationDateTime,
        ),
        partnerReportedThreatState: presentString(
          managed.partnerReportedThreatState,
        ),
        // Management.
        managementState: presentString(managed.managementState),
        managementAgent: presentString(managed.managementAgent),
        deviceEnrollmentType: presentString(managed.deviceEnrollmentType),
        deviceRegistrationState: presentString(managed.deviceRegistrationState),
        deviceCategory: knownString(managed.deviceCategoryDisplayName),
        ownerType,
        BYOD:
          ownerType === 'personal'
            ? true
            : ownerType === 'company'
            ? false
            : undefined,
        enrolledOn: toEpochMs(managed.enrolledDateTime),
        lastSeenOn: toEpochMs(managed.lastSyncDateTime),
        // Entra ID.
        azureADDeviceId,
        azureADRegistered: presentBoolean(managed.azureADRegistered),
        joinType: presentString(managed.joinType),
        // People (the relationship step reads userId and loggedOnUserIds).
        userId: presentGuid(managed.userId),
        loggedOnUserIds: loggedOnUserIdsOf(managed),
        userPrincipalName: presentString(managed.userPrincipalName),
        userDisplayName: presentString(managed.userDisplayName),
        userEmails: userEmail ? [userEmail] : undefined,
      },
    },
  });
  return withoutRawData(withoutUndefined(entity));
}

export function toHostAgentEntity(managed: ManagedDevice): Entity {
  const deviceName = deviceNameOf(managed) ?? managed.id;
  const name = `Intune agent on ${deviceName}`;
  const complianceState = presentString(managed.complianceState);
  const entity = createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        _key: hostAgentKey(managed.id),
        _type: Entities.HOST_AGENT._type,
        _class: Entities.HOST_AGENT._class,
        name,
        displayName: name,
        function: HOST_AGENT_FUNCTION,
        managedDeviceId: managed.id,
        managementAgent: presentString(managed.managementAgent),
        managementState: presentString(managed.managementState),
        complianceState,
        compliant: mapEnum(complianceState, COMPLIANT_BY_STATE),
        enrolledOn: toEpochMs(managed.enrolledDateTime),
        lastSeenOn: toEpochMs(managed.lastSyncDateTime),
      },
    },
  });
  return withoutRawData(withoutUndefined(entity));
}

/** No `_rawData`: at 20k devices it would be most of the output (jupiterone-sdk.md §2.4). */
function withoutRawData(entity: Entity): Entity {
  delete (entity as Partial<Entity>)._rawData;
  return entity;
}

/** The device fields the relationship step reads back from the job state. */
export interface DeviceUsers {
  kind: DeviceKind;
  userId?: string;
  loggedOnUserIds: string[];
}

export function deviceUsersOf(device: Entity): DeviceUsers {
  const loggedOn: unknown = device.loggedOnUserIds;
  return {
    kind: device._type as DeviceKind,
    userId: typeof device.userId === 'string' ? device.userId : undefined,
    loggedOnUserIds: Array.isArray(loggedOn)
      ? loggedOn.filter((id): id is string => typeof id === 'string')
      : [],
  };
}

/**
 * azure_user HAS/USES device. `userCollected`: the user is an entity of
 * this run, so the relationship is direct; otherwise it is mapped to the
 * azure_user with `_key` = user id (the users step is off, or the user is not
 * in /users), which the platform resolves or creates, instead of being lost.
 */
export function userDeviceRelationship(
  _class: RelationshipClass.HAS | RelationshipClass.USES,
  userId: string,
  device: Entity,
  userCollected: boolean,
): Relationship {
  const kind = device._type as DeviceKind;
  if (userCollected) {
    return directRelationship({
      _class,
      fromKey: userId,
      fromType: Entities.USER._type,
      toKey: device._key,
      toType: device._type,
    });
  }
  const mapped =
    _class === RelationshipClass.HAS
      ? MappedRelationships.USER_HAS_DEVICE[kind]
      : MappedRelationships.USER_USES_DEVICE[kind];
  return createMappedRelationship({
    _class,
    _type: mapped._type,
    // The key a direct relationship of the same user and device has: it must
    // not change the day the user is (or is no longer) in the collection.
    _key: relationshipKey(`${userId}|${_class.toLowerCase()}|${device._key}`),
    source: device,
    target: {
      _type: Entities.USER._type,
      _key: userId,
      _class: Entities.USER._class,
    },
    relationshipDirection: RelationshipDirection.REVERSE,
  });
}
