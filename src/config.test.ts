import { findConfigProblems, assertValidConfig } from './config';

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

  test('never echoes the secret', () => {
    const secret = 'S3cr3t~value.with.dots';
    const problems = findConfigProblems({ clientSecret: secret, tenant: 'x' });
    expect(problems.join(' ')).not.toContain(secret);
  });
});
