/**
 * How steps build relationships and hand graph objects to the job state.
 *
 * `directRelationship` makes the object `createDirectRelationship` makes,
 * with a hashed `_key` (relationshipKey) and `_type` from the metadata
 * table: one shared string per type instead of a fresh one per relationship
 * (the SDK keeps every relationship's `_type` for the whole run, ~130 MB of
 * copies on the L tenant), without the per-call class validation and type
 * generation the table already did once, and only for relationships the
 * table declares.
 *
 * `GraphObjectWriter` hands objects to the job state in runs of one `_type`
 * and FILE_SIZE items. The SDK writes a file per (step, `_type`) each time
 * its buffer of 500 objects fills, whoever filled it; pages of a few hundred
 * relationships spread over seven device kinds made files of a few dozen
 * objects, each with its own mkdir, write and symlink (26k files on the L
 * tenant). Full runs of one type make full files.
 */
import {
  Entity,
  JobState,
  Relationship,
  RelationshipClass,
  StepRelationshipMetadata,
} from '@jupiterone/integration-sdk-core';
import * as crypto from 'crypto';
import { allOf, Relationships } from './constants';

/** The SDK's graph object file size (DEFAULT_GRAPH_OBJECT_FILE_SIZE) and flush threshold. */
export const FILE_SIZE = 500;

/** from `_type` -> `_class` -> to `_type` -> the table's row. */
const TABLE = new Map<
  string,
  Map<string, Map<string, StepRelationshipMetadata>>
>();
for (const row of Object.values(Relationships).flatMap((entry) =>
  allOf<StepRelationshipMetadata>(entry),
)) {
  const byClass = TABLE.get(row.sourceType) ?? new Map();
  TABLE.set(row.sourceType, byClass);
  const byTarget = byClass.get(row._class) ?? new Map();
  byClass.set(row._class, byTarget);
  byTarget.set(row.targetType, row);
}

const keyWords = new Map<string, string>(
  Object.values(RelationshipClass).map((c) => [c, c.toLowerCase()]),
);

export interface DirectRelationshipOptions {
  _class: RelationshipClass;
  fromType: string;
  fromKey: string;
  toType: string;
  toKey: string;
  /** Tells apart relationships of one pair (the installed version). */
  discriminator?: string;
  /** Further properties. */
  properties?: Record<string, unknown>;
}

// crypto.hash is Node >= 20.12: ~1.4 us per key here against ~2.0 us for createHash.
const sha256Base64url: (data: string) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'base64url')
    : (data) => crypto.createHash('sha256').update(data).digest('base64url');

/**
 * A direct relationship's `_key`: the first 22 base64url characters (132
 * bits) of the SHA-256 of its identity `fromKey|class|toKey[|discriminator]`.
 * The SDK keeps every key of the run in memory until it ends: 2.1 million
 * identities of ~110 characters held 260 MB on the L tenant, and the
 * collection ran out of memory in a 512 MB heap (docs/performance.md).
 * Hashed, they take 40 bytes each, the same in every run; SHA-256 so that no
 * chosen app version can collide with another key.
 * The identity stays readable in `_fromEntityKey` and `_toEntityKey`.
 */
export function relationshipKey(identity: string): string {
  return sha256Base64url(identity).slice(0, 22);
}

/**
 * The relationship `createDirectRelationship` makes (`displayName` the
 * class), with `_type` and `_class` from the metadata table and a hashed
 * `_key` (relationshipKey). A relationship that is not in the table is a
 * bug, and throws.
 */
export function directRelationship(
  options: DirectRelationshipOptions,
): Relationship {
  const { _class, fromType, fromKey, toType, toKey, properties } = options;
  const row = TABLE.get(fromType)?.get(_class)?.get(toType);
  if (!row) {
    throw new Error(
      `No relationship ${fromType} ${_class} ${toType} in the metadata table (src/steps/constants.ts)`,
    );
  }
  const identity = `${fromKey}|${keyWords.get(row._class)}|${toKey}`;
  const relationship: Relationship = {
    _key: relationshipKey(
      options.discriminator === undefined
        ? identity
        : `${identity}|${options.discriminator}`,
    ),
    _type: row._type,
    _class: row._class,
    _fromEntityKey: fromKey,
    _toEntityKey: toKey,
    displayName: row._class,
  };
  if (properties) Object.assign(relationship, properties);
  return relationship;
}

/**
 * Buffers a step's entities and relationships per `_type` and adds them to
 * the job state FILE_SIZE at a time. A buffered key is not in the job state
 * yet (`hasKey` is false for it): a step that needs to know what it has
 * written keeps its own record (a DeviceSet, a Set of ids). Call `drain()`
 * after each page (it adds the full runs, so memory stays below one run per
 * type); `writingGraphObjects` flushes the rest when the step's work ends,
 * however it ends.
 */
export class GraphObjectWriter {
  private readonly entities = new Map<string, Entity[]>();
  private readonly relationships = new Map<string, Relationship[]>();
  /** Keys buffered and not yet in the job state; only with `trackKeys`. */
  private readonly buffered?: Set<string>;

  constructor(
    private readonly jobState: JobState,
    options: { trackKeys?: boolean } = {},
  ) {
    if (options.trackKeys) this.buffered = new Set();
  }

  /**
   * Whether a key was added, buffered here or already in the job state: for
   * steps whose rows may repeat anywhere (a report export). Needs `trackKeys`.
   */
  has(key: string): boolean {
    if (!this.buffered)
      throw new Error('GraphObjectWriter.has needs trackKeys');
    return this.buffered.has(key) || hasKeyNow(this.jobState, key);
  }

  addEntity(entity: Entity): void {
    this.buffer(this.entities, entity);
  }

  addRelationship(relationship: Relationship): void {
    this.buffer(this.relationships, relationship);
  }

  /** Adds the full runs of FILE_SIZE objects. */
  async drain(): Promise<void> {
    await this.addRuns(FILE_SIZE);
  }

  /** Adds everything still buffered. */
  async flush(): Promise<void> {
    await this.addRuns(1);
  }

  private buffer<T extends Entity | Relationship>(
    buffers: Map<string, T[]>,
    object: T,
  ): void {
    let objects = buffers.get(object._type);
    if (!objects) {
      objects = [];
      buffers.set(object._type, objects);
    }
    objects.push(object);
    this.buffered?.add(object._key);
  }

  private async addRuns(atLeast: number): Promise<void> {
    for (const objects of this.entities.values()) {
      while (objects.length >= atLeast) {
        const run = objects.splice(0, FILE_SIZE);
        await this.jobState.addEntities(run);
        this.forget(run);
      }
    }
    for (const objects of this.relationships.values()) {
      while (objects.length >= atLeast) {
        const run = objects.splice(0, FILE_SIZE);
        await this.jobState.addRelationships(run);
        this.forget(run);
      }
    }
  }

  private forget(run: (Entity | Relationship)[]): void {
    if (this.buffered)
      for (const object of run) this.buffered.delete(object._key);
  }
}

/**
 * Runs `work` with a writer and adds whatever it buffered when `work` ends.
 * When `work` fails, what was read before the failure is still added (the
 * step's data is partial, not lost) and `work`'s error is the one thrown.
 */
export async function writingGraphObjects<T>(
  jobState: JobState,
  work: (writer: GraphObjectWriter) => Promise<T>,
  options: { trackKeys?: boolean } = {},
): Promise<T> {
  const writer = new GraphObjectWriter(jobState, options);
  let result: T;
  try {
    result = await work(writer);
  } catch (err) {
    // A second failure here would hide the first, which is the one to fix.
    await writer.flush().catch(() => undefined);
    throw err;
  }
  await writer.flush();
  return result;
}

/**
 * `jobState.hasKey`, which the SDK's duplicate tracker answers synchronously
 * (jupiterone-sdk.md §2.2). Its type allows a promise; a promise here would
 * make every answer "yes", so it throws instead.
 */
export function hasKeyNow(jobState: JobState, key: string): boolean {
  const answer = jobState.hasKey(key);
  if (typeof answer !== 'boolean') {
    throw new Error('jobState.hasKey answered asynchronously');
  }
  return answer;
}
