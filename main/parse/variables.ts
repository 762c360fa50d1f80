// CI variables: reading `variables:` blocks, and expanding `$VAR` / `${VAR}` in values the way
// GitLab Runner does (`$$` is a literal `$`, unknown variables expand to nothing).

import type { SourceLocation, Variable } from '../../shared/plan.js';
import { readBoolean } from './fields.js';
import type { Located } from './located.js';
import { describe, get, scalarText } from './located.js';
import type { Problems } from './problems.js';

/** A variable as written, before expansion. */
export interface RawVariable {
  key: string;
  value: string;
  source: Variable['source'];
  masked: boolean;
  /** `expand: false` in the file: the value is taken literally. */
  expand: boolean;
  where?: SourceLocation;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readVariables(node: Located, source: Variable['source'], what: string, problems: Problems): RawVariable[] {
  if (node.kind === 'scalar' && node.value === null) return [];
  if (node.kind !== 'map') {
    problems.error(`${what} should be a mapping of NAME: value`, node.where);
    return [];
  }
  const out: RawVariable[] = [];
  for (const { key, keyWhere, value } of node.entries) {
    if (!NAME.test(key)) {
      problems.error(`${what}: "${key}" is not a valid variable name (letters, digits and _ only)`, keyWhere);
      continue;
    }
    if (value.kind === 'map') {
      const inner = get(value, 'value');
      const text = inner ? readVariableValue(inner, `${what}:${key}:value`, problems) : '';
      const expandNode = get(value, 'expand');
      const expand = expandNode ? readBoolean(expandNode, `${what}:${key}:expand`, problems) : true;
      for (const e of value.entries) {
        if (!['value', 'description', 'expand', 'options'].includes(e.key)) {
          problems.error(`${what}:${key} has unknown key "${e.key}" (allowed: value, description, expand, options)`, e.keyWhere);
        }
      }
      if (text !== undefined) out.push({ key, value: text, source, masked: false, expand: expand ?? true, where: keyWhere });
      continue;
    }
    const text = readVariableValue(value, `${what}:${key}`, problems);
    if (text !== undefined) out.push({ key, value: text, source, masked: false, expand: true, where: keyWhere });
  }
  return out;
}

/**
 * A variable's value: GitLab takes any scalar and applies Ruby's `to_s` (`true`, `1`, `1.10` → "1.1",
 * `1.0` → "1.0"). An empty value is "".
 */
function readVariableValue(node: Located, what: string, problems: Problems): string | undefined {
  if (node.kind === 'scalar') return scalarText(node);
  problems.error(`${what} should be a string, not ${describe(node)}`, node.where);
  return undefined;
}

export function plainVariables(values: Record<string, string> | undefined, source: Variable['source'], masked: boolean): RawVariable[] {
  return Object.entries(values ?? {}).map(([key, value]) => ({ key, value, source, masked, expand: true }));
}

/** Replaces `$VAR`, `${VAR}` and `$$` in text; `lookup` returns undefined for unknown names. */
export function expandText(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, bare?: string) => {
    if (match === '$$') return '$';
    return lookup((braced ?? bare)!) ?? '';
  });
}

/**
 * Merges the groups (later definitions of a key win) and expands every value against the merged set.
 * Expansion is recursive, as the runner does it, with a cycle guard. A value that uses a masked
 * variable is masked too, so a secret never leaks through `URL=https://u:$TOKEN@host`.
 */
export function resolveVariables(raw: RawVariable[]): Variable[] {
  const latest = new Map<string, RawVariable>();
  for (const v of raw) {
    latest.delete(v.key);
    latest.set(v.key, v);
  }
  const cache = new Map<string, { value: string; masked: boolean }>();
  const resolving = new Set<string>();
  const resolve = (key: string): { value: string; masked: boolean } | undefined => {
    const hit = cache.get(key);
    if (hit) return hit;
    const v = latest.get(key);
    if (!v) return undefined;
    if (!v.expand || resolving.has(key)) return { value: v.value, masked: v.masked };
    resolving.add(key);
    let masked = v.masked;
    const value = expandText(v.value, (name) => {
      const inner = name === key ? undefined : resolve(name);
      if (inner?.masked) masked = true;
      return inner?.value;
    });
    resolving.delete(key);
    const result = { value, masked };
    cache.set(key, result);
    return result;
  };
  const order: Variable['source'][] = ['predefined', 'runner', 'global', 'job', 'rules', 'cli', 'secret', 'service'];
  return [...latest.values()]
    .sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source))
    .map((v) => {
      const r = resolve(v.key)!;
      return { key: v.key, value: r.value, masked: r.masked, source: v.source };
    });
}

/** Looks a name up in already resolved variables. */
export function lookupIn(variables: readonly Variable[]): (name: string) => string | undefined {
  const map = new Map(variables.map((v) => [v.key, v.value]));
  return (name) => map.get(name);
}
