// The floors of docs/architecture.md, checked on every source file: no import goes up a floor, and
// trigger, runtime and loghub (siblings) do not import each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';

const FLOOR: Record<string, number> = {
  codec: 0,
  errors: 0,
  cjs: 0,
  config: 1,
  client: 1,
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
