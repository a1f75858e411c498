/**
 * fetch-applications: this tenant's app registrations, their password, key
 * and federated identity credentials, their owners, and app registration
 * HAS its service principal in this tenant. Runs after
 * fetch-service-principals, whose index says which service principal each
 * app has here and whether it can sign in (`signInEnabled` on the
 * credentials).
 */
import { graphClientOf, IntegrationStepContext } from '../../config';
import {
  iterateApplicationPages,
  iterateFederatedCredentialPages,
} from '../../graph/applications';
import { Relationships, Steps } from '../constants';
import { presentString } from '../convert';
import { directRelationship, writingGraphObjects } from '../graph-objects';
import { StepProgress } from '../progress';
import { requireStepPermissions } from '../require-permissions';
import { OwnerCollector, writeCredentials } from './collect';
import {
  CredentialOwner,
  toAppRegistrationEntity,
  toFederatedCredentialEntity,
  toKeyCredentialEntity,
  toPasswordCredentialEntity,
} from './converters';
import {
  APP_REGISTRATION_INDEX_DATA_KEY,
  SERVICE_PRINCIPAL_INDEX_DATA_KEY,
  ServicePrincipalIndex,
} from './data';

export async function fetchApplications(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.APPLICATIONS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const progress = new StepProgress(logger, client, Steps.APPLICATIONS.name);
  // Without it (fetch-service-principals failed: this step's types are then
  // partial), apps are still collected, without their service principal.
  const servicePrincipals = await jobState.getData<ServicePrincipalIndex>(
    SERVICE_PRINCIPAL_INDEX_DATA_KEY,
  );
  const credentialOwners = new Map<string, CredentialOwner>();
  const owners = new OwnerCollector('appRegistration');

  await writingGraphObjects(jobState, async (writer) => {
    for await (const page of iterateApplicationPages(client)) {
      for (const app of page) {
        if (!presentString(app?.id)) {
          progress.add('appRegistrationsWithoutId');
          continue;
        }
        if (credentialOwners.has(app.id)) continue;
        const appId = presentString(app.appId);
        const sp = appId ? servicePrincipals?.byAppId.get(appId) : undefined;
        const entity = toAppRegistrationEntity(app, sp);
        writer.addEntity(entity);
        progress.add(entity._type);
        if (sp) {
          writer.addRelationship(
            directRelationship({
              _class:
                Relationships.APP_REGISTRATION_HAS_SERVICE_PRINCIPAL._class,
              fromKey: entity._key,
              fromType: entity._type,
              toKey: sp.id,
              toType:
                Relationships.APP_REGISTRATION_HAS_SERVICE_PRINCIPAL.targetType,
            }),
          );
          progress.add(
            Relationships.APP_REGISTRATION_HAS_SERVICE_PRINCIPAL._type,
          );
        }
        const owner: CredentialOwner = {
          _key: entity._key,
          _type: entity._type,
          appId,
          displayName: entity.displayName as string,
          signInEnabled: sp?.accountEnabled,
        };
        credentialOwners.set(app.id, owner);
        writeCredentials(
          owner,
          [
            ...(app.passwordCredentials ?? []).map((c) =>
              toPasswordCredentialEntity(owner, c),
            ),
            ...(app.keyCredentials ?? []).map((c) =>
              toKeyCredentialEntity(owner, c),
            ),
          ],
          writer,
          progress,
        );
        owners.add(app.id, app.owners);
      }
      await writer.drain();
    }

    // Federated identity credentials: a second walk (one expansion per request).
    for await (const page of iterateFederatedCredentialPages(client)) {
      for (const app of page) {
        const owner = credentialOwners.get(app?.id ?? '');
        if (!owner) {
          if ((app?.federatedIdentityCredentials ?? []).length) {
            progress.add('federatedCredentialsOfAppsNotListed');
          }
          continue;
        }
        writeCredentials(
          owner,
          (app.federatedIdentityCredentials ?? []).map((c) =>
            toFederatedCredentialEntity(owner, c),
          ),
          writer,
          progress,
        );
      }
      await writer.drain();
    }
  });

  await jobState.setData(APP_REGISTRATION_INDEX_DATA_KEY, {
    owners: await owners.complete(client, progress, logger),
  });
  progress.done({ appRegistrations: credentialOwners.size });
}
