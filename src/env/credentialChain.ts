// Where a process's credentials come from when the job config names none: the first source the
// environment configures, in an order that never waits on the ECS metadata service while a
// credentials URI, an RRSA role or a profile is there (docs/operations.md, "Credentials").
// Every rotating source is one of @alicloud/credentials' own providers; this file only chooses.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { SlsArgumentError } from '../errors/index.js';
import { ENV, envCredentials, envString, type EnvCredentials } from './env.js';

/** The variables read here besides the keys (names as Alibaba Cloud's credential libraries use them). */
export const CHAIN_ENV = {
  roleArn: 'ALIBABA_CLOUD_ROLE_ARN',
  oidcProviderArn: 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  oidcTokenFile: 'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  stsEndpoint: 'ALIBABA_CLOUD_STS_ENDPOINT',
  credentialsUri: 'ALIBABA_CLOUD_CREDENTIALS_URI',
  credentialsFile: 'ALIBABA_CLOUD_CREDENTIALS_FILE',
  cliProfileDisabled: 'ALIBABA_CLOUD_CLI_PROFILE_DISABLED',
  ecsMetadataDisabled: 'ALIBABA_CLOUD_ECS_METADATA_DISABLED',
  ecsRoleName: 'ALIBABA_CLOUD_ECS_METADATA',
} as const;

interface LibraryProvider {
  getCredentials(): Promise<{ accessKeyId: string; accessKeySecret: string; securityToken?: string; providerName?: string }>;
}
interface Builder {
  [method: string]: (...a: never[]) => Builder | LibraryProvider;
}
type ProviderClass = { builder(): Builder };
type Library = Record<
  | 'OIDCRoleArnCredentialsProvider'
  | 'URICredentialsProvider'
  | 'CLIProfileCredentialsProvider'
  | 'ProfileCredentialsProvider'
  | 'ECSRAMRoleCredentialsProvider',
  ProviderClass
>;

export type CredentialChoice =
  | { readonly kind: 'static'; readonly origin: string; readonly credentials: EnvCredentials }
  | { readonly kind: 'provider'; readonly origin: string; readonly provider: LibraryProvider }
  | { readonly kind: 'none' };

export interface ChainOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly homedir?: string;
  /** the endpoint is the embedded LogHub on this machine: the metadata service is never asked */
  readonly loopback?: boolean;
}

const isTrue = (v: string | undefined) => v?.toLowerCase() === 'true';

function build(b: Builder, calls: [string, ...unknown[]][]): LibraryProvider {
  let at: Builder = b;
  for (const [method, ...args] of calls) at = (at[method] as (...a: unknown[]) => Builder)(...args);
  return (at.build as () => LibraryProvider)();
}

/**
 * The first configured source: env keys, then an RRSA/OIDC role, a credentials URI, the aliyun
 * CLI's profile, the credentials file — and only then, for an endpoint that is not loopback, the
 * ECS instance's RAM role. `none` means "nothing configured, loopback": the caller uses the
 * embedded LogHub's default key.
 */
export function chooseCredentials(opts: ChainOptions = {}): CredentialChoice {
  const env = opts.env ?? process.env;
  const fromEnv = envCredentials(env);
  if (fromEnv) return { kind: 'static', origin: 'env', credentials: fromEnv };
  const lib = createRequire(import.meta.url)('@alicloud/credentials') as Library;
  const home = opts.homedir ?? os.homedir();
  const roleArn = envString(CHAIN_ENV.roleArn, env);
  const oidcArn = envString(CHAIN_ENV.oidcProviderArn, env);
  const oidcFile = envString(CHAIN_ENV.oidcTokenFile, env);
  if (roleArn && oidcArn && oidcFile) {
    const sts = envString(CHAIN_ENV.stsEndpoint, env);
    const calls: [string, ...unknown[]][] = [
      ['withRoleArn', roleArn],
      ['withOIDCProviderArn', oidcArn],
      ['withOIDCTokenFilePath', oidcFile],
    ];
    if (sts) calls.push(['withStsEndpoint', sts]);
    return { kind: 'provider', origin: 'oidc_role_arn', provider: build(lib.OIDCRoleArnCredentialsProvider.builder(), calls) };
  }
  const uri = envString(CHAIN_ENV.credentialsUri, env);
  if (uri)
    return {
      kind: 'provider',
      origin: 'credential_uri',
      provider: build(lib.URICredentialsProvider.builder(), [['withCredentialsURI', uri]]),
    };
  if (!isTrue(envString(CHAIN_ENV.cliProfileDisabled, env)) && existsSync(path.join(home, '.aliyun', 'config.json')))
    return { kind: 'provider', origin: 'cli_profile', provider: build(lib.CLIProfileCredentialsProvider.builder(), []) };
  if (existsSync(envString(CHAIN_ENV.credentialsFile, env) ?? path.join(home, '.alibabacloud', 'credentials')))
    return { kind: 'provider', origin: 'profile', provider: build(lib.ProfileCredentialsProvider.builder(), []) };
  if (opts.loopback) return { kind: 'none' };
  if (isTrue(envString(CHAIN_ENV.ecsMetadataDisabled, env))) throw noCredentials();
  const role = envString(CHAIN_ENV.ecsRoleName, env);
  try {
    return {
      kind: 'provider',
      origin: 'ecs_ram_role',
      provider: build(lib.ECSRAMRoleCredentialsProvider.builder(), role ? [['withRoleName', role]] : []),
    };
  } catch (e) {
    // the library reads ALIBABA_CLOUD_ECS_METADATA_DISABLED from process.env itself
    throw noCredentials(e);
  }
}

function noCredentials(cause?: unknown): SlsArgumentError {
  return new SlsArgumentError(
    `no credentials: set ${ENV.accessKeyId} and ${ENV.accessKeySecret}, or ${CHAIN_ENV.credentialsUri}, or ` +
      `${CHAIN_ENV.roleArn} with ${CHAIN_ENV.oidcProviderArn} and ${CHAIN_ENV.oidcTokenFile} (RRSA), or write a profile to ` +
      `~/.alibabacloud/credentials (or "credentials" in the config); the ECS RAM role is not asked while ` +
      `${CHAIN_ENV.ecsMetadataDisabled}=true`,
    { cause },
  );
}
