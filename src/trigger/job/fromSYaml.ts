// Reads a trigger job from a Serverless Devs s.yaml (edition 3.0.0, component fc3): one file
// describes the cloud deployment and the local run. The function's log trigger becomes the job; the
// function's code/handler/initializer/timeout/logConfig become the local target.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { compile, ValidationError } from '../../validate/schema.js';
import fc3Schema from './fc3.schema.json' with { type: 'json' };
import type { Fc3Target, JobConfigInput, LocalTarget } from './config.js';

export interface SYamlOptions {
  /** which log trigger, by triggerName (default: the first) */
  readonly triggerName?: string;
  /** value for ${config("AccountID")} (default: $ALIBABA_CLOUD_ACCOUNT_ID or "local") */
  readonly accountId?: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * what the job invokes: the function's code locally (default), or the deployed function on FC 3.0
   * (the fc3 component deploys there), named by region, account and the trigger's qualifier
   */
  readonly target?: 'local' | 'fc';
  /** FC 3.0 invoke endpoint (default: $FC_CLIENT_CUSTOM_ENDPOINT, as Serverless Devs honours it, else FC's own) */
  readonly fcEndpoint?: string;
  /** told of what reads as empty: an ${env("X")} whose variable is not set */
  readonly onWarning?: (message: string) => void;
}

interface Fc3Props {
  region?: string;
  functionName?: string;
  code?: string;
  handler?: string;
  timeout?: number;
  logConfig?: { project?: string; logstore?: string } | 'auto';
  instanceLifecycleConfig?: { initializer?: { handler?: string } };
  triggers?: Array<{
    triggerName?: string;
    triggerType?: string;
    sourceArn?: string;
    qualifier?: string;
    triggerConfig?: Record<string, unknown>;
  }>;
}

/** Replaces ${vars.x}, ${config("AccountID")} and ${env("X")} / ${env.X} the way Serverless Devs does. */
export function interpolate(
  text: string,
  vars: Record<string, unknown>,
  accountId: string,
  env: NodeJS.ProcessEnv,
  unset: Set<string> = new Set(),
): string {
  return text.replace(/\$\{\s*([^}]+?)\s*\}/g, (whole, expr: string) => {
    const v = /^vars\.([\w-]+)$/.exec(expr);
    if (v) return vars[v[1]] === undefined ? whole : String(vars[v[1]]);
    if (/^config\(\s*['"]AccountID['"]\s*\)$/.test(expr)) return accountId;
    const e = /^env\(\s*['"]([\w]+)['"]\s*\)$/.exec(expr) ?? /^env\.([\w]+)$/.exec(expr);
    if (e) {
      if (env[e[1]] === undefined) unset.add(e[1]);
      return env[e[1]] ?? '';
    }
    return whole;
  });
}

function resolveModule(dir: string, code: string | undefined, handler: string): { module: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new ValidationError('s.yaml', [`handler ${handler} must look like <file>.<export>`]);
  const file = handler.slice(0, dot);
  const codeDir = path.resolve(dir, code ?? '.');
  const candidates = ['.js', '.mjs', '.cjs', '.ts'].map((ext) => path.join(codeDir, file + ext));
  // A TypeScript project keeps its source in src/ while `code` points at the build output (dist/).
  candidates.push(path.join(path.dirname(codeDir), 'src', `${file}.ts`), path.join(dir, 'src', `${file}.ts`));
  const found = candidates.find((c) => existsSync(c));
  return { module: found ?? candidates[0], exportName: handler.slice(dot + 1) };
}

function localTarget(file: string, props: Fc3Props, name: string): LocalTarget {
  const { module, exportName } = resolveModule(path.dirname(path.resolve(file)), props.code, props.handler ?? 'index.handler');
  const init = props.instanceLifecycleConfig?.initializer?.handler;
  const target: LocalTarget = { type: 'local', module, handler: exportName, functionName: props.functionName ?? name };
  if (init) target.initializer = init.slice(init.lastIndexOf('.') + 1);
  if (props.logConfig && props.logConfig !== 'auto' && props.logConfig.project && props.logConfig.logstore) {
    target.processLog = { project: props.logConfig.project, logstore: props.logConfig.logstore };
  }
  return target;
}

/** The deployed function on FC 3.0: what `s deploy` created from these props. */
function fc3Target(props: Fc3Props, name: string, qualifier: string | undefined, at: { accountId?: string; endpoint?: string }): Fc3Target {
  const problems: string[] = [];
  if (!at.accountId)
    problems.push('the FC target needs the account id: set ALIBABA_CLOUD_ACCOUNT_ID (what ${config("AccountID")} stands for)');
  if (!props.region) problems.push(`resources.${name}.props.region is required for the FC target`);
  if (problems.length > 0) throw new ValidationError('s.yaml', problems);
  const target: Fc3Target = { type: 'fc3', accountId: at.accountId!, region: props.region!, functionName: props.functionName ?? name };
  if (qualifier) target.qualifier = qualifier;
  if (at.endpoint) target.endpoint = at.endpoint;
  return target;
}

const definitions = (fc3Schema as { definitions: Record<string, object> }).definitions;
const checkLogTriggerConfig = compile<unknown>({ ...definitions.logTriggerConfig, definitions }, 'triggerConfig');

/**
 * Fields an FC log trigger does not have are refused, not ignored: sls-trigger's own options
 * written there (pollIntervalMs, say) would otherwise do nothing without a word. Only unknown
 * fields: a missing one is left to FC's own defaults, as before.
 */
function refuseUnknownFields(file: string, where: string, triggerConfig: unknown): void {
  const suffix = ' is not a known field';
  const unknown = checkLogTriggerConfig
    .check(triggerConfig)
    .filter((p) => p.endsWith(suffix))
    .map((p) => p.slice(0, -suffix.length));
  if (unknown.length === 0) return;
  throw new ValidationError(file, [
    `${where}.triggerConfig: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of an FC log trigger ` +
      "(sourceConfig, jobConfig, functionParameter, logConfig, enable); sls-trigger's own options such as pollIntervalMs or " +
      "bisectOnError go in a JSON job config for run (docs/configuration.md), or in dev's flags (--poll-interval, --batching-window, --bisect: docs/cli.md)",
  ]);
}

export function jobFromSYaml(file: string, opts: SYamlOptions = {}): JobConfigInput {
  const env = opts.env ?? process.env;
  const raw = parse(readFileSync(file, 'utf8')) as {
    vars?: Record<string, unknown>;
    resources?: Record<string, { component?: string; props?: Fc3Props }>;
  };
  // `local` only fills ${config("AccountID")} for a local run; the FC target insists on a real one.
  const accountId = opts.accountId ?? env.ALIBABA_CLOUD_ACCOUNT_ID ?? 'local';
  const unset = new Set<string>();
  const doc = parse(interpolate(readFileSync(file, 'utf8'), raw?.vars ?? {}, accountId, env, unset)) as typeof raw;
  // Serverless Devs reads an unset variable as empty too; said once, a missing token is not a mystery later
  if (unset.size > 0)
    opts.onWarning?.(
      `${file}: ${[...unset].map((n) => `\${env('${n}')}`).join(', ')} not set in the environment: read as empty (a field holding only that has no value: null)`,
    );
  for (const [name, res] of Object.entries(doc?.resources ?? {})) {
    const props = res.props ?? {};
    if (!String(res.component ?? '').startsWith('fc3') || !props.triggers) continue;
    const trig = props.triggers.find((t) => t.triggerType === 'log' && (!opts.triggerName || t.triggerName === opts.triggerName));
    if (!trig) continue;
    refuseUnknownFields(file, `resources.${name}.props.triggers.${trig.triggerName ?? 'log'}`, trig.triggerConfig ?? {});
    const tc = (trig.triggerConfig ?? {}) as Record<string, unknown> & Pick<JobConfigInput, 'sourceConfig' | 'jobConfig' | 'logConfig'>;
    const target =
      opts.target === 'fc'
        ? fc3Target(props, name, trig.qualifier, {
            accountId: opts.accountId ?? env.ALIBABA_CLOUD_ACCOUNT_ID,
            endpoint: opts.fcEndpoint ?? env.FC_CLIENT_CUSTOM_ENDPOINT,
          })
        : localTarget(file, props, name);
    const job: JobConfigInput = {
      endpoint: props.region ? `https://${props.region}.log.aliyuncs.com` : undefined,
      sourceArn: trig.sourceArn,
      sourceConfig: tc.sourceConfig,
      jobConfig: tc.jobConfig,
      functionParameter: (tc.functionParameter as Record<string, unknown> | undefined) ?? {},
      logConfig: tc.logConfig,
      enable: tc.enable as boolean | undefined,
      target,
    };
    if (props.timeout) job.invocationTimeoutSeconds = props.timeout;
    return job;
  }
  throw new ValidationError('s.yaml', [
    `${file} has no fc3 function with a log trigger${opts.triggerName ? ` named ${opts.triggerName}` : ''}`,
  ]);
}

/** What FC calls in one fc3 function of an s.yaml: its code directory and the handler/initializer names. */
export interface FunctionEntryPoints {
  readonly resource: string;
  /** `code` as written (default '.') */
  readonly code: string;
  /** e.g. index.handler */
  readonly handler: string;
  /** e.g. index.initialize, when instanceLifecycleConfig names one */
  readonly initializer?: string;
}

/** Every fc3 function's entry points (what `build` checks the bundle against). */
export function functionEntryPoints(file: string): FunctionEntryPoints[] {
  const doc = parse(readFileSync(file, 'utf8')) as { resources?: Record<string, { component?: string; props?: Fc3Props }> } | null;
  return Object.entries(doc?.resources ?? {})
    .filter(([, res]) => String(res.component ?? '').startsWith('fc3'))
    .map(([resource, res]) => {
      const props = res.props ?? {};
      const initializer = props.instanceLifecycleConfig?.initializer?.handler;
      return { resource, code: props.code ?? '.', handler: props.handler ?? 'index.handler', ...(initializer ? { initializer } : {}) };
    });
}

const validateFc3 = compile<unknown>(fc3Schema, 's.yaml');

/**
 * Checks an s.yaml against the fc3 subset sls-trigger reads (fc3.schema.json) and FC's rule that
 * a log trigger's logConfig.logstore differs from its source logstore. Returns the problems found.
 */
export function checkSYaml(file: string, opts: SYamlOptions = {}): string[] {
  const env = opts.env ?? process.env;
  const text = readFileSync(file, 'utf8');
  const raw = parse(text) as { vars?: Record<string, unknown> };
  const doc = parse(interpolate(text, raw?.vars ?? {}, opts.accountId ?? 'local', env)) as {
    resources?: Record<string, { props?: Fc3Props }>;
  };
  const problems = validateFc3.check(doc);
  for (const [name, res] of Object.entries(doc?.resources ?? {})) {
    for (const t of res.props?.triggers ?? []) {
      const tc = t.triggerConfig as
        { sourceConfig?: { logstore?: string }; logConfig?: { project?: string; logstore?: string } } | undefined;
      const srcProject = /project\/([^/]+)$/.exec(t.sourceArn ?? '')?.[1];
      if (t.triggerType === 'log' && tc?.logConfig?.logstore === tc?.sourceConfig?.logstore && tc?.logConfig?.project === srcProject) {
        problems.push(`resources.${name}.props.triggers.${t.triggerName}: logConfig.logstore must differ from sourceConfig.logstore`);
      }
    }
  }
  return problems;
}
