import { describe, expect, it } from 'vitest';
import { createMasker, createStreamMasker, maskDeep, MASK } from '../../../shared/masking.js';

describe('createMasker', () => {
  it('replaces every occurrence of each secret', () => {
    const m = createMasker(['s3cret', 'tok']);
    expect(m.mask('a s3cret b tok c s3cret')).toBe(`a ${MASK} b ${MASK} c ${MASK}`);
  });

  it('masks the longest secret first so an overlapping shorter one leaves no residue', () => {
    const m = createMasker(['abc', 'abcdef']);
    expect(m.mask('xabcdefx')).toBe(`x${MASK}x`);
  });

  it('ignores empty secrets and reports emptiness', () => {
    expect(createMasker(['']).empty).toBe(true);
    expect(createMasker(['']).mask('hello')).toBe('hello');
  });

  it('does not treat secrets as regular expressions', () => {
    expect(createMasker(['a.b*']).mask('a.b* axbb')).toBe(`${MASK} axbb`);
  });
});

describe('maskDeep', () => {
  it('masks strings nested in objects and arrays, leaving other values', () => {
    const m = createMasker(['pw']);
    const masked = maskDeep({ a: 'pw!', n: 3, list: ['x pw', { deep: 'pw' }], ok: true }, m);
    expect(masked).toEqual({ a: `${MASK}!`, n: 3, list: [`x ${MASK}`, { deep: MASK }], ok: true });
  });
});

describe('createStreamMasker', () => {
  function run(secrets: string[], chunks: string[]): string {
    const s = createStreamMasker(secrets);
    return chunks.map((c) => s.push(c)).join('') + s.flush();
  }

  it('masks a secret split across two chunks', () => {
    expect(run(['hunter2'], ['pass=hun', 'ter2 done'])).toBe(`pass=${MASK} done`);
  });

  it('masks a secret split across many one-character chunks', () => {
    expect(run(['topsecret'], [...'x topsecret y'])).toBe(`x ${MASK} y`);
  });

  it('does not swallow text that only looks like a secret start', () => {
    expect(run(['abcdef'], ['abc', 'xyz'])).toBe('abcxyz');
  });

  it('releases held-back text on flush', () => {
    const s = createStreamMasker(['abcdef']);
    expect(s.push('hello ab')).toBe('hello ');
    expect(s.flush()).toBe('ab');
  });

  it('passes chunks through unchanged without secrets', () => {
    const s = createStreamMasker([]);
    expect(s.push('abc')).toBe('abc');
  });
});
