// Everything a user can set or read is documented (README.md or docs/), so the reference cannot
// drift from the code: every job-config field, every CLI option of every command, every metric.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LogHubMetrics } from '../../src/loghub/index.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { jobConfigSchema } from '../../src/trigger/job/configSchema.js';
import { TriggerMetrics } from '../../src/trigger/engine/metrics.js';
import { repoRoot } from '../helpers/cli.js';

const docs = [path.join(repoRoot, 'README.md'), ...readdirSync(path.join(repoRoot, 'docs')).map((f) => path.join(repoRoot, 'docs', f))]
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

/** The docs' code: fenced blocks and inline code spans. */
const code = (() => {
  const fenced = [...docs.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  const prose = docs.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  const spans = prose.split('`').filter((_, i) => i % 2 === 1);
  return [...fenced, ...spans].join('\n');
})();

/** `word` appears in the docs' code (`{type: "local", module, …}` documents `module`). */
const inCode = (word: string) => new RegExp(`(?<![\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(code);

/** Every property name in a JSON Schema, with its dotted path (union branches included). */
function fieldsOf(schema: unknown, at = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as { properties?: Record<string, unknown>; oneOf?: unknown[]; anyOf?: unknown[] };
  const own = Object.entries(s.properties ?? {}).flatMap(([k, v]) => [at + k, ...fieldsOf(v, `${at}${k}.`)]);
  return [...own, ...[...(s.oneOf ?? []), ...(s.anyOf ?? [])].flatMap((b) => fieldsOf(b, at))];
}

test('every job-config field is documented', () => {
  assert.equal(inCode('notDocumentedAnywhere'), false, 'the check can fail');
  const missing = [...new Set(fieldsOf(jobConfigSchema))].filter((f) => !inCode(f.split('.').at(-1)!));
  assert.deepEqual(missing, []);
});

test('every CLI option of every command is documented', () => {
  const missing: string[] = [];
  for (const name of Object.keys(COMMANDS)) {
    const help = spawnSync(process.execPath, [path.join(repoRoot, 'bin/sls-trigger.js'), name, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    const subcommands = [...help.stdout.matchAll(/^ {2}(\w+)(?: \[options\])?.*$/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    const texts = [help.stdout];
    for (const sub of help.stdout.includes('Commands:') ? subcommands : [])
      texts.push(
        spawnSync(process.execPath, [path.join(repoRoot, 'bin/sls-trigger.js'), name, sub, '--help'], { encoding: 'utf8' }).stdout,
      );
    for (const text of texts)
      for (const m of text.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)) if (m[1] !== '--help' && !inCode(m[1])) missing.push(`${name} ${m[1]}`);
  }
  assert.deepEqual([...new Set(missing)], []);
});

test('every metric is documented', async () => {
  const names = [
    ...(await new TriggerMetrics().registry.getMetricsAsJSON()),
    ...(await new LogHubMetrics().registry.getMetricsAsJSON()),
  ].map((m) => m.name);
  assert.ok(names.length > 10);
  // a row may name a family (`…_ingested_bytes_total` beside `sls_trigger_ingested_lines_total`)
  const missing = names.filter((n) => !inCode(n) && !inCode(`…_${n.replace(/^sls_(trigger|loghub)_/, '')}`));
  assert.deepEqual(missing, []);
});
