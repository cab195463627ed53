// npm run build: tsc to dist/, then the files tsc does not emit. Skipped when dist/ is newer than
// every source, so the `prepare` that npm runs for this checkout as a file: dependency (the
// template tests install one) never rewrites dist/ under tests running from it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];
const assets = [
  ['src/trigger/invokers/localWorker.mjs', 'dist/trigger/invokers/localWorker.mjs'],
  ['src/trigger/invokers/fcContract.mjs', 'dist/trigger/invokers/fcContract.mjs'],
  // its types: dist's inProcess.d.ts names FcContextObject from it
  ['src/trigger/invokers/fcContract.d.mts', 'dist/trigger/invokers/fcContract.d.mts'],
  ['src/cjs/require.cjs', 'dist/cjs/require.cjs'],
  // the console's page: plain modules and CSS, served as they are
  ['src/console/web', 'dist/console/web'],
];

function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(p).map((n) => newest(path.join(p, n))));
}

const force = process.argv.includes('--force');
if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...inputs.map((i) => newest(path.join(root, i))))) {
  process.exit(0);
}
const tsc = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
for (const [from, to] of assets) {
  mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
  cpSync(path.join(root, from), path.join(root, to), { recursive: true });
}
writeFileSync(stamp, `${new Date().toISOString()}\n`);
