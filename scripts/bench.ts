/**
 * npm run bench -- [--profile S|M|L|XL] [--latency 40] [--per-item-ms 0.02] [--no-throttle] [--heap-mb N]
 *                   [--detected-apps-route auto|export|requests]
 *                   [--grant 0.2] [--grant-change 30:0.1] [--no-retry-after] [--from-source]
 *
 * Starts the Microsoft Graph simulator as its own process with a tenant
 * profile and Graph-like behaviour (latency, documented per-service
 * throttling), runs `j1-integration collect` against it the way users run
 * it, and prints and writes (bench-results/<profile>.json):
 * wall time, Graph requests per endpoint family and 429s, peak RSS of the
 * collecting process, entities and relationships written (checked against
 * the simulator's ground truth), and the throttle-bound minimum for the
 * profile with the ratio wall / minimum.
 *
 * The collector runs the compiled integration (`npm run build`, dist/), as
 * the platform runs a deployed one; `--from-source` runs src/ through the
 * SDK's ts-node instead, as `npm run collect` does on a developer's machine
 * (start-up measured in docs/performance.md).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import { createWriteStream, promises as fs } from 'fs';
import { cpus, totalmem, tmpdir } from 'os';
import https from 'https';
import { join } from 'path';
import { createInterface } from 'readline';
import { generateTenant } from '../test/graph-simulator/tenant/generate';
import { GroundTruth } from '../test/graph-simulator/tenant/model';
import { PROFILES, ProfileName } from '../test/graph-simulator/tenant/profiles';
import { SimulatorStats } from '../test/graph-simulator/types';
import {
  compareWithGroundTruth,
  readGraphCounts,
} from '../test/support/graph-counts';
import { throttleBoundMinimum } from './bench/minimum';

const ROOT = join(__dirname, '..');
const J1 = join(ROOT, 'node_modules', '.bin', 'j1-integration');

interface Options {
  profile: ProfileName;
  /** --max-old-space-size for the collector, as a memory-limited deployment would have. */
  heapMb?: number;
  latencyMs: number;
  perItemMs: number;
  throttle: boolean;
  /** Share of the documented limits the simulator grants. */
  grant: number;
  /** A new grant after this many seconds of the collection (another app starting or stopping). */
  grantChange?: { afterSeconds: number; grant: number };
  noRetryAfter: boolean;
  /** DETECTED_APPS_ROUTE for the collector (default: unset, i.e. auto). */
  detectedAppsRoute?: string;
  /** Collect from src/ through ts-node rather than the compiled dist/. */
  fromSource: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    profile: 'S',
    latencyMs: 40,
    perItemMs: 0.02,
    throttle: true,
    grant: 1,
    noRetryAfter: false,
    fromSource: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i];
    switch (argv[i]) {
      case '--profile':
        options.profile = next() as ProfileName;
        if (!(options.profile in PROFILES)) {
          throw new Error(`unknown profile ${options.profile}`);
        }
        break;
      case '--latency':
        options.latencyMs = Number(next());
        break;
      case '--per-item-ms':
        options.perItemMs = Number(next());
        break;
      case '--heap-mb':
        options.heapMb = Number(next());
        break;
      case '--no-throttle':
        options.throttle = false;
        break;
      case '--grant':
        options.grant = Number(next());
        break;
      case '--grant-change': {
        // --grant-change 30:0.1 = after 30 s, grant 10 % of the limits
        const [afterSeconds, grant] = String(next()).split(':').map(Number);
        options.grantChange = { afterSeconds, grant };
        break;
      }
      case '--no-retry-after':
        options.noRetryAfter = true;
        break;
      case '--detected-apps-route':
        options.detectedAppsRoute = next();
        break;
      case '--from-source':
        options.fromSource = true;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return options;
}

/**
 * Where the collector runs from: the SDK loads <project>/src/index
 * (dist/src/index.js once built) and writes <project>/.j1-integration.
 */
function projectOf(options: Options): string {
  return options.fromSource ? ROOT : join(ROOT, 'dist');
}

/** `npm run build`: the compiled integration in dist/, from a clean directory. */
function buildIntegration(): void {
  console.log('Building the integration (npm run build)...');
  const build = spawnSync('npm', ['run', '--silent', 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    throw new Error(`npm run build failed with exit code ${build.status}`);
  }
}

interface SimulatorProcess {
  child: ChildProcess;
  origin: string;
  caCertPath: string;
  tenantId: string;
  domain: string;
  clientId: string;
}

async function startSimulatorProcess(
  options: Options,
  secret: string,
): Promise<SimulatorProcess> {
  const args = [
    '--transpile-only',
    join(ROOT, 'test', 'graph-simulator', 'cli.ts'),
    '--profile',
    options.profile,
    '--latency',
    String(options.latencyMs),
    '--per-item-ms',
    String(options.perItemMs),
    ...(options.throttle ? ['--throttle'] : []),
    ...(options.throttle && options.grant !== 1
      ? ['--grant', String(options.grant)]
      : []),
    ...(options.noRetryAfter ? ['--no-retry-after'] : []),
  ];
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'ts-node'), args, {
    cwd: ROOT,
    env: {
      ...process.env,
      SIMULATOR_CLIENT_SECRET: secret,
      NODE_OPTIONS: '--max-old-space-size=4096',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`simulator exited with ${code} before starting`)),
    );
  });
  return { child, ...JSON.parse(firstLine) };
}

/** The simulator's control endpoints, trusting its test CA (this process started without it). */
async function admin<T>(
  simulator: SimulatorProcess,
  path: string,
  method = 'GET',
  body?: unknown,
): Promise<T> {
  const ca = await fs.readFile(simulator.caCertPath);
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${simulator.origin}/_simulator/${path}`,
      { method, ca },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((response.statusCode ?? 500) >= 300) {
            reject(
              new Error(`${method} ${path}: ${response.statusCode} ${text}`),
            );
          } else {
            resolve((text ? JSON.parse(text) : undefined) as T);
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function runCollector(
  options: Options,
  simulator: SimulatorProcess,
  secret: string,
  rssFile: string,
  logFile: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(J1, ['collect', '-p', projectOf(options)], {
      cwd: ROOT,
      env: {
        ...process.env,
        CLIENT_ID: simulator.clientId,
        CLIENT_SECRET: secret,
        TENANT: simulator.tenantId,
        CLOUD: 'global',
        AUTHORITY_HOST: simulator.origin,
        GRAPH_ENDPOINT: simulator.origin,
        NODE_EXTRA_CA_CERTS: simulator.caCertPath,
        NODE_OPTIONS: [
          `--require ${join(__dirname, 'bench', 'rss-probe.js')}`,
          options.heapMb ? `--max-old-space-size=${options.heapMb}` : '',
          // e.g. BENCH_COLLECTOR_NODE_OPTIONS="--require ./my-profiler.js" (NODE_OPTIONS refuses --cpu-prof)
          process.env.BENCH_COLLECTOR_NODE_OPTIONS ?? '',
        ].join(' '),
        BENCH_RSS_FILE: rssFile,
        ...(options.detectedAppsRoute
          ? { DETECTED_APPS_ROUTE: options.detectedAppsRoute }
          : {}),
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(logFile);
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** CPU seconds a process has used so far (Linux /proc; undefined elsewhere). */
async function cpuSecondsOf(
  pid: number | undefined,
): Promise<number | undefined> {
  if (!pid) return undefined;
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const secret = randomBytes(24).toString('base64url');
  const work = await fs.mkdtemp(join(tmpdir(), 'm365-bench-'));
  const rssFile = join(work, 'rss.jsonl');
  const logFile = join(work, 'collect.log');

  console.log(
    `Profile ${options.profile}: generating the tenant to compute its throttle-bound minimum...`,
  );
  const tenant = generateTenant(PROFILES[options.profile]);
  if (!options.fromSource) buildIntegration();
  const minimum = throttleBoundMinimum(tenant, options.grant);

  const simulator = await startSimulatorProcess(options, secret);
  try {
    await admin(simulator, 'stats/reset', 'POST');
    console.log(
      `Simulator ${simulator.origin}; collecting with j1-integration collect (log: ${logFile})...`,
    );
    const started = Date.now();
    const change = options.grantChange;
    const changeTimer = change
      ? setTimeout(() => {
          console.log(
            `after ${change.afterSeconds} s: the simulator now grants ${change.grant} of the limits`,
          );
          void admin(simulator, 'behaviour', 'POST', {
            throttleGrant: change.grant,
          });
        }, change.afterSeconds * 1000)
      : undefined;
    const exitCode = await runCollector(
      options,
      simulator,
      secret,
      rssFile,
      logFile,
    );
    const wallMs = Date.now() - started;
    if (changeTimer) clearTimeout(changeTimer);

    const output = join(projectOf(options), '.j1-integration');
    const stats = await admin<SimulatorStats>(simulator, 'stats');
    const truth = await admin<GroundTruth>(simulator, 'ground-truth');
    const summaryText = await fs
      .readFile(join(output, 'summary.json'), 'utf8')
      .catch(() => undefined);
    if (summaryText === undefined) {
      // An out-of-memory kill, for one, ends the collector before its summary.
      throw new Error(
        `The collector exited with code ${exitCode} without writing ${join(
          output,
          'summary.json',
        )}; its log: ${logFile}`,
      );
    }
    const summary = JSON.parse(summaryText);
    const counts = await readGraphCounts(join(output, 'graph'));
    const comparison = compareWithGroundTruth(counts, truth);
    const rss = (await fs.readFile(rssFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const peakRssMb = Math.max(...rss.map((r) => r.maxRssKb)) / 1024;
    const collectorCpuSeconds = rss.reduce(
      (sum, r) => sum + (r.cpuSeconds ?? 0),
      0,
    );
    const simulatorCpuSeconds = await cpuSecondsOf(simulator.child.pid);
    const sum = (r: Record<string, number>) =>
      Object.values(r).reduce((a, b) => a + b, 0);
    // Every Graph request the detected apps cost, on whichever route ran.
    const detectedAppsIntuneRequests = Object.entries(stats.endpoints)
      .filter(([endpoint]) =>
        /\/detectedApps|\/managedDevices\/\{id\}$|\/reports\/exportJobs/.test(
          endpoint,
        ),
      )
      .reduce((total, [, s]) => total + s.requests, 0);

    const result = {
      profile: options.profile,
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      collectorHeapLimitMb: options.heapMb ?? null,
      behaviour: {
        latencyMs: options.latencyMs,
        perItemMs: options.perItemMs,
        throttling: options.throttle,
        grant: options.grant,
        grantChange: options.grantChange ?? null,
        retryAfter: !options.noRetryAfter,
        collectorCode: options.fromSource ? 'src (ts-node)' : 'dist (compiled)',
      },
      exitCode,
      wallSeconds: wallMs / 1000,
      throttleBoundMinimumSeconds: minimum.seconds,
      wallOverMinimum:
        minimum.seconds > 0
          ? +(wallMs / 1000 / minimum.seconds).toFixed(2)
          : null,
      minimum,
      peakRssMb: Math.round(peakRssMb),
      cpuSeconds: {
        collector: +collectorCpuSeconds.toFixed(1),
        simulator: simulatorCpuSeconds,
      },
      steps: summary.integrationStepResults.map(
        (s: { id: string; status: string }) => `${s.id}: ${s.status}`,
      ),
      partialTypes: summary.metadata.partialDatasets.types,
      graph: {
        entities: sum(counts.entities),
        relationships: sum(counts.relationships),
        mappedRelationships: sum(counts.mappedRelationships),
        duplicateKeys: counts.duplicateKeys.length,
        equalsGroundTruth: comparison.matches,
        differences: comparison.lines.filter((l) => l.startsWith('DIFF')),
      },
      detectedAppsIntuneRequests,
      graphRequests: {
        http: stats.totals.httpRequests,
        counted: stats.totals.requests,
        batchItems: stats.totals.batchItems,
        throttled429: stats.totals.throttled,
        byService: Object.fromEntries(
          Object.entries(stats.services).map(([service, s]) => [
            service,
            {
              requests: s.requests,
              throttled429: s.throttled,
              resourceUnits: s.resourceUnits,
            },
          ]),
        ),
        byEndpoint: Object.fromEntries(
          Object.entries(stats.endpoints).map(([endpoint, s]) => [
            endpoint,
            { requests: s.requests, throttled429: s.throttled },
          ]),
        ),
      },
    };
    await fs.mkdir(join(ROOT, 'bench-results'), { recursive: true });
    const out = join(
      ROOT,
      'bench-results',
      `${options.profile}${options.heapMb ? `-heap${options.heapMb}` : ''}${
        options.throttle ? '' : '-nothrottle'
      }${
        options.detectedAppsRoute ? `-${options.detectedAppsRoute}` : ''
      }.json`,
    );
    await fs.writeFile(out, `${JSON.stringify(result, null, 2)}\n`);

    console.log(
      `\nwall ${result.wallSeconds.toFixed(
        1,
      )} s; throttle-bound minimum ${minimum.seconds.toFixed(1)} s (${
        minimum.bindingService
      }); ratio ${result.wallOverMinimum ?? 'n/a'}`,
    );
    console.log(
      `CPU: collector ${result.cpuSeconds.collector} s, simulator ${
        result.cpuSeconds.simulator ?? '?'
      } s (since it started)`,
    );
    console.log(
      `peak RSS ${result.peakRssMb} MiB; Graph requests ${result.graphRequests.counted} (${result.graphRequests.http} HTTP, ${result.graphRequests.batchItems} in $batch), 429s ${result.graphRequests.throttled429}`,
    );
    console.log(
      `detected apps cost ${detectedAppsIntuneRequests} Intune requests`,
    );
    console.log(
      `entities ${result.graph.entities}, relationships ${result.graph.relationships} + ${result.graph.mappedRelationships} mapped; equals ground truth: ${comparison.matches}`,
    );
    for (const line of result.graph.differences) console.log(`  ${line}`);
    for (const [endpoint, s] of Object.entries(
      result.graphRequests.byEndpoint,
    )) {
      console.log(
        `  ${endpoint.padEnd(60)} ${String(s.requests).padStart(7)}  429s ${
          s.throttled429
        }`,
      );
    }
    console.log(`\nwritten to ${out}`);
    if (exitCode !== 0 || !comparison.matches) process.exitCode = 1;
  } finally {
    simulator.child.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
