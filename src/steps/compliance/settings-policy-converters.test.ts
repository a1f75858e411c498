/**
 * issue 15: settingsCatalog / endpointSecurity. The pure conversions of
 * configurationPolicies and their report rows.
 */
import {
  addFailedSettings,
  failedSettingProperties,
  platformOfSettingsPolicy,
  settingsPolicyFamilyOf,
  statusOfCode,
  summarizeSettingsPolicy,
  toPolicyDeviceStatus,
} from './settings-policy-converters';
import { deviceIdOfStatus } from './statuses';

describe('settings policy conversions', () => {
  test('the family follows templateReference.templateFamily', () => {
    expect(
      settingsPolicyFamilyOf({
        id: 'p',
        templateReference: { templateFamily: 'endpointSecurityFirewall' },
      }),
    ).toBe('endpointSecurity');
    expect(
      settingsPolicyFamilyOf({
        id: 'p',
        templateReference: { templateFamily: 'none', templateId: '' },
      }),
    ).toBe('settingsCatalog');
    expect(settingsPolicyFamilyOf({ id: 'p', templateReference: null })).toBe(
      'settingsCatalog',
    );
  });

  test('the platform is the one family all flags name', () => {
    expect(platformOfSettingsPolicy('windows10')).toBe('windows');
    expect(platformOfSettingsPolicy('windows10,windows10X')).toBe('windows');
    expect(platformOfSettingsPolicy('iOS')).toBe('ios');
    expect(platformOfSettingsPolicy('macOS,iOS')).toBe('unknown');
    expect(platformOfSettingsPolicy('none')).toBe('unknown');
    expect(platformOfSettingsPolicy(null)).toBe('unknown');
    expect(platformOfSettingsPolicy('visionOS')).toBe('unknown');
  });

  test('a summary names the policy, its kind and family', () => {
    expect(
      summarizeSettingsPolicy({
        id: 'p1',
        name: ' BitLocker ',
        platforms: 'windows10',
        templateReference: {
          templateFamily: 'endpointSecurityDiskEncryption',
        },
      }),
    ).toEqual({
      source: 'settingsPolicy',
      id: 'p1',
      key: 'p1',
      _type: 'intune_device_configuration',
      name: 'BitLocker',
      kind: 'endpointSecurityDiskEncryption',
      platform: 'windows',
      family: 'endpointSecurity',
    });
  });

  test('PolicyStatus codes read by the complianceStatus enum; names pass; other codes stay visible', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(statusOfCode)).toEqual([
      'unknown',
      'notApplicable',
      'compliant',
      'remediated',
      'nonCompliant',
      'error',
      'conflict',
      'notAssigned',
    ]);
    expect(statusOfCode('error')).toBe('error');
    expect(statusOfCode(9)).toBe('code 9');
    expect(statusOfCode(null)).toBeUndefined();
  });

  test('a device row becomes a status whose id ends with the device id', () => {
    const status = toPolicyDeviceStatus('p1', {
      IntuneDeviceId: 'D1',
      UPN: 'a@x.com',
      DeviceName: 'LAPTOP-1',
      PolicyStatus: 4,
      PspdpuLastModifiedTimeUtc: '2026-01-02T03:04:05Z',
    });
    expect(deviceIdOfStatus(status.id)).toBe('D1');
    expect(status).toMatchObject({
      status: 'nonCompliant',
      userPrincipalName: 'a@x.com',
      deviceDisplayName: 'LAPTOP-1',
      lastReportedDateTime: '2026-01-02T03:04:05Z',
    });
  });

  test('failed settings: names, else ids; per device case-insensitively; unique and sorted whatever the row order', () => {
    const rows = [
      { DeviceId: 'D1', SettingId: 's2', SettingName: 'Zeta' },
      { DeviceId: 'd1', SettingId: 's1', SettingName: null },
      { DeviceId: 'D1', SettingId: 's2', SettingName: 'Zeta' },
      { DeviceId: 'D2', SettingId: 's3', SettingName: 'Alpha' },
      { DeviceId: null, SettingId: 's4', SettingName: 'Lost' },
    ];
    const forward = new Map<string, Set<string>>();
    addFailedSettings(forward, rows);
    const backward = new Map<string, Set<string>>();
    addFailedSettings(backward, [...rows].reverse());
    expect(failedSettingProperties(forward.get('d1'))).toEqual({
      failedSettings: ['Zeta', 's1'],
      failedSettingCount: 2,
    });
    expect(failedSettingProperties(backward.get('d1'))).toEqual(
      failedSettingProperties(forward.get('d1')),
    );
    expect(failedSettingProperties(undefined)).toEqual({
      failedSettingCount: 0,
    });
  });
});
