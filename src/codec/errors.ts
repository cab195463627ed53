// Codec errors: malformed bytes, cursors and bodies. Under the package's one error base (code
// InvalidEncoding, HTTP 400 if one ever reaches a reply, never retriable); `kind` says what was wrong.
import { SlsTriggerError } from '../errors/errors.js';

export const CodecErrorKind = {
  Truncated: 'Truncated',
  Malformed: 'Malformed',
  TooLarge: 'TooLarge',
  Unsupported: 'Unsupported',
} as const;
export type CodecErrorKind = (typeof CodecErrorKind)[keyof typeof CodecErrorKind];

export class CodecError extends SlsTriggerError {
  override readonly name: string = 'CodecError';
  readonly kind: CodecErrorKind;
  /** byte offset in the input where decoding failed, when known */
  readonly offset: number | undefined;

  constructor(kind: CodecErrorKind, message: string, offset?: number, options?: { cause?: unknown }) {
    super('InvalidEncoding', offset === undefined ? message : `${message} (at byte ${offset})`, {
      httpStatus: 400,
      retriable: false,
      cause: options?.cause,
    });
    this.kind = kind;
    this.offset = offset;
  }
}
