// sls-trigger CLI: thin commands over the library.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { lz4Implementation } from '../codec/index.js';
import { registerServe } from './serve.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('sls-trigger')
    .description('Open-source Alibaba Cloud SLS log trigger: scheduler, FC-compatible handler runtime, embedded LogHub')
    .version(`${pkg.version} (lz4: ${lz4Implementation})`, '-V, --version')
    .showHelpAfterError();
  registerServe(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
