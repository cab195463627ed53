// What `dev` and `run` share: the invoker and scheduler of a job, its lines on the terminal, the live
// console, and one orderly stop (console, then the scheduler and its tasks, the invoker, the client,
// then what the command itself started). The command decides what is printed around it.
import type { Registry } from 'prom-client';
import type { CredentialsInput, LogClient } from '../client/index.js';
import { startProbeServer, type ProbeServer } from '../console/index.js';
import { createInvoker, readinessOf, Scheduler, TriggerMetrics, type Invoker, type JobConfig } from '../trigger/index.js';
import { startLiveConsole, type Listen } from './consoleStart.js';
import { printSchedulerEvents } from './print.js';
import { createTerminal, type Terminal } from './terminal.js';
import { onShutdown } from './util.js';

export interface JobRunOptions {
  readonly config: JobConfig;
  readonly client: LogClient;
  readonly credentials: CredentialsInput;
  readonly consumerName?: string;
  /** schedule-log JSON lines: undefined = stdout, null = nowhere */
  readonly scheduleSink?: null;
  /** a line per task on stderr (off when the records go to stdout as JSON) */
  readonly taskLines: boolean;
  /** stop on SIGINT/SIGTERM (installed before anything is printed or awaited); off for a one-shot run */
  readonly signals: boolean;
  /** where the lines go (default: text on stderr) */
  readonly term?: Terminal;
  /** how long a stop waits for in-flight tasks (default: until they end) */
  readonly drainTimeoutMs?: number;
  /** before the job stops (dev: the producer and the lag line) */
  readonly beforeStop?: () => void;
  /** after it stopped (dev: the LogHub) */
  readonly afterStop?: () => Promise<void>;
}

export interface JobRun {
  readonly scheduler: Scheduler;
  readonly invoker: Invoker;
  /** serves the web console and the job's /metrics (and `more` registries) at `listen` */
  openConsole(listen: Listen | false | undefined, more?: readonly Registry[], operatorSecret?: string): Promise<void>;
  /** serves /metrics, /healthz and /readyz, read-only, at `listen` */
  openProbes(listen: Listen | undefined): Promise<void>;
  stop(): Promise<void>;
}

export function prepareJobRun(o: JobRunOptions): JobRun {
  const invoker = createInvoker(o.config, o.credentials);
  const scheduler = new Scheduler({
    config: o.config,
    client: o.client,
    invoker,
    functionCredentials: o.credentials,
    consumerName: o.consumerName,
    scheduleSink: o.scheduleSink,
  });
  let web: { close(): Promise<void> } | undefined;
  let probes: ProbeServer | undefined;
  const stop = async () => {
    o.beforeStop?.();
    await web?.close();
    // the probe port answers until the job has stopped: /readyz says "stopping" meanwhile
    const { abandoned } = await scheduler.stop({ drainTimeoutMs: o.drainTimeoutMs });
    if (abandoned.length > 0)
      term.line(
        'warn',
        `warning: drain timeout: ${abandoned.length} task${abandoned.length === 1 ? '' : 's'} still running (shard ${abandoned.join(', ')}); not committed, so delivered again by the next holder`,
        { abandonedShards: abandoned },
      );
    await probes?.close();
    await invoker.close();
    o.client.close();
    await o.afterStop?.();
  };
  const term = o.term ?? createTerminal('text');
  if (o.signals) onShutdown(stop, term);
  printSchedulerEvents(scheduler, { tasks: o.taskLines, term });
  return {
    scheduler,
    invoker,
    stop,
    async openConsole(listen, more = [], operatorSecret) {
      if (!listen) return;
      web = await startLiveConsole({
        listen,
        config: o.config,
        client: o.client,
        invoker,
        credentials: o.credentials,
        scheduler,
        more,
        operatorSecret,
        term,
      });
    },
    async openProbes(listen) {
      if (!listen) return;
      const metrics = new TriggerMetrics();
      metrics.attach(scheduler, o.config);
      probes = await startProbeServer({ ...listen, registries: [metrics.registry], readiness: () => readinessOf(scheduler.health()) });
      term.line('info', `metrics  ${probes.url}metrics  (probes ${probes.url}healthz, ${probes.url}readyz)`, {
        metricsUrl: `${probes.url}metrics`,
      });
    },
  };
}
