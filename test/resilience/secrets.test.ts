/**
 * Secrets: collections run with a known client secret (in success, with a
 * wrong secret, for an unknown tenant, and under faults), then every log
 * record they produced (error objects and stacks included), every file they
 * wrote under the storage directory, and every file of the project's own
 * working tree touched meanwhile are searched for the secret and for the
 * access tokens the simulator issued. The same is done for
 * `j1-integration collect` in a child process, as users and the demo run
 * it, whose standard output is the log.
 */
import { spawn } from 'child_process';
import { existsSync, promises as fs } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { IntegrationConfig } from '../../src/config';
import { CollectionResult, runCollection } from '../support/collect';
import { failureMessages } from '../support/outcome';
import { startTestTenant, TestTenant } from '../support/tenant';
import {
  JWT_PATTERN,
  recordAccessTokens,
  TokenRecorder,
  tokenNeedles,
} from '../support/token-recorder';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const STARTED = Date.now();

let t: TestTenant;
let recorder: TokenRecorder;
/** Everything the collections of this file logged or wrote, with where it came from. */
const texts: { source: string; text: string }[] = [];
/** Secrets used by the runs (the right one, and the wrong ones tried). */
const secrets: string[] = [];

beforeAll(async () => {
  t = await startTestTenant('tiny');
  secrets.push(t.config.clientSecret);
  recorder = recordAccessTokens();
});
afterAll(async () => {
  recorder?.stop();
  await t?.close();
});

async function collect(
  label: string,
  config: IntegrationConfig,
  options: Parameters<typeof runCollection>[1] = {},
): Promise<CollectionResult> {
  const result = await runCollection(config, options);
  texts.push({
    source: `${label}: logs and storage`,
    text: await result.allText(),
  });
  if (result.error) {
    texts.push({
      source: `${label}: thrown error`,
      text: `${result.error.message}\n${result.error.stack}`,
    });
  }
  return result;
}

/** The places a needle was found. */
function hits(needles: string[]): string[] {
  return texts.flatMap(({ source, text }) =>
    needles
      .filter((needle) => text.includes(needle))
      .map((needle) => `${source} holds ${needle.slice(0, 12)}…`),
  );
}

test('a successful collection', async () => {
  const result = await collect('success', t.config);
  expect(result.error).toBeUndefined();
  expect(failureMessages(result)).toEqual({});
});

test('a wrong secret', async () => {
  const wrong = `${t.config.clientSecret.slice(
    0,
    10,
  )}-not-the-secret-${Date.now()}`;
  secrets.push(wrong);
  const result = await collect('wrong secret', {
    ...t.config,
    clientSecret: wrong,
  });
  expect(result.error?.message).toBe(
    `Microsoft Graph POST ${t.simulator.origin}/${t.tenant.tenantId}/oauth2/v2.0/token failed with 401 AADSTS7000215. The client secret is not valid for application ${t.config.clientId}. Set clientSecret to the secret's Value (not its Secret ID) from Certificates & secrets of the app registration.`,
  );
});

test('an unknown tenant', async () => {
  const result = await collect('unknown tenant', {
    ...t.config,
    tenant: 'no-such-tenant.onmicrosoft.com',
  });
  expect(result.error?.message).toBe(
    `Microsoft Graph POST ${t.simulator.origin}/no-such-tenant.onmicrosoft.com/oauth2/v2.0/token failed with 400 AADSTS90002. Microsoft Entra ID does not know tenant "no-such-tenant.onmicrosoft.com". Set tenant to the Directory (tenant) ID or a verified domain of the tenant, and check that the cloud setting matches the cloud the tenant lives in.`,
  );
});

test('under faults: throttling, resets, an expired token, a body that is not JSON, a step that fails, and short-lived tokens', async () => {
  t.simulator.setBehaviour({
    tokenLifetimeSeconds: 60,
    random: { rate429: 0.05, retryAfter: false, seed: 4 },
  });
  t.simulator.addFault({
    match: { pathIncludes: '/v1.0/users?' },
    times: 1,
    respond: {
      status: 401,
      code: 'InvalidAuthenticationToken',
      message: 'Lifetime validation failed, the token is expired.',
    },
  });
  t.simulator.addFault({
    match: { pathIncludes: '/$batch', batchItem: false },
    times: 1,
    respond: { kind: 'resetConnection' },
  });
  t.simulator.addFault({
    match: { pathIncludes: '/beta/deviceManagement/detectedApps?' },
    times: 1,
    respond: { kind: 'invalidJson' },
  });
  t.simulator.addFault({
    match: { pathRegex: '^/v1\\.0/deviceManagement/deviceConfigurations\\?' },
    respond: {
      status: 403,
      code: 'Forbidden',
      message: 'Application is not authorized to perform this operation.',
    },
  });
  try {
    const result = await collect('faults', t.config);
    // (issue 15: the policy assignment step then cannot relate configurations)
    expect(Object.keys(failureMessages(result)).sort()).toEqual([
      'build-intune-policy-group-relationships',
      'fetch-device-configurations',
    ]);
  } finally {
    t.simulator.clearFaults();
    t.simulator.setBehaviour({ tokenLifetimeSeconds: 3599, random: undefined });
  }
});

test('no secret and no access token in any log record or written file', () => {
  const tokens = recorder.all();
  // The runs did get and send tokens (60 s tokens: several), and the recorder saw them.
  expect(recorder.issued.size).toBeGreaterThan(3);
  expect(
    Array.from(recorder.sent).every((token) => recorder.issued.has(token)),
  ).toBe(true);
  expect(texts.length).toBeGreaterThanOrEqual(6);
  expect(hits(secrets)).toEqual([]);
  expect(hits(tokenNeedles(tokens))).toEqual([]);
  expect(
    texts.filter(({ text }) => JWT_PATTERN.test(text)).map((t) => t.source),
  ).toEqual([]);
});

/** `j1-integration collect -p <a project that links to this one>`: output, and what it wrote. */
async function collectWithCli(config: IntegrationConfig) {
  const project = await fs.mkdtemp(join(tmpdir(), 'm365-cli-'));
  for (const name of ['src', 'node_modules', 'package.json', 'tsconfig.json']) {
    await fs.symlink(join(ROOT, name), join(project, name));
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLIENT_ID: config.clientId,
    CLIENT_SECRET: config.clientSecret,
    TENANT: config.tenant,
    AUTHORITY_HOST: config.authorityHost,
    GRAPH_ENDPOINT: config.graphEndpoint,
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
  };
  delete env.JUPITERONE_INTEGRATION_STORAGE_DIRECTORY;
  const output: string[] = [];
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(
      join(ROOT, 'node_modules', '.bin', 'j1-integration'),
      ['collect', '-p', project],
      { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (chunk) => output.push(String(chunk)));
    child.stderr.on('data', (chunk) => output.push(String(chunk)));
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
  const storage = join(project, '.j1-integration');
  const files = await listFiles(storage);
  const written = await Promise.all(
    files.map((file) => fs.readFile(file, 'utf8')),
  );
  const summary = existsSync(join(storage, 'summary.json'))
    ? JSON.parse(await fs.readFile(join(storage, 'summary.json'), 'utf8'))
    : undefined;
  return {
    exitCode,
    output: output.join(''),
    written: written.join('\n'),
    summary,
    project,
  };
}

test('j1-integration collect in a child process: no secret or token on its output or in .j1-integration', async () => {
  t.simulator.addFault({
    match: { pathIncludes: '/v1.0/groups?' },
    times: 2,
    respond: { status: 503 },
  });
  t.simulator.addFault({
    match: { pathRegex: '^/v1\\.0/deviceManagement/deviceConfigurations\\?' },
    respond: { status: 500, code: 'UnknownError', message: 'boom' },
  });
  const run = await collectWithCli(t.config);
  t.simulator.clearFaults();
  try {
    // It did collect, with one step failing on purpose and printing why.
    expect(run.exitCode).toBe(0);
    expect(
      run.summary.integrationStepResults
        .filter((s: { status: string }) => s.status !== 'success')
        .map((s: { id: string }) => s.id)
        .sort(),
    ).toEqual([
      'build-intune-policy-group-relationships',
      'fetch-device-configurations',
    ]);
    expect(run.output).toContain(
      `failed with 500 UnknownError: boom (request-id`,
    );
    const text = `${run.output}\n${run.written}`;
    expect(text.includes(t.config.clientSecret)).toBe(false);
    expect(JWT_PATTERN.test(text)).toBe(false);
  } finally {
    await fs.rm(run.project, { recursive: true, force: true });
  }
});

async function listFiles(dir: string, skip: string[] = []): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (skip.includes(entry.name)) continue;
    if (entry.isDirectory()) files.push(...(await listFiles(path, skip)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

test("nothing in the project's own working tree holds a secret, and no .env was written", async () => {
  const touched: string[] = [];
  for (const file of await listFiles(ROOT, ['node_modules', '.git'])) {
    const stat = await fs.stat(file);
    if (stat.mtimeMs < STARTED - 1000) continue;
    touched.push(relative(ROOT, file));
    const text = await fs.readFile(file, 'utf8');
    for (const secret of secrets) {
      expect([relative(ROOT, file), text.includes(secret)]).toEqual([
        relative(ROOT, file),
        false,
      ]);
    }
  }
  const dotEnv = join(ROOT, '.env');
  if (existsSync(dotEnv)) {
    expect((await fs.stat(dotEnv)).mtimeMs).toBeLessThan(STARTED);
  }
  expect(touched.filter((file) => file === '.env')).toEqual([]);
});
