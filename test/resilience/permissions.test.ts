/**
 * Permission preflight, one application permission missing at a time: the
 * token's `roles` decide, before any request, which steps cannot run. Each
 * case asserts validateInvocation's exact outcome, which steps fail with
 * which exact message, that nothing is requested from an endpoint the
 * missing permission guards, that the affected types are partial, and that
 * every other type holds exactly the ground truth.
 *
 * Directory.Read.All also grants what User.Read.All, GroupMember.Read.All and
 * Organization.Read.All grant; DeviceManagementConfiguration.Read.All also
 * grants what DeviceManagementServiceConfig.Read.All grants. So that each
 * case removes one capability, those are removed together with it.
 */
import { Steps } from '../../src/steps/constants';
import { runCollection } from '../support/collect';
import {
  expectOutcome,
  ExpectedOutcome,
  GROUP_SERVICE_PRINCIPALS_INCOMPLETE,
  MANAGES_WITHOUT,
  requestLines,
  STEP_IDS,
  warnings,
} from '../support/outcome';
import { ALL_ROLES, startTestTenant, TestTenant } from '../support/tenant';

jest.setTimeout(120_000);

const grant = (permission: string, reads: string) =>
  `grant the Microsoft Graph application permission ${permission} to read ${reads}, then grant admin consent`;

const GRANTS = {
  organization: grant(
    'Organization.Read.All (or Directory.Read.All)',
    'the organization',
  ),
  users: grant('User.Read.All (or Directory.Read.All)', 'users'),
  groups: grant(
    'GroupMember.Read.All (or Group.Read.All, Directory.Read.All)',
    'groups and their members',
  ),
  directory: grant(
    'Directory.Read.All',
    'group members that are devices or contacts',
  ),
  signIns: grant('AuditLog.Read.All', "users' sign-in activity"),
  serviceConfig: grant(
    'DeviceManagementServiceConfig.Read.All (or DeviceManagementConfiguration.Read.All)',
    'the Intune account and subscription state',
  ),
  devices: grant(
    'DeviceManagementManagedDevices.Read.All',
    'Intune managed devices and their detected applications',
  ),
  apps: grant(
    'DeviceManagementApps.Read.All',
    'Intune managed applications and their install status',
  ),
  configuration: grant(
    'DeviceManagementConfiguration.Read.All',
    'Intune compliance policies, device configurations and their device statuses',
  ),
  applications: grant(
    'Application.Read.All (or Directory.Read.All)',
    'app registrations, service principals, their credentials, owners and application permissions',
  ),
  delegatedGrants: grant(
    'Directory.Read.All',
    'delegated permission grants (OAuth2 consents)',
  ),
  // issue 16
  roles: grant(
    'RoleManagement.Read.Directory (or RoleManagement.Read.All, Directory.Read.All)',
    'Entra ID role definitions and active role assignments',
  ),
  conditionalAccess: grant(
    'Policy.Read.All',
    'Conditional Access policies and named locations',
  ),
};

/** validateInvocation's warning for a missing required permission. */
const missing = (grantText: string, ...steps: { name: string }[]) =>
  `Missing Microsoft Graph permission: ${grantText}. Until then these steps fail and keep their previous data: ${steps
    .map((s) => s.name)
    .join(', ')}.`;

/** A step's own preflight failure. */
const cannotRun = (step: { name: string }, grantText: string) =>
  `${step.name} cannot run: ${grantText}. The previous data of this step is kept until then.`;

/** cannotRun of each step, by step id. */
const cannotRunEach = (
  grantText: string,
  ...steps: { id: string; name: string }[]
) => Object.fromEntries(steps.map((s) => [s.id, cannotRun(s, grantText)]));

/** The application steps that need Application.Read.All (or Directory.Read.All). */
const APPLICATION_STEPS = [
  Steps.SERVICE_PRINCIPALS,
  Steps.APPLICATIONS,
  Steps.APPLICATION_PERMISSIONS,
];

const MEMBER_DETAILS = `Group members that are devices or organizational contacts may be ingested with their id and type only: ${GRANTS.directory}.`;
/** Delegated permission grants need Directory.Read.All: every case that removes it. */
const NO_GRANTS = {
  warning: missing(GRANTS.delegatedGrants, Steps.DELEGATED_PERMISSIONS),
  failed: cannotRunEach(GRANTS.delegatedGrants, Steps.DELEGATED_PERMISSIONS),
};
const OWNERS_INCOMPLETE =
  'Build App Registration and Service Principal Owner Relationships is incomplete: Fetch Service Principals and Fetch App Registrations did not complete, so not every owner is known. The previous owner relationships are kept.';
const SIGN_INS = `Users are ingested without signInActivity (last sign-in times): ${GRANTS.signIns}.`;
const NOT_ENRICHED = `The account is not enriched with Intune details: ${GRANTS.serviceConfig}.`;
// issue 16
const REGISTRATION = `Users are ingested without their authentication-method registration (MFA): ${grant(
  'AuditLog.Read.All',
  "users' authentication-method (MFA) registration",
)}.`;
const PIM_WARNING = `PIM-eligible and time-bound role assignments are not collected: ${grant(
  'RoleManagement.Read.Directory (or RoleManagement.Read.All)',
  'PIM-eligible and time-bound role assignments',
)}. Active role assignments are collected.`;
const PIM_INCOMPLETE = `Build Role Assignment Relationships wrote the active role assignments, but not the PIM-eligible ones: ${grant(
  'RoleManagement.Read.Directory (or RoleManagement.Read.All)',
  'PIM-eligible and time-bound role assignments',
)}. Until then the previous role assignment relationships are kept as well.`;
const ROLES_INCOMPLETE =
  'Build Role Assignment Relationships did not run: Fetch Entra ID Role Assignments and PIM Schedules did not complete in this execution. The previous role assignment relationships are kept.';
const CA_INCOMPLETE =
  'Build Conditional Access Target Relationships did not run: Fetch Conditional Access Policies and Named Locations did not complete in this execution. The previous Conditional Access target relationships are kept.';
const TENANT_POLICIES = `The account is not enriched with security defaults, the authorization policy and the authentication-methods policy: ${grant(
  'Policy.Read.All',
  'security defaults, the authorization policy and the authentication-methods policy',
)}.`;

// issue 15
const POLICY_ASSIGNMENTS_INCOMPLETE = `${Steps.POLICY_ASSIGNMENTS.name}: ${Steps.COMPLIANCE_POLICIES.name}, ${Steps.DEVICE_CONFIGURATIONS.name}, ${Steps.ADMINISTRATIVE_TEMPLATES.name}, ${Steps.SETTINGS_COMPLIANCE_POLICIES.name} and ${Steps.SETTINGS_POLICIES.name} did not complete in this execution, so the group assignments of those policies are not related; the previous ones are kept.`;

const DEVICES_INCOMPLETE =
  'Build User and Device Relationships did not run: Fetch Intune Managed Devices did not read every managed device in this execution. The previous user and device relationships are kept.';

interface PermissionCase extends ExpectedOutcome {
  /** The permission under test, and the ones that would grant the same capability. */
  removed: string[];
  /** Every warning logged (validateInvocation's first), in any order. */
  warnings: string[];
  /** Request paths (without version) the missing permission guards. */
  guarded: RegExp;
  /** Requests to guarded paths that are nonetheless made (a probe), as `${status} ${path}`. */
  probes?: RegExp[];
}

const CASES: PermissionCase[] = [
  {
    removed: ['Directory.Read.All'],
    warnings: [MEMBER_DETAILS, NO_GRANTS.warning],
    // Members other than users and groups come back with their id and type
    // only, and are still all there; only the delegated grants need it.
    failed: NO_GRANTS.failed,
    guarded: /^\/oauth2PermissionGrants/,
  },
  {
    removed: ['User.Read.All', 'Directory.Read.All'],
    warnings: [
      missing(GRANTS.users, Steps.USERS),
      MEMBER_DETAILS,
      NO_GRANTS.warning,
    ],
    failed: {
      [Steps.USERS.id]: cannotRun(Steps.USERS, GRANTS.users),
      ...NO_GRANTS.failed,
    },
    dependencyFailed: [Steps.GROUP_MEMBERS.id],
    guarded: /^\/(users|oauth2PermissionGrants)/,
  },
  {
    removed: ['GroupMember.Read.All', 'Directory.Read.All'],
    warnings: [
      missing(GRANTS.groups, Steps.GROUPS, Steps.GROUP_MEMBERS),
      NO_GRANTS.warning,
    ],
    failed: {
      [Steps.GROUPS.id]: cannotRun(Steps.GROUPS, GRANTS.groups),
      [Steps.GROUP_MEMBERS.id]: cannotRun(Steps.GROUP_MEMBERS, GRANTS.groups),
      [Steps.GROUP_SERVICE_PRINCIPALS.id]: GROUP_SERVICE_PRINCIPALS_INCOMPLETE,
      ...NO_GRANTS.failed,
    },
    guarded: /^\/(groups|oauth2PermissionGrants)/,
  },
  {
    // Still granted by Directory.Read.All: nothing is missing.
    removed: ['Application.Read.All'],
    warnings: [],
    guarded: /^$/,
  },
  {
    removed: ['Application.Read.All', 'Directory.Read.All'],
    warnings: [
      missing(GRANTS.applications, ...APPLICATION_STEPS),
      MEMBER_DETAILS,
      NO_GRANTS.warning,
    ],
    // Group members that are service principals are still related: mapped.
    failed: {
      ...cannotRunEach(GRANTS.applications, ...APPLICATION_STEPS),
      [Steps.APPLICATION_OWNERS.id]: OWNERS_INCOMPLETE,
      ...NO_GRANTS.failed,
    },
    guarded: /^\/(servicePrincipals|applications|oauth2PermissionGrants)/,
  },
  {
    removed: ['AuditLog.Read.All'],
    warnings: [SIGN_INS, REGISTRATION],
    guarded: /^\/(users\?.*signInActivity|reports\/)/,
  },
  // issue 16: Directory.Read.All still reads definitions and active assignments, not PIM.
  {
    removed: ['RoleManagement.Read.Directory'],
    warnings: [PIM_WARNING],
    failed: { [Steps.ROLE_RELATIONSHIPS.id]: PIM_INCOMPLETE },
    guarded:
      /^\/roleManagement\/directory\/role(Assignment|Eligibility)Schedule/,
  },
  {
    removed: ['Policy.Read.All'],
    warnings: [
      missing(GRANTS.conditionalAccess, Steps.CONDITIONAL_ACCESS_POLICIES),
      TENANT_POLICIES,
    ],
    failed: {
      [Steps.CONDITIONAL_ACCESS_POLICIES.id]: cannotRun(
        Steps.CONDITIONAL_ACCESS_POLICIES,
        GRANTS.conditionalAccess,
      ),
      [Steps.CONDITIONAL_ACCESS_TARGETS.id]: CA_INCOMPLETE,
    },
    guarded: /^\/(identity\/conditionalAccess|policies)\//,
  },
  {
    // Still granted by DeviceManagementConfiguration.Read.All: nothing is missing.
    removed: ['DeviceManagementServiceConfig.Read.All'],
    warnings: [],
    guarded: /^$/,
  },
  {
    removed: [
      'DeviceManagementServiceConfig.Read.All',
      'DeviceManagementConfiguration.Read.All',
    ],
    warnings: [
      missing(
        GRANTS.configuration,
        Steps.COMPLIANCE_POLICIES,
        Steps.DEVICE_CONFIGURATIONS,
        // issue 15
        Steps.ADMINISTRATIVE_TEMPLATES,
        Steps.SETTINGS_COMPLIANCE_POLICIES,
        Steps.SETTINGS_POLICIES, // issue 15
      ),
      NOT_ENRICHED,
    ],
    failed: {
      [Steps.COMPLIANCE_POLICIES.id]: cannotRun(
        Steps.COMPLIANCE_POLICIES,
        GRANTS.configuration,
      ),
      [Steps.DEVICE_CONFIGURATIONS.id]: cannotRun(
        Steps.DEVICE_CONFIGURATIONS,
        GRANTS.configuration,
      ),
      // issue 15
      [Steps.ADMINISTRATIVE_TEMPLATES.id]: cannotRun(
        Steps.ADMINISTRATIVE_TEMPLATES,
        GRANTS.configuration,
      ),
      [Steps.SETTINGS_COMPLIANCE_POLICIES.id]: cannotRun(
        Steps.SETTINGS_COMPLIANCE_POLICIES,
        GRANTS.configuration,
      ),
      [Steps.SETTINGS_POLICIES.id]: cannotRun(
        Steps.SETTINGS_POLICIES,
        GRANTS.configuration,
      ),
      [Steps.POLICY_ASSIGNMENTS.id]: POLICY_ASSIGNMENTS_INCOMPLETE,
    },
    guarded:
      /^\/deviceManagement(\?|$|\/subscriptionState|\/deviceCompliancePolicies|\/deviceConfigurations|\/groupPolicyConfigurations|\/compliancePolicies|\/configurationPolicies|\/reports\/getConfiguration|\/reports\/getDeviceStatus(Summary)?ByCompliacePolicy)/,
    // getStepStartStates asks once whether the tenant has Intune, and takes
    // the 403 as "cannot tell" (the Intune steps stay enabled).
    probes: [
      /^403 \/deviceManagement\?\$select=intuneAccountId,subscriptionState$/,
    ],
  },
  {
    removed: ['DeviceManagementManagedDevices.Read.All'],
    warnings: [missing(GRANTS.devices, Steps.DEVICES, Steps.DETECTED_APPS)],
    failed: {
      [Steps.DEVICES.id]: cannotRun(Steps.DEVICES, GRANTS.devices),
      [Steps.DETECTED_APPS.id]: cannotRun(Steps.DETECTED_APPS, GRANTS.devices),
      [Steps.USER_DEVICES.id]: DEVICES_INCOMPLETE,
      [Steps.APPLICATION_MANAGES.id]: MANAGES_WITHOUT(Steps.DEVICES),
    },
    dependencyFailed: [
      Steps.MANAGED_APPS.id,
      Steps.COMPLIANCE_POLICIES.id,
      Steps.DEVICE_CONFIGURATIONS.id,
      // issue 15
      Steps.ADMINISTRATIVE_TEMPLATES.id,
      Steps.SETTINGS_COMPLIANCE_POLICIES.id,
      Steps.SETTINGS_POLICIES.id, // issue 15
    ],
    guarded:
      /^\/deviceManagement\/(managedDevices|detectedApps|reports\/exportJobs)/,
  },
  {
    removed: ['DeviceManagementApps.Read.All'],
    warnings: [missing(GRANTS.apps, Steps.MANAGED_APPS)],
    failed: {
      [Steps.MANAGED_APPS.id]: cannotRun(Steps.MANAGED_APPS, GRANTS.apps),
      [Steps.APPLICATION_MANAGES.id]: MANAGES_WITHOUT(Steps.MANAGED_APPS),
    },
    // Export jobs are not the managed-apps step's: DeviceManagementManagedDevices.Read.All opens them;
    // nor the settings-policy reports (issue 15): any DeviceManagement* read permission opens them.
    guarded:
      // issue 15: the policy reports accept DeviceManagementConfiguration.Read.All
      /^\/(deviceAppManagement|deviceManagement\/reports\/(?!exportJobs|getConfiguration|getDeviceStatus(Summary)?ByCompliacePolicy))/,
  },
  {
    removed: ['DeviceManagementConfiguration.Read.All'],
    warnings: [
      missing(
        GRANTS.configuration,
        Steps.COMPLIANCE_POLICIES,
        Steps.DEVICE_CONFIGURATIONS,
        // issue 15
        Steps.ADMINISTRATIVE_TEMPLATES,
        Steps.SETTINGS_COMPLIANCE_POLICIES,
        Steps.SETTINGS_POLICIES, // issue 15
      ),
    ],
    failed: {
      [Steps.COMPLIANCE_POLICIES.id]: cannotRun(
        Steps.COMPLIANCE_POLICIES,
        GRANTS.configuration,
      ),
      [Steps.DEVICE_CONFIGURATIONS.id]: cannotRun(
        Steps.DEVICE_CONFIGURATIONS,
        GRANTS.configuration,
      ),
      // issue 15
      [Steps.ADMINISTRATIVE_TEMPLATES.id]: cannotRun(
        Steps.ADMINISTRATIVE_TEMPLATES,
        GRANTS.configuration,
      ),
      [Steps.SETTINGS_COMPLIANCE_POLICIES.id]: cannotRun(
        Steps.SETTINGS_COMPLIANCE_POLICIES,
        GRANTS.configuration,
      ),
      [Steps.SETTINGS_POLICIES.id]: cannotRun(
        Steps.SETTINGS_POLICIES,
        GRANTS.configuration,
      ),
      [Steps.POLICY_ASSIGNMENTS.id]: POLICY_ASSIGNMENTS_INCOMPLETE,
    },
    guarded:
      /^\/deviceManagement\/(deviceCompliancePolicies|deviceConfigurations|groupPolicyConfigurations|compliancePolicies|configurationPolicies|reports\/getConfiguration|reports\/getDeviceStatus(Summary)?ByCompliacePolicy)/,
  },
];

let t: TestTenant | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function rolesWithout(removed: string[]): string[] {
  return ALL_ROLES.filter((role) => !removed.includes(role));
}

/** Requests to guarded paths, Graph ones only ($batch items by their own path). */
function guardedRequests(tenant: TestTenant, guarded: RegExp): string[] {
  return requestLines(
    tenant.simulator.requests.filter((r) => r.service !== 'identity'),
  ).filter((line) => guarded.test(line.slice(4)));
}

test('the cases cover every permission the integration can use', () => {
  expect(new Set(CASES.flatMap((c) => c.removed))).toEqual(
    new Set(ALL_ROLES.filter((r) => r !== 'Organization.Read.All')),
  );
});

test.each(CASES.map((c) => [c.removed.join(' + '), c] as const))(
  'without %s',
  async (_, expected) => {
    t = await startTestTenant('tiny', {
      roles: rolesWithout(expected.removed),
    });
    const result = await runCollection(t.config);
    expectOutcome(result, t.truth(), expected);
    expect(warnings(result.logs).sort()).toEqual([...expected.warnings].sort());
    const probes = guardedRequests(t, expected.guarded);
    expect(probes).toHaveLength(expected.probes?.length ?? 0);
    (expected.probes ?? []).forEach((probe, i) =>
      expect(probes[i]).toMatch(probe),
    );
  },
);

test('without Organization.Read.All (and Directory.Read.All): validateInvocation fails, naming what is granted; nothing is collected', async () => {
  const roles = rolesWithout(['Organization.Read.All', 'Directory.Read.All']);
  t = await startTestTenant('tiny', { roles });
  const result = await runCollection(t.config);
  expect(result.error?.message).toBe(
    `The application cannot read the organization of tenant "${
      t.tenant.tenantId
    }": ${
      GRANTS.organization
    }. Application permissions granted now: ${roles.join(', ')}.`,
  );
  expect(result.summary).toBeUndefined();
  expect(result.entities).toEqual([]);
  // One probe of /organization tells "missing permission" from "app not
  // installed in the tenant" (a 401); no other Graph request is made.
  expect(
    requestLines(t.simulator.requests.filter((r) => r.service !== 'identity')),
  ).toEqual(['403 /organization']);
});

test('with no application permission at all (validateInvocation bypassed), every step that reads Graph fails before sending a request', async () => {
  t = await startTestTenant('tiny', { roles: [] });
  const result = await runCollection(t.config, {
    invocation: { validateInvocation: () => Promise.resolve() },
  });
  expectOutcome(result, t.truth(), {
    failed: {
      [Steps.ACCOUNT.id]: cannotRun(Steps.ACCOUNT, GRANTS.organization),
      [Steps.USERS.id]: cannotRun(Steps.USERS, GRANTS.users),
      [Steps.GROUPS.id]: cannotRun(Steps.GROUPS, GRANTS.groups),
      [Steps.GROUP_MEMBERS.id]: cannotRun(Steps.GROUP_MEMBERS, GRANTS.groups),
      [Steps.DEVICES.id]: cannotRun(Steps.DEVICES, GRANTS.devices),
      [Steps.MANAGED_APPS.id]: cannotRun(Steps.MANAGED_APPS, GRANTS.apps),
      [Steps.DETECTED_APPS.id]: cannotRun(Steps.DETECTED_APPS, GRANTS.devices),
      [Steps.COMPLIANCE_POLICIES.id]: cannotRun(
        Steps.COMPLIANCE_POLICIES,
        GRANTS.configuration,
      ),
      [Steps.DEVICE_CONFIGURATIONS.id]: cannotRun(
        Steps.DEVICE_CONFIGURATIONS,
        GRANTS.configuration,
      ),
      // issue 15
      [Steps.ADMINISTRATIVE_TEMPLATES.id]: cannotRun(
        Steps.ADMINISTRATIVE_TEMPLATES,
        GRANTS.configuration,
      ),
      [Steps.SETTINGS_COMPLIANCE_POLICIES.id]: cannotRun(
        Steps.SETTINGS_COMPLIANCE_POLICIES,
        GRANTS.configuration,
      ),
      [Steps.SETTINGS_POLICIES.id]: cannotRun(
        Steps.SETTINGS_POLICIES,
        GRANTS.configuration,
      ),
      [Steps.USER_DEVICES.id]: DEVICES_INCOMPLETE,
      [Steps.APPLICATION_MANAGES.id]: MANAGES_WITHOUT(Steps.DEVICES),
      ...cannotRunEach(GRANTS.applications, ...APPLICATION_STEPS),
      [Steps.APPLICATION_OWNERS.id]: OWNERS_INCOMPLETE,
      [Steps.GROUP_SERVICE_PRINCIPALS.id]: GROUP_SERVICE_PRINCIPALS_INCOMPLETE,
      ...NO_GRANTS.failed,
      // issue 16
      [Steps.ROLE_DEFINITIONS.id]: cannotRun(
        Steps.ROLE_DEFINITIONS,
        GRANTS.roles,
      ),
      [Steps.ROLE_ASSIGNMENTS.id]: cannotRun(
        Steps.ROLE_ASSIGNMENTS,
        GRANTS.roles,
      ),
      [Steps.ROLE_RELATIONSHIPS.id]: ROLES_INCOMPLETE,
      [Steps.CONDITIONAL_ACCESS_POLICIES.id]: cannotRun(
        Steps.CONDITIONAL_ACCESS_POLICIES,
        GRANTS.conditionalAccess,
      ),
      [Steps.CONDITIONAL_ACCESS_TARGETS.id]: CA_INCOMPLETE,
      [Steps.POLICY_ASSIGNMENTS.id]: POLICY_ASSIGNMENTS_INCOMPLETE,
    },
  });
  expect(Object.keys(result.summary.integrationStepResults).length).toBe(
    STEP_IDS.length,
  );
  // The only Graph request is getStepStartStates asking whether the tenant has Intune.
  expect(
    requestLines(t.simulator.requests.filter((r) => r.service !== 'identity')),
  ).toEqual([
    '403 /deviceManagement?$select=intuneAccountId,subscriptionState',
  ]);
});
