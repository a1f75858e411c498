import { loadConfigFromEnvironmentVariables } from '@jupiterone/integration-sdk-runtime';
import { asSingleLine, encryptedPem, makeCertificate } from '../test/support/certificates';
import {
  findConfigProblems,
  assertValidConfig,
  detectedAppsRouteOf,
  instanceConfigFields,
} from './config';

const valid = {
  clientId: '11111111-2222-3333-4444-555555555555',
  clientSecret: 'not-a-real-secret',
  tenant: 'contoso.onmicrosoft.com',
};

describe('findConfigProblems', () => {
  test('accepts a tenant GUID or a verified domain, and every cloud', () => {
    expect(findConfigProblems(valid)).toEqual([]);
    expect(
      findConfigProblems({ ...valid, tenant: 'a76fc728-0cba-45f0-a9eb-d45207e14513' }),
    ).toEqual([]);
    for (const cloud of ['global', 'usgov', 'usgovdod', 'china']) {
      expect(findConfigProblems({ ...valid, cloud })).toEqual([]);
    }
  });

  test('names every missing field in one message', () => {
    expect(() => assertValidConfig({})).toThrow(
      'Invalid Microsoft 365 configuration: ' +
        'clientId is missing: set it to the Application (client) ID of the app registration (env CLIENT_ID). ' +
        "clientSecret is missing: set it to the Value of a client secret from the app registration's Certificates & secrets (env CLIENT_SECRET). " +
        'tenant is missing: set it to the Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com (env TENANT).',
    );
  });

  test('names every malformed field', () => {
    expect(
      findConfigProblems({
        clientId: 'my-app',
        clientSecret: 's',
        tenant: 'common',
        cloud: 'germany',
        authorityHost: 'http://login.example.com',
        graphEndpoint: 'https://graph.example.com/v1.0',
      }),
    ).toEqual([
      'clientId is not a GUID: use the Application (client) ID shown on the app registration overview, not its name or object ID.',
      'tenant "common" is not a single tenant: the client-credentials flow needs the Directory (tenant) ID or a verified domain of the tenant to read.',
      'cloud "germany" is unknown: use one of global, usgov, usgovdod, china (env CLOUD).',
      'authorityHost "http://login.example.com" must be an https URL of a host, such as https://login.microsoftonline.us (env AUTHORITY_HOST).',
      'graphEndpoint "https://graph.example.com/v1.0" must be an https URL of a host, such as https://login.microsoftonline.us (env GRAPH_ENDPOINT).',
    ]);
    expect(findConfigProblems({ ...valid, tenant: 'not a domain' })).toEqual([
      'tenant "not a domain" is neither a tenant ID (GUID) nor a domain name: use the Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com.',
    ]);
  });

  test('detectedAppsRoute: auto (default), export or requests, in any case', () => {
    for (const detectedAppsRoute of ['auto', 'export', 'requests', 'EXPORT', ' requests ', '']) {
      expect(findConfigProblems({ ...valid, detectedAppsRoute })).toEqual([]);
    }
    expect(detectedAppsRouteOf(valid)).toBe('auto');
    expect(detectedAppsRouteOf({ ...valid, detectedAppsRoute: ' Export' })).toBe('export');
    expect(findConfigProblems({ ...valid, detectedAppsRoute: 'report' })).toEqual([
      'detectedAppsRoute "report" is unknown: use auto (the default: the Intune report export, and the request route if it cannot finish), export (the export only) or requests (the request route only) (env DETECTED_APPS_ROUTE).',
    ]);
  });

  test('never echoes the secret', () => {
    const secret = 'S3cr3t~value.with.dots';
    const problems = findConfigProblems({ clientSecret: secret, tenant: 'x' });
    expect(problems.join(' ')).not.toContain(secret);
  });

  test('names both credentials when neither is set', () => {
    expect(() => assertValidConfig({ clientId: valid.clientId, tenant: valid.tenant })).toThrow(
      new Error(
        'Invalid Microsoft 365 configuration: ' +
          "clientSecret is missing: set it to the Value of a client secret from the app registration's Certificates & secrets (env CLIENT_SECRET). " +
          'For certificate authentication set clientCertificate instead of clientSecret: a PEM holding the certificate and its private key (env CLIENT_CERTIFICATE).',
      ),
    );
  });
});

describe('certificate fields', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('are masked where secret, and optional', () => {
    expect(instanceConfigFields.clientCertificate).toEqual({ type: 'string', mask: true, optional: true });
    expect(instanceConfigFields.clientCertificatePassword).toEqual({
      type: 'string',
      mask: true,
      optional: true,
    });
    expect(instanceConfigFields.sendCertificateChain).toEqual({ type: 'boolean', optional: true });
  });

  test('load from CLIENT_CERTIFICATE (single line, literal \\n), CLIENT_CERTIFICATE_PASSWORD and SEND_CERTIFICATE_CHAIN', () => {
    const cert = makeCertificate();
    const password = 'env password';
    process.env.CLIENT_ID = valid.clientId;
    process.env.TENANT = valid.tenant;
    const singleLine = asSingleLine(encryptedPem(cert, password));
    expect(singleLine).not.toContain('\n');
    process.env.CLIENT_CERTIFICATE = singleLine;
    process.env.CLIENT_CERTIFICATE_PASSWORD = password;
    process.env.SEND_CERTIFICATE_CHAIN = 'true';
    // Set (empty) so that a developer's .env, which dotenv reads, cannot add them.
    for (const name of ['CLIENT_SECRET', 'CLOUD', 'AUTHORITY_HOST', 'GRAPH_ENDPOINT']) {
      process.env[name] = '';
    }
    const config = loadConfigFromEnvironmentVariables(instanceConfigFields);
    expect(config).toMatchObject({
      clientId: valid.clientId,
      tenant: valid.tenant,
      clientCertificate: singleLine,
      clientCertificatePassword: password,
      sendCertificateChain: true,
    });
    expect(findConfigProblems(config)).toEqual([]);
  });

  test('never echo the certificate or its password', () => {
    const cert = makeCertificate();
    const pem = encryptedPem(cert, 'Zq7-pw-unique');
    const problems = findConfigProblems({
      ...valid,
      clientCertificate: pem,
      clientCertificatePassword: 'Wr0ng-Xy',
    }).join(' ');
    expect(problems).toContain('clientSecret and clientCertificate are both set');
    expect(problems).toContain('clientCertificatePassword does not decrypt the private key');
    for (const line of pem.split('\n').filter((l) => l.length === 64)) {
      expect(problems).not.toContain(line);
    }
    expect(problems).not.toContain('Zq7-pw-unique');
    expect(problems).not.toContain('Wr0ng-Xy');
  });
});
