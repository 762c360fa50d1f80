// YAML (and JSON, a subset of it) → a located tree, read the way GitLab reads it (Ruby's Psych, YAML 1.1):
// scalars are typed by psych-scalar.ts, a repeated key keeps the last value, `<<` merges in order.
// Positions come from the `yaml` package's CST via a LineCounter. Aliases and merge keys are expanded
// here, with a budget against alias bombs.

import { LineCounter, Scalar, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../../shared/plan.js';
import { InputError } from '../errors.js';
import type { Located, LocatedEntry, LocatedMap, ScalarValue } from './located.js';
import { scalarText } from './located.js';
import { findExcessiveNesting } from './nesting-scan.js';
import { rubyFloatText, tokenizePlain } from './psych-scalar.js';

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

/** Where warnings about the file itself go (duplicate keys); Problems is one. */
export interface WarningSink {
  warn(message: string, where?: SourceLocation): void;
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
  warnings: WarningSink | undefined;
  warned: Set<string>;
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
export function parseYamlText(file: string, text: string, warnings?: WarningSink): Located {
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
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, schema: 'failsafe', uniqueKeys: false, merge: false, strict: false });
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
  const walk: Walk = { file, doc, lines, nodes: 0, anchors: collectAnchors(doc), warnings, warned: new Set() };
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
  if (isScalar(node)) return { kind: 'scalar', ...scalarValue(node, where), where };
  if (isSeq(node)) {
    const items = node.items.map((item) => convert(walk, item as Node | null, depth + 1, aliasTrail));
    if (node.tag === '!reference') return toReference(items, where);
    return { kind: 'seq', items, where };
  }
  if (isMap(node)) {
    const map = new RubyHash(walk);
    for (const pair of node.items) {
      const written = pair.key as Node | null;
      const keyWhere = whereOf(walk, written);
      const keyNode = isAlias(written) ? aliasTarget(walk, written.source, written.range?.[0] ?? 0) : written;
      if (!isScalar(keyNode)) throw new InputError('mapping keys must be plain strings', keyWhere);
      const key = scalarText({ kind: 'scalar', ...scalarValue(keyNode, keyWhere), where: keyWhere });
      const value = convert(walk, pair.value as Node | null, depth + 1, aliasTrail);
      if (key === '<<' && keyNode.tag !== STR_TAG) {
        // Psych merges a mapping, an alias of one, or a list written in place; an alias of a list is a plain key.
        if (isAlias(pair.value) && value.kind === 'seq') {
          throw new InputError('<< with an alias of a list merges nothing in GitLab\'s YAML reader: write the list in place, e.g. <<: [*a, *b]', whereOf(walk, pair.value));
        }
        map.merge(mergeSources(value), keyWhere);
      }
      else map.set({ key, keyWhere, value: value.kind === 'scalar' && pair.value === null ? { ...value, where: keyWhere } : value });
    }
    return { kind: 'map', entries: map.entries(), where };
  }
  throw new InputError('unsupported YAML value', where);
}

/**
 * A mapping built the way Psych builds a Ruby Hash: a repeated key keeps its first place and takes the
 * last value; each `<<` merges in turn, replacing the keys written (or merged) before it.
 */
class RubyHash {
  private readonly byKey = new Map<string, { entry: LocatedEntry; merged: boolean }>();

  constructor(private readonly walk: Walk) {}

  set(entry: LocatedEntry): void {
    const before = this.byKey.get(entry.key);
    if (before && !before.merged) {
      warnOnce(this.walk, `key "${entry.key}" is written twice in this mapping (lines ${before.entry.keyWhere.line} and ${entry.keyWhere.line}); GitLab keeps the last one`, entry.keyWhere);
    }
    this.byKey.set(entry.key, { entry, merged: false });
  }

  merge(entries: LocatedEntry[], mergeWhere: SourceLocation): void {
    for (const entry of entries) {
      const before = this.byKey.get(entry.key);
      if (before && !before.merged) {
        warnOnce(
          this.walk,
          `the merge key << replaces "${entry.key}" written at line ${before.entry.keyWhere.line}: GitLab's YAML reader applies << in order, so the merged value wins; put << first to keep your own`,
          mergeWhere,
        );
      }
      this.byKey.set(entry.key, { entry, merged: true });
    }
  }

  entries(): LocatedEntry[] {
    return [...this.byKey.values()].map((v) => v.entry);
  }
}

/** `<<: *a` or `<<: [*a, *b]`: in a list, earlier sources win over later ones (Psych merges them in reverse). */
function mergeSources(value: Located): LocatedEntry[] {
  const sources = value.kind === 'seq' ? value.items : [value];
  const combined = new Map<string, LocatedEntry>();
  for (const source of [...sources].reverse()) {
    if (source.kind !== 'map') throw new InputError('the merge key << needs a mapping or a list of mappings', source.where);
    for (const e of (source as LocatedMap).entries) combined.set(e.key, e);
  }
  return [...combined.values()];
}

/** A mapping reached through several aliases is converted each time; its warnings are given once. */
function warnOnce(walk: Walk, message: string, where: SourceLocation): void {
  const id = `${where.line}:${where.col}:${message}`;
  if (walk.warned.has(id)) return;
  walk.warned.add(id);
  walk.warnings?.warn(message, where);
}

function toReference(items: Located[], where: SourceLocation): Located {
  const path = items.map((item) => (item.kind === 'scalar' && item.value !== null ? String(item.value) : null));
  if (path.length === 0 || path.some((p) => p === null)) {
    throw new InputError('!reference needs a list of names, e.g. !reference [.setup, script]', where);
  }
  return { kind: 'reference', path: path as string[], where };
}

const BINARY_TAG = 'tag:yaml.org,2002:binary';
const STR_TAG = 'tag:yaml.org,2002:str';
const FLOAT_TAG = 'tag:yaml.org,2002:float';

/** A scalar typed as Psych types it: quoted and block scalars are text, plain ones go through tokenizePlain. */
function scalarValue(node: Scalar, where: SourceLocation): { value: ScalarValue; text?: string } {
  // The yaml package decodes `!!binary` (base64) into text: a script hidden from whoever reads the file.
  if (node.tag === BINARY_TAG) throw new InputError('!!binary values are not supported: write the text itself, so that it can be read', where);
  // `source` is the text before the yaml package's own typing (it knows tags such as !!timestamp).
  const raw: unknown = typeof node.source === 'string' ? node.source : node.value;
  const source = typeof raw === 'string' ? raw : String(raw ?? '');
  // A NUL written as the escape "\0" (a raw one is refused with the file): shells drop it silently.
  if (source.includes(NUL)) throw new InputError('a value contains a NUL character ("\\0"): no command, name or variable can hold one', where);
  if (node.tag === STR_TAG || (node.tag === undefined && node.type !== Scalar.PLAIN)) return { value: source };
  const typed = tokenizePlain(source);
  if (typed.kind === 'refused') {
    throw new InputError(
      `"${source}" reads as a ${typed.rubyClass === 'Date' ? 'date' : 'time'}, which GitLab's YAML reader refuses ("Tried to load unspecified class: ${typed.rubyClass}"): quote it to keep it as text`,
      where,
    );
  }
  if (node.tag === FLOAT_TAG) {
    if (typeof typed.value !== 'number') throw new InputError(`!!float needs a number, not "${source}"`, where);
    return { value: typed.value, text: rubyFloatText(typed.value) };
  }
  return typed.text === undefined ? { value: typed.value } : { value: typed.value, text: typed.text };
}
