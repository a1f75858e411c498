/**
 * Views over the tenant's lazy collections that the paging code reads.
 */
import { Collection, GraphObject } from './tenant/model';

/** Random access to the items of one listing, in order. */
export interface ListSource<T = GraphObject> {
  readonly count: number;
  get(index: number): T | undefined;
}

export function fromCollection(collection: Collection): ListSource {
  return collection;
}

export function fromArray(items: readonly GraphObject[]): ListSource {
  return { count: items.length, get: (index) => items[index] };
}

/** Items looked up by id on demand (member lists, devices of a detected app). */
export function fromIds<T>(
  ids: readonly string[],
  lookup: (id: string) => T | undefined,
): ListSource<T> {
  return { count: ids.length, get: (index) => lookup(ids[index]) };
}

/** The items of a collection that pass `keep` (small collections only: it scans them all). */
export function filtered(
  collection: ListSource,
  keep: (item: GraphObject) => boolean,
): ListSource {
  const kept: GraphObject[] = [];
  for (let index = 0; index < collection.count; index++) {
    const item = collection.get(index);
    if (item && keep(item)) kept.push(item);
  }
  return fromArray(kept);
}

/** Up to `limit` first items, for discovering the property names a collection carries. */
export function samplesOf(collection: ListSource, limit = 5): GraphObject[] {
  const samples: GraphObject[] = [];
  for (let index = 0; index < Math.min(limit, collection.count); index++) {
    const item = collection.get(index);
    if (item) samples.push(item);
  }
  return samples;
}
