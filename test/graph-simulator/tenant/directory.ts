/**
 * Entra ID directory: users, groups, group members and every other directory
 * object a member list can name. Nothing is stored: a user, a group or a
 * group's member list is rebuilt from (seed, index) when asked for, and ids are
 * mapped back to (type, index) by inverting the id scramble (random.ts).
 */
import { Collection, DirectoryObjectType, GraphObject } from './model';
import {
  DEPARTMENTS,
  EXTERNAL_DOMAINS,
  FIRST_NAMES,
  GROUP_TOPICS,
  JOB_TITLES,
  LAST_NAMES,
  OFFICES,
  PREFERRED_LANGUAGES,
} from './names';
import { TenantProfile } from './profiles';
import {
  IdKind,
  NO_DATE,
  guid,
  guidIndex,
  hash,
  isoSeconds,
  pastMs,
  rngFor,
  unit,
} from './random';
import { merge } from './objects';
import {
  memberDeviceObject,
  orgContactObject,
  servicePrincipalObject,
} from './directory-objects';

// Local aliases: a global `Math` lookup is slow inside jest's vm sandbox (see random.ts).
const { ceil, floor, log, max, min, round } = Math;

/** Member kinds, in the order they are encoded in member codes. */
export const MemberType = {
  user: 0,
  ghostUser: 1,
  group: 2,
  ghostGroup: 3,
  device: 4,
  servicePrincipal: 5,
  orgContact: 6,
  unknown: 7,
  /** A service principal that GET /servicePrincipals did not list (deleted or created between the calls). */
  ghostServicePrincipal: 8,
} as const;
export type MemberTypeValue = (typeof MemberType)[keyof typeof MemberType];

const MEMBER_ID_KIND: Record<MemberTypeValue, number> = {
  0: IdKind.user,
  1: IdKind.ghostUser,
  2: IdKind.group,
  3: IdKind.ghostGroup,
  4: IdKind.memberDevice,
  5: IdKind.servicePrincipal,
  6: IdKind.orgContact,
  7: IdKind.unknownMember,
  8: IdKind.ghostServicePrincipal,
};

const MEMBER_DIRECTORY_TYPE: Record<MemberTypeValue, DirectoryObjectType> = {
  0: 'user',
  1: 'user',
  2: 'group',
  3: 'group',
  4: 'device',
  5: 'servicePrincipal',
  6: 'orgContact',
  7: 'directoryObject',
  8: 'servicePrincipal',
};

/** A member reference packed in one number: type * 2^24 + index. */
export function memberCode(type: MemberTypeValue, index: number): number {
  return type * 0x1000000 + index;
}
export function memberCodeType(code: number): MemberTypeValue {
  return floor(code / 0x1000000) as MemberTypeValue;
}
export function memberCodeIndex(code: number): number {
  return code % 0x1000000;
}

type GroupFlavour =
  | 'security'
  | 'unified'
  | 'dynamicUsers'
  | 'dynamicDevices'
  | 'onPremisesSynced'
  | 'distribution'
  | 'appAccess';

/** Who a user is; cheap to compute, shared by the user object and the devices that name it. */
export interface UserIdentity {
  id: string;
  givenName: string;
  surname: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  guest: boolean;
  mailNickname: string;
}

// salts for stateless per-index draws
const SALT_GUEST = 11;
const SALT_DISABLED = 12;
const SALT_NO_MAIL = 13;
const SALT_ON_PREM = 14;
const SALT_NEVER_SIGNED_IN = 15;
const SALT_FLAVOUR = 16;
const SALT_NESTS = 17;

export class Directory {
  readonly userCount: number;
  readonly groupCount: number;
  readonly ghostUserCount: number;
  readonly ghostGroupCount: number;
  /** Pool sizes per member type (index by MemberType). */
  readonly poolSize: Record<MemberTypeValue, number>;
  readonly users: Collection;
  readonly groups: Collection;

  private readonly seed: number;
  private readonly primaryDomain: string;
  private readonly onPremDomainSid: string;

  constructor(private readonly profile: TenantProfile) {
    const d = profile.directory;
    const a = profile.anomalies;
    this.seed = profile.seed;
    this.userCount = d.users;
    this.groupCount = d.groups;
    this.ghostUserCount =
      a.ghostUserMemberShare > 0 ? max(1, ceil(d.users * 0.01)) : 0;
    this.ghostGroupCount =
      a.ghostGroupMemberShare > 0 ? max(1, ceil(d.groups * 0.01)) : 0;
    this.poolSize = {
      0: d.users,
      1: this.ghostUserCount,
      2: d.groups,
      3: this.ghostGroupCount,
      4: d.memberDevices,
      5: d.memberServicePrincipals,
      6: d.memberOrgContacts,
      7: d.memberUnknownObjects,
      8:
        d.memberServicePrincipals > 0
          ? profile.applications.deletedServicePrincipals
          : 0,
    };
    this.primaryDomain = profile.extraDomains[0] ?? profile.initialDomain;
    const r = rngFor(this.seed, IdKind.securityIdentifier, 0);
    this.onPremDomainSid = `S-1-5-21-${r.int(2 ** 31)}-${r.int(
      2 ** 31,
    )}-${r.int(2 ** 31)}`;

    this.users = {
      count: this.userCount,
      get: (i) => this.user(checkIndex(i, this.userCount)),
    };
    this.groups = {
      count: this.groupCount,
      get: (i) => this.group(checkIndex(i, this.groupCount), false),
    };
  }

  // ---- ids -----------------------------------------------------------------

  memberId(type: MemberTypeValue, index: number): string {
    return guid(this.seed, MEMBER_ID_KIND[type], index);
  }

  userId(index: number): string {
    return guid(this.seed, IdKind.user, index);
  }

  groupId(index: number): string {
    return guid(this.seed, IdKind.group, index);
  }

  /** (type, index) of any directory object id this tenant knows, or undefined. */
  resolve(id: string): { type: MemberTypeValue; index: number } | undefined {
    for (
      let type = 0 as MemberTypeValue;
      type <= 8;
      type = (type + 1) as MemberTypeValue
    ) {
      const index = guidIndex(
        this.seed,
        MEMBER_ID_KIND[type],
        id,
        this.poolSize[type],
      );
      if (index >= 0) return { type, index };
    }
    return undefined;
  }

  directoryObjectType(id: string): DirectoryObjectType | undefined {
    const ref = this.resolve(id);
    return ref ? MEMBER_DIRECTORY_TYPE[ref.type] : undefined;
  }

  directoryObject(id: string): GraphObject | undefined {
    const ref = this.resolve(id);
    return ref ? this.memberObject(ref.type, ref.index) : undefined;
  }

  /** The object as a directoryObjects collection lists it (with '@odata.type'). */
  memberObject(type: MemberTypeValue, index: number): GraphObject {
    switch (type) {
      case MemberType.user:
        return this.userAsDirectoryObject(index, false);
      case MemberType.ghostUser:
        return this.userAsDirectoryObject(index, true);
      case MemberType.group:
        return this.group(index, false, true);
      case MemberType.ghostGroup:
        return this.group(index, true, true);
      case MemberType.device:
        return memberDeviceObject(this.seed, this.memberId(type, index), index);
      case MemberType.servicePrincipal:
        return servicePrincipalObject(
          this.seed,
          this.memberId(type, index),
          index,
          this.profile.tenantId,
        );
      case MemberType.orgContact:
        return orgContactObject(this.seed, this.memberId(type, index), index);
      case MemberType.ghostServicePrincipal:
        // Its own stretch of generator indexes, so it looks like no pool member.
        return servicePrincipalObject(
          this.seed,
          this.memberId(type, index),
          5_000_000 + index,
          this.profile.tenantId,
        );
      default:
        return {
          '@odata.type': '#microsoft.graph.directoryObject',
          id: this.memberId(MemberType.unknown, index),
        };
    }
  }

  // ---- users ---------------------------------------------------------------

  /** Whether user i is a guest (cheap: used by group flavours and devices). */
  isGuest(index: number): boolean {
    if (index < 6) return index === 1;
    return (
      unit(this.seed, SALT_GUEST, index) < this.profile.directory.guestShare
    );
  }

  identity(index: number, ghost = false): UserIdentity {
    const kind = ghost ? IdKind.ghostUser : IdKind.user;
    const combos = FIRST_NAMES.length * LAST_NAMES.length;
    // a bijection index -> (first, last) for the first `combos` users, then a numeric suffix
    const offset = ghost ? 5003 : 0;
    const c = ((index + offset) * 7919) % combos;
    const givenName = FIRST_NAMES[c % FIRST_NAMES.length];
    const surname = LAST_NAMES[floor(c / FIRST_NAMES.length)];
    const lap = floor((index + offset) / combos);
    const local = `${givenName}.${surname}${lap ? lap + 1 : ''}${
      ghost ? '.old' : ''
    }`.toLowerCase();
    const guest = !ghost && this.isGuest(index);
    const id = guid(this.seed, kind, index);
    if (!ghost && index === 0) {
      return {
        id,
        givenName,
        surname,
        displayName: 'Tenant Administrator',
        userPrincipalName: `admin@${this.profile.initialDomain}`,
        mail: `admin@${this.profile.initialDomain}`,
        guest: false,
        mailNickname: 'admin',
      };
    }
    if (guest) {
      const external =
        EXTERNAL_DOMAINS[
          hash(this.seed, kind, index, 3) % EXTERNAL_DOMAINS.length
        ];
      const nick = `${local}_${external}#EXT#`;
      return {
        id,
        givenName,
        surname,
        displayName: `${givenName} ${surname} (${external.split('.')[0]})`,
        userPrincipalName: `${nick}@${this.profile.initialDomain}`,
        mail: `${local}@${external}`,
        guest: true,
        mailNickname: nick,
      };
    }
    const noMail =
      index === 3 ||
      (index >= 6 &&
        unit(this.seed, SALT_NO_MAIL, index) <
          this.profile.directory.noMailShare);
    const upn = `${local}@${this.primaryDomain}`;
    return {
      id,
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      userPrincipalName: upn,
      mail: noMail ? null : upn,
      guest: false,
      mailNickname: local,
    };
  }

  private userFlags(index: number) {
    const d = this.profile.directory;
    const forced = index < 6;
    return {
      disabled: forced
        ? index === 2
        : unit(this.seed, SALT_DISABLED, index) < d.disabledShare,
      onPremises: forced
        ? index === 4
        : unit(this.seed, SALT_ON_PREM, index) < d.onPremisesSyncedShare,
      neverSignedIn: forced
        ? index === 5
        : unit(this.seed, SALT_NEVER_SIGNED_IN, index) < d.neverSignedInShare,
    };
  }

  /** Default property set first, in the order GET /users returns it (id last), then the rest. */
  private userProperties(index: number, ghost: boolean) {
    const who = this.identity(index, ghost);
    const kind = ghost ? IdKind.ghostUser : IdKind.user;
    const rng = rngFor(this.seed, kind, index, 1);
    const flags = ghost
      ? { disabled: true, onPremises: false, neverSignedIn: false }
      : this.userFlags(index);
    const onPremises = flags.onPremises && !who.guest;
    const office = rng.pick(OFFICES);
    const created = pastMs(rng, 30, 2000);
    const signedIn = !flags.neverSignedIn;
    const lastSignIn = pastMs(rng, 0, 90);
    const nonInteractive = rng.chance(0.7);
    const lastSuccess = rng.chance(0.9)
      ? lastSignIn
      : lastSignIn - rng.int(20) * 86_400_000;
    const sam = who.mailNickname.replace(/[^a-z.]/g, '').slice(0, 20);

    const defaults = {
      businessPhones:
        who.guest || rng.chance(0.4) ? [] : [`+1 425 555 0${rng.digits(3)}`],
      displayName: who.displayName,
      givenName: who.guest && rng.chance(0.5) ? null : who.givenName,
      jobTitle: who.guest ? null : rng.pick(JOB_TITLES),
      mail: who.mail,
      mobilePhone: rng.chance(0.2) ? `+1 206 555 0${rng.digits(3)}` : null,
      officeLocation: who.guest ? null : office.office,
      preferredLanguage: rng.pick(PREFERRED_LANGUAGES),
      surname: who.guest && rng.chance(0.5) ? null : who.surname,
      userPrincipalName: who.userPrincipalName,
    };
    const extras = {
      accountEnabled: !flags.disabled,
      city: who.guest ? null : office.city,
      companyName: who.guest ? null : this.profile.displayName,
      country: who.guest ? null : office.country,
      createdDateTime: isoSeconds(created),
      creationType: who.guest ? 'Invitation' : null,
      deletedDateTime: null,
      department: who.guest ? null : rng.pick(DEPARTMENTS),
      employeeId: who.guest || rng.chance(0.2) ? null : String(100000 + index),
      employeeType: who.guest
        ? null
        : rng.chance(0.85)
        ? 'Employee'
        : 'Contractor',
      externalUserState: who.guest
        ? rng.chance(0.8)
          ? 'Accepted'
          : 'PendingAcceptance'
        : null,
      externalUserStateChangeDateTime: who.guest
        ? isoSeconds(created + 3_600_000)
        : null,
      lastPasswordChangeDateTime: isoSeconds(pastMs(rng, 1, 400)),
      mailNickname: who.mailNickname,
      onPremisesDistinguishedName: onPremises
        ? `CN=${who.displayName},OU=Users,DC=corp,DC=contoso,DC=com`
        : null,
      onPremisesDomainName: onPremises ? 'corp.contoso.com' : null,
      onPremisesImmutableId: onPremises
        ? Buffer.from(
            guid(this.seed, IdKind.immutableId, index).replace(/-/g, ''),
            'hex',
          ).toString('base64')
        : null,
      onPremisesLastSyncDateTime: onPremises
        ? isoSeconds(pastMs(rng, 0, 1))
        : null,
      onPremisesSamAccountName: onPremises ? sam : null,
      onPremisesSecurityIdentifier: onPremises
        ? `${this.onPremDomainSid}-${1100 + index}`
        : null,
      onPremisesSyncEnabled: onPremises ? true : null,
      onPremisesUserPrincipalName: onPremises
        ? `${sam}@corp.contoso.com`
        : null,
      otherMails: who.guest && who.mail ? [who.mail] : [],
      passwordPolicies: onPremises ? 'DisablePasswordExpiration' : null,
      proxyAddresses: who.mail && !who.guest ? [`SMTP:${who.mail}`] : [],
      state: who.guest ? null : office.state,
      usageLocation: who.guest ? null : office.usageLocation,
      userType: who.guest ? 'Guest' : 'Member',
      signInActivity: signedIn
        ? {
            lastSignInDateTime: isoSeconds(lastSignIn),
            lastSignInRequestId: guid(this.seed, IdKind.requestId, index * 4),
            lastNonInteractiveSignInDateTime: nonInteractive
              ? isoSeconds(pastMs(rng, 0, 30))
              : NO_DATE,
            lastNonInteractiveSignInRequestId: nonInteractive
              ? guid(this.seed, IdKind.requestId, index * 4 + 1)
              : '',
            lastSuccessfulSignInDateTime: isoSeconds(lastSuccess),
            lastSuccessfulSignInRequestId: guid(
              this.seed,
              IdKind.requestId,
              index * 4 + 2,
            ),
          }
        : null,
    };
    return { id: who.id, defaults, extras };
  }

  /** A user as GET /users lists it (no @odata.type; id after the default properties). */
  user(index: number): GraphObject {
    const { id, defaults, extras } = this.userProperties(index, false);
    return merge(defaults, { id }, extras);
  }

  /** A user as a member list / directoryObjects returns it: @odata.type and id first. */
  private userAsDirectoryObject(index: number, ghost: boolean): GraphObject {
    const { id, defaults, extras } = this.userProperties(index, ghost);
    return merge(
      { '@odata.type': '#microsoft.graph.user', id },
      defaults,
      extras,
    );
  }

  // ---- groups --------------------------------------------------------------

  flavour(index: number, ghost = false): GroupFlavour {
    const d = this.profile.directory;
    // the first groups take one flavour each, so small tenants have every kind of group
    const firsts: GroupFlavour[] = [
      'security',
      'unified',
      'dynamicUsers',
      'onPremisesSynced',
      'dynamicDevices',
      'distribution',
      'appAccess',
    ];
    if (!ghost && index < firsts.length) {
      const flavour = firsts[index];
      if (flavour === 'onPremisesSynced' && d.onPremisesSyncedShare > 0)
        return flavour;
      if (flavour === 'dynamicDevices' && d.memberDevices > 0) return flavour;
      if (flavour === 'appAccess' && d.memberServicePrincipals > 0)
        return flavour;
      if (
        flavour !== 'onPremisesSynced' &&
        flavour !== 'dynamicDevices' &&
        flavour !== 'appAccess'
      )
        return flavour;
      return 'security';
    }
    const r = unit(this.seed, SALT_FLAVOUR, index, ghost ? 1 : 0);
    const table: [GroupFlavour, number][] = [
      ['security', 0.33],
      ['unified', 0.25],
      ['dynamicUsers', 0.1],
      ['dynamicDevices', d.memberDevices > 0 ? 0.08 : 0],
      ['onPremisesSynced', d.onPremisesSyncedShare > 0 ? 0.1 : 0],
      ['distribution', 0.08],
      ['appAccess', d.memberServicePrincipals > 0 ? 0.06 : 0],
    ];
    const total = table.reduce((s, [, w]) => s + w, 0);
    let x = r * total;
    for (const [flavour, w] of table) {
      x -= w;
      if (x < 0) return flavour;
    }
    return 'security';
  }

  private group(index: number, ghost: boolean, withType = false): GraphObject {
    const kind = ghost ? IdKind.ghostGroup : IdKind.group;
    const id = guid(this.seed, kind, index);
    const flavour = this.flavour(index, ghost);
    const rng = rngFor(this.seed, kind, index, 1);
    const topic = GROUP_TOPICS[(index + (ghost ? 7 : 0)) % GROUP_TOPICS.length];
    const lap = floor(index / GROUP_TOPICS.length);
    const suffix = lap ? ` ${lap + 1}` : '';
    const names: Record<GroupFlavour, string> = {
      security: `SG-${topic.replace(/ /g, '')}-Users${suffix}`,
      unified: `${topic} Team${suffix}`,
      dynamicUsers: `Dynamic - ${topic} Users${suffix}`,
      dynamicDevices: `Dynamic - ${topic} Windows Devices${suffix}`,
      onPremisesSynced: `CORP-${topic
        .toUpperCase()
        .replace(/ /g, '_')}${suffix}`,
      distribution: `DL ${topic}${suffix}`,
      appAccess: `App - ${topic} Access${suffix}`,
    };
    const displayName = (ghost ? 'Deleted ' : '') + names[flavour];
    const nickname =
      displayName.replace(/[^A-Za-z0-9]/g, '').slice(0, 40) || `group${index}`;
    const mailEnabled = flavour === 'unified' || flavour === 'distribution';
    const securityEnabled = flavour !== 'unified' && flavour !== 'distribution';
    const onPremises = flavour === 'onPremisesSynced';
    const dynamic = flavour === 'dynamicUsers' || flavour === 'dynamicDevices';
    const dynamicUnified = flavour === 'dynamicUsers' && rng.chance(0.3);
    const created = pastMs(rng, 10, 1800);
    const mail =
      mailEnabled || dynamicUnified
        ? `${nickname}@${this.primaryDomain}`
        : null;
    const groupTypes =
      flavour === 'unified'
        ? ['Unified']
        : dynamic
        ? dynamicUnified
          ? ['Unified', 'DynamicMembership']
          : ['DynamicMembership']
        : [];
    const isTeam = flavour === 'unified' && rng.chance(0.5);
    const object: GraphObject = {
      id,
      deletedDateTime: null,
      classification: null,
      createdDateTime: isoSeconds(created),
      creationOptions: isTeam ? ['Team', 'ExchangeProvisioningFlags:3552'] : [],
      description: rng.chance(0.3)
        ? null
        : `${topic} ${
            flavour === 'unified' ? 'collaboration' : 'access'
          } group`,
      displayName,
      expirationDateTime: null,
      groupTypes,
      isAssignableToRole:
        securityEnabled && !onPremises && !dynamic ? rng.chance(0.05) : null,
      mail,
      mailEnabled: mailEnabled || dynamicUnified,
      mailNickname: nickname,
      membershipRule: !dynamic
        ? null
        : flavour === 'dynamicDevices'
        ? '(device.deviceOSType -eq "Windows") and (device.deviceOwnership -eq "Company")'
        : `(user.department -eq "${rng.pick(
            DEPARTMENTS,
          )}") and (user.accountEnabled -eq true)`,
      membershipRuleProcessingState: dynamic ? 'On' : null,
      onPremisesDomainName: onPremises ? 'corp.contoso.com' : null,
      onPremisesLastSyncDateTime: onPremises
        ? isoSeconds(pastMs(rng, 0, 1))
        : null,
      onPremisesNetBiosName: onPremises ? 'CORP' : null,
      onPremisesSamAccountName: onPremises ? nickname.slice(0, 20) : null,
      onPremisesSecurityIdentifier: onPremises
        ? `${this.onPremDomainSid}-${5000 + index}`
        : null,
      onPremisesSyncEnabled: onPremises ? true : null,
      preferredDataLocation: null,
      preferredLanguage: null,
      proxyAddresses: mail ? [`SMTP:${mail}`] : [],
      renewedDateTime: isoSeconds(created),
      resourceBehaviorOptions:
        flavour === 'unified' ? ['WelcomeEmailDisabled'] : [],
      resourceProvisioningOptions: isTeam ? ['Team'] : [],
      securityEnabled: securityEnabled || dynamicUnified,
      securityIdentifier: securityIdentifierFor(id),
      theme: null,
      visibility:
        flavour === 'unified' ? (rng.chance(0.7) ? 'Private' : 'Public') : null,
      onPremisesProvisioningErrors: [],
    };
    return withType
      ? merge({ '@odata.type': '#microsoft.graph.group' }, object)
      : object;
  }

  // ---- members ---------------------------------------------------------------

  /**
   * Direct members of group `index` as member codes, in Graph's order, with
   * Graph's repeats. Rebuilt from the seed on every call.
   */
  memberCodes(index: number): number[] {
    const d = this.profile.directory;
    const a = this.profile.anomalies;
    const rng = rngFor(this.seed, IdKind.group, index, 2);
    const flavour = this.flavour(index);
    const pool = this.poolSize;
    const codes: number[] = [];
    const add = (type: MemberTypeValue, i: number) => {
      if (pool[type] > 0) codes.push(memberCode(type, i % pool[type]));
    };

    if (index === 0) {
      // Group 0 holds one member of every kind, so even a tiny tenant has every case.
      add(MemberType.user, 0);
      add(MemberType.user, 1);
      if (this.groupCount > 1) add(MemberType.group, 1);
      add(MemberType.device, 0);
      add(MemberType.servicePrincipal, 0);
      add(MemberType.orgContact, 0);
      add(MemberType.unknown, 0);
      add(MemberType.ghostUser, 0);
      add(MemberType.ghostGroup, 0);
      add(MemberType.ghostServicePrincipal, 0);
      if (a.duplicateMemberShare > 0 && pool[MemberType.user] > 0)
        add(MemberType.user, 0);
    }

    const mean =
      flavour === 'dynamicDevices'
        ? min(d.averageMembersPerGroup, pool[MemberType.device])
        : d.averageMembersPerGroup;
    const size = min(round(-log(1 - rng.next()) * mean), 4 * mean + 5);
    const nests =
      flavour !== 'unified' &&
      flavour !== 'dynamicUsers' &&
      flavour !== 'dynamicDevices' &&
      unit(this.seed, SALT_NESTS, index) < d.nestedGroupShare;

    for (let s = 0; s < size; s++) {
      const r = rng.next();
      if (flavour === 'dynamicDevices') {
        add(MemberType.device, rng.int(pool[MemberType.device]));
        continue;
      }
      if (r < a.ghostUserMemberShare) {
        add(MemberType.ghostUser, rng.int(max(1, this.ghostUserCount)));
        continue;
      }
      if (r < a.ghostUserMemberShare + a.ghostGroupMemberShare) {
        add(MemberType.ghostGroup, rng.int(max(1, this.ghostGroupCount)));
        continue;
      }
      const t = rng.next();
      if (nests && t < 0.12 && this.groupCount > 1) {
        const other =
          (index + 1 + rng.int(this.groupCount - 1)) % this.groupCount;
        add(MemberType.group, other);
      } else if (flavour === 'appAccess' && t < 0.4) {
        add(
          MemberType.servicePrincipal,
          rng.int(pool[MemberType.servicePrincipal]),
        );
      } else if (
        (flavour === 'distribution' || flavour === 'onPremisesSynced') &&
        t < 0.25
      ) {
        add(
          MemberType.orgContact,
          rng.int(max(1, pool[MemberType.orgContact])),
        );
      } else if (flavour === 'security' && t < 0.05) {
        add(MemberType.device, rng.int(max(1, pool[MemberType.device])));
      } else if (flavour === 'security' && t < 0.07) {
        add(MemberType.unknown, rng.int(max(1, pool[MemberType.unknown])));
      } else {
        add(MemberType.user, rng.int(max(1, pool[MemberType.user])));
      }
    }

    // Graph repeats members across pages: copy some codes to a later position.
    if (a.duplicateMemberShare > 0 && codes.length > 0) {
      const n = codes.length;
      for (let s = 0; s < n; s++) {
        if (rng.chance(a.duplicateMemberShare)) {
          const at = s + 1 + rng.int(codes.length - s);
          codes.splice(at, 0, codes[s]);
        }
      }
    }
    return codes;
  }

  groupMemberIds(groupId: string): string[] | undefined {
    const index = guidIndex(this.seed, IdKind.group, groupId, this.groupCount);
    if (index < 0) return undefined;
    return this.memberCodes(index).map((code) =>
      this.memberId(memberCodeType(code), memberCodeIndex(code)),
    );
  }
}

export function checkIndex(index: number, count: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`index ${index} out of range 0..${count - 1}`);
  }
  return index;
}

/** Entra's cloud SID of an object: S-1-12-1 followed by the GUID's bytes as four little-endian uint32s. */
function securityIdentifierFor(id: string): string {
  const hex = id.replace(/-/g, '');
  const bytes = Buffer.from(hex, 'hex');
  // GUID text order puts the first three fields big-endian; Windows stores them little-endian.
  const le = Buffer.from([
    bytes[3],
    bytes[2],
    bytes[1],
    bytes[0],
    bytes[5],
    bytes[4],
    bytes[7],
    bytes[6],
    ...bytes.subarray(8),
  ]);
  return `S-1-12-1-${le.readUInt32LE(0)}-${le.readUInt32LE(
    4,
  )}-${le.readUInt32LE(8)}-${le.readUInt32LE(12)}`;
}
