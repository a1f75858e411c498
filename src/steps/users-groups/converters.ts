/**
 * Pure conversions of Entra ID users, groups and group members into
 * entities and relationships (docs/data-model-rules.md, "Directory").
 * Keys are directory object ids; no I/O here.
 */
import {
  createIntegrationEntity,
  createMappedRelationship,
  Entity,
  Relationship,
  RelationshipClass,
  RelationshipDirection,
} from '@jupiterone/integration-sdk-core';
import {
  GraphDirectoryObject,
  GraphGroup,
  GraphUser,
} from '../../graph/directory';
import { Entities, MappedRelationships } from '../constants';
import { toEmailAddress, toEpochMs } from '../convert';
import { directRelationship, relationshipKey } from '../graph-objects';

/**
 * `email` for the User and UserGroup classes: lower-case, and only when it is
 * an address (convert.ts).
 */
export function normalizeEmail(
  mail: string | null | undefined,
): string | undefined {
  return toEmailAddress(mail)?.toLowerCase();
}

/** null (Graph's "no value") becomes undefined, which createIntegrationEntity leaves out. */
function value<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}

/** A list of strings, left out when Graph sent none. */
function strings(v: string[] | null | undefined): string[] | undefined {
  return Array.isArray(v) && v.length ? v : undefined;
}

function emailDomain(email: string | undefined): string[] | undefined {
  return email ? [email.slice(email.lastIndexOf('@') + 1)] : undefined;
}

// ---- users -----------------------------------------------------------------------

/**
 * `registration`: the user's authentication-method registration properties
 * (sign-in-security/registration.ts), when the registration report had them.
 */
export function toUserEntity(
  user: GraphUser,
  registration?: Record<string, string | boolean | number | string[]>,
): Entity {
  const email = normalizeEmail(user.mail);
  const name = user.displayName || user.userPrincipalName || user.id;
  const signIn = user.signInActivity ?? undefined;
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        _key: user.id,
        _type: Entities.USER._type,
        _class: Entities.USER._class,
        id: user.id,
        name,
        displayName: name,
        username: value(user.userPrincipalName),
        userPrincipalName: value(user.userPrincipalName),
        email,
        emailDomain: emailDomain(email),
        mail: value(user.mail),
        mailNickname: value(user.mailNickname),
        otherMails: strings(user.otherMails),
        firstName: value(user.givenName),
        lastName: value(user.surname),
        givenName: value(user.givenName),
        surname: value(user.surname),
        active: value(user.accountEnabled),
        accountEnabled: value(user.accountEnabled),
        userType: value(user.userType),
        createdOn: toEpochMs(user.createdDateTime),
        creationType: value(user.creationType),
        externalUserState: value(user.externalUserState),
        externalUserStateChangedOn: toEpochMs(
          user.externalUserStateChangeDateTime,
        ),
        passwordChangedOn: toEpochMs(user.lastPasswordChangeDateTime),
        passwordPolicies: value(user.passwordPolicies),
        onPremisesSyncEnabled: value(user.onPremisesSyncEnabled),
        onPremisesLastSyncOn: toEpochMs(user.onPremisesLastSyncDateTime),
        onPremisesImmutableId: value(user.onPremisesImmutableId),
        onPremisesSamAccountName: value(user.onPremisesSamAccountName),
        onPremisesUserPrincipalName: value(user.onPremisesUserPrincipalName),
        onPremisesDomainName: value(user.onPremisesDomainName),
        onPremisesSecurityIdentifier: value(user.onPremisesSecurityIdentifier),
        onPremisesDistinguishedName: value(user.onPremisesDistinguishedName),
        jobTitle: value(user.jobTitle),
        department: value(user.department),
        companyName: value(user.companyName),
        employeeId: value(user.employeeId),
        employeeType: value(user.employeeType),
        officeLocation: value(user.officeLocation),
        city: value(user.city),
        state: value(user.state),
        country: value(user.country),
        usageLocation: value(user.usageLocation),
        preferredLanguage: value(user.preferredLanguage),
        businessPhones: strings(user.businessPhones),
        mobilePhone: value(user.mobilePhone),
        lastSignInOn: toEpochMs(signIn?.lastSignInDateTime),
        lastNonInteractiveSignInOn: toEpochMs(
          signIn?.lastNonInteractiveSignInDateTime,
        ),
        lastSuccessfulSignInOn: toEpochMs(signIn?.lastSuccessfulSignInDateTime),
        ...registration,
      },
    },
  });
}

// ---- groups ----------------------------------------------------------------------

export function toGroupEntity(group: GraphGroup): Entity {
  const email = normalizeEmail(group.mail);
  const name = group.displayName || group.mailNickname || group.id;
  const groupTypes = group.groupTypes ?? [];
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        _key: group.id,
        _type: Entities.GROUP._type,
        _class: Entities.GROUP._class,
        id: group.id,
        name,
        displayName: name,
        description: value(group.description) || undefined,
        email,
        mail: value(group.mail),
        mailEnabled: value(group.mailEnabled),
        mailNickname: value(group.mailNickname),
        securityEnabled: value(group.securityEnabled),
        groupTypes: strings(group.groupTypes),
        unified: groupTypes.includes('Unified'),
        dynamicMembership: groupTypes.includes('DynamicMembership'),
        membershipRule: value(group.membershipRule),
        membershipRuleProcessingState: value(
          group.membershipRuleProcessingState,
        ),
        isAssignableToRole: value(group.isAssignableToRole),
        visibility: value(group.visibility),
        classification: value(group.classification),
        createdOn: toEpochMs(group.createdDateTime),
        renewedOn: toEpochMs(group.renewedDateTime),
        expiresOn: toEpochMs(group.expirationDateTime),
        securityIdentifier: value(group.securityIdentifier),
        resourceProvisioningOptions: strings(group.resourceProvisioningOptions),
        onPremisesSyncEnabled: value(group.onPremisesSyncEnabled),
        onPremisesLastSyncOn: toEpochMs(group.onPremisesLastSyncDateTime),
        onPremisesSamAccountName: value(group.onPremisesSamAccountName),
        onPremisesDomainName: value(group.onPremisesDomainName),
        onPremisesNetBiosName: value(group.onPremisesNetBiosName),
        onPremisesSecurityIdentifier: value(group.onPremisesSecurityIdentifier),
      },
    },
  });
}

// ---- group members -----------------------------------------------------------------

const ODATA_TYPE_PREFIX = '#microsoft.graph.';

/**
 * The member's directory type from `@odata.type` ('user', 'group', 'device',
 * 'servicePrincipal', 'orgContact', 'directoryObject', ...). A member without
 * one is a plain directoryObject.
 */
export function memberTypeOf(member: GraphDirectoryObject): string {
  const odataType = member['@odata.type'];
  if (!odataType) return 'directoryObject';
  return odataType.startsWith(ODATA_TYPE_PREFIX)
    ? odataType.slice(ODATA_TYPE_PREFIX.length)
    : odataType.replace(/^#/, '');
}

/**
 * How a member enters the graph: users, groups and service principals are
 * related to their own entities (service principals by
 * build-group-service-principal-relationships, once fetch-service-principals
 * has run); everything else becomes an azure_group_member.
 */
export function memberKind(
  member: GraphDirectoryObject,
): 'user' | 'group' | 'servicePrincipal' | 'other' {
  const type = memberTypeOf(member);
  return type === 'user' || type === 'group' || type === 'servicePrincipal'
    ? type
    : 'other';
}

/**
 * A member that is not a user, group or service principal: device,
 * organizational contact, or an object Graph shows only as `id` +
 * `@odata.type`. Keyed by its directory object id, so one entity serves
 * every group it is in.
 */
export function toGroupMemberEntity(member: GraphDirectoryObject): Entity {
  const memberType = memberTypeOf(member);
  const email = normalizeEmail(member.mail);
  const name = member.displayName || member.id;
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        _key: member.id,
        _type: Entities.GROUP_MEMBER._type,
        _class: Entities.GROUP_MEMBER._class,
        id: member.id,
        name,
        displayName: name,
        memberType,
        description: value(member.description) || undefined,
        email,
        mail: value(member.mail),
        mailNickname: value(member.mailNickname),
        userPrincipalName: value(member.userPrincipalName),
        firstName: value(member.givenName),
        lastName: value(member.surname),
        companyName: value(member.companyName),
        department: value(member.department),
        jobTitle: value(member.jobTitle),
        active: value(member.accountEnabled),
        accountEnabled: value(member.accountEnabled),
        createdOn: toEpochMs(member.createdDateTime),
        deviceId: value(member.deviceId),
        operatingSystem: value(member.operatingSystem),
        operatingSystemVersion: value(member.operatingSystemVersion),
        trustType: value(member.trustType),
        profileType: value(member.profileType),
        deviceOwnership: value(member.deviceOwnership),
        isCompliant: value(member.isCompliant),
        isManaged: value(member.isManaged),
        managementType: value(member.managementType),
        manufacturer: value(member.manufacturer),
        model: value(member.model),
        registeredOn: toEpochMs(member.registrationDateTime),
        approximateLastSignInOn: toEpochMs(
          member.approximateLastSignInDateTime,
        ),
        onPremisesSyncEnabled: value(member.onPremisesSyncEnabled),
      },
    },
  });
}

// ---- relationships -------------------------------------------------------------------

/** account HAS user / account HAS group. */
export function toAccountHasRelationship(
  account: Entity,
  target: { _key: string; _type: string },
): Relationship {
  return directRelationship({
    _class: RelationshipClass.HAS,
    fromKey: account._key,
    fromType: account._type,
    toKey: target._key,
    toType: target._type,
  });
}

/** group HAS user / group / group member, when the member's entity is in this collection. */
export function toGroupHasMemberRelationship(
  groupId: string,
  memberKey: string,
  memberType: string,
): Relationship {
  return directRelationship({
    _class: RelationshipClass.HAS,
    fromKey: groupId,
    fromType: Entities.GROUP._type,
    toKey: memberKey,
    toType: memberType,
  });
}

/**
 * group HAS user / group whose entity this collection does not hold (deleted
 * between /users or /groups and the member list, or its step did not run):
 * the platform finds the target by `_key`, or creates it.
 */
export function toGroupHasMappedMemberRelationship(
  groupId: string,
  member: GraphDirectoryObject,
  kind: 'user' | 'group',
): Relationship {
  const target = kind === 'user' ? Entities.USER : Entities.GROUP;
  const metadata =
    kind === 'user'
      ? MappedRelationships.GROUP_HAS_USER
      : MappedRelationships.GROUP_HAS_GROUP;
  const displayName = member.displayName || undefined;
  return createMappedRelationship({
    _class: RelationshipClass.HAS,
    _type: metadata._type,
    // The key the direct relationship to this member has.
    _key: relationshipKey(`${groupId}|has|${member.id}`),
    _mapping: {
      relationshipDirection: RelationshipDirection.FORWARD,
      sourceEntityKey: groupId,
      targetFilterKeys: [['_type', '_key']],
      skipTargetCreation: false,
      targetEntity: {
        _key: member.id,
        _type: target._type,
        _class: target._class,
        ...(displayName ? { displayName, name: displayName } : {}),
        ...(kind === 'user' && member.userPrincipalName
          ? { userPrincipalName: member.userPrincipalName }
          : {}),
      },
    },
  });
}
