// A parsed CI file as a tree that remembers where every value was written, so that every problem
// found later (extends, rules, images, paths) can be reported as `file:line:col: message`.

import type { SourceLocation } from '../../shared/plan.js';

export type Located = LocatedMap | LocatedSeq | LocatedScalar | LocatedReference;

export interface LocatedEntry {
  key: string;
  keyWhere: SourceLocation;
  value: Located;
}

export interface LocatedMap {
  kind: 'map';
  entries: LocatedEntry[];
  where: SourceLocation;
}

export interface LocatedSeq {
  kind: 'seq';
  items: Located[];
  where: SourceLocation;
}

export type ScalarValue = string | number | boolean | null;

export interface LocatedScalar {
  kind: 'scalar';
  value: ScalarValue;
  /** Ruby's `to_s` of a number, when it differs from JavaScript's: `1.0`, `1.0e+16`, big integers. */
  text?: string;
  where: SourceLocation;
}

/** A scalar as text, the way GitLab (Ruby's `to_s`) turns a number or boolean into a string; null is "". */
export function scalarText(node: LocatedScalar): string {
  if (node.value === null) return '';
  return node.text ?? String(node.value);
}

/** GitLab's `!reference [job, key, ...]`, resolved after all files are loaded. */
export interface LocatedReference {
  kind: 'reference';
  path: string[];
  where: SourceLocation;
}

export function entry(map: LocatedMap, key: string): LocatedEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

export function get(map: LocatedMap, key: string): Located | undefined {
  return entry(map, key)?.value;
}

/** A human name for a node's type, used in "should be a string" messages. */
export function describe(node: Located): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.kind === 'reference') return 'a !reference';
  if (node.value === null) return 'null';
  return `a ${typeof node.value}`;
}

/** Turns a located tree back into plain data (for `plan --json` previews and tests). */
export function toPlain(node: Located): unknown {
  switch (node.kind) {
    case 'map':
      return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value)]));
    case 'seq':
      return node.items.map(toPlain);
    case 'scalar':
      return node.value;
    case 'reference':
      return { '!reference': node.path };
  }
}
