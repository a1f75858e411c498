import { costOf } from './services';

describe('costOf', () => {
  test('directory requests cost resource units (graph-api.md §6)', () => {
    expect(costOf('/users')).toEqual({ service: 'directory', units: 2 });
    expect(costOf('/users', '$select=id,displayName&$top=999')).toEqual({
      service: 'directory',
      units: 1,
    });
    expect(costOf('/groups/abc/members')).toEqual({
      service: 'directory',
      units: 3,
    });
    expect(costOf('/groups/abc/members', '%24select=id')).toEqual({
      service: 'directory',
      units: 2,
    });
    expect(costOf('/groups/abc/transitiveMembers')).toEqual({
      service: 'directory',
      units: 5,
    });
    expect(costOf('/groups', '$top=5')).toEqual({
      service: 'directory',
      units: 1,
    });
  });

  test('Intune requests count one each against their service', () => {
    expect(costOf('/deviceManagement/managedDevices').service).toBe(
      'intuneDevices',
    );
    expect(
      costOf('/deviceManagement/detectedApps/x/managedDevices').service,
    ).toBe('intuneDevices');
    expect(
      costOf('/deviceManagement/deviceCompliancePolicies/x/deviceStatuses')
        .service,
    ).toBe('intuneConfiguration');
    expect(costOf('/deviceManagement').service).toBe('intuneConfiguration');
    expect(costOf('/deviceAppManagement/mobileApps').service).toBe(
      'intuneApps',
    );
    expect(
      costOf('/deviceManagement/reports/getDeviceInstallStatusReport').service,
    ).toBe('intuneApps');
    // issue 15: the policy families' reports, with the policy lists
    for (const action of [
      'getConfigurationPolicyDevicesReport',
      'getConfigurationPolicyDeviceSummaryReport',
      'getDeviceStatusByCompliacePolicyReport',
      'getDeviceStatusSummaryByCompliacePolicyReport',
    ])
      expect(costOf(`/deviceManagement/reports/${action}`).service).toBe(
        'intuneConfiguration',
      );
  });

  test('identity reports and Conditional Access draw on their own budgets (issue 16)', () => {
    expect(
      costOf('/reports/authenticationMethods/userRegistrationDetails'),
    ).toEqual({
      service: 'identityReports',
      units: 1,
    });
    expect(costOf('/identity/conditionalAccess/policies')).toEqual({
      service: 'conditionalAccess',
      units: 1,
    });
    expect(costOf('/identity/conditionalAccess/namedLocations').service).toBe(
      'conditionalAccess',
    );
    // Role management and tenant policies are identity (directory) requests.
    expect(
      costOf(
        '/roleManagement/directory/roleAssignments',
        '$expand=principal($select=id)',
      ),
    ).toEqual({ service: 'directory', units: 2 });
    expect(costOf('/policies/authorizationPolicy')).toEqual({
      service: 'directory',
      units: 1,
    });
  });
});
