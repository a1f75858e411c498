import {
  decodeGrantedRoles,
  describeMissing,
  isGranted,
  Permissions,
  requirementForPath,
} from './permissions';

function jwt(claims: object): string {
  const part = (o: object) =>
    Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part(claims)}.signature`;
}

describe('decodeGrantedRoles', () => {
  test('reads the roles claim of an app-only token', () => {
    expect(
      decodeGrantedRoles(
        jwt({ idtyp: 'app', roles: ['User.Read.All', 'Group.Read.All'] }),
      ),
    ).toEqual(['User.Read.All', 'Group.Read.All']);
  });

  test('a token without roles has no application permission', () => {
    expect(decodeGrantedRoles(jwt({ idtyp: 'app' }))).toEqual([]);
  });

  test('an unreadable token tells nothing', () => {
    expect(decodeGrantedRoles('opaque-token')).toBeUndefined();
    expect(decodeGrantedRoles('a.%%%.c')).toBeUndefined();
  });
});

describe('requirements', () => {
  test('ReadWrite and broader permissions also satisfy a requirement', () => {
    expect(isGranted(Permissions.USERS, ['Directory.Read.All'])).toBe(true);
    expect(isGranted(Permissions.USERS, ['User.ReadWrite.All'])).toBe(true);
    expect(isGranted(Permissions.USERS, ['Group.Read.All'])).toBe(false);
  });

  test('each Graph path maps to the permission that reads it', () => {
    expect(requirementForPath('/groups/x/members')).toBe(Permissions.GROUPS);
    expect(requirementForPath('/deviceManagement/managedDevices')).toBe(
      Permissions.MANAGED_DEVICES,
    );
    expect(
      requirementForPath(
        '/deviceManagement/reports/getDeviceInstallStatusReport',
      ),
    ).toBe(Permissions.APPS);
    expect(
      requirementForPath(
        '/deviceManagement/deviceConfigurations/x/deviceStatuses',
      ),
    ).toBe(Permissions.CONFIGURATION);
    expect(requirementForPath('/deviceManagement')).toBe(
      Permissions.INTUNE_SERVICE_CONFIG,
    );
    // issue 15: settingsCatalog / endpointSecurity
    expect(requirementForPath('/deviceManagement/configurationPolicies')).toBe(
      Permissions.CONFIGURATION,
    );
    expect(
      requirementForPath(
        '/deviceManagement/reports/getConfigurationPolicyDevicesReport',
      ),
    ).toBe(Permissions.CONFIGURATION);
  });

  test('says what to grant to read what', () => {
    expect(describeMissing(Permissions.GROUPS)).toBe(
      'grant the Microsoft Graph application permission GroupMember.Read.All (or Group.Read.All, Directory.Read.All) to read groups and their members, then grant admin consent',
    );
  });
});
