/**
 * Test certificates for certificate credentials: made here, in memory, with
 * node:crypto keys and node-forge X.509 structures (as tls.ts does). Never
 * written to disk.
 */
import * as crypto from 'crypto';
import forge from 'node-forge';
import { randomSerial } from '../graph-simulator/tls';

const DAY_MS = 24 * 3600 * 1000;

export interface TestCertificate {
  /** The certificate alone (what is uploaded to the app registration). */
  certPem: string;
  /** The private key alone, unencrypted PKCS#8. */
  keyPem: string;
  /** Certificate followed by its key: a clientCertificate value. */
  pem: string;
  /** SHA-1 thumbprint, upper-case hex (what the portal shows). */
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
  /** For issuing further certificates (CAs). */
  forgeCert: forge.pki.Certificate;
  forgeKey: forge.pki.rsa.PrivateKey;
}

export interface CertificateOptions {
  commonName?: string;
  /** Default: yesterday. */
  notBefore?: Date;
  /** Default: in a year. */
  notAfter?: Date;
  /** RSA modulus length (default 2048). */
  bits?: number;
  /** Signs the certificate with this CA (default: self-signed). */
  issuer?: TestCertificate;
  /** Makes a CA certificate (basicConstraints cA). */
  ca?: boolean;
}

export function makeCertificate(
  options: CertificateOptions = {},
): TestCertificate {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: options.bits ?? 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(
    privateKey,
  ) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  cert.validity.notAfter =
    options.notAfter ?? new Date(Date.now() + 365 * DAY_MS);
  const subject = [
    {
      name: 'commonName',
      value: options.commonName ?? 'm365-integration-test',
    },
  ];
  cert.setSubject(subject);
  cert.setIssuer(
    options.issuer ? options.issuer.forgeCert.subject.attributes : subject,
  );
  cert.setExtensions(
    options.ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          {
            name: 'keyUsage',
            keyCertSign: true,
            cRLSign: true,
            critical: true,
          },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, critical: true },
        ],
  );
  cert.sign(options.issuer?.forgeKey ?? forgeKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
  const x509 = new crypto.X509Certificate(certPem);
  return {
    certPem,
    keyPem: privateKey,
    pem: `${certPem}${privateKey}`,
    thumbprint: x509.fingerprint.replace(/:/g, ''),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    forgeCert: cert,
    forgeKey,
  };
}

/** The certificate with its key encrypted: PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY) or OpenSSL's legacy PKCS#1 form. */
export function encryptedPem(
  certificate: TestCertificate,
  password: string,
  form: 'pkcs8' | 'legacy' = 'pkcs8',
): string {
  const key =
    form === 'pkcs8'
      ? (crypto.createPrivateKey(certificate.keyPem).export({
          type: 'pkcs8',
          format: 'pem',
          cipher: 'aes-256-cbc',
          passphrase: password,
        }) as string)
      : forge.pki.encryptRsaPrivateKey(certificate.forgeKey, password, {
          legacy: true,
          algorithm: 'aes256',
        });
  return `${certificate.certPem}${key.replace(/\r\n/g, '\n')}`;
}

/** The PEM in a single-line environment variable: line breaks as literal `\n`. */
export function asSingleLine(pem: string): string {
  return pem.trimEnd().replace(/\n/g, '\\n');
}

/** The base64 bodies of every block of a PEM: what must never appear in errors or logs. */
export function pemBodies(pem: string): string[] {
  return Array.from(
    pem.matchAll(/-----BEGIN [A-Z ]+-----\n([\s\S]*?)\n-----END/g),
    (match) => match[1].replace(/\s+/g, ''),
  );
}

/**
 * Slices of a PEM's key material long enough to be unmistakable (64 base64
 * characters, one PEM line), for scanning text that may have been re-wrapped.
 */
export function keyMaterialLines(pem: string): string[] {
  return pem.split('\n').filter((line) => /^[A-Za-z0-9+/=]{64}$/.test(line));
}
