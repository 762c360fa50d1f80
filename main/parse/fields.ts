// Typed readers for located values: each returns the parsed value, or records a problem at the
// value's position and returns undefined.

import type { Located, LocatedMap, LocatedSeq } from './located.js';
import { describe, scalarText } from './located.js';
import type { Problems } from './problems.js';

export function readString(node: Located, what: string, problems: Problems): string | undefined {
  if (node.kind === 'scalar' && (typeof node.value === 'string' || typeof node.value === 'number')) {
    return scalarText(node);
  }
  problems.error(`${what} should be a string, not ${describe(node)}`, node.where);
  return undefined;
}

export function readBoolean(node: Located, what: string, problems: Problems): boolean | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  problems.error(`${what} should be true or false, not ${describe(node)}`, node.where);
  return undefined;
}

export function readMap(node: Located, what: string, problems: Problems): LocatedMap | undefined {
  if (node.kind === 'map') return node;
  problems.error(`${what} should be a mapping, not ${describe(node)}`, node.where);
  return undefined;
}

/** A string or a list of strings (`paths: dist` and `paths: [dist]` mean the same). */
export function readStringList(node: Located, what: string, problems: Problems): string[] | undefined {
  if (node.kind === 'scalar' && node.value === null) return [];
  if (node.kind !== 'seq') {
    const one = readString(node, what, problems);
    return one === undefined ? undefined : [one];
  }
  const out: string[] = [];
  for (const item of node.items) {
    const value = readString(item, `each item of ${what}`, problems);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/**
 * The items of a list with nested lists spliced in, at any depth: GitLab's `[config].flatten` for
 * `services`, `cache`, `needs` and `rules` (anchors make such lists: `services: [*db, redis]`).
 */
export function flattenItems(node: LocatedSeq): Located[] {
  return node.items.flatMap((item) => (item.kind === 'seq' ? flattenItems(item) : [item]));
}

/** Script lines: a string or a list, nested lists flattened (GitLab allows them up to 10 levels). */
export function readScript(node: Located, what: string, problems: Problems, depth = 0): string[] | undefined {
  if (node.kind === 'scalar' && node.value !== null && typeof node.value !== 'boolean') return [scalarText(node)];
  if (node.kind === 'seq' && depth < 10) {
    const out: string[] = [];
    for (const item of node.items) out.push(...(readScript(item, what, problems, depth + 1) ?? []));
    return out;
  }
  problems.error(`${what} should be a string or a list of strings, not ${describe(node)}`, node.where);
  return undefined;
}

export function readOneOf<T extends string>(
  node: Located,
  what: string,
  allowed: readonly T[],
  problems: Problems,
): T | undefined {
  const value = readString(node, what, problems);
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.error(`${what} should be one of ${allowed.join(', ')}, not "${value}"`, node.where);
  return undefined;
}
