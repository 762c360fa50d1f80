// YAML (and JSON, a subset of it) → a located tree. Positions come from the `yaml` package's CST via
// a LineCounter. Aliases and merge keys (`<<`) are expanded here, with a budget against alias bombs.

import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../../shared/plan.js';
import { InputError } from '../errors.js';
import type { Located, LocatedEntry, LocatedMap, ScalarValue } from './located.js';
import { findExcessiveNesting } from './nesting-scan.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Values copied through aliases per file; real pipelines copy a few thousand, an alias bomb billions. */
export const MAX_ALIASED_NODES = 100_000;
export const MAX_DEPTH = 100;
/** The quick count before parsing may overestimate the depth a little: it refuses only far beyond the limit. */
const PRESCAN_DEPTH = MAX_DEPTH + MAX_DEPTH / 2;
const NUL = '\u0000';

function tooDeep(where: SourceLocation): InputError {
  return new InputError(`values are nested too deeply: the limit is ${MAX_DEPTH} levels`, where);
}

export function checkSize(file: string, bytes: number): void {
  if (bytes > MAX_FILE_BYTES) {
    throw new InputError(
      `file is too large (${(bytes / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB)`,
      { file, line: 1, col: 1 },
    );
  }
}

interface Walk {
  file: string;
  doc: Document;
  lines: LineCounter;
  /** Values reached through an alias so far. */
  nodes: number;
  /** The outermost alias being expanded, named when the budget runs out. */
  aliasWhere?: SourceLocation;
  /** Anchored nodes by name, in document order (Alias.resolve() would walk the whole document per alias). */
  anchors: Map<string, { node: Node; offset: number }[]>;
}

function collectAnchors(doc: Document): Walk['anchors'] {
  const anchors: Walk['anchors'] = new Map();
  visit(doc, (_key, node) => {
    const anchored = node as (Node & { anchor?: string }) | null;
    if (anchored?.anchor && !isAlias(anchored)) {
      const list = anchors.get(anchored.anchor) ?? [];
      list.push({ node: anchored, offset: anchored.range?.[0] ?? 0 });
      anchors.set(anchored.anchor, list);
    }
  });
  return anchors;
}

/** The latest anchor of that name defined before the alias, as YAML specifies. */
function aliasTarget(walk: Walk, name: string, offset: number): Node | undefined {
  const candidates = walk.anchors.get(name) ?? [];
  let found: Node | undefined;
  for (const c of candidates) if (c.offset < offset) found = c.node;
  return found;
}

/** Parses YAML text into a located tree; throws InputError with positions on syntax errors. */
export function parseYamlText(file: string, text: string): Located {
  checkSize(file, Buffer.byteLength(text));
  const at = (offset: number): SourceLocation => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { file, line, col: offset - before.lastIndexOf('\n') };
  };
  const nul = text.indexOf(NUL);
  if (nul !== -1) throw new InputError('the file contains a NUL byte: CI files are text, and no command, name or value can hold one', at(nul));
  const deep = findExcessiveNesting(text, PRESCAN_DEPTH);
  if (deep) throw tooDeep(at(deep.offset));
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: false, strict: false });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep({ file, line: 1, col: 1 });
    throw error;
  }
  if (doc.errors.length > 0) {
    // Later errors are usually echoes of the first one; show the one that matters.
    const first = doc.errors[0]!;
    const pos = lines.linePos(first.pos[0]);
    if (first.message.startsWith('Maximum call stack size exceeded')) throw tooDeep({ file, line: pos.line, col: pos.col });
    throw new InputError(`YAML syntax error: ${firstLine(first.message)}`, { file, line: pos.line, col: pos.col });
  }
  const walk: Walk = { file, doc, lines, nodes: 0, anchors: collectAnchors(doc) };
  if (doc.contents === null) return { kind: 'map', entries: [], where: { file, line: 1, col: 1 } };
  return convert(walk, doc.contents, 0, []);
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

function whereOf(walk: Walk, node: Node | null | undefined): SourceLocation {
  const offset = node?.range?.[0] ?? 0;
  const pos = walk.lines.linePos(offset);
  return { file: walk.file, line: pos.line, col: pos.col };
}

function convert(walk: Walk, node: Node | null, depth: number, aliasTrail: Node[]): Located {
  if (aliasTrail.length > 0) walk.nodes += 1;
  if (walk.nodes > MAX_ALIASED_NODES) {
    throw new InputError(
      `too many values copied through YAML aliases (more than ${MAX_ALIASED_NODES}); is this an alias bomb?`,
      walk.aliasWhere ?? whereOf(walk, node),
    );
  }
  if (depth > MAX_DEPTH) throw tooDeep(whereOf(walk, node));
  if (node === null) return { kind: 'scalar', value: null, where: { file: walk.file, line: 1, col: 1 } };
  if (isAlias(node)) {
    const target = aliasTarget(walk, node.source, node.range?.[0] ?? 0);
    if (!target) throw new InputError(`unknown YAML alias *${node.source}`, whereOf(walk, node));
    if (aliasTrail.length === 0) walk.aliasWhere = whereOf(walk, node);
    if (aliasTrail.includes(target)) throw new InputError(`YAML alias *${node.source} refers to itself`, whereOf(walk, node));
    return convert(walk, target, depth + 1, [...aliasTrail, target]);
  }
  const where = whereOf(walk, node);
  if (isScalar(node)) return { kind: 'scalar', value: scalarValue(node, where), where };
  if (isSeq(node)) {
    const items = node.items.map((item) => convert(walk, item as Node | null, depth + 1, aliasTrail));
    if (node.tag === '!reference') return toReference(items, where);
    return { kind: 'seq', items, where };
  }
  if (isMap(node)) {
    const own: LocatedEntry[] = [];
    const merged: LocatedEntry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const keyWhere = whereOf(walk, keyNode);
      const key = isScalar(keyNode) ? String(scalarValue(keyNode, keyWhere)) : null;
      if (key === null) throw new InputError('mapping keys must be plain strings', keyWhere);
      const value = convert(walk, pair.value as Node | null, depth + 1, aliasTrail);
      if (key === '<<') merged.push(...mergeSources(value));
      else own.push({ key, keyWhere, value: value.kind === 'scalar' && pair.value === null ? { ...value, where: keyWhere } : value });
    }
    const entries = [...merged.filter((m) => !own.some((o) => o.key === m.key)), ...own];
    return { kind: 'map', entries: dedupeMerged(entries), where };
  }
  throw new InputError('unsupported YAML value', where);
}

/** `<<: *a` or `<<: [*a, *b]`: earlier sources win over later ones, as in YAML 1.1. */
function mergeSources(value: Located): LocatedEntry[] {
  const sources = value.kind === 'seq' ? value.items : [value];
  const out: LocatedEntry[] = [];
  for (const source of sources) {
    if (source.kind !== 'map') throw new InputError('the merge key << needs a mapping or a list of mappings', source.where);
    for (const e of (source as LocatedMap).entries) if (!out.some((o) => o.key === e.key)) out.push(e);
  }
  return out;
}

function dedupeMerged(entries: LocatedEntry[]): LocatedEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.key) ? false : (seen.add(e.key), true)));
}

function toReference(items: Located[], where: SourceLocation): Located {
  const path = items.map((item) => (item.kind === 'scalar' && item.value !== null ? String(item.value) : null));
  if (path.length === 0 || path.some((p) => p === null)) {
    throw new InputError('!reference needs a list of names, e.g. !reference [.setup, script]', where);
  }
  return { kind: 'reference', path: path as string[], where };
}

const BINARY_TAG = 'tag:yaml.org,2002:binary';

function scalarValue(node: Node & { value: unknown }, where: SourceLocation): ScalarValue {
  // The yaml package decodes `!!binary` (base64) into text: a script hidden from whoever reads the file.
  if (node.tag === BINARY_TAG) throw new InputError('!!binary values are not supported: write the text itself, so that it can be read', where);
  const value = node.value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    // A NUL written as the escape "\0" (a raw one is refused with the file): shells drop it silently.
    if (value.includes(NUL)) throw new InputError('a value contains a NUL character ("\\0"): no command, name or variable can hold one', where);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new InputError(`the YAML tag ${node.tag ?? ''} is not supported here: write the value as plain text`, where);
}
