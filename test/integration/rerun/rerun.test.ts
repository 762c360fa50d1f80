// `jobsim rerun` on a real daemon: a failed run rerun with a fix, only its failed jobs, an edited script,
// and the input errors.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKeptJob } from '../../../main/engine/debug/kept-store.js';
import type { JobEvent, RunEvent } from '../../../shared/events.js';
import { TEST_IMAGES } from '../../rig/constants.js';
import { buildCli, ROOT, runIdOf, sandbox } from '../cli/cli-harness.js';

const box = sandbox();
let project: string;
let failedRun: string;
let stamp: string;

const events = (ndjson: string): RunEvent[] => ndjson.split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunEvent);
const jobEvents = (all: RunEvent[], job: string): JobEvent[] => all.filter((e): e is JobEvent => e.type === 'job' && e.job === job);
const logText = (all: RunEvent[], job: string): string => all.flatMap((e) => (e.type === 'log' && e.job === job ? [e.text] : [])).join('\n');

beforeAll(async () => {
  await buildCli();
  project = box.project(undefined, { '.gitlab-ci.yml': readFileSync(join(ROOT, 'test/fixtures/rerun/.gitlab-ci.yml'), 'utf8') });
  const first = await box.jobsim(['run', '-C', project, '--json']);
  expect(first.code, first.stderr).toBe(1);
  failedRun = runIdOf(first.stdout);
  stamp = /built (stamp-\S+)/.exec(logText(events(first.stdout), 'build'))?.[1] ?? '';
  expect(stamp).not.toBe('');
}, 120_000);

afterAll(async () => {
  await box.removeCaches();
});

describe('jobsim rerun', () => {
  it('reruns the failed job of the last run with a fixed variable, with the artifact of the earlier build', async () => {
    const result = await box.jobsim(['rerun', 'last', 'test', '--var', 'FIX=1']);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain('FIX is 1');
    expect(result.stdout).toContain(`artifact says ${stamp}`);
    expect(result.stdout).toContain(`Not run again: reusing the result and artifacts of run ${failedRun}`);
    expect(result.stdout).toContain('Pipeline succeeded');
  });

  it('with --failed runs only the failed jobs; build is reused, not run again', async () => {
    const result = await box.jobsim(['rerun', failedRun, '--failed', '--var', 'FIX=1', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const all = events(result.stdout);
    expect(runIdOf(result.stdout)).not.toBe(failedRun);
    const build = jobEvents(all, 'build');
    expect(build.map((e) => e.state)).toEqual(['pending', 'success']);
    expect(build[1]?.reusedFrom).toBe(failedRun);
    expect(all.some((e) => e.type === 'pull' && e.job === 'build')).toBe(false);
    expect(logText(all, 'test')).toContain(`artifact says ${stamp}`);
    const running = jobEvents(all, 'test').find((e) => e.state === 'running');
    expect(running?.variables).toContainEqual({ key: 'FIX', value: '1', masked: false, source: 'cli' });
    expect(all.some((e) => e.type === 'artifact' && e.job === 'test' && e.action === 'downloaded' && e.from === 'build')).toBe(true);
  });

  it('a replaced script changes the outcome', async () => {
    const result = await box.jobsim(['rerun', failedRun, 'test', '--script', 'echo edited', '--script', 'true']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('edited');
    expect(result.stdout).not.toContain('FIX is');
  });

  it('keeps secrets out of the stored request and masks them', async () => {
    const result = await box.jobsim(['rerun', failedRun, 'test', '--secret', 'TOKEN=rerun-secret-value', '--script', 'echo "token $TOKEN"', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('token [MASKED]');
    expect(result.stdout).not.toContain('rerun-secret-value');
    const request = readFileSync(join(box.home, 'runs', runIdOf(result.stdout), 'request.json'), 'utf8');
    expect(request).toContain('"TOKEN"');
    expect(request).not.toContain('rerun-secret-value');
  });

  it.each([
    [['rerun', '20990101-000000-nope00', 'test'], 'no stored run "20990101-000000-nope00"; recent runs: '],
    [['rerun', 'last', 'nope'], 'has no job "nope" (jobs: build, test)'],
    [['rerun', 'last', '--script', 'echo x'], 'a replaced script (--script) needs the job to run it in'],
    [['rerun'], 'rerun needs a run'],
  ])('refuses %j with a clear message and exit code 2', async (args, message) => {
    const result = await box.jobsim(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('jobsim rerun --from-kept', () => {
  const image = `jobsim-test/rerun-kept:${process.pid}`;
  const docker = (...args: string[]) => promisify(execFile)('docker', args);

  afterAll(async () => {
    await docker('rmi', '--force', image).catch(() => undefined);
  });

  it("runs the job from the kept container's commit, never pulled", async () => {
    // Stands in for what --keep-on-failure commits: the job's image plus what the failed build left.
    const { stdout: id } = await docker('create', TEST_IMAGES.shell, 'sh', '-c', 'true');
    await docker('cp', join(ROOT, 'test/fixtures/rerun/.gitlab-ci.yml'), `${id.trim()}:/kept-marker`);
    await docker('commit', id.trim(), image);
    await docker('rm', id.trim());
    const now = Date.now();
    await writeKeptJob(
      { runId: failedRun, job: 'test', projectPath: 'local/x', container: 'gone', services: [], network: 'gone', keptAt: now, lastUsedAt: now, expiresAt: now + 60_000, image, maskedVariables: [] },
      box.env,
    );
    const result = await box.jobsim(['rerun', failedRun, 'test', '--from-kept', '--script', 'test -f /kept-marker && echo from-kept-ok', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('from-kept-ok');
    const pull = events(result.stdout).find((e) => e.type === 'pull' && e.job === 'test');
    expect(pull).toMatchObject({ policy: 'never', decision: 'used-local' });
  });

  it('says when the job was not kept', async () => {
    const result = await box.jobsim(['rerun', failedRun, 'build', '--from-kept']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`job build of run ${failedRun} was not kept: run it with --keep-on-failure first`);
  });
});
