/**
 * The tenant's app registrations and service principals, and what links
 * them: application permissions (appRoleAssignedTo), delegated grants
 * (oauth2PermissionGrants), owners and federated identity credentials.
 *
 * GET /servicePrincipals lists, in this order (ids guid(seed, servicePrincipal, i)):
 *   [member pool]        the service principals group members name (directory.ts);
 *   [first party]        Microsoft's, from the captured catalogue, Microsoft Graph first;
 *   [integration]        the app registrations the integration signs in with;
 *   [tenant apps]        this tenant's app registrations' service principals;
 *   [third party]        other organisations' applications;
 *   [managed identities]
 *   [social IdP, legacy] one of each.
 * GET /applications lists the app registration of every tenant-owned service
 * principal (pool, integration and tenant apps) in that order, then the app
 * registrations that have no service principal here.
 *
 * Everything is decided at construction (a few thousand objects on L) and
 * objects are built once, on first use.
 */
import { Collection, GraphObject } from './model';
import { APP_VENDORS } from './names';
import { TenantProfile } from './profiles';
import { guid, guidIndex, IdKind, isoSeconds, NOW_MS, rngFor } from './random';
import { federatedIdentityCredential, credentialKeyId } from './credentials';
import {
  AppRole,
  APP_CREDENTIAL_SALT,
  ApplicationSpec,
  buildApplication,
  buildServicePrincipal,
  firstPartyCatalogue,
  foreignTenantId,
  poolServicePrincipalSpec,
  ServicePrincipalKind,
  ServicePrincipalSpec,
} from './service-principals';

export interface AssignmentFact {
  /** Index of the resource service principal. */
  resource: number;
  principalId: string;
  principalType: 'ServicePrincipal' | 'User' | 'Group';
  principalDisplayName: string;
  appRoleId: string;
  created: number;
  /** Order of creation: makes the assignment id unique. */
  sequence: number;
}

export interface GrantFact {
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId: string | null;
  resourceId: string;
  scope: string;
}

const ZERO_ID = '00000000-0000-0000-0000-000000000000';

/** Microsoft Graph application permissions apps are often granted; the first ones are tier-0 or tenant-wide data access. */
const RISKY_GRAPH_ROLES = [
  'Directory.ReadWrite.All',
  'RoleManagement.ReadWrite.Directory',
  'Application.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
  'Mail.ReadWrite',
  'Mail.Send',
  'Files.ReadWrite.All',
  'Sites.FullControl.All',
  'User.ReadWrite.All',
];

const GRAPH_BASE_SCOPES = ['openid', 'profile', 'offline_access', 'User.Read'];
const GRAPH_EXTRA_SCOPES = [
  'Mail.ReadWrite',
  'Files.ReadWrite.All',
  'Directory.AccessAsUser.All',
  'Sites.ReadWrite.All',
  'Mail.Send',
  'Calendars.Read',
  'Contacts.Read',
  'Mail.Read',
];

const TENANT_APP_NAMES = [
  'Payroll Portal',
  'Intranet',
  'Expense Reports',
  'HR Onboarding',
  'Data Lake ETL',
  'Backup Automation',
  'Billing API',
  'Inventory API',
  'Orders API',
  'Reporting Service',
  'Terraform Deployer',
  'GitHub Deploy',
  'Monitoring Agent',
  'Jenkins',
  'Ticketing Bot',
];

const MANAGED_IDENTITY_RESOURCES = [
  'func',
  'aks',
  'vm',
  'logic',
  'automation',
  'adf',
];

/** A base64url id made of GUIDs' bytes, the way Graph builds appRoleAssignment and grant ids. */
function idFromGuids(...guids: string[]): string {
  const bytes = guids.flatMap((g) => {
    const hex = g.replace(/-/g, '');
    const b = Buffer.from(hex, 'hex');
    // GUID text puts its first three fields big-endian; their bytes are stored little-endian.
    return [b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], ...b.subarray(8)];
  });
  return Buffer.from(bytes).toString('base64url');
}

export class AppCatalogue {
  readonly specs: ServicePrincipalSpec[] = [];
  readonly appSpecs: ApplicationSpec[] = [];
  /** Service principal index of each app registration, or -1. */
  readonly spOfApp: number[] = [];
  readonly appOfSp = new Map<number, number>();
  readonly assignments: AssignmentFact[] = [];
  readonly assignmentsByResource = new Map<number, AssignmentFact[]>();
  readonly grants: GrantFact[] = [];
  /** Owner ids by owned object id (app or service principal). */
  readonly owners = new Map<string, string[]>();
  /** Federated identity credentials by app registration index. */
  readonly federated = new Map<number, GraphObject[]>();
  /** Resource service principals deleted after /servicePrincipals listed them. */
  readonly deletedResources = new Set<number>();
  /** Service principals deleted between lists (not in /servicePrincipals). */
  readonly ghostIds: string[];
  readonly poolSize: number;
  readonly graphIndex: number;

  readonly servicePrincipals: Collection;
  readonly applications: Collection;
  readonly oauth2PermissionGrants: Collection;

  private readonly spObjects: (GraphObject | undefined)[] = [];
  private readonly appObjects: (GraphObject | undefined)[] = [];
  private readonly seed: number;

  constructor(
    private readonly profile: TenantProfile,
    users: { count: number; id(index: number): string; ghostIds: string[] },
    groupIds: (index: number) => string,
    groupCount: number,
  ) {
    const a = profile.applications;
    const seed = (this.seed = profile.seed);
    const tenantId = profile.tenantId;
    this.poolSize = profile.directory.memberServicePrincipals;
    const add = (
      spec: Omit<ServicePrincipalSpec, 'index' | 'id' | 'seed' | 'tenantId'>,
    ) => {
      const index = this.specs.length;
      this.specs.push({
        ...spec,
        index,
        id: guid(seed, IdKind.servicePrincipal, index),
        seed,
        tenantId,
      });
    };

    // ---- service principals ----------------------------------------------------------
    for (let i = 0; i < this.poolSize; i++) {
      this.specs.push(
        poolServicePrincipalSpec(
          seed,
          guid(seed, IdKind.servicePrincipal, i),
          i,
          tenantId,
        ),
      );
    }
    const catalogue = firstPartyCatalogue();
    this.graphIndex =
      a.firstPartyServicePrincipals > 0 ? this.specs.length : -1;
    for (let k = 0; k < a.firstPartyServicePrincipals; k++) {
      const entry = catalogue[k % catalogue.length];
      const lap = Math.floor(k / catalogue.length);
      add({
        kind: 'firstParty',
        appId: lap ? guid(seed, IdKind.appId, 800_000 + k) : entry.appId,
        displayName: lap
          ? `${entry.displayName} (${lap + 1})`
          : entry.displayName,
        firstParty: lap
          ? { ...entry, appId: guid(seed, IdKind.appId, 800_000 + k) }
          : entry,
      });
    }
    profile.servicePrincipals.forEach((consented, k) =>
      add({
        kind: 'integration',
        appId: consented.clientId,
        displayName: `JupiterOne Microsoft 365${k ? ` ${k + 1}` : ''}`,
        signInAudience: 'AzureADMyOrg',
      }),
    );
    const firstTenantApp = this.specs.length;
    for (let k = 0; k < a.tenantApplications; k++) {
      const rng = rngFor(seed, IdKind.application, 600_000 + k, 1);
      const base = TENANT_APP_NAMES[k % TENANT_APP_NAMES.length];
      const lap = Math.floor(k / TENANT_APP_NAMES.length);
      const api = k === 1 || (k > 1 && rng.chance(0.1));
      const index = this.specs.length;
      add({
        kind: 'tenant',
        appId: guid(seed, IdKind.appId, 500_000 + k),
        displayName: `Contoso ${base}${lap ? ` ${lap + 1}` : ''}`,
        signInAudience: rng.chance(0.8)
          ? 'AzureADMyOrg'
          : 'AzureADMultipleOrgs',
        appRoles: api ? apiRoles(seed, index, base) : undefined,
      });
    }
    for (let k = 0; k < a.thirdPartyServicePrincipals; k++) {
      const vendor = APP_VENDORS[k % APP_VENDORS.length];
      const lap = Math.floor(k / APP_VENDORS.length);
      add({
        kind: 'thirdParty',
        appId: guid(seed, IdKind.appId, 600_000 + k),
        displayName: `${vendor} ${
          ['Connector', 'Sync', 'for Microsoft 365', 'Analytics'][k % 4]
        }${lap ? ` ${lap + 1}` : ''}`,
        ownerOrganizationId: foreignTenantId(seed, 1000 + k),
      });
    }
    for (let k = 0; k < a.managedIdentities; k++) {
      add({
        kind: 'managedIdentity',
        appId: guid(seed, IdKind.appId, 700_000 + k),
        displayName: `mi-${
          MANAGED_IDENTITY_RESOURCES[k % MANAGED_IDENTITY_RESOURCES.length]
        }-${k}`,
      });
    }
    add({
      kind: 'socialIdp',
      appId: guid(seed, IdKind.appId, 750_000),
      displayName: 'O365 LinkedIn Connection',
    });
    add({
      kind: 'legacy',
      appId: guid(seed, IdKind.appId, 750_001),
      displayName: 'Legacy Line-of-Business App',
    });

    // ---- app registrations -----------------------------------------------------------
    const addApp = (
      spIndex: number,
      spec: Omit<ApplicationSpec, 'index' | 'id' | 'seed' | 'tenantId'>,
    ) => {
      const index = this.appSpecs.length;
      this.appSpecs.push({
        ...spec,
        index,
        id: guid(seed, IdKind.application, index),
        seed,
        tenantId,
      });
      this.spOfApp.push(spIndex);
      if (spIndex >= 0) this.appOfSp.set(spIndex, index);
    };
    this.specs.forEach((spec, spIndex) => {
      if (spec.kind !== 'tenant' && spec.kind !== 'integration') return;
      addApp(spIndex, {
        appId: spec.appId,
        displayName: spec.displayName,
        signInAudience: spec.signInAudience ?? 'AzureADMyOrg',
        appRoles: spec.appRoles ?? [],
        integration: spec.kind === 'integration',
      });
    });
    for (let k = 0; k < a.applicationsWithoutServicePrincipal; k++) {
      addApp(-1, {
        appId: guid(seed, IdKind.appId, 900_000 + k),
        displayName: `Contoso Prototype ${k + 1}`,
        signInAudience: k % 2 ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
        appRoles: [],
      });
    }

    this.ghostIds = Array.from({ length: a.deletedServicePrincipals }, (_, k) =>
      guid(seed, IdKind.ghostServicePrincipal, k),
    );
    this.generateFederated();
    this.generateAssignments(users, groupIds, groupCount);
    this.generateGrants(users);
    this.generateOwners(users, firstTenantApp);

    this.servicePrincipals = {
      count: this.specs.length,
      get: (i) => this.listedServicePrincipal(i),
    };
    this.applications = {
      count: this.appSpecs.length,
      get: (i) => this.application(i),
    };
    this.oauth2PermissionGrants = {
      count: this.grants.length,
      get: (i) => this.grantObject(this.grants[i]),
    };
  }

  // ---- objects -----------------------------------------------------------------------

  /** A service principal with '@odata.type' (as member lists and owner lists show it). */
  servicePrincipal(index: number): GraphObject {
    let object = this.spObjects[index];
    if (!object)
      object = this.spObjects[index] = buildServicePrincipal(this.specs[index]);
    return object;
  }

  /** A service principal as GET /servicePrincipals lists it: no '@odata.type'. */
  private listedServicePrincipal(index: number): GraphObject {
    const { '@odata.type': _, ...listed } = this.servicePrincipal(index);
    return listed;
  }

  application(index: number): GraphObject {
    let object = this.appObjects[index];
    if (!object)
      object = this.appObjects[index] = buildApplication(this.appSpecs[index]);
    return object;
  }

  servicePrincipalIndex(id: string): number {
    return guidIndex(this.seed, IdKind.servicePrincipal, id, this.specs.length);
  }

  applicationIndex(id: string): number {
    return guidIndex(this.seed, IdKind.application, id, this.appSpecs.length);
  }

  /** Any listed service principal or app registration by id, with '@odata.type'. */
  directoryObject(id: string): GraphObject | undefined {
    const sp = this.servicePrincipalIndex(id);
    if (sp >= 0) return this.servicePrincipal(sp);
    const app = this.applicationIndex(id);
    if (app >= 0)
      return {
        '@odata.type': '#microsoft.graph.application',
        ...this.application(app),
      };
    return undefined;
  }

  /** appRoleAssignedTo of a resource; undefined when it is unknown or was deleted after the list. */
  appRoleAssignedTo(resourceId: string): GraphObject[] | undefined {
    const index = this.servicePrincipalIndex(resourceId);
    if (index < 0 || this.deletedResources.has(index)) return undefined;
    const resource = this.specs[index];
    return (this.assignmentsByResource.get(index) ?? []).map((fact) => ({
      id: idFromGuids(
        fact.principalId,
        guid(this.seed, IdKind.appRole, 2_000_000 + fact.sequence),
      ),
      deletedDateTime: null,
      appRoleId: fact.appRoleId,
      // Microseconds, as recorded (HAR ad-service-principal-app-role-assigned-to).
      createdDateTime: isoSeconds(fact.created).replace(
        'Z',
        `.${String(
          (fact.created % 1000) * 1000 + (fact.sequence % 1000),
        ).padStart(6, '0')}Z`,
      ),
      principalDisplayName: fact.principalDisplayName,
      principalId: fact.principalId,
      principalType: fact.principalType,
      resourceDisplayName: resource.displayName,
      resourceId,
    }));
  }

  private grantObject(fact: GrantFact): GraphObject {
    const id = idFromGuids(
      fact.clientId,
      fact.resourceId,
      ...(fact.principalId ? [fact.principalId] : []),
    );
    return {
      '@odata.id': `https://graph.microsoft.com/v2/${this.profile.tenantId}/oauth2PermissionGrants/${id}`,
      clientId: fact.clientId,
      consentType: fact.consentType,
      id,
      principalId: fact.principalId,
      resourceId: fact.resourceId,
      scope: fact.scope,
    };
  }

  /** Owners of an app registration or service principal; undefined when there is no such object. */
  ownerIds(objectId: string): string[] | undefined {
    if (
      this.servicePrincipalIndex(objectId) < 0 &&
      this.applicationIndex(objectId) < 0
    )
      return undefined;
    return this.owners.get(objectId) ?? [];
  }

  federatedIdentityCredentials(
    applicationId: string,
  ): GraphObject[] | undefined {
    const index = this.applicationIndex(applicationId);
    return index < 0 ? undefined : this.federated.get(index) ?? [];
  }

  kindOf(index: number): ServicePrincipalKind {
    return this.specs[index].kind;
  }

  /** App roles of a service principal that applications can hold. */
  applicationRoles(index: number): AppRole[] {
    const spec = this.specs[index];
    const roles = spec.firstParty?.appRoles ?? spec.appRoles ?? [];
    return roles.filter((role) =>
      role.allowedMemberTypes.includes('Application'),
    );
  }

  // ---- generation --------------------------------------------------------------------

  private clientsOf(...kinds: ServicePrincipalKind[]): number[] {
    const out: number[] = [];
    this.specs.forEach((spec, i) => {
      if (kinds.includes(spec.kind)) out.push(i);
    });
    return out;
  }

  private generateFederated(): void {
    this.appSpecs.forEach((spec, index) => {
      if (spec.integration) return;
      const rng = rngFor(this.seed, IdKind.application, index, 3);
      if (!(index === 0 || rng.chance(0.2))) return;
      const count = 1 + rng.int(3);
      this.federated.set(
        index,
        Array.from({ length: count }, (_, k) =>
          federatedIdentityCredential(
            rng,
            credentialKeyId(this.seed, APP_CREDENTIAL_SALT, index, 8 + k),
            this.profile.tenantId,
            spec.displayName,
          ),
        ),
      );
    });
  }

  private addAssignment(assignment: Omit<AssignmentFact, 'sequence'>): void {
    const list = this.assignmentsByResource.get(assignment.resource) ?? [];
    if (
      list.some(
        (f) =>
          f.principalId === assignment.principalId &&
          f.appRoleId === assignment.appRoleId,
      )
    )
      return;
    const fact = { ...assignment, sequence: this.assignments.length };
    list.push(fact);
    this.assignmentsByResource.set(fact.resource, list);
    this.assignments.push(fact);
  }

  private generateAssignments(
    users: { count: number; id(index: number): string },
    groupIds: (index: number) => string,
    groupCount: number,
  ): void {
    const a = this.profile.applications;
    const rng = rngFor(this.seed, IdKind.appRole, 0, 1);
    const created = () => NOW_MS - rng.int(900 * 86400) * 1000 - rng.int(1000);
    const graph = this.graphIndex;
    const resources = this.specs
      .map((_, i) => i)
      .filter((i) => i !== graph && this.applicationRoles(i).length > 0);
    const tenantApis = resources.filter((i) => this.specs[i].kind === 'tenant');
    const firstPartyResources = resources.filter(
      (i) => this.specs[i].kind === 'firstParty',
    );
    const assign = (
      client: number | string,
      displayName: string,
      resource: number,
      role: AppRole,
    ) =>
      this.addAssignment({
        resource,
        principalId:
          typeof client === 'string' ? client : this.specs[client].id,
        principalType: 'ServicePrincipal',
        principalDisplayName: displayName,
        appRoleId: role.id,
        created: created(),
      });
    const roleNamed = (resource: number, value: string) =>
      this.applicationRoles(resource).find((role) => role.value === value);

    // The integration's own app holds exactly the roles its token carries.
    this.specs.forEach((spec, i) => {
      if (spec.kind !== 'integration' || graph < 0) return;
      const consented = this.profile.servicePrincipals.find(
        (sp) => sp.clientId === spec.appId,
      );
      for (const value of consented?.roles ?? []) {
        const role = roleNamed(graph, value);
        if (role) assign(i, spec.displayName, graph, role);
      }
    });

    const clients = this.clientsOf('tenant', 'thirdParty', 'managedIdentity');
    // The first third-party app always holds a risky permission.
    const firstThirdParty = clients.find(
      (c) => this.specs[c].kind === 'thirdParty',
    );
    clients.forEach((client) => {
      const forced = client === firstThirdParty;
      if (!forced && !rng.chance(a.applicationPermissionShare)) return;
      const r = rng.next();
      const candidates =
        r < 0.75 && graph >= 0
          ? [graph]
          : r < 0.9 && firstPartyResources.length
          ? firstPartyResources
          : tenantApis.filter((i) => i !== client);
      if (!candidates.length) return;
      const resource = forced && graph >= 0 ? graph : rng.pick(candidates);
      const roles = this.applicationRoles(resource);
      const picked = new Set<AppRole>();
      if (resource === graph && (forced || rng.chance(0.3))) {
        const risky = roleNamed(
          graph,
          RISKY_GRAPH_ROLES[rng.int(RISKY_GRAPH_ROLES.length)],
        );
        if (risky) picked.add(risky);
      }
      const count = 1 + rng.weighted([4, 3, 2, 1]);
      while (picked.size < Math.min(count, roles.length))
        picked.add(rng.pick(roles));
      for (const role of picked)
        assign(client, this.specs[client].displayName, resource, role);
    });

    // Clients deleted between /servicePrincipals and appRoleAssignedTo (mapped).
    this.ghostIds.forEach((ghost, k) => {
      const role = graph >= 0 ? roleNamed(graph, 'User.Read.All') : undefined;
      if (role) assign(ghost, `Deleted automation ${k + 1}`, graph, role);
    });

    // On this tenant's APIs: a default-access assignment, one of a removed role, and users and groups.
    const api = tenantApis[0];
    if (api !== undefined) {
      const others = clients.filter(
        (c) => c !== api && this.specs[c].kind === 'tenant',
      );
      const client = others[0] ?? clients.find((c) => c !== api);
      if (client !== undefined) {
        const name = this.specs[client].displayName;
        assign(client, name, api, { id: ZERO_ID } as AppRole);
        assign(client, name, api, {
          id: guid(this.seed, IdKind.appRole, 999_999),
        } as AppRole);
      }
      const userRole = (this.specs[api].appRoles ?? []).find((role) =>
        role.allowedMemberTypes.includes('User'),
      );
      for (let u = 0; u < Math.min(3, users.count); u++) {
        this.addAssignment({
          resource: api,
          principalId: users.id(u),
          principalType: 'User',
          principalDisplayName: `User ${u}`,
          appRoleId: userRole?.id ?? ZERO_ID,
          created: created(),
        });
      }
      if (groupCount > 0) {
        this.addAssignment({
          resource: api,
          principalId: groupIds(0),
          principalType: 'Group',
          principalDisplayName: 'Group 0',
          appRoleId: userRole?.id ?? ZERO_ID,
          created: created(),
        });
      }
    }

    // Resource service principals deleted after the list: their appRoleAssignedTo is a 404.
    const deletable = [
      ...tenantApis.slice(1).reverse(),
      ...firstPartyResources.slice().reverse(),
    ];
    for (const resource of deletable.slice(0, a.deletedResources))
      this.deletedResources.add(resource);
  }

  private generateGrants(users: {
    count: number;
    id(index: number): string;
  }): void {
    const a = this.profile.applications;
    const graph = this.graphIndex;
    if (graph < 0) return;
    const rng = rngFor(this.seed, IdKind.appRole, 1, 1);
    const resourceId = this.specs[graph].id;
    const scopes = (extra: number) => {
      const list = [...GRAPH_BASE_SCOPES];
      for (let i = 0; i < extra; i++) {
        const scope = rng.pick(GRAPH_EXTRA_SCOPES);
        if (!list.includes(scope)) list.push(scope);
      }
      return list.join(' ');
    };
    const clients = this.clientsOf('tenant', 'thirdParty');
    const firstThirdParty = clients.find(
      (c) => this.specs[c].kind === 'thirdParty',
    );
    for (const client of clients) {
      const forced = client === firstThirdParty;
      if (!forced && !rng.chance(a.tenantWideConsentShare)) continue;
      this.grants.push({
        clientId: this.specs[client].id,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId,
        scope: forced
          ? `${scopes(0)} Mail.ReadWrite Files.ReadWrite.All`
          : scopes(rng.chance(0.35) ? 1 + rng.int(2) : 0),
      });
    }
    const seen = new Set<string>();
    for (let k = 0; k < a.userConsents && clients.length && users.count; k++) {
      const client = this.specs[rng.pick(clients)].id;
      const user = users.id(rng.int(users.count));
      if (seen.has(`${client}|${user}`)) continue;
      seen.add(`${client}|${user}`);
      this.grants.push({
        clientId: client,
        consentType: 'Principal',
        principalId: user,
        resourceId,
        scope: rng.chance(0.2)
          ? `${GRAPH_BASE_SCOPES.join(' ')} Mail.Read`
          : GRAPH_BASE_SCOPES.join(' '),
      });
    }
    // A consent of a client deleted between lists (mapped), and one to a resource that is gone (skipped).
    for (const ghost of this.ghostIds) {
      this.grants.push({
        clientId: ghost,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId,
        scope: 'User.Read',
      });
    }
    if (a.deletedResources > 0 && clients.length) {
      this.grants.push({
        clientId: this.specs[clients[0]].id,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId: guid(this.seed, IdKind.ghostServicePrincipal, 50_000),
        scope: 'user_impersonation',
      });
    }
  }

  private generateOwners(
    users: { count: number; id(index: number): string; ghostIds: string[] },
    firstTenantApp: number,
  ): void {
    const rng = rngFor(this.seed, IdKind.appRole, 2, 1);
    const setOwners = (objectId: string, ids: string[]) => {
      const distinct = Array.from(new Set(ids));
      if (distinct.length) this.owners.set(objectId, distinct);
    };
    const ownerSps = this.clientsOf('tenant', 'managedIdentity');
    const drawOwner = (): string => {
      const r = rng.next();
      if (r < 0.05 && users.ghostIds.length) return rng.pick(users.ghostIds);
      if ((r < 0.15 && ownerSps.length) || !users.count)
        return this.specs[rng.pick(ownerSps)].id;
      return users.id(rng.int(users.count));
    };
    this.appSpecs.forEach((app, index) => {
      const sp = this.spOfApp[index];
      if (app.integration) {
        if (users.count) setOwners(app.id, [users.id(0)]);
        return;
      }
      const many = sp === firstTenantApp;
      if (many) {
        // More owners than $expand returns (20): the integration must list them in full.
        const everyone = [
          ...Array.from({ length: users.count }, (_, u) => users.id(u)),
          ...ownerSps.map((s) => this.specs[s].id),
        ];
        setOwners(app.id, everyone.slice(0, 25));
        setOwners(this.specs[sp].id, everyone.slice(1, 23));
        return;
      }
      if (users.count || ownerSps.length) {
        setOwners(
          app.id,
          Array.from({ length: rng.weighted([2, 5, 3, 1]) }, drawOwner),
        );
        if (sp >= 0)
          setOwners(
            this.specs[sp].id,
            Array.from({ length: rng.weighted([4, 4, 2]) }, drawOwner),
          );
      }
    });
    // Owners deleted between lists (mapped): a service principal and a user
    // of one app registration and of its service principal.
    const secondApp = this.appSpecs.findIndex(
      (app, i) => !app.integration && this.spOfApp[i] > firstTenantApp,
    );
    if (secondApp >= 0) {
      const deleted = [
        ...this.ghostIds.slice(0, 1),
        ...users.ghostIds.slice(0, 1),
      ];
      const appId = this.appSpecs[secondApp].id;
      setOwners(appId, [...(this.owners.get(appId) ?? []), ...deleted]);
      const spId = this.specs[this.spOfApp[secondApp]].id;
      setOwners(spId, [...(this.owners.get(spId) ?? []), ...deleted]);
    }
  }
}

/** App roles of one of this tenant's APIs: two for applications, one for users. */
function apiRoles(seed: number, spIndex: number, name: string): AppRole[] {
  const scope = name.replace(/[^A-Za-z]/g, '');
  const role = (
    k: number,
    value: string,
    members: string[],
    what: string,
  ): AppRole => ({
    allowedMemberTypes: members,
    description: `${what} ${name}`,
    displayName: `${what} ${name}`,
    id: guid(seed, IdKind.appRole, spIndex * 8 + k),
    isEnabled: true,
    origin: 'Application',
    value,
  });
  return [
    role(0, `${scope}.Read.All`, ['Application'], 'Read all of'),
    role(1, `${scope}.ReadWrite.All`, ['Application'], 'Read and write all of'),
    role(2, `${scope}.User`, ['User'], 'Use'),
  ];
}
