/**
 * cli.ts as a separate process: startup line, a real client against it, the
 * /_simulator admin endpoints, and shutdown on SIGTERM.
 */
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as path from 'path';
import { GRAPH_SCOPE, startTestSimulator } from './test-helpers';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';

const REPO = path.resolve(__dirname, '..', '..');
const CLIENT_ID = '7a1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

interface Started {
  child: ChildProcess;
  line: Record<string, string>;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function startCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<Started> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      'test/graph-simulator/cli.ts',
      ...args,
    ],
    {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        resolve({
          child,
          line: JSON.parse(stdout.slice(0, newline)),
          stdout: () => stdout,
          stderr: () => stderr,
          exit,
        });
      }
    });
    void exit.then((code) =>
      reject(new Error(`cli exited with ${code} before starting: ${stderr}`)),
    );
  });
}

describe('cli.ts', () => {
  const secret = `cli-${randomBytes(12).toString('hex')}`;
  let started: Started;

  beforeAll(async () => {
    started = await startCli(
      [
        '--profile',
        'tiny',
        '--port',
        '0',
        '--latency',
        '1',
        '--seed',
        '7',
        '--client-id',
        CLIENT_ID,
      ],
      {
        SIMULATOR_CLIENT_SECRET: secret,
      },
    );
  }, 120_000);
  afterAll(async () => {
    if (started.child.exitCode === null) {
      started.child.kill('SIGTERM');
      await started.exit;
    }
  });

  async function admin(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<any> {
    const response = await fetch(`${started.line.origin}/_simulator/${route}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json() };
  }

  test('prints one JSON line with what a client needs, never the secret', () => {
    expect(Object.keys(started.line).sort()).toEqual([
      'caCertPath',
      'clientId',
      'domain',
      'origin',
      'tenantId',
    ]);
    expect(started.line.origin).toMatch(/^https:\/\/localhost:\d+$/);
    expect(started.line.clientId).toBe(CLIENT_ID);
    expect(started.stdout()).not.toContain(secret);
    expect(started.stderr()).not.toContain(secret);
  });

  test('serves the real client, and the admin endpoints control it', async () => {
    const { origin, tenantId, clientId } = started.line;
    const credential = new ClientSecretCredential(tenantId, clientId, secret, {
      authorityHost: origin,
      disableInstanceDiscovery: true,
    });
    const client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: [GRAPH_SCOPE],
      }),
      baseUrl: origin,
      customHosts: new Set(['localhost']),
    });
    const organization = await client.api('/organization').get();
    expect(organization.value[0].id).toBe(tenantId);

    const stats = await admin('GET', 'stats');
    expect(stats.body.services.directory.requests).toBe(1);
    expect(stats.body.services.identity.requests).toBe(2);

    const fault = await admin('POST', 'faults', {
      match: { pathIncludes: '/users' },
      respond: { status: 503, retryAfter: null },
    });
    expect(fault.status).toBe(201);
    expect((await admin('GET', 'faults')).body).toHaveLength(1);
    // Raw fetch: graph-client's RetryHandler would spend ~20 s retrying the 503.
    const { token } = (await credential.getToken(GRAPH_SCOPE))!;
    expect(
      (
        await fetch(`${origin}/v1.0/users`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(503);
    expect((await admin('DELETE', 'faults')).status).toBe(200);
    expect((await client.api('/users').get()).value.length).toBeGreaterThan(0);
    expect(
      (await admin('POST', 'faults', { respond: { kind: 'nonsense' } })).status,
    ).toBe(400);

    const truth = await admin('GET', 'ground-truth');
    expect(truth.body.entities).toBeDefined();
    expect((await admin('POST', 'stats/reset')).status).toBe(200);
    expect((await admin('GET', 'stats')).body.totals.requests).toBe(0);
  });

  test('exits cleanly on SIGTERM', async () => {
    started.child.kill('SIGTERM');
    expect(await started.exit).toBe(0);
  });

  test('refuses to start without SIMULATOR_CLIENT_SECRET', async () => {
    const error = await startCli(['--profile', 'tiny'], {
      SIMULATOR_CLIENT_SECRET: '',
    }).catch((failure: Error) => failure);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('SIMULATOR_CLIENT_SECRET');
  }, 120_000);
});

describe('admin endpoints are off unless asked for', () => {
  test('a library simulator answers /_simulator with 404', async () => {
    const t = await startTestSimulator();
    try {
      expect((await fetch(`${t.sim.origin}/_simulator/stats`)).status).toBe(
        404,
      );
    } finally {
      await t.close();
    }
  });
});
