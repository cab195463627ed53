// A raw TCP server speaking just enough HTTP/1.1 to misbehave the way networks do, for the client's
// own transport (test/client/wire.test.ts, test/client/pipelining.test.ts).
import type { TestContext } from 'node:test';
import net from 'node:net';
import type { LogClient } from '../../src/client/index.js';

export const cursorAnswer = (cursor: string, extra = '') => {
  const body = JSON.stringify({ cursor });
  return `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-log-requestid: R1\r\n${extra}content-length: ${body.length}\r\n\r\n${body}`;
};

export interface RawRequest {
  readonly head: string;
  readonly connection: number;
  readonly index: number;
}

/** A TCP server that hands each complete request head (bodies by content-length) to `answer`. */
export async function rawServer(answer: (req: RawRequest, socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    const connection = connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let index = 0;
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.toString('latin1', 0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        buf = buf.subarray(end + 4 + length);
        answer({ head, connection, index: index++ }, socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

export const getCursor = (c: LogClient) => c.getCursor({ project: 'p', logstore: 'ls', shardId: 0, from: 'end' });

/** Closes the client and the server when the test ends, passed or failed: a failed assertion leaves no handle open. */
export function closeAfter(t: TestContext, c: { close(): void }, srv: { close(): Promise<void> | void }): void {
  t.after(() => {
    c.close();
    return srv.close();
  });
}
