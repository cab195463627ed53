// Codec errors live here (not in src/errors) so the codec stays free of every other layer.

export const CodecErrorKind = {
  Truncated: 'Truncated',
  Malformed: 'Malformed',
  TooLarge: 'TooLarge',
  Unsupported: 'Unsupported',
} as const;
export type CodecErrorKind = (typeof CodecErrorKind)[keyof typeof CodecErrorKind];

export class CodecError extends Error {
  override readonly name: string = 'CodecError';
  readonly kind: CodecErrorKind;
  /** byte offset in the input where decoding failed, when known */
  readonly offset: number | undefined;

  constructor(kind: CodecErrorKind, message: string, offset?: number, options?: { cause?: unknown }) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`, options);
    this.kind = kind;
    this.offset = offset;
  }
}
