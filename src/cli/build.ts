// sls-trigger build: bundle a function for FC upload and report its size and load time.
import type { Command } from 'commander';
import { buildFunction } from '../build/bundle.js';

export function registerBuild(command: Command): void {
  command
    .option('--entry <file>', 'entry module (default: src/index.ts, index.ts, src/index.js or index.js)')
    .option('--out-dir <dir>', 'output directory', 'dist')
    .option('--no-minify', 'keep the bundle readable')
    .option(
      '--config <s.yaml>',
      'check that the bundle exports every handler and initializer this s.yaml names (default: s.yaml in <dir> when present)',
    )
    .option('--no-config', 'skip that check')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        dir: string | undefined,
        flags: { entry?: string; outDir: string; minify: boolean; config?: string | false; json?: boolean },
      ) => {
        const r = await buildFunction(dir ?? '.', { entry: flags.entry, outDir: flags.outDir, minify: flags.minify, config: flags.config });
        for (const p of r.sYamlProblems ?? [])
          process.stderr.write(`warning: ${r.checked}: ${p} (the fc3 component's schema and FC's limits: s deploy or FC may refuse it)\n`);
        if (flags.json) return void process.stdout.write(JSON.stringify(r) + '\n');
        process.stdout.write(
          `${r.outFile}: ${(r.bytes / 1024).toFixed(1)} KiB, loads in ${r.loadMs} ms, exports ${r.exports.join(', ')}\n${r.checked ? `every handler and initializer ${r.checked} names: exported\n` : ''}upload ${flr(r.outFile)} (s.yaml code: ./dist)\n`,
        );
      },
    );
}

const flr = (f: string) => f.slice(0, f.lastIndexOf('/'));
