/**
 * Pure conversions of service principals, app registrations, their
 * credentials, owners, application permissions and delegated grants into
 * entities and relationships (docs/applications-and-service-principals.md).
 * No I/O here.
 *
 * A credential entity carries what a security team needs (kind, dates,
 * thumbprint, issuer and subject) and never a secret: it is built from named
 * fields only, and the Graph types (src/graph/applications.ts) do not even
 * declare `hint`, `secretText` or `key`.
 */
import {
  createIntegrationEntity,
  createMappedRelationship,
  Entity,
  Relationship,
  RelationshipClass,
  RelationshipDirection,
  StepEntityMetadata,
  StepMappedRelationshipMetadata,
} from '@jupiterone/integration-sdk-core';
import {
  GraphApplication,
  GraphFederatedIdentityCredential,
  GraphKeyCredential,
  GraphPasswordCredential,
  GraphServicePrincipal,
  GraphVerifiedPublisher,
} from '../../graph/applications';
import { Entities } from '../constants';
import {
  presentBoolean,
  presentString,
  presentStrings,
  presentText,
  toEpochMs,
  withoutUndefined,
} from '../convert';
import { directRelationship, relationshipKey } from '../graph-objects';

/**
 * Tenants that publish Microsoft's own applications: Microsoft Services
 * (f8cdef31-...; ScubaGear, Maester and public scripts treat it as
 * first-party), Microsoft Corp (72f988bf-...) and AME (33e01921-...; the
 * publisher of "Azure Device Update RP" in HAR ad-service-principals).
 */
export const MICROSOFT_TENANT_IDS = new Set([
  'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
  '72f988bf-86f1-41af-91ab-2d7cd011db47',
  '33e01921-4d64-4f8c-a055-5bdaffd5e33d',
]);

/** Who publishes the application behind a service principal. */
export type AppOwnership = 'tenant' | 'microsoft' | 'third-party' | 'none';

export function appOwnershipOf(
  appOwnerOrganizationId: string | null | undefined,
  tenantId: string,
): AppOwnership {
  const owner = presentString(appOwnerOrganizationId)?.toLowerCase();
  if (!owner) return 'none';
  if (owner === tenantId.toLowerCase()) return 'tenant';
  return MICROSOFT_TENANT_IDS.has(owner) ? 'microsoft' : 'third-party';
}

const MULTI_TENANT_AUDIENCES = new Set([
  'AzureADMultipleOrgs',
  'AzureADandPersonalMicrosoftAccount',
]);

function publisherOf(publisher: GraphVerifiedPublisher | null | undefined) {
  const id = presentString(publisher?.verifiedPublisherId);
  return {
    verifiedPublisher: Boolean(id),
    verifiedPublisherId: id,
    verifiedPublisherName: presentText(publisher?.displayName),
    verifiedPublisherAddedOn: toEpochMs(publisher?.addedDateTime),
  };
}

/** The Azure resource of a managed identity, from its alternativeNames (HAR ad-service-principals). */
function managedIdentityResourceOf(names: string[] | undefined) {
  return names?.find((name) => name.startsWith('/subscriptions/'));
}

export function toServicePrincipalEntity(
  sp: GraphServicePrincipal,
  tenantId: string,
): Entity {
  const ownership = appOwnershipOf(sp.appOwnerOrganizationId, tenantId);
  const name =
    presentText(sp.displayName) ?? presentText(sp.appDisplayName) ?? sp.id;
  const audience = presentString(sp.signInAudience);
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        _key: sp.id,
        _type: Entities.SERVICE_PRINCIPAL._type,
        _class: Entities.SERVICE_PRINCIPAL._class,
        // The Service class's required properties, as JupiterOne's Azure integration sets them.
        category: ['infrastructure'],
        function: ['service-account'],
        id: sp.id,
        name,
        displayName: name,
        description: presentText(sp.description),
        appId: presentString(sp.appId),
        appDisplayName: presentText(sp.appDisplayName),
        appDescription: presentText(sp.appDescription),
        servicePrincipalType: presentString(sp.servicePrincipalType),
        accountEnabled: presentBoolean(sp.accountEnabled),
        active: presentBoolean(sp.accountEnabled),
        appOwnerOrganizationId: presentString(sp.appOwnerOrganizationId),
        appOwnership: ownership,
        foreign: ownership === 'microsoft' || ownership === 'third-party',
        firstParty: ownership === 'microsoft',
        thirdParty: ownership === 'third-party',
        signInAudience: audience,
        multiTenant: audience
          ? MULTI_TENANT_AUDIENCES.has(audience)
          : undefined,
        ...publisherOf(sp.verifiedPublisher),
        tags: presentStrings(sp.tags),
        servicePrincipalNames: presentStrings(sp.servicePrincipalNames),
        managedIdentityResourceId: managedIdentityResourceOf(
          presentStrings(sp.alternativeNames),
        ),
        appRoleAssignmentRequired: presentBoolean(sp.appRoleAssignmentRequired),
        preferredSingleSignOnMode: presentString(sp.preferredSingleSignOnMode),
        homepage: presentString(sp.homepage),
        disabledByMicrosoftStatus: presentString(sp.disabledByMicrosoftStatus),
        createdOn: toEpochMs(sp.createdDateTime),
        passwordCredentialCount: sp.passwordCredentials?.length ?? 0,
        keyCredentialCount: sp.keyCredentials?.length ?? 0,
      },
    },
  });
}

export function toAppRegistrationEntity(
  app: GraphApplication,
  servicePrincipal: { id: string; accountEnabled?: boolean } | undefined,
): Entity {
  const name = presentText(app.displayName) ?? app.id;
  const audience = presentString(app.signInAudience);
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        _key: app.id,
        _type: Entities.APP_REGISTRATION._type,
        _class: Entities.APP_REGISTRATION._class,
        id: app.id,
        name,
        displayName: name,
        description: presentText(app.description),
        appId: presentString(app.appId),
        signInAudience: audience,
        multiTenant: audience
          ? MULTI_TENANT_AUDIENCES.has(audience)
          : undefined,
        publisherDomain: presentString(app.publisherDomain),
        ...publisherOf(app.verifiedPublisher),
        tags: presentStrings(app.tags),
        identifierUris: presentStrings(app.identifierUris),
        isFallbackPublicClient: presentBoolean(app.isFallbackPublicClient),
        disabledByMicrosoftStatus: presentString(app.disabledByMicrosoftStatus),
        createdOn: toEpochMs(app.createdDateTime),
        servicePrincipalId: servicePrincipal?.id,
        signInEnabled: servicePrincipal?.accountEnabled,
        passwordCredentialCount: app.passwordCredentials?.length ?? 0,
        keyCredentialCount: app.keyCredentials?.length ?? 0,
      },
    },
  });
}

// ---- credentials -------------------------------------------------------------------------

export interface CredentialOwner {
  _key: string;
  _type: string;
  appId?: string;
  displayName: string;
  /** Whether the identity this credential authenticates can sign in here (the service principal's accountEnabled). */
  signInEnabled?: boolean;
  /** Azure rotates the credentials of managed identities itself. */
  autoRotated?: boolean;
}

type CredentialKind = 'password' | 'key' | 'federated';

/** `azure_app_credential:{ownerObjectId}:{password|key|federated}:{keyId or federated credential id}`. */
export function credentialKey(
  ownerKey: string,
  kind: CredentialKind,
  id: string,
): string {
  return `${Entities.APP_CREDENTIAL._type}:${ownerKey}:${kind}:${id}`;
}

function credentialEntity(
  owner: CredentialOwner,
  kind: CredentialKind,
  id: string,
  properties: Record<string, unknown>,
): Entity {
  const label =
    presentText(properties.displayName) ?? `${properties.credentialType} ${id}`;
  return createIntegrationEntity({
    entityData: {
      source: {},
      assign: {
        ...properties,
        _key: credentialKey(owner._key, kind, id),
        _type: Entities.APP_CREDENTIAL._type,
        _class: Entities.APP_CREDENTIAL._class,
        id,
        name: label,
        displayName: label,
        ownerId: owner._key,
        ownerType: owner._type,
        ownerName: owner.displayName,
        appId: owner.appId,
        signInEnabled: owner.signInEnabled,
        autoRotated: owner.autoRotated || undefined,
      },
    },
  });
}

/** A client secret: its dates and description, never its value or hint. */
export function toPasswordCredentialEntity(
  owner: CredentialOwner,
  credential: GraphPasswordCredential,
): Entity | undefined {
  const id = presentString(credential.keyId);
  if (!id) return undefined;
  return credentialEntity(owner, 'password', id, {
    credentialType: 'secret',
    displayName: presentText(credential.displayName),
    startsOn: toEpochMs(credential.startDateTime),
    expiresOn: toEpochMs(credential.endDateTime),
  });
}

/** A certificate (or symmetric key): its thumbprint, dates and usage, never its body. */
export function toKeyCredentialEntity(
  owner: CredentialOwner,
  credential: GraphKeyCredential,
): Entity | undefined {
  const id = presentString(credential.keyId);
  if (!id) return undefined;
  const keyType = presentString(credential.type);
  return credentialEntity(owner, 'key', id, {
    credentialType: keyType?.includes('X509') ? 'certificate' : 'key',
    keyType,
    usage: presentString(credential.usage),
    fingerprint: presentString(credential.customKeyIdentifier),
    displayName: presentText(credential.displayName),
    startsOn: toEpochMs(credential.startDateTime),
    expiresOn: toEpochMs(credential.endDateTime),
  });
}

/** A federated identity credential: which outside issuer and subject the app trusts. */
export function toFederatedCredentialEntity(
  owner: CredentialOwner,
  credential: GraphFederatedIdentityCredential,
): Entity | undefined {
  const id = presentString(credential.id);
  if (!id) return undefined;
  return credentialEntity(owner, 'federated', id, {
    credentialType: 'federated',
    displayName: presentText(credential.name),
    description: presentText(credential.description),
    issuer: presentString(credential.issuer),
    subject: presentString(credential.subject),
    audiences: presentStrings(credential.audiences),
  });
}

/** owner HAS credential. */
export function toHasCredentialRelationship(
  owner: { _key: string; _type: string },
  credential: Entity,
): Relationship {
  return directRelationship({
    _class: RelationshipClass.HAS,
    fromKey: owner._key,
    fromType: owner._type,
    toKey: credential._key,
    toType: credential._type,
  });
}

// ---- relationships that may reach beyond this collection -------------------------------------

export interface RelationshipEnd {
  _key: string;
  metadata: StepEntityMetadata;
  displayName?: string;
}

/**
 * from CLASS to: direct when both ends are entities of this collection;
 * mapped (the platform finds, or creates, the other end by `_type` and
 * `_key`) when `collected` says the far end is not. The mapped one keeps the
 * key the direct one would have, so a later run that collects the far end
 * replaces it in place.
 */
export function relationshipBetween(options: {
  _class: RelationshipClass;
  from: RelationshipEnd;
  to: RelationshipEnd;
  /** Which end this collection holds for certain; the other may be mapped. */
  anchor: 'from' | 'to';
  collected: boolean;
  mapped: StepMappedRelationshipMetadata;
  discriminator?: string;
  properties?: Record<string, string | number | boolean | undefined>;
}): Relationship {
  const { _class, from, to, anchor, discriminator } = options;
  const properties = options.properties
    ? withoutUndefined({ ...options.properties })
    : undefined;
  if (options.collected) {
    return directRelationship({
      _class,
      fromKey: from._key,
      fromType: from.metadata._type,
      toKey: to._key,
      toType: to.metadata._type,
      discriminator,
      properties,
    });
  }
  const identity = `${from._key}|${_class.toLowerCase()}|${to._key}`;
  const far = anchor === 'from' ? to : from;
  return createMappedRelationship({
    _class,
    _type: options.mapped._type,
    _key: relationshipKey(
      discriminator === undefined ? identity : `${identity}|${discriminator}`,
    ),
    properties,
    _mapping: {
      relationshipDirection:
        anchor === 'from'
          ? RelationshipDirection.FORWARD
          : RelationshipDirection.REVERSE,
      sourceEntityKey: anchor === 'from' ? from._key : to._key,
      targetFilterKeys: [['_type', '_key']],
      skipTargetCreation: false,
      targetEntity: {
        _key: far._key,
        _type: far.metadata._type,
        _class: far.metadata._class,
        ...(far.displayName
          ? { displayName: far.displayName, name: far.displayName }
          : {}),
      },
    },
  });
}
