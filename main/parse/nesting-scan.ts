// A quick look at how deeply a YAML or JSON text nests, before the `yaml` package parses it. That
// package recurses once per level: some hundreds of levels overflow the stack, and after such an
// overflow the next parse in the same process can run out of memory (seen with `jobsim serve`). So a
// text that nests far beyond the limit is refused here, without parsing; the exact limit (with the
// position of the first value too deep) is checked on the parsed tree (yaml-source.ts).
//
// The count never underestimates: every flow `[` or `{` outside quoted scalars, comments and block
// scalars counts, and so does each line more indented than the one it belongs to and each `- `, `? ` or
// `: ` that opens a line. It may overestimate (brackets inside a block plain scalar that starts with
// one); real pipelines nest a dozen levels, so only generated or hostile text comes near the limit.

export interface TooDeep {
  offset: number;
}

interface ScanState {
  readonly text: string;
  readonly limit: number;
  /** The count of the current line's block nesting. */
  depth: number;
  flow: number;
  /** An open quoted scalar (they may span lines). */
  quote: '"' | "'" | undefined;
  /** Inside a `|` or `>` block scalar: the indentation of its parent, then that of its first line. */
  literal: { parent: number; content?: number } | undefined;
}

/** The offset where the nesting count first exceeds `limit`, or undefined. */
export function findExcessiveNesting(text: string, limit: number): TooDeep | undefined {
  const state: ScanState = { text, limit, depth: 0, flow: 0, quote: undefined, literal: undefined };
  const blocks: { indent: number; depth: number }[] = [];
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let pos = start;
    while (pos < end && text[pos] === ' ') pos++;
    const indent = pos - start;
    const empty = pos >= end || text[pos] === '\r';
    const found = scanLine(state, blocks, start, pos, end, indent, empty);
    if (found !== undefined) return { offset: found };
    start = end + 1;
  }
  return undefined;
}

function scanLine(state: ScanState, blocks: { indent: number; depth: number }[], start: number, pos: number, end: number, indent: number, empty: boolean): number | undefined {
  const { text } = state;
  if (state.literal) {
    // In a block scalar a `#` line is text too, and sets the indentation like any other.
    if (empty) return undefined;
    state.literal.content ??= indent > state.literal.parent ? indent : Number.POSITIVE_INFINITY;
    if (indent >= state.literal.content) return undefined;
    state.literal = undefined;
  }
  if (state.quote !== undefined || state.flow > 0) return scanInline(state, start, end, 'flow');
  if (empty || text[pos] === '#') return undefined;
  while (blocks.length > 0 && blocks[blocks.length - 1]!.indent >= indent) blocks.pop();
  state.depth = (blocks[blocks.length - 1]?.depth ?? 0) + 1;
  let nodeColumn = indent;
  while (pos < end && '-?:'.includes(text[pos]!) && (pos + 1 === end || text[pos + 1] === ' ' || text[pos + 1] === '\r')) {
    state.depth++;
    if (state.depth > state.limit) return pos;
    nodeColumn = pos - start;
    pos += 2;
    while (pos < end && text[pos] === ' ') pos++;
  }
  blocks.push({ indent, depth: state.depth });
  if (state.depth > state.limit) return pos;
  state.literal = undefined;
  const found = scanInline(state, pos, end, 'block');
  // A block scalar's header ends its line; what follows, more indented, is text.
  if (state.literal) state.literal = { parent: nodeColumn };
  return found;
}

/**
 * One line from `from`: in block mode a value that starts with `[` or `{` opens flow, one that starts
 * with `|` or `>` opens a block scalar, and any other plain scalar is text up to a `: ` that starts the
 * next value. In flow mode every bracket counts.
 */
function scanInline(state: ScanState, from: number, end: number, mode: 'block' | 'flow'): number | undefined {
  const { text } = state;
  let tokenStart = true;
  let plain = false;
  for (let i = from; i < end; i++) {
    const c = text[i]!;
    if (state.quote !== undefined) {
      if (state.quote === '"' && c === '\\') i++;
      else if (c === state.quote) {
        if (state.quote === "'" && text[i + 1] === "'") i++;
        else state.quote = undefined;
      }
      continue;
    }
    const afterSpace = i === from || text[i - 1] === ' ' || text[i - 1] === '\t';
    if (c === '#' && afterSpace) return undefined;
    if (mode === 'block' && state.flow === 0) {
      if (c === ':' && (i + 1 === end || text[i + 1] === ' ' || text[i + 1] === '\r')) {
        plain = false;
        tokenStart = true;
        continue;
      }
      if (plain || c === ' ' || c === '\t') continue;
      if (tokenStart && (c === '&' || c === '!')) {
        while (i + 1 < end && text[i + 1] !== ' ') i++;
        continue;
      }
      if (tokenStart && (c === '|' || c === '>')) {
        state.literal = { parent: 0 };
        return undefined;
      }
      if (!(tokenStart && (c === '[' || c === '{' || c === '"' || c === "'"))) {
        plain = true;
        continue;
      }
    }
    if ((c === '"' || c === "'") && tokenStart) {
      state.quote = c;
      tokenStart = false;
      continue;
    }
    if (c === '[' || c === '{') {
      state.flow++;
      if (state.depth + state.flow > state.limit) return i;
      tokenStart = true;
      continue;
    }
    if (c === ']' || c === '}') {
      state.flow = Math.max(0, state.flow - 1);
      tokenStart = false;
      // After a flow collection in block context (`[a, b]: value`) the brackets go on counting: an overestimate.
      mode = 'flow';
      continue;
    }
    if (c === ',' || c === ':' || c === '-' || c === '?') tokenStart = true;
    else if (c !== ' ' && c !== '\t') tokenStart = false;
  }
  return undefined;
}
