import { describe, expect, it } from 'vitest';
import { InputError } from '../../../main/errors.js';
import { toPlain, type Located } from '../../../main/parse/located.js';
import { MAX_FILE_BYTES, checkSize, parseYamlText } from '../../../main/parse/yaml-source.js';
import { parseJsonText } from '../../../main/parse/source-file.js';

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('YAML with positions', () => {
  it('records 1-based line and column of keys and values', () => {
    const tree = parseYamlText('ci.yml', 'a: 1\nb:\n  c: [x, y]\n');
    expect(tree.kind).toBe('map');
    const b = tree.kind === 'map' ? tree.entries[1]! : undefined;
    expect(b?.keyWhere).toEqual({ file: 'ci.yml', line: 2, col: 1 });
    const c = b?.value.kind === 'map' ? b.value.entries[0]! : undefined;
    expect(c?.value.where).toEqual({ file: 'ci.yml', line: 3, col: 6 });
  });

  it('expands anchors, aliases and merge keys (own keys after << win, first source in a list wins)', () => {
    const tree = parseYamlText('x.yml', '.a: &a {k: a, only_a: 1}\n.b: &b {k: b, only_b: 2}\njob:\n  <<: [*a, *b]\n  own: 3\nlist: *a\n');
    expect(toPlain(tree)).toEqual({
      '.a': { k: 'a', only_a: 1 },
      '.b': { k: 'b', only_b: 2 },
      job: { k: 'a', only_a: 1, only_b: 2, own: 3 },
      list: { k: 'a', only_a: 1 },
    });
  });

  it('resolves an alias to the latest anchor of that name defined before it', () => {
    const tree = parseYamlText('x.yml', 'a: &v one\nb: *v\nc: &v two\nd: *v\n');
    expect(toPlain(tree)).toEqual({ a: 'one', b: 'one', c: 'two', d: 'two' });
  });

  it('reports an alias with no anchor before it', () => {
    expect(errorOf(() => parseYamlText('x.yml', 'a: *nope\n')).message).toMatch(/^x\.yml:1:4: /);
  });

  it('keeps !reference tags for later resolution', () => {
    const tree = parseYamlText('x.yml', 'job:\n  script: !reference [.setup, script]\n');
    const script = tree.kind === 'map' && tree.entries[0]!.value.kind === 'map' ? tree.entries[0]!.value.entries[0]!.value : undefined;
    expect(script).toEqual({ kind: 'reference', path: ['.setup', 'script'], where: { file: 'x.yml', line: 2, col: 22 } } satisfies Located);
  });

  it('reports the first syntax error with its position', () => {
    const error = errorOf(() => parseYamlText('ci.yml', 'a: [1, 2\nb: 3\n'));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(/^ci\.yml:\d+:\d+: YAML syntax error: /);
  });


  it('treats an empty file as an empty mapping', () => {
    expect(toPlain(parseYamlText('ci.yml', '# nothing\n'))).toEqual({});
  });

  it('rejects files over the size limit before reading them', () => {
    expect(errorOf(() => checkSize('big.yml', MAX_FILE_BYTES + 1)).message).toBe('big.yml:1:1: file is too large (10.0 MB; the limit is 10 MB)');
    expect(() => checkSize('ok.yml', MAX_FILE_BYTES)).not.toThrow();
  });

  it('stops alias bombs at the alias that blows the budget', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 7; i += 1) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const error = errorOf(() => parseYamlText('bomb.yml', levels.join('\n')));
    expect(error.message).toContain('is this an alias bomb?');
    expect(error.problems[0]?.where?.line).toBeGreaterThan(1);
  });
});

describe('JSON with positions', () => {
  it('reads JSON with line and column of each key', () => {
    const tree = parseJsonText('ci.json', '{\n  "image": "ruby",\n  "test:2.1": {"script": ["x"]}\n}\n');
    expect(tree.kind === 'map' && tree.entries.map((e) => [e.key, e.keyWhere.line, e.keyWhere.col])).toEqual([
      ['image', 2, 3],
      ['test:2.1', 3, 3],
    ]);
  });

  it('reports JSON syntax errors at their line and column', () => {
    expect(errorOf(() => parseJsonText('ci.json', '{\n  "a": 1,\n  "b": ]\n}')).message).toMatch(/^ci\.json:3:8: JSON syntax error: /);
  });
});
