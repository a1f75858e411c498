/**
 * Writes the review page: one HTML file with cytoscape, cytoscape-dagre,
 * the page's own script and style, and the data, all inline. Its Content
 * Security Policy forbids every fetch, so the page cannot reach the network
 * even by mistake, and it opens from file:// on a machine without internet.
 */
import { promises as fs } from 'fs';
import { join } from 'path';
import { gzipSync } from 'zlib';
import ts from 'typescript';
import { ReviewData } from './build';

const ROOT = join(__dirname, '..', '..');

const LIBRARIES = [
  'node_modules/cytoscape/dist/cytoscape.min.js',
  'node_modules/cytoscape-dagre/dist/cytoscape-dagre.min.js',
];

const POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
].join('; ');

/** Inline script text: no `</script`, no source-map comment that a browser might fetch. */
function inlineScript(source: string): string {
  return source
    .replace(/^\/\/# sourceMappingURL=.*$/gm, '')
    .replace(/<\/(script)/gi, '<\\/$1');
}

/** The instance index: gzipped JSON in base64 (the page inflates it with DecompressionStream). */
function gzipBase64(value: unknown): string {
  return gzipSync(JSON.stringify(value), { level: 6 }).toString('base64');
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no tag can close it early. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * app.ts as a classic script (it imports types only), in a function scope
 * so that none of its names become globals beside cytoscape's.
 */
async function pageScript(): Promise<string> {
  const source = await fs.readFile(join(__dirname, 'page', 'app.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.ESNext,
    },
  });
  const body = outputText.replace(/^export \{\};\s*$/m, '');
  if (/^\s*(import|export)\b/m.test(body)) {
    throw new Error(
      'scripts/review/page/app.ts must import types only: the page has no module loader',
    );
  }
  return `(() => {\n${body}\n})();`;
}

export async function renderReviewPage(data: ReviewData): Promise<string> {
  const libraries = await Promise.all(
    LIBRARIES.map((path) => fs.readFile(join(ROOT, path), 'utf8')),
  );
  const style = await fs.readFile(join(__dirname, 'page', 'style.css'), 'utf8');
  const script = await pageScript();
  const title = data.typeView.title.replace(
    /[<>&"]/g,
    (c) => `&#${c.charCodeAt(0)};`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
${style}
</style>
</head>
<body>
<header>
<h1 id="title"></h1>
<p id="totals" class="muted"></p>
<nav><a href="#type-section">Type view</a><a href="#instance-section">Instances</a><a href="#table-section">Types</a></nav>
</header>
<section id="type-section">
<h2>Type view</h2>
<p class="muted">One node per entity <code>_type</code> (area by count, colour by class), one edge per relationship <code>_type</code> (class and count). Click a type to list its entities below.</p>
<div id="legend" class="legend"></div>
<div id="type-view" class="graph"></div>
</section>
<section id="instance-section">
<h2>Instances</h2>
<form id="search-form" autocomplete="off">
<input id="search" type="search" placeholder="Search a name (every entity is indexed)">
<select id="type-pick"><option value="">or pick a type…</option></select>
<label><input id="two-hops" type="checkbox" checked> two hops</label>
</form>
<div id="results"></div>
<div id="instance" class="instance hidden">
<div id="instance-view" class="graph"></div>
<div id="properties"></div>
</div>
</section>
<section id="table-section">
<h2>Types</h2>
<table id="types-table">
<thead><tr><th>_type</th><th>kind</th><th>class</th><th>from → to</th><th class="num">count</th><th>status</th><th>partial</th><th>steps</th></tr></thead>
<tbody></tbody>
</table>
<h2>Steps</h2>
<ul id="steps"></ul>
</section>
${libraries.map((l) => `<script>\n${inlineScript(l)}\n</script>`).join('\n')}
<script type="application/json" id="type-data">${inlineJson(
    data.typeView,
  )}</script>
<script>
${inlineScript(script)}
</script>
<script type="application/octet-stream" id="instance-data">
${gzipBase64(data.instances)}
</script>
</body>
</html>
`;
}
