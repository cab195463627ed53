// Scaffolding a function from template/: copy, fill the names (function, project, logstore, job),
// and set its sls-trigger dependency so it installs and tests out of the box: the running version
// as a semver range when run from an installed package, this checkout's path when run from one.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlsArgumentError } from '../errors/index.js';

export const templatesDir = fileURLToPath(new URL('../../template/', import.meta.url));
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface TemplateInfo {
  name: string;
  description: string;
}

export function listTemplates(): TemplateInfo[] {
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(templatesDir, d.name, 'package.json')))
    .map((d) => ({
      name: d.name,
      description:
        (JSON.parse(readFileSync(path.join(templatesDir, d.name, 'package.json'), 'utf8')) as { description?: string }).description ?? '',
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface InitOptions {
  readonly template: string;
  /** function (and package) name; default: the directory's name */
  readonly name?: string;
  readonly project?: string;
  readonly logstore?: string;
  readonly region?: string;
}

/** `^<version>` from an installed package; `file:<checkout>` in a checkout (it ships src/, a package does not). */
export function slsTriggerDependency(): string {
  if (existsSync(path.join(packageRoot, 'src', 'cli', 'main.ts'))) return `file:${packageRoot.replace(/\/$/, '')}`;
  const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return `^${version}`;
}

const NAME = /^[a-z][a-z0-9_-]{0,63}$/;

function replaceIn(file: string, pairs: Array<[RegExp, string]>): void {
  if (!existsSync(file)) return;
  let s = readFileSync(file, 'utf8');
  for (const [re, to] of pairs) s = s.replace(re, to);
  writeFileSync(file, s);
}

/** What a scaffold keeps out of git: installs, builds, and `dev`'s LogHub data and checkpoints. Recorded fixtures stay in: tests pin them. */
const GITIGNORE = ['node_modules/', 'dist/', '.sls-trigger/', '*.tgz', ''].join('\n');

export function initProject(dir: string, o: InitOptions): { dir: string; name: string } {
  const known = listTemplates().map((t) => t.name);
  if (!known.includes(o.template))
    throw new SlsArgumentError(`unknown template ${JSON.stringify(o.template)}; one of: ${known.join(', ')}`);
  const target = path.resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) throw new SlsArgumentError(`${target} exists and is not empty`);
  const name = o.name ?? path.basename(target);
  if (!NAME.test(name))
    throw new SlsArgumentError(`--name ${JSON.stringify(name)} must be 1-64 of a-z, 0-9, '-', '_', starting with a letter`);
  const src = path.join(templatesDir, o.template);
  cpSync(src, target, { recursive: true, filter: (f) => !/[/\\](node_modules|dist)([/\\]|$)/.test(f.slice(src.length)) });
  const pkgFile = path.join(target, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name: string; dependencies?: Record<string, string> };
  pkg.name = name;
  pkg.dependencies = { ...pkg.dependencies, 'sls-trigger': slsTriggerDependency() };
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
  const syaml: Array<[RegExp, string]> = [
    [new RegExp(`^name: ${o.template}$`, 'm'), `name: ${name}`],
    [new RegExp(`^  ${o.template}:$`, 'm'), `  ${name}:`],
    [new RegExp(`functionName: ${o.template}$`, 'm'), `functionName: ${name}`],
  ];
  if (o.project) syaml.push([/^  project: .*$/m, `  project: ${o.project}`]);
  if (o.region) syaml.push([/^  region: .*$/m, `  region: ${o.region}`]);
  if (o.logstore) syaml.push([/^(\s+sourceConfig:\n\s+logstore: ).*$/m, `$1${o.logstore}`]);
  replaceIn(path.join(target, 's.yaml'), syaml);
  // Written here, not shipped in template/: npm pack leaves every .gitignore out of the tarball.
  writeFileSync(path.join(target, '.gitignore'), GITIGNORE);
  replaceIn(path.join(target, 'README.md'), [
    [new RegExp(`^# ${o.template}$`, 'm'), `# ${name}\n\nScaffolded from the \`${o.template}\` template of sls-trigger.`],
    [/\]\(\.\.\/\.\.\/README\.md\)/g, `](${path.join(packageRoot, 'README.md')})`],
  ]);
  return { dir: target, name };
}
