/**
 * Directory principals as targets of relationships built by more than one
 * module (role assignments, Conditional Access): which entity type a
 * principal is, whether this collection produced it, and the mapped
 * relationship when it did not.
 */
import {
  createMappedRelationship,
  JobState,
  Relationship,
  RelationshipDirection,
  StepEntityMetadata,
  StepMappedRelationshipMetadata,
} from '@jupiterone/integration-sdk-core';
import {
  collectedServicePrincipals,
  isCollectedServicePrincipal,
} from './applications/data';
import { Entities } from './constants';
import { hasKeyNow } from './graph-objects';

export type PrincipalType = 'user' | 'group' | 'servicePrincipal';

export const PRINCIPAL_ENTITIES: Record<PrincipalType, StepEntityMetadata> = {
  user: Entities.USER,
  group: Entities.GROUP,
  servicePrincipal: Entities.SERVICE_PRINCIPAL,
};

/** '#microsoft.graph.user' -> 'user'; undefined for any other directory object type. */
export function principalTypeOf(odataType: unknown): PrincipalType | undefined {
  switch (odataType) {
    case '#microsoft.graph.user':
      return 'user';
    case '#microsoft.graph.group':
      return 'group';
    case '#microsoft.graph.servicePrincipal':
      return 'servicePrincipal';
    default:
      return undefined;
  }
}

/** What fetch-service-principals collected, if it ran (applications/data). */
export const collectedServicePrincipalIds = collectedServicePrincipals;

/**
 * Whether this collection holds the principal's entity. Users and groups are
 * keyed by their object id, unique across directory object types.
 */
export function isPrincipalCollected(
  jobState: JobState,
  type: PrincipalType,
  id: string,
  servicePrincipals: ReadonlySet<string> | undefined,
): boolean {
  return type === 'servicePrincipal'
    ? isCollectedServicePrincipal(servicePrincipals, id)
    : hasKeyNow(jobState, id);
}

/**
 * A relationship of the metadata row `row` from an entity of this
 * collection (`sourceKey`) to one it does not hold, found by `_type` and
 * `_key`. `key` is the key the direct relationship would have, so that one
 * identity keeps one key whichever way it is written.
 */
export function mappedRelationshipTo(options: {
  row: StepMappedRelationshipMetadata;
  sourceKey: string;
  target: StepEntityMetadata;
  targetKey: string;
  key: string;
  properties?: Record<string, string | number | boolean | undefined>;
}): Relationship {
  const { row, sourceKey, target, targetKey, key, properties } = options;
  return createMappedRelationship({
    _class: row._class,
    _type: row._type,
    _key: key,
    _mapping: {
      relationshipDirection: row.direction ?? RelationshipDirection.FORWARD,
      sourceEntityKey: sourceKey,
      targetFilterKeys: [['_type', '_key']],
      skipTargetCreation: false,
      targetEntity: {
        _key: targetKey,
        _type: target._type,
        _class: target._class,
      },
    },
    properties,
  });
}
