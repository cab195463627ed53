// The shape every client/requests/<action>.ts returns: what to send and how to read the answer.
import { SlsTransportError } from '../errors/index.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SlsResponse {
  readonly status: number;
  /** lowercase names; a repeated field's values joined with ", " */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly requestId: string | undefined;
}

export interface SlsRequest<T> {
  readonly action: string;
  readonly method: HttpMethod;
  /** undefined = addressed to the bare endpoint (ListProject, CreateProject) */
  readonly project: string | undefined;
  readonly path: string;
  readonly query?: ReadonlyArray<readonly [string, string]>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly decode: (res: SlsResponse) => T;
}

export function jsonBody(value: unknown): { body: Buffer; headers: Record<string, string> } {
  return { body: Buffer.from(JSON.stringify(value)), headers: { 'content-type': 'application/json' } };
}

export function parseJson<T>(res: SlsResponse): T {
  try {
    return JSON.parse(res.body.toString('utf8')) as T;
  } catch (e) {
    throw new SlsTransportError('BadResponse', `response is not JSON: ${res.body.subarray(0, 80).toString()}`, {
      requestId: res.requestId,
      httpStatus: res.status,
      cause: e,
    });
  }
}

export const noContent = (): void => undefined;

export function header(res: SlsResponse, name: string): string | undefined {
  return res.headers[name];
}

/** Encodes a path segment (names are validated server-side; this only keeps the URL well formed). */
export const seg = (s: string | number): string => encodeURIComponent(String(s));
