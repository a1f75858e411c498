/**
 * Error bodies as Microsoft Graph and Entra ID put them on the wire
 * (graph-api.md §1.4 and §5, HAR fetchOrganizationInaccessible).
 */

/** A Graph error the route handlers throw; the server renders it with {@link renderGraphError}. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Extra innerError fields (the 429 sample carries code/message/status there). */
    readonly innerError: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Messages quoted from real responses; tests compare against these. */
export const GraphMessages = {
  tokenEmpty: 'Access token is empty.',
  tokenUnparsable: 'CompactToken parsing failed with error code: 80049217',
  tokenExpired: 'Lifetime validation failed, the token is expired.',
  tokenInvalidAudience: 'Access token validation failure. Invalid audience.',
  identityNotFound:
    'The identity of the calling application could not be established.',
  insufficientPrivileges: 'Insufficient privileges to complete the operation.',
  notApplicable: 'Request not applicable to target tenant.',
  throttled: 'Please retry again later.',
  expiredPageToken:
    'The specified page token value has expired and can no longer be included in your request.',
  methodNotAllowed:
    'Specified HTTP method is not allowed for the request target.',
  auditLogPermissionMissing:
    'Calling principal does not have required MSGraph permissions AuditLog.Read.All',
  nonPremiumOld: "Neither tenant is B2C or tenant doesn't have premium license",
  nonPremiumNew: "Tenant is not a B2C tenant and doesn't have premium license",
  // issue 16: PIM without Entra ID P2 (400 AadPremiumLicenseRequired).
  // New: maester365/maester#1421 (2026); old: JulianHayward/Azure-MG-Sub-Governance-Reporting#114 (2022).
  p2RequiredNew:
    'The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.',
  p2RequiredOld: 'The tenant needs an AAD Premium 2 license.',
} as const;

export function resourceNotFound(segment: string): GraphHttpError {
  return new GraphHttpError(
    400,
    'BadRequest',
    `Resource not found for the segment '${segment}'.`,
  );
}

export function directoryObjectNotFound(id: string): GraphHttpError {
  return new GraphHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function unknownProperty(
  property: string,
  typeName: string,
): GraphHttpError {
  return new GraphHttpError(
    400,
    'BadRequest',
    `Parsing OData Select and Expand failed: Could not find a property named '${property}' on type 'microsoft.graph.${typeName}'.`,
  );
}

export function invalidPageSize(value: string): GraphHttpError {
  return new GraphHttpError(
    400,
    'Request_UnsupportedQuery',
    `Invalid page size specified: '${value}'. Must be between 1 and 999 inclusive.`,
  );
}

export function throttledError(
  retryAfterSeconds: number | null,
): GraphHttpError {
  const headers: Record<string, string> =
    retryAfterSeconds === null
      ? {}
      : { 'Retry-After': String(retryAfterSeconds) };
  // The innerError of the documented sample (learn.microsoft.com/graph/throttling).
  return new GraphHttpError(
    429,
    'TooManyRequests',
    GraphMessages.throttled,
    headers,
    {
      code: '429',
      message: 'Please retry after',
      status: '429',
    },
  );
}

/**
 * Intune wraps its own error document, as a JSON string, in `message`
 * (graph-api.md §5 "Missing Intune permission").
 */
export function intuneErrorMessage(
  text: string,
  activityId: string,
  url: string,
): string {
  const inner = {
    _version: 3,
    Message: `${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${activityId} - Url: ${url}`,
    CustomApiErrorPhrase: '',
    RetryAfter: null,
    ErrorSourceService: '',
    HttpHeaders: '{}',
  };
  return JSON.stringify(inner, null, 2).replace(/\n/g, '\r\n');
}

/** `innerError.date` carries no time zone on the wire ("2021-03-16T18:37:37"). */
export function innerErrorDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19);
}

export function renderGraphError(
  error: { code: string; message: string; innerError?: Record<string, string> },
  requestId: string,
  clientRequestId: string,
): string {
  const body = {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        ...(error.innerError ?? {}),
        date: innerErrorDate(),
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
  // Pretty-printed, as in the captured 401 (HAR fetchOrganizationInaccessible).
  return JSON.stringify(body, null, 2);
}

// ---- Entra ID (token endpoint) ---------------------------------------------

/** A token-endpoint failure: OAuth error name, AADSTS number and description text. */
export class AadError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }
}

/** "YYYY-MM-DD hh:mm:ssZ", the `timestamp` format of token errors. */
export function aadTimestamp(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19).replace('T', ' ') + 'Z';
}

export function renderAadError(
  failure: AadError,
  traceId: string,
  correlationId: string,
  errorUriHost: string,
): string {
  const timestamp = aadTimestamp();
  return JSON.stringify({
    error: failure.error,
    // 2024 format: the trailer is separated by spaces, not \r\n (graph-api.md §1.4).
    error_description: `AADSTS${failure.aadsts}: ${failure.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [failure.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://${errorUriHost}/error?code=${failure.aadsts}`,
  });
}
