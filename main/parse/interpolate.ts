// `$[[ inputs.name | function ]]` in a file with a `spec:` header, as GitLab's Interpolation::Template
// does it: a value that is a whole block takes the input's type (a list, a number...); a block inside a
// longer text is replaced by its text; a list input inside a list is spliced in. Functions: truncate,
// expand_vars, posix_escape. Messages are GitLab's.

import type { SourceLocation } from '../../shared/plan.js';
import type { Located, LocatedEntry } from './located.js';
import type { InputValue } from './spec-inputs.js';

const BLOCK = /\$\[\[\s*(\S.*?\S)\s*\]\]/g;
const MAX_FUNCTIONS = 3;
const MAX_ACCESS_BYTES = 1024;
const MAX_BLOCKS = 10_000;

export interface InterpolationContext {
  inputs: Map<string, InputValue>;
  /** For expand_vars: the pipeline's variables (undefined: unknown, kept as written). */
  lookup: (name: string) => string | undefined;
  isMasked: (name: string) => boolean;
}

export class InterpolationError extends Error {
  constructor(message: string, readonly where: SourceLocation) {
    super(message);
  }
}

/** Ruby's to_s, which GitLab uses when a block sits inside a longer string. */
function rubyText(value: InputValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : rubyText(v))).join(', ')}]`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function posixEscape(text: string): string {
  if (text === '') return "''";
  return text.replace(/[^A-Za-z0-9_\-.,:+/@\n]/g, '\\$&').replace(/\n/g, "'\n'");
}

function expandExisting(text: string, ctx: InterpolationContext, where: SourceLocation): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, bare?: string) => {
    const name = (braced ?? bare)!;
    const value = ctx.lookup(name);
    if (value === undefined) return match;
    if (ctx.isMasked(name)) throw new InterpolationError(`error in \`expand_vars\` function: variable expansion error: masked variables cannot be expanded`, where);
    return value;
  });
}

function applyFunction(expression: string, value: InputValue, ctx: InterpolationContext, where: SourceLocation): InputValue {
  const truncate = /^truncate\(\s*(\d+)\s*,\s*(\d+)\s*\)?$/.exec(expression);
  const name = truncate ? 'truncate' : expression;
  if (!truncate && !['expand_vars', 'posix_escape'].includes(expression)) {
    throw new InterpolationError(`no function matching \`${expression}\`: check that the function name, arguments, and types are correct`, where);
  }
  if (typeof value !== 'string') throw new InterpolationError(`error in \`${name}\` function: invalid input type: ${name} can only be used with string inputs`, where);
  if (truncate) return value.slice(Number(truncate[1]), Number(truncate[1]) + Number(truncate[2]));
  if (name === 'posix_escape') return posixEscape(value);
  return expandExisting(value, ctx, where);
}

function evaluateBlock(data: string, ctx: InterpolationContext, where: SourceLocation): InputValue {
  const [access = '', ...functions] = data.split('|').map((part) => part.trim());
  const objects = access.split('.');
  if (objects.length <= 1) throw new InterpolationError('invalid interpolation access pattern', where);
  if (Buffer.byteLength(access) > MAX_ACCESS_BYTES) throw new InterpolationError('maximum interpolation expression size exceeded', where);
  if (objects[0] !== 'inputs') throw new InterpolationError(`unknown interpolation key: \`${objects[0]}\``, where);
  let value: InputValue = undefined;
  let scope: unknown = Object.fromEntries(ctx.inputs);
  for (const key of objects.slice(1)) {
    if (scope === null || typeof scope !== 'object' || Array.isArray(scope) || !Object.hasOwn(scope, key)) {
      throw new InterpolationError(`unknown interpolation key: \`${key}\``, where);
    }
    value = (scope as Record<string, unknown>)[key];
    scope = value;
  }
  if (functions.length > MAX_FUNCTIONS) throw new InterpolationError('too many functions in interpolation block', where);
  return functions.reduce((current, f) => applyFunction(f, current, ctx, where), value);
}

function fromPlain(value: InputValue, where: SourceLocation): Located {
  if (Array.isArray(value)) return { kind: 'seq', items: value.map((v) => fromPlain(v, where)), where };
  if (value !== null && typeof value === 'object') {
    return { kind: 'map', entries: Object.entries(value).map(([key, v]) => ({ key, keyWhere: where, value: fromPlain(v, where) })), where };
  }
  if (value === undefined) return { kind: 'scalar', value: null, where };
  return { kind: 'scalar', value: value as string | number | boolean | null, where };
}

/** Interpolates a whole located tree; throws InterpolationError at the first bad block, as GitLab stops there. */
export function interpolateTree(node: Located, ctx: InterpolationContext): Located {
  let blocks = 0;
  const interpolateText = (text: string, where: SourceLocation): { whole: true; value: InputValue } | { whole: false; text: string } => {
    const matches = [...text.matchAll(BLOCK)];
    blocks += matches.length;
    if (blocks > MAX_BLOCKS) throw new InterpolationError('too many interpolation blocks', where);
    const values = matches.map((m) => evaluateBlock(m[1]!, ctx, where));
    if (matches.length === 1 && matches[0]![0].length === text.length) return { whole: true, value: values[0] };
    let out = text;
    matches.forEach((m, i) => {
      out = out.split(m[0]).join(rubyText(values[i]));
    });
    return { whole: false, text: out };
  };
  const visit = (n: Located): Located => {
    if (n.kind === 'scalar') {
      if (typeof n.value !== 'string' || !n.value.includes('$[[')) return n;
      const result = interpolateText(n.value, n.where);
      return result.whole ? fromPlain(result.value, n.where) : { ...n, value: result.text };
    }
    if (n.kind === 'seq') {
      const items: Located[] = [];
      for (const item of n.items) {
        const next = visit(item);
        if (item.kind === 'scalar' && next.kind === 'seq') items.push(...next.items);
        else items.push(next);
      }
      return { ...n, items };
    }
    if (n.kind === 'map') {
      const entries: LocatedEntry[] = n.entries.map((e) => {
        const key = e.key.includes('$[[') ? interpolateText(e.key, e.keyWhere) : undefined;
        const newKey = key === undefined ? e.key : key.whole ? rubyText(key.value) : key.text;
        return { ...e, key: newKey, value: visit(e.value) };
      });
      return { ...n, entries };
    }
    return n;
  };
  return visit(node);
}
