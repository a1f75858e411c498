/**
 * What a collection said about itself and what it wrote, in the terms the
 * resilience tests assert on: step statuses and failure messages, partial
 * types, warnings, counts per `_type` against the ground truth, and the whole
 * graph (keys and properties) for run-to-run comparisons.
 */
import {
  Entity,
  Relationship,
  StepMappedRelationshipMetadata,
  StepRelationshipMetadata,
} from '@jupiterone/integration-sdk-core';
import { integrationSteps } from '../../src/steps';
import {
  allOf,
  MappedRelationships,
  Relationships,
} from '../../src/steps/constants';
import { GroundTruth } from '../graph-simulator/tenant/model';
import { CollectionResult, LogRecord } from './collect';

export const STEP_IDS: string[] = integrationSteps.map((step) => step.id);

const BUNYAN_WARN = 40;
const STEP_FAILURE = /^Step ".*" failed to complete due to error\./;

/** Every `_type` a step declares (entities, relationships, mapped relationships). */
export function declaredTypes(stepId: string): string[] {
  const step = integrationSteps.find((s) => s.id === stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  return [
    ...step.entities,
    ...step.relationships,
    ...(step.mappedRelationships ?? []),
  ].map((t) => t._type);
}

export function typesOfSteps(stepIds: string[]): string[] {
  return Array.from(new Set(stepIds.flatMap(declaredTypes))).sort();
}

export const ALL_TYPES = typesOfSteps(STEP_IDS);

/** Ground-truth relationship keys (`source|CLASS|target`, mapped ones from the side of their meaning) -> `_type`. */
const TRUTH_KEY_TO_TYPE = new Map<string, string>();
for (const entry of Object.values(Relationships)) {
  for (const r of allOf<StepRelationshipMetadata>(entry)) {
    TRUTH_KEY_TO_TYPE.set(
      `${r.sourceType}|${r._class}|${r.targetType}`,
      r._type,
    );
  }
}
for (const entry of Object.values(MappedRelationships)) {
  for (const r of allOf<StepMappedRelationshipMetadata>(entry)) {
    TRUTH_KEY_TO_TYPE.set(
      r.direction === 'FORWARD'
        ? `${r.sourceType}|${r._class}|${r.targetType}`
        : `${r.targetType}|${r._class}|${r.sourceType}`,
      r._type,
    );
  }
}

/**
 * The ground truth per `_type`. A mapped relationship is written with the
 * same `_type` as the direct one it stands for (a user the run did not
 * collect), so per type the two add up.
 */
export function truthByType(truth: GroundTruth): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (type: string, n: number) => {
    counts[type] = (counts[type] ?? 0) + n;
  };
  for (const [type, n] of Object.entries(truth.entities)) add(type, n);
  for (const table of [truth.relationships, truth.mappedRelationships]) {
    for (const [key, n] of Object.entries(table)) {
      const type = TRUTH_KEY_TO_TYPE.get(key);
      if (!type)
        throw new Error(
          `ground-truth key ${key} matches no declared relationship`,
        );
      add(type, n);
    }
  }
  return counts;
}

/** What a collection wrote, per `_type` (direct and mapped relationships together). */
export function countByType(result: CollectionResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const object of [...result.entities, ...result.relationships]) {
    counts[object._type] = (counts[object._type] ?? 0) + 1;
  }
  return counts;
}

/** Step id -> the message of the error its step failed with (from the SDK's step_failure record). */
export function failureMessages(
  result: CollectionResult,
): Record<string, string> {
  return Object.fromEntries(
    result.logs
      .filter((r) => STEP_FAILURE.test(r.msg))
      .map((r) => [
        String(r.stepId),
        String((r.err as { message?: string } | undefined)?.message),
      ]),
  );
}

/**
 * The message of the error a step failed with, from the runtime's one
 * "Step ... failed to complete due to error." record of that step, which
 * must carry the runtime's authorization-error code (a missing permission).
 */
export function stepError(
  result: CollectionResult,
  step: { id: string; name: string },
): string {
  const records = result.logs.filter(
    (r) =>
      r.stepId === step.id &&
      String(r.msg).startsWith(
        `Step "${step.name}" failed to complete due to error.`,
      ),
  );
  expect(records).toHaveLength(1);
  expect(records[0].code).toBe('PROVIDER_AUTHORIZATION_ERROR');
  return String((records[0].err as { message?: string }).message);
}

/** The one "{step name}: done" record a step logs at its end (its counters). */
export function doneRecord(
  result: CollectionResult,
  step: { name: string },
): LogRecord {
  const records = result.logs.filter((r) => r.msg === `${step.name}: done`);
  expect(records).toHaveLength(1);
  return records[0];
}

/** The objects of the given `_type`s. */
export function ofType<T extends { _type: string }>(
  objects: T[],
  ...types: string[]
): T[] {
  return objects.filter((o) => types.includes(o._type));
}

/** Why the MANAGES step fails when one of the two application steps did not complete. */
export const MANAGES_WITHOUT = (step: { name: string }): string =>
  `Build Managed and Detected Application Relationships cannot run: ${step.name} did not complete, so which detected applications Intune manages is unknown. The previous relationships are kept.`;

/** Why the group-service principal step fails when the groups or their members were not all read. */
export const GROUP_SERVICE_PRINCIPALS_INCOMPLETE =
  'Build Group and Service Principal Member Relationships did not run: Fetch Groups and Fetch Group Members did not read every group and member list in this execution. The previous group and service principal relationships are kept.';

/** Warning messages, in order, without the step-failure records (asserted separately). */
export function warnings(logs: LogRecord[]): string[] {
  return logs
    .filter((r) => r.level === BUNYAN_WARN && !STEP_FAILURE.test(r.msg))
    .map((r) => r.msg);
}

export interface ExpectedOutcome {
  /** Steps that fail, with their exact message (or a pattern where the message holds a request-id or port). */
  failed?: Record<string, string | RegExp>;
  /** Steps that succeed but depend on a failed step. */
  dependencyFailed?: string[];
}

/**
 * The invariants of a collection that could not read everything:
 * - every step's status is the expected one, and every failed step says why;
 * - partialDatasets.types is exactly the declared types of failed and
 *   dependency-failed steps (the platform keeps their previous data);
 * - every other type holds exactly the ground truth's count: nothing is
 *   silently smaller.
 */
export function expectOutcome(
  result: CollectionResult,
  truth: GroundTruth,
  expected: ExpectedOutcome,
): void {
  const failed = expected.failed ?? {};
  const dependents = expected.dependencyFailed ?? [];
  expect(result.error).toBeUndefined();
  const statuses = Object.fromEntries(
    result.summary.integrationStepResults.map((s) => [s.id, s.status]),
  );
  expect(statuses).toEqual(
    Object.fromEntries(
      STEP_IDS.map((id) => [
        id,
        id in failed
          ? 'failure'
          : dependents.includes(id)
          ? 'partial_success_due_to_dependency_failure'
          : 'success',
      ]),
    ),
  );
  const messages = failureMessages(result);
  expect(Object.keys(messages).sort()).toEqual(Object.keys(failed).sort());
  for (const [stepId, message] of Object.entries(failed)) {
    if (typeof message === 'string') expect(messages[stepId]).toBe(message);
    else expect(messages[stepId]).toMatch(message);
  }
  const partial = typesOfSteps([...Object.keys(failed), ...dependents]);
  expect([...result.summary.metadata.partialDatasets.types].sort()).toEqual(
    partial,
  );
  expectCompleteTypes(result, truth, partial);
}

/** Every declared type that is not partial holds exactly the ground truth's count. */
export function expectCompleteTypes(
  result: CollectionResult,
  truth: GroundTruth,
  partial: string[] = [],
): void {
  const got = countByType(result);
  const want = truthByType(truth);
  const complete = ALL_TYPES.filter((type) => !partial.includes(type));
  expect(Object.fromEntries(complete.map((t) => [t, got[t] ?? 0]))).toEqual(
    Object.fromEntries(complete.map((t) => [t, want[t] ?? 0])),
  );
  // Nothing of an undeclared type, and no key twice.
  expect(Object.keys(got).filter((type) => !ALL_TYPES.includes(type))).toEqual(
    [],
  );
  const keys = [...result.entities, ...result.relationships].map((o) => o._key);
  expect(new Set(keys).size).toBe(keys.length);
}

/** Object properties by key, without the ones named volatile. */
function byKey<T extends Entity | Relationship>(
  objects: T[],
  volatile: string[],
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    objects
      .map((o) => [
        String(o._key),
        Object.fromEntries(
          Object.entries(o).filter(([p]) => !volatile.includes(p)),
        ),
      ])
      .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
  );
}

/**
 * The graph a collection wrote, key by key: sorted entity and relationship
 * keys, and every object's properties. Two collections of one tenant must
 * give equal values. No property is volatile today (the converters keep
 * only Graph's values, and no collection time), so `volatile` is empty by
 * default.
 */
export function graphOf(result: CollectionResult, volatile: string[] = []) {
  return {
    entityKeys: result.entities.map((e) => e._key).sort(),
    relationshipKeys: result.relationships.map((r) => String(r._key)).sort(),
    entities: byKey(result.entities, volatile),
    relationships: byKey(result.relationships, volatile),
  };
}

/** Requests the simulator logged, as `${status} ${path}` without the version prefix. */
export function requestLines(
  requests: { path: string; status: number }[],
): string[] {
  return requests.map(
    (r) => `${r.status} ${r.path.replace(/^\/(v1\.0|beta)/, '')}`,
  );
}

/** Escapes text for use in a RegExp. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The pattern of an error message that holds exactly one request-id. */
export function withRequestId(before: string, after: string): RegExp {
  return new RegExp(
    `^${literal(
      before,
    )}\\(request-id [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\)${literal(
      after,
    )}$`,
  );
}
