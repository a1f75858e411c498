/**
 * @jest-environment ./test/review/browser-environment.js
 *
 * The review page (`npm run review`) in a real browser: the demo tenant is
 * collected in-process from the Graph simulator, the page is built from the
 * graph files that collection wrote, and headless Chromium (Debian's
 * `chromium`, driven by playwright-core) opens it from file://.
 *
 * Screenshots go to test-output/review/ (git-ignored); docs/review-type-view.png
 * in the README is this test's type-view.png.
 */
import { integrationSteps } from '../../src/steps';
import {
  Entity,
  Relationship,
  RelationshipMapping,
} from '@jupiterone/integration-sdk-core';
import { promises as fs } from 'fs';
import { join } from 'path';
import { defaultReviewRequest, writeReviewPage } from '../../scripts/review';
import {
  buildReviewData,
  DEFAULT_REVIEW_OPTIONS,
} from '../../scripts/review/build';
import {
  Chromium,
  chromiumPath,
  launchChromium,
} from '../../scripts/review/chromium';
import {
  openReviewPage,
  OpenedPage,
  searchAndOpen,
  typeViewElements,
} from '../../scripts/review/drive';
import { readSummary } from '../../scripts/review/summary';
import { CollectionResult, runCollection } from '../support/collect';
import { startTestTenant } from '../support/tenant';

jest.setTimeout(120_000);

const OUTPUT = join(__dirname, '..', '..', 'test-output', 'review');

let collection: CollectionResult;
let browser: Chromium;
let opened: OpenedPage;
let pagePath: string;

beforeAll(async () => {
  // Fails (never skips) without Chromium, saying how to install it.
  chromiumPath();
  const tenant = await startTestTenant('demo');
  try {
    collection = await runCollection(tenant.config);
  } finally {
    await tenant.close();
  }
  expect(collection.error).toBeUndefined();
  await fs.mkdir(OUTPUT, { recursive: true });
  pagePath = join(OUTPUT, 'review.html');
  await writeReviewPage({
    ...defaultReviewRequest(collection.storageDirectory),
    outputPath: pagePath,
  });
  browser = await launchChromium();
  opened = await openReviewPage(browser.context, pagePath);
});

afterAll(async () => {
  await browser?.close();
  if (collection)
    await fs.rm(collection.storageDirectory, { recursive: true, force: true });
});

/** The graph files' own answer, independent of the page's builder. */
function relationshipId(r: Relationship): string {
  return `${r._mapping ? 'mapped:' : ''}${r._type}`;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items)
    counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe('the review page of the demo tenant, in headless Chromium', () => {
  test('the type view draws exactly one node per entity _type and one edge per relationship _type of the graph files, with their counts', async () => {
    const { nodes, edges } = await typeViewElements(opened.page);
    const entityTypes = countBy(collection.entities, (e) => e._type);
    const relationshipTypes = countBy(collection.relationships, relationshipId);

    expect([...nodes].sort()).toEqual([...entityTypes.keys()].sort());
    expect(edges.map((e) => e.id).sort()).toEqual(
      [...relationshipTypes.keys()].sort(),
    );
    // The demo tenant has every declared entity type, and every declared
    // relationship type (an edge per direct or mapped pair, so at least as many).
    const declared = (kind: 'entities' | 'relationships') =>
      new Set(
        integrationSteps.flatMap((step) => step[kind].map((t) => t._type)),
      );
    expect(nodes).toHaveLength(declared('entities').size);
    expect(edges.length).toBeGreaterThanOrEqual(declared('relationships').size);
    for (const edge of edges) {
      expect(edge.label).toContain(
        ` ${relationshipTypes.get(edge.id)!.toLocaleString('en-US')}`,
      );
    }
    const mapped = edges.filter((e) => e.id.startsWith('mapped:'));
    expect(mapped.length).toBeGreaterThan(0);
    for (const edge of mapped) expect(edge.label).toMatch(/\(mapped\)$/);
    // Mapped relationships are drawn dashed, to their target type.
    const drawn = await opened.page.evaluate(() =>
      window.review.typeView.edges('.mapped').map((e) => ({
        id: e.id(),
        style: e.style('line-style'),
        target: e.target().id(),
        source: e.source().id(),
      })),
    );
    expect(drawn.map((d) => d.id).sort()).toEqual(
      mapped.map((e) => e.id).sort(),
    );
    for (const d of drawn) expect(d.style).toBe('dashed');
    const userHasLaptop = drawn.find(
      (d) => d.id === 'mapped:azure_user_has_laptop',
    );
    expect(userHasLaptop).toMatchObject({
      source: 'azure_user',
      target: 'laptop',
    });

    await opened.page
      .locator('#type-view')
      .screenshot({ path: join(OUTPUT, 'type-view.png') });
  });

  test('the table lists every type with its count, class and status from summary.json', async () => {
    const rows = await opened.page.$$eval('#types-table tbody tr', (trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? ''),
      ),
    );
    const entityTypes = countBy(collection.entities, (e) => e._type);
    const relationshipTypes = countBy(collection.relationships, relationshipId);
    expect(rows).toHaveLength(entityTypes.size + relationshipTypes.size);
    const user = rows.find((r) => r[0] === 'azure_user' && r[1] === 'entity');
    expect(user).toEqual([
      'azure_user',
      'entity',
      'User',
      '',
      '50',
      'success',
      '',
      'fetch-users',
    ]);
    const findings = rows.find((r) => r[0] === 'intune_noncompliance_finding');
    expect(findings?.[4]).toBe(
      String(entityTypes.get('intune_noncompliance_finding')),
    );
    expect(findings?.[7]).toBe(
      // issue 15: and the three policy families read through reports
      'fetch-compliance-policies, fetch-device-configurations, fetch-intune-administrative-templates, fetch-intune-settings-compliance-policies, fetch-intune-settings-policies',
    );
  });

  test('a search finds a known user and shows its neighbours', async () => {
    const user = knownUser();
    const { shown } = await searchAndOpen(opened.page, user.name);
    expect(shown).toMatchObject({ name: user.name, type: 'azure_user' });
    expect([...shown.neighbours].sort()).toEqual(user.neighbours);
    expect(shown.hop2.length).toBeGreaterThan(0);
    // Its properties are on the page.
    const properties = await opened.page.textContent('#properties');
    expect(properties).toContain(String(user.entity.userPrincipalName));
    // The neighbourhood is drawn: the user and each neighbour is a node.
    const drawnNames = await opened.page.evaluate(() =>
      window.review
        .instanceView!.nodes()
        .map((n) => String(n.data('label')).split('\n')[0]),
    );
    for (const name of [user.name, ...user.neighbours])
      expect(drawnNames).toContain(name);

    await opened.page
      .locator('#instance')
      .screenshot({ path: join(OUTPUT, 'instance-view.png') });
  });

  test('the page made no network request, and raised no error', async () => {
    expect(opened.requests.map((r) => r.url())).toEqual([opened.url]);
    expect(opened.errors).toEqual([]);
    await opened.page.screenshot({
      path: join(OUTPUT, 'page.png'),
      fullPage: true,
    });
  });
});

describe('the review page of a collection with failed and partial steps', () => {
  test('marks partial types in the type view and in the table, and names the failed step', async () => {
    const storage = collection.storageDirectory;
    const summary = (await readSummary(join(storage, 'summary.json')))!;
    const failing = summary.integrationStepResults.find(
      (s) => s.id === 'fetch-devices',
    )!;
    failing.status = 'failure';
    failing.partialTypes = [...failing.declaredTypes!];
    summary.metadata = {
      partialDatasets: { types: [...failing.declaredTypes!] },
    };
    const summaryPath = join(OUTPUT, 'summary-with-failure.json');
    await fs.writeFile(summaryPath, JSON.stringify(summary));
    const path = join(OUTPUT, 'review-with-failure.html');
    await writeReviewPage({
      ...defaultReviewRequest(storage),
      summaryPath,
      outputPath: path,
    });
    const page = await openReviewPage(browser.context, path);
    try {
      const laptop = await page.page.$eval(
        '#types-table tr[data-type="laptop"]',
        (tr) => ({
          className: tr.className,
          cells: Array.from(tr.querySelectorAll('td')).map(
            (td) => td.textContent,
          ),
        }),
      );
      expect(laptop.className).toBe('partial');
      expect(laptop.cells.slice(5, 8)).toEqual([
        'failed, partial',
        'partial',
        'fetch-devices',
      ]);
      const user = await page.page.$eval(
        '#types-table tr[data-type="azure_user"]',
        (tr) => tr.className,
      );
      expect(user).toBe('');
      const partialNodes = await page.page.evaluate(() =>
        window.review.typeView.nodes('.partial').map((n) => n.id()),
      );
      expect(partialNodes.sort()).toEqual([
        'computer',
        'desktop',
        'intune_host_agent',
        'laptop',
        'server',
        'smartphone',
        'user_endpoint',
        'workstation',
      ]);
      expect(await page.page.textContent('#totals')).toContain(
        'Steps not successful: fetch-devices (failure).',
      );
      expect(page.errors).toEqual([]);
    } finally {
      await page.page.close();
    }
  });
});

describe('building the page', () => {
  test('does not depend on how the graph files are named or split', async () => {
    const storage = collection.storageDirectory;
    const summary = await readSummary(join(storage, 'summary.json'));
    const first = await buildReviewData(join(storage, 'graph'), summary);
    // The same objects, in other files: each file split in two, under reversed names.
    const other = join(OUTPUT, 'graph-reshuffled');
    await fs.rm(other, { recursive: true, force: true });
    let n = 0;
    for (const [kind, objects] of [
      ['entities', collection.entities],
      ['relationships', collection.relationships],
    ] as const) {
      await fs.mkdir(join(other, 'step', kind), { recursive: true });
      const reversed = [...(objects as (Entity | Relationship)[])].reverse();
      for (let i = 0; i < reversed.length; i += 37) {
        const name = String(1e6 - n++).padStart(7, '0');
        await fs.writeFile(
          join(other, 'step', kind, `${name}.json`),
          JSON.stringify({ [kind]: reversed.slice(i, i + 37) }),
        );
      }
    }
    const second = await buildReviewData(other, summary);
    expect({ ...second.typeView, source: '' }).toEqual({
      ...first.typeView,
      source: '',
    });
    expect(second.instances).toEqual(first.instances);
  });

  test('caps neighbours per entity and relationship type, and counts the rest', async () => {
    const storage = collection.storageDirectory;
    const capped = await buildReviewData(join(storage, 'graph'), undefined, {
      ...DEFAULT_REVIEW_OPTIONS,
      neighboursPerKind: 2,
    });
    const kept = Buffer.from(capped.instances.adjacency, 'base64').length / 4;
    let hidden = 0;
    for (let i = 2; i < capped.instances.hidden.length; i += 3)
      hidden += capped.instances.hidden[i];
    // Every relationship is an entry at both ends, kept or counted as hidden.
    expect(kept + hidden).toBe(2 * collection.relationships.length);
    expect(hidden).toBeGreaterThan(0);
    // The account HAS all 50 users: 2 kept, 48 counted.
    const account = capped.instances.typeOf.indexOf(
      capped.instances.types.indexOf('microsoft_365_account'),
    );
    const row = capped.typeView.relationshipTypes.findIndex(
      (r) => r.type === 'microsoft_365_account_has_azure_user',
    );
    const group = (row << 1) | 1;
    const triples = capped.instances.hidden;
    const at = Array.from({ length: triples.length / 3 }, (_, i) =>
      triples.slice(i * 3, i * 3 + 3),
    ).find(([entity, g]) => entity === account && g === group);
    expect(at).toEqual([account, group, 48]);
    // Without a summary, every type says so.
    expect(new Set(capped.typeView.entityTypes.map((t) => t.status))).toEqual(
      new Set(['no summary']),
    );
  });
});

/** The user with the most neighbours (and a name no other entity has), and its neighbours' names from the graph files. */
function knownUser(): { entity: Entity; name: string; neighbours: string[] } {
  const byKey = new Map(collection.entities.map((e) => [e._key, e]));
  const nameOf = (e: Entity) => String(e.displayName ?? e.name ?? e._key);
  const users = collection.entities.filter((e) => e._type === 'azure_user');
  const neighboursOf = (user: Entity) => {
    const names = new Set<string>();
    for (const r of collection.relationships) {
      const mapping = r._mapping as RelationshipMapping | undefined;
      if (mapping) {
        const target = mapping.targetEntity;
        if (mapping.sourceEntityKey === user._key)
          names.add(
            nameOf(byKey.get(String(target._key)) ?? (target as Entity)),
          );
        if (target._key === user._key)
          names.add(nameOf(byKey.get(mapping.sourceEntityKey)!));
      } else if (r._fromEntityKey === user._key)
        names.add(nameOf(byKey.get(String(r._toEntityKey))!));
      else if (r._toEntityKey === user._key)
        names.add(nameOf(byKey.get(String(r._fromEntityKey))!));
    }
    return [...names].sort();
  };
  const nameCounts = countBy(collection.entities, nameOf);
  const unique = users.filter((u) => nameCounts.get(nameOf(u)) === 1);
  const scored = unique.map((u) => ({ u, neighbours: neighboursOf(u) }));
  scored.sort(
    (a, b) =>
      b.neighbours.length - a.neighbours.length ||
      (nameOf(a.u) < nameOf(b.u) ? -1 : 1),
  );
  const best = scored[0];
  return { entity: best.u, name: nameOf(best.u), neighbours: best.neighbours };
}
