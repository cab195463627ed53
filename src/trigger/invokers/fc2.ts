// FC 2.0 invoker: @alicloud/fc2 invokeFunction, synchronous as the real log trigger calls it, with log
// tail. A function error is HTTP 200 + X-Fc-Error-Type (counted against the function); throttling
// (429), server errors (5xx) and network failures are transport errors, retried without counting.
// Other 4xx (a missing function, bad credentials) are counted: the trigger's policy applies.
import { createRequire } from 'node:module';
import { answerOf, failureOf, SYNC_WITH_TAIL } from './fcShared.js';
import type { InvokeOutcome, InvokeRequest, Invoker } from './types.js';
import type { Credentials } from '../../codec/index.js';
import { currentCredentials, type CredentialsInput } from '../../client/index.js';
import { clientPerKeys } from './fcShared.js';

export interface FcInvokerOptions {
  readonly accountId: string;
  readonly region: string;
  readonly serviceName: string;
  readonly functionName: string;
  readonly qualifier?: string;
  /** override, e.g. http://127.0.0.1:9000 (default https://<account>.<region>.fc.aliyuncs.com) */
  readonly endpoint?: string;
  /** static keys, or the process's rotating source (each call signs with its current keys) */
  readonly credentials: CredentialsInput;
  readonly timeoutMs?: number;
}

interface Fc2Client {
  invokeFunction(
    s: string,
    f: string,
    event: Buffer,
    headers: Record<string, string>,
    qualifier?: string,
    opts?: { rawBuf?: boolean },
  ): Promise<{ headers: Record<string, string>; data: unknown }>;
}
type Fc2Ctor = new (accountId: string, config: Record<string, unknown>) => Fc2Client;

const FC2 = createRequire(import.meta.url)('@alicloud/fc2') as Fc2Ctor;

export class FcInvoker implements Invoker {
  private readonly clientFor: (keys: Credentials) => Fc2Client;

  constructor(private readonly opts: FcInvokerOptions) {
    this.clientFor = clientPerKeys(
      (keys) =>
        new FC2(opts.accountId, {
          accessKeyID: keys.accessKeyId,
          accessKeySecret: keys.accessKeySecret,
          securityToken: keys.securityToken,
          region: opts.region,
          secure: true,
          endpoint: opts.endpoint,
          timeout: opts.timeoutMs ?? 600_000,
        }),
    );
  }

  async invoke(req: InvokeRequest): Promise<InvokeOutcome> {
    const o = this.opts;
    try {
      const client = this.clientFor(await currentCredentials(o.credentials));
      const res = await client.invokeFunction(o.serviceName, o.functionName, req.event, { ...SYNC_WITH_TAIL }, o.qualifier, {
        rawBuf: true,
      });
      const body = Buffer.isBuffer(res.data) ? res.data : Buffer.from(typeof res.data === 'string' ? res.data : JSON.stringify(res.data));
      return answerOf(res.headers, body, req.requestId);
    } catch (e) {
      const err = e as Error;
      // @alicloud/fc2 names the status only in the message
      return failureOf(err, Number(/failed with (\d{3})/.exec(err.message)?.[1] ?? 0), req.requestId);
    }
  }

  async close(): Promise<void> {}
}
