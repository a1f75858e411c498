/**
 * Service principals and app registrations as Graph lists them (v1.0 wire
 * order of HAR ad-service-principals; the application shape from the v1.0
 * application resource, UNCONFIRMED order), built from a small spec.
 *
 * Kinds, as a security team tells them apart:
 * - firstParty: Microsoft's applications (appOwnerOrganizationId the
 *   Microsoft Services or AME tenant), from the captured catalogue, so their
 *   app ids, names and app roles (Microsoft Graph's 396) are real;
 * - integration: the app registration the integration itself signs in with;
 * - tenant: app registrations of this tenant and their service principals;
 * - thirdParty: applications published by another organisation;
 * - managedIdentity, socialIdp, legacy: no owning organisation.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  credentialKeyId,
  drawExpiry,
  keyCredential,
  managedIdentityCertificates,
  passwordCredential,
} from './credentials';
import { GraphObject } from './model';
import { EXTERNAL_DOMAINS, SERVICE_PRINCIPAL_NAMES } from './names';
import { guid, IdKind, isoSeconds, pastMs, Rng, rngFor } from './random';

export const MICROSOFT_SERVICES_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export type ServicePrincipalKind =
  | 'firstParty'
  | 'integration'
  | 'tenant'
  | 'thirdParty'
  | 'managedIdentity'
  | 'socialIdp'
  | 'legacy';

export interface AppRole {
  allowedMemberTypes: string[];
  description: string;
  displayName: string;
  id: string;
  isEnabled: boolean;
  origin: string;
  value: string;
}

export interface FirstPartyEntry {
  appId: string;
  displayName: string;
  appOwnerOrganizationId: string;
  signInAudience: string | null;
  homepage: string | null;
  tags: string[];
  servicePrincipalNames: string[];
  appRoles: AppRole[];
  oauth2PermissionScopes: GraphObject[];
}

let catalogue: FirstPartyEntry[] | undefined;

/** The captured first-party service principals (test/fixtures/graph-recordings/entra/README.md), Microsoft Graph first. */
export function firstPartyCatalogue(): FirstPartyEntry[] {
  catalogue ??= JSON.parse(
    readFileSync(
      join(
        __dirname,
        '..',
        '..',
        'fixtures',
        'graph-recordings',
        'entra',
        'first-party-service-principals.json',
      ),
      'utf8',
    ),
  ).servicePrincipals as FirstPartyEntry[];
  return catalogue;
}

/** What decides a service principal's object; everything else is drawn from `rng`. */
export interface ServicePrincipalSpec {
  kind: ServicePrincipalKind;
  /** Global index in GET /servicePrincipals (ids are guid(seed, servicePrincipal, index)). */
  index: number;
  id: string;
  appId: string;
  displayName: string;
  tenantId: string;
  seed: number;
  /** The owning organisation of a third-party app. */
  ownerOrganizationId?: string;
  firstParty?: FirstPartyEntry;
  /** App roles the app defines (an API of this tenant). */
  appRoles?: AppRole[];
  signInAudience?: string;
}

/** Salt of service principals in the credential key-id space (credentials.ts). */
const SP_CREDENTIAL_SALT = 1;
/** Salt of app registrations in the credential key-id space. */
export const APP_CREDENTIAL_SALT = 2;

/**
 * What kind of service principal member-pool index `index` is: the pool
 * (the service principals group members can name) mixes managed
 * identities, this tenant's apps and third-party apps.
 */
export function poolServicePrincipalKind(
  seed: number,
  index: number,
): ServicePrincipalKind {
  // Index 0 is always a tenant app, 1 a third-party app: every tenant has both as group members.
  if (index === 0) return 'tenant';
  if (index === 1) return 'thirdParty';
  const r = rngFor(seed, IdKind.servicePrincipal, index, 1).next();
  return r < 0.15 ? 'managedIdentity' : r < 0.6 ? 'tenant' : 'thirdParty';
}

/** The spec of member-pool service principal `index`. */
export function poolServicePrincipalSpec(
  seed: number,
  id: string,
  index: number,
  tenantId: string,
): ServicePrincipalSpec {
  const kind = poolServicePrincipalKind(seed, index);
  const base = SERVICE_PRINCIPAL_NAMES[index % SERVICE_PRINCIPAL_NAMES.length];
  const lap = Math.floor(index / SERVICE_PRINCIPAL_NAMES.length);
  return {
    kind,
    index,
    id,
    appId: guid(seed, IdKind.appId, index),
    displayName: `${kind === 'managedIdentity' ? 'mi-' : ''}${base}${
      lap ? ` ${lap + 1}` : ''
    }`,
    tenantId,
    seed,
    ownerOrganizationId:
      kind === 'thirdParty' ? foreignTenantId(seed, index) : undefined,
    signInAudience: kind === 'tenant' ? 'AzureADMyOrg' : undefined,
  };
}

/** A third-party publisher's tenant: a few publishers own many apps. */
export function foreignTenantId(seed: number, index: number): string {
  return guid(seed, IdKind.foreignTenant, index % 23);
}

const PUBLISHERS = [
  'Fabrikam, Inc.',
  'Northwind Traders',
  'Tailspin Toys',
  'Litware Inc.',
  'Proseware, Inc.',
  'Adatum Corporation',
];

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** The service principal as a directoryObjects collection lists it ('@odata.type' first). */
export function buildServicePrincipal(spec: ServicePrincipalSpec): GraphObject {
  const { kind, id, appId, displayName, seed, index } = spec;
  const rng = rngFor(seed, IdKind.servicePrincipal, index, 2);
  const fp = spec.firstParty;
  const mi = kind === 'managedIdentity';
  const ownerless = mi || kind === 'socialIdp' || kind === 'legacy';
  const ours = kind === 'tenant' || kind === 'integration';
  const saml = (kind === 'tenant' || kind === 'thirdParty') && rng.chance(0.25);
  const created = pastMs(rng, 10, 1500);

  const keyCredentials: GraphObject[] = [];
  const passwordCredentials: GraphObject[] = [];
  let slot = 0;
  const nextKeyId = () =>
    credentialKeyId(seed, SP_CREDENTIAL_SALT, index, slot++);
  if (mi) {
    keyCredentials.push(
      ...managedIdentityCertificates(
        rng,
        seed,
        SP_CREDENTIAL_SALT,
        index,
        appId,
      ),
    );
  } else if (saml) {
    // A SAML signing certificate: a Sign and a Verify key and the password of its private key.
    const expiry = drawExpiry(rng);
    const signing = keyCredential(
      rng,
      nextKeyId(),
      expiry,
      `CN=Microsoft Azure Federated SSO Certificate`,
      'Sign',
    );
    const verify = {
      ...keyCredential(
        rng,
        nextKeyId(),
        expiry,
        signing.displayName as string,
        'Verify',
      ),
      customKeyIdentifier: signing.customKeyIdentifier,
      endDateTime: signing.endDateTime,
      startDateTime: signing.startDateTime,
    };
    keyCredentials.push(signing, verify);
    passwordCredentials.push({
      ...passwordCredential(rng, nextKeyId(), expiry),
      customKeyIdentifier: signing.customKeyIdentifier,
      displayName: null,
      endDateTime: signing.endDateTime,
      startDateTime: signing.startDateTime,
    });
  } else if ((ours || kind === 'thirdParty') && rng.chance(0.12)) {
    // A secret added to the service principal itself (MITRE T1098.001).
    passwordCredentials.push(
      passwordCredential(rng, nextKeyId(), drawExpiry(rng)),
    );
  }

  const verified =
    kind === 'thirdParty' && rng.chance(0.5)
      ? {
          displayName: PUBLISHERS[index % PUBLISHERS.length],
          verifiedPublisherId: String(4000000 + (index % 97)),
          addedDateTime: isoSeconds(created + 86_400_000),
        }
      : { displayName: null, verifiedPublisherId: null, addedDateTime: null };
  const homepage = fp
    ? fp.homepage
    : ownerless
    ? null
    : `https://${slug(displayName)}.${
        kind === 'thirdParty'
          ? EXTERNAL_DOMAINS[index % EXTERNAL_DOMAINS.length]
          : 'contoso.com'
      }/`;

  return {
    '@odata.type': '#microsoft.graph.servicePrincipal',
    id,
    deletedDateTime: null,
    // Disabled: a few of this tenant's and third-party apps.
    accountEnabled: !((ours || kind === 'thirdParty') && rng.chance(0.08)),
    alternativeNames: mi
      ? [
          'isExplicit=True',
          `/subscriptions/${guid(
            seed,
            IdKind.foreignTenant,
            900,
          )}/resourcegroups/rg-${slug(
            displayName,
          )}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${displayName}`,
        ]
      : [],
    appDisplayName: mi ? null : displayName,
    appDescription: null,
    appId,
    applicationTemplateId:
      kind === 'thirdParty' && rng.chance(0.4)
        ? guid(seed, IdKind.appId, 100_000 + index)
        : null,
    appOwnerOrganizationId: fp
      ? fp.appOwnerOrganizationId
      : ours
      ? spec.tenantId
      : kind === 'thirdParty'
      ? spec.ownerOrganizationId ?? null
      : null,
    appRoleAssignmentRequired: !ownerless && rng.chance(0.4),
    createdDateTime: isoSeconds(created),
    description: null,
    disabledByMicrosoftStatus: null,
    displayName,
    homepage,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: saml
      ? [`sso-admins@${spec.tenantId.slice(0, 8)}.contoso.com`]
      : [],
    preferredSingleSignOnMode: saml ? 'saml' : null,
    preferredTokenSigningKeyThumbprint: saml
      ? (keyCredentials[0].customKeyIdentifier as string)
      : null,
    replyUrls: homepage && !ownerless ? [`${homepage}auth/callback`] : [],
    servicePrincipalNames: fp
      ? fp.servicePrincipalNames
      : mi
      ? [appId, `https://identity.azure.net/${rng.hex(32)}=`]
      : [appId, ...(ours ? [`api://${appId}`] : [])],
    servicePrincipalType: mi
      ? 'ManagedIdentity'
      : kind === 'socialIdp'
      ? 'SocialIdp'
      : kind === 'legacy'
      ? 'Legacy'
      : 'Application',
    signInAudience: fp
      ? fp.signInAudience
      : ownerless
      ? null
      : spec.signInAudience ?? 'AzureADMultipleOrgs',
    tags: fp
      ? fp.tags
      : ownerless
      ? []
      : ours
      ? ['HideApp', 'WindowsAzureActiveDirectoryIntegratedApp']
      : ['WindowsAzureActiveDirectoryIntegratedApp'],
    tokenEncryptionKeyId: null,
    samlSingleSignOnSettings: null,
    addIns: [],
    appRoles: fp ? fp.appRoles : spec.appRoles ?? [],
    info: mi
      ? null
      : {
          logoUrl: null,
          marketingUrl: null,
          privacyStatementUrl:
            kind === 'thirdParty' && homepage ? `${homepage}privacy` : null,
          supportUrl: null,
          termsOfServiceUrl: null,
        },
    keyCredentials,
    oauth2PermissionScopes: fp ? fp.oauth2PermissionScopes : [],
    passwordCredentials,
    resourceSpecificApplicationPermissions: [],
    verifiedPublisher: verified,
  };
}

/** What decides an app registration's object. */
export interface ApplicationSpec {
  /** Index in GET /applications (ids are guid(seed, application, index)). */
  index: number;
  id: string;
  appId: string;
  displayName: string;
  seed: number;
  tenantId: string;
  signInAudience: string;
  appRoles: AppRole[];
  /** The integration's own app: one current secret, no certificate. */
  integration?: boolean;
}

/** App registrations' credentials: 0-3 secrets, 0-2 certificates, each with its own expiry. */
function applicationCredentials(spec: ApplicationSpec, rng: Rng) {
  const { seed, index } = spec;
  let slot = 0;
  const nextKeyId = () =>
    credentialKeyId(seed, APP_CREDENTIAL_SALT, index, slot++);
  const passwordCredentials: GraphObject[] = [];
  const keyCredentials: GraphObject[] = [];
  const secrets = spec.integration ? 1 : rng.weighted([3, 4, 2, 1]);
  for (let i = 0; i < secrets; i++) {
    passwordCredentials.push(
      passwordCredential(
        rng,
        nextKeyId(),
        spec.integration ? 'current' : drawExpiry(rng),
      ),
    );
  }
  const certificates = spec.integration ? 0 : rng.weighted([6, 3, 1]);
  for (let i = 0; i < certificates; i++) {
    keyCredentials.push(
      keyCredential(
        rng,
        nextKeyId(),
        drawExpiry(rng),
        `CN=${spec.displayName}`,
      ),
    );
  }
  return { passwordCredentials, keyCredentials };
}

/** The app registration as GET /applications lists it (no '@odata.type'). */
export function buildApplication(spec: ApplicationSpec): GraphObject {
  const { id, appId, displayName, seed, index } = spec;
  const rng = rngFor(seed, IdKind.application, index, 2);
  const created = pastMs(rng, 10, 1500);
  const { passwordCredentials, keyCredentials } = applicationCredentials(
    spec,
    rng,
  );
  const web = `https://${slug(displayName)}.contoso.com/`;
  return {
    id,
    deletedDateTime: null,
    appId,
    applicationTemplateId: null,
    disabledByMicrosoftStatus: null,
    createdDateTime: isoSeconds(created),
    displayName,
    description: rng.chance(0.4)
      ? `${displayName} (owned by the platform team)`
      : null,
    groupMembershipClaims: null,
    identifierUris: spec.appRoles.length ? [`api://${appId}`] : [],
    isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: rng.chance(0.1),
    notes: null,
    publisherDomain: rng.chance(0.8)
      ? 'contoso.onmicrosoft.com'
      : 'contoso.com',
    serviceManagementReference: null,
    signInAudience: spec.signInAudience,
    tags: ['HideApp', 'WindowsAzureActiveDirectoryIntegratedApp'],
    tokenEncryptionKeyId: null,
    samlMetadataUrl: null,
    defaultRedirectUri: null,
    certification: null,
    optionalClaims: null,
    requestSignatureVerification: null,
    addIns: [],
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      requestedAccessTokenVersion: null,
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
    },
    appRoles: spec.appRoles,
    info: {
      logoUrl: null,
      marketingUrl: null,
      privacyStatementUrl: null,
      supportUrl: null,
      termsOfServiceUrl: null,
    },
    keyCredentials,
    parentalControlSettings: {
      countriesBlockedForMinors: [],
      legalAgeGroupRule: 'Allow',
    },
    passwordCredentials,
    publicClient: { redirectUris: [] },
    requiredResourceAccess: [],
    verifiedPublisher: {
      displayName: null,
      verifiedPublisherId: null,
      addedDateTime: null,
    },
    web: {
      homePageUrl: web,
      logoutUrl: null,
      redirectUris: [`${web}auth/callback`],
      implicitGrantSettings: {
        enableAccessTokenIssuance: false,
        enableIdTokenIssuance: false,
      },
      redirectUriSettings: [],
    },
    spa: { redirectUris: [] },
  };
}
