// Writing answers the way SLS does: 200 only for success; JSON with application/json; an empty
// success without a Content-Type (@alicloud/log JSON.parses any JSON-typed body); errors as
// {errorCode, errorMessage}; x-log-requestid on everything; header names lowercase (the Python SDK
// looks them up case-sensitively). PullLogs bodies are compressed as the client accepts.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { compress, CompressType } from '../../codec/index.js';
import type { ActionResult } from '../actions/common.js';
import type { SlsTriggerError } from '../../errors/index.js';

/**
 * Request ids: 24 uppercase hex digits, the first 8 the unix second (the form SLS ids have), then a
 * per-server random prefix and a counter (unique without a random draw per request).
 */
export function requestIdGenerator(): (nowMs: number) => string {
  const prefix = randomBytes(4).toString('hex').toUpperCase();
  let counter = 0;
  return (nowMs) => {
    counter = (counter + 1) % 0x100000000;
    return Math.floor(nowMs / 1000).toString(16).toUpperCase().padStart(8, '0') + prefix + counter.toString(16).toUpperCase().padStart(8, '0');
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

export function sendLogs(res: ServerResponse, logs: Extract<ActionResult, { kind: 'logs' }>, acceptEncoding: string | undefined, requestId: string): number {
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
