/**
 * Pure conversions of Conditional Access policies and named locations into
 * entities and relationships (docs/identity-security.md, "Conditional
 * Access"). Targets are related, not invented: "All users", "All guests",
 * "All trusted locations" and the like are properties of the policy.
 */
import {
  createIntegrationEntity,
  Entity,
  Relationship,
  RelationshipClass,
  StepEntityMetadata,
  StepMappedRelationshipMetadata,
  StepRelationshipMetadata,
} from '@jupiterone/integration-sdk-core';
import {
  GraphConditionalAccessPolicy,
  GraphGuestsOrExternalUsers,
  GraphNamedLocation,
} from '../../graph/conditional-access';
import { Entities, MappedRelationships, Relationships } from '../constants';
import {
  presentBoolean,
  presentNumber,
  presentString,
  presentStrings,
  presentText,
  toEpochMs,
  withoutUndefined,
} from '../convert';
import { directRelationship, relationshipKey } from '../graph-objects';
import { mappedRelationshipTo, PRINCIPAL_ENTITIES } from '../principals';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An object id in a target list, as opposed to a keyword ("All", "None", "GuestsOrExternalUsers"...). */
export function isObjectId(value: string): boolean {
  return GUID.test(value);
}

function list(value: unknown): string[] {
  return presentStrings(value) ?? [];
}

/** A list property, left out when empty. */
function nonEmpty(value: unknown): string[] | undefined {
  const items = list(value);
  return items.length ? items : undefined;
}

function guestTypes(
  value: GraphGuestsOrExternalUsers | null | undefined,
): string[] | undefined {
  const text = presentString(value?.guestOrExternalUserTypes);
  return text
    ? text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : undefined;
}

export function toConditionalAccessPolicyEntity(
  policy: GraphConditionalAccessPolicy,
): Entity {
  const name = presentText(policy.displayName) ?? policy.id;
  const state = presentString(policy.state);
  const users = policy.conditions?.users;
  const apps = policy.conditions?.applications;
  const clientApps = policy.conditions?.clientApplications;
  const locations = policy.conditions?.locations;
  const platforms = policy.conditions?.platforms;
  const grant = policy.grantControls;
  const controls = list(grant?.builtInControls);
  const strength = grant?.authenticationStrength;
  const session = policy.sessionControls;
  const includeUsers = list(users?.includeUsers);
  const excludeUsers = list(users?.excludeUsers);
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: withoutUndefined({
        _key: policy.id,
        _type: Entities.CONDITIONAL_ACCESS_POLICY._type,
        _class: Entities.CONDITIONAL_ACCESS_POLICY._class,
        id: policy.id,
        name,
        displayName: name,
        description: presentText(policy.description),
        templateId: presentString(policy.templateId),
        state,
        enabled: state === 'enabled',
        reportOnly: state === 'enabledForReportingButNotEnforced',
        active: state === 'enabled',
        createdOn: toEpochMs(policy.createdDateTime),
        updatedOn: toEpochMs(policy.modifiedDateTime),
        // who
        includeUsers: nonEmpty(includeUsers),
        excludeUsers: nonEmpty(excludeUsers),
        includeGroups: nonEmpty(users?.includeGroups),
        excludeGroups: nonEmpty(users?.excludeGroups),
        includeRoles: nonEmpty(users?.includeRoles),
        excludeRoles: nonEmpty(users?.excludeRoles),
        includesAllUsers: includeUsers.includes('All'),
        includesNoUsers: includeUsers.includes('None'),
        includesGuestsOrExternalUsers:
          includeUsers.includes('GuestsOrExternalUsers') ||
          Boolean(guestTypes(users?.includeGuestsOrExternalUsers)),
        excludesGuestsOrExternalUsers:
          excludeUsers.includes('GuestsOrExternalUsers') ||
          Boolean(guestTypes(users?.excludeGuestsOrExternalUsers)),
        includeGuestOrExternalUserTypes: guestTypes(
          users?.includeGuestsOrExternalUsers,
        ),
        excludeGuestOrExternalUserTypes: guestTypes(
          users?.excludeGuestsOrExternalUsers,
        ),
        includeServicePrincipals: nonEmpty(
          clientApps?.includeServicePrincipals,
        ),
        excludeServicePrincipals: nonEmpty(
          clientApps?.excludeServicePrincipals,
        ),
        // what
        includeApplications: nonEmpty(apps?.includeApplications),
        excludeApplications: nonEmpty(apps?.excludeApplications),
        includeUserActions: nonEmpty(apps?.includeUserActions),
        includeAuthenticationContexts: nonEmpty(
          apps?.includeAuthenticationContextClassReferences,
        ),
        // conditions
        includeLocations: nonEmpty(locations?.includeLocations),
        excludeLocations: nonEmpty(locations?.excludeLocations),
        includePlatforms: nonEmpty(platforms?.includePlatforms),
        excludePlatforms: nonEmpty(platforms?.excludePlatforms),
        clientAppTypes: nonEmpty(policy.conditions?.clientAppTypes),
        userRiskLevels: nonEmpty(policy.conditions?.userRiskLevels),
        signInRiskLevels: nonEmpty(policy.conditions?.signInRiskLevels),
        servicePrincipalRiskLevels: nonEmpty(
          policy.conditions?.servicePrincipalRiskLevels,
        ),
        // grant controls
        grantOperator: presentString(grant?.operator),
        grantControls: nonEmpty(controls),
        blocksAccess: controls.includes('block'),
        requiresMfa:
          controls.includes('mfa') || Boolean(presentString(strength?.id)),
        requiresCompliantDevice: controls.includes('compliantDevice'),
        requiresHybridJoinedDevice: controls.includes('domainJoinedDevice'),
        authenticationStrengthId: presentString(strength?.id),
        authenticationStrength: presentText(strength?.displayName),
        termsOfUse: nonEmpty(grant?.termsOfUse),
        customAuthenticationFactors: nonEmpty(
          grant?.customAuthenticationFactors,
        ),
        // session controls
        signInFrequencyEnabled: presentBoolean(
          session?.signInFrequency?.isEnabled,
        ),
        signInFrequencyValue: presentNumber(session?.signInFrequency?.value),
        signInFrequencyType: presentString(session?.signInFrequency?.type),
        signInFrequencyInterval: presentString(
          session?.signInFrequency?.frequencyInterval,
        ),
        persistentBrowserMode: presentString(session?.persistentBrowser?.mode),
        cloudAppSecurityType: presentString(
          session?.cloudAppSecurity?.cloudAppSecurityType,
        ),
        applicationEnforcedRestrictions: presentBoolean(
          session?.applicationEnforcedRestrictions?.isEnabled,
        ),
        disableResilienceDefaults: presentBoolean(
          session?.disableResilienceDefaults,
        ),
      }),
    },
  });
}

const IPV4_CIDR = /^([0-9]{1,3}\.){3}[0-9]{1,3}\/([0-9]|[12][0-9]|3[0-2])$/;

export function toNamedLocationEntity(location: GraphNamedLocation): Entity {
  const name = presentText(location.displayName) ?? location.id;
  const odataType = presentString(location['@odata.type']) ?? '';
  const kind = odataType.endsWith('ipNamedLocation')
    ? 'ip'
    : odataType.endsWith('countryNamedLocation')
    ? 'country'
    : undefined;
  const ranges = (location.ipRanges ?? [])
    .map((range) => presentString(range?.cidrAddress))
    .filter((range): range is string => Boolean(range));
  const ipv4 = ranges.filter((range) => IPV4_CIDR.test(range));
  const trusted = presentBoolean(location.isTrusted);
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: withoutUndefined({
        _key: location.id,
        _type: Entities.NAMED_LOCATION._type,
        _class: Entities.NAMED_LOCATION._class,
        id: location.id,
        name,
        displayName: name,
        locationType: kind,
        createdOn: toEpochMs(location.createdDateTime),
        updatedOn: toEpochMs(location.modifiedDateTime),
        isTrusted: trusted,
        trusted,
        ipRanges: kind === 'ip' ? ranges : undefined,
        // Network: one IPv4 block when the location is exactly that; all of them in ipRanges.
        CIDR: ipv4.length === 1 && ranges.length === 1 ? ipv4[0] : null,
        // Where sign-ins come from on the internet; trusted ranges are the organisation's own.
        public: true,
        internal: trusted === true,
        countriesAndRegions:
          kind === 'country' ? list(location.countriesAndRegions) : undefined,
        includeUnknownCountriesAndRegions: presentBoolean(
          location.includeUnknownCountriesAndRegions,
        ),
        countryLookupMethod: presentString(location.countryLookupMethod),
      }),
    },
  });
}

export type LocationCondition = 'include' | 'exclude';

/** policy USES named location, direct or (location not listed) mapped. */
export function toPolicyUsesLocationRelationship(
  policyId: string,
  locationId: string,
  condition: LocationCondition,
  locationCollected: boolean,
): Relationship {
  const properties = { locationCondition: condition };
  if (locationCollected) {
    return directRelationship({
      _class: RelationshipClass.USES,
      fromType: Entities.CONDITIONAL_ACCESS_POLICY._type,
      fromKey: policyId,
      toType: Entities.NAMED_LOCATION._type,
      toKey: locationId,
      discriminator: condition,
      properties,
    });
  }
  return mappedRelationshipTo({
    row: MappedRelationships.CA_POLICY_USES_NAMED_LOCATION,
    sourceKey: policyId,
    target: Entities.NAMED_LOCATION,
    targetKey: locationId,
    key: relationshipKey(`${policyId}|uses|${locationId}|${condition}`),
    properties,
  });
}

export type TargetKind = 'user' | 'group' | 'role' | 'servicePrincipal';
export type TargetCondition = 'include' | 'exclude';

const TARGET_ENTITIES: Record<TargetKind, StepEntityMetadata> = {
  user: PRINCIPAL_ENTITIES.user,
  group: PRINCIPAL_ENTITIES.group,
  role: Entities.ROLE_DEFINITION,
  servicePrincipal: PRINCIPAL_ENTITIES.servicePrincipal,
};

const TARGET_ROWS: Record<
  TargetCondition,
  Record<
    TargetKind,
    { direct: StepRelationshipMetadata; mapped: StepMappedRelationshipMetadata }
  >
> = {
  include: {
    user: {
      direct: Relationships.CA_POLICY_ASSIGNED_USER,
      mapped: MappedRelationships.CA_POLICY_ASSIGNED_USER,
    },
    group: {
      direct: Relationships.CA_POLICY_ASSIGNED_GROUP,
      mapped: MappedRelationships.CA_POLICY_ASSIGNED_GROUP,
    },
    role: {
      direct: Relationships.CA_POLICY_ASSIGNED_ROLE,
      mapped: MappedRelationships.CA_POLICY_ASSIGNED_ROLE,
    },
    servicePrincipal: {
      direct: Relationships.CA_POLICY_ASSIGNED_SERVICE_PRINCIPAL,
      mapped: MappedRelationships.CA_POLICY_ASSIGNED_SERVICE_PRINCIPAL,
    },
  },
  exclude: {
    user: {
      direct: Relationships.CA_POLICY_ALLOWS_USER,
      mapped: MappedRelationships.CA_POLICY_ALLOWS_USER,
    },
    group: {
      direct: Relationships.CA_POLICY_ALLOWS_GROUP,
      mapped: MappedRelationships.CA_POLICY_ALLOWS_GROUP,
    },
    role: {
      direct: Relationships.CA_POLICY_ALLOWS_ROLE,
      mapped: MappedRelationships.CA_POLICY_ALLOWS_ROLE,
    },
    servicePrincipal: {
      direct: Relationships.CA_POLICY_ALLOWS_SERVICE_PRINCIPAL,
      mapped: MappedRelationships.CA_POLICY_ALLOWS_SERVICE_PRINCIPAL,
    },
  },
};

/** Every policy -> target relationship row, for the step's metadata. */
export const TARGET_RELATIONSHIPS = {
  direct: Object.values(TARGET_ROWS).flatMap((byKind) =>
    Object.values(byKind).map((rows) => rows.direct),
  ),
  mapped: Object.values(TARGET_ROWS).flatMap((byKind) =>
    Object.values(byKind).map((rows) => rows.mapped),
  ),
};

/**
 * An included target is ASSIGNED to the policy; an excluded one is ALLOWS
 * (the policy lets it past its controls). Direct when the target is an
 * entity of this collection, mapped by `_type` and `_key` otherwise.
 */
export function toPolicyTargetRelationship(
  policyId: string,
  kind: TargetKind,
  condition: TargetCondition,
  targetId: string,
  targetCollected: boolean,
  properties?: Record<string, boolean>,
): Relationship {
  const rows = TARGET_ROWS[condition][kind];
  const target = TARGET_ENTITIES[kind];
  if (targetCollected) {
    return directRelationship({
      _class: rows.direct._class,
      fromType: Entities.CONDITIONAL_ACCESS_POLICY._type,
      fromKey: policyId,
      toType: target._type,
      toKey: targetId,
      properties,
    });
  }
  return mappedRelationshipTo({
    row: rows.mapped,
    sourceKey: policyId,
    target,
    targetKey: targetId,
    key: relationshipKey(
      `${policyId}|${rows.direct._class.toLowerCase()}|${targetId}`,
    ),
    properties,
  });
}

/** Whether a policy applies to users at all (not a workload-identity policy, not "None"). */
export function appliesToUsers(policy: Record<string, unknown>): boolean {
  const include = presentStrings(policy.includeUsers) ?? [];
  return (
    include.some((id) => id !== 'None') ||
    Boolean(presentStrings(policy.includeGroups)?.length) ||
    Boolean(presentStrings(policy.includeRoles)?.length) ||
    policy.includesGuestsOrExternalUsers === true
  );
}

/**
 * The users every enabled policy that applies to users excludes by id (the
 * break-glass accounts): what J1QL cannot ask in one query ("for every
 * policy"), worked out once here. Empty when no such policy is enabled.
 * Exclusion through a group or a role is not counted.
 */
export function usersExcludedFromEveryEnabledPolicy(
  policies: Record<string, unknown>[],
): Set<string> {
  let excluded: Set<string> | undefined;
  for (const policy of policies) {
    if (policy.enabled !== true || !appliesToUsers(policy)) continue;
    const ids = new Set(
      (presentStrings(policy.excludeUsers) ?? []).filter(isObjectId),
    );
    excluded = excluded
      ? new Set(Array.from(excluded).filter((id) => ids.has(id)))
      : ids;
  }
  return excluded ?? new Set();
}

/** The policy properties that list each kind of target, by condition. */
export const TARGET_PROPERTIES: Record<
  TargetKind,
  Record<TargetCondition, string>
> = {
  user: { include: 'includeUsers', exclude: 'excludeUsers' },
  group: { include: 'includeGroups', exclude: 'excludeGroups' },
  role: { include: 'includeRoles', exclude: 'excludeRoles' },
  servicePrincipal: {
    include: 'includeServicePrincipals',
    exclude: 'excludeServicePrincipals',
  },
};
