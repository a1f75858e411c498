/**
 * How sign-in is guarded, end to end against the Graph simulator: MFA
 * registration joined into the users, Conditional Access policies, named
 * locations and their targets, the tenant policies on the account, and every
 * licence, permission and throttling case with what it logs.
 */
import { Entity, Relationship } from '@jupiterone/integration-sdk-core';
import { Entities, Steps } from '../../src/steps/constants';
import { CONDITIONAL_ACCESS_LICENCE_WARNING } from '../../src/steps/sign-in-security';
import { registrationWarning } from '../../src/steps/sign-in-security/registration-report';
import { GraphObject, TenantData } from '../graph-simulator/tenant/model';
import { CollectionResult, onlySteps, runCollection } from '../support/collect';
import { relationshipKey as truthKeyOf } from '../support/graph-counts';
import {
  expectedConditionalAccessRelationships,
  keysAndKinds,
} from '../support/identity-model';
import { doneRecord, ofType, warnings } from '../support/outcome';
import { ALL_ROLES, TestTenant, closingTestTenants } from '../support/tenant';

jest.setTimeout(120_000);

const tenantFor = closingTestTenants();

/**
 * Budgets the client may spend in a test where the point is the join or the
 * retries, not the documented pace (which the "Graph's own limit" test keeps).
 */
const ROOMY_BUDGETS = {
  // A 429 without Retry-After holds the service for at least 1 s
  // (src/graph/throttle.ts): six in a row must not reach the give-up time.
  retry: { baseDelayMs: 5, maxDelayMs: 50, throttledGiveUpMs: 30_000 },
  throttle: {
    limits: {
      identityReports: { units: 100, windowMs: 1000 },
      conditionalAccess: { units: 100, windowMs: 1000 },
    },
  },
};

/** Only these steps run (with the role and user steps CA targets need). */
function collect(
  tenant: TestTenant,
  steps: string[] = [
    Steps.ACCOUNT.id,
    Steps.USERS.id,
    Steps.GROUPS.id,
    // Service principals are related directly once collected (issue 17).
    Steps.SERVICE_PRINCIPALS.id,
    Steps.ROLE_DEFINITIONS.id,
    Steps.CONDITIONAL_ACCESS_POLICIES.id,
    Steps.CONDITIONAL_ACCESS_TARGETS.id,
  ],
  roomy = false,
) {
  return runCollection(tenant.config, {
    client: roomy ? ROOMY_BUDGETS : {},
    invocation: onlySteps(steps),
  });
}

function all(collection: { count: number; get(i: number): GraphObject }) {
  return Array.from({ length: collection.count }, (_, i) => collection.get(i));
}

// ---- MFA registration ---------------------------------------------------------------

const REGISTRATION_PROPERTIES = [
  'isMfaRegistered',
  'isMfaCapable',
  'isPasswordlessCapable',
  'isSsprRegistered',
  'isSsprCapable',
  'isSsprEnabled',
  'isAdmin',
  'methodsRegistered',
  'defaultMfaMethod',
  'isSystemPreferredAuthenticationMethodEnabled',
  'systemPreferredAuthenticationMethods',
  'registrationDetailsUpdatedOn',
  'mfaEnabled',
  'mfaType',
];

/** What each user must carry: the report's record, by user id (none for users it does not list). */
function expectedRegistration(
  t: TenantData,
): Map<string, Record<string, unknown>> {
  const expected = new Map<string, Record<string, unknown>>();
  for (const r of all(t.userRegistrationDetails)) {
    expected.set(r.id as string, {
      isMfaRegistered: r.isMfaRegistered,
      isMfaCapable: r.isMfaCapable,
      isPasswordlessCapable: r.isPasswordlessCapable,
      isSsprRegistered: r.isSsprRegistered,
      isSsprCapable: r.isSsprCapable,
      isSsprEnabled: r.isSsprEnabled,
      isAdmin: r.isAdmin,
      methodsRegistered: r.methodsRegistered,
      defaultMfaMethod: r.userPreferredMethodForSecondaryAuthentication,
      isSystemPreferredAuthenticationMethodEnabled:
        r.isSystemPreferredAuthenticationMethodEnabled,
      systemPreferredAuthenticationMethods:
        r.systemPreferredAuthenticationMethods,
      registrationDetailsUpdatedOn: Date.parse(r.lastUpdatedDateTime as string),
      mfaEnabled: r.isMfaRegistered,
      mfaType: r.userPreferredMethodForSecondaryAuthentication,
    });
  }
  return expected;
}

function registrationOf(user: Entity): Record<string, unknown> {
  return Object.fromEntries(
    REGISTRATION_PROPERTIES.filter((p) => user[p] !== undefined).map((p) => [
      p,
      user[p],
    ]),
  );
}

/** Every user once, with exactly its record's properties (or none). */
function expectRegistrationOnUsers(
  result: CollectionResult,
  t: TenantData,
  withRecords = true,
) {
  const users = ofType(result.entities, Entities.USER._type);
  expect(users.map((u) => u._key).sort()).toEqual(
    all(t.users)
      .map((u) => u.id)
      .sort(),
  );
  const expected = withRecords ? expectedRegistration(t) : new Map();
  for (const user of users) {
    expect([user._key, registrationOf(user)]).toEqual([
      user._key,
      expected.get(user._key) ?? {},
    ]);
  }
  const truth = t.groundTruth().identity;
  const count = (value: boolean | undefined) =>
    users.filter((u) => u.isMfaRegistered === value).length;
  if (withRecords) {
    expect([count(true), count(false), count(undefined)]).toEqual([
      truth.usersMfaRegistered,
      truth.usersMfaNotRegistered,
      truth.usersWithoutRegistration,
    ]);
  }
}

const USER_STEPS = [Steps.ACCOUNT.id, Steps.USERS.id];

describe('MFA registration on the users', () => {
  test('the report joined into every user, exactly; users it misses and records of deleted users counted', async () => {
    const tenant = await tenantFor('tiny');
    const result = await collect(tenant, USER_STEPS);
    expect(result.stepStatus(Steps.USERS.id)).toBe('success');
    expectRegistrationOnUsers(result, tenant.tenant);
    const truth = tenant.truth().identity;
    expect(doneRecord(result, Steps.USERS).registration).toMatchObject({
      status: 'read',
      usersWithRecord: truth.usersMfaRegistered + truth.usersMfaNotRegistered,
      usersWithoutRecord: truth.usersWithoutRegistration,
      recordsWithoutUser: truth.registrationRecordsForUnknownUsers,
    });
    expect(truth.usersWithoutRegistration).toBeGreaterThan(0);
    expect(truth.registrationRecordsForUnknownUsers).toBeGreaterThan(0);
    // One paged list, never a request per user.
    expect(
      tenant.simulator.requests
        .filter((r) => r.path.includes('/reports/'))
        .map((r) => r.path),
    ).toEqual(['/v1.0/reports/authenticationMethods/userRegistrationDetails']);
    expect(warnings(result.logs)).toEqual([]);
  });

  test('a report slower than /users (3 records a page): users wait for their record, none is lost', async () => {
    const tenant = await tenantFor('tiny', {
      profile: { directory: { users: 40 } },
      behaviour: {
        registrationDetailsPageSize: 3,
        latency: { baseMs: 5, perItemMs: 0 },
      },
    });
    const result = await collect(tenant, USER_STEPS, true);
    expect(result.stepStatus(Steps.USERS.id)).toBe('success');
    expectRegistrationOnUsers(result, tenant.tenant);
    const registration = doneRecord(result, Steps.USERS).registration as Record<
      string,
      number
    >;
    expect(registration.pages).toBe(
      Math.ceil(tenant.tenant.userRegistrationDetails.count / 3),
    );
    expect(registration.mostUsersWaiting).toBeGreaterThan(0);
  });

  test.each(['new', 'old'] as const)(
    'a tenant without Entra ID P1/P2 (%s wording): users arrive without registration, one warning',
    async (wording) => {
      const tenant = await tenantFor('tiny', {
        profile: { premium: false },
        behaviour: { licenceErrorWording: wording },
      });
      const result = await collect(tenant, USER_STEPS);
      expect(result.stepStatus(Steps.USERS.id)).toBe('success');
      expectRegistrationOnUsers(result, tenant.tenant, false);
      const warning = registrationWarning('licence');
      expect(warning).toBe(
        'Users are ingested without their authentication-method registration (MFA): Microsoft Graph answered Authentication_RequestFromNonPremiumTenantOrB2CTenant, the tenant has no Microsoft Entra ID P1 or P2 licence. Registration details are collected once it has one.',
      );
      expect(warnings(result.logs).filter((w) => w === warning)).toHaveLength(
        1,
      );
      expect(
        tenant.simulator.requests
          .filter((r) => r.path.includes('/reports/'))
          .map((r) => r.status),
      ).toEqual([403]);
    },
  );

  test('an app without AuditLog.Read.All: no request for the report, one warning', async () => {
    const tenant = await tenantFor('tiny', {
      roles: ALL_ROLES.filter((r) => r !== 'AuditLog.Read.All'),
    });
    const result = await collect(tenant, USER_STEPS);
    expect(result.stepStatus(Steps.USERS.id)).toBe('success');
    expectRegistrationOnUsers(result, tenant.tenant, false);
    expect(warnings(result.logs)).toContain(registrationWarning('permission'));
    expect(
      tenant.simulator.requests.filter((r) => r.path.includes('/reports/')),
    ).toEqual([]);
  });

  test('Graph says AuditLog.Read.All is missing although the token has it: the same warning', async () => {
    const tenant = await tenantFor('tiny');
    tenant.simulator.addFault({
      match: { pathIncludes: '/reports/' },
      respond: {
        status: 403,
        code: 'Authentication_MSGraphPermissionMissing',
        message:
          'Calling principal does not have required MSGraph permissions AuditLog.Read.All',
      },
    });
    const result = await collect(tenant, USER_STEPS);
    expect(result.stepStatus(Steps.USERS.id)).toBe('success');
    expect(warnings(result.logs)).toEqual([registrationWarning('permission')]);
    expectRegistrationOnUsers(result, tenant.tenant, false);
  });

  test('a report that fails after its first page: every user is written, and the step fails naming why', async () => {
    const tenant = await tenantFor('tiny', {
      behaviour: { registrationDetailsPageSize: 4 },
    });
    tenant.simulator.addFault({
      match: { pathIncludes: '/reports/', pageNumber: 2 },
      respond: { status: 500, code: 'UnknownError', message: 'boom' },
    });
    const result = await collect(tenant, USER_STEPS, true);
    expect(result.stepStatus(Steps.USERS.id)).toBe('failure');
    const users = ofType(result.entities, Entities.USER._type);
    expect(users).toHaveLength(tenant.tenant.users.count);
    expect(
      users.filter((u) => u.isMfaRegistered !== undefined).length,
    ).toBeGreaterThan(0);
    const failure = result.logs.find(
      (l) => l.stepId === Steps.USERS.id && /failed to complete/.test(l.msg),
    );
    expect((failure?.err as { message?: string }).message).toMatch(
      new RegExp(
        `^Fetch Users wrote every user, but the authentication-method registration report could not be read to its end, so ${
          users.filter((u) => u.isMfaRegistered === undefined).length
        } users lack it: Microsoft Graph GET .*/v1\\.0/reports/authenticationMethods/userRegistrationDetails\\?\\$skiptoken=.* failed with 500 UnknownError: boom`,
      ),
    );
    expect(result.summary.metadata.partialDatasets.types).toContain(
      'azure_user',
    );
  });
});

// ---- Conditional Access ------------------------------------------------------------

const CA_KIND = /^azure_conditional_access_policy\|/;

function caRelationships(result: CollectionResult): Relationship[] {
  return result.relationships.filter((r) => CA_KIND.test(truthKeyOf(r)));
}

describe('Conditional Access', () => {
  test('policies, named locations, included (ASSIGNED) and excluded (ALLOWS) targets, exactly', async () => {
    const tenant = await tenantFor('tiny');
    const result = await collect(tenant);
    for (const step of [
      Steps.CONDITIONAL_ACCESS_POLICIES.id,
      Steps.CONDITIONAL_ACCESS_TARGETS.id,
    ])
      expect([step, result.stepStatus(step)]).toEqual([step, 'success']);
    const t = tenant.tenant;
    const policies = ofType(
      result.entities,
      Entities.CONDITIONAL_ACCESS_POLICY._type,
    );
    expect(policies.map((p) => p._key).sort()).toEqual(
      t.conditionalAccessPolicies.map((p) => p.id).sort(),
    );
    expect(
      ofType(result.entities, Entities.NAMED_LOCATION._type)
        .map((l) => l._key)
        .sort(),
    ).toEqual(t.namedLocations.map((l) => l.id).sort());

    const relationships = caRelationships(result);
    expect(
      Object.fromEntries(
        relationships
          .map((r) => [
            String(r._key),
            `${truthKeyOf(r)}${r._mapping ? ' (mapped)' : ''}`,
          ])
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
    ).toEqual(keysAndKinds(expectedConditionalAccessRelationships(t)));
    const truth = tenant.truth();
    for (const kind of Object.keys(truth.relationships).filter((k) =>
      CA_KIND.test(k),
    )) {
      const of = (mapped: boolean) =>
        relationships.filter(
          (r) => truthKeyOf(r) === kind && Boolean(r._mapping) === mapped,
        ).length;
      expect([kind, of(false), of(true)]).toEqual([
        kind,
        truth.relationships[kind],
        truth.mappedRelationships[kind],
      ]);
    }
    // "All users", "None", guests and "All trusted locations" are properties, not targets.
    const byName = (name: string) => policies.find((p) => p.name === name)!;
    expect({
      allUsers: byName('Require MFA for all users').includesAllUsers,
      requiresMfa: byName('Require MFA for all users').requiresMfa,
      noUsers: byName('Workload identities: block outside trusted locations')
        .includesNoUsers,
      excludeLocations: byName(
        'Workload identities: block outside trusted locations',
      ).excludeLocations,
      guests: byName('Guests: require MFA and terms of use')
        .includesGuestsOrExternalUsers,
      guestTypes: byName('Guests: require MFA and terms of use')
        .includeGuestOrExternalUserTypes,
      legacy: byName('Block legacy authentication').clientAppTypes,
      blocks: byName('Block legacy authentication').blocksAccess,
      reportOnly: byName('Block sign-ins from outside allowed countries')
        .reportOnly,
      state: byName('Guests: require MFA and terms of use').state,
      frequency: byName('Require a compliant or hybrid-joined device')
        .signInFrequencyValue,
    }).toEqual({
      allUsers: true,
      requiresMfa: true,
      noUsers: true,
      excludeLocations: ['AllTrusted'],
      guests: true,
      guestTypes: ['internalGuest', 'b2bCollaborationGuest'],
      legacy: ['exchangeActiveSync', 'other'],
      blocks: true,
      reportOnly: true,
      state: 'disabled',
      frequency: 12,
    });
    expect(policies.filter((p) => p.enabled).length).toBe(
      truth.identity.enabledPolicies,
    );

    // "Users excluded from every enabled policy that applies to users", as the managed question asks it.
    const enabled = policies.filter(
      (p) =>
        p.enabled &&
        ((p.includeUsers as string[] | undefined)?.some((u) => u !== 'None') ||
          p.includeGroups ||
          p.includeRoles ||
          p.includesGuestsOrExternalUsers),
    );
    const excludedBy = new Map<string, Set<string>>();
    for (const r of relationships.filter(
      (r) => r._class === 'ALLOWS' && !r._mapping,
    )) {
      if (truthKeyOf(r) !== 'azure_conditional_access_policy|ALLOWS|azure_user')
        continue;
      const set = excludedBy.get(String(r._toEntityKey)) ?? new Set();
      set.add(String(r._fromEntityKey));
      excludedBy.set(String(r._toEntityKey), set);
    }
    expect(
      Array.from(excludedBy)
        .filter(([, set]) => enabled.every((p) => set.has(p._key)))
        .map(([user]) => user)
        .sort(),
    ).toEqual(truth.identity.usersExcludedFromEveryEnabledPolicy);
    expect(truth.identity.usersExcludedFromEveryEnabledPolicy).toHaveLength(1);
    // The same users, as the one J1QL query of the managed question finds them.
    const flagged = relationships.filter(
      (r) => r.excludedFromEveryEnabledPolicy === true,
    );
    expect(
      Array.from(new Set(flagged.map((r) => r._toEntityKey))).sort(),
    ).toEqual(truth.identity.usersExcludedFromEveryEnabledPolicy);
    expect(
      relationships
        .filter(
          (r) =>
            truthKeyOf(r) ===
            'azure_conditional_access_policy|ALLOWS|azure_user',
        )
        .every((r) => typeof r.excludedFromEveryEnabledPolicy === 'boolean'),
    ).toBe(true);
  });

  test('a burst of 429s without Retry-After on Conditional Access and on the registration report loses nothing', async () => {
    const tenant = await tenantFor('tiny', {
      behaviour: { identityPageSize: 2, registrationDetailsPageSize: 4 },
    });
    tenant.simulator.addFault({
      match: { pathIncludes: '/identity/conditionalAccess/' },
      times: 6,
      respond: { status: 429, retryAfter: null },
    });
    tenant.simulator.addFault({
      match: { pathIncludes: '/reports/' },
      times: 4,
      respond: { status: 429, retryAfter: null },
    });
    const result = await collect(tenant, undefined, true);
    // Graph sent no Retry-After: the client backed off on its own.
    expect(
      tenant.simulator.requests
        .filter((r) => r.status === 429)
        .every((r) =>
          /\/identity\/conditionalAccess\/|\/reports\//.test(r.path),
        ),
    ).toBe(true);
    expect(result.stepStatus(Steps.CONDITIONAL_ACCESS_POLICIES.id)).toBe(
      'success',
    );
    expect(result.stepStatus(Steps.CONDITIONAL_ACCESS_TARGETS.id)).toBe(
      'success',
    );
    const ca = tenant.simulator.requests.filter((r) =>
      r.path.includes('/identity/conditionalAccess/'),
    );
    expect(ca.filter((r) => r.status === 429)).toHaveLength(6);
    expect(
      tenant.simulator.requests.filter(
        (r) => r.path.includes('/reports/') && r.status === 429,
      ),
    ).toHaveLength(4);
    expectRegistrationOnUsers(result, tenant.tenant);
    expect(
      ofType(result.entities, Entities.CONDITIONAL_ACCESS_POLICY._type),
    ).toHaveLength(tenant.tenant.conditionalAccessPolicies.length);
    expect(
      Object.fromEntries(
        caRelationships(result)
          .map((r) => [
            String(r._key),
            `${truthKeyOf(r)}${r._mapping ? ' (mapped)' : ''}`,
          ])
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
    ).toEqual(
      keysAndKinds(expectedConditionalAccessRelationships(tenant.tenant)),
    );
  });

  test("Graph's own limit (1 request per second per tenant, no Retry-After): paced, nothing lost", async () => {
    const tenant = await tenantFor('tiny', {
      behaviour: { identityPageSize: 4, throttling: true },
    });
    const result = await collect(tenant);
    expect(result.stepStatus(Steps.CONDITIONAL_ACCESS_POLICIES.id)).toBe(
      'success',
    );
    const ca = tenant.simulator.requests.filter((r) =>
      r.path.includes('/identity/conditionalAccess/'),
    );
    expect(ca.length).toBe(
      Math.ceil(tenant.tenant.namedLocations.length / 4) +
        Math.ceil(tenant.tenant.conditionalAccessPolicies.length / 4) +
        ca.filter((r) => r.status === 429).length,
    );
    expect(
      ofType(result.entities, Entities.CONDITIONAL_ACCESS_POLICY._type),
    ).toHaveLength(tenant.tenant.conditionalAccessPolicies.length);
  });

  test.each(['new', 'old'] as const)(
    'a tenant without Entra ID P1/P2 (%s wording): no Conditional Access, one warning, the relationship step still runs',
    async (wording) => {
      const tenant = await tenantFor('tiny', {
        profile: { premium: false },
        behaviour: { licenceErrorWording: wording },
      });
      const result = await collect(tenant);
      expect(result.stepStatus(Steps.CONDITIONAL_ACCESS_POLICIES.id)).toBe(
        'success',
      );
      expect(result.stepStatus(Steps.CONDITIONAL_ACCESS_TARGETS.id)).toBe(
        'success',
      );
      expect(
        warnings(result.logs).filter(
          (w) => w === CONDITIONAL_ACCESS_LICENCE_WARNING,
        ),
      ).toHaveLength(1);
      expect(caRelationships(result)).toEqual([]);
      expect(
        ofType(result.entities, Entities.CONDITIONAL_ACCESS_POLICY._type),
      ).toEqual([]);
      expect(tenant.truth().entities.azure_conditional_access_policy).toBe(0);
    },
  );
});

// ---- tenant policies on the account ---------------------------------------------------

describe('tenant policies on the account', () => {
  test('security defaults, guest access, user consent and authentication methods', async () => {
    const tenant = await tenantFor('tiny');
    const result = await collect(tenant, [Steps.ACCOUNT.id]);
    const [account] = ofType(result.entities, Entities.ACCOUNT._type);
    expect({
      securityDefaultsEnabled: account.securityDefaultsEnabled,
      guestAccess: account.guestAccess,
      allowInvitesFrom: account.allowInvitesFrom,
      userConsent: account.userConsent,
      usersCanCreateApps: account.usersCanCreateApps,
      blockMsolPowerShell: account.blockMsolPowerShell,
      authenticationMethodsEnabled: account.authenticationMethodsEnabled,
      authenticationMethodsDisabled: account.authenticationMethodsDisabled,
      authenticationMethodsForAllUsers:
        account.authenticationMethodsForAllUsers,
      authenticationMethodTargets: account.authenticationMethodTargets,
      mfaRegistrationCampaignState: account.mfaRegistrationCampaignState,
    }).toEqual({
      securityDefaultsEnabled: false,
      guestAccess: 'limited',
      allowInvitesFrom: 'adminsAndGuestInviters',
      userConsent: 'limited',
      usersCanCreateApps: false,
      blockMsolPowerShell: true,
      authenticationMethodsEnabled: ['Fido2', 'MicrosoftAuthenticator', 'Sms'],
      authenticationMethodsDisabled: ['Email', 'TemporaryAccessPass', 'Voice'],
      authenticationMethodsForAllUsers: ['MicrosoftAuthenticator', 'Sms'],
      authenticationMethodTargets: [
        `Fido2:group:${tenant.tenant.groups.get(0).id}`,
        'MicrosoftAuthenticator:all_users',
        'Sms:all_users',
      ],
      mfaRegistrationCampaignState: 'enabled',
    });
    // The captured 200 of security defaults carries a 14-day Retry-After: read once, not retried.
    expect(
      tenant.simulator.requests
        .filter((r) => r.path.includes('identitySecurityDefaults'))
        .map((r) => r.status),
    ).toEqual([200]);
    expect(warnings(result.logs)).toEqual([]);
  });

  test('a tenant with security defaults on', async () => {
    const tenant = await tenantFor('noIntune');
    const result = await collect(tenant, [Steps.ACCOUNT.id]);
    expect(
      ofType(result.entities, Entities.ACCOUNT._type)[0]
        .securityDefaultsEnabled,
    ).toBe(true);
  });

  test('Graph refusing a policy although the token has Policy.Read.All: the account still arrives, one warning', async () => {
    const tenant = await tenantFor('tiny');
    tenant.simulator.addFault({
      match: { pathIncludes: '/policies/authorizationPolicy' },
      respond: { status: 403 },
    });
    const result = await collect(tenant, [Steps.ACCOUNT.id]);
    expect(result.stepStatus(Steps.ACCOUNT.id)).toBe('success');
    const [account] = ofType(result.entities, Entities.ACCOUNT._type);
    expect(account.guestAccess).toBeUndefined();
    expect(account.securityDefaultsEnabled).toBe(false);
    expect(warnings(result.logs)).toEqual([
      'The account is not enriched with security defaults, the authorization policy and the authentication-methods policy: grant the Microsoft Graph application permission Policy.Read.All to read security defaults, the authorization policy and the authentication-methods policy, then grant admin consent.',
    ]);
  });
});
