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

  it('creates no run in the history for invalid input', async () => {
    const dir = box.project('demo');
    await box.jobsim(['run', '-C', dir, 'nope']);
    const runs = await box.jobsim(['runs', '--json']);
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});
