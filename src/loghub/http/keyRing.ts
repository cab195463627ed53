// The keys the LogHub accepts: the configured pairs, plus (accessKeysFile) a JSON file of keys with
// STS tokens and expiry that another process rewrites while the LogHub runs — how a test (or a
// local credentials URI) makes the LogHub accept only the tokens that are valid now, as real SLS does.
import { readFileSync, statSync } from 'node:fs';
import { SlsArgumentError } from '../../errors/index.js';

export interface AccessKey {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** when set, requests must carry exactly this x-acs-security-token */
  readonly securityToken?: string;
  /** ISO 8601 (as STS answers it): after this the token is refused as expired */
  readonly expiration?: string;
}

export interface AcceptedKey {
  readonly secret: string;
  readonly securityToken?: string;
  readonly expiresAtMs?: number;
}

export interface KeyRing {
  /** the key for this id; `token` is the request's security token (a changed one makes a file ring look again) */
  lookup(accessKeyId: string, token: string | undefined): AcceptedKey | undefined;
}

function accepted(k: AccessKey, where: string): [string, AcceptedKey] {
  if (typeof k?.accessKeyId !== 'string' || typeof k.accessKeySecret !== 'string')
    throw new SlsArgumentError(`${where}: every key needs a string accessKeyId and accessKeySecret`);
  const expiresAtMs = k.expiration === undefined ? undefined : Date.parse(k.expiration);
  if (expiresAtMs !== undefined && Number.isNaN(expiresAtMs))
    throw new SlsArgumentError(`${where}: key ${k.accessKeyId} has expiration ${JSON.stringify(k.expiration)}, not an ISO 8601 time`);
  return [k.accessKeyId, { secret: k.accessKeySecret, securityToken: k.securityToken, expiresAtMs }];
}

export function staticKeyRing(keys: readonly AccessKey[]): KeyRing {
  const map = new Map(keys.map((k) => accepted(k, 'accessKeys')));
  return { lookup: (id) => map.get(id) };
}

/**
 * Keys from `file`, read again (only when its mtime or size changed) when a request names a key id
 * or token the ring does not know: the file is rewritten by whoever hands out tokens, and a stat on a
 * miss is the whole cost. `fixed` keys are always accepted too.
 */
export function fileKeyRing(file: string, fixed: readonly AccessKey[]): KeyRing {
  const base = staticKeyRing(fixed);
  let map = new Map<string, AcceptedKey>();
  let seen = '';
  const load = (): void => {
    const st = statSync(file, { throwIfNoEntry: false });
    const stamp = st ? `${st.mtimeMs}:${st.size}` : 'missing';
    if (stamp === seen) return;
    seen = stamp;
    if (!st) {
      map = new Map();
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      seen = ''; // a half-written file: look again on the next miss
      throw new SlsArgumentError(`accessKeysFile ${file}: ${(e as Error).message}`, { cause: e });
    }
    if (!Array.isArray(parsed)) throw new SlsArgumentError(`accessKeysFile ${file}: expected a JSON array of keys`);
    map = new Map(parsed.map((k: AccessKey) => accepted(k, `accessKeysFile ${file}`)));
  };
  load();
  return {
    lookup(id, token) {
      const known = base.lookup(id, token) ?? map.get(id);
      if (known && (known.securityToken === undefined || known.securityToken === token)) return known;
      load();
      return base.lookup(id, token) ?? map.get(id);
    },
  };
}
