// `jobsim list` and `jobsim plan`, run in-process with stdout/stderr captured.

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../../main/cli/errors.js';
import { listCommand } from '../../../main/cli/list.js';
import { planCommand } from '../../../main/cli/plan.js';
import { FIXTURES, writeProject } from './helpers.js';

let out = '';
let err = '';

beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  // Keep the developer's own ~/.config/jobsim/config.toml out of the results.
  vi.stubEnv('HOME', FIXTURES);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Runs a command the way main/cli.ts does, returning the exit code. */
async function run(command: typeof listCommand, args: string[]): Promise<number> {
  try {
    return await command.run(args);
  } catch (error) {
    return reportError(error, false);
  }
}

describe('jobsim list', () => {
  it('prints stages and jobs in order with image, services, needs and when', async () => {
    expect(await run(listCommand, ['-C', join(FIXTURES, 'rails')])).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^\.gitlab-ci\.yml \(.+\): 3 jobs in 5 stages$/);
    expect(lines[2]).toMatch(/^STAGE\s+JOB\s+IMAGE\s+SERVICES\s+NEEDS\s+STATE$/);
    expect(lines[3]).toMatch(/^test\s+rspec\s+ruby:3\.3\s+postgres:16, redis:7\s+\(stages\)\s+runnable$/);
    expect(lines[5]).toMatch(/^deploy\s+deploy\s+alpine\/helm:3\.14\s+-\s+\(stages\)\s+manual \(may fail\)$/);
    // tags, artifacts:reports and environment are planned now: nothing to warn about.
    expect(err).toBe('');
  });

  it('prints the plan summary as JSON with --json', async () => {
    expect(await run(listCommand, ['--file', join(FIXTURES, 'node', '.gitlab-ci.yml'), '--json'])).toBe(0);
    const summary = JSON.parse(out) as { stages: string[]; jobs: { name: string; needs: string[] | null }[] };
    expect(summary.stages).toEqual(['.pre', 'install', 'test', 'build', '.post']);
    expect(summary.jobs.map((j) => [j.name, j.needs])).toEqual([['install', null], ['lint', ['install']], ['unit', ['install']], ['build', null]]);
  });

  it('exits 2 with file:line:col and no stack trace on bad input', async () => {
    expect(await run(listCommand, ['-C', join(FIXTURES, 'bad', 'needs-missing')])).toBe(2);
    expect(err).toBe('jobsim: .gitlab-ci.yml:7:11: job "test" needs "biuld", which is not defined; did you mean "build"?\n');
  });

  it('rejects unknown options as usage errors', async () => {
    expect(await run(listCommand, ['--nope'])).toBe(2);
    expect(err).toMatch(/^jobsim: list: /);
  });
});

describe('jobsim plan', () => {
  const project = (): string =>
    writeProject({ '.gitlab-ci.yml': 'variables: {URL: "https://u:$TOKEN@example.com"}\nt:\n  image: busybox:1.36\n  services: [redis:7]\n  script: [echo hi]\n' });

  it('shows the resolved job with secrets and values built from them masked', async () => {
    expect(await run(planCommand, ['t', '-C', project(), '--secret', 'TOKEN=s3cr3t', '--var', 'MODE=fast'])).toBe(0);
    expect(out).not.toContain('s3cr3t');
    expect(out).toContain('  TOKEN=[MASKED]  (secret)');
    expect(out).toContain('  URL=[MASKED]  (global)');
    expect(out).toContain('  MODE=fast  (cli)');
    expect(out).toContain('  image       busybox:1.36 → docker.io/library/busybox:1.36');
    expect(out).toContain('    host names redis');
    expect(out).toContain('  $ echo hi');
  });

  it('masks the same values in --json', async () => {
    expect(await run(planCommand, ['t', '-C', project(), '--secret', 'TOKEN=s3cr3t', '--json'])).toBe(0);
    expect(out).not.toContain('s3cr3t');
    const { job } = JSON.parse(out) as { job: { variables: { key: string; value: string }[] } };
    expect(job.variables.find((v) => v.key === 'TOKEN')?.value).toBe('[MASKED]');
  });

  it('suggests a job name for a typo', async () => {
    expect(await run(planCommand, ['rspc', '-C', join(FIXTURES, 'rails')])).toBe(2);
    expect(err).toBe('jobsim: unknown job "rspc"; did you mean "rspec"? (jobs: rspec, rubocop, deploy)\n');
  });

  it('needs exactly one job name, and never echoes a --secret value in errors', async () => {
    expect(await run(planCommand, ['-C', project()])).toBe(2);
    expect(err).toContain('name exactly one job');
    err = '';
    expect(await run(planCommand, ['t', '-C', project(), '--secret', '=s3cr3t'])).toBe(2);
    expect(err).toBe('jobsim: --secret expects KEY=value with a valid variable name\n');
  });
});

describe('jobsim plan masks a secret wherever it lands', () => {
  const project = (): string =>
    writeProject({ '.gitlab-ci.yml': 't:\n  image: busybox:1.36\n  cache: {key: "deps-$TOKEN", paths: [vendor]}\n  script: [echo hi]\n' });

  it('in a cache key, in text and --json', async () => {
    expect(await run(planCommand, ['t', '-C', project(), '--secret', 'TOKEN=k3yS3cr3t'])).toBe(0);
    expect(out).not.toContain('k3yS3cr3t');
    expect(out).toContain('cache key deps-[MASKED]: vendor');
    out = '';
    expect(await run(planCommand, ['t', '-C', project(), '--secret', 'TOKEN=k3yS3cr3t', '--json'])).toBe(0);
    expect(out).not.toContain('k3yS3cr3t');
    const { job } = JSON.parse(out) as { job: { caches: { key: { value: string } }[] } };
    expect(job.caches[0]?.key.value).toBe('deps-[MASKED]');
  });
});
