/**
 * Conditional Access and the tenant-wide sign-in policies of a generated
 * tenant (issue 16), in the wire shapes of graph-recordings/entra
 * (ad-conditional-access-policy.har, ad-conditional-access-named-location.har,
 * fetchIdentitySecurityDefaultsEnforcementPolicy-with-permission.har) and of
 * the v1.0 docs examples where nothing was captured (ipNamedLocation,
 * authorizationPolicy, authenticationMethodsPolicy).
 *
 * Every enabled policy excludes the break-glass account (roles.ts), so the
 * question "who is excluded from every enabled policy" has an answer. With
 * anomalies, policies also name a user, a group and a service principal
 * deleted since /users, /groups and /servicePrincipals were read, a custom
 * role since deleted, and a deleted named location (objects deleted between
 * a list and a later read: identity-security.md §4.2, cartography #2624,
 * #2812).
 */
import { Directory, MemberType } from './directory';
import { GraphObject } from './model';
import { TenantProfile } from './profiles';
import { DAY_MS, guid, IdKind, isoSeconds, NOW_MS } from './random';
import { ROLE_IDS } from './role-templates';
import { breakGlassIndex, Roles } from './roles';

const R = ROLE_IDS;

/** The well-known id of the built-in "Phishing-resistant MFA" authentication strength. */
const PHISHING_RESISTANT = '00000000-0000-0000-0000-000000000004';
/** The template of "Block legacy authentication" (capture). */
const BLOCK_LEGACY_TEMPLATE = '0b2282f9-2862-4178-88b5-d79340b36cb8';

interface PolicyParts {
  displayName: string;
  state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';
  templateId?: string;
  users: Partial<
    Record<
      | 'includeUsers'
      | 'excludeUsers'
      | 'includeGroups'
      | 'excludeGroups'
      | 'includeRoles'
      | 'excludeRoles',
      string[]
    >
  > & { includeGuestsOrExternalUsers?: GraphObject | null };
  clientApplications?: GraphObject | null;
  locations?: { includeLocations: string[]; excludeLocations: string[] } | null;
  platforms?: GraphObject | null;
  clientAppTypes?: string[];
  builtInControls?: string[];
  authenticationStrength?: GraphObject | null;
  termsOfUse?: string[];
  sessionControls?: GraphObject | null;
}

export class ConditionalAccess {
  readonly namedLocations: GraphObject[];
  readonly policies: GraphObject[];
  /** A named location deleted since a policy named it (anomalies). */
  readonly deletedLocationId: string | undefined;
  readonly securityDefaults: GraphObject;
  readonly authorizationPolicy: GraphObject;
  readonly authenticationMethodsPolicy: GraphObject;

  constructor(
    private readonly profile: TenantProfile,
    private readonly directory: Directory,
    private readonly roles: Roles,
  ) {
    const anomalies = directory.ghostUserCount > 0;
    this.deletedLocationId = anomalies
      ? guid(profile.seed, IdKind.deletedObject, 1)
      : undefined;
    this.namedLocations = Array.from(
      { length: profile.identity.namedLocations },
      (_, i) => this.namedLocation(i),
    );
    this.policies = Array.from(
      { length: profile.identity.conditionalAccessPolicies },
      (_, i) => this.policy(i, this.parts(i)),
    );
    this.securityDefaults = {
      id: '00000000-0000-0000-0000-000000000005',
      displayName: 'Security Defaults',
      description:
        'Baseline identity protections Microsoft enforces for the whole tenant when enabled.',
      isEnabled: profile.identity.securityDefaults,
      // The 2024 captures' shape.
      controlTypes: [],
      securityDefaultsUpsell: null,
    };
    this.authorizationPolicy = {
      id: 'authorizationPolicy',
      allowInvitesFrom: 'adminsAndGuestInviters',
      allowedToSignUpEmailBasedSubscriptions: true,
      allowedToUseSSPR: true,
      allowEmailVerifiedUsersToJoinOrganization: false,
      allowUserConsentForRiskyApps: false,
      blockMsolPowerShell: true,
      displayName: 'Authorization Policy',
      description:
        'Used to manage authorization related settings across the company.',
      guestUserRoleId: R.guestUser,
      defaultUserRolePermissions: {
        allowedToCreateApps: profile.seed % 2 === 0,
        allowedToCreateSecurityGroups: true,
        allowedToCreateTenants: false,
        allowedToReadBitlockerKeysForOwnedDevice: true,
        allowedToReadOtherUsers: true,
        permissionGrantPoliciesAssigned: [
          'ManagePermissionGrantsForSelf.microsoft-user-default-low',
          'ManagePermissionGrantsForOwnedResource.DeveloperConsent',
        ],
      },
    };
    const target = (id: string) => ({
      targetType: 'group',
      id,
      isRegistrationRequired: false,
    });
    const method = (
      odata: string,
      id: string,
      state: 'enabled' | 'disabled',
      includeTargets: GraphObject[],
    ) => ({
      '@odata.type': `#microsoft.graph.${odata}AuthenticationMethodConfiguration`,
      id,
      state,
      excludeTargets: [],
      includeTargets,
    });
    this.authenticationMethodsPolicy = {
      id: 'authenticationMethodsPolicy',
      displayName: 'Authentication Methods Policy',
      description:
        'The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings',
      lastModifiedDateTime: isoSeconds(NOW_MS - 40 * DAY_MS),
      policyVersion: '1.5',
      policyMigrationState: 'migrationComplete',
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          snoozeDurationInDays: 1,
          state: 'enabled',
          excludeTargets: [],
          includeTargets: [
            {
              id: 'all_users',
              targetType: 'group',
              targetedAuthenticationMethod: 'microsoftAuthenticator',
            },
          ],
        },
      },
      authenticationMethodConfigurations: [
        method('fido2', 'Fido2', 'enabled', [target(directory.groupId(0))]),
        method('microsoftAuthenticator', 'MicrosoftAuthenticator', 'enabled', [
          target('all_users'),
        ]),
        method('sms', 'Sms', 'enabled', [target('all_users')]),
        method('voice', 'Voice', 'disabled', [target('all_users')]),
        method('temporaryAccessPass', 'TemporaryAccessPass', 'disabled', [
          target('all_users'),
        ]),
        method('email', 'Email', 'disabled', [target('all_users')]),
      ],
    };
  }

  private namedLocation(i: number): GraphObject {
    const id = guid(this.profile.seed, IdKind.namedLocation, i);
    const created = isoSeconds(NOW_MS - (200 - i) * DAY_MS);
    const common = { id, modifiedDateTime: created, createdDateTime: created };
    const ip = (displayName: string, trusted: boolean, ranges: string[]) => ({
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      ...common,
      displayName,
      isTrusted: trusted,
      ipRanges: ranges.map((cidrAddress) => ({
        '@odata.type': cidrAddress.includes(':')
          ? '#microsoft.graph.iPv6CidrRange'
          : '#microsoft.graph.iPv4CidrRange',
        cidrAddress,
      })),
    });
    const country = (displayName: string, countries: string[]) => ({
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      ...common,
      displayName,
      countriesAndRegions: countries,
      includeUnknownCountriesAndRegions: false,
      countryLookupMethod: 'clientIpAddress',
    });
    if (i === 0)
      return ip('Corporate HQ', true, ['203.0.113.0/24', '2001:db8:1200::/48']);
    if (i === 1) return country('Allowed countries', ['US', 'CA', 'GB', 'DE']);
    if (i === 2) return ip('Branch office Lisbon', false, ['198.51.100.32/28']);
    return i % 2
      ? country(`Blocked countries ${i}`, ['KP', 'IR'])
      : ip(`Branch office ${i}`, i % 4 === 0, [`100.64.${i % 256}.0/24`]);
  }

  private parts(i: number): PolicyParts {
    const d = this.directory;
    const users = d.userCount;
    const breakGlass = d.userId(breakGlassIndex(users));
    const group = (n: number) => d.groupId(n % d.groupCount);
    const location = (n: number) =>
      this.namedLocations[n]?.id as string | undefined;
    const anomalies = d.ghostUserCount > 0;
    const ghostUser = anomalies ? [d.memberId(MemberType.ghostUser, 0)] : [];
    const ghostGroup =
      d.ghostGroupCount > 0 ? [d.memberId(MemberType.ghostGroup, 0)] : [];
    const spPool = d.poolSize[MemberType.servicePrincipal];
    const sp = (n: number) =>
      n < spPool ? [d.memberId(MemberType.servicePrincipal, n)] : [];
    // A service principal deleted since /servicePrincipals was read (issue 17's ghosts).
    const ghostServicePrincipal =
      d.poolSize[MemberType.ghostServicePrincipal] > 0
        ? [d.memberId(MemberType.ghostServicePrincipal, 0)]
        : [];
    const custom = this.roles.customRoleIds();
    const locations = (include: string[], exclude: (string | undefined)[]) => ({
      includeLocations: include,
      excludeLocations: exclude.filter((x): x is string => Boolean(x)),
    });
    switch (i) {
      case 0:
        return {
          displayName: 'Require MFA for administrators',
          state: 'enabled',
          users: {
            includeRoles: [
              R.globalAdministrator,
              R.privilegedRoleAdministrator,
              R.securityAdministrator,
              R.userAdministrator,
              ...custom.slice(0, 1),
              ...(anomalies ? [this.roles.deletedRoleId] : []),
            ],
            excludeUsers: [breakGlass],
          },
          builtInControls: ['mfa'],
        };
      case 1:
        return {
          displayName: 'Require MFA for all users',
          state: 'enabled',
          users: {
            includeUsers: ['All'],
            excludeUsers: [breakGlass, ...ghostUser],
            excludeGroups: [group(1), ...ghostGroup],
          },
          locations: locations(['All'], [location(0)]),
          builtInControls: ['mfa'],
        };
      case 2:
        return {
          displayName: 'Block legacy authentication',
          state: 'enabled',
          templateId: BLOCK_LEGACY_TEMPLATE,
          users: { includeUsers: ['All'], excludeUsers: [breakGlass] },
          clientAppTypes: ['exchangeActiveSync', 'other'],
          builtInControls: ['block'],
        };
      case 3:
        return {
          displayName: 'Block sign-ins from outside allowed countries',
          state: 'enabledForReportingButNotEnforced',
          users: {
            includeUsers: [d.userId(Math.min(3, users - 1))],
            includeGroups: [group(0)],
          },
          locations: locations(['All'], [location(1), this.deletedLocationId]),
          builtInControls: ['block'],
        };
      case 4:
        return {
          displayName: 'Guests: require MFA and terms of use',
          state: 'disabled',
          users: {
            includeGuestsOrExternalUsers: {
              guestOrExternalUserTypes: 'internalGuest,b2bCollaborationGuest',
              externalTenants: {
                '@odata.type':
                  '#microsoft.graph.conditionalAccessAllExternalTenants',
                membershipKind: 'all',
              },
            },
            excludeRoles: [
              R.guestInviter,
              ...(anomalies ? [this.roles.deletedRoleId] : []),
            ],
          },
          builtInControls: ['mfa'],
          termsOfUse: [guid(this.profile.seed, IdKind.deletedObject, 2)],
        };
      case 5:
        return {
          displayName: 'Workload identities: block outside trusted locations',
          state: 'enabled',
          users: { includeUsers: ['None'] },
          clientApplications: {
            includeServicePrincipals: [...sp(0), ...ghostServicePrincipal],
            excludeServicePrincipals: [...sp(1), ...ghostServicePrincipal],
            servicePrincipalFilter: null,
          },
          locations: locations(['All'], ['AllTrusted']),
          builtInControls: ['block'],
        };
      case 6:
        return {
          displayName: 'Require a compliant or hybrid-joined device',
          state: 'enabled',
          users: {
            includeUsers: [d.userId(Math.min(2, users - 1)), ...ghostUser],
            includeGroups: [group(2), ...ghostGroup],
            excludeUsers: [breakGlass],
          },
          platforms: {
            includePlatforms: ['all'],
            excludePlatforms: ['android', 'iOS'],
          },
          builtInControls: ['compliantDevice', 'domainJoinedDevice'],
          sessionControls: this.session(12),
        };
      default: {
        const state = (
          ['enabled', 'enabledForReportingButNotEnforced', 'disabled'] as const
        )[i % 3];
        return i % 2
          ? {
              displayName: `Require phishing-resistant MFA for Global Administrators${
                i > 7 ? ` ${i}` : ''
              }`,
              state,
              users: {
                includeRoles: [R.globalAdministrator],
                excludeUsers: [breakGlass],
              },
              authenticationStrength: {
                id: PHISHING_RESISTANT,
                displayName: 'Phishing-resistant MFA',
              },
            }
          : {
              displayName: `Sign-in frequency for group ${i}`,
              state,
              users: {
                includeGroups: [group(i)],
                excludeUsers: [breakGlass],
                excludeRoles: custom.slice(0, 1),
              },
              sessionControls: this.session(8 + (i % 5)),
            };
      }
    }
  }

  private session(hours: number): GraphObject {
    return {
      disableResilienceDefaults: null,
      applicationEnforcedRestrictions: null,
      cloudAppSecurity: null,
      persistentBrowser: { mode: 'never', isEnabled: true },
      signInFrequency: {
        value: hours,
        type: 'hours',
        authenticationType: 'primaryAndSecondaryAuthentication',
        frequencyInterval: 'timeBased',
        isEnabled: true,
      },
    };
  }

  private policy(i: number, parts: PolicyParts): GraphObject {
    const id = guid(this.profile.seed, IdKind.conditionalAccessPolicy, i);
    const u = parts.users;
    const controls = parts.builtInControls ?? [];
    const grant =
      controls.length || parts.authenticationStrength
        ? {
            operator: 'OR',
            builtInControls: controls,
            customAuthenticationFactors: [],
            termsOfUse: parts.termsOfUse ?? [],
            'authenticationStrength@odata.context': `https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies('${id}')/grantControls/authenticationStrength/$entity`,
            authenticationStrength: parts.authenticationStrength ?? null,
          }
        : null;
    return {
      id,
      templateId: parts.templateId ?? null,
      displayName: parts.displayName,
      createdDateTime: `${isoSeconds(NOW_MS - (100 - i) * DAY_MS).slice(
        0,
        -1,
      )}.7037785Z`,
      modifiedDateTime: i % 2 ? isoSeconds(NOW_MS - (10 + i) * DAY_MS) : null,
      state: parts.state,
      sessionControls: parts.sessionControls ?? null,
      conditions: {
        userRiskLevels: [],
        signInRiskLevels: [],
        clientAppTypes: parts.clientAppTypes ?? ['all'],
        servicePrincipalRiskLevels: [],
        insiderRiskLevels: null,
        platforms: parts.platforms ?? null,
        locations: parts.locations ?? null,
        devices: null,
        clientApplications: parts.clientApplications ?? null,
        applications: {
          includeApplications: ['All'],
          excludeApplications: [],
          includeUserActions: [],
          includeAuthenticationContextClassReferences: [],
          applicationFilter: null,
        },
        users: {
          includeUsers: u.includeUsers ?? [],
          excludeUsers: u.excludeUsers ?? [],
          includeGroups: u.includeGroups ?? [],
          excludeGroups: u.excludeGroups ?? [],
          includeRoles: u.includeRoles ?? [],
          excludeRoles: u.excludeRoles ?? [],
          includeGuestsOrExternalUsers: u.includeGuestsOrExternalUsers ?? null,
          excludeGuestsOrExternalUsers: null,
        },
      },
      grantControls: grant,
    };
  }
}
