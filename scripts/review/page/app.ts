/**
 * The review page's script (runs in the browser; the builder transpiles it
 * and inlines it with cytoscape and cytoscape-dagre). It runs as soon as the
 * parser reaches it, before the large instance index further down the page
 * is even parsed: the type view and the table come from the small
 * `type-data` block and draw at once. The instance index (`instance-data`,
 * for search and neighbourhoods) is parsed once the document is complete.
 * Text from the graph only ever reaches the page through textContent.
 *
 * Timings (performance.now(), ms since navigation) go to
 * `window.review.timings` for the browser test and `npm run review:measure`.
 *
 * One file because the page has no module loader: the builder transpiles
 * this file on its own (it imports types only) and inlines it.
 */
import type Cytoscape from 'cytoscape';
import type {
  InstanceData,
  RelationshipTypeRow,
  TypeStatus,
  TypeViewData,
} from '../data';

declare const cytoscape: typeof Cytoscape;

/** Nodes drawn in one neighbourhood, centre and "+N more" markers included. */
const MAX_NEIGHBOURHOOD_NODES = 150;
const MAX_SEARCH_RESULTS = 60;
const PALETTE = [
  '#2f6fdf',
  '#e8710a',
  '#1e8e3e',
  '#d93025',
  '#8e44ad',
  '#8d6e63',
  '#d81b60',
  '#5f6368',
  '#9e9d24',
  '#00838f',
  '#3949ab',
  '#6d4c41',
];

interface Instances extends Omit<InstanceData, 'adjacencyStart' | 'adjacency'> {
  adjacencyStart: Uint32Array;
  adjacency: Uint32Array;
  lowerNames: string[];
  detailsOf: Map<number, Record<string, unknown>>;
  hiddenOf: Map<number, Map<number, number>>;
}

interface Review {
  data: TypeViewData;
  typeView: Cytoscape.Core;
  instanceView?: Cytoscape.Core;
  timings: Record<string, number>;
  /** What the instance view shows now: its centre and the entities around it. */
  shown?: {
    centre: number;
    name: string;
    type: string;
    neighbours: string[];
    hop2: string[];
  };
  search(text: string): { index: number; name: string; type: string }[];
  open(index: number): void;
}

declare global {
  interface Window {
    review: Review;
  }
}

const data = JSON.parse(text('type-data')) as TypeViewData;
const classColour = colourByClass(data);
const review: Review = {
  data,
  typeView: drawTypeView(),
  timings: {},
  search,
  open,
};
window.review = review;
renderHeader();
renderTable();
review.timings.typeViewDrawnAt = performance.now();
document.body.dataset.typeView = 'ready';

let instances: Instances | undefined;
const indexed = new Promise<Instances>((resolve, reject) =>
  document.addEventListener('DOMContentLoaded', () =>
    // After a frame, so that the type view is on screen before the index is read.
    requestAnimationFrame(() =>
      setTimeout(() => {
        loadInstances().then(resolve, reject);
      }),
    ),
  ),
);
void indexed.then(
  () => (document.body.dataset.instances = 'ready'),
  (err) => {
    document.body.dataset.instances = 'failed';
    (document.getElementById('results') as HTMLElement).append(
      el('span', `The instance index could not be read: ${err}`, 'warn'),
    );
  },
);
wireInstanceControls();

/** Runs an instance-view action now, or once the index is read. */
function withInstances(action: (inst: Instances) => void): void {
  if (instances) action(instances);
  else void indexed.then(action);
}

function text(id: string): string {
  return (document.getElementById(id) as HTMLElement).textContent ?? '';
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  content?: string | Node | (string | Node)[],
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const part of content === undefined
    ? []
    : Array.isArray(content)
    ? content
    : [content]) {
    node.append(part);
  }
  return node;
}

function colourByClass(d: TypeViewData): (classes: string[]) => string {
  const all = Array.from(
    new Set(d.entityTypes.map((t) => t.classes.join(', '))),
  ).sort();
  return (classes) =>
    PALETTE[Math.max(0, all.indexOf(classes.join(', '))) % PALETTE.length];
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function statusBadge(s: TypeStatus): HTMLElement {
  const span = el(
    'span',
    s.partial && s.status !== 'partial' ? `${s.status}, partial` : s.status,
    'badge',
  );
  span.classList.add(s.partial ? 'partial' : s.status.replace(/\s+/g, '-'));
  return span;
}

// ---- Type view --------------------------------------------------------

function drawTypeView(): Cytoscape.Core {
  const nodes = data.entityTypes.map((t) => ({
    data: {
      id: t.type,
      label: `${t.type}\n${count(t.count)}${t.partial ? ' (partial)' : ''}`,
      size: Math.round(22 + 14 * Math.log10(t.count + 1)),
      colour: classColour(t.classes),
    },
    classes: t.partial || t.status === 'failed' ? 'partial' : '',
  }));
  const known = new Set(data.entityTypes.map((t) => t.type));
  // A mapped relationship may point at a type this collection has none of:
  // its target type still gets a node, drawn as not collected.
  for (const r of data.relationshipTypes) {
    for (const end of [r.from, r.to]) {
      if (!known.has(end)) {
        known.add(end);
        nodes.push({
          data: {
            id: end,
            label: `${end}\n(mapped target only)`,
            size: 22,
            colour: '#ffffff',
          },
          classes: 'absent',
        });
      }
    }
  }
  const edges = data.relationshipTypes.map((r) => ({
    data: {
      id: r.id,
      source: r.from,
      target: r.to,
      label: `${r.class} ${count(r.count)}${r.mapped ? ' (mapped)' : ''}`,
    },
    classes: [
      r.mapped ? 'mapped' : '',
      r.partial || r.status === 'failed' ? 'partial' : '',
    ]
      .join(' ')
      .trim(),
  }));
  const cy = cytoscape({
    container: document.getElementById('type-view'),
    elements: [...nodes, ...edges],
    wheelSensitivity: 0.3,
    style: [
      {
        selector: 'node',
        style: {
          label: 'data(label)',
          width: 'data(size)',
          height: 'data(size)',
          'background-color': 'data(colour)',
          'text-wrap': 'wrap',
          'text-valign': 'bottom',
          'text-margin-y': 3,
          'font-size': 11,
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.75,
        },
      },
      {
        selector: 'node.partial',
        style: {
          'border-width': 3,
          'border-color': '#b42318',
          'border-style': 'dashed',
        },
      },
      {
        selector: 'node.absent',
        style: {
          'border-width': 2,
          'border-color': '#c2590a',
          'border-style': 'dashed',
        },
      },
      {
        selector: 'edge',
        style: {
          'curve-style': 'bezier',
          width: 1.2,
          'line-color': '#9aa3af',
          'target-arrow-color': '#9aa3af',
          'target-arrow-shape': 'triangle',
          'arrow-scale': 0.7,
          label: 'data(label)',
          'font-size': 8,
          'text-rotation': 'autorotate',
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.8,
        },
      },
      {
        selector: 'edge.mapped',
        style: {
          'line-style': 'dashed',
          'line-color': '#c2590a',
          'target-arrow-color': '#c2590a',
          color: '#c2590a',
        },
      },
      {
        selector: 'edge.partial',
        style: { 'line-color': '#b42318', 'target-arrow-color': '#b42318' },
      },
      { selector: '.faded', style: { opacity: 0.12 } },
      {
        selector: 'node:selected',
        style: { 'border-width': 3, 'border-color': '#1d2430' },
      },
    ],
    layout: {
      name: 'dagre',
      rankDir: 'LR',
      nodeSep: 22,
      rankSep: 170,
      edgeSep: 6,
    } as Cytoscape.LayoutOptions,
  });
  cy.on('tap', 'node', (event) => {
    const node = event.target as Cytoscape.NodeSingular;
    cy.elements().addClass('faded');
    node.closedNeighborhood().removeClass('faded');
    const picker = document.getElementById('type-pick') as HTMLSelectElement;
    if (data.entityTypes.some((t) => t.type === node.id())) {
      picker.value = node.id();
      withInstances(() => listType(node.id()));
    }
  });
  cy.on('tap', (event) => {
    if (event.target === cy) cy.elements().removeClass('faded');
  });
  return cy;
}

function renderHeader(): void {
  document.title = data.title;
  (document.getElementById('title') as HTMLElement).textContent = data.title;
  const t = data.totals;
  const totals = document.getElementById('totals') as HTMLElement;
  totals.append(
    `${count(t.entities)} entities of ${data.entityTypes.length} types; ` +
      `${count(t.relationships)} relationships and ${count(
        t.mappedRelationships,
      )} mapped relationships of ` +
      `${data.relationshipTypes.length} types. From ${data.source}.`,
  );
  const notes: string[] = [];
  if (!t.entities) {
    notes.push(
      'The graph holds no entity: a collection whose steps failed is not an empty tenant.',
    );
  }
  if (!data.summaryFound)
    notes.push('No summary.json beside the graph: step statuses are unknown.');
  const failed = data.steps.filter((s) => s.status !== 'success');
  if (failed.length)
    notes.push(
      `Steps not successful: ${failed
        .map((s) => `${s.id} (${s.status})`)
        .join(', ')}.`,
    );
  if (data.partialTypes.length)
    notes.push(`Partial types: ${data.partialTypes.join(', ')}.`);
  if (t.unresolvedRelationships) {
    notes.push(
      `${count(
        t.unresolvedRelationships,
      )} relationships name an endpoint that is not in the graph (see the table).`,
    );
  }
  if (t.duplicateKeys)
    notes.push(
      `${count(t.duplicateKeys)} entities repeat an earlier entity's _key.`,
    );
  for (const note of notes) totals.append(el('br'), el('span', note, 'warn'));

  const legend = document.getElementById('legend') as HTMLElement;
  const seen = new Set<string>();
  for (const t of data.entityTypes) {
    const label = t.classes.join(', ');
    if (seen.has(label)) continue;
    seen.add(label);
    const swatch = el('span', undefined, 'swatch');
    swatch.style.background = classColour(t.classes);
    legend.append(el('span', [swatch, label]));
  }
  legend.append(
    el('span', [el('span', undefined, 'line-sample'), 'relationship']),
    el('span', [
      el('span', undefined, 'line-sample mapped'),
      'mapped relationship (to its target type)',
    ]),
    el('span', 'dashed red ring: partial type'),
  );
}

// ---- Table -------------------------------------------------------------

function renderTable(): void {
  const body = document.querySelector('#types-table tbody') as HTMLElement;
  const row = (
    type: string,
    kind: string,
    cls: string,
    ends: string,
    n: number | string,
    s: TypeStatus,
  ) => {
    const tr = el('tr', [
      el('td', el('code', type)),
      el('td', kind),
      el('td', cls),
      el('td', ends),
      el('td', typeof n === 'number' ? count(n) : n, 'num'),
      el('td', statusBadge(s)),
      el('td', s.partial ? 'partial' : ''),
      el('td', s.steps.join(', ')),
    ]);
    if (s.partial) tr.className = 'partial';
    else if (s.status === 'failed') tr.className = 'failed';
    tr.dataset.type = type;
    body.append(tr);
  };
  for (const t of data.entityTypes)
    row(t.type, 'entity', t.classes.join(', '), '', t.count, t);
  const rels = (mapped: boolean) =>
    data.relationshipTypes.filter((r) => r.mapped === mapped);
  for (const r of [...rels(false), ...rels(true)]) {
    row(
      r.type,
      r.mapped ? 'mapped relationship' : 'relationship',
      r.class,
      `${r.from} → ${r.to}`,
      r.count,
      r,
    );
  }
  for (const u of data.unresolved) {
    row(u.type, 'relationship, endpoint not in graph', '', '', u.count, u);
  }
  for (const d of data.declaredWithoutData)
    row(d.type, 'declared, none collected', '', '', 0, d);
  const steps = document.getElementById('steps') as HTMLElement;
  for (const s of data.steps) {
    const badge = el('span', s.status, `badge ${s.status}`);
    steps.append(
      el('li', [
        el('code', s.id),
        ' ',
        badge,
        s.partialTypes.length ? ` partial: ${s.partialTypes.join(', ')}` : '',
      ]),
    );
  }
}

// ---- Instances -------------------------------------------------------------

/** The index is gzipped JSON in base64 (a third of the plain JSON's size, and of the time the HTML parser spends on it). */
async function loadInstances(): Promise<Instances> {
  const t0 = performance.now();
  const gzipped = decodeBase64(text('instance-data').trim());
  const json = await new Response(
    new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip')),
  ).text();
  const raw = JSON.parse(json) as InstanceData;
  const hiddenOf = new Map<number, Map<number, number>>();
  for (let i = 0; i < raw.hidden.length; i += 3) {
    const [entity, group, n] = raw.hidden.slice(i, i + 3);
    if (!hiddenOf.has(entity)) hiddenOf.set(entity, new Map());
    hiddenOf.get(entity)!.set(group, n);
  }
  instances = {
    ...raw,
    adjacencyStart: decodeUint32(raw.adjacencyStart),
    adjacency: decodeUint32(raw.adjacency),
    lowerNames: raw.names.map((n) => n.toLowerCase()),
    detailsOf: new Map(raw.details),
    hiddenOf,
  };
  review.timings.instancesReadMs = performance.now() - t0;
  review.timings.instancesReadyAt = performance.now();
  const picker = document.getElementById('type-pick') as HTMLSelectElement;
  for (const t of data.entityTypes)
    picker.append(new Option(`${t.type} (${count(t.count)})`, t.type));
  (
    document.getElementById('search') as HTMLInputElement
  ).placeholder = `Search a name (all ${count(
    instances.names.length,
  )} indexed)`;
  return instances;
}

function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function decodeUint32(base64: string): Uint32Array {
  // The builder writes little-endian, which is what every browser's typed arrays are on x86 and ARM.
  return new Uint32Array(decodeBase64(base64).buffer);
}

function search(
  query: string,
): { index: number; name: string; type: string }[] {
  const inst = instances;
  const q = query.trim().toLowerCase();
  if (!inst) return [];
  if (!q) return [];
  const exact: number[] = [];
  const prefix: number[] = [];
  const contains: number[] = [];
  inst.lowerNames.forEach((name, i) => {
    const at = name.indexOf(q);
    if (at < 0) return;
    (name === q ? exact : at === 0 ? prefix : contains).push(i);
  });
  return [...exact, ...prefix, ...contains]
    .slice(0, MAX_SEARCH_RESULTS)
    .map((index) => ({
      index,
      name: inst.names[index],
      type: inst.types[inst.typeOf[index]],
    }));
}

function wireInstanceControls(): void {
  const form = document.getElementById('search-form') as HTMLFormElement;
  const input = document.getElementById('search') as HTMLInputElement;
  const picker = document.getElementById('type-pick') as HTMLSelectElement;
  const hops = document.getElementById('two-hops') as HTMLInputElement;
  let timer: number | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(
      () => withInstances(() => showResults(input.value)),
      120,
    );
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    withInstances(() => {
      const found = showResults(input.value);
      if (found.length) open(found[0].index);
    });
  });
  picker.addEventListener(
    'change',
    () => picker.value && withInstances(() => listType(picker.value)),
  );
  hops.addEventListener(
    'change',
    () => review.shown && open(review.shown.centre),
  );
}

function showResults(
  query: string,
): { index: number; name: string; type: string }[] {
  const results = document.getElementById('results') as HTMLElement;
  results.replaceChildren();
  if (query.trim().length < 2) return [];
  const t0 = performance.now();
  const found = search(query);
  review.timings.searchMs = performance.now() - t0;
  if (!found.length)
    results.append(
      el('span', `Nothing is named like “${query.trim()}”.`, 'muted'),
    );
  for (const f of found) results.append(resultButton(f.index, f.name, f.type));
  if (found.length === MAX_SEARCH_RESULTS)
    results.append(el('span', `first ${MAX_SEARCH_RESULTS} shown`, 'muted'));
  return found;
}

function resultButton(
  index: number,
  name: string,
  type: string,
): HTMLButtonElement {
  const button = el('button', [name, el('span', type, 'type')]);
  button.type = 'button';
  button.dataset.index = String(index);
  button.addEventListener('click', () => open(index));
  return button;
}

function listType(type: string): void {
  const inst = instances!;
  const results = document.getElementById('results') as HTMLElement;
  results.replaceChildren();
  const t = inst.types.indexOf(type);
  let shown = 0;
  let total = 0;
  inst.typeOf.forEach((ti, i) => {
    if (ti !== t || i >= inst.placeholdersFrom) return;
    total++;
    if (shown < MAX_SEARCH_RESULTS) {
      results.append(resultButton(i, inst.names[i], type));
      shown++;
    }
  });
  if (total > shown)
    results.append(
      el(
        'span',
        `first ${shown} of ${count(total)} by _key; search to find others`,
        'muted',
      ),
    );
}

interface Group {
  row: RelationshipTypeRow;
  outgoing: boolean;
}

function neighboursOf(
  inst: Instances,
  entity: number,
): { neighbour: number; group: number }[] {
  const out = [];
  const mask = 2 ** inst.neighbourBits;
  for (
    let j = inst.adjacencyStart[entity];
    j < inst.adjacencyStart[entity + 1];
    j++
  ) {
    const v = inst.adjacency[j];
    out.push({ neighbour: v % mask, group: Math.floor(v / mask) });
  }
  return out;
}

function groupOf(group: number): Group {
  return {
    row: data.relationshipTypes[group >> 1],
    outgoing: (group & 1) === 1,
  };
}

function open(index: number): void {
  const inst = instances!;
  const t0 = performance.now();
  const twoHops = (document.getElementById('two-hops') as HTMLInputElement)
    .checked;
  (document.getElementById('instance') as HTMLElement).classList.remove(
    'hidden',
  );
  const nodes = new Map<string, Cytoscape.ElementDefinition>();
  const edges = new Map<string, Cytoscape.ElementDefinition>();
  const addNode = (i: number, hop: number) => {
    const id = `e${i}`;
    if (nodes.has(id)) return true;
    if (nodes.size >= MAX_NEIGHBOURHOOD_NODES) return false;
    const type = inst.types[inst.typeOf[i]];
    const row = data.entityTypes.find((t) => t.type === type);
    nodes.set(id, {
      data: {
        id,
        index: i,
        hop,
        label: `${inst.names[i]}\n${type}`,
        colour: row ? classColour(row.classes) : '#ffffff',
      },
      classes: [
        hop === 0 ? 'centre' : '',
        i >= inst.placeholdersFrom ? 'placeholder' : '',
      ]
        .join(' ')
        .trim(),
    });
    return true;
  };
  const addEdge = (a: number, g: number, b: number) => {
    const { row, outgoing } = groupOf(g);
    const [source, target] = outgoing ? [a, b] : [b, a];
    const id = `r${row.id}:${source}>${target}`;
    if (!edges.has(id)) {
      edges.set(id, {
        data: {
          id,
          source: `e${source}`,
          target: `e${target}`,
          label: row.class,
        },
        classes: row.mapped ? 'mapped' : '',
      });
    }
  };
  addNode(index, 0);
  const hop1 = neighboursOf(inst, index);
  const left = new Set<number>();
  for (const { neighbour, group } of hop1) {
    if (addNode(neighbour, 1)) addEdge(index, group, neighbour);
    else left.add(neighbour);
  }
  // Neighbours the builder's cap left out, one marker per relationship type and direction.
  for (const [group, n] of inst.hiddenOf.get(index) ?? []) {
    const { row, outgoing } = groupOf(group);
    const id = `more${group}`;
    nodes.set(id, {
      data: {
        id,
        hop: 1,
        label: `+${count(n)} more ${outgoing ? row.to : row.from}`,
        colour: '#ffffff',
      },
      classes: 'more',
    });
    edges.set(`${id}-edge`, {
      data: {
        id: `${id}-edge`,
        source: outgoing ? `e${index}` : id,
        target: outgoing ? id : `e${index}`,
        label: row.class,
      },
      classes: row.mapped ? 'mapped' : '',
    });
  }
  if (twoHops) {
    for (const { neighbour } of hop1) {
      if (neighbour >= inst.placeholdersFrom) continue;
      for (const next of neighboursOf(inst, neighbour)) {
        if (next.neighbour === index) continue;
        if (addNode(next.neighbour, 2))
          addEdge(neighbour, next.group, next.neighbour);
        else left.add(next.neighbour);
      }
    }
  }
  const elements = [
    ...nodes.values(),
    ...Array.from(edges.values()).filter(
      (e) => nodes.has(e.data.source!) && nodes.has(e.data.target!),
    ),
  ];
  review.instanceView?.destroy();
  review.instanceView = cytoscape({
    container: document.getElementById('instance-view'),
    elements,
    wheelSensitivity: 0.3,
    style: [
      {
        selector: 'node',
        style: {
          label: 'data(label)',
          'background-color': 'data(colour)',
          'text-wrap': 'wrap',
          'text-valign': 'bottom',
          'font-size': 9,
          width: 18,
          height: 18,
          'border-width': 1,
          'border-color': '#5b6675',
        },
      },
      {
        selector: 'node.centre',
        style: {
          width: 34,
          height: 34,
          'font-size': 12,
          'font-weight': 'bold',
          'border-width': 3,
        },
      },
      {
        selector: 'node.placeholder',
        style: {
          'border-style': 'dashed',
          'border-color': '#c2590a',
          'border-width': 2,
        },
      },
      {
        selector: 'node.more',
        style: {
          shape: 'round-rectangle',
          'border-style': 'dotted',
          width: 14,
          height: 14,
        },
      },
      {
        selector: 'edge',
        style: {
          'curve-style': 'bezier',
          width: 1,
          'line-color': '#9aa3af',
          'target-arrow-color': '#9aa3af',
          'target-arrow-shape': 'triangle',
          'arrow-scale': 0.6,
          label: 'data(label)',
          'font-size': 7,
          'text-rotation': 'autorotate',
          color: '#5b6675',
        },
      },
      {
        selector: 'edge.mapped',
        style: {
          'line-style': 'dashed',
          'line-color': '#c2590a',
          'target-arrow-color': '#c2590a',
        },
      },
    ],
    layout: {
      name: 'preset',
      positions: ringPositions(nodes, edges),
      fit: true,
      padding: 20,
    } as Cytoscape.LayoutOptions,
  });
  review.instanceView.on('tap', 'node', (event) => {
    const i = (event.target as Cytoscape.NodeSingular).data('index');
    if (typeof i === 'number' && i !== index) open(i);
  });
  const nameOf = (i: number) => inst.names[i];
  review.shown = {
    centre: index,
    name: nameOf(index),
    type: inst.types[inst.typeOf[index]],
    neighbours: Array.from(new Set(hop1.map((h) => nameOf(h.neighbour)))),
    hop2: Array.from(nodes.values())
      .filter((n) => n.data.hop === 2)
      .map((n) => nameOf(n.data.index as number)),
  };
  renderProperties(inst, index, left.size);
  review.timings.openMs = performance.now() - t0;
}

/**
 * The centre, its neighbours on a ring, and the second hop on an outer ring,
 * each next to the neighbour it hangs off: deterministic, and instant at any
 * size (a force layout of 150 nodes takes seconds).
 */
function ringPositions(
  nodes: Map<string, Cytoscape.ElementDefinition>,
  edges: Map<string, Cytoscape.ElementDefinition>,
): Record<string, Cytoscape.Position> {
  const positions: Record<string, Cytoscape.Position> = {};
  const byLabel = (
    a: Cytoscape.ElementDefinition,
    b: Cytoscape.ElementDefinition,
  ) =>
    String(a.data.label) < String(b.data.label)
      ? -1
      : String(a.data.label) > String(b.data.label)
      ? 1
      : 0;
  const all = Array.from(nodes.values());
  const hop1 = all
    .filter((n) => n.data.hop === 1)
    .sort((a, b) => {
      const type = (n: Cytoscape.ElementDefinition) =>
        String(n.data.label).split('\n').pop()!;
      return type(a) < type(b) ? -1 : type(a) > type(b) ? 1 : byLabel(a, b);
    });
  const slot = new Map(hop1.map((n, i) => [n.data.id!, i]));
  const parentSlot = (id: string) => {
    let best = Infinity;
    for (const e of edges.values()) {
      const other =
        e.data.source === id
          ? e.data.target
          : e.data.target === id
          ? e.data.source
          : undefined;
      if (other !== undefined && slot.has(other))
        best = Math.min(best, slot.get(other)!);
    }
    return best;
  };
  // Each neighbour gets a sector in proportion to what hangs off it; its
  // second-hop entities spread over that sector on the outer ring.
  const children = hop1.map(() => [] as Cytoscape.ElementDefinition[]);
  for (const n of all.filter((m) => m.data.hop === 2).sort(byLabel)) {
    const parent = parentSlot(n.data.id!);
    if (parent !== Infinity) children[parent].push(n);
  }
  const weight = children.map((c) => Math.max(1, c.length));
  const total = weight.reduce((a, b) => a + b, 0);
  const hop2Count = children.reduce((sum, c) => sum + c.length, 0);
  const r1 = Math.max(160, (hop1.length * 34) / (2 * Math.PI));
  const r2 = Math.max(r1 + 180, (hop2Count * 26) / (2 * Math.PI));
  const at = (radius: number, angle: number) => ({
    x: radius * Math.cos(angle),
    y: radius * Math.sin(angle),
  });
  let angle = -Math.PI / 2;
  hop1.forEach((n, i) => {
    const span = (2 * Math.PI * weight[i]) / total;
    positions[n.data.id!] = at(r1, angle + span / 2);
    children[i].forEach((c, j) => {
      positions[c.data.id!] = at(
        r2,
        angle + (span * (j + 0.5)) / children[i].length,
      );
    });
    angle += span;
  });
  for (const n of all)
    if (n.data.hop === 0) positions[n.data.id!] = { x: 0, y: 0 };
  return positions;
}

function renderProperties(inst: Instances, index: number, left: number): void {
  const box = document.getElementById('properties') as HTMLElement;
  box.replaceChildren();
  const type = inst.types[inst.typeOf[index]];
  box.append(el('h3', [inst.names[index], ' ', el('span', type, 'badge')]));
  if (left) {
    box.append(
      el(
        'p',
        `${count(
          left,
        )} more neighbours are not drawn (at most ${MAX_NEIGHBOURHOOD_NODES} nodes).`,
        'muted',
      ),
    );
  }
  const props = inst.detailsOf.get(index);
  if (index >= inst.placeholdersFrom) {
    box.append(
      el(
        'p',
        'Not an entity of this collection: the target of a mapped relationship, which the platform resolves or creates.',
        'muted',
      ),
    );
  }
  if (!props) {
    box.append(
      el(
        'p',
        `Properties are not embedded for this entity: the page carries them for ${count(
          data.limits.detailed,
        )} entities ` +
          `(the first of each type by _key; npm run review -- --details N for more).`,
        'muted',
      ),
    );
    return;
  }
  const table = el('table');
  for (const [key, value] of Object.entries(props).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    table.append(el('tr', [el('td', key), el('td', formatValue(key, value))]));
  }
  box.append(table);
}

function formatValue(key: string, value: unknown): string {
  if (typeof value === 'number' && /On$/.test(key) && value > 1e11) {
    return `${value} (${new Date(value).toISOString()})`;
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
