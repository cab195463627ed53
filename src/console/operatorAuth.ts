// The operator secret: what keeps the network out of a console that listens beyond loopback. The
// page's token (security.ts) only stops other web pages from calling the mutations (CSRF); it is
// served to whoever loads the page, so it is no authentication. With a secret, every request but
// the login needs either the session cookie that one login sets or `Authorization: Bearer <secret>`
// (for scrapers and scripts), and the page (with its token) is served only after that.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SlsArgumentError } from '../errors/index.js';
import { isLoopback } from './security.js';

export const SESSION_COOKIE = 'slst_console';
export const SECRET_ENV = 'SLS_TRIGGER_CONSOLE_SECRET';
/** shorter secrets can be guessed over the network */
export const MIN_SECRET_LENGTH = 16;
/** sessions kept per start; the oldest is dropped past this (each login adds one) */
const MAX_SESSIONS = 1000;

/** Refuses a non-loopback console without a secret, and a secret too short to keep anyone out. */
export function checkOperatorSecret(host: string, secret: string | undefined): void {
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH)
    throw new SlsArgumentError(`the console's operator secret must be at least ${MIN_SECRET_LENGTH} characters, got ${secret.length}`);
  if (secret === undefined && !isLoopback(host))
    throw new SlsArgumentError(
      `the console would listen on ${host}, not loopback: give it an operator secret (env ${SECRET_ENV}, or a file with ` +
        `--console-secret-file) — without one anyone who reaches the port could read the job and reset its checkpoints`,
    );
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class OperatorAuth {
  private readonly sessions = new Set<string>();

  constructor(private readonly secret: string) {}

  /** A session cookie this start issued, or the secret as a bearer token. */
  authorized(req: IncomingMessage): boolean {
    const session = cookie(req, SESSION_COOKIE);
    if (session !== undefined && this.sessions.has(session)) return true;
    const auth = req.headers.authorization;
    return auth !== undefined && auth.startsWith('Bearer ') && same(auth.slice('Bearer '.length), this.secret);
  }

  /** Checks a login form's secret; on success the Set-Cookie header value of a new session. */
  login(formBody: string): string | undefined {
    const given = new URLSearchParams(formBody).get('secret') ?? '';
    if (!same(given, this.secret)) return undefined;
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.values().next().value!);
    return `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The login page: one password field, posted to /login. */
export function loginPage(message?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
<title>sls-trigger console — log in</title><link rel="icon" href="data:," /><link rel="stylesheet" href="/style.css" /></head>
<body><main class="login">
<h1>sls-trigger console</h1>
<p>This console listens beyond loopback: give its operator secret (env ${SECRET_ENV} or the file of --console-secret-file).</p>
${message ? `<p id="login-error" class="load-error" role="alert">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/login"><label>operator secret <input name="secret" type="password" autocomplete="current-password" autofocus required /></label>
<button type="submit">Log in</button></form>
</main></body></html>
`;
}
