// ajv behind a tiny API: schemas compiled once; compile errors (our bug) kept apart from validation
// errors (the caller's input), and validation errors name the field.
import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { SlsTriggerError } from '../errors/index.js';

const Ajv = AjvModule.default ?? AjvModule;

/** The caller's input (an event, a config, options, a parameter) is invalid; `errors` names each field. */
export class ValidationError extends SlsTriggerError {
  override readonly name: string = 'ValidationError';
  readonly errors: readonly string[];

  constructor(what: string, errors: readonly string[], options?: { cause?: unknown }) {
    super('InvalidParameter', `${what} is invalid: ${errors.join('; ')}`, { httpStatus: 400, retriable: false, cause: options?.cause });
    this.errors = errors;
  }
}

function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? '(root)' : e.instancePath.slice(1).replace(/\//g, '.');
  if (e.keyword === 'additionalProperties')
    return `${at === '(root)' ? '' : at + '.'}${String(e.params.additionalProperty)} is not a known field`;
  if (e.keyword === 'required') return `${at === '(root)' ? '' : at + '.'}${String(e.params.missingProperty)} is required`;
  return `${at} ${e.message ?? 'is invalid'}`;
}

export interface Validator<T> {
  (value: unknown): T;
  /** no throw: the error list (empty when valid) */
  check(value: unknown): string[];
}

export function compile<T>(schema: object, what: string, opts: { coerceTypes?: boolean; useDefaults?: boolean } = {}): Validator<T> {
  const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: opts.coerceTypes ?? false, useDefaults: opts.useDefaults ?? false });
  const fn: ValidateFunction = ajv.compile(schema);
  const check = (value: unknown): string[] => (fn(value) ? [] : (fn.errors ?? []).map(describe));
  const validate = ((value: unknown): T => {
    const errors = check(value);
    if (errors.length > 0) throw new ValidationError(what, errors);
    return value as T;
  }) as Validator<T>;
  validate.check = check;
  return validate;
}
