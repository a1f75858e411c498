/**
 * Builds what the review page embeds from a collection's graph files, in
 * passes that each hold one file at a time:
 *   1. entities: `_type`, `_class`, `_key`, display name (and which file);
 *   2. relationships: counts per type, and one integer triple each;
 *   3. the entity files that hold the entities whose properties are embedded.
 * The page gets every type with its counts, a name index of every entity,
 * capped neighbour lists, and the properties of a bounded number of entities.
 * Everything is numbered in a fixed order, so the page depends neither on the
 * order of the files nor on how the objects are spread over them.
 */
import {
  DeclaredTypeRow,
  EntityTypeRow,
  InstanceData,
  RelationshipTypeRow,
  TypeViewData,
} from './data';
import { compare, EntityTable, shareBudget, withoutRawData } from './entities';
import { listGraphFiles, readGraphFiles } from './graph-files';
import { capNeighbours, uint32ToBase64 } from './neighbourhoods';
import { RelationshipTable } from './relationships';
import { CollectionSummary, TypeStatuses, typeStatuses } from './summary';

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
}

export async function buildReviewData(
  graphDirectory: string,
  summary: CollectionSummary | undefined,
  options: ReviewOptions = DEFAULT_REVIEW_OPTIONS,
): Promise<ReviewData> {
  const { entityFiles, relationshipFiles } = await listGraphFiles(
    graphDirectory,
  );

  const entities = new EntityTable();
  let file = 0;
  for await (const body of readGraphFiles(entityFiles)) {
    for (const entity of body.entities ?? []) entities.add(entity, file);
    file++;
  }
  const collected = entities.collected;

  const relationships = new RelationshipTable(entities);
  for await (const body of readGraphFiles(relationshipFiles)) {
    for (const r of body.relationships ?? []) relationships.add(r);
  }

  const { order, rowOrder } = renumber(entities, relationships);
  const counts = new Map<string, number>();
  for (let i = 0; i < collected; i++) {
    const type = entities.typeName(i);
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  const detailed = chooseDetailed(entities, order, counts, options);

  // Pass 3: the properties of those entities, from the files that hold them.
  const wanted = new Map<number, number>(); // reading number -> page number
  order.forEach((old, i) => detailed.has(old) && wanted.set(old, i));
  const files = new Set(
    Array.from(wanted.keys(), (old) => entities.fileOf.get(old)),
  );
  const details: [number, Record<string, unknown>][] = [];
  for await (const body of readGraphFiles(
    entityFiles.filter((_, i) => files.has(i)),
  )) {
    for (const entity of body.entities ?? []) {
      const old = entities.indexOfKey.get(entity._key);
      if (old === undefined || !wanted.has(old)) continue;
      details.push([wanted.get(old)!, withoutRawData(entity)]);
      wanted.delete(old); // a repeated _key keeps the first entity's properties
    }
  }
  order.forEach((old, i) => {
    if (old >= collected)
      details.push([i, entities.placeholders[old - collected]]);
  });
  details.sort((a, b) => a[0] - b[0]);

  const neighbours = capNeighbours(
    entities.keys.length,
    relationships.rows.length,
    relationships,
    options.neighboursPerKind,
  );
  const statuses = typeStatuses(summary);
  const types = Array.from(new Set(order.map((old) => entities.typeName(old))));
  const typeNumber = new Map(types.map((t, i) => [t, i]));
  const taken = new Map<string, number>();
  detailed.forEach((old) =>
    taken.set(
      entities.typeName(old),
      (taken.get(entities.typeName(old)) ?? 0) + 1,
    ),
  );
  return {
    typeView: {
      title: entities.accountName
        ? `Graph review: ${entities.accountName}`
        : 'Graph review',
      source: graphDirectory,
      summaryFound: summary !== undefined,
      totals: {
        entities: collected,
        relationships: relationships.direct,
        mappedRelationships: relationships.mapped,
        unresolvedRelationships: Array.from(
          relationships.unresolved.values(),
        ).reduce((a, b) => a + b, 0),
        duplicateKeys: entities.duplicateKeys,
      },
      unresolved: Array.from(relationships.unresolved.entries())
        .sort((a, b) => compare(a[0], b[0]))
        .map(([type, count]) => ({ type, count, ...statuses.of(type) })),
      entityTypes: entityTypeRows(entities, counts, taken, statuses),
      relationshipTypes: relationshipTypeRows(
        relationships,
        rowOrder,
        statuses,
      ),
      declaredWithoutData: declaredWithoutData(counts, relationships, statuses),
      steps: statuses.steps,
      partialTypes: statuses.partialTypes,
      limits: {
        detailsBudget: options.detailsBudget,
        neighboursPerKind: options.neighboursPerKind,
        detailed: detailed.size,
        indexed: entities.keys.length,
      },
    },
    instances: {
      types,
      typeOf: order.map((old) => typeNumber.get(entities.typeName(old))!),
      names: order.map((old) => entities.names[old]),
      placeholdersFrom: collected,
      adjacencyStart: uint32ToBase64(neighbours.start),
      adjacency: uint32ToBase64(neighbours.entries),
      neighbourBits: neighbours.neighbourBits,
      hidden: neighbours.hidden,
      details,
    },
  };
}

/**
 * Page numbers: entities by (`_type`, `_key`), then placeholders the same
 * way; relationship rows by (mapped, `_type`, ends). Rewrites the triples in
 * place and returns the reading numbers in page order.
 */
function renumber(entities: EntityTable, relationships: RelationshipTable) {
  const collected = entities.collected;
  const order = Array.from({ length: entities.keys.length }, (_, i) => i).sort(
    (a, b) =>
      Number(a >= collected) - Number(b >= collected) ||
      compare(entities.typeName(a), entities.typeName(b)) ||
      compare(entities.keys[a], entities.keys[b]),
  );
  const newNumber = new Int32Array(order.length);
  order.forEach((old, i) => (newNumber[old] = i));
  const rows = relationships.rows;
  const rowOrder = rows
    .map((_, i) => i)
    .sort(
      (a, b) =>
        Number(rows[a].mapped) - Number(rows[b].mapped) ||
        compare(rows[a].type, rows[b].type) ||
        compare(rows[a].from, rows[b].from) ||
        compare(rows[a].to, rows[b].to),
    );
  const newRow = new Int32Array(rows.length);
  rowOrder.forEach((old, i) => (newRow[old] = i));
  const { from, to, row } = relationships;
  for (let i = 0; i < from.length; i++) {
    from.set(i, newNumber[from.get(i)]);
    to.set(i, newNumber[to.get(i)]);
    row.set(i, newRow[row.get(i)]);
  }
  return { order, rowOrder };
}

/**
 * Which entities carry their properties (reading numbers): each type gets
 * an equal share of the budget, what small types leave over goes to the
 * larger ones, and within a type the first by `_key`.
 */
function chooseDetailed(
  entities: EntityTable,
  order: number[],
  counts: Map<string, number>,
  options: ReviewOptions,
): Set<number> {
  const shares = shareBudget(counts, options.detailsBudget);
  const detailed = new Set<number>();
  for (const old of order) {
    if (old >= entities.collected) break;
    const type = entities.typeName(old);
    if ((shares.get(type) ?? 0) > 0) {
      shares.set(type, shares.get(type)! - 1);
      detailed.add(old);
    }
  }
  return detailed;
}

function entityTypeRows(
  entities: EntityTable,
  counts: Map<string, number>,
  detailed: Map<string, number>,
  statuses: TypeStatuses,
): EntityTypeRow[] {
  return Array.from(counts.keys())
    .sort(compare)
    .map((type) => ({
      type,
      classes: Array.from(entities.classes[entities.typeNumber(type)]).sort(),
      count: counts.get(type)!,
      detailed: detailed.get(type) ?? 0,
      ...statuses.of(type),
    }));
}

function relationshipTypeRows(
  relationships: RelationshipTable,
  rowOrder: number[],
  statuses: TypeStatuses,
): RelationshipTypeRow[] {
  const rows = rowOrder.map((old) => {
    const row = relationships.rows[old];
    return {
      id: `${row.mapped ? 'mapped:' : ''}${row.type}`,
      ...row,
      ...statuses.of(row.type),
    };
  });
  // One `_type` joining several pairs of entity types gets one row per pair.
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
  for (const r of rows)
    if (seen.get(r.id)! > 1) r.id = `${r.id}|${r.from}|${r.to}`;
  return rows;
}

function declaredWithoutData(
  counts: Map<string, number>,
  relationships: RelationshipTable,
  statuses: TypeStatuses,
): DeclaredTypeRow[] {
  const present = new Set([
    ...counts.keys(),
    ...relationships.rows.map((r) => r.type),
    ...relationships.unresolved.keys(),
  ]);
  return statuses.declaredTypes
    .filter((type) => !present.has(type))
    .map((type) => ({ type, ...statuses.of(type) }));
}
