/**
 * Records the access tokens a collection obtained and sent, so that a test
 * can search everything the collection logged and wrote for them. The
 * integration never exposes its tokens, and the product code is not changed
 * for this: the recorder wraps, for the duration of a test,
 * - ClientSecretCredential.prototype.getToken (every token the credential
 *   hands out, the permission preflight's included), and
 * - the global fetch that @microsoft/microsoft-graph-client calls (the
 *   bearer token of every Graph request as it goes on the wire).
 * Both are restored by stop(). Jest gives each test file its own globals and
 * module registry, so this is parallel-safe.
 */
import { AccessToken, ClientSecretCredential } from '@azure/identity';

export interface TokenRecorder {
  /** Tokens the credential returned. */
  readonly issued: Set<string>;
  /** Tokens sent in Authorization headers. */
  readonly sent: Set<string>;
  /** Both, for searching. */
  all(): string[];
  stop(): void;
}

function authorizationOf(input: unknown, init?: RequestInit): string | null {
  const fromInit = init?.headers
    ? new Headers(init.headers).get('authorization')
    : null;
  if (fromInit) return fromInit;
  return typeof (input as Request)?.headers?.get === 'function'
    ? (input as Request).headers.get('authorization')
    : null;
}

export function recordAccessTokens(): TokenRecorder {
  const issued = new Set<string>();
  const sent = new Set<string>();

  const prototype = ClientSecretCredential.prototype;
  const getToken = prototype.getToken;
  prototype.getToken = async function (
    this: ClientSecretCredential,
    ...args: Parameters<ClientSecretCredential['getToken']>
  ): Promise<AccessToken> {
    const token = await getToken.apply(this, args);
    if (token?.token) issued.add(token.token);
    return token;
  };

  const global = globalThis as unknown as { fetch: typeof fetch };
  const fetchBefore = global.fetch;
  global.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const authorization = authorizationOf(input, init);
    if (authorization) sent.add(authorization.replace(/^Bearer\s+/i, ''));
    return fetchBefore(input, init);
  };

  return {
    issued,
    sent,
    all: () => Array.from(new Set([...issued, ...sent])),
    stop: () => {
      prototype.getToken = getToken;
      global.fetch = fetchBefore;
    },
  };
}

/**
 * What must not appear anywhere: each token whole, and each of its parts
 * that identify it (the claims, which hold a unique `uti`, and the
 * signature), so that a token cut or split by a log line is still found.
 */
export function tokenNeedles(tokens: string[]): string[] {
  return Array.from(
    new Set(
      tokens.flatMap((token) => {
        const [, claims, signature] = token.split('.');
        return [token, claims, signature].filter(
          (part): part is string =>
            typeof part === 'string' && part.length >= 20,
        );
      }),
    ),
  );
}

/** Text that looks like a JWT (header.claims.signature, base64url JSON). */
export const JWT_PATTERN =
  /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
