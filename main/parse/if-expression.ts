// GitLab's `rules:if` expressions: `$VAR`, "strings", /regex/, null, ==, !=, =~, !~, &&, ||, ( ).
// Parsed once into a tree, then evaluated against the job's variables.

export type Expr =
  | { kind: 'or' | 'and'; left: Expr; right: Expr }
  | { kind: 'compare'; op: '==' | '!=' | '=~' | '!~'; left: Operand; right: Operand }
  | { kind: 'truthy'; operand: Operand };

export type Operand =
  | { kind: 'variable'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'regex'; source: string; flags: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export class ExpressionError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Token = { type: 'op'; value: string; at: number } | { type: 'operand'; value: Operand; at: number };

/**
 * GitLab's lexer (lib/gitlab/ci/pipeline/expression/lexer.rb and lexeme/*.rb), pattern for pattern:
 * `$name` with `\w` characters only (no `${VAR}`), "…" or '…' without escapes, `/…/` of two or more
 * characters with flags from `ismU`, `null`, `true`/`false`, the six operators and parentheses. Anything
 * else is GitLab's "Unknown lexeme found!"; more than 100 tokens is "Too many tokens!".
 */
const LEXEMES: { pattern: RegExp; token: (match: RegExpExecArray) => Omit<Token, 'at'> }[] = [
  { pattern: /\(|\)|==|=~|!=|!~|&&|\|\|/y, token: (m) => ({ type: 'op', value: m[0] }) },
  { pattern: /\$(\w+)/y, token: (m) => ({ type: 'operand', value: { kind: 'variable', name: m[1]! } }) },
  { pattern: /"(.*?)"|'(.*?)'/sy, token: (m) => ({ type: 'operand', value: { kind: 'string', value: m[1] ?? m[2]! } }) },
  { pattern: /\/((?:[^/]|\\\/)+[^\\])\/([ismU]*)/y, token: (m) => ({ type: 'operand', value: { kind: 'regex', source: m[1]!.replace(/\\\//g, '/'), flags: m[2]! } }) },
  { pattern: /null/y, token: () => ({ type: 'operand', value: { kind: 'null' } }) },
  { pattern: /\b(?:true|false)\b/y, token: (m) => ({ type: 'operand', value: { kind: 'boolean', value: m[0] === 'true' } }) },
];
const MAX_TOKENS = 100;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i += 1;
    if (i >= text.length) return tokens;
    if (tokens.length >= MAX_TOKENS) throw new ExpressionError(`more than ${MAX_TOKENS} tokens (GitLab: "Too many tokens!")`, i);
    const found = LEXEMES.map(({ pattern, token }) => {
      pattern.lastIndex = i;
      const m = pattern.exec(text);
      return m ? { m, token } : undefined;
    }).find(Boolean);
    if (!found) throw new ExpressionError(`unknown lexeme at "${text.slice(i, i + 20)}"${lexemeHint(text.slice(i))} (GitLab: "Unknown lexeme found!")`, i);
    const token = { ...found.token(found.m), at: i } as Token;
    if (token.type === 'operand' && token.value.kind === 'regex' && !validRegex(token.value.source, token.value.flags)) {
      throw new ExpressionError(`invalid regular expression /${token.value.source}/ (GitLab: "Invalid regular expression!")`, i);
    }
    tokens.push(token);
    i += found.m[0].length;
  }
}

function lexemeHint(rest: string): string {
  if (rest.startsWith('${')) return ': GitLab does not accept ${VAR} here, write $VAR';
  if (/^\/.?\//.test(rest)) return ': GitLab needs at least two characters between the slashes of a pattern';
  return '';
}

function validRegex(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags.replace(/[^ims]/g, ''));
    return true;
  } catch {
    return false;
  }
}

export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const atOp = (value: string): boolean => {
    const t = peek();
    return t?.type === 'op' && t.value === value;
  };
  const offset = (): number => peek()?.at ?? text.length;

  const parseOr = (): Expr => {
    let left = parseAnd();
    while (atOp('||')) { pos += 1; left = { kind: 'or', left, right: parseAnd() }; }
    return left;
  };
  const parseAnd = (): Expr => {
    let left = parsePrimary();
    while (atOp('&&')) { pos += 1; left = { kind: 'and', left, right: parsePrimary() }; }
    return left;
  };
  const parsePrimary = (): Expr => {
    if (atOp('(')) {
      pos += 1;
      const inner = parseOr();
      if (!atOp(')')) throw new ExpressionError('missing )', offset());
      pos += 1;
      return inner;
    }
    const left = parseOperand();
    const t = peek();
    if (t?.type === 'op' && ['==', '!=', '=~', '!~'].includes(t.value)) {
      pos += 1;
      const right = parseOperand();
      return { kind: 'compare', op: t.value as '==' | '!=' | '=~' | '!~', left, right };
    }
    return { kind: 'truthy', operand: left };
  };
  const parseOperand = (): Operand => {
    const t = peek();
    if (t?.type !== 'operand') throw new ExpressionError(t ? `unexpected "${t.value as string}"` : 'unexpected end of expression', offset());
    pos += 1;
    return t.value;
  };

  if (tokens.length === 0) throw new ExpressionError('empty expression', 0);
  const expr = parseOr();
  if (pos < tokens.length) throw new ExpressionError(`unexpected "${tokenText(tokens[pos]!)}"`, offset());
  return expr;
}

function tokenText(t: Token): string {
  if (t.type === 'op') return t.value;
  return t.value.kind === 'variable' ? `$${t.value.name}` : t.value.kind;
}

type Lookup = (name: string) => string | undefined;

export function evaluate(expr: Expr, lookup: Lookup): boolean {
  switch (expr.kind) {
    case 'or': return evaluate(expr.left, lookup) || evaluate(expr.right, lookup);
    case 'and': return evaluate(expr.left, lookup) && evaluate(expr.right, lookup);
    case 'truthy': {
      const value = valueOf(expr.operand, lookup);
      return typeof value === 'string' ? value !== '' : value !== null && value !== false;
    }
    case 'compare': return compare(expr, lookup);
  }
}

function valueOf(operand: Operand, lookup: Lookup): string | RegExp | boolean | null {
  switch (operand.kind) {
    case 'boolean': return operand.value;
    case 'variable': return lookup(operand.name) ?? null;
    case 'string': return operand.value;
    case 'null': return null;
    case 'regex': return toRegExp(operand.source, operand.flags);
  }
}

export function toRegExp(source: string, flags: string): RegExp {
  try {
    return new RegExp(source, flags.replace(/[^imsu]/g, ''));
  } catch {
    return /(?!)/;
  }
}

function compare(expr: Extract<Expr, { kind: 'compare' }>, lookup: Lookup): boolean {
  const left = valueOf(expr.left, lookup);
  let right = valueOf(expr.right, lookup);
  if (expr.op === '==' || expr.op === '!=') {
    const equal = String(left) === String(right) && typeof left === typeof right && (left === null) === (right === null);
    return expr.op === '==' ? equal : !equal;
  }
  // `$VAR =~ $PATTERN`: a variable holding `/regex/` is used as a pattern.
  if (typeof right === 'string') {
    const m = /^\/(.*)\/([a-z]*)$/s.exec(right);
    right = m ? toRegExp(m[1]!, m[2]!) : null;
  }
  const matched = right instanceof RegExp && typeof left === 'string' && right.test(left);
  return expr.op === '=~' ? matched : !matched;
}
