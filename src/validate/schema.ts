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

/** A schema node may carry `x-message`: what the value must be, in words (never a regex or an internal name). */
const MESSAGE = 'x-message';

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/** One sentence per problem, naming the field and the value given. */
function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? '(root)' : e.instancePath.slice(1).replace(/\//g, '.');
  const under = at === '(root)' ? '' : at + '.';
  const schema = (e.parentSchema ?? {}) as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${under}${String(e.params.additionalProperty)} is not a known field`;
  if (e.keyword === 'required') return `${under}${String(e.params.missingProperty)} is required`;
  if (typeof schema[MESSAGE] === 'string') return `${at} ${schema[MESSAGE]}, got ${show(e.data)}`;
  switch (e.keyword) {
    case 'enum':
      return `${at} must be one of ${(e.params.allowedValues as unknown[]).map(show).join(', ')}, got ${show(e.data)}`;
    case 'const':
      return `${at} must be ${show(e.params.allowedValue)}, got ${show(e.data)}`;
    case 'type':
      return `${at} must be ${String(e.params.type).split(',').join(' or ')}, got ${typeName(e.data)}`;
    case 'pattern':
      return `${at} is not in the expected form, got ${show(e.data)}`;
    case 'discriminator': {
      // a union told apart by one field (target.type): name the choices, not every branch's errors
      const tag = String(e.params.tag);
      const choices = ((schema.oneOf ?? []) as Array<{ properties?: Record<string, { const?: unknown }> }>).map(
        (b) => b.properties?.[tag]?.const,
      );
      return `${under}${tag} must be one of ${choices.map(show).join(', ')}, got ${show(e.params.tagValue)}`;
    }
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

/** A union (anyOf/oneOf) that says in words what it takes answers alone: not with each branch's own complaint. */
function withoutBranchErrors(errors: ErrorObject[]): ErrorObject[] {
  const union = (e: ErrorObject) =>
    (e.keyword === 'anyOf' || e.keyword === 'oneOf') && typeof (e.parentSchema as Record<string, unknown>)?.[MESSAGE] === 'string';
  const said = new Set(errors.filter(union).map((e) => e.instancePath));
  return errors.filter((e) => !said.has(e.instancePath) || union(e));
}

export interface Validator<T> {
  (value: unknown): T;
  /** no throw: the error list (empty when valid) */
  check(value: unknown): string[];
}

export function compile<T>(schema: object, what: string, opts: { coerceTypes?: boolean; useDefaults?: boolean } = {}): Validator<T> {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    verbose: true,
    discriminator: true,
    coerceTypes: opts.coerceTypes ?? false,
    useDefaults: opts.useDefaults ?? false,
  });
  const fn: ValidateFunction = ajv.compile(schema);
  const check = (value: unknown): string[] => (fn(value) ? [] : [...new Set(withoutBranchErrors(fn.errors ?? []).map(describe))]);
  const validate = ((value: unknown): T => {
    const errors = check(value);
    if (errors.length > 0) throw new ValidationError(what, errors);
    return value as T;
  }) as Validator<T>;
  validate.check = check;
  return validate;
}
