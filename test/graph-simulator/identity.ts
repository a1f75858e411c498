/**
 * The Entra ID side: OpenID discovery, signing keys and the client-credentials
 * token endpoint (graph-api.md §1).
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'crypto';
import { AadError, renderAadError } from './errors';
import {
  Execution,
  ExecutionOutcome,
  IncomingRequest,
  sleep,
} from './exchange';
import { defaultErrorFor, isErrorFault, retryAfterFor } from './faults';
import {
  AccessTokenClaims,
  AssertionFailure,
  checkClientAssertion,
  CLIENT_ASSERTION_TYPE,
} from './jwt';
import { SimulatorState } from './state';
import { SimulatedApplication, TenantData } from './tenant/model';
import { ErrorFaultResponse } from './types';

const DISCOVERY_PATH =
  /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i;
const KEYS_PATH = /^\/([^/]+)\/discovery(?:\/v2\.0)?\/keys$/i;
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i;

export const IdentityEndpoints = {
  discovery: 'GET /{tenant}/v2.0/.well-known/openid-configuration',
  keys: 'GET /{tenant}/discovery/v2.0/keys',
  token: 'POST /{tenant}/oauth2/v2.0/token',
} as const;

/** Headers of every login.microsoftonline.com answer in the HARs (graph-api.md §1.3). */
function stsHeaders(requestId: string): Record<string, string | string[]> {
  return {
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'content-type': 'application/json; charset=utf-8',
    expires: '-1',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    p3p: 'CP="DSP CUR OTPi IND OTRi ONL FIN"',
    'x-ms-request-id': requestId,
    'x-ms-ests-server': '2.1.17000.0 - LOOPBACK ProdSlices',
    'x-xss-protection': '0',
    'set-cookie': [
      'fpc=simulated; expires=Fri, 01-Jan-2100 00:00:00 GMT; path=/; secure; HttpOnly; SameSite=None',
      'x-ms-gateway-slice=estsfd; path=/; secure; samesite=none; httponly',
      'stsservicecookie=estsfd; path=/; secure; samesite=none; httponly',
    ],
  };
}

interface CloudNames {
  cloudInstanceName: string;
  msgraphHost: string;
}

/** National-cloud login hosts report their own cloud names (graph-api.md §8). */
function cloudNamesFor(host: string): CloudNames {
  const name = host.toLowerCase();
  if (
    name.includes('microsoftonline.us') ||
    name.includes('usgovcloudapi.net')
  ) {
    return {
      cloudInstanceName: 'microsoftonline.us',
      msgraphHost: 'graph.microsoft.us',
    };
  }
  if (
    name.includes('microsoftonline.cn') ||
    name.includes('chinacloudapi.cn')
  ) {
    return {
      cloudInstanceName: 'partner.microsoftonline.cn',
      msgraphHost: 'microsoftgraph.chinacloudapi.cn',
    };
  }
  return {
    cloudInstanceName: 'microsoftonline.com',
    msgraphHost: 'graph.microsoft.com',
  };
}

export class IdentityService {
  constructor(private readonly state: SimulatorState) {}

  static handles(path: string): boolean {
    return (
      DISCOVERY_PATH.test(path) || KEYS_PATH.test(path) || TOKEN_PATH.test(path)
    );
  }

  async execute(request: IncomingRequest): Promise<Execution> {
    const requestId = randomUUID();
    const outcome: ExecutionOutcome = {
      service: 'identity',
      endpoint: `${request.method} /{tenant}/{unknown}`,
      itemsServed: 0,
      resourceUnits: 0,
    };
    const execution = await this.serve(request, requestId, outcome);
    if (!execution.transport) await sleep(this.state.behaviour.latency.baseMs);
    return execution;
  }

  private async serve(
    request: IncomingRequest,
    requestId: string,
    outcome: ExecutionOutcome,
  ): Promise<Execution> {
    const discovery = DISCOVERY_PATH.exec(request.path);
    const keys = KEYS_PATH.exec(request.path);
    const token = TOKEN_PATH.exec(request.path);
    const tenantSegment = decodeURIComponent((discovery ?? keys ?? token)![1]);
    outcome.endpoint = discovery
      ? IdentityEndpoints.discovery
      : keys
      ? IdentityEndpoints.keys
      : IdentityEndpoints.token;
    outcome.tenantId = this.state.findTenant(tenantSegment)?.tenantId;
    const correlationId =
      request.headers['client-request-id'] ??
      request.headers['x-ms-client-request-id'] ??
      new URLSearchParams(request.rawQuery).get('client-request-id') ??
      randomUUID();

    const fault = this.state.faults.pick({
      method: request.method,
      path: `${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`,
      service: 'identity',
      tenantId: outcome.tenantId,
      isNextLink: false,
      pageNumber: 1,
      batchItem: false,
    });
    if (fault) {
      outcome.fault = fault.label;
      const response = fault.response;
      if (isErrorFault(response)) {
        return this.injectedError(
          request,
          response,
          requestId,
          correlationId,
          outcome,
        );
      }
      if (response.kind === 'resetConnection') {
        return {
          status: 0,
          headers: {},
          body: '',
          transport: { kind: 'reset' },
          outcome,
        };
      }
      if (response.kind === 'stall' && response.ms === undefined) {
        return {
          status: 0,
          headers: {},
          body: '',
          transport: { kind: 'stall' },
          outcome,
        };
      }
      if (response.kind === 'stall') await sleep(response.ms!);
    }

    if (request.method !== 'GET' && (discovery || keys)) {
      return this.errorExecution(
        request,
        new AadError(
          405,
          'invalid_request',
          900561,
          'The endpoint only accepts GET requests.',
        ),
        requestId,
        correlationId,
        outcome,
      );
    }
    if (discovery)
      return this.discoveryDocument(request, tenantSegment, requestId, outcome);
    if (keys) {
      const issuer = `https://${request.host}/${tenantSegment}/v2.0`;
      return this.json(
        200,
        this.state.signer.jwks(issuer),
        requestId,
        outcome,
        {
          'cache-control': 'max-age=86400, private',
          'access-control-allow-origin': '*',
        },
      );
    }
    if (request.method !== 'POST') {
      return this.errorExecution(
        request,
        new AadError(
          405,
          'invalid_request',
          900561,
          'The endpoint only accepts POST, OPTIONS requests. Received a GET request.',
        ),
        requestId,
        correlationId,
        outcome,
      );
    }
    try {
      const body = this.issueToken(request, tenantSegment, outcome);
      const execution = this.json(200, body, requestId, outcome);
      if (fault?.response.kind === 'invalidJson')
        execution.body = execution.body.toString().slice(0, 20);
      return execution;
    } catch (error) {
      if (error instanceof AadError)
        return this.errorExecution(
          request,
          error,
          requestId,
          correlationId,
          outcome,
        );
      throw error;
    }
  }

  /**
   * Served for any tenant string, like production where failures come from
   * the token POST (graph-api.md §1.2). URLs are built from the Host header.
   */
  private discoveryDocument(
    request: IncomingRequest,
    tenantSegment: string,
    requestId: string,
    outcome: ExecutionOutcome,
  ): Execution {
    const base = `https://${request.host}`;
    const tenantId =
      this.state.findTenant(tenantSegment)?.tenantId ?? tenantSegment;
    const t = encodeURIComponent(tenantSegment);
    const cloud = cloudNamesFor(request.host);
    const document = {
      token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: [
        'code',
        'id_token',
        'code id_token',
        'id_token token',
      ],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/${tenantId}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/oidc/userinfo`,
      authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'cloud_instance_name',
        'cloud_instance_host_name',
        'cloud_graph_host_name',
        'msgraph_host',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      kerberos_endpoint: `${base}/${t}/kerberos`,
      tenant_region_scope: 'NA',
      cloud_instance_name: cloud.cloudInstanceName,
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: cloud.msgraphHost,
      rbac_url: 'https://pas.windows.net',
    };
    return this.json(200, document, requestId, outcome, {
      'cache-control': 'max-age=86400, private',
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, OPTIONS',
    });
  }

  /**
   * Client-credentials grant. Checks, in order: tenant, grant type, client id,
   * scope, credential (graph-api.md §1.4). An app registered globally but
   * without a service principal in the tenant still gets a token (no roles):
   * Graph refuses it later with Authorization_IdentityNotFound (§1.4, HAR).
   */
  private issueToken(
    request: IncomingRequest,
    tenantSegment: string,
    outcome: ExecutionOutcome,
  ): object {
    const form = new URLSearchParams(request.rawBody?.toString('utf8') ?? '');
    const basic = basicCredentials(request.headers.authorization);
    const scope = form.get('scope') ?? '';
    const clientId = form.get('client_id') ?? basic?.clientId ?? '';
    outcome.scope = scope;
    if (clientId) outcome.clientId = clientId;

    const tenant = this.state.findTenant(tenantSegment);
    if (!tenant) {
      throw new AadError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenantSegment}' not found. This may happen if there are no active subscriptions for the tenant. Check to make sure you have the correct tenant ID. Check with your subscription administrator.`,
      );
    }
    outcome.tenantId = tenant.tenantId;
    const grantType = form.get('grant_type');
    if (!grantType) {
      throw new AadError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
    }
    if (grantType !== 'client_credentials') {
      throw new AadError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      );
    }
    if (!clientId) {
      throw new AadError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    }
    const application = this.state.findApplication(clientId);
    if (!application) {
      throw new AadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    const audience = /^(https:\/\/[^/?#\s]+)\/\.default$/i.exec(
      scope.trim(),
    )?.[1];
    if (!audience) {
      throw new AadError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    this.authenticateClient(application, form, basic?.secret, {
      host: request.host,
      tenantSegment,
      tenant,
    });
    return this.mintToken(tenant, application, audience);
  }

  /**
   * Secret (client_secret_post or _basic) or certificate (private_key_jwt:
   * client_assertion_type + client_assertion, verified by checkClientAssertion
   * against the certificates registered on the app). The assertion is never
   * logged, recorded or echoed.
   */
  private authenticateClient(
    application: SimulatedApplication,
    form: URLSearchParams,
    basicSecret: string | undefined,
    endpoint: { host: string; tenantSegment: string; tenant: TenantData },
  ): void {
    const secret = form.get('client_secret') ?? basicSecret;
    const assertion = form.get('client_assertion');
    if (secret !== undefined && secret !== null) {
      const matching = application.secrets.find((candidate) =>
        sameSecret(candidate.value, secret),
      );
      if (!matching) {
        throw new AadError(
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${application.clientId}'.`,
        );
      }
      if (matching.expired) {
        throw new AadError(
          401,
          'invalid_client',
          7000222,
          `The provided client secret keys for app '${application.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds`,
        );
      }
      return;
    }
    if (assertion) {
      if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) {
        // UNCONFIRMED: Entra's answer to a missing or other assertion type; the missing-parameter form is used.
        throw new AadError(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'client_assertion_type'.",
        );
      }
      const now = Math.floor(Date.now() / 1000);
      const check = checkClientAssertion(assertion, {
        clientId: application.clientId,
        audiences: tokenEndpointAudiences(endpoint),
        certificates: application.certificates ?? [],
        now,
      });
      if (!check.ok) throw assertionError(check, application, now);
      return;
    }
    throw new AadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }

  private mintToken(
    tenant: TenantData,
    application: SimulatedApplication,
    audience: string,
  ): object {
    const lifetime = this.state.behaviour.tokenLifetimeSeconds;
    const now = Math.floor(Date.now() / 1000);
    const roles =
      tenant.servicePrincipals.get(application.clientId)?.roles ?? [];
    const objectId = deterministicGuid(
      `${tenant.tenantId}|${application.clientId}`,
    );
    const issuer = `https://sts.windows.net/${tenant.tenantId}/`;
    const claims: AccessTokenClaims = {
      aud: audience,
      iss: issuer,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      app_displayname: application.displayName,
      appid: application.clientId,
      appidacr: '1',
      idp: issuer,
      idtyp: 'app',
      oid: objectId,
      sub: objectId,
      tid: tenant.tenantId,
      uti: randomBytes(16).toString('base64url').slice(0, 22),
      ver: '1.0',
    };
    if (roles.length > 0) claims.roles = [...roles];
    return {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: this.state.signer.sign(claims),
    };
  }

  /** An injected error in Entra's format: transient ones as temporarily_unavailable (AADSTS90033). */
  private injectedError(
    request: IncomingRequest,
    response: ErrorFaultResponse,
    requestId: string,
    correlationId: string,
    outcome: ExecutionOutcome,
  ): Execution {
    const transient = response.status === 429 || response.status >= 500;
    const failure = new AadError(
      response.status,
      response.code ??
        (transient ? 'temporarily_unavailable' : 'invalid_request'),
      90033,
      response.message ??
        (transient
          ? 'A transient error has occurred. Please try again.'
          : defaultErrorFor(response.status).message),
    );
    const execution = this.errorExecution(
      request,
      failure,
      requestId,
      correlationId,
      outcome,
    );
    const retryAfter = retryAfterFor(response);
    if (retryAfter !== null)
      execution.headers['retry-after'] = String(retryAfter);
    Object.assign(execution.headers, response.headers ?? {});
    return execution;
  }

  private json(
    status: number,
    body: object,
    requestId: string,
    outcome: ExecutionOutcome,
    extraHeaders: Record<string, string> = {},
  ): Execution {
    return {
      status,
      headers: { ...stsHeaders(requestId), ...extraHeaders },
      body: JSON.stringify(body),
      outcome,
    };
  }

  private errorExecution(
    request: IncomingRequest,
    failure: AadError,
    requestId: string,
    correlationId: string,
    outcome: ExecutionOutcome,
  ): Execution {
    return {
      status: failure.status,
      headers: stsHeaders(requestId),
      body: renderAadError(failure, requestId, correlationId, request.host),
      outcome,
    };
  }
}

/** client_secret_basic: `Authorization: Basic base64(client_id:client_secret)`. */
function basicCredentials(
  header: string | undefined,
): { clientId: string; secret: string } | undefined {
  if (!header || !/^basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString(
    'utf8',
  );
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    clientId: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

function sameSecret(expected: string, provided: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(provided).digest();
  return timingSafeEqual(a, b);
}

/** A stable GUID-shaped id (the service principal's object id) from a name. */
function deterministicGuid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(
    13,
    16,
  )}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const CERTIFICATE_DOCS =
  'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .';

/**
 * The `aud` values accepted for an assertion posted to this token endpoint:
 * the endpoint itself (v2.0, and the v1 form) on the host that received it,
 * named by the tenant segment of the request, the tenant id or a verified
 * domain. An assertion made for another cloud's login host fails (700023).
 */
function tokenEndpointAudiences(endpoint: {
  host: string;
  tenantSegment: string;
  tenant: TenantData;
}): string[] {
  const names = [
    endpoint.tenantSegment,
    endpoint.tenant.tenantId,
    ...endpoint.tenant.domains,
  ];
  return names.flatMap((name) => [
    `https://${endpoint.host}/${name}/oauth2/v2.0/token`,
    `https://${endpoint.host}/${name}/oauth2/token`,
  ]);
}

/**
 * Entra's answers to a bad assertion. Texts of 700027 (both forms), 700024,
 * 700023 and 700021 are quoted from real responses (AzureAD MSAL issues
 * 2021-2026; azure-dev-docs "Troubleshooting service principal
 * authentication"); the 401 status of all but 700027 and the whole 50027 and
 * expired-key answers are UNCONFIRMED.
 */
function assertionError(
  failure: AssertionFailure,
  application: SimulatedApplication,
  now: number,
): AadError {
  switch (failure.kind) {
    case 'keyNotFound':
      return new AadError(
        401,
        'invalid_client',
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${
          failure.thumbprint
        }', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${
          application.clientId
        }'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/${deterministicGuid(
          `application|${application.clientId}`,
        )}']`,
      );
    case 'keyExpired':
      return new AadError(
        401,
        'invalid_client',
        700027,
        `Client assertion failed signature validation. [Reason - The key used is expired., Thumbprint of key used by client: '${
          failure.thumbprint
        }', Found key 'Start=${failure.notBefore.toISOString()}, End=${failure.notAfter.toISOString()}']`,
      );
    case 'signature':
      return new AadError(
        401,
        'invalid_client',
        700027,
        'Client assertion failed signature validation.',
      );
    case 'clientId':
      return new AadError(
        401,
        'invalid_client',
        700021,
        `Client assertion application identifier doesn't match 'client_id' parameter. ${CERTIFICATE_DOCS}`,
      );
    case 'audience':
      return new AadError(
        401,
        'invalid_client',
        700023,
        `Client assertion audience claim does not match Realm issuer. ${CERTIFICATE_DOCS}`,
      );
    case 'lifetime':
      return new AadError(
        401,
        'invalid_client',
        700024,
        `Client assertion is not within its valid time range. Current time: ${aadPreciseTime(
          now,
        )}, assertion valid from ${aadPreciseTime(
          failure.notBefore ?? 0,
        )}, expiry time of assertion ${aadPreciseTime(
          failure.expires ?? 0,
        )}. ${CERTIFICATE_DOCS}`,
      );
    case 'malformed':
    default:
      return new AadError(
        400,
        'invalid_request',
        50027,
        'JWT token is invalid or malformed.',
      );
  }
}

/** "2024-10-02T22:05:03.6755165Z": the 7-digit fractions of Entra's 700024 text. */
function aadPreciseTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.0000000Z`;
}
