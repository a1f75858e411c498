/**
 * The entities of a collection as the review builder holds them: `_key`,
 * `_type`, display name and file, never their properties. Entities read in
 * pass 1 come first; the targets of mapped relationships that are not
 * entities of the graph (placeholders) are added after them in pass 2.
 */
import { Entity } from '@jupiterone/integration-sdk-core';
import { IntList } from './neighbourhoods';

export class EntityTable {
  readonly keys: string[] = [];
  readonly names: string[] = [];
  readonly typeOf = new IntList();
  /** Which entity file each collected entity came from (pass 3 re-reads only those needed). */
  readonly fileOf = new IntList();
  readonly indexOfKey = new Map<string, number>();
  readonly types: string[] = [];
  readonly classes: Set<string>[] = [];
  /** Properties of each placeholder: the mapping's `targetEntity`. */
  readonly placeholders: Record<string, unknown>[] = [];
  /** Entities whose `_key` an earlier entity already had; the first is kept. */
  duplicateKeys = 0;
  /** The name of the first entity of class Account. */
  accountName?: string;
  private readonly typeIndex = new Map<string, number>();
  private readonly placeholderIndex = new Map<string, number>();

  /** Entities read in pass 1; placeholders are numbered from here. */
  get collected(): number {
    return this.keys.length - this.placeholders.length;
  }

  add(entity: Entity, file: number): void {
    if (this.placeholders.length)
      throw new Error('entities come before placeholders');
    if (this.indexOfKey.has(entity._key)) {
      this.duplicateKeys++;
      return;
    }
    const classes = ([] as string[]).concat(entity._class ?? []);
    const type = this.typeNumber(entity._type);
    for (const c of classes) this.classes[type].add(c);
    this.indexOfKey.set(entity._key, this.keys.length);
    this.push(entity._key, displayNameOf(entity), type);
    this.fileOf.push(file);
    if (this.accountName === undefined && classes.includes('Account')) {
      this.accountName = displayNameOf(entity);
    }
  }

  /**
   * The entity a mapped relationship points at: the graph's entity with the
   * target's `_key` (and `_type`, when it names one), else a placeholder,
   * one per distinct target.
   */
  target(target: Record<string, unknown>): number {
    const key = typeof target._key === 'string' ? target._key : undefined;
    const type = typeof target._type === 'string' ? target._type : '(any type)';
    const found = key === undefined ? undefined : this.indexOfKey.get(key);
    if (
      found !== undefined &&
      (target._type === undefined || this.typeName(found) === type)
    ) {
      return found;
    }
    const id = `${type}\u0000${key ?? JSON.stringify(target)}`;
    let n = this.placeholderIndex.get(id);
    if (n !== undefined) {
      // Several mappings may name one target, some with more of its
      // properties (an owner's name, where a Conditional Access policy knows
      // only the id): the union, whatever order the files come in.
      const properties = this.placeholders[n - this.collected];
      for (const [name, value] of Object.entries(target))
        if (properties[name] === undefined) properties[name] = value;
      this.names[n] = displayNameOf(properties);
    }
    if (n === undefined) {
      n = this.keys.length;
      this.placeholderIndex.set(id, n);
      const properties = {
        ...target,
        _type: type,
        _key: key ?? '(found by its properties)',
      };
      this.placeholders.push(properties);
      this.push(
        String(properties._key),
        displayNameOf(properties),
        this.typeNumber(type),
      );
    }
    return n;
  }

  typeName(i: number): string {
    return this.types[this.typeOf.get(i)];
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

  private push(key: string, name: string, type: number): void {
    this.keys.push(key);
    this.names.push(name);
    this.typeOf.push(type);
  }
}

export function displayNameOf(entity: Record<string, unknown>): string {
  for (const field of ['displayName', 'name']) {
    const value = entity[field];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return String(entity._key ?? '');
}

export function withoutRawData(entity: Entity): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { _rawData, ...rest } = entity as Record<string, unknown>;
  return rest;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Water-filling: every type gets min(count, fair share), leftovers are shared again. */
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
