/**
 * The managed questions of issue 17 (jupiterone/questions/questions.yaml):
 * the file passes the SDK's own validator (offline, without sending the
 * queries to JupiterOne), and every `_type`, relationship class and
 * property the three queries name exists in what a collection of the
 * simulated tenant actually writes, so that a renamed property cannot leave
 * a question silently empty.
 */
import { Relationship } from '@jupiterone/integration-sdk-core';
import { validateManagedQuestionFile } from '@jupiterone/integration-sdk-cli/dist/src/questions/managedQuestionFileValidator';
import { readFileSync } from 'fs';
import { join } from 'path';
import { CollectionResult, runCollection } from '../support/collect';
import { startTestTenant, TestTenant } from '../support/tenant';

// js-yaml: the parser the SDK's question validator uses (a dependency of @jupiterone/integration-sdk-cli).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const yaml = require('js-yaml');

jest.setTimeout(120_000);

const FILE = join(__dirname, '../../jupiterone/questions/questions.yaml');
const IDS = [
  'managed-question-microsoft-365-app-credentials-expiring-or-expired',
  'managed-question-microsoft-365-service-principals-high-privilege-application-permissions',
  'managed-question-microsoft-365-third-party-apps-tenant-wide-delegated-consent',
];

interface Question {
  id: string;
  queries: { query: string }[];
}

const questions: Question[] = yaml
  .load(readFileSync(FILE, 'utf8'))
  .questions.filter((q: Question) => IDS.includes(q.id));

/**
 * What a query names: entity aliases with their `_type`s, relationship
 * aliases with their class, and the `alias.property` and `WITH property`
 * references. Enough of J1QL for these queries (FIND ... THAT ... AS ...).
 */
function parse(query: string) {
  const entities = new Map<string, string[]>();
  const relationships = new Map<string, string>();
  const properties: { alias: string; property: string }[] = [];
  const pattern =
    /(\(?[a-z0-9_|]+\)?)(?:\s+WITH\s+(.+?))?\s+AS\s+(\w+)|THAT\s+(\w+)\s+AS\s+(\w+)/g;
  for (const m of query.matchAll(pattern)) {
    if (m[4]) {
      relationships.set(m[5], m[4]);
      continue;
    }
    const types = m[1].replace(/[()]/g, '').split('|');
    entities.set(m[3], types);
    for (const w of (m[2] ?? '').matchAll(/(\w+)\s*(?:<|>|!?=)/g)) {
      properties.push({ alias: m[3], property: w[1] });
    }
  }
  for (const r of query.matchAll(/\b(\w+)\.(\w+)\b/g)) {
    if (r[1] === 'date') continue;
    properties.push({ alias: r[1], property: r[2] });
  }
  return { entities, relationships, properties };
}

let t: TestTenant;
let result: CollectionResult;
beforeAll(async () => {
  t = await startTestTenant('tiny');
  result = await runCollection(t.config);
});
afterAll(() => t.close());

test('the question file passes the SDK validator', async () => {
  await expect(
    validateManagedQuestionFile({ filePath: FILE } as never),
  ).resolves.toBeUndefined();
  expect(questions.map((q) => q.id)).toEqual(IDS);
});

test.each(IDS)(
  '%s names only types, classes and properties the integration writes',
  (id) => {
    const question = questions.find((q) => q.id === id)!;
    for (const { query } of question.queries) {
      const { entities, relationships, properties } = parse(query);
      expect(entities.size).toBeGreaterThanOrEqual(2);
      for (const [alias, types] of entities) {
        for (const type of types) {
          expect([
            alias,
            type,
            result.entities.some((e) => e._type === type),
          ]).toEqual([alias, type, true]);
        }
      }
      for (const [alias, _class] of relationships) {
        expect([
          alias,
          result.relationships.some((r) => r._class === _class),
        ]).toEqual([alias, true]);
      }
      for (const { alias, property } of properties) {
        const types = entities.get(alias);
        const _class = relationships.get(alias);
        const holders: object[] = types
          ? result.entities.filter((e) => types.includes(e._type))
          : result.relationships.filter(
              (r: Relationship) => r._class === _class,
            );
        expect([
          `${alias}.${property}`,
          holders.some((o) => property in o),
        ]).toEqual([`${alias}.${property}`, true]);
      }
    }
  },
);
