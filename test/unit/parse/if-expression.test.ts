import { describe, expect, it } from 'vitest';
import { ExpressionError, evaluate, parseExpression } from '../../../main/parse/if-expression.js';

const vars: Record<string, string> = { BRANCH: 'main', EMPTY: '', TAG: 'v1.2.3', PATTERN: '/^v\\d+/', MR: 'feature/x' };
const check = (text: string): boolean => evaluate(parseExpression(text), (name) => vars[name]);

describe('rules:if expressions', () => {
  it('compares with == and !=, quoted either way', () => {
    expect(check('$BRANCH == "main"')).toBe(true);
    expect(check("$BRANCH == 'main'")).toBe(true);
    expect(check('$BRANCH != "main"')).toBe(false);
  });

  it('treats undefined variables as null and empty ones as falsy', () => {
    expect(check('$MISSING == null')).toBe(true);
    expect(check('$EMPTY == null')).toBe(false);
    expect(check('$MISSING')).toBe(false);
    expect(check('$EMPTY')).toBe(false);
    expect(check('$BRANCH')).toBe(true);
    expect(check('$MISSING != "x"')).toBe(true);
  });

  it('matches regular expressions with =~ and !~, including from a variable', () => {
    expect(check('$TAG =~ /^v\\d+\\.\\d+/')).toBe(true);
    expect(check('$BRANCH =~ /^MAIN$/i')).toBe(true);
    expect(check('$BRANCH !~ /^release/')).toBe(true);
    expect(check('$TAG =~ $PATTERN')).toBe(true);
    expect(check('$MISSING =~ /xy/')).toBe(false);
    expect(check('$MR =~ /^feature\\//')).toBe(true);
  });

  it('combines with && before ||, and parentheses', () => {
    expect(check('$BRANCH == "dev" || $TAG && $BRANCH == "main"')).toBe(true);
    expect(check('($BRANCH == "dev" || $TAG) && $EMPTY')).toBe(false);
    expect(check('$BRANCH == "dev" || ($TAG =~ /^v/ && $BRANCH == "main")')).toBe(true);
  });

  it('rejects malformed expressions with the offset of the problem', () => {
    expect(() => parseExpression('$A ==')).toThrow('unexpected end of expression');
    expect(() => parseExpression('($A == "x"')).toThrow('missing )');
    expect(() => parseExpression('$A == "x')).toThrow(ExpressionError);
    expect(() => parseExpression('$A = "x"')).toThrow('unknown lexeme at "= "x"" (GitLab: "Unknown lexeme found!")');
    expect(() => parseExpression('')).toThrow('empty expression');
  });

  it('accepts only what GitLab\'s lexer accepts', () => {
    expect(() => parseExpression('${BRANCH} == "dev"')).toThrow('GitLab does not accept ${VAR} here, write $VAR');
    expect(() => parseExpression('$BRANCH =~ /a/')).toThrow('at least two characters between the slashes');
    expect(() => parseExpression('$BRANCH =~ /(/')).toThrow(ExpressionError);
    expect(() => parseExpression('$A == nul')).toThrow('Unknown lexeme found!');
    expect(() => parseExpression(Array.from({ length: 51 }, () => '$A').join(' && '))).toThrow('Too many tokens!');
    expect(check('$1ST == null')).toBe(true); // \w+: digits first are a variable name in GitLab
    expect(check('$BRANCH =~ /^MA/i && $TAG =~ /1\\.2/')).toBe(true);
    expect(check('$MR =~ /^feature\\/x$/')).toBe(true);
    expect(check('$BRANCH == "main" && true')).toBe(true);
    expect(check('false || $BRANCH == ""')).toBe(false);
    expect(check('"" == $EMPTY')).toBe(true);
  });
});
