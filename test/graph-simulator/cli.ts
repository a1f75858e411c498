/**
 * Runs the Graph simulator as a process, for the demo and the benchmarks:
 *
 *   SIMULATOR_CLIENT_SECRET=... npx ts-node --transpile-only test/graph-simulator/cli.ts \
 *     --profile S|M|L|demo|tiny|noIntune [--port 0] [--latency 40] [--per-item-ms 0.02]
 *     [--throttle [--grant 0.2] [--no-retry-after]] [--seed N] [--client-id X] [--hostname graph.microsoft.us]... [--record-requests]
 *
 * Serves one tenant generated from the profile and one application whose
 * secret is SIMULATOR_CLIENT_SECRET (never printed). Prints one JSON line,
 * {origin, caCertPath, tenantId, domain, clientId}, then serves until SIGTERM
 * or SIGINT. Control endpoints: see admin.ts (/_simulator/...).
 */
import { startGraphSimulator } from './index';
import { generateTenant } from './tenant/generate';
import {
  ALL_ROLES,
  DEFAULT_CLIENT_ID,
  makeProfile,
  PROFILES,
  ProfileName,
} from './tenant/profiles';

interface CliOptions {
  profile: ProfileName;
  port: number;
  latencyMs: number;
  perItemMs: number;
  throttle: boolean;
  /** Share of the limits granted (throttleGrant), with --throttle. */
  grant?: number;
  /** Answer 429 without Retry-After. */
  noRetryAfter: boolean;
  seed?: number;
  clientId?: string;
  hostnames: string[];
  recordRequests: boolean;
}

function parseArguments(argv: string[]): CliOptions {
  const options: CliOptions = {
    profile: 'tiny',
    port: 0,
    latencyMs: 0,
    perItemMs: 0,
    throttle: false,
    noRetryAfter: false,
    hostnames: [],
    recordRequests: false,
  };
  const number = (name: string, value: string | undefined): number => {
    const parsed = Number(value);
    if (value === undefined || !Number.isFinite(parsed))
      throw new Error(`${name} needs a number`);
    return parsed;
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = () => argv[++index];
    switch (argument) {
      case '--profile': {
        const name = value();
        if (!(name in PROFILES)) {
          throw new Error(
            `unknown profile '${name}' (one of ${Object.keys(PROFILES).join(
              ', ',
            )})`,
          );
        }
        options.profile = name as ProfileName;
        break;
      }
      case '--port':
        options.port = number(argument, value());
        break;
      case '--latency':
        options.latencyMs = number(argument, value());
        break;
      case '--per-item-ms':
        options.perItemMs = number(argument, value());
        break;
      case '--throttle':
        options.throttle = true;
        break;
      case '--grant':
        options.grant = number(argument, value());
        break;
      case '--no-retry-after':
        options.noRetryAfter = true;
        break;
      case '--seed':
        options.seed = number(argument, value());
        break;
      case '--client-id':
        options.clientId = value();
        break;
      case '--hostname':
        options.hostnames.push(value());
        break;
      case '--record-requests':
        options.recordRequests = true;
        break;
      default:
        throw new Error(`unknown argument '${argument}'`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const secret = process.env.SIMULATOR_CLIENT_SECRET;
  if (!secret)
    throw new Error(
      'set SIMULATOR_CLIENT_SECRET to the client secret the simulated app accepts',
    );

  const base = PROFILES[options.profile];
  const clientId =
    options.clientId ??
    base.servicePrincipals[0]?.clientId ??
    DEFAULT_CLIENT_ID;
  const roles = base.servicePrincipals[0]?.roles ?? ALL_ROLES;
  const profile = makeProfile(
    {
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      servicePrincipals: [{ clientId, roles }],
    },
    base,
  );
  const tenant = generateTenant(profile);
  const simulator = await startGraphSimulator({
    port: options.port,
    hostnames: options.hostnames,
    tenants: [tenant],
    applications: [
      {
        clientId,
        displayName: 'JupiterOne Microsoft 365 (simulated)',
        secrets: [{ value: secret }],
      },
    ],
    behaviour: {
      latency: { baseMs: options.latencyMs, perItemMs: options.perItemMs },
      throttling: options.throttle,
      throttleGrant: options.grant,
      throttleRetryAfter: !options.noRetryAfter,
    },
    recordRequests: options.recordRequests,
    adminEndpoints: true,
  });

  console.log(
    JSON.stringify({
      origin: simulator.origin,
      caCertPath: simulator.caCertPath,
      tenantId: tenant.tenantId,
      domain: tenant.domains[0],
      clientId,
    }),
  );

  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void simulator.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(
    `graph-simulator: ${
      error instanceof Error ? error.message : String(error)
    }`,
  );
  process.exit(1);
});
