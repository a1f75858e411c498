/**
 * Control endpoints for a simulator running in another process (cli.ts):
 *
 *   GET    /_simulator/stats           statistics
 *   POST   /_simulator/stats/reset     reset statistics and the request log
 *   GET    /_simulator/requests        the request log
 *   GET    /_simulator/ground-truth    ?tenant=<id or domain>; default: the only tenant
 *   GET    /_simulator/faults          active fault rules
 *   POST   /_simulator/faults          body: a FaultRule -> {"id"}
 *   DELETE /_simulator/faults          remove all rules
 *   DELETE /_simulator/faults/{id}     remove one rule
 *   POST   /_simulator/behaviour       body: a partial SimulatorBehaviour (e.g. a new throttleGrant mid-run)
 *
 * No authentication: the server listens on loopback only, and these answer
 * loopback peers only.
 */
import { SimulatorState } from './state';
import { FaultRule, SimulatorBehaviour } from './types';

export interface AdminAnswer {
  status: number;
  body: unknown;
}

export const ADMIN_PREFIX = '/_simulator/';

export function isLoopback(address: string | undefined): boolean {
  return (
    !!address &&
    (address === '::1' ||
      address.startsWith('127.') ||
      address === '::ffff:127.0.0.1')
  );
}

export function handleAdmin(
  state: SimulatorState,
  method: string,
  path: string,
  rawQuery: string,
  body: Buffer,
  defaultTenantId: () => string | undefined,
): AdminAnswer {
  const route = path.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
  try {
    if (method === 'GET' && route === 'stats')
      return ok(state.stats.snapshot());
    if (method === 'POST' && route === 'stats/reset') {
      state.stats.reset();
      return ok({ reset: true });
    }
    if (method === 'GET' && route === 'requests') return ok(state.stats.log);
    if (method === 'GET' && route === 'ground-truth') {
      const tenantKey =
        new URLSearchParams(rawQuery).get('tenant') ?? defaultTenantId();
      const tenant = tenantKey ? state.findTenant(tenantKey) : undefined;
      if (!tenant)
        return {
          status: 404,
          body: { error: `unknown tenant '${tenantKey ?? ''}'` },
        };
      return ok(tenant.groundTruth());
    }
    if (method === 'POST' && route === 'behaviour') {
      const update = JSON.parse(
        body.toString('utf8'),
      ) as Partial<SimulatorBehaviour>;
      state.setBehaviour(update);
      return ok({ behaviour: state.behaviour });
    }
    if (method === 'GET' && route === 'faults') return ok(state.faults.list());
    if (method === 'POST' && route === 'faults') {
      const rule = JSON.parse(body.toString('utf8')) as FaultRule;
      return { status: 201, body: { id: state.faults.add(rule) } };
    }
    if (method === 'DELETE' && route === 'faults') {
      state.faults.clear();
      return ok({ cleared: true });
    }
    if (method === 'DELETE' && route.startsWith('faults/')) {
      state.faults.remove(decodeURIComponent(route.slice('faults/'.length)));
      return ok({ removed: true });
    }
    return {
      status: 404,
      body: { error: `no admin endpoint ${method} ${path}` },
    };
  } catch (error) {
    return {
      status: 400,
      body: { error: error instanceof Error ? error.message : String(error) },
    };
  }
}

function ok(body: unknown): AdminAnswer {
  return { status: 200, body };
}
