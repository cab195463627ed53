// Credentials that change while the process runs (STS keys of an ECS RAM role, an RRSA role on ACK,
// a credentials URI). One source per process: every client and invoker asks it for the current keys
// and it asks its provider again only every `refreshIntervalMs`, or at once when SLS refuses the keys
// (LogClient.send). The provider (@alicloud/credentials, see env/credentialChain.ts) fetches new STS
// keys itself 15 minutes before they expire, so asking it while its keys are fresh costs no request.
import type { Credentials } from '../codec/index.js';
import { CredentialsError } from '../errors/index.js';

/** What @alicloud/credentials' providers answer (the only part used). */
export interface CredentialsProvider {
  getCredentials(): Promise<{ accessKeyId: string; accessKeySecret: string; securityToken?: string; providerName?: string }>;
}

export interface CredentialSource {
  /** the keys to sign with now (cached; never one provider call per request) */
  current(): Promise<Credentials>;
  /** asks the provider again at once (the keys were refused); concurrent callers share one call */
  refresh(): Promise<Credentials>;
  /** where the keys come from, for messages: "env", "credential_uri", "oidc_role_arn", ... */
  readonly origin: string;
}

/** Static keys, or a source of rotating ones. */
export type CredentialsInput = Credentials | CredentialSource;

export function isCredentialSource(c: unknown): c is CredentialSource {
  return typeof c === 'object' && c !== null && typeof (c as CredentialSource).current === 'function';
}

/** The keys to use now, whichever kind `c` is. */
export function currentCredentials(c: CredentialsInput): Promise<Credentials> {
  return isCredentialSource(c) ? c.current() : Promise.resolve(c);
}

export interface RefreshingCredentialsOptions {
  readonly provider: CredentialsProvider;
  /** shown in messages (default: the provider's own name) */
  readonly origin?: string;
  /** how long keys are used before the provider is asked again (default 60 000 ms) */
  readonly refreshIntervalMs?: number;
  /** after a failed refresh with keys still in hand, how soon to ask again (default 5 000 ms) */
  readonly retryAfterErrorMs?: number;
  readonly now?: () => number;
  /** a refresh failed while older keys were kept */
  readonly onError?: (e: Error) => void;
  /** new keys arrived (a different AccessKeyId or security token) */
  readonly onRotate?: (origin: string) => void;
}

export const CREDENTIAL_DEFAULTS = { refreshIntervalMs: 60_000, retryAfterErrorMs: 5_000 } as const;

export class RefreshingCredentials implements CredentialSource {
  private value: Credentials | undefined;
  private nextRefreshAt = 0;
  private inflight: Promise<Credentials> | undefined;
  private providerName: string | undefined;

  constructor(private readonly opts: RefreshingCredentialsOptions) {}

  get origin(): string {
    return this.opts.origin ?? this.providerName ?? 'provider';
  }

  current(): Promise<Credentials> {
    if (this.value && this.now() < this.nextRefreshAt) return Promise.resolve(this.value);
    return this.refresh();
  }

  refresh(): Promise<Credentials> {
    this.inflight ??= this.load().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private async load(): Promise<Credentials> {
    try {
      const got = await this.opts.provider.getCredentials();
      const next: Credentials = got.securityToken
        ? { accessKeyId: got.accessKeyId, accessKeySecret: got.accessKeySecret, securityToken: got.securityToken }
        : { accessKeyId: got.accessKeyId, accessKeySecret: got.accessKeySecret };
      this.providerName = got.providerName ?? this.providerName;
      const rotated = this.value !== undefined && !sameKeys(this.value, next);
      this.value = next;
      this.nextRefreshAt = this.now() + (this.opts.refreshIntervalMs ?? CREDENTIAL_DEFAULTS.refreshIntervalMs);
      if (rotated) this.opts.onRotate?.(this.origin);
      return next;
    } catch (e) {
      const err = new CredentialsError(`credentials from ${this.origin}: ${(e as Error).message}`, { cause: e });
      if (!this.value) throw err;
      // Keys still in hand may still be valid: keep signing with them, ask again soon.
      this.nextRefreshAt = this.now() + (this.opts.retryAfterErrorMs ?? CREDENTIAL_DEFAULTS.retryAfterErrorMs);
      this.opts.onError?.(err);
      return this.value;
    }
  }
}

export function sameKeys(a: Credentials, b: Credentials): boolean {
  return a.accessKeyId === b.accessKeyId && a.accessKeySecret === b.accessKeySecret && a.securityToken === b.securityToken;
}

/**
 * SLS error codes that mean "these keys are not (or no longer) good" — the ones the official
 * Python SDK refreshes on (../shared/spec/sls-protocol.md §8.3): an expired STS token answers 401
 * Unauthorized.
 */
export function isAuthRejection(code: string | undefined): boolean {
  return code !== undefined && (code === 'Unauthorized' || code.startsWith('InvalidAccessKeyId') || code.startsWith('SecurityToken'));
}
