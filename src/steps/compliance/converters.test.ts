import { readFileSync } from 'fs';
import { join } from 'path';
import { StepEntityMetadata } from '@jupiterone/integration-sdk-core';
import type { ToMatchGraphObjectSchemaParams } from '@jupiterone/integration-sdk-testing';
import { IntunePolicy, PolicyDeviceStatus } from '../../graph/compliance';
import { Entities } from '../constants';
import {
  findingKey,
  platformOfPolicyKind,
  policyKindOf,
  policyTierOf,
  severityOf,
  summarizePolicy,
  toAssignedRelationship,
  toDeviceHasFindingRelationship,
  toFindingEntity,
  toIdentifiedRelationship,
  toPolicyEntity,
} from './converters';
import { deviceIdOfStatus, statusOutcome } from './statuses';
import { securitySettingsOf } from './security-settings';
import { relationshipKey } from '../graph-objects';

/** The data-model schema of the entity's classes (`_class` must equal the metadata's). */
function schemaOf(
  metadata: StepEntityMetadata,
): ToMatchGraphObjectSchemaParams {
  return { _class: metadata._class, _type: metadata._type };
}

const RECORDINGS = join(__dirname, '../../../test/fixtures/graph-recordings');

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number; content: { text?: string } };
}

/** The `value` of the one GET in a recording whose URL ends with `urlSuffix`. */
function recordedValue<T>(recording: string, urlSuffix: string): T[] {
  const har = JSON.parse(readFileSync(join(RECORDINGS, recording), 'utf8'));
  const entries = (har.log.entries as HarEntry[]).filter(
    (e) => e.request.method === 'GET' && e.request.url.endsWith(urlSuffix),
  );
  expect(entries).toHaveLength(1);
  expect(entries[0].response.status).toBe(200);
  return JSON.parse(entries[0].response.content.text as string).value;
}

const COMPLIANCE_HAR = 'fetchCompliancePolicyAndFindings.har';
const CONFIGURATION_HAR = 'fetchDeviceConfigurationsAndFindings.har';

const IOS_POLICY_ID = '1aa3f0f3-d780-4349-885b-c86d273aa14e';
const WINDOWS_POLICY_ID = 'caccf747-61cc-422f-b860-c3f384998f23';
const IOS_CONFIGURATION_ID = '6aa605f0-744e-4ae1-8031-c6564624c89b';
const WINDOWS_CONFIGURATION_ID = 'c271a86c-a62a-4655-ac1e-a28f67fd3e18';
const IPHONE_ID = '683dbff1-c8ff-4996-91ae-85484de46cfc';
const MACBOOK_ID = '1f75329e-51fc-451c-bd40-c457337641a4';
const INTUNE_ACCOUNT_ID = '7b521133-f056-40a9-b639-b76afd67e4bb';

const compliancePolicies = () =>
  recordedValue<IntunePolicy>(COMPLIANCE_HAR, '/deviceCompliancePolicies');
const complianceStatuses = (policyId: string) =>
  recordedValue<PolicyDeviceStatus>(
    COMPLIANCE_HAR,
    `/deviceCompliancePolicies/${policyId}/deviceStatuses`,
  );
const deviceConfigurations = () =>
  recordedValue<IntunePolicy>(CONFIGURATION_HAR, '/deviceConfigurations');
const configurationStatuses = (configurationId: string) =>
  recordedValue<PolicyDeviceStatus>(
    CONFIGURATION_HAR,
    `/deviceConfigurations/${configurationId}/deviceStatuses`,
  );

function byId(policies: IntunePolicy[], id: string): IntunePolicy {
  const policy = policies.find((p) => p.id === id);
  expect(policy).toBeDefined();
  return policy as IntunePolicy;
}

describe('compliance policies (recorded)', () => {
  test('the iOS compliance policy converts with its security settings', () => {
    const entity = toPolicyEntity(
      'compliancePolicy',
      byId(compliancePolicies(), IOS_POLICY_ID),
      { assignedDevices: 1, findings: 1 },
    );
    expect(entity).toEqual({
      _key: IOS_POLICY_ID,
      _type: 'intune_compliance_policy',
      policyFamily: 'compliancePolicy',
      _class: ['Configuration', 'ControlPolicy'],
      _rawData: [],
      id: IOS_POLICY_ID,
      name: 'Test iOS policy',
      displayName: 'Test iOS policy',
      category: 'compliance',
      kind: 'iosCompliancePolicy',
      platform: 'ios',
      version: 2,
      createdOn: Date.parse('2021-02-17T18:30:00.379Z'),
      updatedOn: Date.parse('2021-02-17T18:51:15.371Z'),
      assignedDeviceCount: 1,
      openFindingCount: 1,
      // settings; the null ones (passcodeExpirationDays, osMinimumVersion...) are "not configured"
      passcodeBlockSimple: false,
      passcodeRequired: false,
      passcodeRequiredType: 'deviceDefault',
      securityBlockJailbrokenDevices: false,
      deviceThreatProtectionEnabled: false,
      deviceThreatProtectionRequiredSecurityLevel: 'unavailable',
    });
    expect(entity).toMatchGraphObjectSchema(
      schemaOf(Entities.COMPLIANCE_POLICY),
    );
  });

  test('the Windows 10 compliance policy converts with password, BitLocker, secure boot and OS settings', () => {
    const entity = toPolicyEntity(
      'compliancePolicy',
      byId(compliancePolicies(), WINDOWS_POLICY_ID),
      { assignedDevices: 0, findings: 0 },
    );
    expect(entity).toEqual({
      _key: WINDOWS_POLICY_ID,
      _type: 'intune_compliance_policy',
      policyFamily: 'compliancePolicy',
      _class: ['Configuration', 'ControlPolicy'],
      _rawData: [],
      id: WINDOWS_POLICY_ID,
      name: 'Test Windows 10 Compliance Policy',
      displayName: 'Test Windows 10 Compliance Policy',
      description: 'This is a test policy to work with the graph explorer',
      category: 'compliance',
      kind: 'windows10CompliancePolicy',
      platform: 'windows',
      version: 1,
      createdOn: Date.parse('2021-02-16T19:51:01.299Z'),
      updatedOn: Date.parse('2021-02-16T19:51:01.299Z'),
      assignedDeviceCount: 0,
      openFindingCount: 0,
      passwordRequired: true,
      passwordBlockSimple: false,
      passwordRequiredToUnlockFromIdle: false,
      passwordRequiredType: 'deviceDefault',
      requireHealthyDeviceReport: false,
      osMinimumVersion: '1',
      earlyLaunchAntiMalwareDriverEnabled: false,
      bitLockerEnabled: true,
      secureBootEnabled: false,
      codeIntegrityEnabled: false,
      storageRequireEncryption: true,
    });
    expect(entity).toMatchGraphObjectSchema(
      schemaOf(Entities.COMPLIANCE_POLICY),
    );
  });

  test('a nonCompliant status becomes a high finding, its relationships, and the device id from the status id', () => {
    const [status] = complianceStatuses(IOS_POLICY_ID);
    expect(status.id).toBe(
      `${INTUNE_ACCOUNT_ID}_${IOS_POLICY_ID}_${IPHONE_ID}`,
    );
    const deviceId = deviceIdOfStatus(status.id);
    expect(deviceId).toBe(IPHONE_ID);
    const policy = summarizePolicy(
      'compliancePolicy',
      byId(compliancePolicies(), IOS_POLICY_ID),
    );
    expect(statusOutcome(status.status)).toEqual({
      assigned: true,
      finding: true,
    });

    const finding = toFindingEntity(policy, status, IPHONE_ID);
    const key = `intune_noncompliance_finding:${IOS_POLICY_ID}:${IPHONE_ID}`;
    expect(finding).toEqual({
      _key: key,
      _type: 'intune_noncompliance_finding',
      _class: ['Finding'],
      _rawData: [],
      id: status.id,
      name: 'Test iOS policy: nonCompliant on [REDACTED]',
      displayName: 'Test iOS policy: nonCompliant on [REDACTED]',
      description:
        'Device [REDACTED] does not comply with compliance policy "Test iOS policy" (iosCompliancePolicy) (status nonCompliant).',
      category: 'endpoint',
      severity: 'high',
      numericSeverity: 7,
      open: true,
      status: 'nonCompliant',
      recommendation:
        'Open the device in Intune to see which settings fail, then bring the device in line with the policy (or retire it).',
      policySource: 'compliancePolicy',
      policyId: IOS_POLICY_ID,
      policyName: 'Test iOS policy',
      policyKind: 'iosCompliancePolicy',
      policyPlatform: 'ios',
      managedDeviceId: IPHONE_ID,
      deviceName: '[REDACTED]',
      userName: '[REDACTED]',
      userPrincipalName: '[REDACTED]',
      reportedOn: Date.parse('2021-03-08T16:23:55.363Z'),
      gracePeriodExpiresOn: Date.parse('2021-02-17T19:13:41.811Z'),
    });
    expect(finding).toMatchGraphObjectSchema(
      schemaOf(Entities.NONCOMPLIANCE_FINDING),
    );

    expect(toAssignedRelationship(policy, status, IPHONE_ID)).toEqual({
      _key: relationshipKey(
        `intune_host_agent:${IPHONE_ID}|assigned|${IOS_POLICY_ID}`,
      ),
      _type: 'intune_host_agent_assigned_compliance_policy',
      _class: 'ASSIGNED',
      _fromEntityKey: `intune_host_agent:${IPHONE_ID}`,
      _toEntityKey: IOS_POLICY_ID,
      displayName: 'ASSIGNED',
      status: 'nonCompliant',
      userName: '[REDACTED]',
      userPrincipalName: '[REDACTED]',
      compliant: false,
      lastReportedOn: Date.parse('2021-03-08T16:23:55.363Z'),
    });
    expect(toIdentifiedRelationship(policy, finding)).toEqual({
      _key: relationshipKey(`${IOS_POLICY_ID}|identified|${key}`),
      _type: 'intune_compliance_policy_identified_noncompliance_finding',
      _class: 'IDENTIFIED',
      _fromEntityKey: IOS_POLICY_ID,
      _toEntityKey: key,
      displayName: 'IDENTIFIED',
    });
    expect(
      toDeviceHasFindingRelationship('smartphone', IPHONE_ID, finding),
    ).toEqual({
      _key: relationshipKey(`${IPHONE_ID}|has|${key}`),
      _type: 'smartphone_has_intune_noncompliance_finding',
      _class: 'HAS',
      _fromEntityKey: IPHONE_ID,
      _toEntityKey: key,
      displayName: 'HAS',
    });
  });

  test('a notApplicable status is an assignment without a finding', () => {
    const [status] = complianceStatuses(WINDOWS_POLICY_ID);
    expect(status.status).toBe('notApplicable');
    expect(deviceIdOfStatus(status.id)).toBe(IPHONE_ID);
    expect(statusOutcome(status.status)).toEqual({
      assigned: true,
      finding: false,
    });
    const policy = summarizePolicy(
      'compliancePolicy',
      byId(compliancePolicies(), WINDOWS_POLICY_ID),
    );
    expect(toAssignedRelationship(policy, status, IPHONE_ID)).toEqual({
      _key: relationshipKey(
        `intune_host_agent:${IPHONE_ID}|assigned|${WINDOWS_POLICY_ID}`,
      ),
      _type: 'intune_host_agent_assigned_compliance_policy',
      _class: 'ASSIGNED',
      _fromEntityKey: `intune_host_agent:${IPHONE_ID}`,
      _toEntityKey: WINDOWS_POLICY_ID,
      displayName: 'ASSIGNED',
      status: 'notApplicable',
      userName: '[REDACTED]',
      userPrincipalName: '[REDACTED]',
      compliant: false,
      lastReportedOn: Date.parse('2021-03-08T16:23:55.363Z'),
    });
  });
});

describe('device configurations (recorded)', () => {
  test('the iOS custom configuration converts without its payload', () => {
    const configuration = byId(deviceConfigurations(), IOS_CONFIGURATION_ID);
    expect(configuration.payload).toBe('MTk3');
    const entity = toPolicyEntity('deviceConfiguration', configuration, {
      assignedDevices: 2,
      findings: 1,
    });
    expect(entity).toEqual({
      _key: IOS_CONFIGURATION_ID,
      _type: 'intune_device_configuration',
      policyFamily: 'deviceConfiguration',
      _class: ['Configuration', 'ControlPolicy'],
      _rawData: [],
      id: IOS_CONFIGURATION_ID,
      name: 'Test configuration policy',
      displayName: 'Test configuration policy',
      category: 'config',
      kind: 'iosCustomConfiguration',
      platform: 'ios',
      version: 1,
      createdOn: Date.parse('2021-02-17T18:31:21.322Z'),
      updatedOn: Date.parse('2021-02-17T18:31:21.322Z'),
      assignedDeviceCount: 2,
      openFindingCount: 1,
    });
    expect(entity).toMatchGraphObjectSchema(
      schemaOf(Entities.DEVICE_CONFIGURATION),
    );
  });

  test('the Windows 10 general configuration keeps its Defender, password, SmartScreen and encryption settings only', () => {
    const configuration = byId(
      deviceConfigurations(),
      WINDOWS_CONFIGURATION_ID,
    );
    expect(Object.keys(configuration)).toHaveLength(208);
    const entity = toPolicyEntity('deviceConfiguration', configuration, {
      assignedDevices: 0,
      findings: 0,
    });
    expect(entity).toEqual({
      _key: WINDOWS_CONFIGURATION_ID,
      _type: 'intune_device_configuration',
      policyFamily: 'deviceConfiguration',
      _class: ['Configuration', 'ControlPolicy'],
      _rawData: [],
      id: WINDOWS_CONFIGURATION_ID,
      name: 'Test Windows 10 Device Restrictions Configuration Profile',
      displayName: 'Test Windows 10 Device Restrictions Configuration Profile',
      description: 'Description',
      category: 'config',
      kind: 'windows10GeneralConfiguration',
      platform: 'windows',
      version: 2,
      createdOn: Date.parse('2021-02-25T20:56:29.153Z'),
      updatedOn: Date.parse('2021-02-25T20:56:29.546Z'),
      assignedDeviceCount: 0,
      openFindingCount: 0,
      defenderBlockEndUserAccess: false,
      defenderCloudBlockLevel: 'notConfigured',
      defenderMonitorFileActivity: 'userDefined',
      defenderPromptForSampleSubmission: 'userDefined',
      defenderRequireBehaviorMonitoring: false,
      defenderRequireCloudProtection: false,
      defenderRequireNetworkInspectionSystem: false,
      defenderRequireRealTimeMonitoring: false,
      defenderScanArchiveFiles: false,
      defenderScanDownloads: false,
      defenderScanIncomingMail: false,
      defenderScanMappedNetworkDrivesDuringFullScan: false,
      defenderScanNetworkFiles: false,
      defenderScanRemovableDrivesDuringFullScan: false,
      defenderScanScriptsLoadedInInternetExplorer: false,
      defenderScanType: 'userDefined',
      defenderSystemScanSchedule: 'userDefined',
      passwordBlockSimple: false,
      passwordRequireWhenResumeFromIdleState: false,
      passwordRequired: false,
      passwordRequiredType: 'deviceDefault',
      smartScreenBlockPromptOverride: false,
      smartScreenBlockPromptOverrideForFiles: false,
      smartScreenEnableAppInstallControl: false,
      storageRequireMobileDeviceEncryption: false,
    });
    expect(entity).toMatchGraphObjectSchema(
      schemaOf(Entities.DEVICE_CONFIGURATION),
    );
  });

  test('an error status becomes a low finding for a general configuration; device ids come from status ids', () => {
    const statuses = configurationStatuses(IOS_CONFIGURATION_ID);
    expect(statuses.map((s) => [s.status, deviceIdOfStatus(s.id)])).toEqual([
      ['error', IPHONE_ID],
      ['notApplicable', MACBOOK_ID],
    ]);
    const [status] = statuses;
    const policy = summarizePolicy(
      'deviceConfiguration',
      byId(deviceConfigurations(), IOS_CONFIGURATION_ID),
    );
    const finding = toFindingEntity(policy, status, IPHONE_ID);
    const key = `intune_noncompliance_finding:${IOS_CONFIGURATION_ID}:${IPHONE_ID}`;
    expect(finding).toEqual({
      _key: key,
      _type: 'intune_noncompliance_finding',
      _class: ['Finding'],
      _rawData: [],
      id: `${INTUNE_ACCOUNT_ID}_${IOS_CONFIGURATION_ID}_${IPHONE_ID}`,
      name: 'Test configuration policy: error on [REDACTED]',
      displayName: 'Test configuration policy: error on [REDACTED]',
      description:
        'Intune could not evaluate or apply device configuration "Test configuration policy" (iosCustomConfiguration) on device [REDACTED] (status error).',
      category: 'endpoint',
      severity: 'low',
      numericSeverity: 3,
      open: true,
      status: 'error',
      recommendation:
        'Intune could not evaluate or apply the policy on this device: check the per-setting status in Intune, then sync the device.',
      policySource: 'deviceConfiguration',
      policyId: IOS_CONFIGURATION_ID,
      policyName: 'Test configuration policy',
      policyKind: 'iosCustomConfiguration',
      policyPlatform: 'ios',
      managedDeviceId: IPHONE_ID,
      deviceName: '[REDACTED]',
      userName: '[REDACTED]',
      userPrincipalName: '[REDACTED]',
      reportedOn: Date.parse('2021-03-02T16:23:45.820Z'),
      gracePeriodExpiresOn: Date.parse('2021-02-17T19:13:41.811Z'),
    });
    expect(finding).toMatchGraphObjectSchema(
      schemaOf(Entities.NONCOMPLIANCE_FINDING),
    );
    expect(toAssignedRelationship(policy, status, IPHONE_ID)).toEqual({
      _key: relationshipKey(
        `intune_host_agent:${IPHONE_ID}|assigned|${IOS_CONFIGURATION_ID}`,
      ),
      _type: 'intune_host_agent_assigned_device_configuration',
      _class: 'ASSIGNED',
      _fromEntityKey: `intune_host_agent:${IPHONE_ID}`,
      _toEntityKey: IOS_CONFIGURATION_ID,
      displayName: 'ASSIGNED',
      status: 'error',
      userName: '[REDACTED]',
      userPrincipalName: '[REDACTED]',
      compliant: false,
      lastReportedOn: Date.parse('2021-03-02T16:23:45.820Z'),
    });
    expect(toIdentifiedRelationship(policy, finding)).toEqual({
      _key: relationshipKey(`${IOS_CONFIGURATION_ID}|identified|${key}`),
      _type: 'intune_device_configuration_identified_noncompliance_finding',
      _class: 'IDENTIFIED',
      _fromEntityKey: IOS_CONFIGURATION_ID,
      _toEntityKey: key,
      displayName: 'IDENTIFIED',
    });
  });

  test('the notApplicable status of the MacBook has the "not set" grace period and no finding', () => {
    const status = configurationStatuses(IOS_CONFIGURATION_ID)[1];
    expect(status.complianceGracePeriodExpirationDateTime).toBe(
      '0001-01-01T00:00:00Z',
    );
    expect(statusOutcome(status.status)).toEqual({
      assigned: true,
      finding: false,
    });
    const policy = summarizePolicy(
      'deviceConfiguration',
      byId(deviceConfigurations(), IOS_CONFIGURATION_ID),
    );
    expect(toAssignedRelationship(policy, status, MACBOOK_ID)).toEqual({
      _key: relationshipKey(
        `intune_host_agent:${MACBOOK_ID}|assigned|${IOS_CONFIGURATION_ID}`,
      ),
      _type: 'intune_host_agent_assigned_device_configuration',
      _class: 'ASSIGNED',
      _fromEntityKey: `intune_host_agent:${MACBOOK_ID}`,
      _toEntityKey: IOS_CONFIGURATION_ID,
      displayName: 'ASSIGNED',
      status: 'notApplicable',
      userName: '[REDACTED]',
      userPrincipalName: '[REDACTED]',
      compliant: false,
      lastReportedOn: Date.parse('2021-02-18T16:26:58.076Z'),
    });
  });

  test('a configuration without statuses records an empty collection', () => {
    expect(configurationStatuses(WINDOWS_CONFIGURATION_ID)).toEqual([]);
  });
});

describe('statuses', () => {
  test.each([
    ['compliant', true, false],
    ['notApplicable', true, false],
    ['unknown', true, false],
    ['remediated', true, false],
    ['nonCompliant', true, true],
    ['error', true, true],
    ['conflict', true, true],
    ['notAssigned', false, false],
    ['unknownFutureValue', true, false],
    [null, true, false],
  ])('%s: assigned %s, finding %s', (status, assigned, finding) => {
    expect(statusOutcome(status)).toEqual({ assigned, finding });
  });

  test('only compliant is compliant on the relationship', () => {
    const policy = summarizePolicy('compliancePolicy', {
      id: 'p1',
      '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
    });
    const of = (status: string) =>
      toAssignedRelationship(policy, { id: `a_p1_d1`, status }, 'd1').compliant;
    expect(of('compliant')).toBe(true);
    expect(of('remediated')).toBe(false);
    expect(of('notApplicable')).toBe(false);
  });

  test('the device id is the last "_" segment of the status id', () => {
    expect(deviceIdOfStatus('acct_policy_device')).toBe('device');
    expect(deviceIdOfStatus('device-only')).toBeUndefined();
    expect(deviceIdOfStatus('acct_policy_')).toBeUndefined();
    expect(deviceIdOfStatus(undefined)).toBeUndefined();
  });

  test('finding keys depend only on the policy id and the managed device id', () => {
    expect(findingKey('p', 'd')).toBe('intune_noncompliance_finding:p:d');
  });
});

describe('policy kinds', () => {
  test.each([
    [
      '#microsoft.graph.windows10CompliancePolicy',
      'windows10CompliancePolicy',
      'windows',
    ],
    [
      '#microsoft.graph.windows81CompliancePolicy',
      'windows81CompliancePolicy',
      'windows',
    ],
    [
      '#microsoft.graph.windowsPhone81CompliancePolicy',
      'windowsPhone81CompliancePolicy',
      'windowsPhone',
    ],
    ['#microsoft.graph.iosCompliancePolicy', 'iosCompliancePolicy', 'ios'],
    [
      '#microsoft.graph.macOSCompliancePolicy',
      'macOSCompliancePolicy',
      'macOS',
    ],
    [
      '#microsoft.graph.androidCompliancePolicy',
      'androidCompliancePolicy',
      'android',
    ],
    [
      '#microsoft.graph.androidWorkProfileCompliancePolicy',
      'androidWorkProfileCompliancePolicy',
      'android',
    ],
    [
      '#microsoft.graph.androidDeviceOwnerCompliancePolicy',
      'androidDeviceOwnerCompliancePolicy',
      'android',
    ],
    [
      '#microsoft.graph.aospDeviceOwnerCompliancePolicy',
      'aospDeviceOwnerCompliancePolicy',
      'android',
    ],
    [
      '#microsoft.graph.windows10EndpointProtectionConfiguration',
      'windows10EndpointProtectionConfiguration',
      'windows',
    ],
    [
      '#microsoft.graph.editionUpgradeConfiguration',
      'editionUpgradeConfiguration',
      'windows',
    ],
    [
      '#microsoft.graph.sharedPCConfiguration',
      'sharedPCConfiguration',
      'windows',
    ],
    [
      '#microsoft.graph.macOSGeneralDeviceConfiguration',
      'macOSGeneralDeviceConfiguration',
      'macOS',
    ],
    [
      '#microsoft.graph.appleDeviceFeaturesConfigurationBase',
      'appleDeviceFeaturesConfigurationBase',
      'unknown',
    ],
    [
      '#microsoft.graph.defaultDeviceCompliancePolicy',
      'defaultDeviceCompliancePolicy',
      'unknown',
    ],
  ])('%s is %s on %s', (odataType, kind, platform) => {
    expect(policyKindOf({ '@odata.type': odataType })).toBe(kind);
    expect(platformOfPolicyKind(kind)).toBe(platform);
  });

  test('a policy without @odata.type is of kind unknown', () => {
    expect(policyKindOf({})).toBe('unknown');
    expect(platformOfPolicyKind('unknown')).toBe('unknown');
  });
});

describe('severity (docs/compliance.md)', () => {
  test.each([
    ['compliancePolicy', 'iosCompliancePolicy', 'nonCompliant', 'high', 7],
    ['compliancePolicy', 'iosCompliancePolicy', 'error', 'medium', 5],
    ['compliancePolicy', 'windows10CompliancePolicy', 'conflict', 'medium', 5],
    [
      'deviceConfiguration',
      'windows10EndpointProtectionConfiguration',
      'nonCompliant',
      'high',
      7,
    ],
    [
      'deviceConfiguration',
      'windowsDefenderAdvancedThreatProtectionConfiguration',
      'error',
      'medium',
      5,
    ],
    [
      'deviceConfiguration',
      'windowsUpdateForBusinessConfiguration',
      'conflict',
      'medium',
      5,
    ],
    [
      'deviceConfiguration',
      'iosUpdateConfiguration',
      'nonCompliant',
      'high',
      7,
    ],
    [
      'deviceConfiguration',
      'windows10GeneralConfiguration',
      'nonCompliant',
      'medium',
      5,
    ],
    ['deviceConfiguration', 'iosCustomConfiguration', 'error', 'low', 3],
    ['deviceConfiguration', 'windowsWifiConfiguration', 'conflict', 'low', 3],
  ] as const)(
    '%s %s %s -> %s (%d)',
    (source, kind, status, severity, numericSeverity) => {
      expect(severityOf(source, kind, status)).toEqual({
        severity,
        numericSeverity,
      });
    },
  );

  test('every compliance policy kind is of the compliance tier', () => {
    expect(policyTierOf('compliancePolicy', 'windows10CompliancePolicy')).toBe(
      'compliance',
    );
    expect(policyTierOf('compliancePolicy', 'somethingNew')).toBe('compliance');
    expect(
      policyTierOf(
        'deviceConfiguration',
        'macOSEndpointProtectionConfiguration',
      ),
    ).toBe('protection');
    expect(
      policyTierOf(
        'deviceConfiguration',
        'androidWorkProfileGeneralDeviceConfiguration',
      ),
    ).toBe('general');
  });
});

describe('settings', () => {
  test('object settings are flattened one level, arrays, nulls, XML and long strings left out', () => {
    expect(
      securitySettingsOf({
        id: 'x',
        displayName: 'not a setting',
        firewallProfileDomain: {
          '@odata.type': 'microsoft.graph.windowsFirewallNetworkProfile',
          firewallEnabled: 'allowed',
          stealthModeBlocked: false,
          nested: { ignored: true },
        },
        defenderFileExtensionsToExclude: ['.tmp'],
        defenderExploitProtectionXml: 'PD94bWw=',
        passwordMinimumLength: 8,
        passwordExpirationDays: null,
        defenderScheduledScanTime: 'x'.repeat(257),
        payload: 'secret-ish',
        usbBlocked: true,
      }),
    ).toEqual({
      firewallProfileDomainFirewallEnabled: 'allowed',
      firewallProfileDomainStealthModeBlocked: false,
      passwordMinimumLength: 8,
    });
  });
});
