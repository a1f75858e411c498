/**
 * fetch-service-principals: every service principal of the tenant (first
 * party, this tenant's apps, third-party apps, managed identities), its
 * password and key credentials, and its owners. Publishes the collected ids
 * (SERVICE_PRINCIPAL_IDS_DATA_KEY) and what the other application steps
 * need (ServicePrincipalIndex).
 */
import { graphClientOf, IntegrationStepContext } from '../../config';
import {
  GraphAppRole,
  GraphServicePrincipal,
  iterateServicePrincipalPages,
} from '../../graph/applications';
import { GraphClient } from '../../graph/client';
import { readOrganization } from '../../graph/organization';
import { SERVICE_PRINCIPAL_IDS_DATA_KEY, Steps } from '../constants';
import { presentString } from '../convert';
import { writingGraphObjects } from '../graph-objects';
import { StepProgress } from '../progress';
import { requireStepPermissions } from '../require-permissions';
import { OwnerCollector, writeCredentials } from './collect';
import {
  CredentialOwner,
  toKeyCredentialEntity,
  toPasswordCredentialEntity,
  toServicePrincipalEntity,
} from './converters';
import {
  ResourceRoles,
  SERVICE_PRINCIPAL_INDEX_DATA_KEY,
  ServicePrincipalIndex,
} from './data';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tenant id, to tell this tenant's apps from other organisations': the
 * configured tenant when it is an id, else the organization's id (one
 * request).
 */
export async function tenantIdOf(
  context: IntegrationStepContext,
  client: GraphClient,
): Promise<string> {
  const configured = context.instance.config.tenant?.trim();
  if (configured && GUID.test(configured)) return configured.toLowerCase();
  return (await readOrganization(client)).id.toLowerCase();
}

/** The app roles applications can hold, by id. */
function applicationRoles(roles: GraphAppRole[] | null | undefined) {
  const byId = new Map<string, string>();
  for (const role of roles ?? []) {
    const id = presentString(role?.id);
    if (id && role.allowedMemberTypes?.includes('Application')) {
      byId.set(id, presentString(role.value) ?? id);
    }
  }
  return byId;
}

export async function fetchServicePrincipals(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.SERVICE_PRINCIPALS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const progress = new StepProgress(
    logger,
    client,
    Steps.SERVICE_PRINCIPALS.name,
  );
  const tenantId = await tenantIdOf(context, client);
  const ids = new Set<string>();
  const index: ServicePrincipalIndex = {
    byAppId: new Map(),
    appIdOf: new Map(),
    resources: new Map<string, ResourceRoles>(),
    owners: [],
  };
  const owners = new OwnerCollector('servicePrincipal');

  await writingGraphObjects(jobState, async (writer) => {
    const add = (sp: GraphServicePrincipal) => {
      const entity = toServicePrincipalEntity(sp, tenantId);
      writer.addEntity(entity);
      progress.add(`${entity._type}:${entity.appOwnership}`);
      const appId = presentString(sp.appId);
      if (appId) {
        index.byAppId.set(appId, {
          id: sp.id,
          accountEnabled: sp.accountEnabled ?? undefined,
        });
        index.appIdOf.set(sp.id, appId);
      }
      const roles = applicationRoles(sp.appRoles);
      if (roles.size) index.resources.set(sp.id, { appId, roles });

      const owner: CredentialOwner = {
        _key: entity._key,
        _type: entity._type,
        appId,
        displayName: entity.displayName as string,
        signInEnabled: sp.accountEnabled ?? undefined,
        autoRotated: sp.servicePrincipalType === 'ManagedIdentity',
      };
      writeCredentials(
        owner,
        [
          ...(sp.passwordCredentials ?? []).map((c) =>
            toPasswordCredentialEntity(owner, c),
          ),
          ...(sp.keyCredentials ?? []).map((c) =>
            toKeyCredentialEntity(owner, c),
          ),
        ],
        writer,
        progress,
      );
      owners.add(sp.id, sp.owners);
    };

    for await (const page of iterateServicePrincipalPages(client)) {
      for (const sp of page) {
        if (!presentString(sp?.id)) {
          progress.add('servicePrincipalsWithoutId');
          continue;
        }
        if (ids.has(sp.id)) continue;
        ids.add(sp.id);
        add(sp);
      }
      await writer.drain();
    }
  });

  index.owners = await owners.complete(client, progress, logger);

  await jobState.setData(SERVICE_PRINCIPAL_IDS_DATA_KEY, ids);
  await jobState.setData(SERVICE_PRINCIPAL_INDEX_DATA_KEY, index);
  progress.done({
    servicePrincipals: ids.size,
    resourcesWithApplicationRoles: index.resources.size,
  });
}
