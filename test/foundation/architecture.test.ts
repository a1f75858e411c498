/**
 * The layering of docs/architecture.md, checked: no import circle among the
 * source modules, and no source file so long that it holds more than one
 * concern without saying why at its top.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const SRC = join(__dirname, '../../src');
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Relative imports and re-exports of a module, type-only ones included. */
function importsOf(file: string, known: Set<string>): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/g),
    ...text.matchAll(/import\s+'(\.[^']+)'/g),
  ].map((match) => match[1]);
  return specifiers.map((specifier) => {
    const base = resolve(dirname(file), specifier);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) =>
      known.has(candidate),
    );
    if (!target) throw new Error(`${file}: cannot resolve ${specifier}`);
    return target;
  });
}

function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') {
        cycles.push([...stack.slice(stack.indexOf(next)), next]);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

test('no import circle among the source modules', () => {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph = new Map(files.map((file) => [file, importsOf(file, known)]));
  const cycles = findCycles(graph).map((cycle) =>
    cycle.map((file) => relative(SRC, file)).join(' -> '),
  );
  expect(cycles).toEqual([]);
});

test(`a source file over ${MAX_LINES} lines says at its top why it is one file`, () => {
  const long = sourceFiles(SRC)
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }))
    .filter(({ text }) => text.split('\n').length > MAX_LINES + 20)
    .filter(({ text }) => !/One file because/.test(text.slice(0, 2000)))
    .map(({ file }) => relative(SRC, file));
  expect(long).toEqual([]);
});
