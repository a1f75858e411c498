/**
 * Entra ID roles of a generated tenant (issue 16): role definitions, and the
 * assignments that three Graph lists show (docs: rbacapplication-list-*):
 *
 * - roleAssignments: every active assignment (permanent, time-bound and
 *   PIM-activated), as the capture shows it: id, principalId,
 *   directoryScopeId, roleDefinitionId;
 * - roleAssignmentScheduleInstances: every active assignment again, the
 *   permanent ones with the same id and null dates (docs example), the
 *   time-bound and activated ones with dates and another id, plus the
 *   instances a role-assignable group's members inherit (memberType Group);
 * - roleEligibilityScheduleInstances: PIM-eligible assignments.
 *
 * Assignment ids are what the capture's are: base64url of the role
 * definition's and the principal's GUID bytes (little-endian), then "-1"
 * (ad-role-assignments.har).
 */
import { Directory, MemberType } from './directory';
import { GraphObject } from './model';
import { TenantProfile } from './profiles';
import { DAY_MS, guid, IdKind, isoSeconds, NOW_MS } from './random';
import { ROLE_IDS, ROLE_TEMPLATES } from './role-templates';

export type PrincipalKind =
  | 'user'
  | 'ghostUser'
  | 'group'
  | 'ghostGroup'
  | 'servicePrincipal'
  /**
   * A service principal deleted since /servicePrincipals was read (issue 17's
   * ghosts): objects deleted between a list and a later read are reported
   * for these connectors (identity-security.md §4.2: cartography #2624, #2812).
   */
  | 'ghostServicePrincipal'
  /** An id Graph no longer resolves: `principal` is null. */
  | 'orphan';

export type Schedule = 'permanent' | 'timeBound' | 'activated' | 'eligible';

export interface AssignmentSpec {
  principal: { kind: PrincipalKind; index: number };
  roleDefinitionId: string;
  directoryScopeId: string;
  schedule: Schedule;
  start: number | null;
  end: number | null;
}

const HOUR_MS = 3_600_000;

/** The user who is excluded from every enabled Conditional Access policy. */
export function breakGlassIndex(users: number): number {
  return users > 7 ? 7 : users - 1;
}

/** GUID text -> its 16 bytes as Windows stores them (first three fields little-endian). */
function guidBytes(id: string): Buffer {
  const b = Buffer.from(id.replace(/-/g, ''), 'hex');
  return Buffer.from([
    b[3],
    b[2],
    b[1],
    b[0],
    b[5],
    b[4],
    b[7],
    b[6],
    ...b.subarray(8),
  ]);
}

export function assignmentId(
  roleDefinitionId: string,
  principalId: string,
  ordinal = 1,
): string {
  return `${Buffer.concat([
    guidBytes(roleDefinitionId),
    guidBytes(principalId),
  ]).toString('base64url')}-${ordinal}`;
}

export class Roles {
  readonly definitions: GraphObject[];
  readonly specs: AssignmentSpec[];
  readonly roleAssignments: GraphObject[] = [];
  readonly activeInstances: GraphObject[] = [];
  readonly eligibleInstances: GraphObject[] = [];
  /** Direct assignments that the PIM lists show again for a group's member (memberType Group). */
  readonly inheritedInstances: number;
  /** Users with any direct role assignment (the registration report's isAdmin). */
  readonly adminUsers = new Set<number>();
  /** Admins the registration report shows without MFA (the break-glass account among them). */
  readonly adminsWithoutMfa = new Set<number>();
  /** A custom role that was deleted but that a Conditional Access policy still names. */
  readonly deletedRoleId: string;

  constructor(
    private readonly profile: TenantProfile,
    private readonly directory: Directory,
  ) {
    const seed = profile.seed;
    this.deletedRoleId = guid(seed, IdKind.customRole, 1_000);
    this.definitions = [
      ...ROLE_TEMPLATES.map((t) => ({
        id: t.id,
        description: t.description,
        displayName: t.displayName,
        isBuiltIn: true,
        isEnabled: true,
        isPrivileged: t.privileged,
        allowedPrincipalTypes: 'user,servicePrincipal,group',
        resourceScopes: ['/'],
        templateId: t.id,
        version: '1',
        rolePermissions: [
          { allowedResourceActions: [...t.actions], condition: null },
        ],
        inheritsPermissionsFrom: t.inherits ? [{ id: t.inherits }] : [],
      })),
      ...Array.from({ length: profile.identity.customRoles }, (_, i) => {
        const id = guid(seed, IdKind.customRole, i);
        return {
          id,
          description: `Custom helpdesk role, tier ${
            i + 1
          }: resets passwords and reads sign-in logs.`,
          displayName: `Contoso Helpdesk Tier ${i + 1}`,
          isBuiltIn: false,
          isEnabled: i % 3 !== 2,
          isPrivileged: false,
          allowedPrincipalTypes: 'user,servicePrincipal,group',
          resourceScopes: ['/'],
          templateId: id,
          version: null,
          rolePermissions: [
            {
              allowedResourceActions: [
                'microsoft.directory/users/password/update',
                'microsoft.directory/signInReports/allProperties/read',
              ],
              condition: null,
            },
          ],
          inheritsPermissionsFrom: [],
        };
      }),
    ];
    this.specs = this.buildSpecs();
    this.inheritedInstances = this.buildLists();
  }

  principalId(principal: AssignmentSpec['principal']): string {
    const d = this.directory;
    switch (principal.kind) {
      case 'user':
        return d.userId(principal.index);
      case 'ghostUser':
        return d.memberId(MemberType.ghostUser, principal.index);
      case 'group':
        return d.groupId(principal.index);
      case 'ghostGroup':
        return d.memberId(MemberType.ghostGroup, principal.index);
      case 'servicePrincipal':
        return d.memberId(MemberType.servicePrincipal, principal.index);
      case 'ghostServicePrincipal':
        return d.memberId(MemberType.ghostServicePrincipal, principal.index);
      default:
        return guid(this.profile.seed, IdKind.orphanPrincipal, principal.index);
    }
  }

  /** The custom role ids, for Conditional Access and admin roles. */
  customRoleIds(): string[] {
    return this.definitions
      .filter((d) => !d.isBuiltIn)
      .map((d) => d.id as string);
  }

  private buildSpecs(): AssignmentSpec[] {
    const p = this.profile.identity;
    const users = this.directory.userCount;
    const specs: AssignmentSpec[] = [];
    const seen = new Set<string>();
    const add = (spec: AssignmentSpec) => {
      const active = spec.schedule === 'eligible' ? 'eligible' : 'active';
      const key = `${spec.principal.kind}:${spec.principal.index}|${spec.roleDefinitionId}|${spec.directoryScopeId}|${active}`;
      if (seen.has(key)) return;
      seen.add(key);
      specs.push(spec);
      if (spec.principal.kind === 'user')
        this.adminUsers.add(spec.principal.index);
    };
    const R = ROLE_IDS;
    const adminRoles = [
      R.securityAdministrator,
      R.userAdministrator,
      R.helpdeskAdministrator,
      R.exchangeAdministrator,
      R.intuneAdministrator,
      R.globalReader,
      R.applicationAdministrator,
      R.conditionalAccessAdministrator,
      R.privilegedRoleAdministrator,
      R.authenticationAdministrator,
      R.sharePointAdministrator,
      ...this.customRoleIds(),
    ];
    const permanent = (index: number, role: string, scope = '/') =>
      add({
        principal: { kind: 'user', index },
        roleDefinitionId: role,
        directoryScopeId: scope,
        schedule: 'permanent',
        start: null,
        end: null,
      });
    // Distinct users, spread over the directory: 0, the break-glass account, then every step-th.
    const breakGlass = breakGlassIndex(users);
    const wanted =
      p.activeUserAssignments + p.timeBoundAssignments + p.eligibleAssignments;
    const step = Math.max(1, Math.floor(users / (wanted + 8)));
    const picked: number[] = [];
    for (let i = 2; picked.length < wanted && i < users * 2; i++) {
      const index = (i * step) % users;
      if (index !== 0 && index !== breakGlass && !picked.includes(index))
        picked.push(index);
    }
    const next = () => picked.shift() ?? 0;

    // Permanent admins: the tenant administrator and the break-glass account are Global Administrators.
    if (p.activeUserAssignments > 0) permanent(0, R.globalAdministrator);
    if (p.activeUserAssignments > 1 && breakGlass > 0) {
      permanent(breakGlass, R.globalAdministrator);
      this.adminsWithoutMfa.add(breakGlass);
    }
    const rest: number[] = [];
    for (let i = 2; i < p.activeUserAssignments; i++) {
      const user = next();
      rest.push(user);
      permanent(user, adminRoles[(i - 2) % adminRoles.length]);
      if (i === 2) {
        // one admin has two roles, and one more scoped to an administrative unit
        permanent(user, R.securityReader);
        permanent(
          user,
          R.userAdministrator,
          `/administrativeUnits/${guid(
            this.profile.seed,
            IdKind.administrativeUnit,
            0,
          )}`,
        );
      }
      if (i === 3) this.adminsWithoutMfa.add(user);
    }
    // Time-bound active (PIM "assigned" with an end).
    for (let i = 0; i < p.timeBoundAssignments; i++) {
      add({
        principal: { kind: 'user', index: next() },
        roleDefinitionId: adminRoles[(i + 3) % adminRoles.length],
        directoryScopeId: '/',
        schedule: 'timeBound',
        start: NOW_MS - 10 * DAY_MS,
        end: NOW_MS + (20 + i) * DAY_MS,
      });
    }
    // Eligible; the first is also permanently active in the same role, the second is activated now.
    for (let i = 0; i < p.eligibleAssignments; i++) {
      const user = i === 0 && rest.length ? rest[0] : next();
      const role =
        i === 0 && rest.length
          ? adminRoles[0]
          : i === 1
          ? R.globalAdministrator
          : adminRoles[(i + 5) % adminRoles.length];
      add({
        principal: { kind: 'user', index: user },
        roleDefinitionId: role,
        directoryScopeId: '/',
        schedule: 'eligible',
        start: NOW_MS - 30 * DAY_MS,
        end: i % 2 ? null : NOW_MS + 300 * DAY_MS,
      });
      if (i === 1) {
        add({
          principal: { kind: 'user', index: user },
          roleDefinitionId: role,
          directoryScopeId: '/',
          schedule: 'activated',
          start: NOW_MS - 2 * HOUR_MS,
          end: NOW_MS + 6 * HOUR_MS,
        });
      }
    }
    const groups = this.directory.groupCount;
    for (let i = 0; i < Math.min(p.groupAssignments, groups); i++) {
      add({
        principal: { kind: 'group', index: i },
        roleDefinitionId:
          i % 2 ? R.groupsAdministrator : R.helpdeskAdministrator,
        directoryScopeId: '/',
        schedule: 'permanent',
        start: null,
        end: null,
      });
    }
    const pool = this.directory.poolSize[MemberType.servicePrincipal];
    for (let i = 0; i < Math.min(p.servicePrincipalAssignments, pool); i++) {
      add({
        principal: { kind: 'servicePrincipal', index: i },
        roleDefinitionId:
          i % 3 === 0
            ? R.applicationAdministrator
            : i % 3 === 1
            ? R.directoryReaders
            : R.cloudApplicationAdministrator,
        directoryScopeId: '/',
        schedule: 'permanent',
        start: null,
        end: null,
      });
    }
    // Anomalies: a user deleted since /users was read, and a principal Graph no longer resolves.
    if (this.directory.ghostUserCount > 0 && p.activeUserAssignments > 0) {
      add({
        principal: { kind: 'ghostUser', index: 0 },
        roleDefinitionId: R.userAdministrator,
        directoryScopeId: '/',
        schedule: 'permanent',
        start: null,
        end: null,
      });
      if (this.directory.ghostGroupCount > 0) {
        add({
          principal: { kind: 'ghostGroup', index: 0 },
          roleDefinitionId: R.helpdeskAdministrator,
          directoryScopeId: '/',
          schedule: 'permanent',
          start: null,
          end: null,
        });
      }
      if (this.directory.poolSize[MemberType.ghostServicePrincipal] > 0) {
        add({
          principal: { kind: 'ghostServicePrincipal', index: 0 },
          roleDefinitionId: R.cloudApplicationAdministrator,
          directoryScopeId: '/',
          schedule: 'permanent',
          start: null,
          end: null,
        });
      }
      add({
        principal: { kind: 'orphan', index: 0 },
        roleDefinitionId: R.helpdeskAdministrator,
        directoryScopeId: '/',
        schedule: 'permanent',
        start: null,
        end: null,
      });
    }
    return specs;
  }

  /** The three lists; returns the number of memberType Group instances added. */
  private buildLists(): number {
    let inherited = 0;
    const ordinals = new Map<string, number>();
    for (const spec of this.specs) {
      const principalId = this.principalId(spec.principal);
      const pair = `${spec.roleDefinitionId}|${principalId}`;
      const ordinal = (ordinals.get(pair) ?? 0) + 1;
      ordinals.set(pair, ordinal);
      const id = assignmentId(spec.roleDefinitionId, principalId, ordinal);
      const base = {
        principalId,
        roleDefinitionId: spec.roleDefinitionId,
        directoryScopeId: spec.directoryScopeId,
        appScopeId: null,
        startDateTime: spec.start === null ? null : isoSeconds(spec.start),
        endDateTime: spec.end === null ? null : isoSeconds(spec.end),
      };
      if (spec.schedule === 'eligible') {
        this.eligibleInstances.push({
          id: `${id}-e`,
          ...base,
          memberType: 'Direct',
          roleEligibilityScheduleId: guid(
            this.profile.seed,
            IdKind.requestId,
            900_000 + this.eligibleInstances.length,
          ),
        });
        continue;
      }
      this.roleAssignments.push({
        id,
        principalId,
        directoryScopeId: spec.directoryScopeId,
        roleDefinitionId: spec.roleDefinitionId,
      });
      // Permanent assignments keep their id in the schedule instances; the others get another one.
      const instanceId = spec.schedule === 'permanent' ? id : `${id}-e`;
      this.activeInstances.push({
        id: instanceId,
        ...base,
        assignmentType:
          spec.schedule === 'activated' ? 'Activated' : 'Assigned',
        memberType: 'Direct',
        roleAssignmentOriginId: id,
        roleAssignmentScheduleId: instanceId,
      });
      if (spec.principal.kind === 'group') {
        const member = this.directory
          .groupMemberIds(principalId)
          ?.find((m) => this.directory.directoryObjectType(m) === 'user');
        if (member) {
          inherited++;
          this.activeInstances.push({
            id: `${assignmentId(spec.roleDefinitionId, member)}-g`,
            ...base,
            principalId: member,
            assignmentType: 'Assigned',
            memberType: 'Group',
            roleAssignmentOriginId: id,
            roleAssignmentScheduleId: id,
          });
        }
      }
    }
    return inherited;
  }
}
