// An SPL statement refused: what is wrong and where (line, column), in one message the LogHub
// answers as an SLS error and the CLI prints as is.
import { SlsArgumentError } from '../errors/index.js';

export interface SplPosition {
  readonly line: number;
  readonly column: number;
}

export class SplError extends SlsArgumentError {
  override readonly name: string = 'SplError';
  readonly position: SplPosition | undefined;
  readonly reason: string;

  constructor(reason: string, position?: SplPosition) {
    super(position ? `SPL: ${reason} at line ${position.line}, column ${position.column}` : `SPL: ${reason}`);
    this.reason = reason;
    this.position = position;
  }
}
