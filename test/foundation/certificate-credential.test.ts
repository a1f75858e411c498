/**
 * Certificate credentials end to end: the real ClientCertificateCredential
 * (msal-node signs the client assertion) and the real Graph client against
 * the simulator, which verifies the assertion against the certificates
 * registered on the app. Local certificate problems fail validateInvocation
 * before any request; none of the messages or logs holds key material.
 */
import { IntegrationValidationError } from '@jupiterone/integration-sdk-core';
import { createMockExecutionContext } from '@jupiterone/integration-sdk-testing';
import * as crypto from 'crypto';
import { IntegrationConfig, validateInvocation } from '../../src/config';
import * as jwt from '../graph-simulator/jwt';
import {
  asSingleLine,
  encryptedPem,
  keyMaterialLines,
  makeCertificate,
  TestCertificate,
} from '../support/certificates';
import { captureLogger, LogRecord, runCollection } from '../support/collect';
import { startTestTenant, TestTenant } from '../support/tenant';

const PASSWORD = 'correct horse $battery staple';
const TOKEN_PATTERN = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

/** Every assertion the simulator verified, in memory only, to inspect what msal-node sent. */
const assertions: string[] = [];
/** All of them, across tests, for the secret scan. */
const seenAssertions: string[] = [];
const verifyAssertion = jwt.checkClientAssertion;
beforeEach(() => {
  // A pass-through spy on the simulator's verifier (jest restores mocks before each test).
  jest
    .spyOn(jwt, 'checkClientAssertion')
    .mockImplementation((assertion, expectation) => {
      assertions.push(assertion);
      seenAssertions.push(assertion);
      return verifyAssertion(assertion, expectation);
    });
});

async function validate(config: IntegrationConfig, logs: LogRecord[] = []) {
  const context = createMockExecutionContext<IntegrationConfig>({
    instanceConfig: config,
  });
  context.logger = captureLogger(logs) as any;
  return validateInvocation(context as any);
}

function decode(token: string): {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
} {
  const [header, claims] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return { header, claims };
}

function derOf(certificate: TestCertificate): Buffer {
  return new crypto.X509Certificate(certificate.certPem).raw;
}

function sha256Of(certificate: TestCertificate, encoding: 'base64url' | 'hex') {
  return crypto
    .createHash('sha256')
    .update(derOf(certificate))
    .digest(encoding);
}

describe('certificate credential against the simulator', () => {
  let t: TestTenant;
  let cert: TestCertificate;
  /** The certificate with its key encrypted with PASSWORD: PKCS#8 and OpenSSL's legacy form. */
  const encrypted = { pkcs8: '', legacy: '' };
  let certConfig: IntegrationConfig;
  /** Error messages, stacks and logs of every failure below, for the secret scan. */
  const failures: string[] = [];
  const logs: LogRecord[] = [];
  const register = (certificates: string[]) =>
    t.simulator.addApplication({
      clientId: t.config.clientId,
      displayName: 'JupiterOne Microsoft 365 (test)',
      secrets: [{ value: t.config.clientSecret }],
      certificates,
    });
  const failure = async (config: IntegrationConfig) => {
    const error = await validate(config, logs).then(
      () => undefined,
      (e: Error) => e,
    );
    if (!error) throw new Error('validateInvocation succeeded');
    failures.push(`${error.message}\n${error.stack}`);
    return error;
  };

  beforeAll(async () => {
    t = await startTestTenant('tiny');
    cert = makeCertificate();
    encrypted.pkcs8 = encryptedPem(cert, PASSWORD, 'pkcs8');
    encrypted.legacy = encryptedPem(cert, PASSWORD, 'legacy');
    register([cert.certPem]);
    certConfig = { ...t.config, clientSecret: '', clientCertificate: cert.pem };
  });
  afterAll(() => t.close());
  beforeEach(() => {
    assertions.length = 0;
    t.simulator.resetStats();
    register([cert.certPem]);
  });

  test('validateInvocation succeeds: msal-node sends a PS256 assertion naming the certificate by x5t#S256', async () => {
    await expect(validate(certConfig, logs)).resolves.toBeUndefined();
    const tokenCalls = t.simulator.requests.filter((r) =>
      r.endpoint.endsWith('/token'),
    );
    expect(tokenCalls).toMatchObject([
      {
        status: 200,
        clientId: t.config.clientId,
        scope: 'https://graph.microsoft.com/.default',
      },
    ]);
    expect(assertions).toHaveLength(1);
    const { header, claims } = decode(assertions[0]);
    expect(header).toEqual({
      alg: 'PS256',
      typ: 'JWT',
      'x5t#S256': sha256Of(cert, 'base64url'),
    });
    expect(Object.keys(claims).sort()).toEqual([
      'aud',
      'exp',
      'iat',
      'iss',
      'jti',
      'nbf',
      'sub',
    ]);
    expect(claims).toMatchObject({
      aud: `${t.simulator.origin}/${t.tenant.tenantId}/oauth2/v2.0/token`,
      iss: t.config.clientId,
      sub: t.config.clientId,
    });
    expect((claims.exp as number) - (claims.nbf as number)).toBe(600);
    expect(claims.jti).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test('an encrypted key with its password (PKCS#8 and legacy), and a PEM with literal \\n', async () => {
    for (const form of ['pkcs8', 'legacy'] as const) {
      await expect(
        validate({
          ...certConfig,
          clientCertificate: encrypted[form],
          clientCertificatePassword: PASSWORD,
        }),
      ).resolves.toBeUndefined();
    }
    await expect(
      validate({ ...certConfig, clientCertificate: asSingleLine(cert.pem) }),
    ).resolves.toBeUndefined();
    expect(assertions).toHaveLength(3);
  });

  test('a certificate the app registration does not know: AADSTS700027 from the token endpoint', async () => {
    const stranger = makeCertificate();
    const error = await failure({
      ...certConfig,
      clientCertificate: stranger.pem,
    });
    expect(error.message).toBe(
      `Microsoft Graph POST ${t.simulator.origin}/${
        t.tenant.tenantId
      }/oauth2/v2.0/token failed with 401 AADSTS700027. The certificate in clientCertificate (SHA-256 thumbprint ${sha256Of(
        stranger,
        'hex',
      ).toUpperCase()}) is not registered on application ${
        t.config.clientId
      }, or the assertion signed with it did not verify. Upload the certificate's public part (.cer or .pem, without the key) to Certificates & secrets of the app registration, or set clientCertificate to a certificate registered there; the app registration must be in the cloud named by the cloud setting.`,
    );
    expect((error as any).code).toBe('PROVIDER_AUTHENTICATION_ERROR');
    // OpenID discovery (a custom authority host), then the refused token request; no Graph call.
    expect(
      t.simulator.requests.map((r) => `${r.endpoint} ${r.status}`),
    ).toEqual([
      'GET /{tenant}/v2.0/.well-known/openid-configuration 200',
      'POST /{tenant}/oauth2/v2.0/token 401',
    ]);
  });

  test('sendCertificateChain: the assertion carries x5c, and an app that trusts the issuing CA accepts it', async () => {
    const ca = makeCertificate({
      ca: true,
      commonName: 'm365 test issuing CA',
    });
    const leaf = makeCertificate({
      issuer: ca,
      commonName: 'm365-sni.contoso.test',
    });
    register([ca.certPem]);
    const chainConfig = {
      ...certConfig,
      clientCertificate: `${leaf.certPem}${ca.certPem}${leaf.keyPem}`,
      sendCertificateChain: true,
    };
    await expect(validate(chainConfig)).resolves.toBeUndefined();
    expect(decode(assertions[0]).header).toEqual({
      alg: 'PS256',
      typ: 'JWT',
      'x5t#S256': sha256Of(leaf, 'base64url'),
      x5c: [derOf(leaf).toString('base64'), derOf(ca).toString('base64')],
    });

    // Without the chain the leaf is unknown to the app.
    const withoutChain = await failure({
      ...chainConfig,
      sendCertificateChain: false,
    });
    expect(withoutChain.message).toContain(
      `failed with 401 AADSTS700027. The certificate in clientCertificate (SHA-256 thumbprint ${sha256Of(
        leaf,
        'hex',
      ).toUpperCase()}) is not registered on application ${t.config.clientId}`,
    );
    // A chain to a CA the app does not trust is refused too.
    const otherCa = makeCertificate({ ca: true, commonName: 'another CA' });
    const otherLeaf = makeCertificate({ issuer: otherCa });
    const untrusted = await failure({
      ...chainConfig,
      clientCertificate: `${otherLeaf.certPem}${otherCa.certPem}${otherLeaf.keyPem}`,
    });
    expect(untrusted.message).toContain('failed with 401 AADSTS700027.');
  });

  describe('local checks: IntegrationValidationError before any request', () => {
    const expired = () =>
      makeCertificate({
        notBefore: new Date('2019-01-01T00:00:00Z'),
        notAfter: new Date('2020-01-01T00:00:00Z'),
      });
    const future = () =>
      makeCertificate({
        notBefore: new Date('2040-01-01T00:00:00Z'),
        notAfter: new Date('2041-01-01T00:00:00Z'),
      });

    test.each<
      [string, () => Partial<IntegrationConfig>, (c: TestCertificate) => string]
    >([
      [
        'garbage',
        () => ({ clientCertificate: 'this is not a certificate' }),
        () =>
          'clientCertificate is not a PEM certificate: it must hold a -----BEGIN CERTIFICATE----- block followed by the private key block (the README shows how to make one from a .pfx) (env CLIENT_CERTIFICATE).',
      ],
      [
        'a PEM without a private key',
        () => ({ clientCertificate: cert.certPem }),
        () =>
          `clientCertificate holds the certificate (thumbprint ${cert.thumbprint}) but no private key: add the private key block (-----BEGIN PRIVATE KEY-----) after the certificate, for example with openssl pkcs12 -nodes (env CLIENT_CERTIFICATE).`,
      ],
      [
        'an encrypted key without a password',
        () => ({ clientCertificate: encrypted.pkcs8 }),
        () =>
          'The private key in clientCertificate is encrypted: set clientCertificatePassword to its password (env CLIENT_CERTIFICATE_PASSWORD).',
      ],
      [
        'a wrong password',
        () => ({
          clientCertificate: encrypted.legacy,
          clientCertificatePassword: 'not the password',
        }),
        () =>
          'clientCertificatePassword does not decrypt the private key in clientCertificate: set it to the password the key was exported with (env CLIENT_CERTIFICATE_PASSWORD).',
      ],
      [
        'a key that does not match the certificate',
        () => ({
          clientCertificate: `${cert.certPem}${makeCertificate().keyPem}`,
        }),
        () =>
          `The private key in clientCertificate does not belong to its certificate (thumbprint ${cert.thumbprint}): put the certificate first and, after it, the private key that was created with it (env CLIENT_CERTIFICATE).`,
      ],
      [
        'both a secret and a certificate',
        () => ({ clientSecret: 'also-a-secret', clientCertificate: cert.pem }),
        () =>
          'clientSecret and clientCertificate are both set: set exactly one of them, the secret (env CLIENT_SECRET) or the certificate (env CLIENT_CERTIFICATE).',
      ],
    ])('%s', async (_name, overrides, message) => {
      const error = await failure({
        ...certConfig,
        ...overrides(),
      } as IntegrationConfig);
      expect(error).toBeInstanceOf(IntegrationValidationError);
      expect(error.message).toBe(
        `Invalid Microsoft 365 configuration: ${message(cert)}`,
      );
      expect(t.simulator.requests).toHaveLength(0);
    });

    test('an expired and a not-yet-valid certificate, with dates and thumbprint', async () => {
      const old = expired();
      const early = future();
      const oldError = await failure({
        ...certConfig,
        clientCertificate: old.pem,
      });
      expect(oldError).toBeInstanceOf(IntegrationValidationError);
      expect(oldError.message).toBe(
        `Invalid Microsoft 365 configuration: The certificate in clientCertificate (thumbprint ${old.thumbprint}) has expired: it was valid from 2019-01-01T00:00:00.000Z until 2020-01-01T00:00:00.000Z. Upload a new certificate to Certificates & secrets of the app registration and set clientCertificate to it.`,
      );
      const earlyError = await failure({
        ...certConfig,
        clientCertificate: early.pem,
      });
      expect(earlyError.message).toBe(
        `Invalid Microsoft 365 configuration: The certificate in clientCertificate (thumbprint ${early.thumbprint}) is not valid yet: it is valid from 2040-01-01T00:00:00.000Z until 2041-01-01T00:00:00.000Z. Check the clock of this machine, or use a certificate that is valid now.`,
      );
      expect(t.simulator.requests).toHaveLength(0);
    });

    test('listed together with the other config problems', async () => {
      const old = expired();
      const error = await failure({
        ...certConfig,
        clientId: 'my-app',
        cloud: 'germany',
        clientCertificate: old.pem,
      });
      expect(error.message).toBe(
        `Invalid Microsoft 365 configuration: clientId is not a GUID: use the Application (client) ID shown on the app registration overview, not its name or object ID. cloud "germany" is unknown: use one of global, usgov, usgovdod, china (env CLOUD). The certificate in clientCertificate (thumbprint ${old.thumbprint}) has expired: it was valid from 2019-01-01T00:00:00.000Z until 2020-01-01T00:00:00.000Z. Upload a new certificate to Certificates & secrets of the app registration and set clientCertificate to it.`,
      );
      expect(t.simulator.requests).toHaveLength(0);
    });
  });

  test('a collection with the certificate produces the same graph as one with the secret', async () => {
    const withSecret = await runCollection(t.config);
    const withCertificate = await runCollection({
      ...certConfig,
      clientCertificate: encrypted.pkcs8,
      clientCertificatePassword: PASSWORD,
    });
    expect(withSecret.error).toBeUndefined();
    expect(withCertificate.error).toBeUndefined();
    const keys = (r: typeof withSecret) => ({
      entities: r.entities.map((e) => `${e._type} ${e._key}`).sort(),
      relationships: r.relationships.map((e) => `${e._type} ${e._key}`).sort(),
      steps: r.summary.integrationStepResults
        .map((s) => `${s.id} ${s.status}`)
        .sort(),
    });
    expect(keys(withSecret).entities.length).toBeGreaterThan(100);
    expect(keys(withSecret).relationships.length).toBeGreaterThan(100);
    expect(keys(withCertificate)).toEqual(keys(withSecret));
    expect(
      withSecret.summary.integrationStepResults.every(
        (s) => s.status === 'success',
      ),
    ).toBe(true);
    // The certificate run authenticated with assertions, and got one token.
    expect(assertions.length).toBeGreaterThanOrEqual(1);
    const tokenCalls = t.simulator.requests.filter((r) =>
      r.endpoint.endsWith('/token'),
    );
    expect(tokenCalls.map((r) => r.status)).toEqual([200, 200]);

    // Scanned with everything else by the last test.
    failures.push(await withCertificate.allText());
  });

  test('no key, password, assertion or token in any message, stack, log or written file', () => {
    // Runs last in this describe: the failures and logs of every test above.
    const text = [...failures, JSON.stringify(logs)].join('\n');
    expect(failures.length).toBeGreaterThanOrEqual(11);
    expect(seenAssertions.length).toBeGreaterThanOrEqual(8);
    const lines = [
      ...keyMaterialLines(cert.pem),
      ...keyMaterialLines(encrypted.pkcs8),
      ...keyMaterialLines(encrypted.legacy),
    ];
    expect(lines.length).toBeGreaterThan(40);
    for (const line of lines) {
      expect(text).not.toContain(line);
    }
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('not the password');
    expect(text).not.toMatch(TOKEN_PATTERN);
    // Messages may name a PEM header as an instruction, but never hold a block.
    expect(text).not.toContain('-----END');
    for (const assertion of seenAssertions) {
      expect(text).not.toContain(assertion);
      expect(text).not.toContain(assertion.split('.')[2]);
    }
    expect(JSON.stringify(t.simulator.requests)).not.toMatch(TOKEN_PATTERN);
  });
});

/**
 * What the simulator's token endpoint answers to assertions msal-node never
 * makes: hand-built here (test-only) and posted with fetch.
 */
describe('simulator token endpoint: client assertion checks', () => {
  let t: TestTenant;
  let cert: TestCertificate;
  let endpoint: string;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    t = await startTestTenant('tiny');
    cert = makeCertificate();
    t.simulator.addApplication({
      clientId: t.config.clientId,
      displayName: 'JupiterOne Microsoft 365 (test)',
      secrets: [],
      certificates: [cert.certPem],
    });
    endpoint = `${t.simulator.origin}/${t.tenant.tenantId}/oauth2/v2.0/token`;
  });
  afterAll(() => t.close());

  function sign(
    options: {
      alg?: 'RS256' | 'PS256';
      header?: Record<string, unknown>;
      claims?: Record<string, unknown>;
      key?: string;
    } = {},
  ): string {
    const alg = options.alg ?? 'PS256';
    const der = new crypto.X509Certificate(cert.certPem).raw;
    const header = {
      alg,
      typ: 'JWT',
      ...(alg === 'PS256'
        ? {
            'x5t#S256': crypto
              .createHash('sha256')
              .update(der)
              .digest('base64url'),
          }
        : { x5t: crypto.createHash('sha1').update(der).digest('base64url') }),
      ...options.header,
    };
    const issued = now();
    const claims = {
      aud: endpoint,
      iss: t.config.clientId,
      sub: t.config.clientId,
      nbf: issued,
      exp: issued + 600,
      jti: crypto.randomUUID(),
      ...options.claims,
    };
    const input = [header, claims]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .join('.');
    const key = crypto.createPrivateKey(options.key ?? cert.keyPem);
    const signature =
      alg === 'RS256'
        ? crypto.sign('sha256', Buffer.from(input), key)
        : crypto.sign('sha256', Buffer.from(input), {
            key,
            padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
            saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST,
          });
    return `${input}.${signature.toString('base64url')}`;
  }

  async function post(
    assertion: string,
    type: string | null = jwt.CLIENT_ASSERTION_TYPE,
  ) {
    const form = new URLSearchParams({
      client_id: t.config.clientId,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
      client_assertion: assertion,
    });
    if (type) form.set('client_assertion_type', type);
    const response = await fetch(endpoint, { method: 'POST', body: form });
    const body = await response.json();
    return { status: response.status, body };
  }

  function description(body: { error_description: string }): string {
    return body.error_description.replace(/ Trace ID: .*$/, '');
  }

  test('accepts PS256 with x5t#S256 and RS256 with x5t (SHA-1)', async () => {
    for (const alg of ['PS256', 'RS256'] as const) {
      const { status, body } = await post(sign({ alg }));
      expect(status).toBe(200);
      expect(body.token_type).toBe('Bearer');
    }
  });

  test('an expired assertion: 401 AADSTS700024 in the real error body shape', async () => {
    // Made for 2019-12-31T23:50:00Z .. 2020-01-01T00:00:00Z.
    const old = await post(
      sign({ claims: { nbf: 1577836200, exp: 1577836800 } }),
    );
    expect(old.status).toBe(401);
    expect(Object.keys(old.body).sort()).toEqual([
      'correlation_id',
      'error',
      'error_codes',
      'error_description',
      'error_uri',
      'timestamp',
      'trace_id',
    ]);
    expect(old.body).toMatchObject({
      error: 'invalid_client',
      error_codes: [700024],
    });
    expect(description(old.body)).toMatch(
      /^AADSTS700024: Client assertion is not within its valid time range\. Current time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0000000Z, assertion valid from 2019-12-31T23:50:00\.0000000Z, expiry time of assertion 2020-01-01T00:00:00\.0000000Z\. Review the documentation at https:\/\/learn\.microsoft\.com\/entra\/identity-platform\/certificate-credentials \.$/,
    );
  });

  test('an assertion for another cloud: 401 AADSTS700023', async () => {
    const { status, body } = await post(
      sign({
        claims: {
          aud: `https://login.microsoftonline.us/${t.tenant.tenantId}/oauth2/v2.0/token`,
        },
      }),
    );
    expect(status).toBe(401);
    expect(body).toMatchObject({
      error: 'invalid_client',
      error_codes: [700023],
    });
    expect(description(body)).toBe(
      'AADSTS700023: Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .',
    );
  });

  test('the audience may name the tenant by id or domain, in any case, v2.0 or v1 path', async () => {
    for (const aud of [
      endpoint.toUpperCase().replace('HTTPS://', 'https://'),
      `${t.simulator.origin}/${t.tenant.domains[0]}/oauth2/v2.0/token`,
      `${t.simulator.origin}/${t.tenant.tenantId}/oauth2/token`,
    ]) {
      expect((await post(sign({ claims: { aud } }))).status).toBe(200);
    }
  });

  test('a signature by another key: 401 AADSTS700027 signature validation', async () => {
    const { status, body } = await post(
      sign({ key: makeCertificate().keyPem }),
    );
    expect(status).toBe(401);
    expect(description(body)).toBe(
      'AADSTS700027: Client assertion failed signature validation.',
    );
  });

  test('an unknown certificate: 401 AADSTS700027 key not found, naming the thumbprint sent', async () => {
    const { status, body } = await post(
      sign({
        header: { 'x5t#S256': Buffer.alloc(32, 7).toString('base64url') },
      }),
    );
    expect(status).toBe(401);
    expect(description(body)).toMatch(
      new RegExp(
        `^AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application\\. \\[Reason - The key was not found\\., Thumbprint of key used by client: '${'07'.repeat(
          32,
        )}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${
          t.config.clientId
        }'\\. .*\\]$`,
      ),
    );
  });

  test('iss/sub other than the client id: 401 AADSTS700021', async () => {
    const { status, body } = await post(
      sign({ claims: { iss: '00000000-0000-4000-8000-000000000000' } }),
    );
    expect(status).toBe(401);
    expect(description(body)).toBe(
      "AADSTS700021: Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
    );
  });

  test('malformed, without jti, or an unsupported alg: 400 AADSTS50027; no assertion type: AADSTS900144', async () => {
    for (const assertion of [
      'not.a.jwt!',
      sign({ claims: { jti: undefined } }),
      sign({ header: { alg: 'HS256' } }),
    ]) {
      const { status, body } = await post(assertion);
      expect(status).toBe(400);
      expect(description(body)).toBe(
        'AADSTS50027: JWT token is invalid or malformed.',
      );
    }
    const { status, body } = await post(sign(), null);
    expect(status).toBe(400);
    expect(description(body)).toBe(
      "AADSTS900144: The request body must contain the following parameter: 'client_assertion_type'.",
    );
  });

  test('the request log never holds an assertion', () => {
    const log = JSON.stringify(t.simulator.requests);
    expect(t.simulator.requests.length).toBeGreaterThanOrEqual(14);
    expect(log).not.toMatch(TOKEN_PATTERN);
    expect(log).not.toContain('client_assertion=');
  });
});
