import {
  Entity,
  IntegrationError,
  IntegrationStep,
  IntegrationWarnEventName,
  JobState,
} from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationConfig, IntegrationStepContext } from '../../config';
import { GraphAuthenticationError } from '../../graph/errors';
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
  // The account is written whatever the Intune enrichment does: users,
  // groups and members hang off it, and an optional lookup must not take the
  // directory down with it.
  const [intune, policies] = await Promise.all([
    readIntuneAccount(context, organization.id).catch((err: unknown) => {
      if (err instanceof GraphAuthenticationError) throw err;
      notEnriched(
        context,
        `reading whether the tenant has Intune (/deviceManagement) failed: ${errorText(err)}`,
      );
      return undefined;
    }),
    readTenantPolicies(context, client),
  ]);
  await context.jobState.addEntity(
    toAccountEntity(organization, intune, policies),
  );
}

/** A warning and a warn event: the account lacks (some of) its Intune details, and why. */
function notEnriched(context: IntegrationStepContext, reason: string): void {
  const description = `The account is not enriched with Intune details: ${reason}`;
  context.logger.warn(description);
  context.logger.publishWarnEvent({
    name: IntegrationWarnEventName.MissingPermission,
    description,
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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
  // The token says the permission is missing: no request that can only be refused.
  const roles = await client.grantedRoles();
  if (roles && !isGranted(Permissions.INTUNE_SERVICE_CONFIG, roles)) {
    notEnriched(
      context,
      `${describeMissing(Permissions.INTUNE_SERVICE_CONFIG)}.`,
    );
    return undefined;
  }
  const availability = await readIntuneAvailability(client);
  if (availability.status === 'absent') {
    context.logger.info('The tenant has no Intune subscription; the account is not enriched with Intune details.');
    return undefined;
  }
  if (availability.status === 'unknown') {
    notEnriched(context, availability.reason);
    return undefined;
  }
  const account: IntuneAccount = { ...availability.account };
  account.subscriptionState =
    (await optional(
      context,
      'the Intune subscription state (beta /deviceManagement/subscriptionState)',
      () => readIntuneSubscriptionState(client),
    )) ?? account.subscriptionState;
  account.mdmAuthority = await optional(
    context,
    'the MDM authority (organization mobileDeviceManagementAuthority)',
    () => readMdmAuthority(client, organizationId),
  );
  return account;
}

/**
 * An enrichment that may fail in any way (refused, removed from beta, 5xx
 * after retries) without failing the account: a warning names it.
 */
async function optional<T>(
  context: IntegrationStepContext,
  what: string,
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof GraphAuthenticationError) throw err;
    context.logger.warn(
      { err },
      `Could not read ${what}; the account is written without it.`,
    );
    return undefined;
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
