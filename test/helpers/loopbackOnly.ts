// Fails any socket connect to an address outside loopback (127.0.0.0/8, ::1, localhost, a unix
// socket) and records it: proves that a credential chain never asks the ECS metadata address or STS.
import net from 'node:net';

export interface ConnectGuard {
  /** every address a connect was attempted to, in order */
  readonly attempts: string[];
  /** the attempts that were outside loopback (and were refused) */
  readonly refused: string[];
  restore(): void;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/;

function targetOf(args: unknown[]): string {
  // net.createConnection passes its normalised [options, callback] array; socket.connect(port, host) a pair.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const o = first as { path?: string; host?: string };
    return o.path != null ? `unix:${o.path}` : (o.host ?? 'localhost');
  }
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

export function guardLoopback(): ConnectGuard {
  const original = net.Socket.prototype.connect;
  const attempts: string[] = [];
  const refused: string[] = [];
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const host = targetOf(args);
    attempts.push(host);
    if (!host.startsWith('unix:') && !LOOPBACK.test(host)) {
      refused.push(host);
      throw new Error(`connect to ${host} refused: tests stay on loopback`);
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return { attempts, refused, restore: () => (net.Socket.prototype.connect = original) };
}
