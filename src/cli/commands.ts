// The CLI's command table: names, usage and descriptions in one place. main.ts loads only the
// module of the command being run (esbuild only for build, the LogHub only for commands that serve);
// the top-level help needs nothing but this table.
import type { Command } from 'commander';

interface CommandInfo {
  readonly usage: string;
  readonly description: string;
  /** the command's module: fills in the options and the action of the command main made */
  readonly load: () => Promise<(command: Command) => void>;
}

export const COMMANDS = {
  dev: {
    usage: 'dev',
    description: 'the main job: embedded LogHub + nginx log producer + the s.yaml trigger running the local function',
    load: async () => (await import('./dev.js')).registerDev,
  },
  serve: {
    usage: 'serve',
    description: 'run the embedded LogHub (SLS REST API on loopback, data on disk)',
    load: async () => (await import('./serve.js')).registerServe,
  },
  run: {
    usage: 'run',
    description: 'run a trigger job: poll shards, invoke the function per range, checkpoint, write schedule logs',
    load: async () => (await import('./run.js')).registerRun,
  },
  status: {
    usage: 'status',
    description: "show a job's progress per shard: owner, checkpoint time, last data time, lag",
    load: async () => (await import('./status.js')).registerStatus,
  },
  audit: {
    usage: 'audit',
    description: 'prove from the schedule log and checkpoints that every cursor interval ended in one recorded outcome; exit 1 on a gap',
    load: async () => (await import('./audit.js')).registerAudit,
  },
  replay: {
    usage: 'replay',
    description: 'build real events (time range, cursors, event/dead-letter file, or a fixture) and invoke the function locally',
    load: async () => (await import('./replay.js')).registerReplay,
  },
  redrive: {
    usage: 'redrive',
    description: "re-invoke a job's function with its dead letters (source data, or the saved bytes once the source expired)",
    load: async () => (await import('./redrive.js')).registerRedrive,
  },
  events: {
    usage: 'events',
    description: 'generate or validate FC log-trigger events',
    load: async () => (await import('./events.js')).registerEvents,
  },
  console: {
    usage: 'console',
    description: "a job's web console on its own (shards, lag, charts, tasks, dead letters, preview, checkpoint reset), from the SLS API",
    load: async () => (await import('./console.js')).registerConsole,
  },
  checkpoint: {
    usage: 'checkpoint',
    description: "show or reset a job's checkpoints",
    load: async () => (await import('./checkpoint.js')).registerCheckpoint,
  },
  preview: {
    usage: 'preview',
    description: 'print the first log groups of a shard from a point in time',
    load: async () => (await import('./preview.js')).registerPreview,
  },
  build: {
    usage: 'build [dir]',
    description: 'bundle a function (esbuild) into dist/index.js for FC upload; prints bundle size and module load time',
    load: async () => (await import('./build.js')).registerBuild,
  },
  init: {
    usage: 'init [dir]',
    description: 'scaffold a function project from a template (names filled into package.json, s.yaml, README)',
    load: async () => (await import('./init.js')).registerInit,
  },
} as const satisfies Record<string, CommandInfo>;

export type CommandName = keyof typeof COMMANDS;
