// When kept jobs go away without `jobsim kept done`: the reaper spares a kept job until its idle timeout
// (JOBSIM_KEPT_IDLE_MS, short here) and then removes all of it; a run killed mid-job keeps nothing
// (no record), so the next reaper removes everything it left.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, leftovers, ROOT, runIdOf, sandbox, waitForOutput } from '../cli/cli-harness.js';

const exec = promisify(execFile);
const box = sandbox();
const fixture = (): string => readFileSync(join(ROOT, 'test/fixtures/debug/.gitlab-ci.yml'), 'utf8');
const images = async (runId: string): Promise<string[]> => (await exec('docker', ['images', '-q', '--filter', `label=dev.jobsim.run-id=${runId}`])).stdout.split('\n').filter(Boolean);
const started: string[] = [];

beforeAll(async () => {
  await buildCli();
});

afterAll(async () => {
  for (const runId of started) if ((await leftovers(runId)).length > 0) await box.jobsim(['kept', 'done', `${runId}/failing`]);
  await box.removeCaches();
});

describe('kept jobs without `kept done`', () => {
  it('are spared by gc while fresh, and removed by gc once idle past the timeout', async () => {
    const dir = box.project(undefined, { '.gitlab-ci.yml': fixture() });
    // CI_DEBUG_SERVICES: following the kept service's log must not keep `jobsim run` from exiting.
    const run = await box.jobsim(['run', '-C', dir, '--keep-on-failure', '--var', 'CI_DEBUG_SERVICES=true', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const runId = runIdOf(run.stdout);
    started.push(runId);
    const keptObjects = await leftovers(runId);
    expect(keptObjects.length).toBeGreaterThanOrEqual(3);

    const fresh = await box.jobsim(['gc']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toContain('kept for debugging');
    expect(await leftovers(runId)).toEqual(keptObjects);

    const expired = await box.jobsim(['gc'], { JOBSIM_KEPT_IDLE_MS: '1' });
    expect(expired.code, expired.stderr).toBe(0);
    expect(await leftovers(runId)).toEqual([]);
    expect(await images(runId)).toEqual([]);
    const list = await box.jobsim(['kept']);
    expect(list.stdout).not.toContain(runId);
  });

  it('a run started with a 1 ms idle timeout is removed by the next run\'s reaper', async () => {
    const dir = box.project(undefined, { '.gitlab-ci.yml': fixture() });
    const run = await box.jobsim(['run', '-C', dir, '--keep-on-failure', '--json'], { JOBSIM_KEPT_IDLE_MS: '1' });
    expect(run.code, run.stderr).toBe(1);
    const runId = runIdOf(run.stdout);
    started.push(runId);
    expect((await leftovers(runId)).length).toBeGreaterThan(0);
    const next = box.project(undefined, { '.gitlab-ci.yml': 'quick:\n  image: { name: jobsim-test/shell:1, pull_policy: if-not-present }\n  script: [echo hi]\n' });
    expect((await box.jobsim(['run', '-C', next])).code).toBe(0);
    expect(await leftovers(runId)).toEqual([]);
    expect(await images(runId)).toEqual([]);
  });

  it('a run killed with SIGKILL mid-job keeps nothing: the next reaper removes all of it', async () => {
    const dir = box.project(undefined, {
      '.gitlab-ci.yml': 'slow:\n  image: { name: jobsim-test/shell:1, pull_policy: if-not-present }\n  services: [{ name: jobsim-test/http:1, alias: web, pull_policy: if-not-present }]\n  script: [echo started-sleeping, sleep 60]\n',
    });
    const child = box.spawnJobsim(['run', '-C', dir, '--keep-on-failure', '--json']);
    let out = await waitForOutput(child, 'started-sleeping');
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.kill('SIGKILL');
    await new Promise((done) => child.on('close', done));
    const runId = runIdOf(out);
    expect((await leftovers(runId)).length).toBeGreaterThan(0);
    const gc = await box.jobsim(['gc']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(await leftovers(runId)).toEqual([]);
    expect(await images(runId)).toEqual([]);
  });
});
