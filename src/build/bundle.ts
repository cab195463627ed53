// Bundles a function for FC upload: one ESM file (dist/index.js) plus the package.json that makes
// Node read it as ESM; no node_modules to upload, so cold starts load one file. The native lz4
// addon cannot be bundled (and FC's Debian 10 glibc may not load one built elsewhere): the bundle
// carries lz4's pure-JS codec and uses it when the addon is absent.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { SlsArgumentError } from '../errors/index.js';
import { checkSYaml, functionEntryPoints } from '../trigger/job/fromSYaml.js';

export interface BuildOptions {
  /** entry module (default: src/index.ts, index.ts, src/index.js or index.js in the project) */
  readonly entry?: string;
  /** output directory (default: <dir>/dist) */
  readonly outDir?: string;
  readonly minify?: boolean;
  /**
   * s.yaml whose handler and initializer names the bundle must export as functions (default:
   * <dir>/s.yaml when it exists; false: no check)
   */
  readonly config?: string | false;
}

export interface BuildResult {
  readonly outFile: string;
  readonly bytes: number;
  /** time to import the bundle in a fresh Node process (what a cold start pays for the module) */
  readonly loadMs: number;
  readonly exports: string[];
  /** the s.yaml whose handler and initializer names were checked, if any */
  readonly checked?: string;
  /** what that s.yaml has that the fc3 component's schema or FC's limits refuse (checkSYaml): s deploy or FC may refuse it */
  readonly sYamlProblems?: string[];
}

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * When the function's own node_modules has no sls-trigger (a template inside this repository, or a
 * scaffold before npm install), resolve sls-trigger[/subpath] through this package's exports map.
 */
function selfPackage(): Plugin {
  const exportsMap = (
    JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { exports: Record<string, string | { import: string }> }
  ).exports;
  return {
    name: 'sls-trigger-self',
    setup(b) {
      b.onResolve({ filter: /^sls-trigger(\/.*)?$/ }, async (args) => {
        if (args.pluginData === 'self') return undefined;
        const normal = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'self' });
        if (normal.errors.length === 0) return normal;
        const entry = exportsMap[args.path === 'sls-trigger' ? '.' : `.${args.path.slice('sls-trigger'.length)}`];
        const target = typeof entry === 'string' ? entry : entry?.import;
        return target ? { path: path.join(packageRoot, target) } : undefined;
      });
    },
  };
}

function findEntry(dir: string): string {
  for (const c of ['src/index.ts', 'index.ts', 'src/index.js', 'index.js']) {
    const p = path.join(dir, c);
    if (existsSync(p)) return p;
  }
  throw new SlsArgumentError(`no entry in ${dir}: expected src/index.ts, index.ts, src/index.js or index.js (or give --entry)`);
}

/** Imports the bundle in a child process and measures it. */
function measureLoad(file: string): { loadMs: number; exports: string[]; functions: string[] } {
  const script = `const t=performance.now();const m=await import(${JSON.stringify(pathToFileURL(file).href)});const ms=performance.now()-t;process.stdout.write(JSON.stringify({ms,exports:Object.keys(m),functions:Object.keys(m).filter((k)=>typeof m[k]==='function')}));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the bundle does not load: ${r.stderr.trim()}`);
  const j = JSON.parse(r.stdout) as { ms: number; exports: string[]; functions: string[] };
  return { loadMs: Math.round(j.ms * 10) / 10, exports: j.exports, functions: j.functions };
}

/**
 * FC calls `<file>.<export>` from the code directory: for every fc3 function of the s.yaml whose
 * code is this bundle's directory, the handler and the initializer must name the bundle's file and
 * an exported function (FC fails every invocation otherwise, as `dev` does).
 */
function checkEntryPoints(configFile: string, outFile: string, functions: readonly string[]): void {
  const problems: string[] = [];
  const moduleName = path.basename(outFile, '.js');
  for (const fn of functionEntryPoints(configFile)) {
    if (path.resolve(path.dirname(configFile), fn.code) !== path.dirname(outFile)) continue;
    const named = [
      ['handler', fn.handler] as const,
      ...(fn.initializer ? [['instanceLifecycleConfig.initializer.handler', fn.initializer] as const] : []),
    ];
    for (const [field, name] of named) {
      const dot = name.lastIndexOf('.');
      const [file, exportName] = [name.slice(0, dot), name.slice(dot + 1)];
      const at = `${path.basename(configFile)} resources.${fn.resource}.props.${field} ${name}`;
      if (file !== moduleName) problems.push(`${at}: the bundle is ${moduleName}.js, so it must read ${moduleName}.${exportName}`);
      else if (!functions.includes(exportName))
        problems.push(
          `${at}: ${path.basename(outFile)} exports no function ${exportName} (it exports ${functions.join(', ') || 'no functions'})`,
        );
    }
  }
  if (problems.length > 0) throw new SlsArgumentError(`the bundle does not match what FC will call:\n  ${problems.join('\n  ')}`);
}

export async function buildFunction(dir: string, opts: BuildOptions = {}): Promise<BuildResult> {
  const root = path.resolve(dir);
  const entry = opts.entry ? path.resolve(root, opts.entry) : findEntry(root);
  const outDir = path.resolve(root, opts.outDir ?? 'dist');
  mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, 'index.js');
  await build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'esm',
    minify: opts.minify ?? true,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [selfPackage()],
    // CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __slsCreateRequire } from 'node:module'; const require = __slsCreateRequire(import.meta.url);",
    },
  });
  writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({ type: 'module', private: true }, null, 2) + '\n');
  const { loadMs, exports, functions } = measureLoad(outFile);
  const config = opts.config === undefined ? path.join(root, 's.yaml') : opts.config;
  const checked = config && (opts.config !== undefined || existsSync(config)) ? path.resolve(root, config) : undefined;
  if (checked) checkEntryPoints(checked, outFile, functions);
  const sYamlProblems = checked ? checkSYaml(checked) : undefined;
  return { outFile, bytes: statSync(outFile).size, loadMs, exports, ...(checked ? { checked, sYamlProblems } : {}) };
}
