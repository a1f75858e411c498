/**
 * The Entra ID side through the real @azure/identity ClientSecretCredential:
 * discovery, token success, each AADSTS failure, and that secrets never leak.
 */
import * as https from 'https';
import { startGraphSimulator } from './index';
import {
  GRAPH_SCOPE,
  graphError,
  rejectionOf,
  startTestSimulator,
  TestSimulator,
} from './test-helpers';

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(
    Buffer.from(token.split('.')[1], 'base64url').toString('utf8'),
  );
}

describe('Entra ID token flow', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator({
      roles: ['User.Read.All', 'Organization.Read.All'],
    });
  });
  afterAll(() => t.close());

  afterEach(() => {
    // No secret may ever reach the request log.
    expect(JSON.stringify(t.sim.requests)).not.toContain(t.secret);
  });

  test('issues an RS256 token with the tenant grants as roles', async () => {
    const token = await t.credential().getToken(GRAPH_SCOPE);
    const header = JSON.parse(
      Buffer.from(token.token.split('.')[0], 'base64url').toString('utf8'),
    );
    expect(header).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    expect(typeof header.kid).toBe('string');
    expect(typeof header.x5t).toBe('string');
    const claims = claimsOf(token.token);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${t.tenant.tenantId}/`,
      appid: t.clientId,
      app_displayname: 'Simulator test app',
      idtyp: 'app',
      tid: t.tenant.tenantId,
      ver: '1.0',
      roles: ['User.Read.All', 'Organization.Read.All'],
    });
    expect(claims.oid).toBe(claims.sub);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3599);

    const discovery = t.sim.requests.find((r) =>
      r.endpoint.includes('openid-configuration'),
    );
    const tokenCall = t.sim.requests.find(
      (r) => r.endpoint === 'POST /{tenant}/oauth2/v2.0/token',
    );
    expect(discovery?.status).toBe(200);
    expect(tokenCall).toMatchObject({
      status: 200,
      scope: GRAPH_SCOPE,
      clientId: t.clientId,
      service: 'identity',
    });
    expect(tokenCall?.path).toMatch(
      /^\/[^/]+\/oauth2\/v2\.0\/token\?client-request-id=/,
    );
  });

  test('the token body and headers look like Entra (graph-api.md §1.3)', async () => {
    const response = await fetch(
      `${t.sim.origin}/${t.tenant.domains[0]}/oauth2/v2.0/token`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
        },
        body: `client_id=${t.clientId}&scope=${encodeURIComponent(
          GRAPH_SCOPE,
        )}&grant_type=client_credentials&x-client-SKU=msal.js.node&client_secret=${encodeURIComponent(
          t.secret,
        )}`,
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/json; charset=utf-8',
    );
    expect(response.headers.get('cache-control')).toBe('no-store, no-cache');
    expect(response.headers.get('x-ms-request-id')).toBeTruthy();
    const body = await response.json();
    expect(Object.keys(body)).toEqual([
      'token_type',
      'expires_in',
      'ext_expires_in',
      'access_token',
    ]);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
    });
  });

  test('discovery answers for any tenant, with an issuer on the request host', async () => {
    const response = await fetch(
      `${t.sim.origin}/no-such-tenant.example/v2.0/.well-known/openid-configuration`,
    );
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.issuer).toBe(`${t.sim.origin}/no-such-tenant.example/v2.0`);
    expect(document.token_endpoint).toBe(
      `${t.sim.origin}/no-such-tenant.example/oauth2/v2.0/token`,
    );
    expect(document.msgraph_host).toBe('graph.microsoft.com');
    const keys = await (await fetch(document.jwks_uri)).json();
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig' });
  });

  test.each([
    [
      'unknown tenant',
      { tenantId: 'd68d7cbe-0000-4000-8000-000000000000' },
      'AADSTS90002',
      400,
    ],
    [
      'unknown client id',
      { clientId: '00000000-0000-4000-8000-00000000dead' },
      'AADSTS700016',
      400,
    ],
    ['wrong secret', { secret: 'not-the-secret' }, 'AADSTS7000215', 401],
  ])('%s fails with %s', async (_name, overrides, code, status) => {
    const error = await rejectionOf(
      t.credential(overrides).getToken(GRAPH_SCOPE),
    );
    expect(error.message).toContain(code);
    expect(error.message).not.toContain(t.secret);
    const last = t.sim.requests[t.sim.requests.length - 1];
    expect(last).toMatchObject({
      endpoint: 'POST /{tenant}/oauth2/v2.0/token',
      status,
    });
  });

  test('an expired secret fails with AADSTS7000222', async () => {
    const expired = 'expired-secret-value';
    t.sim.addApplication({
      clientId: t.clientId,
      displayName: 'Simulator test app',
      secrets: [{ value: t.secret }, { value: expired, expired: true }],
    });
    const error = await rejectionOf(
      t.credential({ secret: expired }).getToken(GRAPH_SCOPE),
    );
    expect(error.message).toContain('AADSTS7000222');
    expect(error.message).not.toContain(expired);
    expect(JSON.stringify(t.sim.requests)).not.toContain(expired);
  });

  test('error bodies have the Entra shape and echo the correlation id', async () => {
    const response = await fetch(
      `${t.sim.origin}/unknown.example/oauth2/v2.0/token?client-request-id=abc`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-ms-client-request-id': 'corr-1',
        },
        body: `client_id=${
          t.clientId
        }&client_secret=x&scope=${encodeURIComponent(
          GRAPH_SCOPE,
        )}&grant_type=client_credentials`,
      },
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body)).toEqual([
      'error',
      'error_description',
      'error_codes',
      'timestamp',
      'trace_id',
      'correlation_id',
      'error_uri',
    ]);
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toMatch(
      /^AADSTS90002: Tenant 'unknown.example' not found\. This may happen if there are no active subscriptions for the tenant\. Check to make sure you have the correct tenant ID\. Check with your subscription administrator\. Trace ID: \S+ Correlation ID: corr-1 Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(body).toMatchObject({
      error_codes: [90002],
      correlation_id: 'corr-1',
    });
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  });

  test.each([
    [
      'a scope without /.default',
      'https://graph.microsoft.com/User.Read.All',
      400,
      'invalid_scope',
      1002012,
    ],
    [
      'an http scope',
      'http://graph.microsoft.com/.default',
      400,
      'invalid_scope',
      1002012,
    ],
  ])('%s is refused', async (_name, scope, status, error, code) => {
    const response = await fetch(
      `${t.sim.origin}/${t.tenant.tenantId}/oauth2/v2.0/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: t.clientId,
          client_secret: t.secret,
          scope,
          grant_type: 'client_credentials',
        }).toString(),
      },
    );
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error, error_codes: [code] });
  });

  test('grant types other than client_credentials are refused', async () => {
    const response = await fetch(
      `${t.sim.origin}/${t.tenant.tenantId}/oauth2/v2.0/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: t.clientId,
          client_secret: t.secret,
          scope: GRAPH_SCOPE,
          grant_type: 'password',
        }).toString(),
      },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'unsupported_grant_type',
      error_codes: [70003],
    });
  });

  test('an app without a service principal gets a token without roles, then Graph 401 IdentityNotFound', async () => {
    const outsiderId = '0f0f0f0f-0000-4000-8000-000000000001';
    t.sim.addApplication({
      clientId: outsiderId,
      displayName: 'Outsider',
      secrets: [{ value: t.secret }],
    });
    const credential = t.credential({ clientId: outsiderId });
    const token = await credential.getToken(GRAPH_SCOPE);
    expect(claimsOf(token.token).roles).toBeUndefined();
    const error = await rejectionOf(
      t.client(credential).api('/organization').get(),
    );
    expect(error.statusCode).toBe(401);
    expect(error.code).toBe('Authorization_IdentityNotFound');
    expect(error.message).toBe(
      'The identity of the calling application could not be established.',
    );
  });

  test('Graph bearer checks: empty, unparsable, expired', async () => {
    const empty = await t.get('/v1.0/users', { authorization: '' });
    expect(empty.status).toBe(401);
    expect(empty.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="", authorization_uri="https:\/\/localhost:\d+\/common\/oauth2\/authorize", client_id="00000003-0000-0000-c000-000000000000"$/,
    );
    expect(await graphError(empty)).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Access token is empty.',
    });

    const garbage = await t.get('/v1.0/users', {
      authorization: 'Bearer not.a.token',
    });
    expect(await graphError(garbage)).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'CompactToken parsing failed with error code: 80049217',
    });

    // A token whose claims were edited (more roles) fails the signature check.
    const [header, , signature] = (await t.token()).split('.');
    const escalated = Buffer.from(
      JSON.stringify({
        tid: t.tenant.tenantId,
        appid: t.clientId,
        roles: ['Directory.ReadWrite.All'],
      }),
    ).toString('base64url');
    const forged = await t.get('/v1.0/users', {
      authorization: `Bearer ${header}.${escalated}.${signature}`,
    });
    expect((await graphError(forged)).message).toBe(
      'CompactToken parsing failed with error code: 80049217',
    );

    t.sim.setBehaviour({ tokenLifetimeSeconds: 0 });
    const expired = await t.token();
    t.sim.setBehaviour({ tokenLifetimeSeconds: 3599 });
    const response = await t.get('/v1.0/users', {
      authorization: `Bearer ${expired}`,
    });
    expect(response.status).toBe(401);
    expect(await graphError(response)).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Lifetime validation failed, the token is expired.',
    });
  });

  test('national-cloud host names: certificate SAN and discovery built from the Host header', async () => {
    const sim = await startGraphSimulator({
      hostnames: ['login.microsoftonline.us'],
    });
    try {
      const document = await new Promise<Record<string, string>>(
        (resolve, reject) => {
          const request = https.get(
            {
              host: '127.0.0.1',
              port: sim.port,
              servername: 'login.microsoftonline.us',
              path: '/contoso.onmicrosoft.us/v2.0/.well-known/openid-configuration',
              headers: { host: `login.microsoftonline.us:${sim.port}` },
            },
            (response) => {
              let text = '';
              response.on('data', (chunk) => (text += chunk));
              response.on('end', () => resolve(JSON.parse(text)));
            },
          );
          request.on('error', reject);
        },
      );
      expect(document.issuer).toBe(
        `https://login.microsoftonline.us:${sim.port}/contoso.onmicrosoft.us/v2.0`,
      );
      expect(document.msgraph_host).toBe('graph.microsoft.us');
      expect(document.cloud_instance_name).toBe('microsoftonline.us');
    } finally {
      await sim.close();
    }
  });
});
