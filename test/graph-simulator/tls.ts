/**
 * TLS for the loopback simulator: a test certificate authority created once
 * per checkout (in `.graph-simulator/`, gitignored) and a fresh server
 * certificate signed by it for every simulator start.
 *
 * Clients trust the CA through NODE_EXTRA_CA_CERTS (see with-test-ca.js):
 * Node reads that variable only at process start, and it is the one trust
 * path shared by node:https (@azure/identity) and undici fetch
 * (@microsoft/microsoft-graph-client) (graph-api.md §1.1 item 7).
 *
 * Keys come from node:crypto (native, fast); node-forge only builds and signs
 * the X.509 structures.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import forge from 'node-forge';

export const DEFAULT_CA_DIR = path.resolve(
  __dirname,
  '..',
  '..',
  '.graph-simulator',
);

const CA_SUBFOLDER = 'ca';
const CA_CERT_FILE = 'ca.pem';
const CA_KEY_FILE = 'ca-key.pem';
const CA_VALIDITY_YEARS = 10;
const LEAF_VALIDITY_DAYS = 397;
/** Renew the CA when it has less than this left, so a long test run never sees it expire. */
const CA_RENEW_MARGIN_MS = 30 * 24 * 3600 * 1000;

export interface TestCertificateAuthority {
  /** PEM file holding the CA certificate (what NODE_EXTRA_CA_CERTS points to). */
  certPath: string;
  certPem: string;
  keyPem: string;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  caCertPath: string;
}

/**
 * Returns the test CA in `dir`, creating it on first use. Safe when several
 * processes (jest workers) race: each builds its CA in a private folder and
 * renames it into place; the loser of the rename uses the winner's.
 */
export function ensureTestCa(
  dir: string = DEFAULT_CA_DIR,
): TestCertificateAuthority {
  const caDir = path.join(dir, CA_SUBFOLDER);
  const existing = readCa(caDir);
  if (existing && !expiresSoon(existing.certPem)) return existing;

  fs.mkdirSync(dir, { recursive: true });
  if (existing) {
    // Expiring: move the old one aside so the rename below can take its place.
    fs.renameSync(caDir, `${caDir}.expired-${Date.now()}`);
  }
  const tmpDir = fs.mkdtempSync(path.join(dir, 'ca-tmp-'));
  const { certPem, keyPem } = createCaCertificate();
  fs.writeFileSync(path.join(tmpDir, CA_KEY_FILE), keyPem, { mode: 0o600 });
  fs.writeFileSync(path.join(tmpDir, CA_CERT_FILE), certPem);
  try {
    fs.renameSync(tmpDir, caDir);
  } catch {
    // Another process won the race; keep theirs.
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  const created = readCa(caDir);
  if (!created) throw new Error(`could not create the test CA in ${caDir}`);
  return created;
}

/** Signs a new server certificate for localhost, 127.0.0.1, ::1 and `hostnames`. */
export function issueServerCertificate(
  hostnames: string[] = [],
  ca: TestCertificateAuthority = ensureTestCa(),
): ServerCertificate {
  const { publicKeyPem, privateKeyPem } = generateRsaKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);

  const names = uniqueNames(['localhost', '127.0.0.1', '::1', ...hostnames]);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(
    Date.now() + LEAF_VALIDITY_DAYS * 24 * 3600 * 1000,
  );
  cert.setSubject([{ name: 'commonName', value: names[0] }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    {
      name: 'keyUsage',
      digitalSignature: true,
      keyEncipherment: true,
      critical: true,
    },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: names.map((name) =>
        net.isIP(name) ? { type: 7, ip: name } : { type: 2, value: name },
      ),
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caKeyIdentifier(caCert) },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return {
    certPem: forge.pki.certificateToPem(cert),
    keyPem: privateKeyPem,
    caCertPath: ca.certPath,
  };
}

/**
 * A self-signed certificate around an existing key pair: used for the token
 * signing key, whose x5t/x5c the JWKS document publishes like Entra's does.
 */
export function selfSignedCertificate(
  keyPair: { publicKeyPem: string; privateKeyPem: string },
  commonName: string,
): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keyPair.publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setIssuer([{ name: 'commonName', value: commonName }]);
  cert.sign(
    forge.pki.privateKeyFromPem(keyPair.privateKeyPem),
    forge.md.sha256.create(),
  );
  return forge.pki.certificateToPem(cert);
}

export function generateRsaKeyPair(): {
  publicKeyPem: string;
  privateKeyPem: string;
} {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    // forge reads PKCS#1 ("RSA PRIVATE KEY") and PKCS#8 unencrypted; PKCS#1 is the simplest.
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

function createCaCertificate(): { certPem: string; keyPem: string } {
  const { publicKeyPem, privateKeyPem } = generateRsaKeyPair();
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(
    Date.now() + CA_VALIDITY_YEARS * 365 * 24 * 3600 * 1000,
  );
  const subject = [
    { name: 'commonName', value: 'Graph Simulator Test CA' },
    { name: 'organizationName', value: 'graph-microsoft-365-intune tests' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKeyPem };
}

function readCa(caDir: string): TestCertificateAuthority | undefined {
  const certPath = path.join(caDir, CA_CERT_FILE);
  const keyPath = path.join(caDir, CA_KEY_FILE);
  if (!fs.existsSync(certPath) || !fs.existsSync(keyPath)) return undefined;
  return {
    certPath,
    certPem: fs.readFileSync(certPath, 'utf8'),
    keyPem: fs.readFileSync(keyPath, 'utf8'),
  };
}

function expiresSoon(certPem: string): boolean {
  const notAfter = forge.pki
    .certificateFromPem(certPem)
    .validity.notAfter.getTime();
  return notAfter - Date.now() < CA_RENEW_MARGIN_MS;
}

function caKeyIdentifier(caCert: forge.pki.Certificate): string {
  const ski = caCert.getExtension('subjectKeyIdentifier') as {
    subjectKeyIdentifier?: string;
  } | null;
  return ski?.subjectKeyIdentifier
    ? forge.util.hexToBytes(ski.subjectKeyIdentifier)
    : forge.pki
        .getPublicKeyFingerprint(caCert.publicKey, {
          type: 'RSAPublicKey',
        })
        .getBytes();
}

/**
 * A DER INTEGER serial must be positive and minimal: a first byte of 0x00
 * before a byte below 0x80 is "illegal padding" to OpenSSL, which made about
 * one certificate in 32 fail to load. First byte 0x01-0x7f.
 */
export function randomSerial(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] = bytes[0] & 0x7f || 0x01;
  return bytes.toString('hex');
}

function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (!name || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
