import {
  ClientCertificateCredential,
  ClientSecretCredential,
} from '@azure/identity';
import {
  asSingleLine,
  encryptedPem,
  keyMaterialLines,
  makeCertificate,
  TestCertificate,
} from '../../test/support/certificates';
import { findConfigProblems } from '../config';
import { resolveCloudSettings } from './clouds';
import {
  certificateFacts,
  createCredential,
  findCertificateProblems,
  findCredentialProblems,
  normalizePem,
} from './credentials';
import { tokenError } from './errors';

const base = {
  clientId: '11111111-2222-3333-4444-555555555555',
  tenant: 'contoso.onmicrosoft.com',
};
const VALID_FROM = new Date('2030-01-01T00:00:00.000Z');
const VALID_UNTIL = new Date('2031-01-01T00:00:00.000Z');
const DURING = new Date('2030-06-01T00:00:00.000Z');
const PASSWORD = 'pa$$-w0rd for the key';

describe('normalizePem', () => {
  let cert: TestCertificate;
  beforeAll(() => {
    cert = makeCertificate();
  });

  test('turns literal \\n (a single-line environment variable) back into line breaks', () => {
    expect(normalizePem(asSingleLine(cert.pem))).toBe(cert.pem);
  });

  test('accepts CRLF, spaces for line breaks, and text around the blocks', () => {
    expect(normalizePem(cert.pem.replace(/\n/g, '\r\n'))).toBe(cert.pem);
    expect(normalizePem(cert.pem.replace(/\n/g, ' '))).toBe(cert.pem);
    expect(
      normalizePem(
        `Bag Attributes\n    localKeyID: 01 00 00 00\nsubject=/CN=m365-integration-test\n${cert.pem}\n\n`,
      ),
    ).toBe(cert.pem);
  });

  test('keeps the headers of a legacy encrypted key', () => {
    const pem = encryptedPem(cert, PASSWORD, 'legacy');
    expect(normalizePem(asSingleLine(pem))).toBe(pem);
    expect(pem).toContain('Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,');
  });

  test('leaves text without a PEM block alone (trimmed)', () => {
    expect(normalizePem('  not a pem  ')).toBe('not a pem');
  });
});

describe('findCertificateProblems', () => {
  let cert: TestCertificate;
  let other: TestCertificate;
  beforeAll(() => {
    cert = makeCertificate({ notBefore: VALID_FROM, notAfter: VALID_UNTIL });
    other = makeCertificate({ notBefore: VALID_FROM, notAfter: VALID_UNTIL });
  });

  test('a valid certificate and key, plain or encrypted with the right password', () => {
    expect(findCertificateProblems(cert.pem, undefined, DURING)).toEqual([]);
    expect(
      findCertificateProblems(asSingleLine(cert.pem), undefined, DURING),
    ).toEqual([]);
    expect(
      findCertificateProblems(encryptedPem(cert, PASSWORD), PASSWORD, DURING),
    ).toEqual([]);
    expect(
      findCertificateProblems(
        encryptedPem(cert, PASSWORD, 'legacy'),
        PASSWORD,
        DURING,
      ),
    ).toEqual([]);
    // A password for a key that is not encrypted is harmless.
    expect(findCertificateProblems(cert.pem, PASSWORD, DURING)).toEqual([]);
  });

  test('certificateFacts: SHA-1 thumbprint and validity', () => {
    expect(certificateFacts(cert.pem)).toEqual({
      thumbprint: cert.thumbprint,
      notBefore: VALID_FROM,
      notAfter: VALID_UNTIL,
    });
    expect(cert.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(certificateFacts('garbage')).toBeUndefined();
  });

  test('garbage, and a CERTIFICATE block that is not a certificate', () => {
    expect(findCertificateProblems('garbage', undefined, DURING)).toEqual([
      'clientCertificate is not a PEM certificate: it must hold a -----BEGIN CERTIFICATE----- block followed by the private key block (the README shows how to make one from a .pfx) (env CLIENT_CERTIFICATE).',
    ]);
    expect(findCertificateProblems(cert.keyPem, undefined, DURING)).toEqual([
      'clientCertificate is not a PEM certificate: it must hold a -----BEGIN CERTIFICATE----- block followed by the private key block (the README shows how to make one from a .pfx) (env CLIENT_CERTIFICATE).',
    ]);
    expect(
      findCertificateProblems(
        '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
        undefined,
        DURING,
      ),
    ).toEqual([
      'clientCertificate holds a CERTIFICATE block that is not a readable X.509 certificate: copy the PEM again, complete and unchanged (env CLIENT_CERTIFICATE).',
    ]);
  });

  test('a certificate without its private key', () => {
    expect(findCertificateProblems(cert.certPem, undefined, DURING)).toEqual([
      `clientCertificate holds the certificate (thumbprint ${cert.thumbprint}) but no private key: add the private key block (-----BEGIN PRIVATE KEY-----) after the certificate, for example with openssl pkcs12 -nodes (env CLIENT_CERTIFICATE).`,
    ]);
  });

  test('an encrypted key without a password, or with a wrong one', () => {
    for (const form of ['pkcs8', 'legacy'] as const) {
      const pem = encryptedPem(cert, PASSWORD, form);
      expect(findCertificateProblems(pem, undefined, DURING)).toEqual([
        'The private key in clientCertificate is encrypted: set clientCertificatePassword to its password (env CLIENT_CERTIFICATE_PASSWORD).',
      ]);
      expect(findCertificateProblems(pem, 'wrong password', DURING)).toEqual([
        'clientCertificatePassword does not decrypt the private key in clientCertificate: set it to the password the key was exported with (env CLIENT_CERTIFICATE_PASSWORD).',
      ]);
    }
  });

  test('an unreadable key block', () => {
    const broken = `${cert.certPem}-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n`;
    expect(findCertificateProblems(broken, undefined, DURING)).toEqual([
      'The private key in clientCertificate cannot be read: copy the PEM again, complete and unchanged, with the key as PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 (BEGIN RSA PRIVATE KEY) (env CLIENT_CERTIFICATE).',
    ]);
  });

  test('a key that does not match the certificate', () => {
    expect(
      findCertificateProblems(
        `${cert.certPem}${other.keyPem}`,
        undefined,
        DURING,
      ),
    ).toEqual([
      `The private key in clientCertificate does not belong to its certificate (thumbprint ${cert.thumbprint}): put the certificate first and, after it, the private key that was created with it (env CLIENT_CERTIFICATE).`,
    ]);
  });

  test('expired and not yet valid, with dates and thumbprint, checked against `now`', () => {
    expect(
      findCertificateProblems(
        cert.pem,
        undefined,
        new Date('2031-01-01T00:00:01.000Z'),
      ),
    ).toEqual([
      `The certificate in clientCertificate (thumbprint ${cert.thumbprint}) has expired: it was valid from 2030-01-01T00:00:00.000Z until 2031-01-01T00:00:00.000Z. Upload a new certificate to Certificates & secrets of the app registration and set clientCertificate to it.`,
    ]);
    expect(
      findCertificateProblems(
        cert.pem,
        undefined,
        new Date('2029-12-31T23:59:59.000Z'),
      ),
    ).toEqual([
      `The certificate in clientCertificate (thumbprint ${cert.thumbprint}) is not valid yet: it is valid from 2030-01-01T00:00:00.000Z until 2031-01-01T00:00:00.000Z. Check the clock of this machine, or use a certificate that is valid now.`,
    ]);
  });

  test('an RSA key under 2048 bits', () => {
    const small = makeCertificate({
      bits: 1024,
      notBefore: VALID_FROM,
      notAfter: VALID_UNTIL,
    });
    expect(findCertificateProblems(small.pem, undefined, DURING)).toEqual([
      'The private key in clientCertificate has 1024 bits: certificate credentials need an RSA key of at least 2048 bits.',
    ]);
  });

  test('several problems at once; none echoes the key or the password', () => {
    const expiredMismatch = `${cert.certPem}${other.keyPem}`;
    const problems = findCertificateProblems(
      expiredMismatch,
      PASSWORD,
      new Date('2032-01-01T00:00:00.000Z'),
    );
    expect(problems).toHaveLength(2);
    const text = [
      ...problems,
      ...findCertificateProblems(
        encryptedPem(cert, PASSWORD),
        'wrong password',
        DURING,
      ),
    ].join('\n');
    for (const line of [
      ...keyMaterialLines(cert.pem),
      ...keyMaterialLines(other.keyPem),
    ]) {
      expect(text).not.toContain(line);
    }
    expect(text).not.toContain(PASSWORD);
  });
});

describe('findCredentialProblems and findConfigProblems', () => {
  let cert: TestCertificate;
  beforeAll(() => {
    cert = makeCertificate();
  });

  test('exactly one of clientSecret and clientCertificate', () => {
    expect(findConfigProblems({ ...base, clientSecret: 's' })).toEqual([]);
    expect(
      findConfigProblems({ ...base, clientCertificate: cert.pem }),
    ).toEqual([]);
    expect(
      findConfigProblems({
        ...base,
        clientSecret: 's',
        clientCertificate: cert.pem,
      }),
    ).toEqual([
      'clientSecret and clientCertificate are both set: set exactly one of them, the secret (env CLIENT_SECRET) or the certificate (env CLIENT_CERTIFICATE).',
    ]);
    expect(findConfigProblems(base)).toEqual([
      "clientSecret is missing: set it to the Value of a client secret from the app registration's Certificates & secrets (env CLIENT_SECRET).",
      'For certificate authentication set clientCertificate instead of clientSecret: a PEM holding the certificate and its private key (env CLIENT_CERTIFICATE).',
    ]);
  });

  test('certificate options without a certificate', () => {
    expect(
      findCredentialProblems({
        ...base,
        clientSecret: 's',
        clientCertificatePassword: PASSWORD,
        sendCertificateChain: true,
      }),
    ).toEqual([
      'clientCertificatePassword is set but clientCertificate is not: the password only decrypts the private key of a certificate credential; remove it, or set clientCertificate (env CLIENT_CERTIFICATE_PASSWORD).',
      'sendCertificateChain is true but clientCertificate is not set: it only applies to a certificate credential (env SEND_CERTIFICATE_CHAIN).',
    ]);
    expect(
      findCredentialProblems({
        ...base,
        clientSecret: 's',
        sendCertificateChain: false,
      }),
    ).toEqual([]);
  });

  test('certificate problems come after the other config problems, in one list', () => {
    expect(
      findConfigProblems({
        clientId: 'my-app',
        tenant: 'common',
        clientCertificate: cert.certPem,
      }),
    ).toEqual([
      'clientId is not a GUID: use the Application (client) ID shown on the app registration overview, not its name or object ID.',
      'tenant "common" is not a single tenant: the client-credentials flow needs the Directory (tenant) ID or a verified domain of the tenant to read.',
      `clientCertificate holds the certificate (thumbprint ${cert.thumbprint}) but no private key: add the private key block (-----BEGIN PRIVATE KEY-----) after the certificate, for example with openssl pkcs12 -nodes (env CLIENT_CERTIFICATE).`,
    ]);
  });
});

describe('createCredential', () => {
  test('a ClientSecretCredential for a secret, a ClientCertificateCredential for a certificate', () => {
    const cloud = resolveCloudSettings({ cloud: 'usgov' });
    expect(
      createCredential({ ...base, clientSecret: 's' }, cloud),
    ).toBeInstanceOf(ClientSecretCredential);
    expect(
      createCredential(
        { ...base, clientSecret: '', clientCertificate: makeCertificate().pem },
        cloud,
      ),
    ).toBeInstanceOf(ClientCertificateCredential);
  });
});

describe('tokenError for certificate credentials', () => {
  const auth = {
    tenant: 'contoso.onmicrosoft.com',
    clientId: base.clientId,
    tokenEndpoint:
      'https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token',
  };
  // How @azure/identity words a token-endpoint error (graph-api.md §1.4).
  const identityError = (code: number, description: string) =>
    Object.assign(
      new Error(
        `invalid_client: Error(s): ${code} - Timestamp: 2030-01-01 00:00:00Z - Description: AADSTS${code}: ${description} Trace ID: t Correlation ID: c Timestamp: 2030-01-01 00:00:00Z - Correlation ID: c - Trace ID: t`,
      ),
      { name: 'AuthenticationRequiredError' },
    );

  test.each([
    [
      700027,
      "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '3705a3a73dedab44ac718a6af8ed716a028582ad', Please visit ...]",
      `failed with 401 AADSTS700027. The certificate in clientCertificate (thumbprint 3705A3A73DEDAB44AC718A6AF8ED716A028582AD) is not registered on application ${base.clientId}, or the assertion signed with it did not verify. Upload the certificate's public part (.cer or .pem, without the key) to Certificates & secrets of the app registration, or set clientCertificate to a certificate registered there; the app registration must be in the cloud named by the cloud setting.`,
    ],
    [
      700027,
      'Client assertion failed signature validation.',
      `failed with 401 AADSTS700027. The certificate in clientCertificate is not registered on application ${base.clientId}, or the assertion signed with it did not verify.`,
    ],
    [
      700024,
      'Client assertion is not within its valid time range. Current time: ...',
      'failed with 401 AADSTS700024. The client assertion signed with the certificate was outside its valid time range. Check that the clock of this machine is correct: the assertion is valid for 10 minutes from the moment it is made.',
    ],
    [
      700023,
      'Client assertion audience claim does not match Realm issuer.',
      'failed with 401 AADSTS700023. The audience of the client assertion is not the token endpoint Microsoft Entra ID expected. Check that the cloud setting (and authorityHost, if set) names the cloud the tenant lives in.',
    ],
    [
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter.",
      `failed with 401 AADSTS700021. The client assertion names another application than clientId ${base.clientId}. Set clientId to the Application (client) ID of the app registration that holds the certificate.`,
    ],
    [
      50027,
      'JWT token is invalid or malformed.',
      'failed with 400 AADSTS50027. Microsoft Entra ID could not read the client assertion made with the certificate. Check that clientCertificate holds the complete, unchanged PEM of an RSA certificate and its private key.',
    ],
  ])('AADSTS%s', (code, description, expected) => {
    const error = tokenError(identityError(code, description), auth);
    expect(error.message).toContain(
      `Microsoft Graph POST ${auth.tokenEndpoint} ${expected}`,
    );
    expect(error.code).toBe('PROVIDER_AUTHENTICATION_ERROR');
  });
});
