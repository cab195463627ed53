// The official SDKs address a project as <project>.<endpoint host>; on loopback that name resolves
// nowhere. As the spec's recording scripts did, answer such look-ups in-process, for tests only.
import dns from 'node:dns';

type LookupFn = typeof dns.lookup;

export function installLoopbackDns(): () => void {
  const original: LookupFn = dns.lookup;
  const patched = ((hostname: string, options: unknown, callback?: unknown) => {
    if (/(^|\.)(127\.0\.0\.1|localhost)$/.test(hostname) && hostname !== 'localhost' && hostname !== '127.0.0.1') {
      const cb = (typeof options === 'function' ? options : callback) as (...a: unknown[]) => void;
      const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
      process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
      return;
    }
    return (original as (...a: unknown[]) => void)(hostname, options, callback);
  }) as LookupFn;
  dns.lookup = patched;
  return () => {
    dns.lookup = original;
  };
}
