import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../../main/parse/did-you-mean.js';

describe('did you mean', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('image', 'image')).toBe(0);
    expect(editDistance('imag', 'image')).toBe(1);
    expect(editDistance('imgae', 'image')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the closest candidate when it is a likely typo', () => {
    const keys = ['privileged', 'pull_policy', 'allowed_pull_policies', 'builds_dir', 'image'];
    expect(suggest('privilegd', keys)).toBe('privileged');
    expect(suggest('pullpolicy', keys)).toBe('pull_policy');
    expect(suggest('build_dir', keys)).toBe('builds_dir');
    expect(suggest('IMAGE', keys)).toBe('image');
  });

  it('suggests nothing for words that are not near any candidate', () => {
    expect(suggest('colour', ['image', 'services'])).toBeUndefined();
    expect(suggest('x', [])).toBeUndefined();
    // Short words allow one edit only: `img` is two away from `image`.
    expect(suggest('img', ['image'])).toBeUndefined();
  });
});
