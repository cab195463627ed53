// Loading a trigger job for the CLI: JSON config or s.yaml, flag overrides, credentials.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LogClient } from '../client/index.js';
import { parseEndpoint } from '../client/endpoint.js';
import { envCredentials, ENV } from '../config/env.js';
import { DEFAULT_ACCESS_KEY } from '../loghub/index.js';
import { jobFromSYaml, parseJobConfig, type JobConfig, type JobConfigInput } from '../trigger/index.js';

export interface JobFlags {
  config: string;
  trigger?: string;
  endpoint?: string;
  module?: string;
  jobName?: string;
}

export function readJobInput(file: string, triggerName?: string): JobConfigInput {
  if (/\.ya?ml$/i.test(file)) return jobFromSYaml(file, { triggerName });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
  }
  const input = raw as JobConfigInput;
  // A relative module path in a JSON config is relative to the config file.
  if (input?.target?.type === 'local' && input.target.module && !path.isAbsolute(input.target.module)) {
    input.target.module = path.resolve(path.dirname(file), input.target.module);
  }
  return input;
}

export function loadJob(flags: JobFlags): JobConfig {
  const input = readJobInput(flags.config, flags.trigger);
  if (flags.endpoint) input.endpoint = flags.endpoint;
  if (flags.jobName) input.jobName = flags.jobName;
  if (flags.module && input.target.type === 'local') input.target.module = path.resolve(flags.module);
  return parseJobConfig(input);
}

/**
 * Credentials: the config's, else the environment's, else — only for a loopback endpoint — the
 * embedded LogHub's default key.
 */
export function credentialsFor(endpoint: string, fromConfig?: { accessKeyId: string; accessKeySecret: string; securityToken?: string }) {
  const c = fromConfig ?? envCredentials();
  if (c) return c;
  if (parseEndpoint(endpoint).direct) return DEFAULT_ACCESS_KEY;
  throw new Error(`no credentials: set ${ENV.accessKeyId} and ${ENV.accessKeySecret} (or "credentials" in the config)`);
}

export function clientFor(endpoint: string, creds: ReturnType<typeof credentialsFor>): LogClient {
  return new LogClient({ endpoint, credentials: creds, retry: { retries: 3 } });
}
