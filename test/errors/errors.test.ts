import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as errors from '../../src/errors/index.js';
import * as codec from '../../src/codec/index.js';
import { ValidationError } from '../../src/event/index.js';

test('every exported error class sets its own name', () => {
  // Enumerated from the modules, so a new class cannot be missed.
  const modules: Record<string, unknown>[] = [errors, codec, { ValidationError }];
  const classes = modules.flatMap((m) =>
    Object.entries(m).filter(([, v]) => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof Error),
  ) as Array<[string, unknown]>;
  assert.ok(classes.length >= 7, classes.map(([n]) => n).join());
  for (const [name, C] of classes) {
    const e = new (C as unknown as new (a: string, b: string[]) => Error)('InternalServerError', ['x']); // ValidationError takes a list
    assert.equal(e.name, name);
  }
});

test('every code in the table is documented with its status', () => {
  const doc = readFileSync(new URL('../../docs/error-codes.md', import.meta.url), 'utf8');
  for (const [code, info] of Object.entries(errors.ErrorCodes)) {
    assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${info.httpStatus} \\|`), `${code} documented`);
  }
});

test('errors from the table carry status and retriability; predicates read them', () => {
  const e = errors.SlsServiceError.of('ReadQuotaExceed', 'slow', { requestId: 'R1' });
  assert.equal(e.httpStatus, 403);
  assert.equal(e.retriable, true);
  assert.equal(e.requestId, 'R1');
  assert.ok(errors.isReadThrottled(e));
  assert.ok(errors.isInvalidCursor(errors.SlsServiceError.of('InvalidCursor')));
  assert.equal(errors.isRetriable(new errors.SlsArgumentError('bad')), false);
});

test('CodecError and ValidationError are under the one base, with a code and never retriable', () => {
  const c = new codec.CodecError(codec.CodecErrorKind.Truncated, 'cut', 7);
  const v = new ValidationError('event', ['source.shardId must be integer']);
  for (const e of [c, v]) {
    assert.ok(e instanceof errors.SlsTriggerError);
    assert.equal(e.retriable, false);
    assert.equal(errors.isRetriable(e), false);
    assert.equal(e.httpStatus, 400);
  }
  assert.deepEqual([c.code, c.kind, c.offset, c.message], ['InvalidEncoding', 'Truncated', 7, 'cut (at byte 7)']);
  assert.deepEqual([v.code, v.message], ['InvalidParameter', 'event is invalid: source.shardId must be integer']);
});

test('one rule for a whole number in a range: numbers and numeric strings, the sentence otherwise', () => {
  assert.equal(errors.wholeNumberIn(5, 'n', 1, 10), 5);
  assert.equal(errors.wholeNumberIn('10', 'n', 1, 10), 10);
  for (const bad of [0, 11, 1.5, '', ' ', 'abc', null, undefined, true])
    assert.deepEqual(errors.wholeNumberIn(bad, 'n', 1, 10), { problem: `n must be a whole number in 1..10, got ${JSON.stringify(bad)}` });
});
