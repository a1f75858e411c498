/**
 * The permissions the tenant has granted to applications:
 *
 * - fetch-application-permissions: application permissions, read from the
 *   resource side: appRoleAssignedTo of each service principal that defines
 *   app roles applications can hold (one request per resource, 20 to a
 *   `$batch`; never one per client). One `resource ASSIGNED client`
 *   relationship per assignment, with the permission's name resolved from
 *   the resource's app roles.
 * - fetch-delegated-permission-grants: /oauth2PermissionGrants, one list.
 *   One `resource ALLOWS client` relationship per grant, with its scopes and
 *   whether it covers every user (AllPrincipals) or one (Principal).
 *
 * Both flag high-privilege permissions from high-privilege.ts.
 */
import { RelationshipClass } from '@jupiterone/integration-sdk-core';
import { graphClientOf, IntegrationStepContext } from '../../config';
import {
  forEachAppRoleAssignedToPage,
  GraphAppRoleAssignment,
  GraphOAuth2PermissionGrant,
  iterateOAuth2PermissionGrantPages,
} from '../../graph/applications';
import { Entities, MappedRelationships, Steps } from '../constants';
import { presentString, presentText, toEpochMs } from '../convert';
import { writingGraphObjects } from '../graph-objects';
import { brief, StepProgress } from '../progress';
import { requireStepPermissions } from '../require-permissions';
import { relationshipBetween } from './converters';
import {
  collectedServicePrincipals,
  isCollectedServicePrincipal,
  requireData,
  ResourceRoles,
  SERVICE_PRINCIPAL_INDEX_DATA_KEY,
  ServicePrincipalIndex,
} from './data';
import { highPrivilegeOf, PrivilegeTier } from './high-privilege';

const DEFAULT_ACCESS_ROLE = '00000000-0000-0000-0000-000000000000';

function indexOf(context: IntegrationStepContext, step: { name: string }) {
  return requireData<ServicePrincipalIndex>(
    context.jobState,
    SERVICE_PRINCIPAL_INDEX_DATA_KEY,
    step.name,
    Steps.SERVICE_PRINCIPALS.name,
    'which service principals exist is unknown',
  );
}

/** The properties of one application permission (one appRoleAssignment). */
export function assignmentProperties(
  assignment: GraphAppRoleAssignment,
  resource: ResourceRoles,
) {
  const roleId = presentString(assignment.appRoleId) ?? DEFAULT_ACCESS_ROLE;
  const permission = resource.roles.get(roleId);
  const high = highPrivilegeOf('application', resource.appId, permission);
  return {
    appRoleId: roleId,
    permission,
    defaultAccess: roleId === DEFAULT_ACCESS_ROLE || undefined,
    highPrivilege: Boolean(high),
    privilegeTier: high?.tier,
    assignedOn: toEpochMs(assignment.createdDateTime),
  };
}

export async function fetchApplicationPermissions(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.APPLICATION_PERMISSIONS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const step = Steps.APPLICATION_PERMISSIONS;
  const progress = new StepProgress(logger, client, step.name);
  const index = await indexOf(context, step);
  const collected = await collectedServicePrincipals(jobState);
  const written = new Set<string>();
  const unresolved = new Map<string, number>();

  await writingGraphObjects(jobState, async (writer) => {
    const onPage = async (
      resourceId: string,
      assignments: GraphAppRoleAssignment[],
    ) => {
      const resource = index.resources.get(resourceId) as ResourceRoles;
      for (const assignment of assignments) {
        const clientId = presentString(assignment?.principalId);
        if (assignment?.principalType !== 'ServicePrincipal' || !clientId) {
          // Users and groups assigned to an app: not application permissions.
          progress.add(
            `assignmentsTo${assignment?.principalType ?? 'Unknown'}`,
          );
          continue;
        }
        const properties = assignmentProperties(assignment, resource);
        if (!properties.permission && !properties.defaultAccess) {
          const label = `${resourceId} ${properties.appRoleId}`;
          unresolved.set(label, (unresolved.get(label) ?? 0) + 1);
        }
        const isCollected = isCollectedServicePrincipal(collected, clientId);
        const relationship = relationshipBetween({
          _class: RelationshipClass.ASSIGNED,
          from: { _key: resourceId, metadata: Entities.SERVICE_PRINCIPAL },
          to: {
            _key: clientId,
            metadata: Entities.SERVICE_PRINCIPAL,
            displayName: presentText(assignment.principalDisplayName),
          },
          anchor: 'from',
          collected: isCollected,
          mapped:
            MappedRelationships.SERVICE_PRINCIPAL_ASSIGNED_SERVICE_PRINCIPAL,
          discriminator: properties.appRoleId,
          properties,
        });
        if (written.has(relationship._key)) continue;
        written.add(relationship._key);
        writer.addRelationship(relationship);
        progress.add(
          `applicationPermissions${isCollected ? '' : ' (mapped)'}${
            properties.highPrivilege ? ' highPrivilege' : ''
          }`,
        );
      }
      await writer.drain();
    };
    await forEachAppRoleAssignedToPage(
      client,
      Array.from(index.resources.keys()),
      onPage,
      {
        onNotFound: (resourceId) => {
          progress.add('resourcesDeletedBeforeAssignmentListing');
          logger.info(
            { resourceId },
            'A service principal listed by /servicePrincipals no longer exists (404); its application permissions are skipped',
          );
        },
      },
    );
  });
  if (unresolved.size) {
    // Kept, not lost: an oddity of the tenant rather than something to fix here.
    logger.info(
      { appRoleIds: Object.fromEntries(unresolved) },
      `${step.name}: ${Array.from(unresolved.values()).reduce(
        (a, b) => a + b,
        0,
      )} application permissions name an app role their resource no longer defines; they are kept with the role id and no permission name.`,
    );
  }
  progress.done({ resources: index.resources.size });
}

const TIER_ORDER: PrivilegeTier[] = ['tenant-takeover', 'data-access'];

/** The properties of one delegated permission grant. */
export function grantProperties(
  grant: GraphOAuth2PermissionGrant,
  resourceAppId: string | undefined,
) {
  const scopes = Array.from(
    new Set((grant.scope ?? '').split(/\s+/).filter(Boolean)),
  ).sort();
  const high = scopes
    .map((scope) => highPrivilegeOf('delegated', resourceAppId, scope))
    .filter((row): row is NonNullable<typeof row> => Boolean(row));
  const consentType = presentString(grant.consentType);
  return {
    grantId: presentString(grant.id),
    consentType,
    tenantWide: consentType === 'AllPrincipals',
    principalId: presentString(grant.principalId),
    scope: scopes.join(' ') || undefined,
    highPrivilege: high.length > 0,
    highPrivilegeScopes:
      high.map((row) => row.permission).join(' ') || undefined,
    privilegeTier: TIER_ORDER.find((tier) =>
      high.some((row) => row.tier === tier),
    ),
  };
}

export async function fetchDelegatedPermissionGrants(
  context: IntegrationStepContext,
): Promise<void> {
  await requireStepPermissions(context, Steps.DELEGATED_PERMISSIONS.id);
  const { jobState, logger } = context;
  const client = graphClientOf(context);
  const step = Steps.DELEGATED_PERMISSIONS;
  const progress = new StepProgress(logger, client, step.name);
  const index = await indexOf(context, step);
  const collected = await collectedServicePrincipals(jobState);
  const unknownResources: string[] = [];

  await writingGraphObjects(jobState, async (writer) => {
    for await (const page of iterateOAuth2PermissionGrantPages(client)) {
      for (const grant of page) {
        const resourceId = presentString(grant?.resourceId);
        const clientId = presentString(grant?.clientId);
        if (
          !resourceId ||
          !clientId ||
          !isCollectedServicePrincipal(collected, resourceId)
        ) {
          progress.add('grantsOfUnknownResources');
          if (resourceId && unknownResources.length < 5)
            unknownResources.push(brief(resourceId));
          continue;
        }
        const properties = grantProperties(
          grant,
          index.appIdOf.get(resourceId),
        );
        const isCollected = isCollectedServicePrincipal(collected, clientId);
        writer.addRelationship(
          relationshipBetween({
            _class: RelationshipClass.ALLOWS,
            from: { _key: resourceId, metadata: Entities.SERVICE_PRINCIPAL },
            to: { _key: clientId, metadata: Entities.SERVICE_PRINCIPAL },
            anchor: 'from',
            collected: isCollected,
            mapped:
              MappedRelationships.SERVICE_PRINCIPAL_ALLOWS_SERVICE_PRINCIPAL,
            discriminator: properties.principalId ?? 'AllPrincipals',
            properties,
          }),
        );
        progress.add(
          `delegatedGrants:${properties.consentType}${
            isCollected ? '' : ' (mapped)'
          }${properties.highPrivilege ? ' highPrivilege' : ''}`,
        );
      }
      await writer.drain();
    }
  });
  if (progress.count('grantsOfUnknownResources')) {
    logger.info(
      { exampleResourceIds: unknownResources },
      `${step.name}: ${progress.count(
        'grantsOfUnknownResources',
      )} delegated grants name a resource service principal /servicePrincipals did not list (deleted between the calls); they are skipped.`,
    );
  }
  progress.done();
}
