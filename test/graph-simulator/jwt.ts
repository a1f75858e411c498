/**
 * RS256 access tokens signed by the simulator, shaped like Entra's v1.0
 * app-only Graph tokens (graph-api.md §1.6), and their verification on the
 * Graph side.
 */
import * as crypto from 'crypto';
import { generateRsaKeyPair, selfSignedCertificate } from './tls';

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  app_displayname: string;
  appid: string;
  appidacr: string;
  idp: string;
  idtyp: 'app';
  oid: string;
  sub: string;
  tid: string;
  uti: string;
  ver: '1.0';
  /** Granted application permissions; absent when none (as Entra does). */
  roles?: string[];
}

export type TokenCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'malformed' | 'signature' };

/** Verified tokens are cached by their text: clients reuse one token for an hour. */
const VERIFIED_CACHE_LIMIT = 10_000;

export class TokenSigner {
  readonly kid: string;
  readonly x5t: string;
  private readonly privateKey: crypto.KeyObject;
  private readonly publicKey: crypto.KeyObject;
  private readonly certificateDerBase64: string;
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor() {
    const pair = generateRsaKeyPair();
    this.privateKey = crypto.createPrivateKey(pair.privateKeyPem);
    this.publicKey = crypto.createPublicKey(pair.publicKeyPem);
    const certPem = selfSignedCertificate(
      pair,
      'accounts.graph-simulator.local',
    );
    const der = pemToDer(certPem);
    this.certificateDerBase64 = der.toString('base64');
    // Entra's kid and x5t are both the base64url SHA-1 thumbprint of the signing certificate.
    this.x5t = base64url(crypto.createHash('sha1').update(der).digest());
    this.kid = this.x5t;
  }

  sign(claims: AccessTokenClaims): string {
    const header = { typ: 'JWT', alg: 'RS256', x5t: this.x5t, kid: this.kid };
    const signingInput = `${encodeJson(header)}.${encodeJson(claims)}`;
    const signature = crypto.sign(
      'sha256',
      Buffer.from(signingInput),
      this.privateKey,
    );
    return `${signingInput}.${base64url(signature)}`;
  }

  /** Checks format and signature only; lifetime and audience are the caller's policy. */
  verify(token: string): TokenCheck {
    const cached = this.verified.get(token);
    if (cached) return { ok: true, claims: cached };

    const parts = token.split('.');
    if (
      parts.length !== 3 ||
      parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))
    ) {
      return { ok: false, reason: 'malformed' };
    }
    let claims: AccessTokenClaims;
    try {
      const header = JSON.parse(
        Buffer.from(parts[0], 'base64url').toString('utf8'),
      );
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      if (
        header?.alg !== 'RS256' ||
        typeof claims !== 'object' ||
        claims === null
      ) {
        return { ok: false, reason: 'malformed' };
      }
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const valid = crypto.verify(
      'sha256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      this.publicKey,
      Buffer.from(parts[2], 'base64url'),
    );
    if (!valid) return { ok: false, reason: 'signature' };

    if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, claims);
    return { ok: true, claims };
  }

  /** The JWKS document served at /{tenant}/discovery/v2.0/keys. */
  jwks(issuer: string): object {
    const jwk = this.publicKey.export({ format: 'jwk' }) as {
      n: string;
      e: string;
    };
    return {
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          kid: this.kid,
          x5t: this.x5t,
          n: jwk.n,
          e: jwk.e,
          x5c: [this.certificateDerBase64],
          issuer,
        },
      ],
    };
  }
}

function encodeJson(value: unknown): string {
  return base64url(Buffer.from(JSON.stringify(value), 'utf8'));
}

function base64url(buffer: Buffer): string {
  return buffer.toString('base64url');
}

function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

// ---- client assertions (certificate credentials, graph-api.md §1) ----------------

export const CLIENT_ASSERTION_TYPE =
  'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Time skew allowed on an assertion's nbf/exp. UNCONFIRMED: Entra's real tolerance is not documented here. */
export const ASSERTION_CLOCK_SKEW_SECONDS = 300;

/** What the token endpoint expects of one assertion. */
export interface AssertionExpectation {
  clientId: string;
  /** Accepted `aud` values (token endpoint URLs), compared case-insensitively. */
  audiences: string[];
  /** PEM certificates registered on the application (leaf certificates or issuing CAs). */
  certificates: string[];
  /** Seconds since the epoch. */
  now: number;
}

export type AssertionFailure =
  /** Not a JWT, an unsupported alg, missing iss/sub/aud/exp/jti. */
  | { kind: 'malformed' }
  /** No registered certificate (or trusted issuer) matches the header's thumbprint / x5c. */
  | { kind: 'keyNotFound'; thumbprint: string }
  /** The matching certificate is past its end date. UNCONFIRMED as a distinct Entra answer. */
  | { kind: 'keyExpired'; thumbprint: string; notBefore: Date; notAfter: Date }
  | { kind: 'signature' }
  | { kind: 'clientId' }
  | { kind: 'audience' }
  | { kind: 'lifetime'; notBefore?: number; expires?: number };

export type AssertionCheck =
  | {
      ok: true;
      /** How the signing certificate was trusted. */
      trust: 'registeredCertificate' | 'registeredIssuer';
      alg: 'RS256' | 'PS256';
      /** Upper-case hex SHA-1 thumbprint of the signing certificate. */
      thumbprint: string;
    }
  | ({ ok: false } & AssertionFailure);

interface AssertionHeader {
  alg?: unknown;
  x5t?: unknown;
  'x5t#S256'?: unknown;
  x5c?: unknown;
}

interface AssertionClaims {
  aud?: unknown;
  iss?: unknown;
  sub?: unknown;
  exp?: unknown;
  nbf?: unknown;
  jti?: unknown;
}

/**
 * Verifies a client assertion the way the token endpoint does (Microsoft
 * identity platform "certificate credentials"): the signing certificate is
 * found by the header's `x5t#S256` (what msal-node 5 sends, with PS256) or
 * `x5t` (SHA-1, RS256) among the certificates registered on the app; with an
 * `x5c` chain (sendCertificateChain, subject name + issuer), a leaf that
 * chains to a CA certificate registered on the app is trusted too. Then the
 * signature, iss = sub = client id, aud = token endpoint, nbf/exp, jti.
 * jti is required but replays are accepted: msal-node reuses one assertion
 * for up to 10 minutes, and Entra takes it.
 */
export function checkClientAssertion(
  assertion: string,
  expectation: AssertionExpectation,
): AssertionCheck {
  const parts = assertion.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    return { ok: false, kind: 'malformed' };
  }
  let header: AssertionHeader;
  let claims: AssertionClaims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, kind: 'malformed' };
  }
  if (
    !header ||
    typeof header !== 'object' ||
    !claims ||
    typeof claims !== 'object' ||
    (header.alg !== 'RS256' && header.alg !== 'PS256')
  ) {
    return { ok: false, kind: 'malformed' };
  }
  const alg = header.alg;

  const found = findSigningCertificate(header, expectation);
  if (!found.ok) return found;
  const { certificate, trust } = found;
  const thumbprint = sha1Hex(certificate);
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (notAfter.getTime() <= expectation.now * 1000) {
    return { ok: false, kind: 'keyExpired', thumbprint, notBefore, notAfter };
  }

  const signature = Buffer.from(parts[2], 'base64url');
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const verified =
    alg === 'RS256'
      ? crypto.verify('sha256', data, certificate.publicKey, signature)
      : crypto.verify(
          'sha256',
          data,
          {
            key: certificate.publicKey,
            padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
            saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST,
          },
          signature,
        );
  if (!verified) return { ok: false, kind: 'signature' };

  if (
    typeof claims.iss !== 'string' ||
    typeof claims.sub !== 'string' ||
    typeof claims.aud !== 'string' ||
    typeof claims.exp !== 'number' ||
    typeof claims.jti !== 'string' ||
    !claims.jti
  ) {
    return { ok: false, kind: 'malformed' };
  }
  const clientId = expectation.clientId.toLowerCase();
  if (
    claims.iss.toLowerCase() !== clientId ||
    claims.sub.toLowerCase() !== clientId
  ) {
    return { ok: false, kind: 'clientId' };
  }
  const audience = claims.aud.toLowerCase().replace(/\/$/, '');
  if (
    !expectation.audiences.some(
      (candidate) => candidate.toLowerCase().replace(/\/$/, '') === audience,
    )
  ) {
    return { ok: false, kind: 'audience' };
  }
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : undefined;
  if (
    claims.exp + ASSERTION_CLOCK_SKEW_SECONDS <= expectation.now ||
    (nbf !== undefined && nbf - ASSERTION_CLOCK_SKEW_SECONDS > expectation.now)
  ) {
    return { ok: false, kind: 'lifetime', notBefore: nbf, expires: claims.exp };
  }
  return { ok: true, trust, alg, thumbprint };
}

function findSigningCertificate(
  header: AssertionHeader,
  expectation: AssertionExpectation,
):
  | {
      ok: true;
      certificate: crypto.X509Certificate;
      trust: 'registeredCertificate' | 'registeredIssuer';
    }
  | ({ ok: false } & AssertionFailure) {
  const sha256 =
    typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const sha1 = typeof header.x5t === 'string' ? header.x5t : undefined;
  if (!sha256 && !sha1) return { ok: false, kind: 'malformed' };
  // The thumbprint Entra prints: hex of the header's thumbprint (SHA-256 when that is what was sent).
  const sentThumbprint = Buffer.from((sha256 ?? sha1)!, 'base64url')
    .toString('hex')
    .toUpperCase();
  const matches = (certificate: crypto.X509Certificate) =>
    sha256
      ? thumbprintOf(certificate, 'sha256') === sha256
      : thumbprintOf(certificate, 'sha1') === sha1;

  const registered = expectation.certificates.flatMap((pem) => {
    try {
      return [new crypto.X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  const direct = registered.find((certificate) => matches(certificate));
  if (direct)
    return { ok: true, certificate: direct, trust: 'registeredCertificate' };

  // Subject name + issuer: the x5c chain must name the same leaf and lead to a registered CA.
  const chain = parseChain(header.x5c);
  if (!chain || !chain.length || !matches(chain[0])) {
    return { ok: false, kind: 'keyNotFound', thumbprint: sentThumbprint };
  }
  const now = expectation.now * 1000;
  for (let i = 0; i < chain.length; i++) {
    const current = chain[i];
    if (
      new Date(current.validFrom).getTime() > now ||
      new Date(current.validTo).getTime() <= now
    ) {
      break;
    }
    const issuer = registered.find(
      (candidate) =>
        candidate.ca &&
        current.checkIssued(candidate) &&
        current.verify(candidate.publicKey),
    );
    if (issuer) {
      return { ok: true, certificate: chain[0], trust: 'registeredIssuer' };
    }
    const next = chain[i + 1];
    if (
      !next ||
      !next.ca ||
      !current.checkIssued(next) ||
      !current.verify(next.publicKey)
    ) {
      break;
    }
  }
  return { ok: false, kind: 'keyNotFound', thumbprint: sentThumbprint };
}

function parseChain(x5c: unknown): crypto.X509Certificate[] | undefined {
  if (!Array.isArray(x5c) || !x5c.every((item) => typeof item === 'string')) {
    return undefined;
  }
  try {
    return x5c.map(
      (item: string) => new crypto.X509Certificate(Buffer.from(item, 'base64')),
    );
  } catch {
    return undefined;
  }
}

function thumbprintOf(
  certificate: crypto.X509Certificate,
  hash: 'sha1' | 'sha256',
): string {
  return base64url(crypto.createHash(hash).update(certificate.raw).digest());
}

function sha1Hex(certificate: crypto.X509Certificate): string {
  return certificate.fingerprint.replace(/:/g, '').toUpperCase();
}
