import {
  Entity,
  IntegrationStep,
  IntegrationWarnEventName,
  JobState,
} from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationConfig, IntegrationStepContext } from '../../config';
import { isGraphError, isIntuneNotApplicable } from '../../graph/errors';
import {
  IntuneAccount,
  readIntuneAvailability,
  readIntuneSubscriptionState,
  readMdmAuthority,
  readOrganization,
} from '../../graph/organization';
import { Entities, Steps } from '../constants';
import { requireStepPermissions } from '../permissions';
import { toAccountEntity } from './converters';

export async function fetchAccount(context: IntegrationStepContext): Promise<void> {
  await requireStepPermissions(context, Steps.ACCOUNT.id);
  const client = graphClientOf(context);
  const organization = await readOrganization(client);
  const intune = await readIntuneAccount(context, organization.id);
  await context.jobState.addEntity(toAccountEntity(organization, intune));
}

/**
 * Enriches the account with the Intune account id, subscription state and
 * MDM authority. A tenant without Intune, or an app without the Intune
 * service-configuration permission, still yields the account.
 */
async function readIntuneAccount(
  context: IntegrationStepContext,
  organizationId: string,
): Promise<IntuneAccount | undefined> {
  const client = graphClientOf(context);
  const availability = await readIntuneAvailability(client);
  if (availability.status === 'absent') {
    context.logger.info('The tenant has no Intune subscription; the account is not enriched with Intune details.');
    return undefined;
  }
  if (availability.status === 'unknown') {
    const description = `The account is not enriched with Intune details: ${availability.reason}`;
    context.logger.warn(description);
    context.logger.publishWarnEvent({
      name: IntegrationWarnEventName.MissingPermission,
      description,
    });
    return undefined;
  }
  const account: IntuneAccount = { ...availability.account };
  account.subscriptionState =
    (await optional(context, () => readIntuneSubscriptionState(client))) ??
    account.subscriptionState;
  account.mdmAuthority = await optional(context, () =>
    readMdmAuthority(client, organizationId),
  );
  return account;
}

/** Enrichment that may be refused without failing the account. */
async function optional<T>(
  context: IntegrationStepContext,
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isIntuneNotApplicable(err) || isGraphError(err, { status: 403 })) {
      context.logger.warn({ err }, 'Could not read an Intune account detail');
      return undefined;
    }
    throw err;
  }
}

/** The account entity, read once from the job state (works with cached steps too). */
export async function getAccountEntity(jobState: JobState): Promise<Entity> {
  let account: Entity | undefined;
  await jobState.iterateEntities({ _type: Entities.ACCOUNT._type }, (e) => {
    account = e;
  });
  if (!account) {
    throw new Error(`${Steps.ACCOUNT.name} produced no account entity.`);
  }
  return account;
}

export const accountSteps: IntegrationStep<IntegrationConfig>[] = [
  {
    ...Steps.ACCOUNT,
    entities: [Entities.ACCOUNT],
    relationships: [],
    executionHandler: fetchAccount,
  },
];
