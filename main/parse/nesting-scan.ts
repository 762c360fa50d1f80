// A quick look at how deeply a YAML or JSON text nests, before the `yaml` package parses it. That
// package recurses once per level: some hundreds of levels overflow the stack, and after such an
// overflow the next parse in the same process can run out of memory (seen in `jobsim serve`). So a
// text that nests far beyond the limit is refused here, without parsing; the exact limit (with the
// position of the first value too deep) is checked on the parsed tree (yaml-source.ts).
//
// The count is an upper bound of the real depth within a small factor: each flow `[` or `{` outside
// quotes and comments, each line more indented than the one it belongs to, each `- `, `? ` or `: `
// that opens the line. Real pipelines nest a dozen levels; only generated or hostile text reaches this.

export interface TooDeep {
  offset: number;
}

/** The offset where the nesting count first exceeds `limit`, or undefined. */
export function findExcessiveNesting(text: string, limit: number): TooDeep | undefined {
  // Enclosing lines: their indentation and the count at their start.
  const blocks: { indent: number; depth: number }[] = [];
  let flow = 0;
  let flowIndent = -1;
  let offset = 0;
  while (offset < text.length) {
    let end = text.indexOf('\n', offset);
    if (end === -1) end = text.length;
    let pos = offset;
    while (pos < end && text[pos] === ' ') pos++;
    const indent = pos - offset;
    const blank = pos >= end || text[pos] === '#' || text[pos] === '\r';
    if (!blank) {
      const closer = text[pos] === ']' || text[pos] === '}' || text[pos] === ',';
      // In block context a flow collection's lines are indented more than where it started.
      if (flow > 0 && indent <= flowIndent && !closer) flow = 0;
      while (blocks.length > 0 && blocks[blocks.length - 1]!.indent >= indent) blocks.pop();
      let depth = (blocks[blocks.length - 1]?.depth ?? 0) + 1;
      while (pos < end && '-?:'.includes(text[pos]!) && (pos + 1 === end || text[pos + 1] === ' ')) {
        depth++;
        if (depth + flow > limit) return { offset: pos };
        pos += 2;
        while (pos < end && text[pos] === ' ') pos++;
      }
      blocks.push({ indent, depth });
      if (depth + flow > limit) return { offset: pos };
      const found = scanFlow(text, pos, end, (next) => {
        if (flow === 0 && next > 0) flowIndent = indent;
        flow = next;
        return depth + flow > limit;
      }, flow);
      if (found !== undefined) return { offset: found };
    }
    offset = end + 1;
  }
  return undefined;
}

/** Walks one line's flow brackets; `onDepth` returns true to stop there (the offset is returned). */
function scanFlow(text: string, from: number, end: number, onDepth: (flow: number) => boolean, start: number): number | undefined {
  let flow = start;
  let tokenStart = true;
  for (let i = from; i < end; i++) {
    const c = text[i]!;
    if (c === '#' && (i === from || text[i - 1] === ' ' || text[i - 1] === '\t')) return undefined;
    if ((c === '"' || c === "'") && tokenStart) {
      i = quotedEnd(text, i, end, c);
      tokenStart = false;
      continue;
    }
    if (c === '[' || c === '{') {
      flow++;
      if (onDepth(flow)) return i;
      tokenStart = true;
      continue;
    }
    if (c === ']' || c === '}') {
      flow = Math.max(0, flow - 1);
      onDepth(flow);
      tokenStart = false;
      continue;
    }
    if (c === ',' || c === ':' || c === '-' || c === '?') tokenStart = true;
    else if (c !== ' ' && c !== '\t') tokenStart = false;
  }
  return undefined;
}

/** The offset of the closing quote (or the line's end): a quote starts a scalar only where a token starts. */
function quotedEnd(text: string, open: number, end: number, quote: string): number {
  for (let i = open + 1; i < end; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return end;
}
