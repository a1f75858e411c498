/**
 * Every entity's neighbours, capped: the instance view's 1-2 hop
 * neighbourhoods come from these lists, so the page never holds the
 * relationships themselves. The builder keeps one (from, to, row) triple of
 * integers per relationship (12 bytes: 30 MB for 2.5 million).
 */

/** A growable Int32 array. */
export class IntList {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }
}

export interface Relationships {
  from: IntList;
  to: IntList;
  row: IntList;
}

export interface CappedNeighbours {
  start: Uint32Array;
  entries: Uint32Array;
  neighbourBits: number;
  /** Flat triples [entity, group, how many were left out]. */
  hidden: number[];
}

/**
 * Entry packing (see InstanceData in data.ts): `group << neighbourBits |
 * neighbour`, group = `row << 1 | outgoing`. Per entity the entries are
 * sorted, which orders them by group and then by neighbour number; the
 * first `cap` of each group are kept, so which neighbours show does not
 * depend on the order the relationships were read in.
 */
export function capNeighbours(
  entityCount: number,
  rowCount: number,
  relationships: Relationships,
  cap: number,
): CappedNeighbours {
  const neighbourBits = Math.max(1, Math.ceil(Math.log2(entityCount + 1)));
  const groupBits = Math.max(1, Math.ceil(Math.log2(rowCount * 2 + 1)));
  if (neighbourBits + groupBits > 32) {
    throw new Error(
      `The review page packs a neighbour in 32 bits: ${entityCount} entities and ${rowCount} relationship types need ${
        neighbourBits + groupBits
      }.`,
    );
  }
  const scale = 2 ** neighbourBits;
  const { from, to, row } = relationships;
  const count = from.length;

  // Counting sort by entity: both ends of each relationship get an entry.
  const degree = new Uint32Array(entityCount + 1);
  for (let i = 0; i < count; i++) {
    degree[from.get(i) + 1]++;
    degree[to.get(i) + 1]++;
  }
  for (let i = 1; i <= entityCount; i++) degree[i] += degree[i - 1];
  const all = new Uint32Array(degree[entityCount]);
  const fill = degree.slice(0, entityCount);
  for (let i = 0; i < count; i++) {
    const f = from.get(i);
    const t = to.get(i);
    const r = row.get(i);
    all[fill[f]++] = ((r << 1) | 1) * scale + t;
    all[fill[t]++] = (r << 1) * scale + f;
  }

  const start = new Uint32Array(entityCount + 1);
  const kept: number[] = [];
  const hidden: number[] = [];
  for (let e = 0; e < entityCount; e++) {
    start[e] = kept.length;
    const slice = all.subarray(degree[e], degree[e + 1]).sort();
    let group = -1;
    let inGroup = 0;
    for (let j = 0; j < slice.length; j++) {
      const g = Math.floor(slice[j] / scale);
      if (g !== group) {
        if (inGroup > cap) hidden.push(e, group, inGroup - cap);
        group = g;
        inGroup = 0;
      }
      if (++inGroup <= cap) kept.push(slice[j]);
    }
    if (inGroup > cap) hidden.push(e, group, inGroup - cap);
  }
  start[entityCount] = kept.length;
  return { start, entries: Uint32Array.from(kept), neighbourBits, hidden };
}

/** Little-endian bytes in base64 (the page decodes them into a Uint32Array). */
export function uint32ToBase64(values: Uint32Array): string {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeUInt32LE(values[i], i * 4);
  return bytes.toString('base64');
}
