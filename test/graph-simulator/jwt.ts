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
