// Writing answers the way SLS does: 200 only for success; JSON with application/json; an empty
// success without a Content-Type (@alicloud/log JSON.parses any JSON-typed body); errors as
// {errorCode, errorMessage}; x-log-requestid on everything; header names lowercase (the Python SDK
// looks them up case-sensitively). PullLogs bodies are compressed as the client accepts.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { compress, CompressType } from '../../codec/index.js';
import type { ActionResult } from '../actions/common.js';
import { SlsServiceError, type SlsTriggerError } from '../../errors/index.js';

/**
 * Request ids: 24 uppercase hex digits, the first 8 the unix second (the form SLS ids have), then a
 * per-server random prefix and a counter (unique without a random draw per request).
 */
export function requestIdGenerator(): (nowMs: number) => string {
  const prefix = randomBytes(4).toString('hex').toUpperCase();
  let counter = 0;
  return (nowMs) => {
    counter = (counter + 1) % 0x100000000;
    return (
      Math.floor(nowMs / 1000)
        .toString(16)
        .toUpperCase()
        .padStart(8, '0') +
      prefix +
      counter.toString(16).toUpperCase().padStart(8, '0')
    );
  };
}

export function sendJson(res: ServerResponse, status: number, value: unknown, requestId: string): number {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, 'x-log-requestid': requestId });
  res.end(body);
  return body.length;
}

export function sendEmpty(res: ServerResponse, requestId: string): number {
  res.writeHead(200, { 'content-length': 0, 'x-log-requestid': requestId });
  res.end();
  return 0;
}

export function sendError(res: ServerResponse, e: SlsTriggerError, requestId: string): number {
  return sendJson(res, e.httpStatus, { errorCode: e.code, errorMessage: e.message }, requestId);
}

/** lz4 when asked (also for zstd: every zstd reader switches on the answer's header), deflate, or none. */
export function chooseEncoding(acceptEncoding: string | undefined): CompressType {
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const v = part.split(';')[0].trim();
    if (v === 'lz4' || v === 'zstd') return CompressType.Lz4;
    if (v === 'deflate' || v === 'gzip') return CompressType.Deflate;
  }
  return CompressType.None;
}

export function sendLogs(
  res: ServerResponse,
  logs: Extract<ActionResult, { kind: 'logs' }>,
  acceptEncoding: string | undefined,
  requestId: string,
): number {
  const { rawLength, headers } = logs;
  const enc = rawLength === 0 ? CompressType.None : chooseEncoding(acceptEncoding);
  // Stored lz4 bodies joined as they are (store/lz4Join.ts) when the client takes lz4; else compress.
  const body = (enc === CompressType.Lz4 ? logs.lz4?.() : undefined) ?? compress(logs.body(), enc);
  const h: Record<string, string | number> = {
    ...headers,
    'content-type': 'application/x-protobuf',
    'content-length': body.length,
    'x-log-bodyrawsize': String(rawLength),
    'x-log-requestid': requestId,
  };
  if (enc !== CompressType.None) h['x-log-compresstype'] = enc;
  res.writeHead(200, h);
  res.end(body);
  return body.length;
}

/**
 * The server's `clientError` answer: requests Node's HTTP parser refuses before any handler runs
 * (headers too large, a Content-Length that does not match the body) get an SLS JSON error like
 * every other refusal, instead of Node's bare status line. A reset connection gets nothing.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, requestId: string): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const e =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? SlsServiceError.of('RequestHeaderTooLarge')
      : SlsServiceError.of('BadRequest', `The request is not well-formed HTTP: ${err.message}`);
  const body = JSON.stringify({ errorCode: e.code, errorMessage: e.message });
  const reason = e.httpStatus === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${e.httpStatus} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-log-requestid: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
  );
}
