/**
 * The SDK keeps `{ _type, _key }` of every relationship in memory for the
 * whole run (its duplicate-key tracker, jupiterone-sdk.md §2.3), and
 * `createDirectRelationship` builds a fresh `_type` string for each one. On a
 * large tenant that is two million copies of a few dozen strings (~130 MB).
 * Swapping in the one string of the metadata table keeps the memory flat
 * without touching any step.
 */
import { Relationship } from '@jupiterone/integration-sdk-core';
import { allOf, MappedRelationships, Relationships } from './steps/constants';

const CANONICAL_TYPES = new Map<string, string>(
  [...Object.values(Relationships), ...Object.values(MappedRelationships)]
    .flatMap((entry) => allOf(entry))
    .map((metadata) => [metadata._type, metadata._type]),
);

export function internRelationshipType(
  _context: unknown,
  relationship: Relationship,
): Relationship {
  const canonical = CANONICAL_TYPES.get(relationship._type);
  if (canonical) relationship._type = canonical;
  return relationship;
}
