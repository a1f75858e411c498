/**
 * The Conditional Access and tenant-policy converters on real captures
 * (test/fixtures/graph-recordings/entra, graph-azure, MPL-2.0) and on the
 * docs' shapes.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  toConditionalAccessPolicyEntity,
  toNamedLocationEntity,
  usersExcludedFromEveryEnabledPolicy,
} from './converters';
import { toRegistrationProperties } from './registration';
import { tenantPolicyProperties, userConsentOf } from './tenant-policies';

const ENTRA = join(__dirname, '../../../test/fixtures/graph-recordings/entra');

function captured(file: string, urlPart: string): any[] {
  const har = JSON.parse(readFileSync(join(ENTRA, file), 'utf8'));
  const entry = har.log.entries.find((e: any) =>
    e.request.url.includes(urlPart),
  );
  return JSON.parse(entry.response.content.text).value;
}

describe('Conditional Access policies (captured)', () => {
  const policies = captured(
    'ad-conditional-access-policy.har',
    'conditionalAccess/policies',
  );

  test('state, targets as properties, grant and session controls', () => {
    const [legacy, sessionOnly, asset] = policies.map(
      toConditionalAccessPolicyEntity,
    );
    expect({
      key: legacy._key,
      name: legacy.name,
      state: legacy.state,
      enabled: legacy.enabled,
      reportOnly: legacy.reportOnly,
      templateId: legacy.templateId,
      includesAllUsers: legacy.includesAllUsers,
      excludeUsers: legacy.excludeUsers,
      clientAppTypes: legacy.clientAppTypes,
      blocksAccess: legacy.blocksAccess,
      requiresMfa: legacy.requiresMfa,
      grantOperator: legacy.grantOperator,
    }).toEqual({
      key: 'e1e5bcfc-1adf-407d-904b-5d807b742975',
      name: 'Block legacy authentication',
      state: 'enabledForReportingButNotEnforced',
      enabled: false,
      reportOnly: true,
      templateId: '0b2282f9-2862-4178-88b5-d79340b36cb8',
      includesAllUsers: true,
      excludeUsers: ['4f0dbdc3-d93a-4b10-b76e-4355e86deaf3'],
      clientAppTypes: ['exchangeActiveSync', 'other'],
      blocksAccess: true,
      requiresMfa: false,
      grantOperator: 'OR',
    });
    expect({
      grantControls: sessionOnly.grantControls,
      signInFrequencyValue: sessionOnly.signInFrequencyValue,
      signInFrequencyType: sessionOnly.signInFrequencyType,
      includeLocations: sessionOnly.includeLocations,
    }).toEqual({
      grantControls: undefined,
      signInFrequencyValue: 200,
      signInFrequencyType: 'days',
      includeLocations: ['1c21307d-eac8-48d9-b87e-c335baba2ac6'],
    });
    expect({
      requiresMfa: asset.requiresMfa,
      requiresCompliantDevice: asset.requiresCompliantDevice,
      includesGuestsOrExternalUsers: asset.includesGuestsOrExternalUsers,
      includeGuestOrExternalUserTypes: asset.includeGuestOrExternalUserTypes,
      excludePlatforms: asset.excludePlatforms,
      cloudAppSecurityType: asset.cloudAppSecurityType,
      updatedOn: asset.updatedOn,
    }).toEqual({
      requiresMfa: true,
      requiresCompliantDevice: true,
      includesGuestsOrExternalUsers: true,
      includeGuestOrExternalUserTypes: ['b2bCollaborationGuest'],
      excludePlatforms: ['android', 'iOS', 'macOS', 'linux'],
      cloudAppSecurityType: 'mcasConfigured',
      updatedOn: Date.parse('2024-06-26T16:44:56.0550013Z'),
    });
  });

  test('who every enabled policy that applies to users excludes', () => {
    const entity = (
      enabled: boolean,
      include: string[],
      exclude: string[],
    ) => ({
      enabled,
      includeUsers: include,
      excludeUsers: exclude,
    });
    const a = '11111111-1111-4111-8111-111111111111';
    const b = '22222222-2222-4222-8222-222222222222';
    expect(
      Array.from(
        usersExcludedFromEveryEnabledPolicy([
          entity(true, ['All'], [a, b]),
          entity(true, ['All'], [a, 'GuestsOrExternalUsers']),
          entity(false, ['All'], []),
          // a workload-identity policy applies to no user: it does not count
          entity(true, ['None'], []),
        ]),
      ),
    ).toEqual([a]);
    expect(
      usersExcludedFromEveryEnabledPolicy([entity(false, ['All'], [a])]).size,
    ).toBe(0);
  });
});

describe('named locations', () => {
  test('a captured country location', () => {
    const [country] = captured(
      'ad-conditional-access-named-location.har',
      'namedLocations',
    ).map(toNamedLocationEntity);
    expect({
      locationType: country.locationType,
      countriesAndRegions: country.countriesAndRegions,
      CIDR: country.CIDR,
      public: country.public,
      internal: country.internal,
      ipRanges: country.ipRanges,
    }).toEqual({
      locationType: 'country',
      countriesAndRegions: ['US'],
      CIDR: null,
      public: true,
      internal: false,
      ipRanges: undefined,
    });
  });

  test('an IP location (docs shape): one IPv4 block is its CIDR, more are in ipRanges only', () => {
    const ip = (ranges: string[]) =>
      toNamedLocationEntity({
        '@odata.type': '#microsoft.graph.ipNamedLocation',
        id: '0854951d-5fc0-4eb1-b392-9b2c9d7949c2',
        displayName: 'HQ',
        isTrusted: true,
        ipRanges: ranges.map((cidrAddress) => ({ cidrAddress })),
      });
    expect([
      ip(['12.34.221.11/22']).CIDR,
      ip(['12.34.221.11/22']).internal,
    ]).toEqual(['12.34.221.11/22', true]);
    const two = ip(['12.34.221.11/22', '2001:0:9d38:90d6:0:0:0:0/63']);
    expect([two.CIDR, two.ipRanges]).toEqual([
      null,
      ['12.34.221.11/22', '2001:0:9d38:90d6:0:0:0:0/63'],
    ]);
  });
});

describe('registration details (docs example)', () => {
  test('the properties a user carries', () => {
    expect(
      toRegistrationProperties({
        id: '86462606-fde0-4fc4-9e0c-a20eb73e54c6',
        isAdmin: false,
        isSsprRegistered: false,
        isSsprEnabled: false,
        isSsprCapable: false,
        isMfaRegistered: true,
        isMfaCapable: true,
        isPasswordlessCapable: false,
        lastUpdatedDateTime: '2023-03-13T19:15:41.6195833Z',
        methodsRegistered: [
          'microsoftAuthenticatorPush',
          'softwareOneTimePasscode',
        ],
        isSystemPreferredAuthenticationMethodEnabled: true,
        systemPreferredAuthenticationMethods: ['push'],
        userPreferredMethodForSecondaryAuthentication: 'push',
        userType: 'member',
      }),
    ).toEqual({
      isMfaRegistered: true,
      isMfaCapable: true,
      isPasswordlessCapable: false,
      isSsprRegistered: false,
      isSsprCapable: false,
      isSsprEnabled: false,
      isAdmin: false,
      methodsRegistered: [
        'microsoftAuthenticatorPush',
        'softwareOneTimePasscode',
      ],
      defaultMfaMethod: 'push',
      isSystemPreferredAuthenticationMethodEnabled: true,
      systemPreferredAuthenticationMethods: ['push'],
      registrationDetailsUpdatedOn: Date.parse('2023-03-13T19:15:41.6195833Z'),
      mfaEnabled: true,
      mfaType: 'push',
    });
  });
});

describe('tenant policies', () => {
  test('user consent from the permission grant policies of the default user role', () => {
    expect(userConsentOf(undefined)).toBeUndefined();
    expect(userConsentOf([])).toBe('disabled');
    expect(
      userConsentOf([
        'ManagePermissionGrantsForOwnedResource.DeveloperConsent',
      ]),
    ).toBe('disabled');
    expect(
      userConsentOf([
        'ManagePermissionGrantsForSelf.microsoft-user-default-legacy',
      ]),
    ).toBe('allowed');
    expect(
      userConsentOf([
        'ManagePermissionGrantsForSelf.microsoft-user-default-low',
      ]),
    ).toBe('limited');
    expect(
      userConsentOf(['ManagePermissionGrantsForSelf.just-user-read']),
    ).toBe('custom');
  });

  test('the captured security defaults and the docs example authorization policy', () => {
    const securityDefaults = JSON.parse(
      JSON.parse(
        readFileSync(
          join(
            ENTRA,
            'fetchIdentitySecurityDefaultsEnforcementPolicy-with-permission.har',
          ),
          'utf8',
        ),
      ).log.entries.find((e: any) => e.request.url.includes('identitySecurity'))
        .response.content.text,
    );
    expect(
      tenantPolicyProperties({
        securityDefaults,
        authorization: {
          id: 'authorizationPolicy',
          allowInvitesFrom: 'everyone',
          allowedToSignUpEmailBasedSubscriptions: true,
          allowedToUseSSPR: true,
          allowEmailVerifiedUsersToJoinOrganization: true,
          allowUserConsentForRiskyApps: false,
          blockMsolPowerShell: null,
          defaultUserRolePermissions: {
            allowedToCreateApps: true,
            allowedToCreateSecurityGroups: true,
            allowedToReadOtherUsers: true,
            permissionGrantPoliciesAssigned: ['just-user-read'],
          },
        },
      }),
    ).toEqual({
      securityDefaultsEnabled: true,
      allowInvitesFrom: 'everyone',
      allowedToSignUpEmailBasedSubscriptions: true,
      allowedToUseSspr: true,
      allowEmailVerifiedUsersToJoinOrganization: true,
      allowUserConsentForRiskyApps: false,
      userConsent: 'disabled',
      userConsentPolicies: ['just-user-read'],
      usersCanCreateApps: true,
      usersCanCreateSecurityGroups: true,
      usersCanReadOtherUsers: true,
    });
  });
});
