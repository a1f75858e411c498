/**
 * Owners of app registrations and service principals.
 *
 * The collection steps gather them (collect.ts). The OWNS relationships are
 * built after every collection step, in the second dependency graph, so that
 * an owner is related directly when its user or service principal was
 * collected in this execution and mapped otherwise.
 */
import {
  IntegrationError,
  RelationshipClass,
} from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationStepContext } from '../../config';
import { Entities, MappedRelationships, Steps } from '../constants';
import { hasKeyNow, writingGraphObjects } from '../graph-objects';
import { StepProgress } from '../progress';
import { relationshipBetween } from './converters';
import {
  APP_REGISTRATION_INDEX_DATA_KEY,
  AppRegistrationIndex,
  collectedServicePrincipals,
  isCollectedServicePrincipal,
  OwnerLink,
  SERVICE_PRINCIPAL_INDEX_DATA_KEY,
  ServicePrincipalIndex,
} from './data';

const OWNED = {
  servicePrincipal: Entities.SERVICE_PRINCIPAL,
  appRegistration: Entities.APP_REGISTRATION,
};

const MAPPED = {
  user: {
    servicePrincipal: MappedRelationships.USER_OWNS_SERVICE_PRINCIPAL,
    appRegistration: MappedRelationships.USER_OWNS_APP_REGISTRATION,
  },
  servicePrincipal: {
    servicePrincipal:
      MappedRelationships.SERVICE_PRINCIPAL_OWNS_SERVICE_PRINCIPAL,
    appRegistration:
      MappedRelationships.SERVICE_PRINCIPAL_OWNS_APP_REGISTRATION,
  },
};

/** user / service principal OWNS app registration / service principal. */
export async function buildOwnerRelationships(
  context: IntegrationStepContext,
): Promise<void> {
  const { jobState, logger } = context;
  const progress = new StepProgress(
    logger,
    graphClientOf(context),
    Steps.APPLICATION_OWNERS.name,
  );
  const servicePrincipals = await jobState.getData<ServicePrincipalIndex>(
    SERVICE_PRINCIPAL_INDEX_DATA_KEY,
  );
  const applications = await jobState.getData<AppRegistrationIndex>(
    APP_REGISTRATION_INDEX_DATA_KEY,
  );
  const collected = await collectedServicePrincipals(jobState);
  const links: OwnerLink[] = [
    ...(servicePrincipals?.owners ?? []),
    ...(applications?.owners ?? []),
  ];
  await writingGraphObjects(jobState, async (writer) => {
    for (const link of links) {
      const owner =
        link.ownerKind === 'user' ? Entities.USER : Entities.SERVICE_PRINCIPAL;
      const ownerCollected =
        link.ownerKind === 'user'
          ? hasKeyNow(jobState, link.ownerId)
          : isCollectedServicePrincipal(collected, link.ownerId);
      const relationship = relationshipBetween({
        _class: RelationshipClass.OWNS,
        from: {
          _key: link.ownerId,
          metadata: owner,
          displayName: link.ownerName,
        },
        to: { _key: link.ownedKey, metadata: OWNED[link.ownedKind] },
        anchor: 'to',
        collected: ownerCollected,
        mapped: MAPPED[link.ownerKind][link.ownedKind],
      });
      writer.addRelationship(relationship);
      await writer.drain();
      progress.add(
        `${owner._type}|OWNS|${OWNED[link.ownedKind]._type}${
          ownerCollected ? '' : ' (mapped)'
        }`,
      );
    }
  });
  progress.done();
  const incomplete = [
    ...(servicePrincipals ? [] : [Steps.SERVICE_PRINCIPALS.name]),
    ...(applications ? [] : [Steps.APPLICATIONS.name]),
  ];
  if (incomplete.length) {
    throw new IntegrationError({
      code: 'DEPENDENCY_INCOMPLETE',
      message: `${
        Steps.APPLICATION_OWNERS.name
      } is incomplete: ${incomplete.join(
        ' and ',
      )} did not complete, so not every owner is known. The previous owner relationships are kept.`,
    });
  }
}
