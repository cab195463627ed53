// A small Splunk HTTP Event Collector client: POST /services/collector/event with
// "Authorization: Splunk <token>", newline-separated JSON events; retries 5xx, 429 and network
// errors with exponential backoff; a 4xx (bad token, bad index) fails at once.
import http from 'node:http';
import https from 'node:https';

export interface HecOptions {
  endpoint: string;
  token: string;
  verifyTls: boolean;
  timeoutMs: number;
  retries: number;
}

export class HecError extends Error {
  override readonly name = 'HecError';
  constructor(
    message: string,
    readonly status: number,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

export class HecClient {
  private readonly url: URL;
  private readonly agent: http.Agent;

  constructor(private readonly o: HecOptions) {
    this.url = new URL('/services/collector/event', o.endpoint);
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, rejectUnauthorized: o.verifyTls })
        : new http.Agent({ keepAlive: true });
  }

  private once(body: Buffer): Promise<void> {
    const lib = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { authorization: `Splunk ${this.o.token}`, 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            const status = res.statusCode ?? 0;
            if (status === 200) return resolve();
            reject(new HecError(`HEC answered ${status}: ${text}`, status, status >= 500 || status === 429));
          });
        },
      );
      req.setTimeout(this.o.timeoutMs, () => req.destroy(new HecError(`HEC request timed out after ${this.o.timeoutMs} ms`, 0, true)));
      req.on('error', (e) =>
        reject(
          e instanceof HecError ? e : new HecError(`HEC request failed: ${e.message}`, 0, !/certificate|self.signed|CERT/i.test(e.message)),
        ),
      );
      req.end(body);
    });
  }

  async send(events: readonly object[]): Promise<void> {
    if (events.length === 0) return;
    const body = Buffer.from(events.map((e) => JSON.stringify(e)).join('\n'));
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(body);
      } catch (e) {
        if (!(e instanceof HecError) || !e.retriable || attempt >= this.o.retries) throw e;
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }
}
