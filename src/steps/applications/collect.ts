/**
 * What fetch-service-principals and fetch-applications both do for each
 * object they list: write its credentials (with the HAS relationship from
 * their owner), and gather its owners.
 *
 * Owners come inline (`$expand=owners`); an expansion that holds
 * EXPANDED_ITEMS_LIMIT owners may have been cut short, and only those
 * objects' owners lists are read in full (batched), once the list is done.
 * The OWNS relationships themselves are built later (owners.ts).
 */
import { Entity, IntegrationLogger } from '@jupiterone/integration-sdk-core';
import {
  EXPANDED_ITEMS_LIMIT,
  forEachOwnersPage,
  GraphDirectoryReference,
  OwnedObject,
} from '../../graph/applications';
import { GraphClient } from '../../graph/client';
import { GraphObjectWriter } from '../graph-objects';
import { StepProgress } from '../progress';
import { CredentialOwner, toHasCredentialRelationship } from './converters';
import { OwnerLink, ownerLinks } from './data';

/**
 * Writes `credentials` of `owner` (undefined: a credential without an id,
 * counted) and owner HAS credential.
 */
export function writeCredentials(
  owner: CredentialOwner,
  credentials: (Entity | undefined)[],
  writer: GraphObjectWriter,
  progress: StepProgress,
): void {
  for (const credential of credentials) {
    if (!credential) {
      progress.add('credentialsWithoutId');
      continue;
    }
    writer.addEntity(credential);
    writer.addRelationship(toHasCredentialRelationship(owner, credential));
    progress.add(`${credential._type}:${credential.credentialType}`);
  }
}

type Owners = GraphDirectoryReference[] | null | undefined;

/** Whether an inline owners expansion may have been cut short. */
export function ownersMayBeTruncated(owners: Owners): boolean {
  return (owners?.length ?? 0) >= EXPANDED_ITEMS_LIMIT;
}

/**
 * The full owners lists of `objects`. An object deleted since its list
 * named it (404) has none; it is counted and logged.
 */
export async function readFullOwners(
  client: GraphClient,
  objects: OwnedObject[],
  progress: StepProgress,
  logger: IntegrationLogger,
): Promise<Map<string, GraphDirectoryReference[]>> {
  const owners = new Map<string, GraphDirectoryReference[]>();
  if (!objects.length) return owners;
  await forEachOwnersPage(
    client,
    objects,
    (id, page) => {
      owners.set(id, [...(owners.get(id) ?? []), ...page]);
    },
    {
      onNotFound: (id) => {
        progress.add('objectsDeletedBeforeOwnerListing');
        logger.info(
          { id },
          'An object listed with more owners than an expansion returns no longer exists (404); its owners are those the expansion returned',
        );
      },
    },
  );
  progress.add('ownersListsReadInFull', objects.length);
  return owners;
}

/** The owner links of the objects one step lists, one object at a time. */
export class OwnerCollector {
  private readonly links = new Map<string, OwnerLink[]>();
  /** Objects whose expansion may have been cut short, with what it held. */
  private readonly truncated = new Map<string, Owners>();
  private readonly otherOwners = { count: 0 };

  constructor(private readonly ownedKind: OwnerLink['ownedKind']) {}

  add(id: string, owners: Owners): void {
    if (ownersMayBeTruncated(owners)) this.truncated.set(id, owners);
    else this.links.set(id, this.linksOf(id, owners));
  }

  /** Reads the lists that may have been cut short, then every link. */
  async complete(
    client: GraphClient,
    progress: StepProgress,
    logger: IntegrationLogger,
  ): Promise<OwnerLink[]> {
    const kind =
      this.ownedKind === 'servicePrincipal'
        ? 'servicePrincipal'
        : 'application';
    const full = await readFullOwners(
      client,
      Array.from(this.truncated.keys(), (id) => ({ kind, id })),
      progress,
      logger,
    );
    for (const [id, expanded] of this.truncated) {
      this.links.set(id, this.linksOf(id, full.get(id) ?? expanded));
    }
    if (this.otherOwners.count) {
      progress.add('ownersOfOtherTypes', this.otherOwners.count);
    }
    return Array.from(this.links.values()).flat();
  }

  private linksOf(id: string, owners: Owners): OwnerLink[] {
    return ownerLinks(
      owners,
      { ownedKey: id, ownedKind: this.ownedKind },
      this.otherOwners,
    );
  }
}
