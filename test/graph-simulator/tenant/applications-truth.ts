/**
 * Ground truth of the applications module (docs/applications-and-service-principals.md),
 * counted from the simulator's own objects and facts:
 * - one azure_service_principal per item of GET /servicePrincipals, one
 *   azure_app_registration per item of GET /applications;
 * - one azure_app_credential per password and key credential of each, and
 *   per federated identity credential of each app registration; its owner
 *   HAS it;
 * - app registration HAS the service principal with its appId;
 * - resource ASSIGNED client: one per distinct (resource, client service
 *   principal, app role) among the appRoleAssignedTo rows of resources that define app
 *   roles applications can hold; a resource that answers 404 is skipped; a
 *   client /servicePrincipals did not list is mapped; user and group rows
 *   are skipped;
 * - resource ALLOWS client: one per oauth2PermissionGrant whose resource was
 *   listed (else skipped); a client not listed is mapped;
 * - user or service principal OWNS app registration / service principal:
 *   one per distinct owner; an owner that was not listed is mapped.
 */
import { AppCatalogue } from './applications';
import { Directory, MemberType } from './directory';
import { GroundTruth } from './model';

export function countApplications(
  apps: AppCatalogue,
  directory: Directory,
  out: {
    entities: Record<string, number>;
    relationships: Record<string, number>;
    mapped: Record<string, number>;
    skipped: GroundTruth['skipped'];
  },
): void {
  const { entities, relationships, mapped, skipped } = out;
  const inc = (record: Record<string, number>, key: string, by = 1) => {
    record[key] = (record[key] ?? 0) + by;
  };
  const SP = 'azure_service_principal';
  const APP = 'azure_app_registration';
  // These are mapped where their other end is not collected.
  const mappable = [
    `${SP}|ASSIGNED|${SP}`,
    `${SP}|ALLOWS|${SP}`,
    `azure_user|OWNS|${APP}`,
    `azure_user|OWNS|${SP}`,
    `${SP}|OWNS|${APP}`,
    `${SP}|OWNS|${SP}`,
  ];
  for (const key of [
    `${APP}|HAS|${SP}`,
    `${APP}|HAS|azure_app_credential`,
    `${SP}|HAS|azure_app_credential`,
    ...mappable,
  ]) {
    relationships[key] = 0;
  }
  for (const key of mappable) mapped[key] = 0;
  const listed = (id: string) => apps.servicePrincipalIndex(id) >= 0;

  // ---- entities and credentials ----------------------------------------------------------
  entities[SP] = apps.servicePrincipals.count;
  entities[APP] = apps.applications.count;
  let credentials = 0;
  for (let i = 0; i < apps.servicePrincipals.count; i++) {
    const sp = apps.servicePrincipals.get(i);
    const n =
      (sp.keyCredentials as unknown[]).length +
      (sp.passwordCredentials as unknown[]).length;
    credentials += n;
    inc(relationships, `${SP}|HAS|azure_app_credential`, n);
  }
  for (let i = 0; i < apps.applications.count; i++) {
    const app = apps.applications.get(i);
    const n =
      (app.keyCredentials as unknown[]).length +
      (app.passwordCredentials as unknown[]).length +
      (apps.federated.get(i)?.length ?? 0);
    credentials += n;
    inc(relationships, `${APP}|HAS|azure_app_credential`, n);
    if (apps.spOfApp[i] >= 0) inc(relationships, `${APP}|HAS|${SP}`);
  }
  entities.azure_app_credential = credentials;

  // ---- application permissions -----------------------------------------------------------
  for (let r = 0; r < apps.servicePrincipals.count; r++) {
    if (!apps.applicationRoles(r).length) continue;
    const rows = apps.assignmentsByResource.get(r) ?? [];
    if (apps.deletedResources.has(r)) {
      skipped.resourcesDeletedBeforeAssignmentListing++;
      continue;
    }
    const seen = new Set<string>();
    for (const row of rows) {
      if (row.principalType !== 'ServicePrincipal') {
        skipped.userAndGroupAppRoleAssignments++;
        continue;
      }
      const assignment = `${row.principalId}|${row.appRoleId}`;
      if (seen.has(assignment)) continue;
      seen.add(assignment);
      inc(
        listed(row.principalId) ? relationships : mapped,
        `${SP}|ASSIGNED|${SP}`,
      );
    }
  }

  // ---- delegated grants -------------------------------------------------------------------
  for (const grant of apps.grants) {
    if (!listed(grant.resourceId)) {
      skipped.grantsOfUnknownResources++;
      continue;
    }
    inc(listed(grant.clientId) ? relationships : mapped, `${SP}|ALLOWS|${SP}`);
  }

  // ---- owners ---------------------------------------------------------------------------------
  const countOwners = (objectId: string, ownedType: string) => {
    for (const owner of new Set(apps.ownerIds(objectId) ?? [])) {
      const ref = directory.resolve(owner);
      if (ref?.type === MemberType.user)
        inc(relationships, `azure_user|OWNS|${ownedType}`);
      else if (ref?.type === MemberType.ghostUser)
        inc(mapped, `azure_user|OWNS|${ownedType}`);
      else
        inc(listed(owner) ? relationships : mapped, `${SP}|OWNS|${ownedType}`);
    }
  };
  for (let i = 0; i < apps.servicePrincipals.count; i++) {
    countOwners(apps.servicePrincipals.get(i).id as string, SP);
  }
  for (let i = 0; i < apps.applications.count; i++) {
    countOwners(apps.applications.get(i).id as string, APP);
  }
}
