// `jobsim run` / `jobsim runs` behaviour that needs no job to reach Docker: input and environment errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, sandbox } from './cli-harness.js';

const box = sandbox();

afterAll(() => box.removeCaches());

beforeAll(async () => {
  await buildCli();
});

describe('jobsim run: input and environment errors (exit 2, no stack trace)', () => {
  it('reports a broken CI file with file:line:col', async () => {
    const dir = box.project(undefined, { '.gitlab-ci.yml': 'build:\n  script: [echo hi\n' });
    const result = await box.jobsim(['run', '-C', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.gitlab-ci\.yml:\d+:\d+: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names an unknown job with a did-you-mean', async () => {
    const dir = box.project('demo');
    const result = await box.jobsim(['run', '-C', dir, 'tset']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown job "tset"');
    expect(result.stderr).toMatch(/did you mean "test"/i);
  });

  it('fails fast with advice when no Docker engine answers', async () => {
    const dir = box.project('demo');
    const result = await box.jobsim(['run', '-C', dir], { DOCKER_HOST: 'unix:///nope' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no Docker engine answered at');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a bad --concurrency', async () => {
    const dir = box.project('demo');
    const result = await box.jobsim(['run', '-C', dir, '--concurrency', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--concurrency expects a whole number');
  });

  it.each([
    ['JSON nested 10,000 deep', '.alloy-ci.json', `{"test": {"image": "busybox:1.36", "script": ${'['.repeat(10_000)}${']'.repeat(10_000)}}}`, /\.alloy-ci\.json:1:\d+: values are nested too deeply: the limit is 100 levels/],
    ['a NUL byte in a script', '.gitlab-ci.yml', 'test:\n  image: busybox:1.36\n  script: ["echo a\u0000b"]\n', /\.gitlab-ci\.yml:3:\d+: the file contains a NUL byte/],
    ['a !!binary script', '.gitlab-ci.yml', 'test:\n  image: busybox:1.36\n  script: [!!binary ZWNobyBoaQ==]\n', /\.gitlab-ci\.yml:3:\d+: !!binary values are not supported/],
    ['a job name with a NUL', '.gitlab-ci.yml', '"te\\0st":\n  image: busybox:1.36\n  script: [echo]\n', /\.gitlab-ci\.yml:1:1: a value contains a NUL character/],
    ['a 10 KB job name', '.gitlab-ci.yml', `${'j'.repeat(10_000)}:\n  image: busybox:1.36\n  script: [echo]\n`, /\.gitlab-ci\.yml:1:1: job name "j{80}… \(10000 characters\)" is too long: GitLab allows at most 255 characters/],
    ['a 100 KB image reference', '.gitlab-ci.yml', `test:\n  image: ${'a'.repeat(100_000)}\n  script: [echo]\n`, /\.gitlab-ci\.yml:2:10: job "test": invalid image reference "a{80}… \(100000 characters\)"/],
  ])('refuses %s: exit 2, file:line, no stack trace, no long echo', async (_name, file, text, expected) => {
    const dir = box.project(undefined, { [file]: text });
    for (const command of [['run', '-C', dir], ['plan', '-C', dir, 'test']]) {
      const result = await box.jobsim(command);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).not.toMatch(/\n\s+at |call stack/);
      expect(result.stderr.length + result.stdout.length).toBeLessThan(1_000);
    }
  });

  it('creates no run in the history for invalid input', async () => {
    const dir = box.project('demo');
    await box.jobsim(['run', '-C', dir, 'nope']);
    const runs = await box.jobsim(['runs', '--json']);
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});
