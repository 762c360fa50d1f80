import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DockerHandle } from '../../../main/docker/client.js';
import type { RunJobFn } from '../../../main/engine/contracts.js';
import { startRunWith, type RunDependencies } from '../../../main/engine/run.js';
import { EnvironmentError, InputError } from '../../../main/errors.js';
import { listRuns } from '../../../main/history/index.js';
import type { RunEvent } from '../../../shared/events.js';

const CI = `stages: [build, test]
default:
  image: busybox:1.36
build:
  stage: build
  script: [echo build]
test:
  stage: test
  script: [echo test]
`;

function project(ci = CI): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobsim-run-'));
  writeFileSync(join(dir, '.gitlab-ci.yml'), ci);
  return dir;
}

function deps(runJob: RunJobFn, calls: string[] = []): RunDependencies {
  return {
    env: { JOBSIM_HOME: mkdtempSync(join(tmpdir(), 'jobsim-home-')) },
    connect: () => {
      calls.push('connect');
      return Promise.resolve({} as DockerHandle);
    },
    reapOrphans: () => {
      calls.push('reap');
      return Promise.resolve();
    },
    runJob,
  };
}

const echoing: RunJobFn = (job, run) => {
  run.emit({ type: 'log', job: job.name, source: 'build', stream: 'stdout', text: `secret is ${job.name === 'build' ? 'hunter2' : 'none'}` });
  return Promise.resolve({ state: 'success' });
};

describe('startRunWith', () => {
  it('parses first: bad input throws InputError before connecting to Docker', async () => {
    const calls: string[] = [];
    await expect(startRunWith({ projectDir: project('build:\n  script: [oops\n') }, deps(echoing, calls))).rejects.toBeInstanceOf(InputError);
    expect(calls).toEqual([]);
  });

  it('reports an unwritable history folder as an environment problem', async () => {
    const d = deps(echoing);
    const file = join(mkdtempSync(join(tmpdir(), 'jobsim-home-')), 'not-a-folder');
    writeFileSync(file, '');
    d.env = { JOBSIM_HOME: file };
    await expect(startRunWith({ projectDir: project() }, d)).rejects.toBeInstanceOf(EnvironmentError);
  });

  it('connects, reaps, then emits run started … run finished with every job', async () => {
    const calls: string[] = [];
    const handle = await startRunWith({ projectDir: project() }, deps(echoing, calls));
    expect(calls).toEqual(['connect', 'reap']);
    const seen: RunEvent[] = [];
    handle.subscribe((e) => seen.push(e));
    expect(await handle.done).toBe('success');
    expect(seen[0]).toMatchObject({ type: 'run', state: 'started', runId: handle.runId, jobs: [{ name: 'build' }, { name: 'test' }] });
    expect(seen.at(-1)).toMatchObject({ type: 'run', state: 'finished', status: 'success' });
    expect(seen.every((e) => e.runId === handle.runId && typeof e.time === 'number')).toBe(true);
  });

  it('masks secrets in events and in the stored history, and gives late subscribers the backlog', async () => {
    const d = deps(echoing);
    const handle = await startRunWith({ projectDir: project(), secrets: { PASSWORD: 'hunter2' } }, d);
    await handle.done;
    const late: RunEvent[] = [];
    handle.subscribe((e) => late.push(e));
    const log = late.find((e) => e.type === 'log' && e.job === 'build');
    expect(log).toMatchObject({ text: 'secret is [MASKED]' });
    const stored = readFileSync(join(d.env?.JOBSIM_HOME ?? '', 'runs', handle.runId, 'events.ndjson'), 'utf8');
    expect(stored).toContain('secret is [MASKED]');
    expect(stored).not.toContain('hunter2');
    const [summary] = await listRuns(d.env);
    expect(summary).toMatchObject({ runId: handle.runId, status: 'success', jobs: [{ name: 'build', state: 'success' }, { name: 'test', state: 'success' }] });
  });

  it('runs just the named job, or it and its needs with withNeeds', async () => {
    const ran: string[] = [];
    const recording: RunJobFn = (job) => {
      ran.push(job.name);
      return Promise.resolve({ state: 'success' });
    };
    await (await startRunWith({ projectDir: project(), jobs: ['test'] }, deps(recording))).done;
    expect(ran).toEqual(['test']);
    ran.length = 0;
    await (await startRunWith({ projectDir: project(), jobs: ['test'], withNeeds: true }, deps(recording))).done;
    expect(ran).toEqual(['build', 'test']);
  });

  it('cancel aborts the run signal and the run ends canceled; forceKill also aborts killSignal', async () => {
    let killed = false;
    const waiting: RunJobFn = (_job, run) =>
      new Promise((resolve) => {
        run.killSignal?.addEventListener('abort', () => (killed = true));
        run.signal.addEventListener('abort', () => resolve({ state: 'canceled', reason: { kind: 'canceled' } }));
      });
    const handle = await startRunWith({ projectDir: project() }, deps(waiting));
    handle.cancel();
    expect(await handle.done).toBe('canceled');
    expect(killed).toBe(false);
    const second = await startRunWith({ projectDir: project() }, deps(waiting));
    second.forceKill();
    expect(await second.done).toBe('canceled');
    expect(killed).toBe(true);
  });
});
