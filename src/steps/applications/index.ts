/**
 * App registrations and service principals: what can act in the tenant
 * without a person, with which permissions, and until when
 * (docs/applications-and-service-principals.md).
 *
 *   fetch-service-principals ─┬─ fetch-applications
 *                             ├─ fetch-application-permissions
 *                             └─ fetch-delegated-permission-grants
 *   (after every collection step) build-application-owner-relationships
 *
 * All on the directory's resource-unit budget, shared with the other steps.
 */
import { IntegrationStep } from '@jupiterone/integration-sdk-core';
import { IntegrationConfig } from '../../config';
import {
  Entities,
  IngestionSources,
  MappedRelationships,
  Relationships,
  RELATIONSHIP_GRAPH_ID,
  Steps,
} from '../constants';
import { fetchApplications } from './app-registrations';
import { buildOwnerRelationships } from './owners';
import {
  fetchApplicationPermissions,
  fetchDelegatedPermissionGrants,
} from './permissions-granted';
import { fetchServicePrincipals } from './service-principals';

export const applicationsSteps: IntegrationStep<IntegrationConfig>[] = [
  {
    ...Steps.SERVICE_PRINCIPALS,
    ingestionSourceId: IngestionSources.APPLICATIONS,
    entities: [Entities.SERVICE_PRINCIPAL, Entities.APP_CREDENTIAL],
    relationships: [Relationships.SERVICE_PRINCIPAL_HAS_CREDENTIAL],
    executionHandler: fetchServicePrincipals,
  },
  {
    ...Steps.APPLICATIONS,
    ingestionSourceId: IngestionSources.APPLICATIONS,
    entities: [Entities.APP_REGISTRATION, Entities.APP_CREDENTIAL],
    relationships: [
      Relationships.APP_REGISTRATION_HAS_SERVICE_PRINCIPAL,
      Relationships.APP_REGISTRATION_HAS_CREDENTIAL,
    ],
    dependsOn: [Steps.SERVICE_PRINCIPALS.id],
    executionHandler: fetchApplications,
  },
  {
    ...Steps.APPLICATION_PERMISSIONS,
    ingestionSourceId: IngestionSources.APPLICATIONS,
    entities: [],
    relationships: [Relationships.SERVICE_PRINCIPAL_ASSIGNED_SERVICE_PRINCIPAL],
    mappedRelationships: [
      MappedRelationships.SERVICE_PRINCIPAL_ASSIGNED_SERVICE_PRINCIPAL,
    ],
    dependsOn: [Steps.SERVICE_PRINCIPALS.id],
    executionHandler: fetchApplicationPermissions,
  },
  {
    ...Steps.DELEGATED_PERMISSIONS,
    ingestionSourceId: IngestionSources.APPLICATIONS,
    entities: [],
    relationships: [Relationships.SERVICE_PRINCIPAL_ALLOWS_SERVICE_PRINCIPAL],
    mappedRelationships: [
      MappedRelationships.SERVICE_PRINCIPAL_ALLOWS_SERVICE_PRINCIPAL,
    ],
    dependsOn: [Steps.SERVICE_PRINCIPALS.id],
    executionHandler: fetchDelegatedPermissionGrants,
  },
  {
    ...Steps.APPLICATION_OWNERS,
    ingestionSourceId: IngestionSources.APPLICATIONS,
    dependencyGraphId: RELATIONSHIP_GRAPH_ID,
    entities: [],
    relationships: [
      Relationships.USER_OWNS_APP_REGISTRATION,
      Relationships.USER_OWNS_SERVICE_PRINCIPAL,
      Relationships.SERVICE_PRINCIPAL_OWNS_APP_REGISTRATION,
      Relationships.SERVICE_PRINCIPAL_OWNS_SERVICE_PRINCIPAL,
    ],
    mappedRelationships: [
      MappedRelationships.USER_OWNS_APP_REGISTRATION,
      MappedRelationships.USER_OWNS_SERVICE_PRINCIPAL,
      MappedRelationships.SERVICE_PRINCIPAL_OWNS_APP_REGISTRATION,
      MappedRelationships.SERVICE_PRINCIPAL_OWNS_SERVICE_PRINCIPAL,
    ],
    executionHandler: buildOwnerRelationships,
  },
];
