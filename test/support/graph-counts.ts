/**
 * Counts what a collection wrote, keyed the way the simulator's ground truth
 * is: entity `_type`, and `${sourceType}|${CLASS}|${targetType}` for
 * relationships (mapped ones separately). Used by tests, the demo and the
 * benchmark.
 */
import { Relationship } from '@jupiterone/integration-sdk-core';
import { promises as fs } from 'fs';
import { join } from 'path';
import {
  allOf,
  MappedRelationships,
  Relationships,
} from '../../src/steps/constants';
import { GroundTruth } from '../graph-simulator/tenant/model';

export interface GraphCounts {
  entities: Record<string, number>;
  relationships: Record<string, number>;
  mappedRelationships: Record<string, number>;
  /** Keys seen more than once (must stay empty). */
  duplicateKeys: string[];
}

const DIRECT_BY_TYPE = new Map(
  Object.values(Relationships)
    .flatMap((entry) => allOf(entry))
    .map((r) => [r._type, `${r.sourceType}|${r._class}|${r.targetType}`]),
);

/** Mapped relationships are keyed from the side of their meaning (model.ts). */
const MAPPED_BY_TYPE = new Map(
  Object.values(MappedRelationships)
    .flatMap((entry) => allOf(entry))
    .map((r) => [
      r._type,
      r.direction === 'FORWARD'
        ? `${r.sourceType}|${r._class}|${r.targetType}`
        : `${r.targetType}|${r._class}|${r.sourceType}`,
    ]),
);

export function relationshipKey(r: Relationship): string {
  const table = r._mapping ? MAPPED_BY_TYPE : DIRECT_BY_TYPE;
  return table.get(r._type) ?? `undeclared:${r._type}`;
}

export function countGraph(
  entities: { _type: string; _key: string }[],
  relationships: Relationship[],
): GraphCounts {
  const counts: GraphCounts = {
    entities: {},
    relationships: {},
    mappedRelationships: {},
    duplicateKeys: [],
  };
  const keys = new Set<string>();
  const seen = (key: string) => {
    if (keys.has(key)) counts.duplicateKeys.push(key);
    keys.add(key);
  };
  for (const e of entities) {
    seen(e._key);
    counts.entities[e._type] = (counts.entities[e._type] ?? 0) + 1;
  }
  for (const r of relationships) {
    seen(r._key as string);
    const table = r._mapping ? counts.mappedRelationships : counts.relationships;
    const key = relationshipKey(r);
    table[key] = (table[key] ?? 0) + 1;
  }
  return counts;
}

/** Reads a `.j1-integration/graph` folder written by the SDK. */
export async function readGraphCounts(graphDirectory: string): Promise<GraphCounts> {
  const entities: { _type: string; _key: string }[] = [];
  const relationships: Relationship[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.json')) {
        const body = JSON.parse(await fs.readFile(path, 'utf8'));
        for (const e of body.entities ?? []) entities.push({ _type: e._type, _key: e._key });
        relationships.push(...(body.relationships ?? []));
      }
    }
  };
  await walk(graphDirectory);
  return countGraph(entities, relationships);
}

/** Only the non-zero expectations: a type the tenant lacks is expected absent. */
export function expectedCounts(truth: GroundTruth): Omit<GraphCounts, 'duplicateKeys'> {
  const nonZero = (r: Record<string, number>) =>
    Object.fromEntries(Object.entries(r).filter(([, n]) => n > 0));
  return {
    entities: nonZero(truth.entities),
    relationships: nonZero(truth.relationships),
    mappedRelationships: nonZero(truth.mappedRelationships),
  };
}

export function compareWithGroundTruth(
  counts: GraphCounts,
  truth: GroundTruth,
): { matches: boolean; types: number; lines: string[] } {
  const expected = expectedCounts(truth);
  const lines: string[] = [];
  let matches = counts.duplicateKeys.length === 0;
  let types = 0;
  for (const group of ['entities', 'relationships', 'mappedRelationships'] as const) {
    const names = new Set([
      ...Object.keys(expected[group]),
      ...Object.keys(counts[group]),
    ]);
    for (const name of Array.from(names).sort()) {
      const want = expected[group][name] ?? 0;
      const got = counts[group][name] ?? 0;
      types++;
      if (want !== got) matches = false;
      const label = group === 'mappedRelationships' ? `${name} (mapped)` : name;
      lines.push(`${want === got ? 'ok  ' : 'DIFF'} ${label.padEnd(66)} ${got}/${want}`);
    }
  }
  if (counts.duplicateKeys.length) {
    lines.push(`DIFF duplicate keys: ${counts.duplicateKeys.slice(0, 5).join(', ')}`);
  }
  return { matches, types, lines };
}
