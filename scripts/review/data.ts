/**
 * The contract between the review page's builder (Node) and the page itself
 * (browser): what is embedded, and how the compact parts are packed. Types
 * only, so the page's script can import it without pulling in Node code.
 */

/** How a type fared in `summary.json`. */
export interface TypeStatus {
  /**
   * `success`, `failed`, `partial` (listed in partialDatasets), another SDK
   * step status (`disabled`, `cached`...) verbatim, `undeclared` (no step
   * declares the type) or `no summary`.
   */
  status: string;
  partial: boolean;
  /** Ids of the steps that declare the type. */
  steps: string[];
}

export interface EntityTypeRow extends TypeStatus {
  type: string;
  /** Union of the `_class` values of its entities. */
  classes: string[];
  count: number;
  /** How many of its entities carry their properties in the page. */
  detailed: number;
}

export interface RelationshipTypeRow extends TypeStatus {
  /** Unique per row: `_type`, prefixed `mapped:` for mapped relationships, suffixed when one `_type` joins several type pairs. */
  id: string;
  type: string;
  class: string;
  mapped: boolean;
  /** Entity `_type` at each end, as drawn (a mapped relationship's target type from its `targetEntity`). */
  from: string;
  to: string;
  count: number;
}

/** A `_type` a step declares that the graph does not contain. */
export interface DeclaredTypeRow extends TypeStatus {
  type: string;
}

export interface StepRow {
  id: string;
  name: string;
  status: string;
  partialTypes: string[];
}

/** Everything the type view and the table need: small at any tenant size. */
export interface TypeViewData {
  title: string;
  /** Where the graph was read from, as given to the builder. */
  source: string;
  summaryFound: boolean;
  totals: {
    entities: number;
    relationships: number;
    mappedRelationships: number;
    /** Direct relationships with an endpoint `_key` that no entity of the graph has. */
    unresolvedRelationships: number;
    /** Entities whose `_key` an earlier entity already had (the first one is kept). */
    duplicateKeys: number;
  };
  /** Relationship `_type`s with endpoints missing from the graph, and how many. */
  unresolved: (TypeStatus & { type: string; count: number })[];
  entityTypes: EntityTypeRow[];
  relationshipTypes: RelationshipTypeRow[];
  declaredWithoutData: DeclaredTypeRow[];
  steps: StepRow[];
  partialTypes: string[];
  limits: InstanceLimits;
}

export interface InstanceLimits {
  /** Entities whose properties are embedded, shared out between types. */
  detailsBudget: number;
  /** Neighbours kept per entity, relationship row and direction. */
  neighboursPerKind: number;
  detailed: number;
  /** Entities in the search index (all of them) plus mapped-relationship targets. */
  indexed: number;
}

/**
 * The instance view's index. Entities are numbered in (`_type`, `_key`)
 * order, mapped-relationship targets that are not entities of the graph
 * after them; every array below is indexed by that number.
 */
export interface InstanceData {
  /** Entity `_type` names; `typeOf[i]` indexes this. */
  types: string[];
  typeOf: number[];
  /** displayName, else name, else `_key`. */
  names: string[];
  /** First index of a mapped-relationship target that is not in the graph. */
  placeholdersFrom: number;
  /**
   * Neighbours, capped (see InstanceLimits): little-endian Uint32 arrays in
   * base64. Entity i's entries are `adjacency[adjacencyStart[i] ..
   * adjacencyStart[i+1])`; an entry is `group << neighbourBits | neighbour`,
   * where group is `row << 1 | outgoing` and row indexes
   * TypeViewData.relationshipTypes. Sorted by group, then neighbour.
   */
  adjacencyStart: string;
  adjacency: string;
  neighbourBits: number;
  /** Neighbours left out by the cap: flat triples [entity, group, how many]. */
  hidden: number[];
  /** Properties (without `_rawData`) of the detailed entities: [index, properties]. */
  details: [number, Record<string, unknown>][];
}
