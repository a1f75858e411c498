import {
  Entity,
  RelationshipClass,
  RelationshipDirection,
} from '@jupiterone/integration-sdk-core';
import { createMockStepExecutionContext } from '@jupiterone/integration-sdk-testing';
import { readFileSync } from 'fs';
import { join } from 'path';
import { IntegrationConfig } from '../../config';
import {
  ManagedDevice,
  MANAGED_DEVICE_SELECT,
} from '../../graph/intune-devices';
import { DeviceEntities, Entities } from '../constants';
import {
  convertManagedDevice,
  hostnameOf,
  normaliseMacAddress,
  parseJailBroken,
  platformOf,
  toDeviceEntity,
  userDeviceRelationship,
} from './converters';
import {
  buildUserDeviceRelationships,
  DEVICES_COMPLETE,
  intuneDevicesSteps,
} from './index';
import { relationshipKey } from '../graph-objects';

const HAR = join(
  __dirname,
  '../../../test/fixtures/graph-recordings/iterateManagedDevicesWithAD.har',
);

/** The beta managedDevices page of the real capture (2021, two devices). */
function recordedDevices(): ManagedDevice[] {
  const har = JSON.parse(readFileSync(HAR, 'utf8'));
  const entry = har.log.entries.find((e: { request: { url: string } }) =>
    e.request.url.endsWith('/beta/deviceManagement/managedDevices'),
  );
  return JSON.parse(entry.response.content.text).value;
}

const IPHONE_ID = '683dbff1-c8ff-4996-91ae-85484de46cfc';
const MAC_ID = '1f75329e-51fc-451c-bd40-c457337641a4';
const IPHONE_USER = '001d35fc-dd2b-4d17-9ffc-3bafa265e7d9';

describe('the real capture iterateManagedDevicesWithAD.har', () => {
  const [iphone, mac] = recordedDevices().map((d) => convertManagedDevice(d));

  test('holds an iPhone and a MacBook Pro', () => {
    expect(recordedDevices().map((d) => d.id)).toEqual([IPHONE_ID, MAC_ID]);
    expect(iphone.classification).toEqual({
      kind: 'smartphone',
      rule: 5,
      virtual: false,
    });
    expect(mac.classification).toEqual({
      kind: 'laptop',
      rule: 7,
      virtual: false,
    });
  });

  test('iPhone: every property', () => {
    expect(iphone.device).toEqual({
      _key: IPHONE_ID,
      _type: 'smartphone',
      _class: ['Device', 'Host'],
      id: IPHONE_ID,
      // deviceName was redacted in the capture.
      name: '[REDACTED]',
      displayName: '[REDACTED]',
      category: 'mobile',
      make: 'Apple',
      model: 'iPhone 11 Pro',
      serial: '[REDACTED]',
      // The Entra device id (for this device equal to the managed device id).
      deviceId: IPHONE_ID,
      // "[REDACTED]" is not a host name.
      hostname: null,
      platform: 'ios',
      osName: 'iOS',
      osVersion: '14.4',
      osDetails: 'iOS 14.4',
      deviceType: 'iPhone',
      chassisType: 'unknown',
      processorArchitecture: 'unknown',
      deviceKindRule: 5,
      physical: true,
      // wiFiMacAddress "[REDACTED]" is not a MAC address: absent, not copied.
      imei: '[REDACTED]',
      meid: '[REDACTED]',
      totalStorageSpaceInBytes: 68719476736,
      freeStorageSpaceInBytes: 15092154368,
      encrypted: true,
      supervised: false,
      jailBroken: false,
      complianceState: 'noncompliant',
      compliant: false,
      complianceGracePeriodExpiresOn: Date.parse('2021-02-17T19:13:41Z'),
      partnerReportedThreatState: 'unknown',
      managementState: 'managed',
      managementAgent: 'mdm',
      deviceEnrollmentType: 'deviceEnrollmentManager',
      deviceRegistrationState: 'registered',
      ownerType: 'personal',
      BYOD: true,
      enrolledOn: Date.parse('2021-02-17T16:24:45Z'),
      lastSeenOn: Date.parse('2021-03-10T00:24:15Z'),
      azureADDeviceId: IPHONE_ID,
      joinType: 'unknown',
      userId: IPHONE_USER,
      loggedOnUserIds: [IPHONE_USER],
      userPrincipalName: '[REDACTED]',
      userDisplayName: 'Michael Knoedel',
      userEmails: ['redacted@email.com'],
    });
  });

  test('MacBook Pro without a user: sentinels are absent', () => {
    expect(mac.device).toEqual({
      _key: MAC_ID,
      _type: 'laptop',
      _class: ['Device', 'Host'],
      id: MAC_ID,
      name: '[REDACTED]',
      displayName: '[REDACTED]',
      category: 'endpoint',
      make: 'Apple',
      model: 'MacBook Pro',
      serial: '[REDACTED]',
      // azureADDeviceId is the all-zero GUID: not registered in Entra ID.
      deviceId: null,
      hostname: null,
      platform: 'darwin',
      osName: 'macOS',
      osVersion: '11.2.1 (20D74)',
      osDetails: 'macOS 11.2.1 (20D74)',
      deviceType: 'macMDM',
      chassisType: 'unknown',
      processorArchitecture: 'unknown',
      deviceKindRule: 7,
      physical: true,
      totalStorageSpaceInBytes: 999653638144,
      freeStorageSpaceInBytes: 818191269888,
      encrypted: true,
      supervised: true,
      // jailBroken "Unknown": absent.
      complianceState: 'unknown',
      // complianceGracePeriodExpirationDateTime 0001-01-01T00:00:00Z: absent.
      partnerReportedThreatState: 'unknown',
      managementState: 'retireIssued',
      managementAgent: 'mdm',
      deviceEnrollmentType: 'appleBulkWithoutUser',
      deviceRegistrationState: 'registered',
      ownerType: 'company',
      BYOD: false,
      enrolledOn: Date.parse('2021-02-17T16:38:03Z'),
      lastSeenOn: Date.parse('2021-02-18T16:26:58Z'),
      azureADRegistered: false,
      joinType: 'unknown',
      // userId "", usersLoggedOn [], emailAddress "", userPrincipalName "".
      loggedOnUserIds: [],
    });
  });

  test('host agents and MANAGES relationships', () => {
    expect(iphone.hostAgent).toEqual({
      _key: `intune_host_agent:${IPHONE_ID}`,
      _type: 'intune_host_agent',
      _class: ['HostAgent'],
      name: 'Intune agent on [REDACTED]',
      displayName: 'Intune agent on [REDACTED]',
      function: ['endpoint-compliance', 'endpoint-configuration'],
      managedDeviceId: IPHONE_ID,
      managementAgent: 'mdm',
      managementState: 'managed',
      complianceState: 'noncompliant',
      compliant: false,
      enrolledOn: Date.parse('2021-02-17T16:24:45Z'),
      lastSeenOn: Date.parse('2021-03-10T00:24:15Z'),
    });
    expect(mac.hostAgent).toEqual({
      _key: `intune_host_agent:${MAC_ID}`,
      _type: 'intune_host_agent',
      _class: ['HostAgent'],
      name: 'Intune agent on [REDACTED]',
      displayName: 'Intune agent on [REDACTED]',
      function: ['endpoint-compliance', 'endpoint-configuration'],
      managedDeviceId: MAC_ID,
      managementAgent: 'mdm',
      managementState: 'retireIssued',
      complianceState: 'unknown',
      enrolledOn: Date.parse('2021-02-17T16:38:03Z'),
      lastSeenOn: Date.parse('2021-02-18T16:26:58Z'),
    });
    expect(iphone.manages).toEqual({
      _key: relationshipKey(
        `intune_host_agent:${IPHONE_ID}|manages|${IPHONE_ID}`,
      ),
      _type: 'intune_host_agent_manages_smartphone',
      _class: 'MANAGES',
      _fromEntityKey: `intune_host_agent:${IPHONE_ID}`,
      _toEntityKey: IPHONE_ID,
      displayName: 'MANAGES',
    });
    expect(mac.manages._type).toBe('intune_host_agent_manages_laptop');
  });

  test('entities pass the data-model schemas (Device, Host, HostAgent)', () => {
    for (const converted of [iphone, mac]) {
      expect(converted.device).toMatchGraphObjectSchema({
        _class: ['Device', 'Host'],
        _type: converted.device._type,
      });
      expect(converted.hostAgent).toMatchGraphObjectSchema({
        _class: ['HostAgent'],
      });
      expect(converted.manages).toMatchDirectRelationshipSchema({
        _class: RelationshipClass.MANAGES,
      });
    }
  });

  test('every property the converter reads is in the $select list', () => {
    const read = new Set<string>();
    const spy = new Proxy(recordedDevices()[0], {
      get(target, property) {
        if (typeof property === 'string') read.add(property);
        return target[property as keyof ManagedDevice];
      },
    });
    convertManagedDevice(spy);
    const notSelected = Array.from(read).filter(
      (p) => !(MANAGED_DEVICE_SELECT as string[]).includes(p),
    );
    expect(notSelected).toEqual([]);
  });
});

describe('sentinels and normalisation', () => {
  test('a device made only of sentinels has only the required properties', () => {
    const entity = toDeviceEntity({
      id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      deviceName: '',
      managedDeviceName: '',
      userId: '00000000-0000-0000-0000-000000000000',
      userPrincipalName: ' ',
      emailAddress: '',
      usersLoggedOn: [
        { userId: '', lastLogOnDateTime: '0001-01-01T00:00:00Z' },
        { userId: '00000000-0000-0000-0000-000000000000' },
        null as never,
      ],
      deviceType: '',
      operatingSystem: 'Unknown',
      osVersion: '',
      model: '',
      manufacturer: '',
      serialNumber: '',
      imei: '',
      wiFiMacAddress: '000000000000',
      isEncrypted: null,
      jailBroken: 'Unknown',
      azureADDeviceId: '00000000-0000-0000-0000-000000000000',
      deviceCategoryDisplayName: 'Unknown',
      totalStorageSpaceInBytes: 0,
      enrolledDateTime: '0001-01-01T00:00:00Z',
      lastSyncDateTime: '0001-01-01T00:00:00Z',
      complianceGracePeriodExpirationDateTime: '0001-01-01T00:00:00Z',
    });
    expect(entity).toEqual({
      _key: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      _type: 'user_endpoint',
      _class: ['Device', 'Host'],
      id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      name: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      displayName: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      category: 'endpoint',
      make: null,
      model: null,
      serial: null,
      deviceId: null,
      hostname: null,
      platform: 'other',
      deviceKindRule: 11,
      loggedOnUserIds: [],
    });
    expect(entity).toMatchGraphObjectSchema({ _class: ['Device', 'Host'] });
  });

  test('names fall back from deviceName to managedDeviceName, serial, id', () => {
    const id = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    expect(toDeviceEntity({ id, deviceName: 'DESKTOP-4F2A9C1' }).name).toBe(
      'DESKTOP-4F2A9C1',
    );
    expect(
      toDeviceEntity({ id, managedDeviceName: 'alice_Windows_5/1/2024' }).name,
    ).toBe('alice_Windows_5/1/2024');
    expect(toDeviceEntity({ id, serialNumber: 'PF3XK2Q1' }).name).toBe(
      'PF3XK2Q1',
    );
  });

  test('usersLoggedOn: distinct users in order', () => {
    const a = '11111111-1111-4111-8111-111111111111';
    const b = '22222222-2222-4222-8222-222222222222';
    const entity = toDeviceEntity({
      id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      userId: a.toUpperCase(),
      usersLoggedOn: [
        { userId: b },
        { userId: a },
        { userId: b.toUpperCase() },
      ],
    });
    expect(entity.userId).toBe(a);
    expect(entity.loggedOnUserIds).toEqual([b, a]);
  });

  test('virtual machines are not physical; devices without a model are unknown', () => {
    const id = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const vm = toDeviceEntity({
      id,
      operatingSystem: 'Windows',
      model: 'Virtual Machine',
    });
    expect(vm).toMatchObject({
      _type: 'workstation',
      physical: false,
      deviceKindRule: 4,
    });
    const server = toDeviceEntity({
      id,
      operatingSystem: 'Windows Server',
      model: 'Virtual Machine',
    });
    expect(server).toMatchObject({
      _type: 'server',
      category: 'server',
      physical: false,
    });
    expect(
      toDeviceEntity({ id, operatingSystem: 'Windows' }),
    ).not.toHaveProperty('physical');
  });

  test('normaliseMacAddress', () => {
    expect(normaliseMacAddress('A1B2C3D4E5F6')).toBe('a1:b2:c3:d4:e5:f6');
    expect(normaliseMacAddress('a1b2c3d4e5f6')).toBe('a1:b2:c3:d4:e5:f6');
    expect(normaliseMacAddress('A1-B2-C3-D4-E5-F6')).toBe('a1:b2:c3:d4:e5:f6');
    expect(normaliseMacAddress('a1:b2:c3:d4:e5:f6')).toBe('a1:b2:c3:d4:e5:f6');
    expect(normaliseMacAddress('a1b2.c3d4.e5f6')).toBe('a1:b2:c3:d4:e5:f6');
    for (const bad of [
      '',
      null,
      undefined,
      '000000000000',
      '[REDACTED]',
      'a1b2c3d4e5',
      'g1b2c3d4e5f6',
    ]) {
      expect(normaliseMacAddress(bad)).toBeUndefined();
    }
  });

  test('parseJailBroken, hostnameOf', () => {
    expect(parseJailBroken('True')).toBe(true);
    expect(parseJailBroken('False')).toBe(false);
    expect(parseJailBroken('Unknown')).toBeUndefined();
    expect(parseJailBroken(null)).toBeUndefined();
    expect(hostnameOf('DESKTOP-4F2A9C1')).toBe('DESKTOP-4F2A9C1');
    expect(hostnameOf('srv-app-001.corp.contoso.com')).toBe(
      'srv-app-001.corp.contoso.com',
    );
    expect(hostnameOf('Alice\u2019s MacBook Pro')).toBeNull();
    expect(hostnameOf("Bob's Galaxy")).toBeNull();
    expect(hostnameOf(undefined)).toBeNull();
  });

  test.each([
    ['Windows', 'windowsRT', 'windows'],
    ['Windows Server', 'windowsRT', 'windows'],
    ['macOS', 'macMDM', 'darwin'],
    ['Mac OS X', '', 'darwin'],
    ['iOS', 'iPhone', 'ios'],
    ['iPadOS', 'iPad', 'ios'],
    ['Android', 'androidForWork', 'android'],
    ['AndroidEnterprise', 'unknown', 'android'],
    ['Linux', 'linux', 'linux'],
    ['ChromeOS', 'chromeOS', 'other'],
    ['Unknown', 'unknown', 'other'],
    ['Other', 'iSocConsumer', 'other'],
    ['', 'winEmbedded', 'embedded'],
    ['', 'holoLens', 'windows'],
    ['', 'macMDM', 'darwin'],
    ['', 'iPod', 'ios'],
    ['', 'androidnGMS', 'android'],
    ['', 'unix', 'unix'],
    [null, null, 'other'],
  ])('platformOf(%p, %p) = %p', (os, type, platform) => {
    expect(platformOf(os, type)).toBe(platform);
  });
});

describe('user and device relationships', () => {
  const user = '11111111-1111-4111-8111-111111111111';
  const laptop = toDeviceEntity({
    id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    operatingSystem: 'macOS',
    deviceType: 'macMDM',
    model: 'MacBook Air',
  });

  test('direct when the user is in the graph', () => {
    expect(
      userDeviceRelationship(RelationshipClass.HAS, user, laptop, true),
    ).toEqual({
      _key: relationshipKey(`${user}|has|${laptop._key}`),
      _type: 'azure_user_has_laptop',
      _class: 'HAS',
      _fromEntityKey: user,
      _toEntityKey: laptop._key,
      displayName: 'HAS',
    });
    expect(
      userDeviceRelationship(RelationshipClass.USES, user, laptop, true),
    ).toMatchObject({
      _key: relationshipKey(`${user}|uses|${laptop._key}`),
      _type: 'azure_user_uses_laptop',
    });
  });

  test('mapped to the azure_user by _key when it is not', () => {
    expect(
      userDeviceRelationship(RelationshipClass.HAS, user, laptop, false),
    ).toEqual({
      _key: relationshipKey(`${user}|has|${laptop._key}`),
      _type: 'azure_user_has_laptop',
      _class: 'HAS',
      displayName: 'HAS',
      _mapping: {
        relationshipDirection: RelationshipDirection.REVERSE,
        sourceEntityKey: laptop._key,
        targetEntity: { _type: 'azure_user', _key: user, _class: ['User'] },
        targetFilterKeys: [['_type', '_key']],
      },
    });
    expect(
      userDeviceRelationship(RelationshipClass.USES, user, laptop, false),
    ).toMatchObject({
      _key: relationshipKey(`${user}|uses|${laptop._key}`),
      _type: 'azure_user_uses_laptop',
    });
  });
});

describe('build-user-device-relationships (mock job state)', () => {
  const instanceConfig: IntegrationConfig = {
    clientId: '11111111-2222-4333-8444-555555555555',
    clientSecret: 'not-a-secret',
    tenant: 'contoso.onmicrosoft.com',
  };
  const collected = '11111111-1111-4111-8111-111111111111';
  const absent = '22222222-2222-4222-8222-222222222222';
  const userEntity: Entity = {
    _key: collected,
    _type: Entities.USER._type,
    _class: Entities.USER._class,
  };
  const phone = toDeviceEntity({
    id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    deviceType: 'iPhone',
    userId: collected,
    usersLoggedOn: [
      { userId: collected },
      { userId: absent },
      { userId: absent },
    ],
  });
  const server = toDeviceEntity({
    id: 'bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    operatingSystem: 'Windows Server',
    userId: absent,
  });
  const nobody = toDeviceEntity({ id: 'cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee' });

  test('direct for collected users, mapped for the others, nothing for devices without users', async () => {
    const context = createMockStepExecutionContext<IntegrationConfig>({
      instanceConfig,
      entities: [userEntity, phone, server, nobody],
    });
    await context.jobState.setData(DEVICES_COMPLETE, true);
    await buildUserDeviceRelationships(context);
    const summary = context.jobState.collectedRelationships.map((r) => [
      r._key,
      r._type,
      r._mapping ? 'mapped' : 'direct',
    ]);
    // Devices are read kind by kind, in DEVICE_KINDS order (server before smartphone).
    expect(summary).toEqual([
      [
        relationshipKey(`${absent}|has|${server._key}`),
        'azure_user_has_server',
        'mapped',
      ],
      [
        relationshipKey(`${collected}|has|${phone._key}`),
        'azure_user_has_smartphone',
        'direct',
      ],
      [
        relationshipKey(`${collected}|uses|${phone._key}`),
        'azure_user_uses_smartphone',
        'direct',
      ],
      [
        relationshipKey(`${absent}|uses|${phone._key}`),
        'azure_user_uses_smartphone',
        'mapped',
      ],
    ]);
  });

  test('fails, and keeps the previous relationships, when the devices were not all read', async () => {
    const context = createMockStepExecutionContext<IntegrationConfig>({
      instanceConfig,
      entities: [userEntity, phone],
    });
    await expect(buildUserDeviceRelationships(context)).rejects.toThrow(
      'Build User and Device Relationships did not run: Fetch Intune Managed Devices did not read every managed device in this execution. The previous user and device relationships are kept.',
    );
    expect(context.jobState.collectedRelationships).toEqual([]);
  });

  test('step metadata', () => {
    const [fetch, build] = intuneDevicesSteps;
    expect(fetch).toMatchObject({
      id: 'fetch-devices',
      name: 'Fetch Intune Managed Devices',
      ingestionSourceId: 'intune-devices',
    });
    expect(fetch.dependsOn).toBeUndefined();
    expect(fetch.entities.map((e) => e._type)).toEqual([
      ...Object.values(DeviceEntities).map((e) => e._type),
      'intune_host_agent',
    ]);
    expect(fetch.relationships.map((r) => r._type)).toEqual([
      'intune_host_agent_manages_user_endpoint',
      'intune_host_agent_manages_workstation',
      'intune_host_agent_manages_laptop',
      'intune_host_agent_manages_desktop',
      'intune_host_agent_manages_computer',
      'intune_host_agent_manages_server',
      'intune_host_agent_manages_smartphone',
    ]);
    expect(build).toMatchObject({
      id: 'build-user-device-relationships',
      ingestionSourceId: 'intune-devices',
      dependencyGraphId: 'cross-module-relationships',
      entities: [],
    });
    expect(build.dependsOn).toBeUndefined();
    expect(build.relationships).toHaveLength(14);
    expect(
      build.mappedRelationships?.map((r) => [r._type, r.direction]),
    ).toEqual(
      ['has', 'uses'].flatMap((verb) =>
        [
          'user_endpoint',
          'workstation',
          'laptop',
          'desktop',
          'computer',
          'server',
          'smartphone',
        ].map((kind) => [`azure_user_${verb}_${kind}`, 'REVERSE']),
      ),
    );
  });
});
