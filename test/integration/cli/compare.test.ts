// `jobsim compare` on two real runs of one job that differ in a variable, and so in outcome and log.

import { beforeAll, describe, expect, it } from 'vitest';
import type { RunComparison } from '../../../shared/compare.js';
import { TEST_IMAGES } from '../../rig/constants.js';
import { buildCli, runIdOf, sandbox } from './cli-harness.js';

const box = sandbox();
let project: string;
let good: string;
let bad: string;

beforeAll(async () => {
  await buildCli();
  project = box.project(undefined, {
    '.gitlab-ci.yml': `check:\n  image: { name: ${TEST_IMAGES.shell}, pull_policy: if-not-present }\n  script:\n    - echo "mode is $MODE"\n    - test "$MODE" = good\n`,
  });
  const first = await box.jobsim(['run', '-C', project, '--json', '--var', 'MODE=good']);
  expect(first.code, first.stderr).toBe(0);
  good = runIdOf(first.stdout);
  const second = await box.jobsim(['run', '-C', project, '--json', '--var', 'MODE=bad']);
  expect(second.code, second.stderr).toBe(1);
  bad = runIdOf(second.stdout);
}, 120_000);

describe('jobsim compare', () => {
  it('says what changed: status, exit code, the variable, and the log lines', async () => {
    const result = await box.jobsim(['compare', good, 'last']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`first run  ${good}  success`);
    expect(result.stdout).toContain(`second run ${bad}  failed`);
    expect(result.stdout).toContain('≠ status success → failed');
    expect(result.stdout).toContain('≠ exit code none → 1');
    expect(result.stdout).toContain('≠ variable MODE: good → bad');
    expect(result.stdout).toContain('− mode is good');
    expect(result.stdout).toContain('+ mode is bad');
  });

  it('prints the comparison as JSON for scripts, image digests included', async () => {
    const result = await box.jobsim(['compare', good, bad, '--job', 'check', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const comparison = JSON.parse(result.stdout) as RunComparison;
    const job = comparison.jobs[0];
    expect(comparison.jobs).toHaveLength(1);
    expect(job?.state).toEqual({ a: 'success', b: 'failed', changed: true });
    expect(job?.images[0]?.a?.digest).toMatch(/^sha256:/);
    expect(job?.images[0]?.changed).toBe(false);
    expect(job?.stages.find((s) => s.stage === 'build')?.a).toBeGreaterThan(0);
  });

  it.each([
    [['compare', 'last'], 'compare needs two runs'],
    [['compare', 'last', '20990101-000000-nope00'], 'no stored run "20990101-000000-nope00"'],
    [['compare', 'last', '../../etc'], 'no stored run "../../etc"'],
    [['compare', 'last', 'last', '--job', 'nope'], 'neither run has a job "nope"; jobs: check'],
  ])('refuses %j with a clear message and exit code 2', async (args, message) => {
    const result = await box.jobsim(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
