// Ruby's File.fnmatch? with FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB, the flags GitLab matches
// `rules:changes`, `only:changes` and `rules:exists` globs with: `*`, `?` and `[...]` never cross a `/`,
// `**/` at the start of a segment is zero or more folders, `{a,b}` alternatives (nested too), `\` escapes
// the next character, and a leading dot needs no special pattern.

const MAX_ALTERNATIVES = 1024;

/** A predicate for the path, compiled once; a pattern never throws, whatever it holds. */
export function compileGlob(pattern: string): (path: string) => boolean {
  const regexes = expandBraces(pattern).map((p) => new RegExp(`^${toRegexSource(p)}$`, 's'));
  return (path) => regexes.some((r) => r.test(path));
}

export function fnmatch(pattern: string, path: string): boolean {
  return compileGlob(pattern)(path);
}

/** `a{b,c{d,e}}f` → abf, acdf, acef. A `{` without its `}` matches nothing (Ruby); a lone `}` is literal. */
export function expandBraces(pattern: string): string[] {
  const open = findUnescaped(pattern, '{', 0);
  if (open < 0) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') i += 1;
    else if (c === '{') depth += 1;
    else if (c === '}') {
      depth -= 1;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close < 0) return [];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k += 1) {
    const middle = pattern.slice(bounds[k]! + 1, bounds[k + 1]);
    for (const rest of expandBraces(middle + tail)) {
      out.push(head + rest);
      if (out.length >= MAX_ALTERNATIVES) return out;
    }
  }
  return out;
}

function findUnescaped(text: string, char: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === char) return i;
  }
  return -1;
}

const escapeRegex = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function toRegexSource(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const segmentStart = i === 0 || pattern[i - 1] === '/';
    if (c === '*' && segmentStart && pattern.startsWith('**/', i)) {
      out += '(?:[^/]*/)*';
      i += 3;
    } else if (c === '*') {
      out += '[^/]*';
      i += 1;
    } else if (c === '?') {
      out += '[^/]';
      i += 1;
    } else if (c === '[') {
      const bracket = readBracket(pattern, i);
      // Ruby: a `[` without its `]` matches nothing.
      if (!bracket) return '(?!)';
      out += bracket.source;
      i = bracket.end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      out += escapeRegex(pattern[i + 1]!);
      i += 2;
    } else {
      out += escapeRegex(c);
      i += 1;
    }
  }
  return out;
}

/** `[abc]`, `[a-z]`, `[!x]` / `[^x]` (`[]` is empty); never matches `/`. Undefined without a closing `]`. */
function readBracket(pattern: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i += 1;
  }
  const parts: string[] = [];
  while (i < pattern.length && pattern[i] !== ']') {
    let c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      i += 1;
      c = pattern[i]!;
    }
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      let to = pattern[i + 2]!;
      let skip = 3;
      if (to === '\\' && i + 3 < pattern.length) {
        to = pattern[i + 3]!;
        skip = 4;
      }
      if (to >= c) parts.push(`${escapeClass(c)}-${escapeClass(to)}`);
      i += skip;
    } else {
      parts.push(escapeClass(c));
      i += 1;
    }
  }
  if (i >= pattern.length) return undefined;
  const set = parts.join('');
  const source = negate ? `[^/${set}]` : set === '' ? '(?!)' : `(?!/)[${set}]`;
  return { source, end: i + 1 };
}

const escapeClass = (c: string): string => c.replace(/[\]\\^-]/g, '\\$&');
