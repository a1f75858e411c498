/**
 * npm run compare-graphs -- <graph dir A> <graph dir B>
 *
 * Compares two collections key for key: every entity and relationship `_key`,
 * and every property of each (`_rawData` included). Used to prove that a
 * refactor, a second route or another concurrency left the graph unchanged.
 * Prints what was added, removed or changed and exits 1 on any difference.
 */
import { promises as fs } from 'fs';
import { join } from 'path';

type GraphObject = Record<string, unknown> & { _key: string };

export interface GraphDifference {
  onlyInA: string[];
  onlyInB: string[];
  changed: { key: string; properties: string[] }[];
  objectsA: number;
  objectsB: number;
}

async function* jsonFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsonFiles(path);
    else if (entry.isFile() && entry.name.endsWith('.json')) yield path;
  }
}

/** Every graph object of a collection, by `_key` (entities and relationships share the key space). */
export async function readGraphObjects(
  dir: string,
): Promise<Map<string, GraphObject>> {
  const objects = new Map<string, GraphObject>();
  for await (const file of jsonFiles(dir)) {
    const body = JSON.parse(await fs.readFile(file, 'utf8')) as {
      entities?: GraphObject[];
      relationships?: GraphObject[];
      mappedRelationships?: GraphObject[];
    };
    for (const list of [
      body.entities,
      body.relationships,
      body.mappedRelationships,
    ]) {
      for (const object of list ?? []) objects.set(object._key, object);
    }
  }
  return objects;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        (k) =>
          `${JSON.stringify(k)}:${canonical(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function compareGraphObjects(
  a: Map<string, GraphObject>,
  b: Map<string, GraphObject>,
): GraphDifference {
  const difference: GraphDifference = {
    onlyInA: [],
    onlyInB: [],
    changed: [],
    objectsA: a.size,
    objectsB: b.size,
  };
  for (const [key, objectA] of a) {
    const objectB = b.get(key);
    if (!objectB) {
      difference.onlyInA.push(key);
      continue;
    }
    const properties = new Set([
      ...Object.keys(objectA),
      ...Object.keys(objectB),
    ]);
    const changed = [...properties].filter(
      (p) => canonical(objectA[p]) !== canonical(objectB[p]),
    );
    if (changed.length) difference.changed.push({ key, properties: changed });
  }
  for (const key of b.keys()) if (!a.has(key)) difference.onlyInB.push(key);
  return difference;
}

async function main() {
  const [dirA, dirB] = process.argv.slice(2);
  if (!dirA || !dirB) {
    console.error('usage: compare-graphs <graph dir A> <graph dir B>');
    process.exit(2);
  }
  const difference = compareGraphObjects(
    await readGraphObjects(dirA),
    await readGraphObjects(dirB),
  );
  console.log(
    `A: ${difference.objectsA} objects, B: ${difference.objectsB} objects; ` +
      `only in A: ${difference.onlyInA.length}, only in B: ${difference.onlyInB.length}, changed: ${difference.changed.length}`,
  );
  for (const key of difference.onlyInA.slice(0, 10)) console.log(`  - ${key}`);
  for (const key of difference.onlyInB.slice(0, 10)) console.log(`  + ${key}`);
  for (const { key, properties } of difference.changed.slice(0, 10)) {
    console.log(`  ~ ${key}: ${properties.join(', ')}`);
  }
  const same =
    !difference.onlyInA.length &&
    !difference.onlyInB.length &&
    !difference.changed.length;
  if (same) console.log('The two graphs are identical, key for key.');
  process.exit(same ? 0 : 1);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(2);
  });
}
