/**
 * The managed questions (jupiterone/questions/questions.yaml, contract 16-17
 * §7) against the data model: the file passes the SDK's own validator, and
 * every `_type`, `_class` and relationship class its J1QL names is one the
 * integration declares, between types it declares it between. Every
 * property a query filters or returns on is one a collection of the tiny
 * tenant writes on objects of those types, so no question is quietly empty.
 */
import {
  Entity,
  Relationship,
  RelationshipClass,
} from '@jupiterone/integration-sdk-core';
import { validateManagedQuestionFile } from '@jupiterone/integration-sdk-cli/dist/src/questions/managedQuestionFileValidator';
import { readFileSync } from 'fs';
import { load } from 'js-yaml';
import { join } from 'path';
import { integrationSteps } from '../../src/steps';
import {
  allOf,
  Entities,
  MappedRelationships,
  Relationships,
} from '../../src/steps/constants';
import { runCollection } from '../support/collect';
import { startTestTenant } from '../support/tenant';

jest.setTimeout(120_000);

const FILE = join(__dirname, '../../jupiterone/questions/questions.yaml');

interface QuestionFile {
  sourceId: string;
  integrationDefinitionId: string;
  questions: {
    id: string;
    title: string;
    queries: { name: string; query: string }[];
  }[];
}

const file = load(readFileSync(FILE, 'utf8')) as QuestionFile;

// ---- the data model -------------------------------------------------------------------

const ENTITY_ROWS = [...integrationSteps.flatMap((s) => s.entities)];
const RELATIONSHIP_ROWS = [
  ...Object.values(Relationships).flatMap((r) => allOf(r)),
  ...Object.values(MappedRelationships).flatMap((r) => allOf(r)),
] as {
  _type: string;
  _class: string;
  sourceType: string;
  targetType: string;
}[];
const TYPES = new Set(ENTITY_ROWS.map((e) => e._type));
const CLASSES = new Set(
  ENTITY_ROWS.flatMap((e) => ([] as string[]).concat(e._class)),
);

/** The entity `_type`s a query word stands for (a `_type`, or every type of a class). */
function typesOf(word: string): string[] {
  if (TYPES.has(word)) return [word];
  return ENTITY_ROWS.filter((e) =>
    ([] as string[]).concat(e._class).includes(word),
  ).map((e) => e._type);
}

// ---- a small J1QL reader: FIND / THAT [!]VERB [AS r] [<|>] / WITH / AS / WHERE / RETURN ----

interface Node {
  words: string[];
  withProperties: string[];
  alias?: string;
}
interface Edge {
  verb: string;
  alias?: string;
}
interface Parsed {
  nodes: Node[];
  edges: Edge[];
  /** alias.property references (WHERE, RETURN). */
  references: [string, string][];
}

const KEYWORDS = new Set([
  'FIND',
  'THAT',
  'WITH',
  'AS',
  'WHERE',
  'RETURN',
  'AND',
  'OR',
  'DISTINCT',
  'UNIQUE',
]);

function tokens(query: string): string[] {
  return query.match(/'[^']*'|[()|,<>]|!?=|[\w.$!]+/g) ?? [];
}

function parse(query: string): Parsed {
  const t = tokens(query);
  let i = 0;
  const upper = (k: number) => (t[k] ?? '').toUpperCase();
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const references: [string, string][] = [];
  const readTarget = (): string[] => {
    if (t[i] === '(') {
      const words: string[] = [];
      for (i++; t[i] !== ')'; i++) if (t[i] !== '|') words.push(t[i]);
      i++;
      return words;
    }
    return [t[i++]];
  };
  const readNode = (): Node => {
    const node: Node = { words: readTarget(), withProperties: [] };
    if (upper(i) === 'WITH') {
      for (
        i++;
        i < t.length && !['AS', 'THAT', 'WHERE', 'RETURN'].includes(upper(i));
        i++
      ) {
        if (/^(!?=|[<>]=?|~=)$/.test(t[i + 1] ?? '') && /^\w+$/.test(t[i]))
          node.withProperties.push(t[i]);
      }
    }
    if (upper(i) === 'AS') {
      node.alias = t[i + 1];
      i += 2;
    }
    return node;
  };
  expect(upper(i)).toBe('FIND');
  i++;
  if (['DISTINCT', 'UNIQUE'].includes(upper(i))) i++;
  nodes.push(readNode());
  while (upper(i) === 'THAT') {
    const edge: Edge = { verb: t[i + 1].replace(/^!/, '').toUpperCase() };
    i += 2;
    if (upper(i) === 'AS') {
      edge.alias = t[i + 1];
      i += 2;
    }
    if (t[i] === '<' || t[i] === '>') i++;
    edges.push(edge);
    nodes.push(readNode());
  }
  for (; i < t.length; i++) {
    const match = /^(\w+)\.(\w+)$/.exec(t[i]);
    if (match && !KEYWORDS.has(match[1].toUpperCase()))
      references.push([match[1], match[2]]);
  }
  return { nodes, edges, references };
}

const QUERIES = file.questions.flatMap((q) =>
  q.queries.map((query) => [`${q.id}: ${query.name}`, query.query] as const),
);

/** The relationship rows an edge can mean between two nodes (either direction). */
function rowsBetween(left: Node, verb: string, right: Node) {
  const l = new Set(left.words.flatMap(typesOf));
  const r = new Set(right.words.flatMap(typesOf));
  return RELATIONSHIP_ROWS.filter(
    (row) =>
      row._class === verb &&
      ((l.has(row.sourceType) && r.has(row.targetType)) ||
        (r.has(row.sourceType) && l.has(row.targetType))),
  );
}

describe('managed questions', () => {
  test('the file passes the SDK validator and follows the shared layout', async () => {
    await expect(
      validateManagedQuestionFile({ filePath: FILE }),
    ).resolves.toBeUndefined();
    expect(file.sourceId).toBe('managed:microsoft-365');
    expect(file.integrationDefinitionId).toBe('${integration_definition_id}');
    for (const q of file.questions)
      expect(q.id).toMatch(/^managed-question-microsoft-365-/);
  });

  test('the questions the issues ask for are there', () => {
    expect(file.questions.map((q) => q.id)).toEqual(
      expect.arrayContaining([
        'managed-question-microsoft-365-noncompliant-devices-by-kind',
        'managed-question-microsoft-365-devices-without-compliance-policy',
        'managed-question-microsoft-365-failed-app-installs',
        'managed-question-microsoft-365-users-without-device',
        'managed-question-microsoft-365-admins-without-mfa',
        'managed-question-microsoft-365-global-administrators',
        'managed-question-microsoft-365-users-excluded-from-every-enabled-ca-policy',
        'managed-question-microsoft-365-eligible-versus-active-privileged-assignments',
      ]),
    );
  });

  test.each(QUERIES)(
    '%s names only declared types, classes and relationships',
    (_, query) => {
      const { nodes, edges } = parse(query);
      for (const node of nodes) {
        for (const word of node.words) {
          expect([word, TYPES.has(word) || CLASSES.has(word)]).toEqual([
            word,
            true,
          ]);
        }
      }
      edges.forEach((edge, k) => {
        expect(Object.values(RelationshipClass)).toContain(edge.verb);
        expect([
          `${nodes[k].words.join('|')} ${edge.verb} ${nodes[k + 1].words.join(
            '|',
          )}`,
          rowsBetween(nodes[k], edge.verb, nodes[k + 1]).length > 0,
        ]).toEqual([expect.any(String), true]);
      });
    },
  );

  describe('properties the queries use exist on what a collection writes', () => {
    let entities: Entity[] = [];
    let relationships: Relationship[] = [];
    beforeAll(async () => {
      const t = await startTestTenant('tiny');
      try {
        const result = await runCollection(t.config);
        entities = result.entities;
        relationships = result.relationships;
      } finally {
        await t.close();
      }
    });

    test.each(QUERIES)('%s', (_, query) => {
      const { nodes, edges, references } = parse(query);
      const problems: string[] = [];
      const entityHas = (node: Node, property: string) => {
        const types = new Set(node.words.flatMap(typesOf));
        return entities.some(
          (e) => types.has(e._type) && e[property] !== undefined,
        );
      };
      for (const node of nodes)
        for (const property of node.withProperties)
          if (!entityHas(node, property))
            problems.push(`${node.words.join('|')}.${property}`);
      for (const [alias, property] of references) {
        if (property.startsWith('_')) continue;
        const node = nodes.find((n) => n.alias === alias);
        const k = edges.findIndex((e) => e.alias === alias);
        if (node) {
          if (!entityHas(node, property)) problems.push(`${alias}.${property}`);
        } else if (k >= 0) {
          const types = new Set(
            rowsBetween(nodes[k], edges[k].verb, nodes[k + 1]).map(
              (r) => r._type,
            ),
          );
          if (
            !relationships.some(
              (r) => types.has(r._type) && r[property] !== undefined,
            )
          )
            problems.push(`${alias}.${property}`);
        } else {
          problems.push(`unknown alias ${alias}`);
        }
      }
      expect(problems).toEqual([]);
    });
  });

  test('the reader reads what it is meant to', () => {
    expect(
      parse(
        "FIND azure_user WITH isAdmin = true AND x != 'a b' AS u THAT !HAS AS r < (laptop | Device) WITH y = 1 WHERE r.z = 2 RETURN u.name",
      ),
    ).toEqual({
      nodes: [
        { words: ['azure_user'], withProperties: ['isAdmin', 'x'], alias: 'u' },
        { words: ['laptop', 'Device'], withProperties: ['y'] },
      ],
      edges: [{ verb: 'HAS', alias: 'r' }],
      references: [
        ['r', 'z'],
        ['u', 'name'],
      ],
    });
    expect(typesOf('User')).toEqual(
      expect.arrayContaining([Entities.USER._type]),
    );
  });
});
