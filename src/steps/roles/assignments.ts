/**
 * One role assignment per principal, role, scope and type, from up to three
 * Graph lists (docs/identity-security.md, "One assignment, one relationship"):
 *
 * - roleAssignments: every active assignment, without dates;
 * - roleAssignmentScheduleInstances (PIM, P2): every active assignment again,
 *   permanent ones with the same id and null dates, time-bound and activated
 *   ones with their start and end;
 * - roleEligibilityScheduleInstances (PIM, P2): eligible assignments.
 *
 * An assignment's identity is (principalId, roleDefinitionId,
 * directoryScopeId, active|eligible), never a list's own id: the same active
 * assignment has one id in roleAssignments and may have another in the
 * schedule instances. Dates merge the same way whatever the order: the
 * earliest start, the latest end, and "no start" / "no end" win. Pure.
 */
import {
  GraphRoleAssignmentLike,
  GraphRoleScheduleInstance,
} from '../../graph/role-management';
import { presentString, toEpochMs } from '../convert';
import { PrincipalType, principalTypeOf } from '../principals';

export type AssignmentType = 'active' | 'eligible';

export interface RoleAssignment {
  principalId: string;
  /** undefined: Graph named no user, group or service principal (deleted). */
  principalType?: PrincipalType;
  roleDefinitionId: string;
  /** '/' tenant-wide, '/administrativeUnits/{id}', or '/{objectId}'. */
  directoryScopeId: string;
  appScopeId?: string;
  assignmentType: AssignmentType;
  /** Epoch ms, when a PIM schedule instance says. */
  startOn?: number;
  endOn?: number;
  /** Known only from PIM schedule instances: no end date. */
  permanent?: boolean;
  /** Active through a PIM activation of an eligible assignment. */
  activated?: boolean;
}

export type AssignmentSource =
  | 'roleAssignments'
  | 'activeInstances'
  | 'eligibleInstances';

/** Why an item made no assignment; each is counted and logged. */
export type SkipReason =
  /** No principalId, roleDefinitionId or directoryScopeId. */
  | 'incompleteItems'
  /** memberType Group or Inherited: the group's own assignment says it. */
  | 'inheritedInstances';

interface Merging {
  assignment: RoleAssignment;
  instances: number;
  startMissing: boolean;
  endMissing: boolean;
  earliestStart?: number;
  latestEnd?: number;
  activated: boolean;
}

export function assignmentIdentity(a: {
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  assignmentType: AssignmentType;
}): string {
  return `${a.principalId}|${a.roleDefinitionId}|${a.directoryScopeId}|${a.assignmentType}`;
}

export class RoleAssignmentMerge {
  private readonly merging = new Map<string, Merging>();
  readonly skipped: Record<SkipReason, number> = {
    incompleteItems: 0,
    inheritedInstances: 0,
  };

  add(
    item: GraphRoleAssignmentLike | GraphRoleScheduleInstance,
    source: AssignmentSource,
  ): void {
    const principalId = presentString(item?.principalId);
    const roleDefinitionId = presentString(item?.roleDefinitionId);
    const directoryScopeId = presentString(item?.directoryScopeId);
    if (!principalId || !roleDefinitionId || !directoryScopeId) {
      this.skipped.incompleteItems++;
      return;
    }
    const instance = item as GraphRoleScheduleInstance;
    const memberType = presentString(instance.memberType);
    if (memberType && memberType.toLowerCase() !== 'direct') {
      this.skipped.inheritedInstances++;
      return;
    }
    const assignmentType: AssignmentType =
      source === 'eligibleInstances' ? 'eligible' : 'active';
    const identity = assignmentIdentity({
      principalId,
      roleDefinitionId,
      directoryScopeId,
      assignmentType,
    });
    let entry = this.merging.get(identity);
    if (!entry) {
      entry = {
        assignment: {
          principalId,
          roleDefinitionId,
          directoryScopeId,
          assignmentType,
        },
        instances: 0,
        startMissing: false,
        endMissing: false,
        activated: false,
      };
      this.merging.set(identity, entry);
    }
    const { assignment } = entry;
    assignment.principalType ??= principalTypeOf(
      item.principal?.['@odata.type'],
    );
    const appScopeId = presentString(item.appScopeId);
    if (
      appScopeId &&
      (!assignment.appScopeId || appScopeId < assignment.appScopeId)
    ) {
      assignment.appScopeId = appScopeId;
    }
    if (source === 'roleAssignments') return;

    entry.instances++;
    const start = toEpochMs(instance.startDateTime);
    const end = toEpochMs(instance.endDateTime);
    if (start === undefined) entry.startMissing = true;
    else entry.earliestStart = Math.min(entry.earliestStart ?? start, start);
    if (end === undefined) entry.endMissing = true;
    else entry.latestEnd = Math.max(entry.latestEnd ?? end, end);
    if (presentString(instance.assignmentType)?.toLowerCase() === 'activated') {
      entry.activated = true;
    }
  }

  /** The merged assignments, in identity order (the same for any order of the lists). */
  assignments(): RoleAssignment[] {
    return Array.from(this.merging.entries())
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, entry]) => {
        const { assignment } = entry;
        if (!entry.instances) return { ...assignment };
        return {
          ...assignment,
          startOn: entry.startMissing ? undefined : entry.earliestStart,
          endOn: entry.endMissing ? undefined : entry.latestEnd,
          permanent: entry.endMissing,
          activated:
            assignment.assignmentType === 'active'
              ? entry.activated
              : undefined,
        };
      });
  }
}
