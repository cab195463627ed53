// Where a command's human lines go: as they are (text), or one JSON object a line for a log
// collector (--log-format json: SLS's Logtail, Loki, and the like): {time, level, message} plus the
// job, the shard, the task and what else the line is about.
import { Option } from 'commander';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export type Level = 'info' | 'warn' | 'error';

export interface Terminal {
  readonly format: LogFormat;
  /** one line: `text` as it is, or in json {time, level, message: text without its "warning: "/"error: " prefix, ...fields} */
  line(level: Level, text: string, fields?: Record<string, unknown>): void;
}

export function logFormatOption(): Option {
  return new Option('--log-format <format>', 'stderr lines as text, or as one JSON object a line for a log collector')
    .choices(LOG_FORMATS)
    .default('text');
}

export function createTerminal(
  format: LogFormat,
  base: Record<string, unknown> = {},
  out: { write(s: string): unknown } = process.stderr,
  now: () => Date = () => new Date(),
): Terminal {
  return {
    format,
    line(level, text, fields = {}) {
      if (format === 'text') {
        out.write(text.endsWith('\n') ? text : `${text}\n`);
        return;
      }
      const message = text
        .replace(/^\n+/, '')
        .replace(/\n+$/, '')
        .replace(/^(warning|error): /, '');
      // a `message` among the fields (a one-line form of a multi-line text) wins
      out.write(`${JSON.stringify({ time: now().toISOString(), level, ...base, message, ...fields })}\n`);
    },
  };
}

/** The --log-format the arguments give (for errors printed before a command parsed them). */
export function logFormatIn(argv: readonly string[]): LogFormat {
  const i = argv.findIndex((a) => a === '--log-format' || a.startsWith('--log-format='));
  const value = i < 0 ? undefined : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  return value === 'json' ? 'json' : 'text';
}
