// Input that used to get through the parser, or crash it: nesting deep enough to overflow the YAML
// package's stack, NUL bytes, !!binary scripts, job names and image references of any length. Each is
// refused with file:line, and no message echoes a long value in full.

import { describe, expect, it } from 'vitest';
import { InputError } from '../../../main/errors.js';
import { findExcessiveNesting } from '../../../main/parse/nesting-scan.js';
import { parseYamlText } from '../../../main/parse/yaml-source.js';
import { load, loadError, writeProject } from './helpers.js';

const JOB = (script: string): string => `test:\n  image: busybox:1.36\n  script:\n    - ${script}\n`;

async function jsonError(json: string): Promise<string> {
  try {
    await load(writeProject({ '.alloy-ci.json': json }));
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected the pipeline to be rejected');
}

describe('nesting', () => {
  it('refuses JSON nested 10,000 deep with the limit, not a stack overflow', async () => {
    const deep = `{"test": {"image": "busybox:1.36", "script": ${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
    const message = await jsonError(deep);
    expect(message).toMatch(/^\.alloy-ci\.json:1:\d+: values are nested too deeply: the limit is 100 levels$/);
    expect(message).not.toContain('call stack');
  });

  it.each([
    ['flow sequences', (n: number) => `test:\n  script: ${'['.repeat(n)}echo${']'.repeat(n)}\n`],
    ['flow mappings', (n: number) => `test:\n  variables: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`],
    ['compact sequences', (n: number) => `test:\n  script:\n    ${'- '.repeat(n)}echo\n`],
    ['indented mappings', (n: number) => `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n`],
  ])('refuses YAML %s nested beyond the limit, at any depth, with file:line', async (_name, make) => {
    // 3,000 indented levels are 4.5 MB; 5,000 would pass the 10 MB file limit.
    for (const depth of [101, 150, 1_000, 3_000]) {
      const message = await loadError(make(depth));
      expect(message, `depth ${depth}`).toMatch(/^\.gitlab-ci\.yml:\d+:\d+: values are nested too deeply: the limit is 100 levels$/);
    }
  });

  it.each([
    ['flow lines at column 0 under a key', 'a: [\n' + '[\n'.repeat(10_000)],
    ['a JSON array, one bracket a line', '[\n'.repeat(10_000) + ']\n'.repeat(10_000)],
    ['a JSON object, one brace a line', '{\n'.repeat(3_000) + '"a": 1\n' + '}\n'.repeat(3_000)],
    ['flow after a quoted key', `"key": ${'['.repeat(5_000)}`],
    ['flow after an anchor and a tag', `a: &x !!seq ${'['.repeat(5_000)}`],
    ['flow after a multi-line quoted scalar', `a: "one\ntwo": ${'['.repeat(5_000)}`],
    ['a block scalar whose first line is a comment-like line', `a: |\n      # text\n    ${'['.repeat(5_000)}`],
    ['a flow sequence per line under dashes', 'a:\n' + '  - [\n'.repeat(3_000)],
  ])('never lets %s reach the YAML parser', (_name, text) => {
    expect(findExcessiveNesting(text, 150)).toBeDefined();
    expect(() => parseYamlText('f.yml', text)).toThrow(/^f\.yml:\d+:\d+: values are nested too deeply: the limit is 100 levels$/);
  });

  it('leaves the next parse in the same process working (an overflow used to break it)', () => {
    expect(() => parseYamlText('a.yml', `a: ${'['.repeat(10_000)}`)).toThrow('nested too deeply');
    expect(() => parseYamlText('b.yml', `a: ${'['.repeat(1_000)}${']'.repeat(1_000)}`)).toThrow('nested too deeply');
    expect(parseYamlText('c.yml', 'a: [[1]]\n').kind).toBe('map');
  });

  it('accepts 100 levels, and the quick count does not trip on brackets in scripts, strings and comments', async () => {
    const hundred = `test:\n  image: busybox:1.36\n  script: ${'['.repeat(97)}echo${']'.repeat(97)}\n`;
    await expect(load(writeProject({ '.gitlab-ci.yml': hundred }))).rejects.toThrow(/script/);
    const lines = ['test:', '  image: busybox:1.36', '  script:'];
    for (let i = 0; i < 300; i++) lines.push(`    - 'echo [[[[{{' # ]]]] [[[[`, `    - if [ -f x${i} ]; then echo "{{{[[["; fi`, `    - echo it's [ok`);
    lines.push('  after_script: |', ...Array.from({ length: 300 }, () => '    [ unbalanced {'));
    expect(findExcessiveNesting(lines.join('\n'), 150)).toBeUndefined();
    await expect(load(writeProject({ '.gitlab-ci.yml': `${lines.join('\n')}\n` }))).resolves.toMatchObject({ jobs: [{ name: 'test' }] });
  });
});

describe('bytes and tags that hide what runs', () => {
  it('refuses a NUL byte in the file, with its position', async () => {
    expect(await loadError(JOB('echo a\u0000b'))).toBe('.gitlab-ci.yml:4:13: the file contains a NUL byte: CI files are text, and no command, name or value can hold one');
  });

  it('refuses a NUL written as an escape in a value', async () => {
    expect(await loadError(JOB('"echo a\\0b"'))).toBe('.gitlab-ci.yml:4:7: a value contains a NUL character ("\\0"): no command, name or variable can hold one');
  });

  it('refuses a job name with a NUL at parse time', async () => {
    expect(await loadError('"te\\0st":\n  image: busybox:1.36\n  script: [echo]\n')).toBe('.gitlab-ci.yml:1:1: a value contains a NUL character ("\\0"): no command, name or variable can hold one');
  });

  it('refuses !!binary instead of decoding and running it', async () => {
    // ZWNobyBoaQ== is "echo hi".
    expect(await loadError(JOB('!!binary ZWNobyBoaQ=='))).toBe('.gitlab-ci.yml:4:16: !!binary values are not supported: write the text itself, so that it can be read');
    expect(await loadError('test:\n  image: busybox:1.36\n  script: !!binary ZWNobyBoaQ==\n')).toMatch(/^\.gitlab-ci\.yml:3:20: !!binary/);
  });

  it('refuses a timestamp as GitLab does (Psych makes a Date, which its safe_load refuses)', async () => {
    expect(await loadError(JOB('!!timestamp 2001-12-14'))).toMatch(/^\.gitlab-ci\.yml:4:19: "2001-12-14" reads as a date, which GitLab's YAML reader refuses/);
  });
});

describe('lengths', () => {
  it('accepts a 255-character job name and refuses 256, cutting the name in the message', async () => {
    const ok = 'j'.repeat(255);
    await expect(load(writeProject({ '.gitlab-ci.yml': `${ok}:\n  image: busybox:1.36\n  script: [echo]\n` }))).resolves.toMatchObject({ jobs: [{ name: ok }] });
    const long = 'j'.repeat(10_000);
    const message = await loadError(`${long}:\n  image: busybox:1.36\n  script: [echo]\n`);
    expect(message).toBe(`.gitlab-ci.yml:1:1: job name "${'j'.repeat(80)}… (10000 characters)" is too long: GitLab allows at most 255 characters`);
  });

  it('refuses a 100 KB image reference without echoing it', async () => {
    const image = `registry.example/${'a'.repeat(100_000)}:1`;
    const message = await loadError(`test:\n  image: ${image}\n  script: [echo]\n`);
    expect(message).toBe(`.gitlab-ci.yml:2:10: job "test": invalid image reference "${image.slice(0, 80)}… (${image.length} characters)": it is ${image.length} characters long; no valid reference has more than 1024`);
    expect(message.length).toBeLessThan(300);
  });

  it('cuts a long but not huge image reference in its message too', async () => {
    const image = `${'a'.repeat(300)}:1`;
    const message = await loadError(`test:\n  image: ${image}\n  script: [echo]\n`);
    expect(message).toContain(`"${'a'.repeat(80)}… (302 characters)": the name is longer than 255 characters`);
  });
});
