/**
 * Builds what the review page embeds from a collection's graph files, in
 * passes that each hold one file at a time:
 *   1. entities: `_type`, `_class`, `_key`, display name (and which file);
 *   2. relationships: counts per type, and one integer triple each;
 *   3. the entity files that hold the entities whose properties are embedded.
 * The page gets every type with its counts, a name index of every entity,
 * capped neighbour lists, and the properties of a bounded number of entities.
 */
import { Entity, Relationship } from '@jupiterone/integration-sdk-core';
import {
  DeclaredTypeRow,
  EntityTypeRow,
  InstanceData,
  RelationshipTypeRow,
  TypeViewData,
} from './data';
import { listGraphFiles, readGraphFiles } from './graph-files';
import { capNeighbours, IntList, uint32ToBase64 } from './neighbourhoods';
import { CollectionSummary, typeStatuses } from './summary';

export interface ReviewOptions {
  /** Entities whose properties the page embeds, shared out between types. */
  detailsBudget: number;
  /** Neighbours kept per entity, relationship type and direction. */
  neighboursPerKind: number;
}

export const DEFAULT_REVIEW_OPTIONS: ReviewOptions = {
  detailsBudget: 5000,
  neighboursPerKind: 10,
};

export interface ReviewData {
  typeView: TypeViewData;
  instances: InstanceData;
  files: { entity: number; relationship: number };
}

interface RowDraft {
  type: string;
  class: string;
  mapped: boolean;
  from: string;
  to: string;
  count: number;
}

/** Entities as read in pass 1, numbered in reading order until they are sorted. */
class EntityTable {
  readonly keys: string[] = [];
  readonly names: string[] = [];
  readonly typeOf = new IntList();
  readonly fileOf = new IntList();
  readonly indexOfKey = new Map<string, number>();
  readonly types: string[] = [];
  readonly classes: Set<string>[] = [];
  private readonly typeIndex = new Map<string, number>();
  duplicateKeys = 0;
  title?: string;

  add(entity: Entity, file: number): void {
    if (this.indexOfKey.has(entity._key)) {
      this.duplicateKeys++;
      return;
    }
    const type = this.typeNumber(entity._type);
    for (const c of ([] as string[]).concat(entity._class ?? []))
      this.classes[type].add(c);
    this.indexOfKey.set(entity._key, this.keys.length);
    this.keys.push(entity._key);
    this.names.push(displayNameOf(entity));
    this.typeOf.push(type);
    this.fileOf.push(file);
    if (
      this.title === undefined &&
      ([] as string[]).concat(entity._class ?? []).includes('Account')
    ) {
      this.title = displayNameOf(entity);
    }
  }

  typeNumber(type: string): number {
    let n = this.typeIndex.get(type);
    if (n === undefined) {
      n = this.types.length;
      this.typeIndex.set(type, n);
      this.types.push(type);
      this.classes.push(new Set());
    }
    return n;
  }
}

function displayNameOf(entity: Record<string, unknown>): string {
  for (const field of ['displayName', 'name']) {
    const value = entity[field];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return String(entity._key ?? '');
}

export async function buildReviewData(
  graphDirectory: string,
  summary: CollectionSummary | undefined,
  options: ReviewOptions = DEFAULT_REVIEW_OPTIONS,
): Promise<ReviewData> {
  const { entityFiles, relationshipFiles } = await listGraphFiles(
    graphDirectory,
  );

  // Pass 1: entities.
  const table = new EntityTable();
  let fileNumber = 0;
  for await (const body of readGraphFiles(entityFiles)) {
    for (const entity of body.entities ?? []) table.add(entity, fileNumber);
    fileNumber++;
  }
  const collected = table.keys.length;

  // Pass 2: relationships. Mapped targets that are not entities of the
  // graph become placeholders, numbered after the entities.
  const rows = new Map<string, number>();
  const drafts: RowDraft[] = [];
  const placeholders = new Map<string, number>();
  const placeholderEntities: Record<string, unknown>[] = [];
  const unresolved = new Map<string, number>();
  const triples = {
    from: new IntList(),
    to: new IntList(),
    row: new IntList(),
  };
  let direct = 0;
  let mapped = 0;
  const typeName = (i: number) =>
    i < collected
      ? table.types[table.typeOf.get(i)]
      : String(placeholderEntities[i - collected]._type);
  const rowOf = (
    r: Relationship,
    isMapped: boolean,
    from: number,
    to: number,
  ) => {
    const fromType = typeName(from);
    const toType = typeName(to);
    const id = `${isMapped ? 'mapped:' : ''}${r._type}|${fromType}|${toType}`;
    let n = rows.get(id);
    if (n === undefined) {
      n = drafts.length;
      rows.set(id, n);
      drafts.push({
        type: r._type,
        class: r._class,
        mapped: isMapped,
        from: fromType,
        to: toType,
        count: 0,
      });
    }
    return n;
  };
  const targetOf = (target: Record<string, unknown>): number => {
    const key = typeof target._key === 'string' ? target._key : undefined;
    const type = String(target._type ?? '(any type)');
    if (key !== undefined) {
      const found = table.indexOfKey.get(key);
      if (
        found !== undefined &&
        (target._type === undefined ||
          table.types[table.typeOf.get(found)] === type)
      ) {
        return found;
      }
    }
    const id = `${type}\u0000${key ?? JSON.stringify(target)}`;
    let n = placeholders.get(id);
    if (n === undefined) {
      n = collected + placeholderEntities.length;
      placeholders.set(id, n);
      placeholderEntities.push({
        ...target,
        _type: type,
        _key: key ?? '(found by its properties)',
      });
    }
    return n;
  };
  for await (const body of readGraphFiles(relationshipFiles)) {
    for (const r of body.relationships ?? []) {
      const mapping = (r as { _mapping?: MappingLike })._mapping;
      let from: number | undefined;
      let to: number | undefined;
      if (mapping) {
        const source = table.indexOfKey.get(mapping.sourceEntityKey);
        if (source !== undefined) {
          const target = targetOf(mapping.targetEntity ?? {});
          [from, to] =
            mapping.relationshipDirection === 'REVERSE'
              ? [target, source]
              : [source, target];
        }
      } else {
        from = table.indexOfKey.get(String(r._fromEntityKey));
        to = table.indexOfKey.get(String(r._toEntityKey));
      }
      if (from === undefined || to === undefined) {
        unresolved.set(r._type, (unresolved.get(r._type) ?? 0) + 1);
        continue;
      }
      if (mapping) mapped++;
      else direct++;
      const row = rowOf(r, !!mapping, from, to);
      drafts[row].count++;
      triples.from.push(from);
      triples.to.push(to);
      triples.row.push(row);
    }
  }

  // Number everything in a fixed order: entities by (_type, _key), then
  // placeholders the same way; relationship rows by (mapped, _type, ends).
  const total = collected + placeholderEntities.length;
  const sortKeyType = (i: number) => typeName(i);
  const sortKeyKey = (i: number) =>
    i < collected
      ? table.keys[i]
      : String(placeholderEntities[i - collected]._key);
  const order = Array.from({ length: total }, (_, i) => i).sort(
    (a, b) =>
      Number(a >= collected) - Number(b >= collected) ||
      compare(sortKeyType(a), sortKeyType(b)) ||
      compare(sortKeyKey(a), sortKeyKey(b)),
  );
  const newNumber = new Int32Array(total);
  order.forEach((old, i) => (newNumber[old] = i));
  const rowOrder = drafts
    .map((_, i) => i)
    .sort(
      (a, b) =>
        Number(drafts[a].mapped) - Number(drafts[b].mapped) ||
        compare(drafts[a].type, drafts[b].type) ||
        compare(drafts[a].from, drafts[b].from) ||
        compare(drafts[a].to, drafts[b].to),
    );
  const newRow = new Int32Array(drafts.length);
  rowOrder.forEach((old, i) => (newRow[old] = i));
  for (let i = 0; i < triples.from.length; i++) {
    triples.from.set(i, newNumber[triples.from.get(i)]);
    triples.to.set(i, newNumber[triples.to.get(i)]);
    triples.row.set(i, newRow[triples.row.get(i)]);
  }

  // Which entities carry their properties: each type gets an equal share of
  // the budget, what small types leave over goes to the larger ones, and
  // within a type the first by `_key`.
  const counts = new Map<string, number>();
  for (let i = 0; i < collected; i++)
    counts.set(typeName(i), (counts.get(typeName(i)) ?? 0) + 1);
  const shares = shareBudget(counts, options.detailsBudget);
  const detailed = new Set<number>();
  const taken = new Map<string, number>();
  for (const old of order) {
    if (old >= collected) break;
    const type = typeName(old);
    if ((taken.get(type) ?? 0) < (shares.get(type) ?? 0)) {
      taken.set(type, (taken.get(type) ?? 0) + 1);
      detailed.add(old);
    }
  }

  // Pass 3: the properties of those entities, from the files that hold them.
  const filesNeeded = new Set<number>();
  detailed.forEach((old) => filesNeeded.add(table.fileOf.get(old)));
  const details: [number, Record<string, unknown>][] = [];
  const neededFiles = entityFiles.filter((_, i) => filesNeeded.has(i));
  for await (const body of readGraphFiles(neededFiles)) {
    for (const entity of body.entities ?? []) {
      const old = table.indexOfKey.get(entity._key);
      if (
        old === undefined ||
        !detailed.has(old) ||
        table.keys[old] !== entity._key
      )
        continue;
      detailed.delete(old); // a duplicate key keeps the first entity's properties
      details.push([newNumber[old], withoutRawData(entity)]);
    }
  }
  placeholderEntities.forEach((p, i) =>
    details.push([newNumber[collected + i], p]),
  );
  details.sort((a, b) => a[0] - b[0]);

  const neighbours = capNeighbours(
    total,
    drafts.length,
    triples,
    options.neighboursPerKind,
  );

  // The small part: every type, its counts and its status.
  const statuses = typeStatuses(summary);
  const entityTypes: EntityTypeRow[] = Array.from(counts.keys())
    .sort(compare)
    .map((type) => ({
      type,
      classes: Array.from(table.classes[table.typeNumber(type)]).sort(),
      count: counts.get(type)!,
      detailed: taken.get(type) ?? 0,
      ...statuses.of(type),
    }));
  const relationshipTypes: RelationshipTypeRow[] = rowOrder.map((old) => {
    const d = drafts[old];
    return {
      id: `${d.mapped ? 'mapped:' : ''}${d.type}`,
      ...d,
      ...statuses.of(d.type),
    };
  });
  // One `_type` joining several pairs of entity types gets one row per pair.
  const idCount = new Map<string, number>();
  for (const r of relationshipTypes)
    idCount.set(r.id, (idCount.get(r.id) ?? 0) + 1);
  for (const r of relationshipTypes)
    if (idCount.get(r.id)! > 1) r.id = `${r.id}|${r.from}|${r.to}`;
  const present = new Set([...counts.keys(), ...drafts.map((d) => d.type)]);
  const declaredWithoutData: DeclaredTypeRow[] = statuses.declaredTypes
    .filter((type) => !present.has(type))
    .map((type) => ({ type, ...statuses.of(type) }));

  const types = Array.from(new Set(order.map((old) => typeName(old))));
  const typeNumber = new Map(types.map((t, i) => [t, i]));
  return {
    typeView: {
      title: table.title ? `Graph review: ${table.title}` : 'Graph review',
      source: graphDirectory,
      summaryFound: summary !== undefined,
      totals: {
        entities: collected,
        relationships: direct,
        mappedRelationships: mapped,
        unresolvedRelationships: Array.from(unresolved.values()).reduce(
          (a, b) => a + b,
          0,
        ),
        duplicateKeys: table.duplicateKeys,
      },
      unresolved: Array.from(unresolved.entries())
        .sort((a, b) => compare(a[0], b[0]))
        .map(([type, count]) => ({ type, count, ...statuses.of(type) })),
      entityTypes,
      relationshipTypes,
      declaredWithoutData,
      steps: statuses.steps,
      partialTypes: statuses.partialTypes,
      limits: {
        detailsBudget: options.detailsBudget,
        neighboursPerKind: options.neighboursPerKind,
        detailed: details.length - placeholderEntities.length,
        indexed: total,
      },
    },
    instances: {
      types,
      typeOf: order.map((old) => typeNumber.get(typeName(old))!),
      names: order.map((old) =>
        old < collected
          ? table.names[old]
          : displayNameOf(placeholderEntities[old - collected]),
      ),
      placeholdersFrom: collected,
      adjacencyStart: uint32ToBase64(neighbours.start),
      adjacency: uint32ToBase64(neighbours.entries),
      neighbourBits: neighbours.neighbourBits,
      hidden: neighbours.hidden,
      details,
    },
    files: {
      entity: entityFiles.length,
      relationship: relationshipFiles.length,
    },
  };
}

interface MappingLike {
  relationshipDirection: string;
  sourceEntityKey: string;
  targetEntity?: Record<string, unknown>;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withoutRawData(entity: Entity): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { _rawData, ...rest } = entity as Record<string, unknown>;
  return rest;
}

/** Water-filling: every type gets min(count, fair share), leftovers shared again. */
export function shareBudget(
  counts: Map<string, number>,
  budget: number,
): Map<string, number> {
  const shares = new Map<string, number>();
  let left = budget;
  let open = Array.from(counts.keys()).sort(compare);
  while (open.length && left > 0) {
    const fair = Math.max(1, Math.floor(left / open.length));
    const next: string[] = [];
    for (const type of open) {
      const want = counts.get(type)! - (shares.get(type) ?? 0);
      const give = Math.min(want, fair, left);
      shares.set(type, (shares.get(type) ?? 0) + give);
      left -= give;
      if (want > give) next.push(type);
    }
    open = next;
  }
  return shares;
}
