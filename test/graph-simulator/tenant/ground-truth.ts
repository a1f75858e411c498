/**
 * What a correct collection of the tenant produces, counted by the rules of
 * docs/data-model-rules.md from the generator's own knowledge: member codes,
 * device facts and templates (expected kind), install and status facts. Only
 * indices are iterated; Graph objects are never built, so the L tenant takes
 * one to three seconds (most of it drawing the detected-app incidence).
 */
import { AppInventoryReport } from './app-inventory';
import { AppCatalogue } from './applications';
import { countApplications } from './applications-truth';
import { DetectedApps } from './detected-apps';
import { DEVICE_KINDS, DEVICE_TEMPLATES, DeviceKind } from './devices';
import {
  Directory,
  MemberType,
  memberCodeIndex,
  memberCodeType,
} from './directory';
import { ManagedDevices, NO_USER, isAbsentUserRef } from './managed-devices';
import { MobileApps } from './mobile-apps';
import { InstallState } from './install-report';
import { GroundTruth } from './model';
import { Policies, StatusValue } from './policies';
import { countIdentity, IdentityParts } from './identity-truth';

export interface TenantParts {
  directory: Directory;
  devices: ManagedDevices;
  detected: DetectedApps;
  mobileApps: MobileApps;
  compliance: Policies;
  configurations: Policies;
  /** issue 15: administrative templates and settings compliance policies. */
  reportFamilies?: Policies[];
  /** issue 15: settingsCatalog / endpointSecurity */
  settings?: Policies;
  apps: AppCatalogue;
  appInventory: AppInventoryReport;
  /** issue 16 */
  identity: IdentityParts;
}

/**
 * Which row of a device decides, when a policy or an app has several for it:
 * the first of these orders (docs/compliance.md, docs/applications.md).
 */
export const STATUS_SEVERITY: readonly StatusValue[] = [
  'nonCompliant',
  'error',
  'conflict',
  'unknown',
  'remediated',
  'compliant',
  'notApplicable',
  'notAssigned',
];
export const INSTALL_SEVERITY: readonly InstallState[] = [
  'failed',
  'uninstallFailed',
  'pendingInstall',
  'notInstalled',
  'unknown',
  'installed',
  'notApplicable',
];

function worst<T>(order: readonly T[], values: T[]): T {
  return values.reduce((a, b) => (order.indexOf(b) < order.indexOf(a) ? b : a));
}

const FINDING_STATUSES = new Set<StatusValue>([
  'nonCompliant',
  'error',
  'conflict',
]);

export function computeGroundTruth(parts: TenantParts): GroundTruth {
  const entities: Record<string, number> = {};
  const relationships: Record<string, number> = {};
  const mapped: Record<string, number> = {};
  const inventoryRows = parts.appInventory.counts();
  const skipped = {
    statusesForUnknownDevices: 0,
    installRowsForUnknownDevices: 0,
    appRowsForUnknownDevices: inventoryRows.unknownDeviceRows,
    appRowsRepeated: inventoryRows.repeatedRows,
    resourcesDeletedBeforeAssignmentListing: 0,
    userAndGroupAppRoleAssignments: 0,
    grantsOfUnknownResources: 0,
  };
  const deviceKinds: Record<string, string> = {};
  const values: Record<string, number> = {};
  const inc = (record: Record<string, number>, key: string, by = 1) => {
    record[key] = (record[key] ?? 0) + by;
  };

  countDirectory(parts.directory, entities, relationships, mapped, inc);
  countApplications(parts.apps, parts.directory, {
    entities,
    relationships,
    mapped,
    skipped,
  });

  // ---- devices ------------------------------------------------------------------
  const { devices, detected, mobileApps } = parts;
  for (const kind of DEVICE_KINDS) {
    entities[kind] = 0;
    for (const key of perKindKeys(kind)) relationships[key] = 0;
    mapped[`azure_user|HAS|${kind}`] = 0;
    mapped[`azure_user|USES|${kind}`] = 0;
  }
  const kindOf: DeviceKind[] = new Array(devices.count);
  for (let d = 0; d < devices.count; d++) {
    const kind = DEVICE_TEMPLATES[devices.templateOf[d]].expectedKind;
    kindOf[d] = kind;
    deviceKinds[devices.id(d)] = kind;
    inc(entities, kind);
    inc(relationships, `intune_host_agent|MANAGES|${kind}`);
    const facts = devices.facts(d);
    if (facts.user !== NO_USER) {
      inc(
        isAbsentUserRef(facts.user) ? mapped : relationships,
        `azure_user|HAS|${kind}`,
      );
    }
    for (const ref of new Set(facts.loggedOn)) {
      inc(
        isAbsentUserRef(ref) ? mapped : relationships,
        `azure_user|USES|${kind}`,
      );
    }
  }
  entities.intune_host_agent = devices.count;

  // ---- detected applications ------------------------------------------------------
  const installs = detected.installed;
  const visibleIdentities = new Set<number>();
  for (const item of installs.visibleItems)
    visibleIdentities.add(detected.entries[detected.itemEntry[item]].identity);
  entities.intune_detected_application = visibleIdentities.size;

  const versionIds = new Map<string, number>();
  const itemVersion = new Int32Array(detected.itemCount);
  for (let item = 0; item < detected.itemCount; item++) {
    const v = detected.version(item);
    let id = versionIds.get(v);
    if (id === undefined) versionIds.set(v, (id = versionIds.size));
    itemVersion[item] = id;
  }
  for (let d = 0; d < devices.count; d++) {
    const installedHere = new Set<number>();
    for (const item of installs.itemsOfDevice(d)) {
      const identity = detected.entries[detected.itemEntry[item]].identity;
      installedHere.add(identity * 1_000_000 + itemVersion[item]);
    }
    inc(
      relationships,
      `${kindOf[d]}|INSTALLED|intune_detected_application`,
      installedHere.size,
    );
  }

  // ---- managed applications ---------------------------------------------------------
  entities.intune_managed_application = 0;
  relationships[
    'intune_managed_application|MANAGES|intune_detected_application'
  ] = 0;
  for (let app = 0; app < mobileApps.count; app++) {
    const facts = mobileApps.facts(app);
    inc(entities, 'intune_managed_application');
    if (facts.family) {
      const identity = detected.identityOf(facts.family, facts.displayName);
      if (identity !== undefined && visibleIdentities.has(identity)) {
        inc(
          relationships,
          'intune_managed_application|MANAGES|intune_detected_application',
        );
      }
    }
    const stateOf = new Map<number, InstallState>();
    for (const row of mobileApps.installFacts(app)) {
      if (row.device < 0) {
        skipped.installRowsForUnknownDevices += row.repeated ? 2 : 1;
        continue;
      }
      const states = [row.state];
      if (row.systemAccount) states.push(row.systemAccount);
      const before = stateOf.get(row.device);
      if (before) states.push(before);
      stateOf.set(row.device, worst(INSTALL_SEVERITY, states));
    }
    for (const [device, state] of stateOf) {
      inc(
        relationships,
        `${kindOf[device]}|ASSIGNED|intune_managed_application`,
      );
      inc(values, `ASSIGNED intune_managed_application installState=${state}`);
    }
  }

  // ---- compliance ---------------------------------------------------------------------
  entities.intune_noncompliance_finding = 0;
  const sources: [Policies, string][] = [
    [parts.compliance, 'intune_compliance_policy'],
    [parts.configurations, 'intune_device_configuration'],
    // issue 15: administrative templates, settings compliance policies
    ...(parts.reportFamilies ?? []).map((policies): [Policies, string] => [
      policies,
      policies.isCompliance
        ? 'intune_compliance_policy'
        : 'intune_device_configuration',
    ]),
  ];
  // issue 15: settingsCatalog / endpointSecurity are configurations too
  if (parts.settings)
    sources.push([parts.settings, 'intune_device_configuration']);
  for (const type of new Set(sources.map(([, t]) => t))) {
    entities[type] = 0;
    relationships[`intune_host_agent|ASSIGNED|${type}`] = 0;
    relationships[`${type}|IDENTIFIED|intune_noncompliance_finding`] = 0;
  }
  const assignmentsCounted = new Set<string>();
  for (const [policies, type] of sources) {
    entities[type] += policies.count;
    countAssignments(
      policies,
      type,
      relationships,
      mapped,
      values,
      inc,
      !assignmentsCounted.has(type),
    );
    assignmentsCounted.add(type);
    // issue 15: the same counts per family (values 'family <source> …'), as
    // several families share one entity type.
    const family = `family ${policies.family}`;
    inc(values, `${family} policies`, policies.count);
    for (const key of ['ASSIGNED', 'findings', 'statusesForUnknownDevices'])
      inc(values, `${family} ${key}`, 0);
    for (let p = 0; p < policies.count; p++) {
      for (const fact of policies.assignmentFacts(p)) {
        if (!fact.groupId) continue;
        const cls = fact.target === 'group' ? 'ASSIGNED' : 'ALLOWS';
        inc(values, `${family} ${cls} group${fact.ghost ? ' (mapped)' : ''}`);
      }
    }
    for (let p = 0; p < policies.count; p++) {
      const statusOf = new Map<number, StatusValue>();
      for (const fact of policies.statusFacts(p)) {
        if (fact.device < 0) {
          inc(
            values,
            `${family} statusesForUnknownDevices`,
            fact.repeated ? 2 : 1,
          );
          // issue 15: report rows of settings policies are counted apart
          if (policies === parts.settings)
            inc(
              values,
              'settingsPolicy rowsForUnknownDevices',
              fact.repeated ? 2 : 1,
            );
          else skipped.statusesForUnknownDevices += fact.repeated ? 2 : 1;
          continue;
        }
        const states = [fact.status];
        if (fact.systemAccount) states.push(fact.systemAccount);
        const before = statusOf.get(fact.device);
        if (before) states.push(before);
        statusOf.set(fact.device, worst(STATUS_SEVERITY, states));
      }
      for (const [device, value] of statusOf) {
        const status = { device, status: value };
        if (status.status !== 'notAssigned') {
          inc(relationships, `intune_host_agent|ASSIGNED|${type}`);
          inc(values, `ASSIGNED ${type} status=${status.status}`);
          inc(values, `${family} ASSIGNED`);
        }
        if (FINDING_STATUSES.has(status.status)) {
          inc(values, `${family} findings`);
          inc(entities, 'intune_noncompliance_finding');
          inc(relationships, `${type}|IDENTIFIED|intune_noncompliance_finding`);
          inc(
            relationships,
            `${kindOf[status.device]}|HAS|intune_noncompliance_finding`,
          );
        }
      }
    }
  }

  // issue 16
  const identity = countIdentity(
    parts.identity,
    entities,
    relationships,
    mapped,
    inc,
  );

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

/**
 * issue 15: policy ASSIGNED group for an included group, ALLOWS for an
 * excluded one, mapped when the group was deleted since /groups was read;
 * "all devices" and "all licensed users" are policy properties (values).
 */
function countAssignments(
  policies: Policies,
  type: string,
  relationships: Record<string, number>,
  mapped: Record<string, number>,
  values: Record<string, number>,
  inc: (record: Record<string, number>, key: string, by?: number) => void,
  first = true,
): void {
  if (first) {
    for (const cls of ['ASSIGNED', 'ALLOWS']) {
      relationships[`${type}|${cls}|azure_user_group`] = 0;
      mapped[`${type}|${cls}|azure_user_group`] = 0;
    }
    values[`${type} assignedToAllDevices=true`] = 0;
    values[`${type} assignedToAllUsers=true`] = 0;
  }
  for (let p = 0; p < policies.count; p++) {
    for (const fact of policies.assignmentFacts(p)) {
      switch (fact.target) {
        case 'allDevices':
          inc(values, `${type} assignedToAllDevices=true`);
          break;
        case 'allLicensedUsers':
          inc(values, `${type} assignedToAllUsers=true`);
          break;
        default: {
          const cls = fact.target === 'group' ? 'ASSIGNED' : 'ALLOWS';
          inc(
            fact.ghost ? mapped : relationships,
            `${type}|${cls}|azure_user_group`,
          );
        }
      }
    }
  }
}

function perKindKeys(kind: string): string[] {
  return [
    `intune_host_agent|MANAGES|${kind}`,
    `azure_user|HAS|${kind}`,
    `azure_user|USES|${kind}`,
    `${kind}|ASSIGNED|intune_managed_application`,
    `${kind}|INSTALLED|intune_detected_application`,
    `${kind}|HAS|intune_noncompliance_finding`,
  ];
}

function countDirectory(
  directory: Directory,
  entities: Record<string, number>,
  relationships: Record<string, number>,
  mapped: Record<string, number>,
  inc: (record: Record<string, number>, key: string, by?: number) => void,
): void {
  entities.microsoft_365_account = 1;
  entities.azure_user = directory.userCount;
  entities.azure_user_group = directory.groupCount;
  relationships['microsoft_365_account|HAS|azure_user'] = directory.userCount;
  relationships['microsoft_365_account|HAS|azure_user_group'] =
    directory.groupCount;
  relationships['azure_user_group|HAS|azure_user'] = 0;
  relationships['azure_user_group|HAS|azure_user_group'] = 0;
  relationships['azure_user_group|HAS|azure_group_member'] = 0;
  relationships['azure_user_group|HAS|azure_service_principal'] = 0;
  mapped['azure_user_group|HAS|azure_user'] = 0;
  mapped['azure_user_group|HAS|azure_user_group'] = 0;
  mapped['azure_user_group|HAS|azure_service_principal'] = 0;

  // one azure_group_member per distinct member id, however many groups list
  // it; service principals are related to their azure_service_principal
  const otherMembers: Record<number, Uint8Array> = {};
  for (const type of [
    MemberType.device,
    MemberType.orgContact,
    MemberType.unknown,
  ]) {
    otherMembers[type] = new Uint8Array(directory.poolSize[type]);
  }
  for (let g = 0; g < directory.groupCount; g++) {
    for (const code of new Set(directory.memberCodes(g))) {
      const type = memberCodeType(code);
      switch (type) {
        case MemberType.user:
          inc(relationships, 'azure_user_group|HAS|azure_user');
          break;
        case MemberType.group:
          inc(relationships, 'azure_user_group|HAS|azure_user_group');
          break;
        case MemberType.ghostUser:
          inc(mapped, 'azure_user_group|HAS|azure_user');
          break;
        case MemberType.ghostGroup:
          inc(mapped, 'azure_user_group|HAS|azure_user_group');
          break;
        case MemberType.servicePrincipal:
          inc(relationships, 'azure_user_group|HAS|azure_service_principal');
          break;
        case MemberType.ghostServicePrincipal:
          inc(mapped, 'azure_user_group|HAS|azure_service_principal');
          break;
        default:
          inc(relationships, 'azure_user_group|HAS|azure_group_member');
          otherMembers[type][memberCodeIndex(code)] = 1;
      }
    }
  }
  entities.azure_group_member = Object.values(otherMembers).reduce(
    (sum, seen) => sum + seen.reduce((s: number, x: number) => s + x, 0),
    0,
  );
}
