/**
 * What the application steps hand each other through the job state (in
 * memory), and the one rule for reaching a service principal.
 */
import { IntegrationError, JobState } from '@jupiterone/integration-sdk-core';
import { GraphDirectoryReference } from '../../graph/applications';
import { SERVICE_PRINCIPAL_IDS_DATA_KEY } from '../constants';

/** Who owns an app registration or service principal. */
export interface OwnerLink {
  ownerId: string;
  ownerKind: 'user' | 'servicePrincipal';
  ownerName?: string;
  ownedKey: string;
  ownedKind: 'servicePrincipal' | 'appRegistration';
}

/** A resource service principal whose app roles applications can hold. */
export interface ResourceRoles {
  appId?: string;
  /** app role id -> its value (the permission name). */
  roles: Map<string, string>;
}

/** Published by fetch-service-principals once every page was read. */
export interface ServicePrincipalIndex {
  /** appId -> the service principal of that app in this tenant. */
  byAppId: Map<string, { id: string; accountEnabled?: boolean }>;
  /** service principal id -> appId. */
  appIdOf: Map<string, string>;
  resources: Map<string, ResourceRoles>;
  owners: OwnerLink[];
}

export const SERVICE_PRINCIPAL_INDEX_DATA_KEY =
  'applications:service-principal-index';

/** Published by fetch-applications once both of its walks were read. */
export interface AppRegistrationIndex {
  owners: OwnerLink[];
}

export const APP_REGISTRATION_INDEX_DATA_KEY =
  'applications:app-registration-index';

/** The step's data, or a failure that says which step did not complete. */
export async function requireData<T>(
  jobState: JobState,
  key: string,
  step: string,
  producer: string,
  consequence: string,
): Promise<T> {
  const data = await jobState.getData<T>(key);
  if (data) return data;
  throw new IntegrationError({
    code: 'DEPENDENCY_INCOMPLETE',
    message: `${step} cannot run: ${producer} did not complete, so ${consequence}. The previous data of this step is kept.`,
  });
}

/** The ids fetch-service-principals collected, when it completed. */
export async function collectedServicePrincipals(
  jobState: JobState,
): Promise<ReadonlySet<string> | undefined> {
  return jobState.getData<Set<string>>(SERVICE_PRINCIPAL_IDS_DATA_KEY);
}

/**
 * The one rule for a relationship to a service principal: direct when
 * fetch-service-principals collected it in this execution, mapped (to
 * `azure_service_principal` by `_key`) otherwise.
 */
export function isCollectedServicePrincipal(
  collected: ReadonlySet<string> | undefined,
  id: string,
): boolean {
  return collected?.has(id) ?? false;
}

const OWNER_KINDS: Record<string, OwnerLink['ownerKind']> = {
  '#microsoft.graph.user': 'user',
  '#microsoft.graph.servicePrincipal': 'servicePrincipal',
};

/**
 * Owner links of one object, one per distinct owner. Owners of other kinds
 * (Graph documents users and service principals only) are counted in
 * `skipped`.
 */
export function ownerLinks(
  owners: GraphDirectoryReference[] | null | undefined,
  owned: Pick<OwnerLink, 'ownedKey' | 'ownedKind'>,
  skipped: { count: number },
): OwnerLink[] {
  const links = new Map<string, OwnerLink>();
  for (const owner of owners ?? []) {
    const kind = OWNER_KINDS[owner?.['@odata.type'] ?? ''];
    if (!kind || typeof owner.id !== 'string' || !owner.id) {
      skipped.count++;
      continue;
    }
    const name = (owner as { displayName?: unknown }).displayName;
    links.set(owner.id, {
      ownerId: owner.id,
      ownerKind: kind,
      ownerName: typeof name === 'string' && name.trim() ? name : undefined,
      ...owned,
    });
  }
  return Array.from(links.values());
}
