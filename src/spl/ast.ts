// The parsed SPL statement: a pipeline of instructions over `*`, expressions as SLS's SQL subset.
import type { SplPosition } from './errors.js';

/** What an expression yields: text, BIGINT (bigint), DOUBLE (number), BOOLEAN, or NULL. */
export type Value = string | bigint | number | boolean | null;

export type CastType = 'bigint' | 'double' | 'varchar' | 'boolean';

export type Expr =
  | { readonly k: 'lit'; readonly v: Value }
  | { readonly k: 'field'; readonly name: string }
  | { readonly k: 'bin'; readonly op: string; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'and' | 'or'; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'not' | 'neg'; readonly e: Expr }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly at: SplPosition }
  | { readonly k: 'cast'; readonly e: Expr; readonly type: CastType }
  | { readonly k: 'like'; readonly e: Expr; readonly pattern: Expr; readonly not: boolean }
  | { readonly k: 'in'; readonly e: Expr; readonly list: readonly Expr[]; readonly not: boolean }
  | { readonly k: 'between'; readonly e: Expr; readonly lo: Expr; readonly hi: Expr; readonly not: boolean }
  | { readonly k: 'isnull'; readonly e: Expr; readonly not: boolean }
  | { readonly k: 'case'; readonly base?: Expr; readonly whens: readonly [Expr, Expr][]; readonly otherwise?: Expr };

/** A field kept or removed by name, or by a pattern with `*` under -wildcard. */
export interface FieldPattern {
  readonly pattern: string;
}

export type Instruction =
  | { readonly k: 'where'; readonly e: Expr }
  | { readonly k: 'extend'; readonly assigns: readonly (readonly [string, Expr])[] }
  | {
      readonly k: 'project';
      readonly wildcard: boolean;
      readonly keep: readonly FieldPattern[];
      readonly renames: readonly (readonly [string, string])[];
    }
  | { readonly k: 'project-away'; readonly wildcard: boolean; readonly remove: readonly FieldPattern[] }
  | { readonly k: 'project-rename'; readonly renames: readonly (readonly [string, string])[] }
  | { readonly k: 'parse-regexp'; readonly field: string; readonly pattern: RegExp; readonly outputs: readonly string[] }
  | { readonly k: 'parse-json'; readonly field: string; readonly prefix: string; readonly path: readonly (string | number)[] }
  | {
      readonly k: 'parse-csv';
      readonly field: string;
      readonly outputs: readonly string[];
      readonly delim: string;
      readonly quote: string;
    };

export interface Pipeline {
  readonly instructions: readonly Instruction[];
}
