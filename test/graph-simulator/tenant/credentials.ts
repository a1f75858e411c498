/**
 * Credentials of app registrations and service principals, in Graph's wire
 * shapes: passwordCredential (client secrets), keyCredential (certificates)
 * and federatedIdentityCredential.
 *
 * The secret value behind a password credential and the body of a
 * certificate are pure functions of the credential's keyId, so that a test
 * can scan everything the integration wrote for them. Graph returns the
 * secret only once, at creation (`secretText` is null in lists), and the
 * certificate body only on `$select=keyCredentials` of a single object
 * (`key` is null in lists; HAR ad-service-principals); the simulator's
 * `exposeCredentialSecrets` behaviour puts both in lists anyway, harsher
 * than Graph, to prove the integration never keeps them. The `hint` (the
 * first three characters of the secret) is in every list, as in Graph.
 */
import { GraphObject } from './model';
import { DAY_MS, guid, hash, IdKind, isoSeconds, NOW_MS, Rng } from './random';

/** Graph's "never expires" for secrets made by PowerShell and the CLI. */
export const FAR_FUTURE = '2299-12-31T00:00:00Z';

const SECRET_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';

/** The 40-character secret value of a password credential (the format Entra issues: 3 characters, `8Q~`, 34 more). */
export function credentialSecretOf(keyId: string): string {
  let text = '';
  for (let i = 0; text.length < 40; i++) {
    const h = hash(
      0x5ec2e7,
      i,
      parseInt(keyId.slice(0, 8), 16),
      parseInt(keyId.slice(24, 32), 16),
    );
    text += SECRET_ALPHABET[h % SECRET_ALPHABET.length];
    if (text.length === 3) text += '8Q~';
  }
  return text.slice(0, 40);
}

/** A base64 certificate body (what `key` holds), ~800 bytes, unique per keyId. */
export function certificateBodyOf(keyId: string): string {
  const bytes = Buffer.alloc(800);
  const a = parseInt(keyId.slice(0, 8), 16);
  const b = parseInt(keyId.slice(24, 32), 16);
  for (let i = 0; i < bytes.length; i += 4)
    bytes.writeUInt32BE(hash(0xce47, a, b, i), i);
  bytes[0] = 0x30; // an ASN.1 SEQUENCE, like every DER certificate
  bytes[1] = 0x82;
  return bytes.toString('base64');
}

/** The SHA-1-thumbprint-like customKeyIdentifier of a certificate. */
function thumbprintOf(rng: Rng): string {
  return rng.hex(40, true);
}

export type Expiry = 'expired' | 'expiring' | 'current' | 'longLived';

/**
 * When a credential ends, relative to the generator's "now": expired (up to
 * 400 days ago), expiring (within 30 days), current (1 to 24 months ahead)
 * or long-lived (2299, or 10 years for certificates).
 */
export function drawExpiry(rng: Rng): Expiry {
  const r = rng.next();
  if (r < 0.25) return 'expired';
  if (r < 0.4) return 'expiring';
  if (r < 0.85) return 'current';
  return 'longLived';
}

function endOf(
  expiry: Expiry,
  rng: Rng,
  certificate: boolean,
): { start: number; end: string } {
  let end: number;
  switch (expiry) {
    case 'expired':
      end = NOW_MS - (1 + rng.int(400)) * DAY_MS;
      break;
    case 'expiring':
      end = NOW_MS + (1 + rng.int(29)) * DAY_MS;
      break;
    case 'current':
      end = NOW_MS + (31 + rng.int(700)) * DAY_MS;
      break;
    default:
      end = NOW_MS + 3650 * DAY_MS;
  }
  const start = end - (certificate ? 365 : 180 + rng.int(550)) * DAY_MS;
  if (expiry === 'longLived' && !certificate) {
    return { start: NOW_MS - (30 + rng.int(900)) * DAY_MS, end: FAR_FUTURE };
  }
  return { start, end: isoSeconds(end) };
}

/** Credential key ids: one id space, indexed by (owner kind, owner index, slot). */
export function credentialKeyId(
  seed: number,
  ownerSalt: number,
  ownerIndex: number,
  slot: number,
): string {
  return guid(
    seed,
    IdKind.credential,
    ownerSalt * 0x200000 + ownerIndex * 16 + slot,
  );
}

const SECRET_NAMES = [
  'CI pipeline',
  'Production',
  'terraform',
  'Backup job',
  'rotate-2023',
  null,
  null,
  'Legacy integration',
];

export function passwordCredential(
  rng: Rng,
  keyId: string,
  expiry: Expiry,
): GraphObject {
  const { start, end } = endOf(expiry, rng, false);
  return {
    customKeyIdentifier: null,
    displayName: rng.pick(SECRET_NAMES),
    endDateTime: end,
    hint: credentialSecretOf(keyId).slice(0, 3),
    keyId,
    secretText: null,
    startDateTime: isoSeconds(start),
  };
}

export function keyCredential(
  rng: Rng,
  keyId: string,
  expiry: Expiry,
  subject: string,
  usage: 'Verify' | 'Sign' = 'Verify',
): GraphObject {
  const { start, end } = endOf(expiry, rng, true);
  return {
    customKeyIdentifier: thumbprintOf(rng),
    displayName: subject,
    endDateTime: end,
    key: null,
    keyId,
    startDateTime: isoSeconds(start),
    type: 'AsymmetricX509Cert',
    usage,
  };
}

/**
 * The two certificates Azure keeps on a managed identity, rotated every ~90
 * days whether or not the identity signs in, so the older one is often
 * expired (HAR ad-service-principals: `CN={appId}`, usage Verify).
 */
export function managedIdentityCertificates(
  rng: Rng,
  seed: number,
  ownerSalt: number,
  ownerIndex: number,
  appId: string,
): GraphObject[] {
  const issued = NOW_MS - rng.int(170) * DAY_MS;
  const certificate = (slot: number, startMs: number): GraphObject => ({
    customKeyIdentifier: thumbprintOf(rng),
    displayName: `CN=${appId}`,
    endDateTime: isoSeconds(startMs + 90 * DAY_MS),
    key: null,
    keyId: credentialKeyId(seed, ownerSalt, ownerIndex, slot),
    startDateTime: isoSeconds(startMs),
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
  });
  const certificates = [certificate(0, issued)];
  if (rng.chance(0.8)) certificates.push(certificate(1, issued - 45 * DAY_MS));
  return certificates;
}

/** Who a federated identity credential trusts: GitHub Actions, an AKS cluster, another tenant, Google. */
export function federatedIdentityCredential(
  rng: Rng,
  id: string,
  tenantId: string,
  label: string,
): GraphObject {
  const kind = rng.weighted([5, 2, 1, 1]);
  const repo = `${rng.pick([
    'contoso',
    'contoso-platform',
    'fabrikam-oss',
    'octo-org',
  ])}/${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const [name, issuer, subject] =
    kind === 0
      ? [
          `github-${rng.pick(['main', 'release', 'pr', 'env'])}`,
          'https://token.actions.githubusercontent.com',
          rng.chance(0.6)
            ? `repo:${repo}:ref:refs/heads/main`
            : rng.chance(0.5)
            ? `repo:${repo}:environment:production`
            : `repo:${repo}:pull_request`,
        ]
      : kind === 1
      ? [
          'aks-workload',
          `https://westeurope.oic.prod-aks.azure.com/${tenantId}/${guid(
            rng.int(1 << 30),
            IdKind.foreignTenant,
            3,
          )}/`,
          `system:serviceaccount:${rng.pick([
            'default',
            'payments',
            'ingest',
          ])}:${rng.pick(['api', 'worker'])}`,
        ]
      : kind === 2
      ? [
          'partner-tenant',
          `https://login.microsoftonline.com/${guid(
            rng.int(1 << 30),
            IdKind.foreignTenant,
            1,
          )}/v2.0`,
          guid(rng.int(1 << 30), IdKind.foreignTenant, 2),
        ]
      : ['gcp-workload', 'https://accounts.google.com', `1${rng.digits(20)}`];
  return {
    audiences: ['api://AzureADTokenExchange'],
    description: rng.chance(0.5) ? `Deployments of ${label}` : null,
    id,
    issuer,
    name,
    subject,
  };
}
