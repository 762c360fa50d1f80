// GitLab reads .gitlab-ci.yml with Ruby's Psych (YAML 1.1). Each expectation here is what Psych gives
// (checked against Psych 4 and its source, lib/psych/scalar_scanner.rb and visitors/to_ruby.rb).

import { describe, expect, it } from 'vitest';
import { InputError } from '../../../main/errors.js';
import { scalarText, toPlain, type Located } from '../../../main/parse/located.js';
import { rubyFloatText, tokenizePlain } from '../../../main/parse/psych-scalar.js';
import { parseYamlText } from '../../../main/parse/yaml-source.js';
import type { ParseWarning } from '../../../shared/plan.js';

function read(text: string): { tree: Located; warnings: ParseWarning[] } {
  const warnings: ParseWarning[] = [];
  const tree = parseYamlText('ci.yml', text, { warn: (message, where) => warnings.push({ message, where }) });
  return { tree, warnings };
}

function entryOf(tree: Located, ...path: string[]): Located {
  let node = tree;
  for (const key of path) {
    if (node.kind !== 'map') throw new Error(`not a mapping at ${key}`);
    const found = node.entries.find((e) => e.key === key);
    if (!found) throw new Error(`no ${key}`);
    node = found.value;
  }
  return node;
}

function texts(yamlList: string): (string | null)[] {
  const list = entryOf(read(`a: ${yamlList}\n`).tree, 'a');
  if (list.kind !== 'seq') throw new Error('not a list');
  return list.items.map((item) => (item.kind === 'scalar' ? (item.value === null ? null : `${typeof item.value}:${scalarText(item)}`) : item.kind));
}

describe('duplicate keys, as Psych builds a Ruby Hash', () => {
  it('keeps the last value of a repeated key, in the place of the first, and warns with both lines', () => {
    const { tree, warnings } = read('job:\n  script: [one]\n  image: busybox\n  script: [two]\n');
    expect(toPlain(tree)).toEqual({ job: { script: ['two'], image: 'busybox' } });
    expect(entryOf(tree, 'job').kind === 'map' && (entryOf(tree, 'job') as { entries: { key: string }[] }).entries.map((e) => e.key)).toEqual(['script', 'image']);
    expect(warnings).toEqual([
      { message: 'key "script" is written twice in this mapping (lines 2 and 4); GitLab keeps the last one', where: { file: 'ci.yml', line: 4, col: 3 } },
    ]);
  });

  it('points later messages at the definition that won', () => {
    const { tree } = read('job:\n  stage: build\n  stage: test\n');
    const job = entryOf(tree, 'job');
    expect(job.kind === 'map' && job.entries[0]!.keyWhere).toEqual({ file: 'ci.yml', line: 3, col: 3 });
    expect(entryOf(tree, 'job', 'stage')).toMatchObject({ value: 'test', where: { line: 3, col: 10 } });
  });

  it('a job written twice is the last one, listed where the first one was', () => {
    const { tree } = read('a: {script: [1st]}\nb: {script: [b]}\na: {script: [2nd]}\n');
    expect(Object.entries(toPlain(tree) as object)).toEqual([['a', { script: ['2nd'] }], ['b', { script: ['b'] }]]);
  });

  it('applies each of two << keys in turn: the second wins on shared keys, both add theirs, silently', () => {
    const { tree, warnings } = read('.a: &a {k: a, ka: 1}\n.b: &b {k: b, kb: 2}\njob:\n  <<: *a\n  <<: *b\n  own: 3\n');
    expect(toPlain(entryOf(tree, 'job'))).toEqual({ k: 'b', ka: 1, kb: 2, own: 3 });
    expect(warnings).toEqual([]);
  });

  it('<<: [*a, *b]: the earlier source in the list wins', () => {
    const { tree } = read('.a: &a {k: a, ka: 1}\n.b: &b {k: b, kb: 2}\njob:\n  <<: [*a, *b]\n');
    expect(Object.entries(toPlain(entryOf(tree, 'job')) as object)).toEqual([['k', 'a'], ['kb', 2], ['ka', 1]]);
  });

  it('a key written after << wins over the merged one', () => {
    expect(toPlain(entryOf(read('.x: &x {k: merged, m: 1}\njob:\n  <<: *x\n  k: own\n').tree, 'job'))).toEqual({ k: 'own', m: 1 });
  });

  it('a << written after a key replaces it (Psych merges in order), with a warning naming both', () => {
    const { tree, warnings } = read('.x: &x {k: merged, m: 1}\njob:\n  k: own\n  <<: *x\n');
    expect(toPlain(entryOf(tree, 'job'))).toEqual({ k: 'merged', m: 1 });
    expect(warnings).toEqual([
      {
        message: 'the merge key << replaces "k" written at line 3: GitLab\'s YAML reader applies << in order, so the merged value wins; put << first to keep your own',
        where: { file: 'ci.yml', line: 4, col: 3 },
      },
    ]);
  });

  it('a quoted "<<" merges too, a !!str one is an ordinary key', () => {
    expect(toPlain(entryOf(read(".a: &a {k: a}\njob:\n  '<<': *a\n").tree, 'job'))).toEqual({ k: 'a' });
    expect(toPlain(entryOf(read('.a: &a {k: a}\njob:\n  !!str <<: x\n').tree, 'job'))).toEqual({ '<<': 'x' });
  });

  it('warns once about a mapping that several aliases copy', () => {
    const { warnings } = read('.t: &t\n  a: 1\n  a: 2\nx: *t\ny: *t\n');
    expect(warnings).toHaveLength(1);
  });
});

describe('scalars, as Psych types them', () => {
  it('yes/no/on/off/true/false in any case are booleans; y and n are text', () => {
    expect(texts('[yes, Yes, YES, yEs, on, ON, true, tRuE, no, NO, off, Off, false, FALSE]')).toEqual([
      ...Array(8).fill('boolean:true'),
      ...Array(6).fill('boolean:false'),
    ]);
    expect(texts('[y, Y, n, N, yess, "yes", \'on\', onion]')).toEqual(['string:y', 'string:Y', 'string:n', 'string:N', 'string:yess', 'string:yes', 'string:on', 'string:onion']);
  });

  it('null is ~, null in any case, or nothing', () => {
    expect(texts('[~, null, NULL, nUlL, "", nullx]')).toEqual([null, null, null, null, 'string:', 'string:nullx']);
  });

  it('integers: a leading 0 is octal, 0x hex, 0b binary, _ and , are dropped; 08 and 1e5 stay text', () => {
    expect(texts('[0755, 0x1F, 0b101, 1_000, -0, +12, 08, 1e5, 0o755, 12345678901234567890]')).toEqual([
      'number:493', 'number:31', 'number:5', 'number:1000', 'number:0', 'number:12', 'string:08', 'string:1e5', 'string:0o755', 'number:12345678901234567890',
    ]);
    expect(scalarText(entryOf(read('a: 1,000\n').tree, 'a') as never)).toBe('1000');
  });

  it('floats print as Ruby prints them: 1.10 is "1.1", 1.0 stays "1.0"', () => {
    expect(texts('[1.10, 1.0, 1., .5, -0.0, 1.0e+3, 1.5e3, 6.02e+23, 0.00001, .inf, -.Inf, .NaN, 3.10]')).toEqual([
      'number:1.1', 'number:1.0', 'number:1.0', 'number:0.5', 'number:-0.0', 'number:1000.0', 'string:1.5e3', 'number:6.02e+23', 'number:1.0e-05', 'number:Infinity', 'number:-Infinity', 'number:NaN', 'number:3.1',
    ]);
  });

  it('sexagesimal numbers use Psych\'s arithmetic (two parts count as hours and minutes)', () => {
    expect(texts('[1:20, 12:30:45, 1:20.5, 8080:80, 1:60, "1:20"]')).toEqual(['number:4800', 'number:45045', 'number:4830.0', 'string:8080:80', 'string:1:60', 'string:1:20']);
  });

  it('a :symbol becomes its name, as Ruby\'s to_s gives it', () => {
    expect(texts("[:foo, ':foo']")).toEqual(['string:foo', 'string::foo']);
  });

  it('quoted and block scalars are always text', () => {
    const { tree } = read('a: "0755"\nb: |\n  true\nc: >-\n  1.10\n');
    expect(toPlain(tree)).toEqual({ a: '0755', b: 'true\n', c: '1.10' });
  });

  it('explicit tags: !!str keeps text, !!int and !!bool type it, !!float makes a float', () => {
    expect(texts('[!!str 0755, !!str yes, !!int "3", !!bool "no", !!float 3, !!null ""]')).toEqual(['string:0755', 'string:yes', 'number:3', 'boolean:false', 'number:3.0', null]);
  });

  it('refuses an unquoted date or time as GitLab does, at its position', () => {
    const error = (() => {
      try {
        read('variables:\n  RELEASE: 2024-01-31\n');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      'ci.yml:2:12: "2024-01-31" reads as a date, which GitLab\'s YAML reader refuses ("Tried to load unspecified class: Date"): quote it to keep it as text',
    );
    expect(() => read('a: 2024-01-31 10:00:00\n')).toThrow(/reads as a time/);
    expect(toPlain(read('a: "2024-01-31"\nb: 2024-13-01\n').tree)).toEqual({ a: '2024-01-31', b: '2024-13-01' });
  });

  it('keeps the position of typed scalars', () => {
    expect(entryOf(read('job:\n  n: yes\n').tree, 'job', 'n')).toEqual({ kind: 'scalar', value: true, where: { file: 'ci.yml', line: 2, col: 6 } });
  });
});

describe('Ruby Float#to_s', () => {
  it('switches to exponent form where Ruby does', () => {
    expect([1e14, 1e15, 1234567890123456.8, 0.0001, 0.00001, 1e100, -1.5].map(rubyFloatText)).toEqual([
      '100000000000000.0', '1.0e+15', '1234567890123456.8', '0.0001', '1.0e-05', '1.0e+100', '-1.5',
    ]);
  });

  it('tokenizePlain refuses only what Psych turns into Date or Time', () => {
    expect(tokenizePlain('2024-01-31')).toEqual({ kind: 'refused', rubyClass: 'Date' });
    expect(tokenizePlain('2024-01-31T10:00:00Z')).toEqual({ kind: 'refused', rubyClass: 'Time' });
    expect(tokenizePlain('v2024-01-31')).toEqual({ kind: 'value', value: 'v2024-01-31' });
  });
});

describe('merge keys that Psych does not merge', () => {
  it('<< with an alias of a list is refused with how to write it (GitLab would see an unknown key "<<")', () => {
    expect(() => read('.a: &a {k: a}\n.l: &l [*a]\njob:\n  <<: *l\n')).toThrow(/^ci\.yml:4:7: << with an alias of a list merges nothing in GitLab's YAML reader: write the list in place, e\.g\. <<: \[\*a, \*b\]$/);
  });

  it('an alias may be a key', () => {
    expect(toPlain(read('x: &k key\n*k : 1\n').tree)).toEqual({ x: 'key', key: 1 });
  });
});
