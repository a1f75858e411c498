/**
 * The Graph request pipeline, shared by plain requests and $batch items:
 *
 *   route -> bearer token (401s) -> fault rules / random faults -> throttling (429)
 *   -> Intune availability (400) -> permissions (403) -> handler -> headers -> latency
 */
import { randomUUID } from 'crypto';
import {
  PageFault,
  errorHeaders,
  successHeaders,
  wwwAuthenticate,
  ODATA_JSON_CONTENT_TYPE,
} from './envelope';
import {
  Execution,
  ExecutionOutcome,
  IncomingRequest,
  sleep,
  TransportFault,
} from './exchange';
import { graphErrorFor, isErrorFault } from './faults';
import {
  GraphHttpError,
  GraphMessages,
  intuneErrorMessage,
  renderGraphError,
  throttledError,
} from './errors';
import {
  GraphCall,
  GraphPayload,
  GraphRoute,
  intuneBackendUrl,
  numericTop,
} from './graph-call';
import { matchRoute, pathSegments, RouteMatch } from './graph-routes';
import { AccessTokenClaims } from './jwt';
import { parseQuery, QueryOptions } from './odata';
import { describeScopes, hasAnyPermission } from './permissions';
import { ApiVersion } from './schema';
import { SimulatorState } from './state';
import { TenantData } from './tenant/model';
import {
  directoryResourceUnits,
  isThrottledService,
  ThrottleDecision,
} from './throttle';

/** Audiences Graph accepts: the national Graph hosts and Graph's app id (graph-api.md §8). */
const GRAPH_AUDIENCES = new Set([
  'https://graph.microsoft.com',
  'https://graph.microsoft.us',
  'https://dod-graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
  'https://graph.microsoft.de',
  'https://canary.graph.microsoft.com',
  '00000003-0000-0000-c000-000000000000',
]);

/** System query options Graph has but the simulator does not implement: refused, never silently ignored. */
const UNSUPPORTED_OPTIONS = new Set([
  '$orderby',
  '$search',
  '$skip',
  '$apply',
  '$compute',
]);
/** Options the simulator understands ($count and $format are accepted and ignored). */
const SUPPORTED_OPTIONS = new Set([
  '$select',
  '$expand',
  '$filter',
  '$top',
  '$skiptoken',
  '$count',
  '$format',
]);

interface Caller {
  tenant: TenantData;
  claims: AccessTokenClaims;
  roles: ReadonlySet<string>;
}

export class GraphService {
  constructor(
    private readonly state: SimulatorState,
    private readonly serverHostnames: string[],
  ) {}

  async execute(request: IncomingRequest): Promise<Execution> {
    const requestId = randomUUID();
    const clientRequestId = request.headers['client-request-id'] ?? requestId;
    const outcome: ExecutionOutcome = {
      service: 'other',
      endpoint: `${request.method} /{unknown}`,
      itemsServed: 0,
      resourceUnits: 0,
    };
    let execution: Execution;
    try {
      execution = await this.serve(
        request,
        requestId,
        clientRequestId,
        outcome,
      );
    } catch (error) {
      execution = this.errorExecution(
        request,
        error,
        requestId,
        clientRequestId,
        outcome,
      );
    }
    if (!execution.transport) {
      const { baseMs, perItemMs } = this.state.behaviour.latency;
      await sleep(baseMs + perItemMs * outcome.itemsServed);
    }
    return execution;
  }

  private async serve(
    request: IncomingRequest,
    requestId: string,
    clientRequestId: string,
    outcome: ExecutionOutcome,
  ): Promise<Execution> {
    const { version, rest } = splitVersion(request.path);
    let match: RouteMatch | undefined;
    let routeError: unknown;
    try {
      match = matchRoute(request.method, pathSegments(rest));
      outcome.service = match.route.service;
      outcome.endpoint = match.endpoint;
    } catch (error) {
      // Reported after authentication, as Graph checks the token first.
      routeError = error;
    }

    const caller = this.authenticate(request);
    outcome.tenantId = caller.tenant.tenantId;
    const query = parseQuery(request.rawQuery);

    const fault = await this.applyFault(request, query, caller, outcome);
    if (fault.transport) {
      return {
        status: 0,
        headers: {},
        body: '',
        transport: fault.transport,
        outcome,
      };
    }
    if (routeError || !match) throw routeError;
    const { route } = match;
    rejectUnsupportedOptions(query);
    const throttle = this.chargeAndThrottle(route, query, caller, outcome);
    if (route.requiresIntune && !caller.tenant.intune) {
      throw new GraphHttpError(400, 'BadRequest', GraphMessages.notApplicable);
    }

    const call: GraphCall = {
      tenant: caller.tenant,
      version,
      roles: caller.roles,
      params: match.params,
      query,
      page: {
        origin: request.origin,
        version,
        pathWithVersion: request.path,
        rawQuery: request.rawQuery,
        query,
        pageFault: fault.pageFault,
        cache: {
          store: this.state.pageCache,
          scope: this.state.cacheScopeOf(caller.tenant),
        },
      },
      origin: request.origin,
      body: route.method === 'POST' ? readJsonBody(request) : undefined,
      behaviour: this.state.behaviour,
      catalog: this.state.catalogFor(caller.tenant),
      requestId,
      headers: request.headers,
      exportJobs: this.state.exportJobs,
    };
    requirePermission(route, call);
    route.authorize?.(call);
    const payload = route.handle(call);
    outcome.itemsServed = payload.itemsServed;
    return {
      status: payload.status ?? 200,
      headers: {
        ...this.successHeaders(
          route.service === 'directory',
          payload,
          requestId,
          clientRequestId,
          outcome,
          throttle,
        ),
        ...payload.headers,
      },
      body: fault.invalidJson ? truncate(payload.body) : payload.body,
      outcome,
    };
  }

  /**
   * Fault rules, then random faults (faults.ts). Errors are thrown; the other
   * kinds come back as what the rest of the pipeline must do.
   */
  private async applyFault(
    request: IncomingRequest,
    query: QueryOptions,
    caller: Caller,
    outcome: ExecutionOutcome,
  ): Promise<{
    transport?: TransportFault;
    pageFault?: PageFault;
    invalidJson?: boolean;
  }> {
    const fault = this.state.faults.pick({
      method: request.method,
      path: `${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`,
      service: outcome.service,
      tenantId: caller.tenant.tenantId,
      isNextLink: query.skipToken !== undefined,
      pageNumber: query.skipToken?.page ?? 1,
      batchItem: request.batchItem,
    });
    if (!fault) return {};
    outcome.fault = fault.label;
    const response = fault.response;
    if (isErrorFault(response)) throw graphErrorFor(response);
    switch (response.kind) {
      case 'resetConnection':
        return { transport: { kind: 'reset' } };
      case 'stall':
        if (response.ms === undefined) return { transport: { kind: 'stall' } };
        await sleep(response.ms);
        return {};
      case 'expiredPageToken':
        throw new GraphHttpError(
          400,
          'Directory_ExpiredPageToken',
          GraphMessages.expiredPageToken,
        );
      case 'invalidJson':
        return { invalidJson: true };
      default:
        return { pageFault: response.kind };
    }
  }

  /**
   * Charges the request to its bucket (graph-api.md §6): directory requests
   * cost resource units, Intune requests one each. Throws the 429.
   */
  private chargeAndThrottle(
    route: GraphRoute,
    query: QueryOptions,
    caller: Caller,
    outcome: ExecutionOutcome,
  ): ThrottleDecision | undefined {
    if (route.service === 'directory') {
      outcome.resourceUnits = directoryResourceUnits(route.resourceUnits ?? 1, {
        hasSelect: query.select !== undefined,
        hasExpand: query.expand !== undefined,
        top: numericTop(query),
      });
    }
    if (!this.state.throttler || !isThrottledService(route.service))
      return undefined;
    const decision = this.state.throttler.take({
      tenantId: caller.tenant.tenantId,
      appId: caller.claims.appid,
      service: route.service,
      cost: route.service === 'directory' ? outcome.resourceUnits : 1,
      tenantUserCount: caller.tenant.users.count,
    });
    if (decision.allowed) return decision;
    outcome.throttled = true;
    // "don't return a Retry-After header on 429" (throttling-limits, CA; types.ts).
    const error = throttledError(
      route.service !== 'conditionalAccess' &&
        this.state.behaviour.throttleRetryAfter
        ? decision.retryAfterSeconds
        : null,
    );
    if (route.service === 'directory') {
      Object.assign(error.headers, {
        'x-ms-throttle-scope': `Tenant_Application/Read/${caller.claims.appid}/${caller.tenant.tenantId}`,
        'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
      });
    }
    throw error;
  }

  private successHeaders(
    directory: boolean,
    payload: GraphPayload,
    requestId: string,
    clientRequestId: string,
    outcome: ExecutionOutcome,
    throttle: ThrottleDecision | undefined,
  ): Record<string, string> {
    const headers = successHeaders(
      requestId,
      clientRequestId,
      payload.contentType ?? ODATA_JSON_CONTENT_TYPE,
      directory,
    );
    if (directory && !payload.omitResourceUnitHeader) {
      headers['x-ms-resource-unit'] = String(outcome.resourceUnits);
    }
    // Only identity answers carry it, and only above 80 % of the limit (graph-api.md §6).
    if (directory && throttle && throttle.usedFraction > 0.8) {
      headers['x-ms-throttle-limit-percentage'] = Math.min(
        1.8,
        throttle.usedFraction,
      ).toFixed(1);
    }
    return headers;
  }

  /**
   * Bearer validation in Graph's order and wording (graph-api.md §5): empty,
   * unparsable or badly signed, expired, wrong audience, then an app without
   * a service principal in the tenant (HAR fetchOrganizationInaccessible).
   */
  private authenticate(request: IncomingRequest): Caller {
    const header = request.headers.authorization ?? '';
    const token = /^bearer\s/i.test(header) ? header.slice(6).trim() : '';
    if (!token)
      throw unauthorized(
        'InvalidAuthenticationToken',
        GraphMessages.tokenEmpty,
      );
    const check = this.state.signer.verify(token);
    if (!check.ok)
      throw unauthorized(
        'InvalidAuthenticationToken',
        GraphMessages.tokenUnparsable,
      );
    const { claims } = check;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
      throw unauthorized(
        'InvalidAuthenticationToken',
        GraphMessages.tokenExpired,
      );
    }
    if (!this.isGraphAudience(claims.aud, request.host)) {
      throw unauthorized(
        'InvalidAuthenticationToken',
        GraphMessages.tokenInvalidAudience,
      );
    }
    const tenant = this.state.findTenant(String(claims.tid));
    const servicePrincipal =
      tenant &&
      (tenant.servicePrincipals.get(claims.appid) ??
        tenant.servicePrincipals.get(claims.appid.toLowerCase()));
    if (!tenant || !servicePrincipal) {
      throw unauthorized(
        'Authorization_IdentityNotFound',
        GraphMessages.identityNotFound,
      );
    }
    return { tenant, claims, roles: new Set(claims.roles ?? []) };
  }

  private isGraphAudience(audience: string, requestHost: string): boolean {
    if (GRAPH_AUDIENCES.has(audience.replace(/\/$/, ''))) return true;
    try {
      const host = new URL(audience).hostname
        .toLowerCase()
        .replace(/^\[|\]$/g, '');
      const served = [
        'localhost',
        '127.0.0.1',
        '::1',
        ...this.serverHostnames,
      ].map((name) => name.toLowerCase());
      return (
        served.includes(host) ||
        host === requestHost.replace(/:\d+$/, '').toLowerCase()
      );
    } catch {
      return false;
    }
  }

  private errorExecution(
    request: IncomingRequest,
    error: unknown,
    requestId: string,
    clientRequestId: string,
    outcome: ExecutionOutcome,
  ): Execution {
    const graphError =
      error instanceof GraphHttpError
        ? error
        : new GraphHttpError(
            500,
            'UnknownError',
            error instanceof Error ? error.message : String(error),
          );
    const headers: Record<string, string> = {
      ...errorHeaders(requestId, clientRequestId),
      ...graphError.headers,
    };
    if (graphError.status === 401)
      headers['www-authenticate'] = wwwAuthenticate(request.origin);
    return {
      status: graphError.status,
      headers,
      body: renderGraphError(
        {
          code: graphError.code,
          message: graphError.message,
          innerError: graphError.innerError,
        },
        requestId,
        clientRequestId,
      ),
      outcome,
    };
  }
}

/** '/v1.0/users' -> version 'v1.0', rest '/users'. The server only routes /v1.0 and /beta here. */
export function splitVersion(path: string): {
  version: ApiVersion;
  rest: string;
} {
  const slash = path.indexOf('/', 1);
  const first = (
    slash < 0 ? path.slice(1) : path.slice(1, slash)
  ).toLowerCase();
  return {
    version: first === 'beta' ? 'beta' : 'v1.0',
    rest: slash < 0 ? '' : path.slice(slash),
  };
}

function unauthorized(code: string, message: string): GraphHttpError {
  return new GraphHttpError(401, code, message);
}

/** 403 in the directory's or Intune's wording (graph-api.md §5). */
function requirePermission(route: GraphRoute, call: GraphCall): void {
  if (hasAnyPermission(call.roles, route.permissions)) return;
  // issue 16: the reports service names the permission (as for signInActivity, graph-api.md §4).
  if (route.service === 'identityReports') {
    throw new GraphHttpError(
      403,
      'Authentication_MSGraphPermissionMissing',
      GraphMessages.auditLogPermissionMissing,
    );
  }
  if (!route.service.startsWith('intune')) {
    throw new GraphHttpError(
      403,
      'Authorization_RequestDenied',
      GraphMessages.insufficientPrivileges,
    );
  }
  throw new GraphHttpError(
    403,
    'Forbidden',
    intuneErrorMessage(
      `Application is not authorized to perform this operation. Application must have one of the following scopes: ${describeScopes(
        route.permissions,
      )}`,
      call.requestId,
      intuneBackendUrl(call),
    ),
  );
}

function rejectUnsupportedOptions(query: QueryOptions): void {
  for (const option of query.system.keys()) {
    if (UNSUPPORTED_OPTIONS.has(option)) {
      throw new GraphHttpError(
        400,
        'BadRequest',
        `The query parameter '${option}' is not supported by the simulator.`,
      );
    }
    if (!SUPPORTED_OPTIONS.has(option)) {
      throw new GraphHttpError(
        400,
        'BadRequest',
        `The query parameter '${option}' is not supported.`,
      );
    }
  }
}

function readJsonBody(request: IncomingRequest): unknown {
  if (request.jsonBody !== undefined) return request.jsonBody;
  const text = request.rawBody?.toString('utf8') ?? '';
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new GraphHttpError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
}

/** A body cut in the middle: JSON.parse fails on it (the invalidJson fault). */
function truncate(body: string | Buffer): string {
  const text = body.toString();
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
