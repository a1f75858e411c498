/**
 * How sign-in is guarded (docs/identity-security.md):
 *
 * - fetch-conditional-access-policies: named locations and Conditional
 *   Access policies, one entity each, and policy USES named location. Both
 *   lists are on the Conditional Access budget (1 request per second per
 *   tenant, 429s without Retry-After).
 * - build-conditional-access-relationships, in the second dependency graph
 *   (users, groups, roles and service principals are known by then): policy
 *   ASSIGNED target for what it includes, policy ALLOWS target for what it
 *   excludes, direct or mapped.
 *
 * MFA registration (registration.ts) is joined into the users step, and the
 * tenant policies (tenant-policies.ts) into the account; both live here.
 */
import {
  Entity,
  IntegrationError,
  IntegrationStep,
} from '@jupiterone/integration-sdk-core';
import {
  graphClientOf,
  IntegrationConfig,
  IntegrationStepContext,
} from '../../config';
import {
  isConditionalAccessLicenceRefusal,
  iterateConditionalAccessPolicyPages,
  iterateNamedLocationPages,
} from '../../graph/conditional-access';
import {
  Entities,
  IngestionSources,
  MappedRelationships,
  Relationships,
  RELATIONSHIP_GRAPH_ID,
  Steps,
} from '../constants';
import { presentStrings } from '../convert';
import { hasKeyNow, writingGraphObjects } from '../graph-objects';
import {
  collectedServicePrincipalIds,
  isPrincipalCollected,
} from '../principals';
import { StepProgress } from '../progress';
import { requireStepPermissions } from '../require-permissions';
import { warnMissing } from '../warnings';
import {
  isObjectId,
  LocationCondition,
  TARGET_PROPERTIES,
  TARGET_RELATIONSHIPS,
  TargetCondition,
  TargetKind,
  toConditionalAccessPolicyEntity,
  toNamedLocationEntity,
  toPolicyTargetRelationship,
  toPolicyUsesLocationRelationship,
  usersExcludedFromEveryEnabledPolicy,
} from './converters';

/** Set once every named location and policy was read (or the tenant has no Conditional Access). */
export const CONDITIONAL_ACCESS_COMPLETE = 'conditional-access:complete';

export const CONDITIONAL_ACCESS_LICENCE_WARNING =
  'Conditional Access policies and named locations are not collected: Microsoft Graph answered Authentication_RequestFromNonPremiumTenantOrB2CTenant, the tenant has no Microsoft Entra ID P1 or P2 licence, which Conditional Access needs.';

export async function fetchConditionalAccessPolicies(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.CONDITIONAL_ACCESS_POLICIES.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const progress = new StepProgress(
    logger,
    client,
    Steps.CONDITIONAL_ACCESS_POLICIES.name,
  );
  const locations = new Set<string>();
  let pages = 0;
  try {
    await writingGraphObjects(jobState, async (writer) => {
      for await (const page of iterateNamedLocationPages(client)) {
        pages++;
        for (const location of page) {
          if (typeof location?.id !== 'string' || !location.id) continue;
          if (locations.has(location.id)) continue;
          locations.add(location.id);
          writer.addEntity(toNamedLocationEntity(location));
          progress.add(Entities.NAMED_LOCATION._type);
        }
      }
      for await (const page of iterateConditionalAccessPolicyPages(client)) {
        pages++;
        for (const policy of page) {
          if (typeof policy?.id !== 'string' || !policy.id) continue;
          const entity = toConditionalAccessPolicyEntity(policy);
          writer.addEntity(entity);
          progress.add(
            `${Entities.CONDITIONAL_ACCESS_POLICY._type} ${entity.state}`,
          );
          const conditions: [LocationCondition, unknown][] = [
            ['include', policy.conditions?.locations?.includeLocations],
            ['exclude', policy.conditions?.locations?.excludeLocations],
          ];
          for (const [condition, ids] of conditions) {
            for (const id of new Set(presentStrings(ids) ?? [])) {
              // "All" and "AllTrusted" stay properties of the policy.
              if (!isObjectId(id)) continue;
              const relationship = toPolicyUsesLocationRelationship(
                policy.id,
                id,
                condition,
                locations.has(id),
              );
              writer.addRelationship(relationship);
              progress.add(
                `${relationship._type}${
                  relationship._mapping ? ' (mapped)' : ''
                }`,
              );
            }
          }
        }
        await writer.drain();
      }
    });
  } catch (err) {
    if (pages > 0 || !isConditionalAccessLicenceRefusal(err)) throw err;
    warnMissing(logger, CONDITIONAL_ACCESS_LICENCE_WARNING);
  }
  await jobState.setData(CONDITIONAL_ACCESS_COMPLETE, true);
  progress.done();
}

const TARGET_KINDS: TargetKind[] = [
  'user',
  'group',
  'role',
  'servicePrincipal',
];
const CONDITIONS: TargetCondition[] = ['include', 'exclude'];

export async function buildConditionalAccessRelationships(
  context: IntegrationStepContext,
): Promise<void> {
  const { jobState, logger } = context;
  if (!(await jobState.getData<boolean>(CONDITIONAL_ACCESS_COMPLETE))) {
    throw new IntegrationError({
      code: 'CONDITIONAL_ACCESS_INCOMPLETE',
      message: `${Steps.CONDITIONAL_ACCESS_TARGETS.name} did not run: ${Steps.CONDITIONAL_ACCESS_POLICIES.name} did not complete in this execution. The previous Conditional Access target relationships are kept.`,
    });
  }
  const progress = new StepProgress(
    logger,
    graphClientOf(context),
    Steps.CONDITIONAL_ACCESS_TARGETS.name,
  );
  const servicePrincipals = await collectedServicePrincipalIds(jobState);
  const collected = (kind: TargetKind, id: string) =>
    kind === 'role'
      ? hasKeyNow(jobState, id)
      : isPrincipalCollected(jobState, kind, id, servicePrincipals);
  // A tenant has at most a few hundred policies: all of them at once.
  const policies: Entity[] = [];
  await jobState.iterateEntities(
    { _type: Entities.CONDITIONAL_ACCESS_POLICY._type },
    (policy) => {
      policies.push(policy);
    },
  );
  const everywhere = usersExcludedFromEveryEnabledPolicy(policies);
  await writingGraphObjects(jobState, async (writer) => {
    for (const policy of policies) {
      for (const kind of TARGET_KINDS) {
        for (const condition of CONDITIONS) {
          const ids = presentStrings(
            policy[TARGET_PROPERTIES[kind][condition]],
          );
          for (const id of new Set(ids ?? [])) {
            // Keywords ("All", "None", "GuestsOrExternalUsers", "ServicePrincipalsInMyTenant") are properties.
            if (!isObjectId(id)) continue;
            const relationship = toPolicyTargetRelationship(
              policy._key,
              kind,
              condition,
              id,
              collected(kind, id),
              kind === 'user' && condition === 'exclude'
                ? { excludedFromEveryEnabledPolicy: everywhere.has(id) }
                : undefined,
            );
            writer.addRelationship(relationship);
            progress.add(
              `${relationship._type}${
                relationship._mapping ? ' (mapped)' : ''
              }`,
            );
          }
        }
      }
      progress.add('policies');
      await writer.drain();
    }
  });
  progress.done({ usersExcludedFromEveryEnabledPolicy: everywhere.size });
}

export const signInSecuritySteps: IntegrationStep<IntegrationConfig>[] = [
  {
    ...Steps.CONDITIONAL_ACCESS_POLICIES,
    ingestionSourceId: IngestionSources.CONDITIONAL_ACCESS,
    entities: [Entities.NAMED_LOCATION, Entities.CONDITIONAL_ACCESS_POLICY],
    relationships: [Relationships.CA_POLICY_USES_NAMED_LOCATION],
    mappedRelationships: [MappedRelationships.CA_POLICY_USES_NAMED_LOCATION],
    executionHandler: fetchConditionalAccessPolicies,
  },
  {
    ...Steps.CONDITIONAL_ACCESS_TARGETS,
    ingestionSourceId: IngestionSources.CONDITIONAL_ACCESS,
    dependencyGraphId: RELATIONSHIP_GRAPH_ID,
    entities: [],
    relationships: TARGET_RELATIONSHIPS.direct,
    mappedRelationships: TARGET_RELATIONSHIPS.mapped,
    executionHandler: buildConditionalAccessRelationships,
  },
];
