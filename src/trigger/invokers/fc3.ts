// FC 3.0 invoker: @alicloud/fc20230330 InvokeFunction (POST /2023-03-30/functions/{name}/invocations,
// qualifier as a query parameter, signed ACS3-HMAC-SHA256 by @alicloud/openapi-core), synchronous
// with log tail, answers read and failures classified exactly as the FC 2.0 invoker does
// (fcShared.ts). No SDK-level retries: the scheduler retries transport errors itself.
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { answerOf, failureOf, SYNC_WITH_TAIL, clientPerKeys } from './fcShared.js';
import type { InvokeOutcome, InvokeRequest, Invoker } from './types.js';
import type { Credentials } from '../../codec/index.js';
import { currentCredentials, type CredentialsInput } from '../../client/index.js';

export interface Fc3InvokerOptions {
  readonly accountId: string;
  readonly region: string;
  readonly functionName: string;
  /** a version or alias (default: LATEST) */
  readonly qualifier?: string;
  /** override, e.g. http://127.0.0.1:9000 (default https://<account>.<region>.fc.aliyuncs.com) */
  readonly endpoint?: string;
  /** static keys, or the process's rotating source (each call signs with its current keys) */
  readonly credentials: CredentialsInput;
  readonly timeoutMs?: number;
}

interface Fc3Response {
  headers?: Record<string, string>;
  statusCode?: number;
  body?: Readable;
}
interface Fc3Client {
  invokeFunctionWithOptions(name: string, request: unknown, headers: unknown, runtime: unknown): Promise<Fc3Response>;
}
interface Fc3Module {
  default: new (config: unknown) => Fc3Client;
  InvokeFunctionRequest: new (m: { body: Readable; qualifier?: string }) => unknown;
  InvokeFunctionHeaders: new (m: { xFcInvocationType: string; xFcLogType: string }) => unknown;
}
interface OpenApiCore {
  $OpenApiUtil: { Config: new (m: Record<string, unknown>) => unknown };
}
interface DaraModule {
  RuntimeOptions: new (m: Record<string, unknown>) => unknown;
}

const require = createRequire(import.meta.url);
const FC3 = require('@alicloud/fc20230330') as Fc3Module;
const CORE = require('@alicloud/openapi-core') as OpenApiCore;
const DARA = require('@darabonba/typescript') as DaraModule;

/** The invoke endpoint as openapi-core takes it: host[:port] and a protocol. */
function endpointOf(o: Fc3InvokerOptions): { endpoint: string; protocol: string } {
  if (!o.endpoint) return { endpoint: `${o.accountId}.${o.region}.fc.aliyuncs.com`, protocol: 'https' };
  const u = new URL(/^[a-z]+:\/\//.test(o.endpoint) ? o.endpoint : `https://${o.endpoint}`);
  return { endpoint: u.host, protocol: u.protocol.replace(':', '') };
}

async function readAll(body: Readable | undefined): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

export class Fc3Invoker implements Invoker {
  private readonly clientFor: (keys: Credentials) => Fc3Client;

  constructor(private readonly opts: Fc3InvokerOptions) {
    const timeout = opts.timeoutMs ?? 600_000;
    this.clientFor = clientPerKeys(
      (keys) =>
        new FC3.default(
          new CORE.$OpenApiUtil.Config({
            accessKeyId: keys.accessKeyId,
            accessKeySecret: keys.accessKeySecret,
            securityToken: keys.securityToken,
            regionId: opts.region,
            ...endpointOf(opts),
            readTimeout: timeout,
            connectTimeout: Math.min(timeout, 10_000),
          }),
        ),
    );
  }

  async invoke(req: InvokeRequest): Promise<InvokeOutcome> {
    const o = this.opts;
    try {
      const client = this.clientFor(await currentCredentials(o.credentials));
      const res = await client.invokeFunctionWithOptions(
        o.functionName,
        new FC3.InvokeFunctionRequest({ body: Readable.from([req.event]), qualifier: o.qualifier }),
        new FC3.InvokeFunctionHeaders({
          xFcInvocationType: SYNC_WITH_TAIL['x-fc-invocation-type'],
          xFcLogType: SYNC_WITH_TAIL['x-fc-log-type'],
        }),
        new DARA.RuntimeOptions({ readTimeout: o.timeoutMs, autoretry: false }),
      );
      return answerOf(res.headers ?? {}, await readAll(res.body), req.requestId);
    } catch (e) {
      const err = e as Error & { statusCode?: number };
      return failureOf(err, Number(err.statusCode ?? 0), req.requestId);
    }
  }

  async close(): Promise<void> {}
}
