// sls-trigger CLI: thin commands over the library.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { lz4Implementation } from '../codec/index.js';
import { registerBuild } from './build.js';
import { registerCheckpoint } from './checkpoint.js';
import { registerDev } from './dev.js';
import { registerEvents } from './events.js';
import { registerInit } from './init.js';
import { registerPreview } from './preview.js';
import { registerReplay } from './replay.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';
import { registerStatus } from './status.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('sls-trigger')
    .description('Open-source Alibaba Cloud SLS log trigger: scheduler, FC-compatible handler runtime, embedded LogHub')
    .version(`${pkg.version} (lz4: ${lz4Implementation})`, '-V, --version')
    .showHelpAfterError();
  registerDev(program);
  registerServe(program);
  registerRun(program);
  registerStatus(program);
  registerReplay(program);
  registerEvents(program);
  registerCheckpoint(program);
  registerPreview(program);
  registerBuild(program);
  registerInit(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
}
