// The one rule for a whole number in a range, given as a number or a numeric string (config files,
// query strings, JSON bodies and flags all carry them). It returns the sentence saying what is
// wrong; each caller raises it as its own error (ValidationError, ParameterInvalid, a flag error).

/** The number, or `{ problem }`: `<name> must be a whole number in <min>..<max>, got <value>`. */
export function wholeNumberIn(value: unknown, name: string, min: number, max: number): number | { problem: string } {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
  return { problem: `${name} must be a whole number in ${min}..${max}, got ${JSON.stringify(value)}` };
}
