/**
 * The app-only credential of the integration, built from the instance config:
 * a client secret (ClientSecretCredential), or a certificate
 * (ClientCertificateCredential: MSAL signs the client assertion with the
 * certificate's private key; we never build one ourselves).
 *
 * Also the local checks of a certificate PEM, which validateInvocation runs
 * before any request. Their messages name the certificate by its thumbprint
 * and dates, never by anything secret: no key, no password, no PEM text.
 */
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  TokenCredential,
} from '@azure/identity';
import {
  createPublicKey,
  KeyObject,
  X509Certificate,
  createPrivateKey,
} from 'crypto';
import { CloudSettings } from './clouds';

/**
 * What a credential is built from: the app registration, the tenant and
 * one of a secret or a certificate. The instance config (config.ts) extends
 * it, so the dependency runs one way: config -> graph.
 */
export interface CredentialConfig {
  /** Application (client) ID of the app registration. */
  clientId: string;
  /**
   * Client secret value of the app registration. Empty or absent when
   * clientCertificate is used: exactly one of the two is set. (Typed as a
   * string for the many callers that build secret configs.)
   */
  clientSecret: string;
  /**
   * PEM with the certificate registered on the app registration, followed by
   * its private key; the alternative to clientSecret. Literal `\n` sequences
   * (a PEM kept in a single-line variable) are read as line breaks.
   */
  clientCertificate?: string;
  /** Password of the private key in clientCertificate, when it is encrypted. */
  clientCertificatePassword?: string;
  /** Send the certificate chain (x5c) in the assertion, for subject name + issuer authentication. */
  sendCertificateChain?: boolean;
  /** Directory (tenant) ID, or a verified domain of the tenant. */
  tenant: string;
}

/** MSAL signs assertions with PS256 (RSA); jsonwebtoken refuses RSA keys under 2048 bits. */
const MIN_RSA_BITS = 2048;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const PRIVATE_KEY_LABELS = new Set([
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
]);

export type CredentialKind = 'secret' | 'certificate';

/** Which credential the config asks for (the certificate wins when, wrongly, both are set). */
export function credentialKind(
  config: Pick<Partial<CredentialConfig>, 'clientCertificate'>,
): CredentialKind {
  return config.clientCertificate ? 'certificate' : 'secret';
}

export function createCredential(
  config: CredentialConfig,
  cloud: CloudSettings,
): TokenCredential {
  const tenant = config.tenant.trim();
  const clientId = config.clientId.trim();
  const options = {
    authorityHost: cloud.authorityHost,
    disableInstanceDiscovery: cloud.disableInstanceDiscovery,
  };
  if (credentialKind(config) === 'certificate') {
    return new ClientCertificateCredential(
      tenant,
      clientId,
      {
        certificate: normalizePem(config.clientCertificate ?? ''),
        certificatePassword: config.clientCertificatePassword || undefined,
      },
      { ...options, sendCertificateChain: isTrue(config.sendCertificateChain) },
    );
  }
  return new ClientSecretCredential(
    tenant,
    clientId,
    config.clientSecret ?? '',
    options,
  );
}

export function isTrue(value: unknown): boolean {
  return (
    value === true ||
    (typeof value === 'string' && value.trim().toLowerCase() === 'true')
  );
}

/**
 * A PEM as @azure/identity and node:crypto read it. A PEM kept in a
 * single-line environment variable or secret store usually arrives with
 * literal `\n` sequences, or with spaces where the line breaks were: both are
 * turned back into a PEM. Each block is re-wrapped at 64 characters; text
 * around the blocks (openssl's "Bag Attributes") is dropped.
 */
export function normalizePem(value: string): string {
  const text = value.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n');
  const blocks: string[] = [];
  for (const [, label, body] of text.matchAll(PEM_BLOCK)) {
    blocks.push(
      `-----BEGIN ${label}-----\n${rewrap(body)}\n-----END ${label}-----`,
    );
  }
  return blocks.length ? `${blocks.join('\n')}\n` : text.trim();
}

function rewrap(body: string): string {
  if (body.includes(':')) {
    // RFC 1421 headers (Proc-Type/DEK-Info of a legacy encrypted key): keep the lines.
    const lines = body.split('\n').map((line) => line.trim());
    while (lines.length && !lines[0]) lines.shift();
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    return lines.join('\n');
  }
  const base64 = body.replace(/\s+/g, '');
  return base64.match(/.{1,64}/g)?.join('\n') ?? '';
}

interface PemBlock {
  label: string;
  text: string;
}

function pemBlocks(pem: string): PemBlock[] {
  return Array.from(pem.matchAll(PEM_BLOCK), (match) => ({
    label: match[1],
    text: match[0],
  }));
}

export interface CertificateFacts {
  /** SHA-1 thumbprint, upper-case hex: what the app registration's Certificates & secrets page shows. */
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
}

/** The first certificate of the PEM (the one @azure/identity names in the assertion), if readable. */
export function certificateFacts(pem: string): CertificateFacts | undefined {
  const block = pemBlocks(normalizePem(pem)).find(
    (b) => b.label === 'CERTIFICATE',
  );
  if (!block) return undefined;
  try {
    const certificate = new X509Certificate(block.text);
    return factsOf(certificate);
  } catch {
    return undefined;
  }
}

function factsOf(certificate: X509Certificate): CertificateFacts {
  return {
    thumbprint: certificate.fingerprint.replace(/:/g, '').toUpperCase(),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
  };
}

/**
 * The credential problems of the config, each as one sentence that says what
 * to fix: which of clientSecret and clientCertificate is set, and whether the
 * certificate PEM can sign an assertion that Entra ID would accept.
 * `now` decides the certificate's validity.
 */
export function findCredentialProblems(
  config: Partial<CredentialConfig>,
  now: Date = new Date(),
): string[] {
  const problems: string[] = [];
  const certificate = config.clientCertificate;
  if (!certificate) {
    if (!config.clientSecret) {
      // Follows the "clientSecret is missing" problem of findConfigProblems.
      problems.push(
        'For certificate authentication set clientCertificate instead of clientSecret: a PEM holding the certificate and its private key (env CLIENT_CERTIFICATE).',
      );
    }
    if (config.clientCertificatePassword) {
      problems.push(
        'clientCertificatePassword is set but clientCertificate is not: the password only decrypts the private key of a certificate credential; remove it, or set clientCertificate (env CLIENT_CERTIFICATE_PASSWORD).',
      );
    }
    if (isTrue(config.sendCertificateChain)) {
      problems.push(
        'sendCertificateChain is true but clientCertificate is not set: it only applies to a certificate credential (env SEND_CERTIFICATE_CHAIN).',
      );
    }
    return problems;
  }
  if (config.clientSecret) {
    problems.push(
      'clientSecret and clientCertificate are both set: set exactly one of them, the secret (env CLIENT_SECRET) or the certificate (env CLIENT_CERTIFICATE).',
    );
  }
  problems.push(
    ...findCertificateProblems(
      certificate,
      config.clientCertificatePassword,
      now,
    ),
  );
  return problems;
}

/** The problems of one certificate PEM (with its key) and its password. */
export function findCertificateProblems(
  pemText: string,
  password: string | undefined,
  now: Date = new Date(),
): string[] {
  const blocks = pemBlocks(normalizePem(pemText));
  const certificateBlock = blocks.find((b) => b.label === 'CERTIFICATE');
  if (!certificateBlock) {
    return [
      'clientCertificate is not a PEM certificate: it must hold a -----BEGIN CERTIFICATE----- block followed by the private key block (the README shows how to make one from a .pfx) (env CLIENT_CERTIFICATE).',
    ];
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificateBlock.text);
  } catch {
    return [
      'clientCertificate holds a CERTIFICATE block that is not a readable X.509 certificate: copy the PEM again, complete and unchanged (env CLIENT_CERTIFICATE).',
    ];
  }
  const facts = factsOf(certificate);
  const named = `the certificate in clientCertificate (thumbprint ${facts.thumbprint})`;
  const validity = `valid from ${facts.notBefore.toISOString()} until ${facts.notAfter.toISOString()}`;
  const problems: string[] = [];
  if (facts.notAfter.getTime() < now.getTime()) {
    problems.push(
      `${capitalise(
        named,
      )} has expired: it was ${validity}. Upload a new certificate to Certificates & secrets of the app registration and set clientCertificate to it.`,
    );
  } else if (facts.notBefore.getTime() > now.getTime()) {
    problems.push(
      `${capitalise(
        named,
      )} is not valid yet: it is ${validity}. Check the clock of this machine, or use a certificate that is valid now.`,
    );
  }
  const keyProblem = findKeyProblem(
    blocks,
    password,
    certificate,
    facts.thumbprint,
  );
  if (keyProblem) problems.push(keyProblem);
  return problems;
}

function findKeyProblem(
  blocks: PemBlock[],
  password: string | undefined,
  certificate: X509Certificate,
  thumbprint: string,
): string | undefined {
  const keyBlock = blocks.find((b) => PRIVATE_KEY_LABELS.has(b.label));
  if (!keyBlock) {
    return `clientCertificate holds the certificate (thumbprint ${thumbprint}) but no private key: add the private key block (-----BEGIN PRIVATE KEY-----) after the certificate, for example with openssl pkcs12 -nodes (env CLIENT_CERTIFICATE).`;
  }
  const encrypted =
    keyBlock.label === 'ENCRYPTED PRIVATE KEY' ||
    /Proc-Type:\s*4,ENCRYPTED/.test(keyBlock.text);
  if (encrypted && !password) {
    return 'The private key in clientCertificate is encrypted: set clientCertificatePassword to its password (env CLIENT_CERTIFICATE_PASSWORD).';
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(
      encrypted ? { key: keyBlock.text, passphrase: password } : keyBlock.text,
    );
  } catch {
    return encrypted
      ? 'clientCertificatePassword does not decrypt the private key in clientCertificate: set it to the password the key was exported with (env CLIENT_CERTIFICATE_PASSWORD).'
      : 'The private key in clientCertificate cannot be read: copy the PEM again, complete and unchanged, with the key as PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 (BEGIN RSA PRIVATE KEY) (env CLIENT_CERTIFICATE).';
  }
  if (!createPublicKey(key).equals(certificate.publicKey)) {
    return `The private key in clientCertificate does not belong to its certificate (thumbprint ${thumbprint}): put the certificate first and, after it, the private key that was created with it (env CLIENT_CERTIFICATE).`;
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return `The private key in clientCertificate is an ${String(
      key.asymmetricKeyType,
    ).toUpperCase()} key: certificate credentials need an RSA key of at least ${MIN_RSA_BITS} bits.`;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    return `The private key in clientCertificate has ${bits} bits: certificate credentials need an RSA key of at least ${MIN_RSA_BITS} bits.`;
  }
  return undefined;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
