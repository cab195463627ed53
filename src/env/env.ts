// The one place that reads the environment. Names are the ones Alibaba Cloud tools and FC use.
import { SlsArgumentError } from '../errors/index.js';
export interface EnvCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export const ENV = {
  accessKeyId: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
  accessKeySecret: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  securityToken: 'ALIBABA_CLOUD_SECURITY_TOKEN',
  /** SPL a createHandler function pulls through, over its `spl` option (replay --spl sets it) */
  spl: 'SLS_TRIGGER_SPL',
} as const;

export function envString(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Credentials from the environment, or undefined when neither key is set; names the missing one otherwise. */
export function envCredentials(env: NodeJS.ProcessEnv = process.env): EnvCredentials | undefined {
  const accessKeyId = envString(ENV.accessKeyId, env);
  const accessKeySecret = envString(ENV.accessKeySecret, env);
  if (!accessKeyId && !accessKeySecret) return undefined;
  if (!accessKeyId) throw new SlsArgumentError(`${ENV.accessKeyId} is not set (${ENV.accessKeySecret} is)`);
  if (!accessKeySecret) throw new SlsArgumentError(`${ENV.accessKeySecret} is not set (${ENV.accessKeyId} is)`);
  const securityToken = envString(ENV.securityToken, env);
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}
