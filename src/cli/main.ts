// sls-trigger CLI: thin commands over the library. Only the chosen command's module is loaded, so
// `--help`, `--version` and light commands start in tens of milliseconds.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { lz4Implementation } from '../codec/lz4Block.js';
import { COMMANDS, type CommandName } from './commands.js';
import { createTerminal, logFormatIn } from './terminal.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** What `--version` and a start line say when the native lz4 addon is absent. */
export const LZ4_JS_NOTE =
  'lz4: pure-JS codec (the native addon was not built; npm 11 blocks install scripts): add "allowScripts": {"lz4": true} to your package.json, or run `npm install-scripts approve lz4`, then `npm rebuild lz4`';

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, name);
}

/** The command the arguments name (`help <command>` included), if any. */
function chosenCommand(argv: readonly string[]): CommandName | undefined {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  const first = words[0] === 'help' ? words[1] : words[0];
  return isCommand(first) ? first : undefined;
}

export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('sls-trigger')
    .description('Open-source Alibaba Cloud SLS log trigger: scheduler, FC-compatible handler runtime, embedded LogHub')
    .version(`${pkg.version} (lz4: ${lz4Implementation})${lz4Implementation === 'js' ? `\n${LZ4_JS_NOTE}` : ''}`, '-V, --version')
    .showHelpAfterError('(see sls-trigger --help)');
  const chosen = chosenCommand(argv);
  for (const [name, info] of Object.entries(COMMANDS) as Array<[CommandName, (typeof COMMANDS)[CommandName]]>) {
    // main makes each command (the table's usage and description) and hands it to its module: no module imports the table
    if (name === chosen) (await info.load())(program.command(info.usage).description(info.description));
    else program.command(info.usage).description(info.description); // listed in the help, never run
  }
  pointToHelp(program, 'sls-trigger');
  return program;
}

/** A usage error prints one line and where the help is (the whole help after it buried the line). */
function pointToHelp(command: Command, path: string): void {
  for (const sub of command.commands) {
    const subPath = `${path} ${sub.name()}`;
    sub.showHelpAfterError(`(see ${subPath} --help)`);
    pointToHelp(sub, subPath);
  }
}

try {
  const chosen = chosenCommand(process.argv);
  if (chosen !== undefined && chosen !== 'init' && chosen !== 'build' && lz4Implementation === 'js')
    createTerminal(logFormatIn(process.argv)).line('warn', `warning: ${LZ4_JS_NOTE}`);
  await (await buildProgram(process.argv)).parseAsync(process.argv);
} catch (e) {
  createTerminal(logFormatIn(process.argv)).line('error', `error: ${(e as Error).message}`, { code: (e as { code?: string }).code });
  process.exit(1);
}
