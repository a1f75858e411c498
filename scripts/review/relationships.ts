/**
 * The relationships of a collection as the review builder holds them: a
 * count per row (relationship `_type`, direct or mapped, and the entity
 * types at its ends) and one (from, to, row) integer triple each.
 */
import { Relationship } from '@jupiterone/integration-sdk-core';
import { RelationshipTypeRow } from './data';
import { EntityTable } from './entities';
import { IntList } from './neighbourhoods';

/** A row while relationships are counted, before its id and status. */
export type RowDraft = Pick<
  RelationshipTypeRow,
  'type' | 'class' | 'mapped' | 'from' | 'to' | 'count'
>;

interface Mapping {
  relationshipDirection: string;
  sourceEntityKey: string;
  targetEntity?: Record<string, unknown>;
}

export class RelationshipTable {
  readonly rows: RowDraft[] = [];
  readonly from = new IntList();
  readonly to = new IntList();
  readonly row = new IntList();
  /** Relationships with an endpoint that is not in the graph, per `_type`. */
  readonly unresolved = new Map<string, number>();
  direct = 0;
  mapped = 0;
  /** [direct, mapped]: `_type` -> (from type, to type) -> row; no string is built per relationship. */
  private readonly rowIndex = [
    new Map<string, Map<number, number>>(),
    new Map<string, Map<number, number>>(),
  ];

  constructor(private readonly entities: EntityTable) {}

  add(r: Relationship): void {
    const mapping = (r as { _mapping?: Mapping })._mapping;
    let from: number | undefined;
    let to: number | undefined;
    if (mapping) {
      const source = this.entities.indexOfKey.get(mapping.sourceEntityKey);
      if (source !== undefined) {
        const target = this.entities.target(mapping.targetEntity ?? {});
        [from, to] =
          mapping.relationshipDirection === 'REVERSE'
            ? [target, source]
            : [source, target];
      }
    } else {
      from = this.entities.indexOfKey.get(String(r._fromEntityKey));
      to = this.entities.indexOfKey.get(String(r._toEntityKey));
    }
    if (from === undefined || to === undefined) {
      this.unresolved.set(r._type, (this.unresolved.get(r._type) ?? 0) + 1);
      return;
    }
    if (mapping) this.mapped++;
    else this.direct++;
    const row = this.rowOf(r, !!mapping, from, to);
    this.rows[row].count++;
    this.from.push(from);
    this.to.push(to);
    this.row.push(row);
  }

  private rowOf(
    r: Relationship,
    mapped: boolean,
    from: number,
    to: number,
  ): number {
    const byType = this.rowIndex[mapped ? 1 : 0];
    let ends = byType.get(r._type);
    if (!ends) {
      ends = new Map();
      byType.set(r._type, ends);
    }
    const fromType = this.entities.typeOf.get(from);
    const toType = this.entities.typeOf.get(to);
    const pair = fromType * 2 ** 20 + toType;
    let n = ends.get(pair);
    if (n === undefined) {
      n = this.rows.length;
      ends.set(pair, n);
      this.rows.push({
        type: r._type,
        class: r._class,
        mapped,
        from: this.entities.types[fromType],
        to: this.entities.types[toType],
        count: 0,
      });
    }
    return n;
  }
}
