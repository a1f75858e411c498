/**
 * Fidelity: every Graph call captured in test/fixtures/graph-recordings/*.har
 * is replayed against the simulator serving a generated `tiny` tenant, and
 * the shapes are compared with the real answer: status, content type, the
 * headers of graph-api.md §2.1, envelope keys, `@odata.context` pattern, and
 * the property names and JSON types of the first item (or of the entity).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GraphSimulator, startGraphSimulator } from './index';
import { requestToken } from './test-helpers';
import { generateTenant } from './tenant/generate';
import { GraphObject, TenantData } from './tenant/model';
import { ALL_ROLES, makeProfile, PROFILES } from './tenant/profiles';

const RECORDINGS = path.resolve(
  __dirname,
  '..',
  'fixtures',
  'graph-recordings',
);
const CLIENT_ID = '0d3f6a2b-7c1e-4f5a-9b8c-2e4d6f8a0b1c';
const OUTSIDER_ID = '0d3f6a2b-7c1e-4f5a-9b8c-000000000401';

/** Headers graph-api.md §2.1 lists on Graph answers (date and connection are transport). */
const SUCCESS_HEADERS = [
  'content-type',
  'request-id',
  'client-request-id',
  'x-ms-ags-diagnostic',
  'odata-version',
  'vary',
  'strict-transport-security',
];
const ERROR_HEADERS = [
  'content-type',
  'request-id',
  'client-request-id',
  'x-ms-ags-diagnostic',
];

/**
 * Properties the simulator (generator) may add beyond a recording, by reason:
 * newer schema revisions than the 2021 captures, or generator extras.
 */
const ALLOWED_EXTRA_PROPERTIES: Record<string, string[]> = {
  // Newer detectedApp schema (graph-api.md §2.3): publisher and platform.
  detectedApps: ['publisher', 'platform'],
  // Newer beta managedDevice schema than the 2021 captures (bootstrapTokenEscrowed: §2.3 list placeholders).
  manageddevices: [
    'bootstrapTokenEscrowed',
    'deviceFirmwareConfigurationInterfaceManaged',
    'enrollmentProfileName',
  ],
  // The 2021 organization capture has @odata.id, the 2020 ones do not (graph-api.md §2.1).
  organization: ['@odata.id'],
  // issue 16: the 2023 capture adds controlType and securityDefaultsUpsell, the 2024 ones controlTypes.
  identitySecurityDefaultsEnforcementPolicy: [
    'controlType',
    'controlTypes',
    'securityDefaultsUpsell',
  ],
};

/**
 * The Entra captures (graph-recordings/entra, from graph-azure) that hold
 * the endpoints of the applications (issue 17), roles and sign-in security
 * (issue 16) modules. Their
 * other calls (organization, users of another era) are compared through the
 * recordings above.
 */
const ENTRA_RECORDINGS = path.join(RECORDINGS, 'entra');
const ENTRA_PATHS =
  /^\/v1\.0\/(servicePrincipals(\/[^/?]+\/appRoleAssignedTo)?|roleManagement\/directory\/(roleDefinitions|roleAssignments)|identity\/conditionalAccess\/(policies|namedLocations)|policies\/identitySecurityDefaultsEnforcementPolicy)(\?|$)/;

/** Recorded calls the simulator deliberately does not serve. */
const NOT_SERVED = [
  // Legacy per-app install statuses, deprecated in May 2023 (graph-api.md §2.3); replaced by the report action.
  /\/deviceAppManagement\/mobileApps\/[^/]+\/deviceStatuses/,
];

interface HarEntry {
  request: { method: string; url: string };
  response: {
    status: number;
    headers: { name: string; value: string }[];
    content: { text?: string };
  };
}

interface RecordedCall {
  file: string;
  method: string;
  /** Path and query after https://graph.microsoft.com. */
  path: string;
  status: number;
  headers: Map<string, string>;
  body: any;
}

function loadRecordedCalls(): {
  graph: RecordedCall[];
  tokens: RecordedCall[];
} {
  const graph: RecordedCall[] = [];
  const tokens: RecordedCall[] = [];
  const files = [
    ...fs
      .readdirSync(RECORDINGS)
      .filter((name) => name.endsWith('.har'))
      .sort()
      .map((name) => ({ name, dir: RECORDINGS, entra: false })),
    ...fs
      .readdirSync(ENTRA_RECORDINGS)
      .filter((name) => name.endsWith('.har'))
      .sort()
      .map((name) => ({
        name: `entra/${name}`,
        dir: ENTRA_RECORDINGS,
        entra: true,
      })),
  ];
  for (const { name: file, dir, entra } of files) {
    const har = JSON.parse(
      fs.readFileSync(path.join(dir, path.basename(file)), 'utf8'),
    );
    for (const entry of har.log.entries as HarEntry[]) {
      const url = new URL(entry.request.url);
      const call: RecordedCall = {
        file,
        method: entry.request.method,
        path: `${url.pathname}${url.search}`,
        status: entry.response.status,
        headers: new Map(
          entry.response.headers.map((header) => [
            header.name.toLowerCase(),
            header.value,
          ]),
        ),
        body: entry.response.content.text
          ? JSON.parse(entry.response.content.text)
          : undefined,
      };
      if (url.hostname === 'login.microsoftonline.com') {
        if (!entra) tokens.push(call);
      } else if (entra) {
        if (ENTRA_PATHS.test(call.path)) graph.push(call);
      } else if (!NOT_SERVED.some((pattern) => pattern.test(call.path)))
        graph.push(call);
    }
  }
  return { graph, tokens };
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** `@odata.context` with the host and ids abstracted away. */
function contextPattern(context: string): string {
  return context
    .replace(/^https:\/\/[^/]+/, 'https://{host}')
    .replace(GUID, '{id}');
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The JSON types agree, a null on either side matching anything. */
function typesCompatible(recorded: unknown, simulated: unknown): boolean {
  if (recorded === null || simulated === null) return true;
  return jsonType(recorded) === jsonType(simulated);
}

describe('fidelity against the recorded Graph traffic', () => {
  const { graph, tokens } = loadRecordedCalls();
  let sim: GraphSimulator;
  let tenant: TenantData;
  let token: string;
  const secret = randomBytes(16).toString('hex');

  beforeAll(async () => {
    tenant = generateTenant(
      makeProfile(
        { servicePrincipals: [{ clientId: CLIENT_ID, roles: ALL_ROLES }] },
        PROFILES.tiny,
      ),
    );
    sim = await startGraphSimulator({
      tenants: [tenant],
      applications: [
        {
          clientId: CLIENT_ID,
          displayName: 'fidelity',
          secrets: [{ value: secret }],
        },
        {
          clientId: OUTSIDER_ID,
          displayName: 'no service principal',
          secrets: [{ value: secret }],
        },
      ],
    });
    token = await fetchToken(CLIENT_ID);
  });
  afterAll(() => sim.close());

  async function tokenResponse(clientId: string): Promise<Response> {
    return requestToken(sim.origin, tenant.tenantId, clientId, secret);
  }

  async function fetchToken(clientId: string): Promise<string> {
    return (await (await tokenResponse(clientId)).json()).access_token;
  }

  /** The recorded path with the recorded tenant's ids replaced by the simulated tenant's. */
  function simulatedPath(call: RecordedCall): string {
    const segments = call.path.split('?')[0].split('/');
    const query = call.path.includes('?') ? `?${call.path.split('?')[1]}` : '';
    const lower = segments.map((segment) => segment.toLowerCase());
    const replaceAfter = (name: string, id: string) => {
      const index = lower.indexOf(name.toLowerCase());
      if (index >= 0 && segments[index + 1]) segments[index + 1] = id;
    };
    replaceAfter('organization', tenant.tenantId);
    replaceAfter('groups', groupWithUserMember());
    replaceAfter('managedDevices', tenant.managedDevices.get(0).id as string);
    replaceAfter('deviceCompliancePolicies', policyWithStatuses('compliance'));
    replaceAfter('deviceConfigurations', policyWithStatuses('configuration'));
    replaceAfter('servicePrincipals', resourceWithAssignments());
    return `${segments.join('/')}${query}`;
  }

  function groupWithUserMember(): string {
    for (let index = 0; index < tenant.groups.count; index++) {
      const id = tenant.groups.get(index).id as string;
      const first = tenant.groupMemberIds(id)?.[0];
      if (first && tenant.directoryObjectType(first) === 'user') return id;
    }
    throw new Error('no group with a user member');
  }

  /** A service principal whose appRoleAssignedTo is not empty (Microsoft Graph's). */
  function resourceWithAssignments(): string {
    for (let index = 0; index < tenant.servicePrincipalList.count; index++) {
      const id = tenant.servicePrincipalList.get(index).id as string;
      if (tenant.appRoleAssignedTo(id)?.length) return id;
    }
    throw new Error('no service principal with app role assignments');
  }

  function policyWithStatuses(source: 'compliance' | 'configuration'): string {
    const collection =
      source === 'compliance'
        ? tenant.compliancePolicies
        : tenant.deviceConfigurations;
    for (let index = 0; index < collection.count; index++) {
      const id = collection.get(index).id as string;
      if ((tenant.deviceStatuses(source, id) ?? []).length > 0) return id;
    }
    throw new Error(`no ${source} policy with statuses`);
  }

  /** The recorded first item, and the simulated item to compare it with (same @odata.type when polymorphic). */
  function itemsToCompare(
    recorded: any,
    simulated: any,
  ): [GraphObject, GraphObject] | undefined {
    if (!Array.isArray(recorded.value)) return [recorded, simulated];
    if (recorded.value.length === 0) return undefined;
    const first = recorded.value[0];
    const type = first['@odata.type'];
    const match = type
      ? simulated.value.find(
          (item: GraphObject) => item['@odata.type'] === type,
        )
      : undefined;
    return [first, match ?? simulated.value[0]];
  }

  test('the recordings hold the expected calls', () => {
    expect(graph.length).toBeGreaterThanOrEqual(20);
    expect(tokens.length).toBeGreaterThanOrEqual(10);
  });

  test.each(
    loadRecordedCalls()
      .graph.filter((call) => call.status === 200)
      .map(
        (call) =>
          [
            `${call.file}: ${call.method} ${call.path.split('?')[0]}`,
            call,
          ] as const,
      ),
  )('%s', async (_name, call) => {
    const response = await fetch(`${sim.origin}${simulatedPath(call)}`, {
      method: call.method,
      headers: {
        authorization: `Bearer ${token}`,
        'client-request-id': 'fidelity-1',
      },
    });
    expect(response.status).toBe(call.status);
    expect(response.headers.get('content-type')).toBe(
      call.headers.get('content-type'),
    );
    for (const header of SUCCESS_HEADERS) {
      if (call.headers.has(header))
        expect([header, response.headers.has(header)]).toEqual([header, true]);
    }
    expect([
      'x-ms-resource-unit',
      response.headers.has('x-ms-resource-unit'),
    ]).toEqual(['x-ms-resource-unit', call.headers.has('x-ms-resource-unit')]);
    expect(response.headers.get('client-request-id')).toBe('fidelity-1');

    const body = await response.json();
    const envelope = (value: object) =>
      Object.keys(value)
        .filter((key) => key.startsWith('@odata.') && key !== '@odata.nextLink')
        .sort();
    expect(envelope(body)).toEqual(envelope(call.body));
    expect('value' in body).toBe('value' in call.body);
    expect(contextPattern(body['@odata.context'])).toBe(
      contextPattern(call.body['@odata.context']),
    );
    expect(body['@odata.context'].startsWith(`${sim.origin}/`)).toBe(true);

    const pair = itemsToCompare(call.body, body);
    if (!pair) return;
    const [recordedItem, simulatedItem] = pair;
    expect(simulatedItem).toBeDefined();
    const allowedExtras = Object.entries(ALLOWED_EXTRA_PROPERTIES)
      .filter(([segment]) =>
        call.path.toLowerCase().includes(segment.toLowerCase()),
      )
      .flatMap(([, properties]) => properties);
    // Allowed extras are optional on both sides (they depend on the capture's date).
    const recordedKeys = Object.keys(recordedItem).filter(
      (key) => key !== 'detectedApps' && !allowedExtras.includes(key),
    );
    const simulatedKeys = Object.keys(simulatedItem).filter(
      (key) => key !== 'detectedApps' && !allowedExtras.includes(key),
    );
    expect(simulatedKeys.sort()).toEqual(recordedKeys.sort());
    const mismatched = recordedKeys.filter(
      (key) => !typesCompatible(recordedItem[key], simulatedItem[key]),
    );
    expect(
      mismatched.map(
        (key) =>
          `${key}: ${jsonType(recordedItem[key])} vs ${jsonType(
            simulatedItem[key],
          )}`,
      ),
    ).toEqual([]);

    if (
      Array.isArray(recordedItem.detectedApps) &&
      recordedItem.detectedApps.length > 0
    ) {
      const recordedApp = recordedItem.detectedApps[0];
      const simulatedApp = (simulatedItem.detectedApps as GraphObject[])[0];
      const extras = ALLOWED_EXTRA_PROPERTIES.detectedApps;
      expect(
        Object.keys(simulatedApp)
          .filter((key) => !extras.includes(key))
          .sort(),
      ).toEqual(Object.keys(recordedApp).sort());
    }
  });

  test('401 Authorization_IdentityNotFound for an app without a service principal', async () => {
    const recorded = graph.find((call) => call.status === 401)!;
    expect(recorded).toBeDefined();
    const outsiderToken = await fetchToken(OUTSIDER_ID);
    const response = await fetch(`${sim.origin}${recorded.path}`, {
      headers: { authorization: `Bearer ${outsiderToken}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe(
      recorded.headers.get('content-type'),
    );
    for (const header of ERROR_HEADERS)
      expect([header, response.headers.has(header)]).toEqual([header, true]);
    const body = await response.json();
    expect(body.error.code).toBe(recorded.body.error.code);
    expect(body.error.message).toBe(recorded.body.error.message);
    expect(Object.keys(body.error).sort()).toEqual(
      Object.keys(recorded.body.error).sort(),
    );
    expect(Object.keys(body.error.innerError).sort()).toEqual(
      Object.keys(recorded.body.error.innerError).sort(),
    );
    expect(body.error.innerError.date).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/,
    );
  });

  test('token success: body keys, values and headers as recorded', async () => {
    const response = await tokenResponse(CLIENT_ID);
    const body = await response.json();
    for (const recorded of tokens) {
      expect(Object.keys(body)).toEqual(Object.keys(recorded.body));
      expect(body.token_type).toBe(recorded.body.token_type);
      expect(body.expires_in).toBe(recorded.body.expires_in);
      expect(body.ext_expires_in).toBe(recorded.body.ext_expires_in);
      for (const header of recorded.headers.keys()) {
        if (['date', 'content-length', 'connection'].includes(header)) continue;
        expect([header, response.headers.has(header)]).toEqual([header, true]);
      }
      expect(response.headers.get('content-type')).toBe(
        recorded.headers.get('content-type'),
      );
      expect(response.headers.get('cache-control')).toBe(
        recorded.headers.get('cache-control'),
      );
    }
  });
});

describe('fidelity of the captured licence refusal (issue 16)', () => {
  test('userRegistrationDetails in a tenant without Entra ID P1/P2: the captured 403, code, message and shape', async () => {
    const har = JSON.parse(
      fs.readFileSync(
        path.join(ENTRA_RECORDINGS, 'ad-role-assignments.har'),
        'utf8',
      ),
    );
    const recorded = (har.log.entries as HarEntry[]).find((e) =>
      e.request.url.includes('userRegistrationDetails'),
    )!;
    const recordedBody = JSON.parse(recorded.response.content.text!);
    const secret = randomBytes(16).toString('hex');
    const tenant = generateTenant(
      makeProfile(
        {
          premium: false,
          servicePrincipals: [{ clientId: CLIENT_ID, roles: ALL_ROLES }],
        },
        PROFILES.tiny,
      ),
    );
    const sim = await startGraphSimulator({
      tenants: [tenant],
      applications: [
        {
          clientId: CLIENT_ID,
          displayName: 'fidelity',
          secrets: [{ value: secret }],
        },
      ],
      behaviour: { licenceErrorWording: 'old' },
    });
    try {
      const token = await requestToken(
        sim.origin,
        tenant.tenantId,
        CLIENT_ID,
        secret,
      ).then(async (r) => (await r.json()).access_token);
      const response = await fetch(
        `${sim.origin}/v1.0/reports/authenticationMethods/userRegistrationDetails`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(response.status).toBe(recorded.response.status);
      for (const header of ERROR_HEADERS)
        expect([header, response.headers.has(header)]).toEqual([header, true]);
      const body = await response.json();
      expect(body.error.code).toBe(recordedBody.error.code);
      expect(body.error.message).toBe(recordedBody.error.message);
      expect(Object.keys(body.error.innerError).sort()).toEqual(
        Object.keys(recordedBody.error.innerError).sort(),
      );
    } finally {
      await sim.close();
    }
  });
});
