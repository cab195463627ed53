// The floors of docs/architecture.md, checked on every source file: no import goes up a floor, and
// trigger, runtime and loghub (siblings) do not import each other; and no two files import each other
// in a circle (a circle makes load order matter and splits a module in two).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';

const FLOOR: Record<string, number> = {
  codec: 0,
  errors: 0,
  cjs: 0,
  validate: 0,
  env: 1,
  client: 1,
  spl: 1,
  event: 2,
  loghub: 3,
  trigger: 3,
  runtime: 3,
  sample: 3,
  testing: 4,
  scaffold: 4,
  build: 4,
  console: 4,
  cli: 5,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sources(p) : /\.(ts|mjs)$/.test(d.name) ? [p] : [];
  });
}

test('imports point down the floors; siblings do not import each other', () => {
  const src = path.join(repoRoot, 'src');
  const wrong: string[] = [];
  for (const file of sources(src)) {
    const from = path.relative(src, file).split(path.sep)[0];
    if (!(from in FLOOR)) continue; // src/index.ts and other top-level entries re-export everything
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const to = path.relative(src, path.resolve(path.dirname(file), m[1])).split(path.sep)[0];
      if (to === from || !(to in FLOOR)) continue;
      const up = FLOOR[to] > FLOOR[from];
      const sideways = FLOOR[to] === FLOOR[from] && FLOOR[from] > 0;
      if (up || sideways) wrong.push(`${path.relative(repoRoot, file)} imports ${to}/ (${m[1]})`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(
    Object.keys(FLOOR).every((f) => readdirSync(src).includes(f)),
    'every floor named here exists',
  );
});

/** Every relative import of a source file (static, re-export, type-only and dynamic import()), as resolved files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]);
  return specs
    .map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'))
    .filter((f) => f.endsWith('.ts') || f.endsWith('.mjs'));
}

/** The import circles among source files (Tarjan's strongly connected components of two or more files, or a file importing itself). */
function circles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        onStack.delete(w);
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.map((f) => path.relative(repoRoot, f)).sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

test('no import circles between source files, dynamic import() included', () => {
  assert.deepEqual(circles(sources(path.join(repoRoot, 'src'))), []);
});
