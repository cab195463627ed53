// Runs a parsed SPL statement over decoded log groups. A row reads its fields straight from the
// decoded group until an instruction changes it (then it holds its own map), so a `where` alone
// never copies a log. Group metadata — __time__, __topic__, __source__, __tag__:* — is readable
// and kept as it was; assigning it is refused at compile time.
import type { FastLogGroup, LogGroup } from '../codec/index.js';
import type { Instruction, Pipeline } from './ast.js';
import { compileExpr, type FieldSource } from './compile.js';
import { SplError } from './errors.js';
import { RowFailure, toText } from './values.js';

export class Row implements FieldSource {
  /** the content fields, once an instruction changed them */
  fields: Map<string, string> | undefined;

  constructor(
    readonly group: FastLogGroup,
    readonly index: number,
  ) {}

  get(name: string): string | null {
    if (name.charCodeAt(0) === 95 /* _ */ && name.startsWith('__')) {
      const special = this.special(name);
      if (special !== undefined) return special;
    }
    if (this.fields) return this.fields.get(name) ?? null;
    const g = this.group;
    for (let j = 0, n = g.fieldCount(this.index); j < n; j++) if (g.key(this.index, j) === name) return g.value(this.index, j);
    return null;
  }

  private special(name: string): string | null | undefined {
    if (name === '__time__') return String(this.group.time(this.index));
    if (name === '__topic__') return this.group.topic ?? '';
    if (name === '__source__') return this.group.source ?? '';
    if (name.startsWith('__tag__:')) return this.group.logTags.find((t) => t.key === name.slice(8))?.value ?? null;
    return undefined;
  }

  own(): Map<string, string> {
    if (!this.fields) {
      const g = this.group;
      this.fields = new Map();
      for (let j = 0, n = g.fieldCount(this.index); j < n; j++) this.fields.set(g.key(this.index, j), g.value(this.index, j));
    }
    return this.fields;
  }
}

const READ_ONLY = /^__(time|topic|source)__$|^__tag__:/;

function writable(name: string): string {
  if (READ_ONLY.test(name)) throw new SplError(`${name} is group metadata and read-only here`);
  return name;
}

function matcher(pattern: string, wildcard: boolean): (name: string) => boolean {
  if (!wildcard || !pattern.includes('*')) return (n) => n === pattern;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (n) => re.test(n);
}

function renamed(fields: Map<string, string>, renames: readonly (readonly [string, string])[]): Map<string, string> {
  const to = new Map(renames.map(([n, o]) => [o, n]));
  const out = new Map<string, string>();
  for (const [k, v] of fields) out.set(to.get(k) ?? k, v);
  return out;
}

function csvCells(text: string, delim: string, quote: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === quote && text[i + 1] === quote) ((cell += quote), i++);
      else if (ch === quote) quoted = false;
      else cell += ch;
    } else if (ch === quote && cell === '') quoted = true;
    else if (text.startsWith(delim, i)) (cells.push(cell), (cell = ''), (i += delim.length - 1));
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** One instruction as a step over a row: false drops the row. */
type Step = (row: Row) => boolean;

function stepOf(ins: Instruction): Step {
  switch (ins.k) {
    case 'where': {
      const test = compileExpr(ins.e);
      return (row) => test(row) === true;
    }
    case 'extend': {
      const assigns = ins.assigns.map(([name, e]) => [writable(name), compileExpr(e)] as const);
      return (row) => {
        const values = assigns.map(([name, f]) => [name, toText(f(row))] as const);
        const fields = row.own();
        for (const [name, v] of values) v === null ? fields.delete(name) : fields.set(name, v);
        return true;
      };
    }
    case 'project': {
      const keep = ins.keep.map((p) => matcher(p.pattern, ins.wildcard));
      for (const [n] of ins.renames) writable(n);
      return (row) => {
        const fields = row.own();
        const out = new Map<string, string>();
        for (const [k, v] of fields) if (keep.some((m) => m(k))) out.set(k, v);
        for (const [n, o] of ins.renames) if (fields.has(o)) out.set(n, fields.get(o)!);
        row.fields = out;
        return true;
      };
    }
    case 'project-away': {
      const remove = ins.remove.map((p) => matcher(p.pattern, ins.wildcard));
      return (row) => {
        const fields = row.own();
        for (const k of [...fields.keys()]) if (remove.some((m) => m(k))) fields.delete(k);
        return true;
      };
    }
    case 'project-rename':
      for (const [n] of ins.renames) writable(n);
      return (row) => ((row.fields = renamed(row.own(), ins.renames)), true);
    case 'parse-regexp': {
      const outs = ins.outputs.map(writable);
      return (row) => {
        const v = row.get(ins.field);
        const m = v === null ? null : ins.pattern.exec(v);
        if (!m) return true;
        const fields = row.own();
        outs.forEach((name, i) => {
          const got = m.groups?.[name] ?? m[i + 1];
          if (got !== undefined) fields.set(name, got);
        });
        return true;
      };
    }
    case 'parse-json':
      return (row) => {
        let doc: unknown;
        try {
          doc = JSON.parse(row.get(ins.field) ?? '');
        } catch {
          return true;
        }
        for (const step of ins.path) doc = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)[step] : undefined;
        if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return true;
        const fields = row.own();
        for (const [k, v] of Object.entries(doc))
          if (!READ_ONLY.test(ins.prefix + k)) fields.set(ins.prefix + k, typeof v === 'string' ? v : JSON.stringify(v));
        return true;
      };
    case 'parse-csv': {
      const outs = ins.outputs.map(writable);
      return (row) => {
        const v = row.get(ins.field);
        if (v === null) return true;
        const cells = csvCells(v, ins.delim, ins.quote);
        const fields = row.own();
        outs.forEach((name, i) => cells[i] !== undefined && fields.set(name, cells[i]));
        return true;
      };
    }
  }
}

export interface SplOutcome {
  /** each input group with the rows that came through (groups left empty are dropped) */
  readonly groups: { readonly source: FastLogGroup; readonly rows: readonly Row[] }[];
  readonly rawLines: number;
  readonly resultLines: number;
  readonly failedLines: number;
}

export interface CompiledSpl {
  run(groups: readonly FastLogGroup[]): SplOutcome;
}

export function compileSpl(p: Pipeline): CompiledSpl {
  const steps = p.instructions.map(stepOf);
  return {
    run(groups) {
      const out: SplOutcome['groups'] = [];
      let rawLines = 0;
      let resultLines = 0;
      let failedLines = 0;
      for (const g of groups) {
        const rows: Row[] = [];
        rawLines += g.logCount;
        rows: for (let i = 0; i < g.logCount; i++) {
          const row = new Row(g, i);
          try {
            for (const step of steps) if (!step(row)) continue rows;
          } catch (e) {
            if (!(e instanceof RowFailure)) throw e;
            failedLines++;
            continue;
          }
          rows.push(row);
        }
        resultLines += rows.length;
        if (rows.length > 0) out.push({ source: g, rows });
      }
      return { groups: out, rawLines, resultLines, failedLines };
    },
  };
}

/** A result group as a LogGroup: its rows' fields, the source group's metadata. */
export function resultGroup(g: { source: FastLogGroup; rows: readonly Row[] }): LogGroup {
  const s = g.source;
  const logs = g.rows.map((r) => {
    if (!r.fields) return s.log(r.index);
    const log = { time: s.time(r.index), contents: [...r.fields].map(([key, value]) => ({ key, value })) };
    const ns = s.timeNs(r.index);
    return ns === undefined ? log : { ...log, timeNs: ns };
  });
  const out: LogGroup = { logs, logTags: s.logTags.map((t) => ({ key: t.key, value: t.value })) };
  if (s.topic !== undefined) out.topic = s.topic;
  if (s.source !== undefined) out.source = s.source;
  if (s.machineUUID !== undefined) out.machineUUID = s.machineUUID;
  return out;
}
