// After tsc: copy what tsc does not emit into dist/ (the worker host is plain JS; the CommonJS
// entry explains how to use an ESM-only package from require()).
import { copyFileSync, mkdirSync } from 'node:fs';

const assets = [
  ['src/trigger/invokers/localWorker.mjs', 'dist/trigger/invokers/localWorker.mjs'],
  ['src/cjs/require.cjs', 'dist/cjs/require.cjs'],
];
for (const [from, to] of assets) {
  mkdirSync(to.slice(0, to.lastIndexOf('/')), { recursive: true });
  copyFileSync(from, to);
}
