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
  | { kind: 'null' };

export class ExpressionError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Token = { type: 'op'; value: string; at: number } | { type: 'operand'; value: Operand; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i += 1; continue; }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '=~', '!~', '&&', '||'].includes(two)) { tokens.push({ type: 'op', value: two, at: i }); i += 2; continue; }
    if (c === '(' || c === ')') { tokens.push({ type: 'op', value: c, at: i }); i += 1; continue; }
    if (c === '$') {
      const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/.exec(text.slice(i));
      if (!m) throw new ExpressionError('expected a variable name after $', i);
      tokens.push({ type: 'operand', value: { kind: 'variable', name: m[1]! }, at: i });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new ExpressionError(`unterminated string starting with ${c}`, i);
      tokens.push({ type: 'operand', value: { kind: 'string', value: text.slice(i + 1, end) }, at: i });
      i = end + 1;
      continue;
    }
    if (c === '/') {
      let j = i + 1;
      while (j < text.length && text[j] !== '/') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw new ExpressionError('unterminated regular expression', i);
      const flags = /^[a-z]*/.exec(text.slice(j + 1))![0];
      tokens.push({ type: 'operand', value: { kind: 'regex', source: text.slice(i + 1, j), flags }, at: i });
      i = j + 1 + flags.length;
      continue;
    }
    if (text.startsWith('null', i)) { tokens.push({ type: 'operand', value: { kind: 'null' }, at: i }); i += 4; continue; }
    throw new ExpressionError(`unexpected "${c}"`, i);
  }
  return tokens;
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
      return typeof value === 'string' ? value !== '' : value !== null;
    }
    case 'compare': return compare(expr, lookup);
  }
}

function valueOf(operand: Operand, lookup: Lookup): string | RegExp | null {
  switch (operand.kind) {
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
    const equal = String(left) === String(right) && (left === null) === (right === null);
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
