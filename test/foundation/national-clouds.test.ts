/**
 * Every cloud's routing, with the plain production config (`cloud` only, no
 * authorityHost or graphEndpoint): which login host, token path and scope
 * the real credential asks for, and which Graph host every Graph request
 * (v1.0, beta, $batch, nextLinks) goes to. The real cloud host names are
 * routed to the simulator inside this process (test/support/route-hosts.ts);
 * any connection to a host outside the cloud under test is refused and
 * fails the test. A full collection in each national cloud must give the
 * same graph as the global one.
 */
import { createMockExecutionContext } from '@jupiterone/integration-sdk-testing';
import { IntegrationConfig, validateInvocation } from '../../src/config';
import * as jwt from '../graph-simulator/jwt';
import { RequestRecord } from '../graph-simulator';
import { makeCertificate, TestCertificate } from '../support/certificates';
import { CollectionResult, runCollection } from '../support/collect';
import { HostRouter, routeHostsTo } from '../support/route-hosts';
import { startTestTenant, TestTenant } from '../support/tenant';

type Cloud = 'global' | 'usgov' | 'usgovdod' | 'china';

/** graph-api.md §8, with MSAL's swap of China's login host to its preferred network host. */
const EXPECTED: Record<Cloud, { login: string; graph: string; scope: string }> =
  {
    global: {
      login: 'login.microsoftonline.com',
      graph: 'graph.microsoft.com',
      scope: 'https://graph.microsoft.com/.default',
    },
    usgov: {
      login: 'login.microsoftonline.us',
      graph: 'graph.microsoft.us',
      scope: 'https://graph.microsoft.us/.default',
    },
    usgovdod: {
      login: 'login.microsoftonline.us',
      graph: 'dod-graph.microsoft.us',
      scope: 'https://dod-graph.microsoft.us/.default',
    },
    china: {
      login: 'login.partner.microsoftonline.cn',
      graph: 'microsoftgraph.chinacloudapi.cn',
      scope: 'https://microsoftgraph.chinacloudapi.cn/.default',
    },
  };
const CLOUDS = Object.keys(EXPECTED) as Cloud[];
const ALL_HOSTS = [
  ...new Set(CLOUDS.flatMap((c) => [EXPECTED[c].login, EXPECTED[c].graph])),
  // China's configured login host, which MSAL must never contact itself.
  'login.chinacloudapi.cn',
];

function plainConfig(t: TestTenant, cloud: Cloud): IntegrationConfig {
  return {
    clientId: t.config.clientId,
    clientSecret: t.config.clientSecret,
    tenant: t.config.tenant,
    cloud,
  };
}

function graphKeys(result: CollectionResult) {
  return {
    entities: result.entities.map((e) => `${e._type} ${e._key}`).sort(),
    relationships: result.relationships
      .map((r) => `${r._type} ${r._key}`)
      .sort(),
    steps: result.summary.integrationStepResults
      .map((s) => `${s.id} ${s.status}`)
      .sort(),
  };
}

describe('national clouds: every request stays in the configured cloud', () => {
  let t: TestTenant;
  let router: HostRouter;
  let baseline: ReturnType<typeof graphKeys>;
  const runs = new Map<
    Cloud,
    {
      result: CollectionResult;
      requests: RequestRecord[];
      connections: string[];
    }
  >();

  async function collectIn(cloud: Cloud) {
    const { login, graph } = EXPECTED[cloud];
    router.route([login, graph], [new URL(t.simulator.blobOrigin).host]);
    t.simulator.resetStats();
    const result = await runCollection(plainConfig(t, cloud));
    const run = {
      result,
      requests: [...t.simulator.requests],
      connections: [...router.connections],
    };
    runs.set(cloud, run);
    return run;
  }

  beforeAll(async () => {
    // Intune pages of 5 items, so that the tiny tenant has nextLinks to follow.
    t = await startTestTenant('tiny', {
      hostnames: ALL_HOSTS,
      behaviour: { intunePageSize: 5 },
    });
    router = routeHostsTo(t.simulator.port);
    const global = await collectIn('global');
    expect(global.result.error).toBeUndefined();
    baseline = graphKeys(global.result);
  });
  afterAll(async () => {
    router?.restore();
    await t?.close();
  });

  test('the global run is a complete collection', () => {
    expect(baseline.entities.length).toBeGreaterThan(100);
    expect(baseline.relationships.length).toBeGreaterThan(100);
    expect(baseline.steps.every((s) => s.endsWith(' success'))).toBe(true);
  });

  describe.each(CLOUDS)('%s', (cloud) => {
    const { login, graph, scope } = EXPECTED[cloud];
    let run: {
      result: CollectionResult;
      requests: RequestRecord[];
      connections: string[];
    };

    beforeAll(async () => {
      run = runs.get(cloud) ?? (await collectIn(cloud));
    });

    test(`connects only to ${login} and ${graph}, and to the export file's host as the job gave it`, () => {
      // The detected apps' export file is on a blob host named by the job's
      // url, taken as given in every cloud (the simulator's blob origin).
      const blob = new URL(t.simulator.blobOrigin).host;
      expect(run.result.error).toBeUndefined();
      expect([...new Set(run.connections)].sort()).toEqual(
        [`${graph}:443`, `${login}:443`, blob].sort(),
      );
      expect(router.refused).toEqual([]);
      expect([...new Set(run.requests.map((r) => r.host))].sort()).toEqual(
        [graph, login, blob].sort(),
      );
      const downloads = run.requests.filter((r) => r.host === blob);
      expect(downloads.map((r) => [r.status, r.hadAuthorization])).toEqual([
        [200, false],
      ]);
    });

    test(`gets its token from https://${login}/{tenant}/oauth2/v2.0/token for ${scope}, without discovery`, () => {
      const identity = run.requests.filter((r) => r.service === 'identity');
      expect(identity).toHaveLength(1);
      expect(identity[0]).toMatchObject({
        method: 'POST',
        host: login,
        endpoint: 'POST /{tenant}/oauth2/v2.0/token',
        status: 200,
        scope,
        clientId: t.config.clientId,
      });
      expect(identity[0].path).toMatch(
        new RegExp(
          `^/${t.tenant.tenantId}/oauth2/v2\\.0/token\\?client-request-id=[0-9a-f-]{36}$`,
        ),
      );
    });

    test(`sends every Graph request (v1.0, beta, $batch, nextLinks) to ${graph}`, () => {
      const graphRequests = run.requests.filter(
        (r) => r.service !== 'identity' && r.service !== 'other',
      );
      expect(graphRequests.every((r) => r.host === graph)).toBe(true);
      expect(
        graphRequests.every((r) => r.hadAuthorization || r.batchItem),
      ).toBe(true);
      const top = graphRequests.filter((r) => !r.batchItem);
      expect(top.some((r) => r.path.startsWith('/v1.0/'))).toBe(true);
      expect(top.some((r) => r.path.startsWith('/beta/'))).toBe(true);
      expect(top.some((r) => /^\/(v1\.0|beta)\/\$batch$/.test(r.path))).toBe(
        true,
      );
      expect(top.some((r) => /[?&]\$?skiptoken=/i.test(r.path))).toBe(true);
      // Every answer is a success but export job creation (201 Created) and
      // the simulated tenant's one resource deleted after /servicePrincipals
      // listed it (404, skipped).
      expect(
        graphRequests
          .filter(
            (r) =>
              r.status !== 200 &&
              !(r.status === 201 && r.endpoint.endsWith('/reports/exportJobs')),
          )
          .map((r) => `${r.status} ${r.endpoint}`),
      ).toEqual(['404 GET /servicePrincipals/{id}/appRoleAssignedTo']);
    });

    test('collects the same graph as the global cloud', () => {
      expect(graphKeys(run.result)).toEqual(baseline);
    });
  });

  describe('certificate credential in every cloud', () => {
    let cert: TestCertificate;
    const assertions: string[] = [];
    const verifyAssertion = jwt.checkClientAssertion;
    beforeAll(() => {
      cert = makeCertificate();
      t.simulator.addApplication({
        clientId: t.config.clientId,
        displayName: 'JupiterOne Microsoft 365 (test)',
        secrets: [{ value: t.config.clientSecret }],
        certificates: [cert.certPem],
      });
    });
    beforeEach(() => {
      jest
        .spyOn(jwt, 'checkClientAssertion')
        .mockImplementation((assertion, expectation) => {
          assertions.push(assertion);
          return verifyAssertion(assertion, expectation);
        });
    });

    test.each(CLOUDS)(
      '%s: the assertion is made for the token endpoint of the cloud',
      async (cloud) => {
        const { login, graph, scope } = EXPECTED[cloud];
        router.route([login, graph]);
        t.simulator.resetStats();
        assertions.length = 0;
        const context = createMockExecutionContext<IntegrationConfig>({
          instanceConfig: {
            ...plainConfig(t, cloud),
            clientSecret: '',
            clientCertificate: cert.pem,
          },
        });
        await expect(
          validateInvocation(context as any),
        ).resolves.toBeUndefined();
        expect(assertions).toHaveLength(1);
        const claims = JSON.parse(
          Buffer.from(assertions[0].split('.')[1], 'base64url').toString(
            'utf8',
          ),
        );
        expect(claims.aud).toBe(
          `https://${login}/${t.tenant.tenantId}/oauth2/v2.0/token`,
        );
        expect(
          t.simulator.requests.map(
            (r) => `${r.method} ${r.host} ${r.endpoint} ${r.status}`,
          ),
        ).toEqual([
          `POST ${login} POST /{tenant}/oauth2/v2.0/token 200`,
          `GET ${graph} GET /organization 200`,
        ]);
        expect(t.simulator.requests[0].scope).toBe(scope);
        expect(router.refused).toEqual([]);
      },
    );
  });

  test('the guard: a connection outside the routed cloud is refused and recorded', async () => {
    // graph.microsoft.com served the global run; its pooled connections are closed by route().
    router.route([EXPECTED.usgov.login, EXPECTED.usgov.graph]);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(
      fetch('https://graph.microsoft.com/v1.0/organization'),
    ).rejects.toThrow('fetch failed');
    expect(router.refused).toEqual(['graph.microsoft.com:443']);
    expect(router.connections).toEqual(['graph.microsoft.com:443']);
  });
});
