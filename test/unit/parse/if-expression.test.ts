import { describe, expect, it } from 'vitest';
import { ExpressionError, evaluate, parseExpression } from '../../../main/parse/if-expression.js';

const vars: Record<string, string> = { BRANCH: 'main', EMPTY: '', TAG: 'v1.2.3', PATTERN: '/^v\\d+/', MR: 'feature/x' };
const check = (text: string): boolean => evaluate(parseExpression(text), (name) => vars[name]);

describe('rules:if expressions', () => {
  it('compares with == and !=, quoted either way', () => {
    expect(check('$BRANCH == "main"')).toBe(true);
    expect(check("$BRANCH == 'main'")).toBe(true);
    expect(check('$BRANCH != "main"')).toBe(false);
    expect(check('${BRANCH} == "dev"')).toBe(false);
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
    expect(check('$MISSING =~ /x/')).toBe(false);
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
    expect(() => parseExpression('$A = "x"')).toThrow('unexpected "="');
    expect(() => parseExpression('')).toThrow('empty expression');
  });
});
