// sls-trigger init: scaffold a function from a template.
import type { Command } from 'commander';
import { initProject, listTemplates } from '../scaffold/init.js';
import { SlsArgumentError } from '../errors/index.js';

export function registerInit(command: Command): void {
  command
    .option('-t, --template <name>', 'template to copy (see --list)', 'user-defined-function')
    .option('--name <name>', 'function and package name (default: the directory name)')
    .option('--project <name>', 'SLS project in s.yaml')
    .option('--logstore <name>', 'source logstore in s.yaml')
    .option('--region <id>', 'region in s.yaml')
    .option('--list', 'list the templates, one line each')
    .action(
      (
        dir: string | undefined,
        flags: { template: string; name?: string; project?: string; logstore?: string; region?: string; list?: boolean },
      ) => {
        if (flags.list) {
          const ts = listTemplates();
          const w = Math.max(...ts.map((t) => t.name.length));
          for (const t of ts) process.stdout.write(`${t.name.padEnd(w)}  ${t.description}\n`);
          return;
        }
        if (!dir) throw new SlsArgumentError('give a directory: sls-trigger init <dir> --template <name>');
        const r = initProject(dir, flags);
        process.stdout.write(
          `created ${r.name} in ${r.dir} from ${flags.template}\nnext:\n  cd ${dir}\n  npm install\n  npm test\n  npx sls-trigger dev --config s.yaml\n`,
        );
      },
    );
}
