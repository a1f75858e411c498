/**
 * Maps what can go wrong between us and Microsoft into JupiterOne errors whose
 * message names the endpoint, the status, the Graph error code, the
 * request-id, and what to do about it. Graph's `code` decides, never its
 * message text (graph-api.md §5), except where Graph gives nothing else.
 */
import {
  IntegrationError,
  IntegrationProviderAPIError,
  IntegrationProviderAuthenticationError,
  IntegrationProviderAuthorizationError,
} from '@jupiterone/integration-sdk-core';
import { describeMissing, requirementForPath } from './permissions';

/** What we know about one failed Graph exchange. */
export interface GraphFailure {
  method: string;
  /** Full request URL (never holds a secret: credentials travel in headers and bodies). */
  url: string;
  /** HTTP status; -1 when no response arrived. */
  status: number;
  /** Graph's error code, or the transport error's name. */
  code?: string;
  message?: string;
  requestId?: string;
}

export interface GraphErrorFields {
  readonly graph: GraphFailure;
}

function render(failure: GraphFailure, hint?: string): string {
  const status = failure.status === -1 ? 'no response' : String(failure.status);
  const code = failure.code ? ` ${failure.code}` : '';
  const message = failure.message ? `: ${oneLine(failure.message)}` : '';
  const requestId = failure.requestId
    ? ` (request-id ${failure.requestId})`
    : '';
  const fix = hint ? ` ${hint}` : '';
  return `Microsoft Graph ${failure.method} ${failure.url} failed with ${status}${code}${message}${requestId}.${fix}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
}

/** 403, or a 401 Graph gives for an Intune permission problem: missing permission. */
export class GraphAuthorizationError
  extends IntegrationProviderAuthorizationError
  implements GraphErrorFields
{
  constructor(readonly graph: GraphFailure, hint: string) {
    super({
      endpoint: graph.url,
      status: graph.status,
      statusText: graph.code ?? 'Forbidden',
    });
    this.message = render(graph, hint);
  }
}

/** The credentials or the app's presence in the tenant are wrong. Fatal: nothing can be read. */
export class GraphAuthenticationError
  extends IntegrationProviderAuthenticationError
  implements GraphErrorFields
{
  constructor(readonly graph: GraphFailure, hint: string) {
    super({
      endpoint: graph.url,
      status: graph.status,
      statusText: graph.code ?? 'Unauthorized',
    });
    this.message = render(graph, hint);
  }
}

/** Any other failure: 4xx, 5xx after retries, transport errors, malformed bodies. */
export class GraphApiError
  extends IntegrationProviderAPIError
  implements GraphErrorFields
{
  constructor(readonly graph: GraphFailure, hint?: string) {
    super({
      endpoint: graph.url,
      status: graph.status,
      statusText: graph.code ?? 'Error',
      message: render(graph, hint),
    });
  }
}

export type GraphError =
  | GraphAuthorizationError
  | GraphAuthenticationError
  | GraphApiError;

/**
 * Some items of a fan-out (a device, a policy, a detected app...) kept
 * failing while the others were read: the step fails with its types
 * partial, and this one error says how many and names the first few.
 */
export class GraphFanOutError extends IntegrationError {
  constructor(
    readonly failures: GraphError[],
    /** Items handled, failed ones included. */
    readonly items: number,
    /** Set when the fan-out gave up after this many failures in a row. */
    readonly stoppedAfterFailuresInARow?: number,
  ) {
    const shown = failures.slice(0, 3).map((failure) => failure.message);
    const which =
      shown.length === 1
        ? `: ${shown[0]}`
        : `. The first ${shown.length}: ${shown.join(' | ')}`;
    const what = stoppedAfterFailuresInARow
      ? `${failures.length} of the ${items} Microsoft Graph requests of this step kept failing after retries, the last ${stoppedAfterFailuresInARow} in a row, so the step stopped before its other requests; its data is partial`
      : `${
          failures.length
        } of ${items} Microsoft Graph requests of this step kept failing after retries; the other ${
          items - failures.length
        } were read, and this step's data is partial`;
    super({ code: 'GRAPH_FAN_OUT_INCOMPLETE', message: `${what}${which}` });
  }
}

export function isGraphError(
  err: unknown,
  match: { status?: number; code?: string | string[] } = {},
): err is GraphError {
  const graph = (err as Partial<GraphErrorFields> | undefined)?.graph;
  if (!graph || !(err instanceof IntegrationError)) return false;
  if (match.status !== undefined && graph.status !== match.status) return false;
  if (match.code !== undefined) {
    const codes = Array.isArray(match.code) ? match.code : [match.code];
    if (!graph.code || !codes.includes(graph.code)) return false;
  }
  return true;
}

export const INTUNE_NOT_APPLICABLE_MESSAGE =
  'Request not applicable to target tenant';

/** A tenant without an Intune subscription answers Intune endpoints like this (graph-api.md §0.8). */
export function isIntuneNotApplicable(err: unknown): boolean {
  // Graph gives only the generic BadRequest code here, so the message decides.
  return (
    isGraphError(err, { status: 400 }) &&
    (err.graph.message ?? '').startsWith(INTUNE_NOT_APPLICABLE_MESSAGE)
  );
}

export interface AuthContext {
  tenant: string;
  clientId: string;
  tokenEndpoint: string;
}

/** Maps an HTTP error answer from Graph. */
export function graphResponseError(
  failure: GraphFailure,
  path: string,
  auth: AuthContext,
): GraphError {
  const requirement = requirementForPath(path);
  const grant = requirement
    ? `To fix it, ${describeMissing(requirement)}.`
    : 'To fix it, check the application permissions granted to the app registration.';
  if (failure.status === 401) {
    if (failure.code === 'Authorization_IdentityNotFound') {
      return new GraphAuthenticationError(
        failure,
        `Application ${auth.clientId} is not installed in tenant ${auth.tenant}: an administrator of that tenant must grant admin consent to the application (Enterprise applications), or check that tenant and clientId belong together.`,
      );
    }
    if (failure.code === 'InvalidAuthenticationToken') {
      return new GraphAuthenticationError(
        failure,
        'Microsoft Graph rejected the access token. Check that the cloud setting matches the tenant (a token from one cloud is not valid in another).',
      );
    }
    // Intune sometimes reports missing permissions as 401 (peers.md §2.3).
    return new GraphAuthorizationError(failure, grant);
  }
  if (failure.status === 403) {
    return new GraphAuthorizationError(failure, grant);
  }
  if (
    failure.status === 400 &&
    failure.message?.startsWith(INTUNE_NOT_APPLICABLE_MESSAGE)
  ) {
    return new GraphApiError(
      failure,
      'The tenant has no Intune subscription; Intune data cannot be read.',
    );
  }
  if (failure.status >= 500 || failure.status === 429) {
    return new GraphApiError(
      failure,
      'Microsoft Graph kept failing after retries; the step fails so that its partial data does not replace the previous collection.',
    );
  }
  return new GraphApiError(failure);
}

/** The token request failed: explain the AADSTS error in terms of the config to fix. */
export function tokenError(
  err: unknown,
  auth: AuthContext,
): GraphAuthenticationError {
  const text = err instanceof Error ? err.message : String(err);
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1];
  const failure: GraphFailure = {
    method: 'POST',
    url: auth.tokenEndpoint,
    status: tokenStatus(aadsts),
    code: aadsts ? `AADSTS${aadsts}` : errorName(err),
    message: aadsts ? undefined : text,
  };
  return new GraphAuthenticationError(failure, tokenHint(aadsts, text, auth));
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

function tokenStatus(aadsts: string | undefined): number {
  if (!aadsts) return -1;
  // invalid_client answers; the status of 700021/700023/700024 is UNCONFIRMED (401 assumed, like 700027).
  return [
    '7000215',
    '7000222',
    '700027',
    '700024',
    '700023',
    '700021',
  ].includes(aadsts)
    ? 401
    : 400;
}

function tokenHint(
  aadsts: string | undefined,
  text: string,
  auth: AuthContext,
): string {
  switch (aadsts) {
    case '90002':
      return `Microsoft Entra ID does not know tenant "${auth.tenant}". Set tenant to the Directory (tenant) ID or a verified domain of the tenant, and check that the cloud setting matches the cloud the tenant lives in.`;
    case '700016':
      return `Application (client) ID ${auth.clientId} was not found in tenant "${auth.tenant}". Set clientId to the Application (client) ID of the app registration, and have an administrator of the tenant grant admin consent to it.`;
    case '7000215':
      return `The client secret is not valid for application ${auth.clientId}. Set clientSecret to the secret's Value (not its Secret ID) from Certificates & secrets of the app registration.`;
    case '7000222':
      return `The client secret of application ${auth.clientId} has expired. Create a new client secret in Certificates & secrets of the app registration and update clientSecret.`;
    case '700027': {
      // "... Thumbprint of key used by client: '<hex>' ..." (real 700027 text); public, not key material.
      const thumbprint =
        /Thumbprint of key used by client: '([0-9A-Fa-f]+)'/.exec(text)?.[1];
      const label =
        thumbprint?.length === 64 ? 'SHA-256 thumbprint' : 'thumbprint';
      return `The certificate in clientCertificate${
        thumbprint ? ` (${label} ${thumbprint.toUpperCase()})` : ''
      } is not registered on application ${
        auth.clientId
      }, or the assertion signed with it did not verify. Upload the certificate's public part (.cer or .pem, without the key) to Certificates & secrets of the app registration, or set clientCertificate to a certificate registered there; the app registration must be in the cloud named by the cloud setting.`;
    }
    case '700024':
      return 'The client assertion signed with the certificate was outside its valid time range. Check that the clock of this machine is correct: the assertion is valid for 10 minutes from the moment it is made.';
    case '700023':
      return 'The audience of the client assertion is not the token endpoint Microsoft Entra ID expected. Check that the cloud setting (and authorityHost, if set) names the cloud the tenant lives in.';
    case '700021':
      return `The client assertion names another application than clientId ${auth.clientId}. Set clientId to the Application (client) ID of the app registration that holds the certificate.`;
    case '50027':
      return 'Microsoft Entra ID could not read the client assertion made with the certificate. Check that clientCertificate holds the complete, unchanged PEM of an RSA certificate and its private key.';
    case '7000112':
      return `Application ${auth.clientId} is disabled in tenant "${auth.tenant}". Enable its enterprise application (service principal) in the tenant.`;
    case '1002012':
    case '70011':
      return 'The token scope was refused. Check that the cloud setting matches the cloud of the tenant.';
    default:
      if (
        /endpoints_resolution_error|ENOTFOUND|ECONNREFUSED|getaddrinfo/i.test(
          text,
        )
      ) {
        return 'The Microsoft Entra ID login service could not be reached. Check the cloud or authorityHost setting and the network path to it.';
      }
      return aadsts
        ? `Microsoft Entra ID refused the token request (AADSTS${aadsts}). Check clientId, the credential and tenant.`
        : 'Getting an access token failed. Check clientId, the credential, tenant and the cloud setting.';
  }
}
