// planRerun without Docker: runs are stored by startRunWith with a fake job runner, then planned again.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DockerHandle } from '../../../main/docker/client.js';
import type { RunJobFn } from '../../../main/engine/contracts.js';
import { readKeptJob } from '../../../main/engine/debug/kept-store.js';
import { artifactFolderName } from '../../../main/engine/artifacts/transfer.js';
import { planRerun } from '../../../main/engine/rerun.js';
import { startRunWith, type StartRunOptions } from '../../../main/engine/run.js';
import { InputError } from '../../../main/errors.js';
import { runDir } from '../../../main/history/index.js';
import { readRunRequest } from '../../../main/history/request-file.js';
import type { RunEvent } from '../../../shared/events.js';

vi.mock('../../../main/engine/debug/kept-store.js', () => ({ readKeptJob: vi.fn() }));

const CI = `stages: [build, test, deploy]
default:
  image: busybox:1.36
variables:
  GLOBAL: g
build:
  stage: build
  script: [echo build]
test:
  stage: test
  needs: [build]
  script: [echo test]
deploy:
  stage: deploy
  script: [echo deploy]
`;

const env: NodeJS.ProcessEnv = { JOBSIM_HOME: mkdtempSync(join(tmpdir(), 'jobsim-rerun-home-')) };
const projectDir = mkdtempSync(join(tmpdir(), 'jobsim-rerun-'));
writeFileSync(join(projectDir, '.gitlab-ci.yml'), CI);

/** `test` fails unless FIX=1; `build` stores an artifact folder like the engine does. */
const fakeJobs: RunJobFn = (job, run) => {
  if (job.name === 'build') {
    const dir = join(run.runDir, 'artifacts', artifactFolderName('build'));
    mkdirSync(dir, { recursive: true });
    return Promise.resolve({ state: 'success', artifactsDir: dir });
  }
  const fixed = job.variables.some((v) => v.key === 'FIX' && v.value === '1');
  return Promise.resolve(job.name === 'test' && !fixed ? { state: 'failed', exitCode: 1, reason: { kind: 'script', exitCode: 1 } } : { state: 'success' });
};

async function storeRun(options: Omit<StartRunOptions, 'projectDir'> = {}): Promise<{ runId: string; events: RunEvent[] }> {
  const deps = { env, connect: () => Promise.resolve({} as DockerHandle), reapOrphans: () => Promise.resolve(), runJob: fakeJobs };
  const handle = await startRunWith({ projectDir, concurrency: 1, ...options }, deps);
  const events: RunEvent[] = [];
  handle.subscribe((e) => events.push(e));
  await handle.done;
  return { runId: handle.runId, events };
}

let failedRun: string;
let successRun: string;

beforeAll(async () => {
  failedRun = (await storeRun({ variables: { MODE: 'old' }, secrets: { TOKEN: 'hunter2-secret' } })).runId;
  successRun = (await storeRun({ variables: { FIX: '1' } })).runId;
});

describe('request.json', () => {
  it('remembers how the run was started, secrets by name only', async () => {
    const stored = await readRunRequest(failedRun, env);
    expect(stored).toMatchObject({ projectDir, variables: { MODE: 'old' }, secretNames: ['TOKEN'], concurrency: 1 });
    expect(readFileSync(join(runDir(failedRun, env), 'request.json'), 'utf8')).not.toContain('hunter2-secret');
  });
});

describe('planRerun', () => {
  it('reruns one job with merged variables, reusing what it needs', async () => {
    const plan = await planRerun({ runId: failedRun, job: 'test', variables: { FIX: '1' } }, env);
    expect(plan.jobs).toEqual(['build', 'test']);
    expect(plan.variables).toEqual({ MODE: 'old', FIX: '1' });
    expect(plan.reuse).toEqual({ fromRunId: failedRun, jobs: { build: { state: 'success', artifactsDir: join(runDir(failedRun, env), 'artifacts', artifactFolderName('build')) } } });
    expect(plan.overrides).toBeUndefined();
  });

  it('resolves `last` to the newest run', async () => {
    const plan = await planRerun({ runId: 'last', job: 'deploy' }, env);
    expect(plan.reuse?.fromRunId).toBe(successRun);
  });

  it('simulates the same pipeline on the same server as the past run', async () => {
    const pipeline = { ref: 'release', source: 'web' as const };
    const server = { serverUrl: 'https://git.example.org', projectPath: 'acme/shop' };
    const { runId } = await storeRun({ pipeline, server, jobs: ['build'] });
    expect(await readRunRequest(runId, env)).toMatchObject({ pipeline, server });
    const plan = await planRerun({ runId, job: 'build' }, env);
    expect([plan.pipeline, plan.server]).toEqual([pipeline, server]);
  });

  it('with onlyFailed keeps the old selection and reuses the successful jobs', async () => {
    const plan = await planRerun({ runId: failedRun, onlyFailed: true }, env);
    expect(plan.jobs).toBeUndefined();
    expect(Object.keys(plan.reuse?.jobs ?? {})).toEqual(['build']);
  });

  it('a reused job keeps its artifacts and reports reusedFrom when the rerun runs', async () => {
    const options = await planRerun({ runId: failedRun, onlyFailed: true, variables: { FIX: '1' } }, env);
    const { events } = await storeRun(options);
    const build = events.filter((e) => e.type === 'job' && e.job === 'build');
    expect(build.map((e) => e.type === 'job' && e.state)).toEqual(['pending', 'success']);
    expect(build[1]).toMatchObject({ reusedFrom: failedRun });
    const running = events.find((e) => e.type === 'job' && e.job === 'test' && e.state === 'running');
    expect(running?.type === 'job' && running.variables).toEqual(expect.arrayContaining([{ key: 'FIX', value: '1', masked: false, source: 'cli' }, { key: 'GLOBAL', value: 'g', masked: false, source: 'global' }]));
    expect(running?.type === 'job' && running.variables?.some((v) => v.source === 'predefined')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'run', state: 'finished', status: 'success' });
  });

  it('passes a replaced script as an override', async () => {
    const plan = await planRerun({ runId: failedRun, job: 'test', script: ['echo edited'] }, env);
    expect(plan.overrides).toEqual({ job: 'test', script: ['echo edited'] });
  });

  it('pins by default (nothing recorded here) and not with images: latest', async () => {
    expect((await planRerun({ runId: failedRun, job: 'test' }, env)).pinnedDigests).toEqual({});
    expect((await planRerun({ runId: failedRun, job: 'test', images: 'latest' }, env)).pinnedDigests).toBeUndefined();
  });

  it('runs from the kept commit with fromKept', async () => {
    vi.mocked(readKeptJob).mockResolvedValueOnce({ image: 'sha256:' + 'a'.repeat(64) } as Awaited<ReturnType<typeof readKeptJob>>);
    const plan = await planRerun({ runId: failedRun, job: 'test', fromKept: true }, env);
    expect(plan.overrides?.image?.imageId).toBe('sha256:' + 'a'.repeat(64));
  });

  it.each([
    [{ runId: 'no-such-run', job: 'test' }, /no stored run "no-such-run"; recent runs: .*`last`/],
    [{ runId: '../../etc', job: 'test' }, /no stored run "..\/..\/etc"/],
    [{ runId: 'RUN', job: 'nope' }, /run RUN has no job "nope" \(jobs: build, test, deploy\)/],
    [{ runId: 'RUN', script: ['echo x'] }, /--script\) needs the job/],
    [{ runId: 'RUN', fromKept: true }, /--from-kept needs the kept job/],
    [{ runId: 'RUN', job: 'test', onlyFailed: true }, /not both/],
    [{ runId: 'RUN', job: 'test', fromKept: true }, /job test of run RUN was not kept: run it with --keep-on-failure first/],
    [{ runId: 'OK', onlyFailed: true }, /run OK has no failed jobs/],
  ])('refuses %j with an InputError', async (request, message) => {
    vi.mocked(readKeptJob).mockResolvedValue(undefined);
    const runId = request.runId === 'RUN' ? failedRun : request.runId === 'OK' ? successRun : request.runId;
    const error = await planRerun({ ...request, runId }, env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const text = (error as Error).message.replaceAll(failedRun, 'RUN').replaceAll(successRun, 'OK');
    expect(text).toMatch(message);
  });
});
