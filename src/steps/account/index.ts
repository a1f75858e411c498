import {
  Entity,
  IntegrationError,
  IntegrationStep,
  IntegrationWarnEventName,
  JobState,
} from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationConfig, IntegrationStepContext } from '../../config';
import { isGraphError, isIntuneNotApplicable } from '../../graph/errors';
import {
  describeMissing,
  isGranted,
  Permissions,
} from '../../graph/permissions';
import {
  IntuneAccount,
  readIntuneAvailability,
  readIntuneSubscriptionState,
  readMdmAuthority,
  readOrganization,
} from '../../graph/organization';
import { Entities, Steps } from '../constants';
import { requireStepPermissions } from '../require-permissions';
import { readTenantPolicies } from '../sign-in-security/read-tenant-policies';
import { toAccountEntity } from './converters';

export async function fetchAccount(context: IntegrationStepContext): Promise<void> {
  await requireStepPermissions(context, Steps.ACCOUNT.id);
  const client = graphClientOf(context);
  const organization = await readOrganization(client);
  const [intune, policies] = await Promise.all([
    readIntuneAccount(context, organization.id),
    readTenantPolicies(context, client),
  ]);
  await context.jobState.addEntity(
    toAccountEntity(organization, intune, policies),
  );
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
  const notEnriched = (reason: string) => {
    const description = `The account is not enriched with Intune details: ${reason}`;
    context.logger.warn(description);
    context.logger.publishWarnEvent({
      name: IntegrationWarnEventName.MissingPermission,
      description,
    });
  };
  // The token says the permission is missing: no request that can only be refused.
  const roles = await client.grantedRoles();
  if (roles && !isGranted(Permissions.INTUNE_SERVICE_CONFIG, roles)) {
    notEnriched(`${describeMissing(Permissions.INTUNE_SERVICE_CONFIG)}.`);
    return undefined;
  }
  const availability = await readIntuneAvailability(client);
  if (availability.status === 'absent') {
    context.logger.info('The tenant has no Intune subscription; the account is not enriched with Intune details.');
    return undefined;
  }
  if (availability.status === 'unknown') {
    notEnriched(availability.reason);
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
    throw new IntegrationError({
      code: 'INCOMPLETE_INPUT',
      message: `${Steps.ACCOUNT.name} did not produce the account, which this step relates its objects to; the previous data of this step is kept.`,
    });
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
