/**
 * The tenant generator: deterministic, shaped like real Graph (the HAR
 * recordings), covering every rule of docs/data-model-rules.md, and with a
 * ground truth that an independent brute-force count over the generated
 * objects reproduces.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { DEVICE_KINDS, DEVICE_TEMPLATES } from './tenant/devices';
import { generateTenant } from './tenant/generate';
import {
  GraphObject,
  GroundTruth,
  IdentityTruth,
  TenantData,
} from './tenant/model';
import { INSTALL_SEVERITY, STATUS_SEVERITY } from './tenant/ground-truth';
import { STATUS_VALUES } from './tenant/policies';
import { IDENTITY_RELATIONSHIP_KEYS } from '../support/identity-model';
import { POLICY_ASSIGNMENT_RELATIONSHIP_KEYS } from '../support/policy-assignment-model';
import { MOBILE_APP_TEMPLATES } from './tenant/mobile-app-templates';
import { PROFILES, makeProfile } from './tenant/profiles';

// ---- real recordings ------------------------------------------------------------------

const RECORDINGS = join(__dirname, '..', 'fixtures', 'graph-recordings');

/** Response bodies of the HAR entries whose URL contains `urlPart` (skipping the token calls). */
function harBodies(file: string, urlPart: string | RegExp): any[] {
  const har = JSON.parse(readFileSync(join(RECORDINGS, file), 'utf8'));
  return har.log.entries
    .filter((e: any) => !e.request.url.includes('login.microsoftonline.com'))
    .filter((e: any) =>
      typeof urlPart === 'string'
        ? e.request.url.includes(urlPart)
        : urlPart.test(e.request.url),
    )
    .map((e: any) => e.response.content.text)
    .filter((text: string | undefined) => text && text.startsWith('{'))
    .map((text: string) => JSON.parse(text));
}

function harItems(file: string, urlPart: string | RegExp): GraphObject[] {
  return harBodies(file, urlPart).flatMap((body) => body.value ?? []);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

interface ShapeOptions {
  /** Properties the generator adds after the recorded ones (real Graph names). */
  extras?: string[];
  /** Properties the simulator may also set to null. */
  nullable?: string[];
  /** More recorded objects to learn value types from (e.g. other subtypes sharing base properties). */
  typeSamples?: GraphObject[];
}

/**
 * Problems with `actual` compared with the recorded `samples` of the same type:
 * the recorded properties must come first, in the recorded order, followed only
 * by the listed extras; each value must have a type the recordings show for that
 * property (a property recorded only as null accepts any type).
 */
function shapeProblems(
  label: string,
  actual: GraphObject,
  samples: GraphObject[],
  options: ShapeOptions = {},
): string[] {
  const { extras = [], nullable = [], typeSamples = [] } = options;
  const problems: string[] = [];
  const expectedKeys = Object.keys(samples[0]);
  const keys = Object.keys(actual);
  if (keys.slice(0, expectedKeys.length).join() !== expectedKeys.join()) {
    problems.push(
      `${label}: keys ${keys
        .slice(0, expectedKeys.length)
        .join()} != recorded ${expectedKeys.join()}`,
    );
    return problems;
  }
  const unexpected = keys
    .slice(expectedKeys.length)
    .filter((k) => !extras.includes(k));
  if (unexpected.length)
    problems.push(`${label}: unlisted extra properties ${unexpected.join()}`);
  const typed = [...samples, ...typeSamples];
  for (const key of expectedKeys) {
    const recorded = new Set(
      typed.filter((s) => key in s).map((s) => jsonType(s[key])),
    );
    if (recorded.size === 1 && recorded.has('null')) continue;
    const allowed = new Set([
      ...recorded,
      ...(nullable.includes(key) ? ['null'] : []),
    ]);
    const type = jsonType(actual[key]);
    if (!allowed.has(type))
      problems.push(
        `${label}.${key}: ${type}, recorded ${[...recorded].join('|')}`,
      );
    if (type === 'object' && recorded.has('object')) {
      const nested = samples
        .map((s) => s[key])
        .filter((v) => jsonType(v) === 'object') as GraphObject[];
      problems.push(
        ...shapeProblems(`${label}.${key}`, actual[key] as GraphObject, nested),
      );
    }
    const elements = actual[key];
    if (
      Array.isArray(elements) &&
      elements.length &&
      jsonType(elements[0]) === 'object'
    ) {
      const nested = samples.flatMap((s) =>
        Array.isArray(s[key]) ? (s[key] as GraphObject[]) : [],
      );
      for (const element of nested.length ? (elements as GraphObject[]) : []) {
        problems.push(...shapeProblems(`${label}.${key}[]`, element, nested));
      }
    }
  }
  return problems;
}

function all(collection: {
  count: number;
  get(i: number): GraphObject;
}): GraphObject[] {
  return Array.from({ length: collection.count }, (_, i) => collection.get(i));
}

/** Properties the generator adds to the recorded shapes (real Graph names, beta superset). */
const USER_EXTRAS = [
  'accountEnabled',
  'city',
  'companyName',
  'country',
  'createdDateTime',
  'creationType',
  'deletedDateTime',
  'department',
  'employeeId',
  'employeeType',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'lastPasswordChangeDateTime',
  'mailNickname',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesImmutableId',
  'onPremisesLastSyncDateTime',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName',
  'otherMails',
  'passwordPolicies',
  'proxyAddresses',
  'state',
  'usageLocation',
  'userType',
  'signInActivity',
];
const MANAGED_DEVICE_EXTRAS = [
  'enrollmentProfileName',
  'bootstrapTokenEscrowed',
  'deviceFirmwareConfigurationInterfaceManaged',
];
const DETECTED_APP_EXTRAS = ['publisher', 'platform'];
const ORGANIZATION_EXTRAS = ['mobileDeviceManagementAuthority'];

// ---- an independent reading of docs/data-model-rules.md -----------------------------------

const lower = (value: unknown) => String(value ?? '').toLowerCase();

/** The device-kind table, rule by rule, written from the doc (not from the generator). */
function classify(device: GraphObject): { kind: string; rule: number } {
  const os = lower(device.operatingSystem);
  const sku = lower(device.skuFamily);
  const osVersion = lower(device.osVersion);
  const model = lower(device.model);
  const maker = lower(device.manufacturer);
  const chassis = device.chassisType;
  const type = device.deviceType as string;
  const has = (text: string, words: string[]) =>
    words.some((w) => text.includes(w.toLowerCase()));

  if (
    os.includes('server') ||
    sku.includes('server') ||
    chassis === 'enterpriseServer'
  )
    return { kind: 'server', rule: 1 };
  if (
    [os, sku, osVersion].some(
      (s) => s.includes('multi-session') || s.includes('multisession'),
    )
  )
    return { kind: 'server', rule: 2 };
  if (type === 'cloudPC' || model.startsWith('cloud pc'))
    return { kind: 'workstation', rule: 3 };
  const vm = [
    'VMware',
    'VirtualBox',
    'Parallels',
    'QEMU',
    'KVM',
    'Xen',
    'Amazon EC2',
    'Google Compute Engine',
  ];
  if (
    model === 'virtual machine' ||
    maker === 'innotek gmbh' ||
    has(model, vm) ||
    has(maker, vm)
  )
    return { kind: 'workstation', rule: 4 };
  const android =
    ['android', 'androidForWork', 'androidEnterprise', 'androidnGMS'].includes(
      type,
    ) || os === 'android';
  if (
    [
      'iPhone',
      'windowsPhone',
      'winMO6',
      'nokia',
      'blackberry',
      'palm',
    ].includes(type) ||
    chassis === 'phone' ||
    (android && chassis !== 'tablet')
  )
    return { kind: 'smartphone', rule: 5 };
  if (
    ['iPad', 'iPod', 'holoLens', 'surfaceHub'].includes(type) ||
    ['tablet', 'mobileOther', 'mobileUnknown'].includes(chassis as string)
  )
    return { kind: 'user_endpoint', rule: 6 };
  const laptop = [
    'MacBook',
    'Chromebook',
    'Laptop',
    'Notebook',
    'ThinkPad',
    'Latitude',
    'EliteBook',
    'ZBook',
    'ProBook',
    'XPS',
    'Surface Book',
    'Surface Pro',
    'Surface Go',
    'Yoga',
    'IdeaPad',
    'Zenbook',
    'Vivobook',
    'Spectre',
    'Envy x360',
  ];
  if (has(model, laptop) || chassis === 'laptop')
    return { kind: 'laptop', rule: 7 };
  const desktop = [
    'iMac',
    'Mac mini',
    'Mac Pro',
    'Mac Studio',
    'OptiPlex',
    'ThinkCentre',
    'EliteDesk',
    'ProDesk',
    'Desktop',
    'Tower',
    'All-in-One',
  ];
  if (has(model, desktop) || chassis === 'desktop')
    return { kind: 'desktop', rule: 8 };
  if (
    has(model, [
      'ThinkStation',
      'Precision',
      'Z4',
      'Z6',
      'Z8',
      'Workstation',
    ]) ||
    chassis === 'worksWorkstation'
  )
    return { kind: 'workstation', rule: 9 };
  const computerTypes = [
    'desktop',
    'windowsRT',
    'windows10x',
    'mac',
    'macMDM',
    'unix',
    'linux',
    'chromeOS',
    'winEmbedded',
    'winCE',
  ];
  if (
    ['windows', 'macos', 'linux', 'chromeos'].includes(os) ||
    computerTypes.includes(type)
  )
    return { kind: 'computer', rule: 10 };
  return { kind: 'user_endpoint', rule: 11 };
}

const normalise = (name: string) =>
  name.trim().toLowerCase().replace(/\s+/g, ' ');
const detectedFamily = (platform: unknown) => {
  if (typeof platform !== 'string' || platform === '') return 'unknown';
  return platform.startsWith('android') ? 'android' : platform;
};
function managedAppFamily(odataType: string): string | null {
  const type = odataType.replace('#microsoft.graph.', '');
  if (
    [
      'win32LobApp',
      'windowsMobileMSI',
      'winGetApp',
      'windowsMicrosoftEdgeApp',
      'officeSuiteApp',
      'windowsStoreApp',
      'windowsUniversalAppX',
      'microsoftStoreForBusinessApp',
      'windowsAppX',
      'windowsWebApp',
    ].includes(type)
  )
    return 'windows';
  if (type.startsWith('ios')) return 'ios';
  if (type.startsWith('macOS')) return 'macOS';
  if (type.startsWith('android') || type.startsWith('managedAndroid'))
    return 'android';
  return null;
}
/** Assigned or line-of-business: the apps that have install rows (every app is an entity). */
const isDeployedApp = (app: GraphObject) =>
  app.isAssigned === true ||
  String(app['@odata.type']).endsWith('LobApp') ||
  app.appAvailability === 'lineOfBusiness';

/** Every count of the ground truth, recomputed by walking the tenant's Graph objects. */
function bruteForceTruth(t: TenantData): GroundTruth {
  const entities: Record<string, number> = {};
  const relationships: Record<string, number> = {};
  const mapped: Record<string, number> = {};
  const values: Record<string, number> = {};
  const skipped = {
    statusesForUnknownDevices: 0,
    installRowsForUnknownDevices: 0,
    appRowsForUnknownDevices: 0,
    appRowsRepeated: 0,
    resourcesDeletedBeforeAssignmentListing: 0,
    userAndGroupAppRoleAssignments: 0,
    grantsOfUnknownResources: 0,
  };
  const deviceKinds: Record<string, string> = {};
  const add = (record: Record<string, number>, key: string, n = 1) =>
    (record[key] = (record[key] ?? 0) + n);
  const servicePrincipals = all(t.servicePrincipalList);
  const servicePrincipalIds = new Set(
    servicePrincipals.map((sp) => sp.id as string),
  );

  const users = all(t.users);
  const groups = all(t.groups);
  const userIds = new Set(users.map((u) => u.id as string));
  const groupIds = new Set(groups.map((g) => g.id as string));
  entities.microsoft_365_account = 1;
  entities.azure_user = users.length;
  entities.azure_user_group = groups.length;
  relationships['microsoft_365_account|HAS|azure_user'] = users.length;
  relationships['microsoft_365_account|HAS|azure_user_group'] = groups.length;
  const otherMembers = new Set<string>();
  for (const group of groups) {
    for (const id of new Set(t.groupMemberIds(group.id as string))) {
      const type = t.directoryObject(id)?.['@odata.type'];
      if (type === '#microsoft.graph.user')
        add(
          userIds.has(id) ? relationships : mapped,
          'azure_user_group|HAS|azure_user',
        );
      else if (type === '#microsoft.graph.group')
        add(
          groupIds.has(id) ? relationships : mapped,
          'azure_user_group|HAS|azure_user_group',
        );
      else if (type === '#microsoft.graph.servicePrincipal')
        add(
          servicePrincipalIds.has(id) ? relationships : mapped,
          'azure_user_group|HAS|azure_service_principal',
        );
      else {
        otherMembers.add(id);
        add(relationships, 'azure_user_group|HAS|azure_group_member');
      }
    }
  }
  entities.azure_group_member = otherMembers.size;
  bruteForceApplications(t, servicePrincipals, userIds, {
    entities,
    relationships,
    mapped,
    skipped,
  });

  const devices = all(t.managedDevices);
  const kindOf = new Map<string, string>();
  entities.intune_host_agent = devices.length;
  for (const device of devices) {
    const kind = classify(device).kind;
    kindOf.set(device.id as string, kind);
    deviceKinds[device.id as string] = kind;
    add(entities, kind);
    add(relationships, `intune_host_agent|MANAGES|${kind}`);
    if (device.userId)
      add(
        userIds.has(device.userId as string) ? relationships : mapped,
        `azure_user|HAS|${kind}`,
      );
    const loggedOn = new Set(
      (device.usersLoggedOn as GraphObject[]).map((u) => u.userId as string),
    );
    for (const id of loggedOn)
      add(userIds.has(id) ? relationships : mapped, `azure_user|USES|${kind}`);
    const installed = new Set(
      t
        .detectedAppsOfDevice(device.id as string)
        .map(
          (app) =>
            `${detectedFamily(app.platform)}|${normalise(
              app.displayName as string,
            )}|${app.version}`,
        ),
    );
    add(
      relationships,
      `${kind}|INSTALLED|intune_detected_application`,
      installed.size,
    );
  }

  const identities = new Set(
    all(t.detectedApps).map(
      (app) =>
        `${detectedFamily(app.platform)}|${normalise(
          app.displayName as string,
        )}`,
    ),
  );
  entities.intune_detected_application = identities.size;

  entities.intune_managed_application = 0;
  for (const app of all(t.mobileApps)) {
    add(entities, 'intune_managed_application');
    const family = managedAppFamily(app['@odata.type'] as string);
    if (
      family &&
      identities.has(`${family}|${normalise(app.displayName as string)}`)
    )
      add(
        relationships,
        'intune_managed_application|MANAGES|intune_detected_application',
      );
    const stateOf = new Map<string, string>();
    for (const row of t.installStatusRows(app.id as string)) {
      const deviceId = row.DeviceId as string;
      if (!kindOf.get(deviceId)) {
        skipped.installRowsForUnknownDevices++;
        continue;
      }
      keepWorst(
        stateOf,
        deviceId,
        row.InstallState as string,
        INSTALL_SEVERITY,
      );
    }
    for (const [deviceId, state] of stateOf) {
      add(
        relationships,
        `${kindOf.get(deviceId)}|ASSIGNED|intune_managed_application`,
      );
      add(values, `ASSIGNED intune_managed_application installState=${state}`);
    }
  }

  const countAssignments = (type: string, assignments: GraphObject[]) => {
    for (const a of assignments) {
      const target = a.target as Record<string, string>;
      const odataType = target['@odata.type'];
      if (odataType.endsWith('.allDevicesAssignmentTarget'))
        add(values, `${type} assignedToAllDevices=true`);
      else if (odataType.endsWith('.allLicensedUsersAssignmentTarget'))
        add(values, `${type} assignedToAllUsers=true`);
      else
        add(
          groupIds.has(target.groupId) ? relationships : mapped,
          `${type}|${
            odataType.endsWith('.exclusionGroupAssignmentTarget')
              ? 'ALLOWS'
              : 'ASSIGNED'
          }|azure_user_group`,
        );
    }
  };
  entities.intune_noncompliance_finding = 0;
  const sources = [
    ['compliance', t.compliancePolicies, 'intune_compliance_policy'],
    ['configuration', t.deviceConfigurations, 'intune_device_configuration'],
  ] as const;
  for (const [source, policies, type] of sources) {
    entities[type] = policies.count;
    for (const policy of all(policies)) {
      // issue 15: included groups ASSIGNED, excluded ALLOWS, mapped when not in /groups
      countAssignments(
        type,
        t.policyAssignments?.(source, policy.id as string) ?? [],
      );
      const statusOf = new Map<string, string>();
      for (const item of t.deviceStatuses(source, policy.id as string)!) {
        const deviceId = (item.id as string).split('_').pop()!;
        if (!kindOf.get(deviceId)) {
          skipped.statusesForUnknownDevices++;
          continue;
        }
        keepWorst(statusOf, deviceId, item.status as string, STATUS_SEVERITY);
      }
      for (const [deviceId, value] of statusOf) {
        const kind = kindOf.get(deviceId);
        const status = { status: value };
        if (status.status !== 'notAssigned') {
          add(relationships, `intune_host_agent|ASSIGNED|${type}`);
          add(values, `ASSIGNED ${type} status=${status.status}`);
        }
        if (
          ['nonCompliant', 'error', 'conflict'].includes(
            status.status as string,
          )
        ) {
          add(entities, 'intune_noncompliance_finding');
          add(relationships, `${type}|IDENTIFIED|intune_noncompliance_finding`);
          add(relationships, `${kind}|HAS|intune_noncompliance_finding`);
        }
      }
    }
  }
  // issue 15: the report families, from their lists, assignments and report rows.
  const reportFamilies = [
    ['administrativeTemplate', 'intune_device_configuration'],
    ['settingsCompliance', 'intune_compliance_policy'],
  ] as const;
  for (const [source, type] of reportFamilies) {
    const policies = t.reportPolicies?.(source);
    if (!policies) continue;
    add(entities, type, policies.count);
    for (const policy of all(policies)) {
      const policyId = policy.id as string;
      for (const a of t.reportPolicyAssignments?.(source, policyId) ?? []) {
        const target = a.target as Record<string, string>;
        if (!target.groupId) continue;
        add(
          groupIds.has(target.groupId) ? relationships : mapped,
          `${type}|${
            target['@odata.type'].endsWith('.exclusionGroupAssignmentTarget')
              ? 'ALLOWS'
              : 'ASSIGNED'
          }|azure_user_group`,
        );
      }
      const statusOf = new Map<string, string>();
      for (const row of t.reportPolicyRows?.(source, policyId) ?? []) {
        if (!kindOf.get(row.deviceId)) {
          skipped.statusesForUnknownDevices++;
          continue;
        }
        keepWorst(statusOf, row.deviceId, row.status, STATUS_SEVERITY);
      }
      for (const [deviceId, value] of statusOf) {
        add(relationships, `intune_host_agent|ASSIGNED|${type}`);
        if (['nonCompliant', 'error', 'conflict'].includes(value)) {
          add(entities, 'intune_noncompliance_finding');
          add(relationships, `${type}|IDENTIFIED|intune_noncompliance_finding`);
          add(
            relationships,
            `${kindOf.get(deviceId)}|HAS|intune_noncompliance_finding`,
          );
        }
      }
    }
  }
  // issue 15: settingsCatalog / endpointSecurity, from what the routes serve
  const settings = t.settingsPolicies;
  const settingsType = 'intune_device_configuration';
  // STATUS_VALUES is Graph's complianceStatus enum, in its order
  const STATUS_BY_CODE = STATUS_VALUES;
  for (const policy of settings ? all(settings.collection) : []) {
    const policyId = policy.id as string;
    add(entities, settingsType);
    countAssignments(settingsType, settings!.assignments(policyId) ?? []);
    const statusOf = new Map<string, string>();
    for (const row of settings!.deviceRows(policyId)!) {
      const deviceId = row.IntuneDeviceId as string;
      if (!kindOf.get(deviceId)) {
        add(values, 'settingsPolicy rowsForUnknownDevices');
        continue;
      }
      const status = STATUS_BY_CODE[row.PolicyStatus as number];
      keepWorst(statusOf, deviceId, status, STATUS_SEVERITY);
    }
    for (const [deviceId, value] of statusOf) {
      if (value !== 'notAssigned') {
        add(relationships, `intune_host_agent|ASSIGNED|${settingsType}`);
        add(values, `ASSIGNED ${settingsType} status=${value}`);
      }
      if (['nonCompliant', 'error', 'conflict'].includes(value)) {
        add(entities, 'intune_noncompliance_finding');
        add(
          relationships,
          `${settingsType}|IDENTIFIED|intune_noncompliance_finding`,
        );
        add(
          relationships,
          `${kindOf.get(deviceId)}|HAS|intune_noncompliance_finding`,
        );
      }
    }
  }
  // The AppInvRawData export: rows naming no managed device, rows that repeat one.
  const seenRows = new Set<string>();
  for (const row of t.appInventory?.rows() ?? []) {
    const device = row.DeviceId.toLowerCase();
    if (!t.managedDevice(device)) {
      skipped.appRowsForUnknownDevices++;
      continue;
    }
    const key = `${device}|${row.ApplicationKey}`;
    if (seenRows.has(key)) skipped.appRowsRepeated++;
    seenRows.add(key);
  }
  const identity = bruteForceIdentity(t, userIds, groupIds, add, {
    entities,
    relationships,
    mapped,
  });
  return {
    entities,
    relationships,
    mappedRelationships: mapped,
    skipped,
    deviceKinds,
    values,
    identity,
  };
}

const GUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * issue 16, recounted from the served objects: role assignments merged by
 * (principal, role, scope, active|eligible) over the three lists;
 * Conditional Access targets per distinct object id; what the registration
 * report lists. A service principal is direct when GET /servicePrincipals
 * lists it.
 */
function bruteForceIdentity(
  t: TenantData,
  userIds: Set<string>,
  groupIds: Set<string>,
  add: (record: Record<string, number>, key: string, n?: number) => number,
  out: {
    entities: Record<string, number>;
    relationships: Record<string, number>;
    mapped: Record<string, number>;
  },
): IdentityTruth {
  const { entities, relationships, mapped } = out;
  const servicePrincipalIds = new Set(
    all(t.servicePrincipalList).map((sp) => sp.id),
  );
  entities.azure_ad_role_definition = t.roleDefinitions.length;
  const assignments = new Map<string, GraphObject[]>();
  const collect = (items: GraphObject[], type: string) => {
    for (const item of items) {
      if (item.memberType && item.memberType !== 'Direct') continue;
      const key = `${item.principalId}|${item.roleDefinitionId}|${item.directoryScopeId}|${type}`;
      assignments.set(key, [...(assignments.get(key) ?? []), item]);
    }
  };
  collect(t.roleAssignments, 'active');
  if (t.premiumP2) {
    collect(t.roleAssignmentScheduleInstances, 'active');
    collect(t.roleEligibilityScheduleInstances, 'eligible');
  }
  let withoutPrincipal = 0;
  let timeBound = 0;
  let eligible = 0;
  for (const [key, items] of assignments) {
    const principalId = key.split('|')[0];
    const type = t.directoryObjectType(principalId);
    const target =
      type === 'user'
        ? ['azure_user', userIds.has(principalId)]
        : type === 'group'
        ? ['azure_user_group', groupIds.has(principalId)]
        : type === 'servicePrincipal'
        ? ['azure_service_principal', servicePrincipalIds.has(principalId)]
        : undefined;
    if (!target) {
      withoutPrincipal++;
      continue;
    }
    add(
      target[1] ? relationships : mapped,
      `${target[0]}|HAS|azure_ad_role_definition`,
    );
    if (key.endsWith('|eligible')) eligible++;
    else if (items.some((i) => i.endDateTime)) timeBound++;
  }

  const users = all(t.users);
  const listed = new Map(
    (t.premium ? all(t.userRegistrationDetails) : []).map((r) => [
      r.id as string,
      r,
    ]),
  );
  const admins = new Set(
    [...t.roleAssignments, ...t.roleEligibilityScheduleInstances].map(
      (a) => a.principalId as string,
    ),
  );
  const registered = users.filter(
    (u) => listed.get(u.id as string)?.isMfaRegistered === true,
  );
  const notRegistered = users.filter(
    (u) => listed.get(u.id as string)?.isMfaRegistered === false,
  );

  const policies = t.premium ? t.conditionalAccessPolicies : [];
  const locations = new Set(
    (t.premium ? t.namedLocations : []).map((l) => l.id as string),
  );
  entities.azure_conditional_access_policy = policies.length;
  entities.azure_conditional_access_named_location = locations.size;
  const roleIds = new Set(t.roleDefinitions.map((d) => d.id as string));
  let excludedFromAll: string[] | undefined;
  for (const policy of policies) {
    const c = policy.conditions as any;
    const targets: [string, string[] | undefined, string][] = [
      ['ASSIGNED', c.users.includeUsers, 'user'],
      ['ALLOWS', c.users.excludeUsers, 'user'],
      ['ASSIGNED', c.users.includeGroups, 'group'],
      ['ALLOWS', c.users.excludeGroups, 'group'],
      ['ASSIGNED', c.users.includeRoles, 'role'],
      ['ALLOWS', c.users.excludeRoles, 'role'],
      ['ASSIGNED', c.clientApplications?.includeServicePrincipals, 'sp'],
      ['ALLOWS', c.clientApplications?.excludeServicePrincipals, 'sp'],
    ];
    for (const [verb, ids, kind] of targets) {
      for (const id of new Set(ids ?? [])) {
        if (!GUID_PATTERN.test(id)) continue;
        const [type, direct] =
          kind === 'user'
            ? ['azure_user', userIds.has(id)]
            : kind === 'group'
            ? ['azure_user_group', groupIds.has(id)]
            : kind === 'role'
            ? ['azure_ad_role_definition', roleIds.has(id)]
            : ['azure_service_principal', servicePrincipalIds.has(id)];
        add(
          direct ? relationships : mapped,
          `azure_conditional_access_policy|${verb}|${type}`,
        );
      }
    }
    for (const id of new Set([
      ...(c.locations?.includeLocations ?? []),
      ...(c.locations?.excludeLocations ?? []),
    ])) {
      if (!GUID_PATTERN.test(id as string)) continue;
      add(
        locations.has(id as string) ? relationships : mapped,
        'azure_conditional_access_policy|USES|azure_conditional_access_named_location',
      );
    }
    const targetsUsers =
      c.users.includeUsers.some((id: string) => id !== 'None') ||
      c.users.includeGroups.length > 0 ||
      c.users.includeRoles.length > 0 ||
      Boolean(c.users.includeGuestsOrExternalUsers);
    if (policy.state === 'enabled' && targetsUsers) {
      const excluded = (c.users.excludeUsers as string[]).filter((id) =>
        userIds.has(id),
      );
      excludedFromAll = excludedFromAll
        ? excludedFromAll.filter((id) => excluded.includes(id))
        : excluded;
    }
  }
  const states = (state: string) =>
    policies.filter((p) => p.state === state).length;
  return {
    usersMfaRegistered: registered.length,
    usersMfaNotRegistered: notRegistered.length,
    usersWithoutRegistration:
      users.length - registered.length - notRegistered.length,
    registrationRecordsForUnknownUsers: Array.from(listed.keys()).filter(
      (id) => !userIds.has(id),
    ).length,
    adminsWithoutMfa: notRegistered.filter((u) => admins.has(u.id as string))
      .length,
    privilegedRoleDefinitions: t.roleDefinitions.filter((d) => d.isPrivileged)
      .length,
    customRoleDefinitions: t.roleDefinitions.filter((d) => !d.isBuiltIn).length,
    timeBoundActiveAssignments: timeBound,
    eligibleAssignments: eligible,
    roleAssignmentsWithoutPrincipal: withoutPrincipal,
    inheritedRoleInstances: t.premiumP2
      ? t.roleAssignmentScheduleInstances.filter(
          (i) => i.memberType === 'Group',
        ).length
      : 0,
    enabledPolicies: states('enabled'),
    reportOnlyPolicies: states('enabledForReportingButNotEnforced'),
    disabledPolicies: states('disabled'),
    usersExcludedFromEveryEnabledPolicy: [...(excludedFromAll ?? [])].sort(),
    securityDefaultsEnabled: t.securityDefaultsPolicy.isEnabled as boolean,
  };
}

/** The applications module's counts, from the wire objects only (GET lists, owners, appRoleAssignedTo). */
function bruteForceApplications(
  t: TenantData,
  servicePrincipals: GraphObject[],
  userIds: Set<string>,
  out: Pick<GroundTruth, 'entities' | 'relationships' | 'skipped'> & {
    mapped: Record<string, number>;
  },
): void {
  const add = (record: Record<string, number>, key: string, n = 1) =>
    (record[key] = (record[key] ?? 0) + n);
  const { entities, relationships, mapped, skipped } = out;
  const listed = new Set(servicePrincipals.map((sp) => sp.id as string));
  const appIds = new Set(servicePrincipals.map((sp) => sp.appId as string));
  const applications = all(t.applications);
  const credentials = (o: GraphObject) =>
    (o.keyCredentials as unknown[]).length +
    (o.passwordCredentials as unknown[]).length;
  entities.azure_service_principal = servicePrincipals.length;
  entities.azure_app_registration = applications.length;
  entities.azure_app_credential = 0;
  const owned = (id: string, type: string) => {
    for (const owner of new Set(t.ownerIds(id))) {
      const kind = t.directoryObject(owner)?.['@odata.type'];
      if (kind === '#microsoft.graph.user')
        add(
          userIds.has(owner) ? relationships : mapped,
          `azure_user|OWNS|${type}`,
        );
      else
        add(
          listed.has(owner) ? relationships : mapped,
          `azure_service_principal|OWNS|${type}`,
        );
    }
  };
  for (const sp of servicePrincipals) {
    add(entities, 'azure_app_credential', credentials(sp));
    add(
      relationships,
      'azure_service_principal|HAS|azure_app_credential',
      credentials(sp),
    );
    owned(sp.id as string, 'azure_service_principal');
    const isResource = (sp.appRoles as GraphObject[]).some((role) =>
      (role.allowedMemberTypes as string[]).includes('Application'),
    );
    if (!isResource) continue;
    const rows = t.appRoleAssignedTo(sp.id as string);
    if (!rows) {
      skipped.resourcesDeletedBeforeAssignmentListing++;
      continue;
    }
    const assignments = new Map<string, string>();
    for (const row of rows) {
      if (row.principalType !== 'ServicePrincipal')
        skipped.userAndGroupAppRoleAssignments++;
      else
        assignments.set(
          `${row.principalId}|${row.appRoleId}`,
          row.principalId as string,
        );
    }
    for (const client of assignments.values())
      add(
        listed.has(client) ? relationships : mapped,
        'azure_service_principal|ASSIGNED|azure_service_principal',
      );
  }
  for (const app of applications) {
    const n =
      credentials(app) +
      (t.federatedIdentityCredentials(app.id as string) ?? []).length;
    add(entities, 'azure_app_credential', n);
    add(relationships, 'azure_app_registration|HAS|azure_app_credential', n);
    if (appIds.has(app.appId as string))
      add(relationships, 'azure_app_registration|HAS|azure_service_principal');
    owned(app.id as string, 'azure_app_registration');
  }
  for (const grant of all(t.oauth2PermissionGrants)) {
    if (!listed.has(grant.resourceId as string))
      skipped.grantsOfUnknownResources++;
    else
      add(
        listed.has(grant.clientId as string) ? relationships : mapped,
        'azure_service_principal|ALLOWS|azure_service_principal',
      );
  }
}

/** Several rows for one device: the worst of `order` decides (docs/compliance.md, docs/applications.md). */
function keepWorst(
  worst: Map<string, string>,
  deviceId: string,
  value: string,
  order: readonly string[],
): void {
  const before = worst.get(deviceId);
  if (!before || order.indexOf(value) < order.indexOf(before))
    worst.set(deviceId, value);
}

const nonZero = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).filter(([, n]) => n !== 0));

// ---- tests ------------------------------------------------------------------------------------

const GUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('tenant generator', () => {
  const tiny = generateTenant(PROFILES.tiny);

  describe('determinism', () => {
    function snapshot(t: TenantData) {
      const statuses = (
        source: 'compliance' | 'configuration',
        policies: GraphObject[],
      ) => policies.map((p) => t.deviceStatuses(source, p.id as string));
      return JSON.stringify({
        organization: t.organization,
        users: all(t.users),
        groups: all(t.groups),
        members: all(t.groups).map((g) => t.groupMemberIds(g.id as string)),
        devices: all(t.managedDevices),
        detectedApps: all(t.detectedApps),
        mobileApps: all(t.mobileApps),
        rows: all(t.mobileApps).map((a) => t.installStatusRows(a.id as string)),
        compliance: statuses('compliance', all(t.compliancePolicies)),
        configuration: statuses('configuration', all(t.deviceConfigurations)),
        truth: t.groundTruth(),
      });
    }

    test('the same profile gives identical objects and truth', () => {
      expect(snapshot(generateTenant(PROFILES.tiny))).toEqual(snapshot(tiny));
    });

    test('collections return an equal object every time', () => {
      expect(tiny.managedDevices.get(5)).toEqual(tiny.managedDevices.get(5));
      expect(tiny.users.get(3)).toEqual(tiny.users.get(3));
    });

    test('another seed gives another tenant', () => {
      const other = generateTenant(makeProfile({ seed: 2 }));
      expect(other.users.get(0).id).not.toEqual(tiny.users.get(0).id);
      expect(
        other.managedDevices.get(60 % other.managedDevices.count),
      ).not.toEqual(tiny.managedDevices.get(60 % tiny.managedDevices.count));
      expect(snapshot(other)).not.toEqual(snapshot(tiny));
    });
  });

  describe('coverage of the rules in the tiny profile', () => {
    const truth = tiny.groundTruth();

    test('every entity, relationship and mapped relationship key is at least 1', () => {
      const zero = (record: Record<string, number>) =>
        Object.keys(record).filter((k) => !(record[k] >= 1));
      expect(zero(truth.entities)).toEqual([]);
      expect(zero(truth.relationships)).toEqual([]);
      expect(zero(truth.mappedRelationships)).toEqual([]);
      expect(truth.skipped.statusesForUnknownDevices).toBeGreaterThan(0);
      expect(truth.skipped.installRowsForUnknownDevices).toBeGreaterThan(0);
      expect(truth.skipped.appRowsForUnknownDevices).toBeGreaterThan(0);
      expect(truth.skipped.appRowsRepeated).toBeGreaterThan(0);
      expect(truth.skipped.resourcesDeletedBeforeAssignmentListing).toBe(1);
      expect(truth.skipped.userAndGroupAppRoleAssignments).toBeGreaterThan(0);
      expect(truth.skipped.grantsOfUnknownResources).toBe(1);
    });

    test('the truth names every key the rules produce', () => {
      const perKind = (kind: string) => [
        `intune_host_agent|MANAGES|${kind}`,
        `azure_user|HAS|${kind}`,
        `azure_user|USES|${kind}`,
        `${kind}|ASSIGNED|intune_managed_application`,
        `${kind}|INSTALLED|intune_detected_application`,
        `${kind}|HAS|intune_noncompliance_finding`,
      ];
      expect(Object.keys(truth.entities).sort()).toEqual(
        [
          'microsoft_365_account',
          'azure_user',
          'azure_user_group',
          'azure_group_member',
          'azure_service_principal',
          'azure_app_registration',
          'azure_app_credential',
          ...DEVICE_KINDS,
          'intune_host_agent',
          'intune_managed_application',
          'intune_detected_application',
          'intune_compliance_policy',
          'intune_device_configuration',
          'intune_noncompliance_finding',
          // issue 16
          'azure_ad_role_definition',
          'azure_conditional_access_policy',
          'azure_conditional_access_named_location',
        ].sort(),
      );
      expect(Object.keys(truth.relationships).sort()).toEqual(
        [
          'microsoft_365_account|HAS|azure_user',
          'microsoft_365_account|HAS|azure_user_group',
          'azure_user_group|HAS|azure_user',
          'azure_user_group|HAS|azure_user_group',
          'azure_user_group|HAS|azure_group_member',
          'azure_user_group|HAS|azure_service_principal',
          'azure_app_registration|HAS|azure_service_principal',
          'azure_app_registration|HAS|azure_app_credential',
          'azure_service_principal|HAS|azure_app_credential',
          'azure_service_principal|ASSIGNED|azure_service_principal',
          'azure_service_principal|ALLOWS|azure_service_principal',
          'azure_user|OWNS|azure_app_registration',
          'azure_user|OWNS|azure_service_principal',
          'azure_service_principal|OWNS|azure_app_registration',
          'azure_service_principal|OWNS|azure_service_principal',
          ...DEVICE_KINDS.flatMap(perKind),
          'intune_managed_application|MANAGES|intune_detected_application',
          'intune_host_agent|ASSIGNED|intune_compliance_policy',
          'intune_host_agent|ASSIGNED|intune_device_configuration',
          'intune_compliance_policy|IDENTIFIED|intune_noncompliance_finding',
          'intune_device_configuration|IDENTIFIED|intune_noncompliance_finding',
          ...IDENTITY_RELATIONSHIP_KEYS,
          ...POLICY_ASSIGNMENT_RELATIONSHIP_KEYS,
        ].sort(),
      );
      expect(Object.keys(truth.mappedRelationships).sort()).toEqual(
        [
          'azure_user_group|HAS|azure_user',
          'azure_user_group|HAS|azure_user_group',
          'azure_user_group|HAS|azure_service_principal',
          'azure_service_principal|ASSIGNED|azure_service_principal',
          'azure_service_principal|ALLOWS|azure_service_principal',
          'azure_user|OWNS|azure_app_registration',
          'azure_user|OWNS|azure_service_principal',
          'azure_service_principal|OWNS|azure_app_registration',
          'azure_service_principal|OWNS|azure_service_principal',
          ...DEVICE_KINDS.flatMap((k) => [
            `azure_user|HAS|${k}`,
            `azure_user|USES|${k}`,
          ]),
          ...IDENTITY_RELATIONSHIP_KEYS,
          ...POLICY_ASSIGNMENT_RELATIONSHIP_KEYS,
        ].sort(),
      );
    });

    test('every device template, status value and install state occurs', () => {
      const models = new Set(
        all(tiny.managedDevices).map(
          (d) => `${d.deviceType}|${d.model}|${d.operatingSystem}`,
        ),
      );
      for (const t of DEVICE_TEMPLATES)
        expect(models).toContain(
          `${t.deviceType}|${t.model}|${t.operatingSystem}`,
        );
      const statuses = new Set(
        [
          ...all(tiny.compliancePolicies).flatMap(
            (p) => tiny.deviceStatuses('compliance', p.id as string)!,
          ),
          ...all(tiny.deviceConfigurations).flatMap(
            (p) => tiny.deviceStatuses('configuration', p.id as string)!,
          ),
        ].map((s) => s.status),
      );
      expect([...statuses].sort()).toEqual(
        [
          'unknown',
          'notApplicable',
          'compliant',
          'remediated',
          'nonCompliant',
          'error',
          'conflict',
          'notAssigned',
        ].sort(),
      );
      const states = new Set(
        all(tiny.mobileApps).flatMap((a) =>
          tiny.installStatusRows(a.id as string).map((r) => r.InstallState),
        ),
      );
      expect([...states].sort()).toEqual(
        [
          'installed',
          'failed',
          'notInstalled',
          'uninstallFailed',
          'pendingInstall',
          'unknown',
          'notApplicable',
        ].sort(),
      );
    });

    test('directory oddities: guests, disabled users, users without mail, group kinds, members of every kind', () => {
      const users = all(tiny.users);
      expect(
        users.some(
          (u) =>
            u.userType === 'Guest' &&
            String(u.userPrincipalName).includes('#EXT#'),
        ),
      ).toBe(true);
      expect(users.some((u) => u.accountEnabled === false)).toBe(true);
      expect(users.some((u) => u.mail === null)).toBe(true);
      expect(users.some((u) => u.signInActivity === null)).toBe(true);
      const groups = all(tiny.groups);
      expect(
        groups.some((g) => (g.groupTypes as string[]).includes('Unified')),
      ).toBe(true);
      expect(groups.some((g) => typeof g.membershipRule === 'string')).toBe(
        true,
      );
      expect(groups.some((g) => g.onPremisesSyncEnabled === true)).toBe(true);
      expect(
        groups.some(
          (g) =>
            g.mailEnabled === true &&
            g.securityEnabled === false &&
            !(g.groupTypes as string[]).length,
        ),
      ).toBe(true);
      const memberTypes = new Set(
        all(tiny.groups).flatMap((g) =>
          tiny
            .groupMemberIds(g.id as string)!
            .map((id) => tiny.directoryObject(id)!['@odata.type']),
        ),
      );
      expect([...memberTypes].sort()).toEqual(
        [
          '#microsoft.graph.user',
          '#microsoft.graph.group',
          '#microsoft.graph.device',
          '#microsoft.graph.servicePrincipal',
          '#microsoft.graph.orgContact',
          '#microsoft.graph.directoryObject',
        ].sort(),
      );
      const firstGroup = tiny.groupMemberIds(tiny.groups.get(0).id as string)!;
      expect(new Set(firstGroup).size).toBeLessThan(firstGroup.length); // Graph repeats a member
      const idOnly = firstGroup
        .map((id) => tiny.directoryObject(id)!)
        .find((o) => o['@odata.type'] === '#microsoft.graph.directoryObject');
      expect(Object.keys(idOnly!)).toEqual(['@odata.type', 'id']);
    });

    test('mobile apps of every kind the rules distinguish', () => {
      const types = new Set(
        all(tiny.mobileApps).map((a) =>
          String(a['@odata.type']).replace('#microsoft.graph.', ''),
        ),
      );
      for (const type of [
        'win32LobApp',
        'iosStoreApp',
        'androidManagedStoreApp',
        'macOSLobApp',
        'webApp',
        'officeSuiteApp',
        'windowsMicrosoftEdgeApp',
        'iosVppApp',
        'managedAndroidStoreApp',
      ]) {
        expect(types).toContain(type);
      }
      expect(tiny.mobileApps.count).toBe(MOBILE_APP_TEMPLATES.length);
      const apps = all(tiny.mobileApps);
      expect(apps.some((a) => !isDeployedApp(a))).toBe(true); // unassigned store apps: no install rows
      expect(
        apps
          .filter((a) => !isDeployedApp(a))
          .every((a) => tiny.installStatusRows(a.id as string).length === 0),
      ).toBe(true);
    });

    test('lookups: unknown ids, deleted objects, unassigned policies', () => {
      expect(
        tiny.groupMemberIds('00000000-0000-4000-8000-000000000000'),
      ).toBeUndefined();
      expect(
        tiny.directoryObject('00000000-0000-4000-8000-000000000000'),
      ).toBeUndefined();
      expect(tiny.managedDevice('nope')).toBeUndefined();
      expect(
        tiny.deviceStatuses(
          'compliance',
          tiny.deviceConfigurations.get(0).id as string,
        ),
      ).toBeUndefined();
      const lastPolicy = tiny.compliancePolicies.get(
        tiny.compliancePolicies.count - 1,
      );
      expect(
        tiny.deviceStatuses('compliance', lastPolicy.id as string),
      ).toEqual([]);
      const device = tiny.managedDevices.get(3);
      expect(tiny.managedDevice(device.id as string)).toEqual(device);
      expect(() => tiny.users.get(tiny.users.count)).toThrow(RangeError);

      // a member /users does not list is still a directory object (deleted between calls)
      const userIds = new Set(all(tiny.users).map((u) => u.id));
      const ghost = all(tiny.groups)
        .flatMap((g) => tiny.groupMemberIds(g.id as string)!)
        .find(
          (id) => tiny.directoryObjectType(id) === 'user' && !userIds.has(id),
        );
      expect(tiny.directoryObject(ghost!)).toMatchObject({
        '@odata.type': '#microsoft.graph.user',
        id: ghost,
      });
    });

    test('ids: GUIDs, 64-hex detected apps, status ids that end with the device id', () => {
      expect(all(tiny.users).every((u) => GUID.test(u.id as string))).toBe(
        true,
      );
      expect(
        all(tiny.managedDevices).every((d) => GUID.test(d.id as string)),
      ).toBe(true);
      expect(
        all(tiny.detectedApps).every((a) =>
          /^[0-9a-f]{64}$/.test(a.id as string),
        ),
      ).toBe(true);
      const intuneAccountId = tiny.intune!.intuneAccountId;
      const policy = tiny.compliancePolicies.get(0);
      for (const status of tiny.deviceStatuses(
        'compliance',
        policy.id as string,
      )!) {
        const [account, policyId, deviceId] = (status.id as string).split('_');
        expect([account, policyId]).toEqual([intuneAccountId, policy.id]);
        expect(GUID.test(deviceId)).toBe(true);
      }
    });

    test('detected apps: one item per (name, version, platform), consistent deviceCount, several versions', () => {
      const apps = all(tiny.detectedApps);
      const keys = apps.map(
        (a) => `${a.displayName}|${a.version}|${a.platform}`,
      );
      expect(new Set(keys).size).toBe(keys.length);
      const listed = new Map<string, number>();
      for (const device of all(tiny.managedDevices)) {
        for (const app of tiny.detectedAppsOfDevice(device.id as string))
          listed.set(app.id as string, (listed.get(app.id as string) ?? 0) + 1);
      }
      for (const app of apps) {
        expect(app.deviceCount).toBe(listed.get(app.id as string));
        expect(tiny.deviceIdsOfDetectedApp(app.id as string)).toHaveLength(
          app.deviceCount as number,
        );
      }
      const versionsByName = new Map<string, Set<unknown>>();
      for (const app of apps)
        versionsByName.set(
          app.displayName as string,
          (versionsByName.get(app.displayName as string) ?? new Set()).add(
            app.version,
          ),
        );
      expect([...versionsByName.values()].some((v) => v.size > 1)).toBe(true);
    });
  });

  describe('shapes match the real recordings', () => {
    test('users (GET /users) and users as group members', () => {
      const recorded = [
        ...harItems('iterateUsers.har', '/users'),
        ...harItems('iterateManagedDevicesWithAD.har', '/v1.0/users'),
      ];
      const members = harItems('iterateGroupMembers.har', '/members');
      const problems = all(tiny.users).flatMap((u, i) => [
        ...shapeProblems(`user ${i}`, u, recorded, { extras: USER_EXTRAS }),
        ...shapeProblems(
          `member user ${i}`,
          tiny.directoryObject(u.id as string)!,
          members,
          {
            extras: USER_EXTRAS,
            typeSamples: recorded,
          },
        ),
      ]);
      expect(problems).toEqual([]);
    });

    test('every directory object carries @odata.type and id first', () => {
      const ids = all(tiny.groups).flatMap(
        (g) => tiny.groupMemberIds(g.id as string)!,
      );
      for (const id of ids)
        expect(Object.keys(tiny.directoryObject(id)!).slice(0, 2)).toEqual([
          '@odata.type',
          'id',
        ]);
    });

    test('organization', () => {
      const recorded = harItems('fetchAccount.har', /\/v1\.0\/organization$/);
      expect(
        shapeProblems('organization', tiny.organization, recorded, {
          extras: ORGANIZATION_EXTRAS,
        }),
      ).toEqual([]);
    });

    test('beta managed devices', () => {
      const recorded = harItems(
        'iterateManagedDevicesWithAD.har',
        '/beta/deviceManagement/managedDevices',
      );
      const problems = all(tiny.managedDevices).flatMap((d, i) =>
        shapeProblems(`device ${i}`, d, recorded, {
          extras: MANAGED_DEVICE_EXTRAS,
          nullable: ['wiFiMacAddress'],
        }),
      );
      expect(problems).toEqual([]);
    });

    test('detected apps, listed and expanded on a device', () => {
      const recorded = harBodies(
        'fetchDetectedApplications.har',
        'expand=detectedApps',
      ).flatMap((d) => d.detectedApps);
      const expanded = all(tiny.managedDevices).flatMap((d) =>
        tiny.detectedAppsOfDevice(d.id as string),
      );
      const problems = [...all(tiny.detectedApps), ...expanded].flatMap(
        (a, i) =>
          shapeProblems(`detectedApp ${i}`, a, recorded, {
            extras: DETECTED_APP_EXTRAS,
          }),
      );
      expect(problems).toEqual([]);
      expect(expanded.every((a) => a.deviceCount === 0)).toBe(true); // as the recording shows under $expand
    });

    test('mobile apps: recorded types match exactly, others share the common properties', () => {
      const recorded = harItems('fetchManagedApplications.har', /mobileApps\?/);
      const common = Object.keys(recorded[0]).slice(0, 21);
      const problems: string[] = [];
      for (const app of all(tiny.mobileApps)) {
        const sameType = recorded.filter(
          (r) => r['@odata.type'] === app['@odata.type'],
        );
        if (sameType.length)
          problems.push(
            ...shapeProblems(String(app['@odata.type']), app, sameType, {
              typeSamples: recorded,
            }),
          );
        else if (Object.keys(app).slice(0, 21).join() !== common.join())
          problems.push(`${app['@odata.type']}: common keys`);
      }
      expect(problems).toEqual([]);
      const types = new Set(all(tiny.mobileApps).map((a) => a['@odata.type']));
      expect(recorded.filter((r) => types.has(r['@odata.type']))).toHaveLength(
        recorded.length,
      );
    });

    test('compliance policies and device configurations', () => {
      const compliance = harItems(
        'fetchCompliancePolicyAndFindings.har',
        /deviceCompliancePolicies$/,
      );
      const configurations = harItems(
        'fetchDeviceConfigurationsAndFindings.har',
        /deviceConfigurations$/,
      );
      const problems: string[] = [];
      for (const [generated, recorded] of [
        [all(tiny.compliancePolicies), compliance],
        [all(tiny.deviceConfigurations), configurations],
      ]) {
        const head = Object.keys(recorded[0]).slice(0, 7);
        for (const policy of generated) {
          const sameType = recorded.filter(
            (r) => r['@odata.type'] === policy['@odata.type'],
          );
          if (sameType.length)
            problems.push(
              ...shapeProblems(
                String(policy['@odata.type']),
                policy,
                sameType,
                { typeSamples: recorded },
              ),
            );
          else if (Object.keys(policy).slice(0, 7).join() !== head.join())
            problems.push(`${policy['@odata.type']}: head keys`);
        }
        expect(
          generated.filter((p) =>
            recorded.some((r) => r['@odata.type'] === p['@odata.type']),
          ).length,
        ).toBeGreaterThan(1);
      }
      expect(problems).toEqual([]);
    });

    test('device statuses: beta compliance (with platform) and v1.0 configuration (without)', () => {
      const compliance = harItems(
        'fetchCompliancePolicyAndFindings.har',
        /deviceStatuses$/,
      );
      const configurations = harItems(
        'fetchDeviceConfigurationsAndFindings.har',
        /deviceStatuses$/,
      );
      const problems = [
        ...all(tiny.compliancePolicies).flatMap((p) =>
          tiny
            .deviceStatuses('compliance', p.id as string)!
            .flatMap((s) => shapeProblems('compliance status', s, compliance)),
        ),
        ...all(tiny.deviceConfigurations).flatMap((p) =>
          tiny
            .deviceStatuses('configuration', p.id as string)!
            .flatMap((s) =>
              shapeProblems('configuration status', s, configurations),
            ),
        ),
      ];
      expect(problems).toEqual([]);
    });

    test('install status rows have the report columns', () => {
      const rows = tiny.installStatusRows(tiny.mobileApps.get(0).id as string);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(Object.keys(row)).toEqual([
          'DeviceId',
          'ApplicationId',
          'UserId',
          'DeviceName',
          'UserPrincipalName',
          'UserName',
          'Platform',
          'AppVersion',
          'ErrorCode',
          'InstallState',
          'InstallStateDetail',
          'LastModifiedDateTime',
          'HexErrorCode',
          'AppInstallState',
          'AppInstallState_loc',
          'AppInstallStateDetails',
          'AppInstallStateDetails_loc',
        ]);
      }
    });
  });

  describe('app registrations and service principals', () => {
    const recorded = harItems(
      'entra/ad-service-principals.har',
      '/servicePrincipals',
    );
    const servicePrincipals = all(tiny.servicePrincipalList);
    const kinds = (sp: GraphObject) =>
      sp.servicePrincipalType !== 'Application'
        ? String(sp.servicePrincipalType)
        : sp.appOwnerOrganizationId === tiny.tenantId
        ? 'tenant'
        : sp.appOwnerOrganizationId === 'f8cdef31-a31e-4b4a-93e4-5f571e91255a'
        ? 'microsoft'
        : 'thirdParty';

    test('service principals of every kind have the recorded shape', () => {
      const byKind = new Map<string, GraphObject>();
      for (const sp of servicePrincipals) byKind.set(kinds(sp), sp);
      expect(Array.from(byKind.keys()).sort()).toEqual([
        'Legacy',
        'ManagedIdentity',
        'SocialIdp',
        'microsoft',
        'tenant',
        'thirdParty',
      ]);
      const credentialSamples = recorded.flatMap(
        (sp) => sp.keyCredentials as GraphObject[],
      );
      expect(credentialSamples.length).toBeGreaterThan(0);
      for (const sp of servicePrincipals) {
        expect(
          shapeProblems(String(sp.displayName), sp, recorded, {
            nullable: ['info', 'appOwnerOrganizationId', 'signInAudience'],
          }),
        ).toEqual([]);
      }
      // The member pool lists the same objects in group member lists.
      const pool = PROFILES.tiny.directory.memberServicePrincipals;
      for (const sp of servicePrincipals.slice(0, pool)) {
        expect(tiny.directoryObject(sp.id as string)).toEqual({
          '@odata.type': '#microsoft.graph.servicePrincipal',
          ...sp,
        });
      }
      // Microsoft Graph comes with its real app roles and ids.
      const graph = servicePrincipals.find(
        (sp) => sp.appId === '00000003-0000-0000-c000-000000000000',
      )!;
      expect(
        (graph.appRoles as GraphObject[]).find(
          (role) => role.value === 'Directory.ReadWrite.All',
        )?.id,
      ).toBe('19dbc75e-c2e2-444c-a770-ec69d8559fc7');
    });

    test('appRoleAssignedTo rows have the recorded shape', () => {
      const rows = harItems(
        'entra/ad-service-principal-app-role-assigned-to.har',
        '/appRoleAssignedTo',
      );
      const simulated = servicePrincipals.flatMap(
        (sp) => tiny.appRoleAssignedTo(sp.id as string) ?? [],
      );
      expect(new Set(simulated.map((r) => r.principalType))).toEqual(
        new Set(['ServicePrincipal', 'User', 'Group']),
      );
      for (const row of simulated) {
        expect(shapeProblems('assignment', row, rows)).toEqual([]);
        expect(row.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }
    });

    test('credentials: secrets and certificates that expired, expire soon, later and never; federated ones', () => {
      const now = Date.UTC(2024, 5, 1, 12);
      const credentials = [
        ...servicePrincipals,
        ...all(tiny.applications),
      ].flatMap((o) => [
        ...(o.passwordCredentials as GraphObject[]),
        ...(o.keyCredentials as GraphObject[]),
      ]);
      const ends = credentials.map((c) => Date.parse(c.endDateTime as string));
      expect(ends.some((end) => end < now)).toBe(true);
      expect(ends.some((end) => end > now && end < now + 30 * 864e5)).toBe(
        true,
      );
      expect(ends.some((end) => end > now + 30 * 864e5)).toBe(true);
      expect(
        credentials.some((c) => c.endDateTime === '2299-12-31T00:00:00Z'),
      ).toBe(true);
      for (const c of credentials) {
        expect(c.key ?? c.secretText ?? null).toBeNull();
        if ('hint' in c) expect(c.hint).toMatch(/^.{3}$/);
      }
      const usages = new Set(credentials.map((c) => c.usage ?? 'password'));
      expect(usages).toEqual(new Set(['Verify', 'Sign', 'password']));
      const federated = all(tiny.applications).flatMap(
        (app) => tiny.federatedIdentityCredentials(app.id as string) ?? [],
      );
      expect(federated.length).toBeGreaterThan(0);
      expect(federated.some((f) => String(f.issuer).includes('github'))).toBe(
        true,
      );
    });

    test('owners: one app with more than 20, one service principal with exactly 20, deleted owners', () => {
      const counts = [...servicePrincipals, ...all(tiny.applications)].map(
        (o) => tiny.ownerIds(o.id as string)!.length,
      );
      expect(Math.max(...counts)).toBeGreaterThan(20);
      expect(counts).toContain(20);
      expect(tiny.ownerIds('00000000-0000-4000-8000-000000000000')).toBe(
        undefined,
      );
    });

    test('grants: tenant-wide and per-user consents, scopes as space-separated text', () => {
      const grants = all(tiny.oauth2PermissionGrants);
      expect(new Set(grants.map((g) => g.consentType))).toEqual(
        new Set(['AllPrincipals', 'Principal']),
      );
      for (const grant of grants) {
        expect(grant.principalId === null).toBe(
          grant.consentType === 'AllPrincipals',
        );
        expect(grant.id).toMatch(/^[A-Za-z0-9_-]{43}([A-Za-z0-9_-]{21})?$/);
      }
    });
  });

  describe('device classification catalogue', () => {
    test('covers every rule 1-11 of the table, and the doc agrees with every template', () => {
      expect(
        [...new Set(DEVICE_TEMPLATES.map((t) => t.rule))].sort((a, b) => a - b),
      ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const disagreements = DEVICE_TEMPLATES.map((t) => ({
        id: t.id,
        expected: { kind: t.expectedKind, rule: t.rule },
        doc: classify({
          ...t,
          osVersion: t.osVersions[0],
        } as unknown as GraphObject),
      })).filter(
        (x) => x.expected.kind !== x.doc.kind || x.expected.rule !== x.doc.rule,
      );
      expect(disagreements).toEqual([]);
    });

    test('has the known traps', () => {
      const byModel = (model: string) =>
        DEVICE_TEMPLATES.filter((t) => t.model === model).map(
          (t) => t.expectedKind,
        );
      expect(byModel('Cloud PC Enterprise 2vCPU/8GB/128GB')).toEqual([
        'workstation',
      ]);
      expect(
        DEVICE_TEMPLATES.find(
          (t) => t.model === 'Cloud PC Enterprise 2vCPU/8GB/128GB',
        )!.deviceType,
      ).toBe('windowsRT');
      expect(byModel('MacBook Pro')).toEqual(['laptop']);
      expect(
        DEVICE_TEMPLATES.filter((t) => t.model === '' && t.rule > 2).every(
          (t) => t.expectedKind !== 'server',
        ),
      ).toBe(true);
      for (const [id, kind] of [
        ['imac', 'desktop'],
        ['ipad', 'user_endpoint'],
        ['iphone', 'smartphone'],
        ['android-tablet', 'user_endpoint'],
        ['android-work-profile-phone', 'smartphone'],
        ['windows-server-2022-physical', 'server'],
        ['avd-multisession-hyperv', 'server'],
        ['vm-hyperv', 'workstation'],
        ['vm-vmware', 'workstation'],
        ['vm-virtualbox', 'workstation'],
        ['vm-parallels-macos', 'workstation'],
        ['vm-qemu-manufacturer-only', 'workstation'],
        ['vm-amazon-ec2', 'workstation'],
        ['generic-laptop-chassis', 'laptop'],
        ['generic-desktop-chassis', 'desktop'],
        ['generic-workstation-chassis', 'workstation'],
        ['linux-no-hints', 'computer'],
        ['chromebook', 'laptop'],
        ['hololens', 'user_endpoint'],
        ['surface-hub', 'user_endpoint'],
        ['no-signal', 'user_endpoint'],
        ['windows-empty-model', 'computer'],
      ]) {
        expect([
          id,
          DEVICE_TEMPLATES.find((t) => t.id === id)?.expectedKind,
        ]).toEqual([id, kind]);
      }
    });

    test('every generated device is classified as the truth says', () => {
      for (const t of [tiny, generateTenant(PROFILES.S)]) {
        const kinds = t.groundTruth().deviceKinds;
        for (const device of all(t.managedDevices))
          expect([device.id, classify(device).kind]).toEqual([
            device.id,
            kinds[device.id as string],
          ]);
      }
    });
  });

  describe('ground truth equals a brute-force count over the objects', () => {
    test.each(['tiny', 'S', 'demo', 'noIntune'] as const)('%s', (name) => {
      const t = name === 'tiny' ? tiny : generateTenant(PROFILES[name]);
      const truth = t.groundTruth();
      const recount = bruteForceTruth(t);
      expect(nonZero(recount.entities)).toEqual(nonZero(truth.entities));
      expect(nonZero(recount.relationships)).toEqual(
        nonZero(truth.relationships),
      );
      expect(nonZero(recount.mappedRelationships)).toEqual(
        nonZero(truth.mappedRelationships),
      );
      expect(recount.skipped).toEqual(truth.skipped);
      expect(recount.deviceKinds).toEqual(truth.deviceKinds);
      expect(recount.identity).toEqual(truth.identity);
    });

    test('a tenant without Intune has no Intune objects and zero Intune counts', () => {
      const t = generateTenant(PROFILES.noIntune);
      expect(t.intune).toBeNull();
      expect([
        t.managedDevices.count,
        t.detectedApps.count,
        t.mobileApps.count,
        t.compliancePolicies.count,
        t.deviceConfigurations.count,
      ]).toEqual([0, 0, 0, 0, 0]);
      const truth = t.groundTruth();
      for (const kind of DEVICE_KINDS) expect(truth.entities[kind]).toBe(0);
      expect(truth.entities.intune_host_agent).toBe(0);
      expect(truth.entities.azure_user).toBe(PROFILES.noIntune.directory.users);
    });
  });

  test('the L profile is generated lazily and its truth computed from indices', () => {
    const started = process.hrtime.bigint();
    const large = generateTenant(PROFILES.L);
    const generated = process.hrtime.bigint();
    const truth = large.groundTruth();
    const counted = process.hrtime.bigint();
    const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
    const ms = (a: bigint, b: bigint) => Number((b - a) / 1_000_000n);
    process.stdout.write(
      `L tenant: generateTenant ${ms(started, generated)} ms, groundTruth ${ms(
        generated,
        counted,
      )} ms, heap used ${heapMb} MB\n`,
    );

    expect([
      large.users.count,
      large.groups.count,
      large.managedDevices.count,
    ]).toEqual([50_000, 5_000, 20_000]);
    expect(truth.entities.intune_detected_application).toBe(3_000);
    expect(truth.entities.intune_host_agent).toBe(20_000);
    expect(DEVICE_KINDS.every((kind) => truth.entities[kind] > 0)).toBe(true);
    expect(Object.keys(truth.deviceKinds)).toHaveLength(20_000);
    const installed = DEVICE_KINDS.reduce(
      (s, k) =>
        s + truth.relationships[`${k}|INSTALLED|intune_detected_application`],
      0,
    );
    expect(installed).toBeGreaterThan(20_000 * 20);
    expect(
      large.groupMemberIds(large.groups.get(4_999).id as string),
    ).toBeDefined();
    expect(large.managedDevices.get(19_999).id).toEqual(
      Object.keys(truth.deviceKinds)[19_999],
    );
  });
});
