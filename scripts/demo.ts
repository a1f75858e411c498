/**
 * npm run demo: collect a generated tenant from the embedded Microsoft Graph
 * simulator with `j1-integration collect`, exactly as a user collects a real
 * tenant, then compare what was written with the tenant's ground truth and
 * write the offline review page (`npm run review`).
 *
 * The client secret is made up here and handed to the simulator and to the
 * collector through memory and the child's environment only: it is never
 * printed or written to disk.
 */
import { execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import { join } from 'path';
import { createInterface } from 'readline';
import { startGraphSimulator } from '../test/graph-simulator';
import { generateTenant } from '../test/graph-simulator/tenant/generate';
import { PROFILES } from '../test/graph-simulator/tenant/profiles';
import {
  compareWithGroundTruth,
  readGraphCounts,
} from '../test/support/graph-counts';
import { defaultReviewRequest, writeReviewPage } from './review';

const ROOT = join(__dirname, '..');
const J1 = join(ROOT, 'node_modules', '.bin', 'j1-integration');
const OUTPUT = join(ROOT, '.j1-integration');

async function main() {
  const profile = PROFILES.demo;
  const tenant = generateTenant(profile);
  const clientId = profile.servicePrincipals[0].clientId;
  const clientSecret = randomBytes(24).toString('base64url');
  const simulator = await startGraphSimulator({
    tenants: [tenant],
    applications: [
      {
        clientId,
        displayName: 'JupiterOne Microsoft 365 demo',
        secrets: [{ value: clientSecret }],
      },
    ],
  });
  console.log(
    `Microsoft Graph simulator on ${simulator.origin}: tenant "${tenant.displayName}" (${tenant.domains[0]})`,
  );
  try {
    const started = Date.now();
    const routeLines: string[] = [];
    const exitCode = await run(J1, ['collect', '-p', ROOT], routeLines, {
      CLIENT_ID: clientId,
      CLIENT_SECRET: clientSecret,
      TENANT: tenant.domains[0],
      CLOUD: 'global',
      AUTHORITY_HOST: simulator.origin,
      GRAPH_ENDPOINT: simulator.origin,
      NODE_EXTRA_CA_CERTS: simulator.caCertPath,
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary = JSON.parse(
      await fs.readFile(join(OUTPUT, 'summary.json'), 'utf8'),
    );
    console.log(
      `\nj1-integration collect finished in ${seconds}s (exit ${exitCode}).\n`,
    );
    console.log('Steps:');
    for (const step of summary.integrationStepResults) {
      console.log(`  ${step.status.padEnd(44)} ${step.id}`);
    }
    const partial: string[] = summary.metadata.partialDatasets.types;
    if (partial.length) console.log(`Partial types: ${partial.join(', ')}`);
    console.log(`\nDetected apps: ${detectedAppsRoute(routeLines)}`);

    const counts = await readGraphCounts(join(OUTPUT, 'graph'));
    const report = compareWithGroundTruth(counts, tenant.groundTruth());
    console.log('\nCollected vs the simulator ground truth:');
    for (const line of report.lines) console.log(`  ${line}`);

    const review = await writeReviewPage(defaultReviewRequest(OUTPUT));
    execFileSync(J1, ['visualize'], { cwd: ROOT, stdio: 'ignore' });
    console.log(`\nGraph files:  ${join(OUTPUT, 'graph')}`);
    console.log(`Summary:      ${join(OUTPUT, 'summary.json')}`);
    console.log(`Review page:  ${review.outputPath}`);
    console.log(
      `              (open it in a browser: the type view, a table of every type, search; it needs no network. ${(
        review.bytes /
        2 ** 20
      ).toFixed(1)} MiB, rebuilt with \`npm run review\`)`,
    );
    console.log(
      `Visualized:   ${join(
        OUTPUT,
        'index.html',
      )} (written by \`npx j1-integration visualize\`; it loads vis-network from a CDN, so it needs internet)`,
    );
    const failed = summary.integrationStepResults.filter(
      (s: { status: string }) => s.status !== 'success',
    );
    if (failed.length || !report.matches) {
      console.log('\nThe demo collection differs from the ground truth.');
      process.exitCode = 1;
    } else {
      console.log(
        `\nAll ${report.types} entity and relationship types match the ground truth.`,
      );
    }
  } finally {
    await simulator.close();
  }
}

/**
 * Which route the detected apps took, from the step's end-of-step log line
 * (`j1-integration collect` prints `... done (key=value, ...)`).
 */
function detectedAppsRoute(lines: string[]): string {
  for (const raw of lines) {
    // eslint-disable-next-line no-control-regex
    const line = raw.replace(/\u001b\[[0-9;]*m/g, '');
    const field = (name: string) =>
      new RegExp(`[ (]${name}=("(?:[^"\\\\]|\\\\.)*"|[^,)]*)`).exec(line)?.[1];
    const route = field('detectedAppsRoute');
    if (!route) continue;
    if (route === 'export') {
      return `export route (${field(
        'exportRows',
      )} rows of one ${REPORT} export job, ${field('jobPolls')} polls)`;
    }
    const reason = field('fallbackReason');
    return `request route (${field('strategy')})${
      reason ? `, because the export could not finish: ${reason}` : ''
    }`;
  }
  return 'unknown (the step did not finish)';
}

const REPORT = 'AppInvRawData';

/** Runs the collector; keeps the stdout lines that name the detected-apps route. */
function run(
  command: string,
  args: string[],
  routeLines: string[],
  env: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('detectedAppsRoute')) routeLines.push(line);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
