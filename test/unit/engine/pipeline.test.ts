import { describe, expect, it } from 'vitest';
import type { JobOutcome, RunContext, RunJobFn } from '../../../main/engine/contracts.js';
import { runPipeline } from '../../../main/engine/pipeline.js';
import type { JobEvent, RunEventInput } from '../../../shared/events.js';
import type { AllowFailure, JobPlan, JobWhen } from '../../../shared/plan.js';

interface JobSpec {
  stage?: number;
  needs?: string[] | null;
  optional?: string[];
  when?: JobWhen;
  allowFailure?: AllowFailure;
}

function job(name: string, spec: JobSpec = {}): JobPlan {
  const needs = spec.needs === undefined ? null : spec.needs;
  return {
    name,
    stage: `s${spec.stage ?? 0}`,
    stageIndex: spec.stage ?? 0,
    needs: needs === null ? null : [...needs.map((n) => ({ job: n, artifacts: true, optional: false })), ...(spec.optional ?? []).map((n) => ({ job: n, artifacts: true, optional: true }))],
    dependencies: null,
    when: spec.when ?? 'on_success',
    allowFailure: spec.allowFailure ?? false,
    variables: [],
  } as unknown as JobPlan;
}

/** A fake runJob whose jobs finish when the test says so; records start order and peak concurrency. */
function controllableJobs() {
  const started: string[] = [];
  const upstreamSeen = new Map<string, string[]>();
  const finishers = new Map<string, (outcome: JobOutcome) => void>();
  let active = 0;
  let peak = 0;
  const runJob: RunJobFn = (plan, _run, upstream) => {
    started.push(plan.name);
    upstreamSeen.set(plan.name, upstream.map((r) => r.job.name));
    active++;
    peak = Math.max(peak, active);
    return new Promise((resolve) => {
      finishers.set(plan.name, (outcome) => {
        active--;
        resolve(outcome);
      });
    });
  };
  return {
    runJob,
    started,
    upstreamSeen,
    peak: () => peak,
    finish(name: string, outcome: JobOutcome = { state: 'success' }) {
      const f = finishers.get(name);
      if (!f) throw new Error(`${name} is not running`);
      finishers.delete(name);
      f(outcome);
    },
  };
}

/** A fake runJob that finishes every job at once with a fixed outcome per job name. */
function instantJobs(outcomes: Record<string, JobOutcome> = {}) {
  const started: string[] = [];
  const runJob: RunJobFn = async (plan) => {
    started.push(plan.name);
    await Promise.resolve();
    return outcomes[plan.name] ?? { state: 'success' };
  };
  return { runJob, started };
}

function context(controller = new AbortController()) {
  const events: RunEventInput[] = [];
  const run = { runId: 'r1', emit: (e: RunEventInput) => events.push(e), signal: controller.signal, secrets: [] } as unknown as RunContext;
  const finalState = (name: string): JobEvent | undefined =>
    events.filter((e): e is Extract<RunEventInput, { type: 'job' }> => e.type === 'job' && e.job === name).at(-1) as JobEvent | undefined;
  return { run, events, finalState, controller };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('runPipeline ordering', () => {
  it('starts a job with needs as soon as its needs finish, before its stage predecessors end', async () => {
    const jobs = [job('build'), job('slow', { stage: 0 }), job('test', { stage: 1, needs: ['build'] }), job('lint', { stage: 1 })];
    const fake = controllableJobs();
    const { run } = context();
    const done = runPipeline(run, { jobs, concurrency: 10, runJob: fake.runJob });
    await tick();
    expect(fake.started).toEqual(['build', 'slow']);
    fake.finish('build');
    await tick();
    expect(fake.started).toEqual(['build', 'slow', 'test']); // lint still waits for `slow`
    fake.finish('slow');
    await tick();
    expect(fake.started).toContain('lint');
    fake.finish('test');
    fake.finish('lint');
    expect((await done).status).toBe('success');
  });

  it('starts `needs: []` jobs at once, even in a late stage', async () => {
    const fake = controllableJobs();
    const { run } = context();
    const done = runPipeline(run, { jobs: [job('a'), job('late', { stage: 2, needs: [] })], concurrency: 4, runJob: fake.runJob });
    await tick();
    expect(fake.started).toEqual(['a', 'late']);
    fake.finish('a');
    fake.finish('late');
    await done;
  });

  it('hands each job the records of the jobs it waited for', async () => {
    const fake = instantJobs();
    const seen = new Map<string, string[]>();
    const runJob: RunJobFn = async (plan, r, upstream) => {
      seen.set(plan.name, upstream.map((u) => u.job.name));
      return fake.runJob(plan, r, upstream);
    };
    const jobs = [job('a'), job('b'), job('c', { stage: 1 }), job('d', { stage: 2, needs: ['a'] })];
    await runPipeline(context().run, { jobs, concurrency: 4, runJob });
    expect(seen.get('c')).toEqual(['a', 'b']);
    expect(seen.get('d')).toEqual(['a']);
  });

  it('passes on where each upstream job stored its artifacts', async () => {
    let received: (string | undefined)[] = [];
    const runJob: RunJobFn = (plan, _run, upstream) => {
      if (plan.name === 'test') received = upstream.map((u) => u.artifactsDir);
      return Promise.resolve(plan.name === 'build' ? { state: 'success', artifactsDir: '/runs/r1/artifacts/build' } : { state: 'success' });
    };
    await runPipeline(context().run, { jobs: [job('build'), job('test', { stage: 1 })], concurrency: 2, runJob });
    expect(received).toEqual(['/runs/r1/artifacts/build']);
  });

  it('never runs more jobs at once than the concurrency limit', async () => {
    const fake = controllableJobs();
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((n) => job(n));
    const done = runPipeline(context().run, { jobs, concurrency: 2, runJob: fake.runJob });
    for (let i = 0; i < 5; i++) {
      await tick();
      const running = fake.started[i];
      if (running) fake.finish(running);
    }
    await done;
    expect(fake.started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(fake.peak()).toBe(2);
  });

  it('ignores needs outside the selection (one job run by name)', async () => {
    const fake = instantJobs();
    await runPipeline(context().run, { jobs: [job('test', { stage: 1, needs: ['build'] })], concurrency: 1, runJob: fake.runJob });
    expect(fake.started).toEqual(['test']);
  });
});

describe('runPipeline failure rules', () => {
  it('skips jobs whose needs failed, with reason needs-failed, and fails the pipeline', async () => {
    const fake = instantJobs({ build: { state: 'failed', exitCode: 3, reason: { kind: 'script', exitCode: 3 } } });
    const { run, finalState, events } = context();
    const result = await runPipeline(run, { jobs: [job('build'), job('test', { stage: 1, needs: ['build'] })], concurrency: 2, runJob: fake.runJob });
    expect(result.status).toBe('failed');
    expect(fake.started).toEqual(['build']);
    expect(finalState('test')).toMatchObject({ state: 'skipped', reason: { kind: 'needs-failed', job: 'build' } });
    expect(finalState('build')).toMatchObject({ state: 'failed', exitCode: 3 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'log', job: 'build', text: 'ERROR: Job failed: exit code 3' }));
  });

  it('runs on_failure and always jobs after a failure, skips on_success ones', async () => {
    const fake = instantJobs({ a: { state: 'failed', exitCode: 1 } });
    const jobs = [job('a'), job('ok', { stage: 1 }), job('cleanup', { stage: 1, when: 'always' }), job('notify', { stage: 1, when: 'on_failure' })];
    const { run, finalState } = context();
    await runPipeline(run, { jobs, concurrency: 4, runJob: fake.runJob });
    expect(fake.started.sort()).toEqual(['a', 'cleanup', 'notify']);
    expect(finalState('ok')?.state).toBe('skipped');
  });

  it('skips on_failure jobs when nothing failed, without a reason', async () => {
    const fake = instantJobs();
    const { run, finalState } = context();
    await runPipeline(run, { jobs: [job('a'), job('notify', { stage: 1, when: 'on_failure' })], concurrency: 2, runJob: fake.runJob });
    expect(fake.started).toEqual(['a']);
    expect(finalState('notify')).toEqual({ type: 'job', job: 'notify', state: 'skipped' });
  });

  it('counts an allowed failure as success for dependants and the pipeline', async () => {
    const fake = instantJobs({ flaky: { state: 'failed', exitCode: 1 } });
    const { run, finalState, events } = context();
    const result = await runPipeline(run, { jobs: [job('flaky', { allowFailure: true }), job('next', { stage: 1 })], concurrency: 2, runJob: fake.runJob });
    expect(result.status).toBe('success');
    expect(fake.started).toEqual(['flaky', 'next']);
    expect(finalState('flaky')).toMatchObject({ state: 'failed', allowedToFail: true });
    expect(events).toContainEqual(expect.objectContaining({ type: 'log', job: 'flaky', text: 'WARNING: Job failed: exit code 1' }));
  });

  it('allows a failure only for the listed exit_codes', async () => {
    const jobs = [job('a', { allowFailure: { exitCodes: [137] } }), job('b', { stage: 1 })];
    const allowed = await runPipeline(context().run, { jobs, concurrency: 1, runJob: instantJobs({ a: { state: 'failed', exitCode: 137 } }).runJob });
    expect(allowed.status).toBe('success');
    const refused = context();
    const result = await runPipeline(refused.run, { jobs, concurrency: 1, runJob: instantJobs({ a: { state: 'failed', exitCode: 1 } }).runJob });
    expect(result.status).toBe('failed');
    expect(refused.finalState('a')?.allowedToFail).toBeUndefined();
    expect(refused.finalState('b')?.state).toBe('skipped');
  });
});

describe('runPipeline when: manual / never', () => {
  it('reports manual jobs as manual without running them; a non-blocking manual job lets later stages run', async () => {
    const fake = instantJobs();
    const { run, finalState } = context();
    const jobs = [job('deploy', { when: 'manual', allowFailure: true }), job('after', { stage: 1 })];
    const result = await runPipeline(run, { jobs, concurrency: 2, runJob: fake.runJob });
    expect(fake.started).toEqual(['after']);
    expect(finalState('deploy')?.state).toBe('manual');
    expect(result.status).toBe('success');
  });

  it('a blocking manual job (allow_failure: false) holds back later stages', async () => {
    const fake = instantJobs();
    const { run, finalState } = context();
    const jobs = [job('gate', { when: 'manual', allowFailure: false }), job('after', { stage: 1 })];
    await runPipeline(run, { jobs, concurrency: 2, runJob: fake.runJob });
    expect(fake.started).toEqual([]);
    expect(finalState('after')).toMatchObject({ state: 'skipped', reason: { kind: 'config' } });
  });

  it('runs a manual job that was named explicitly', async () => {
    const fake = instantJobs();
    await runPipeline(context().run, { jobs: [job('deploy', { when: 'manual' })], explicit: new Set(['deploy']), concurrency: 1, runJob: fake.runJob });
    expect(fake.started).toEqual(['deploy']);
  });

  it('never runs when: never jobs', async () => {
    const fake = instantJobs();
    const { run, finalState } = context();
    await runPipeline(run, { jobs: [job('x', { when: 'never' })], concurrency: 1, runJob: fake.runJob });
    expect(fake.started).toEqual([]);
    expect(finalState('x')?.state).toBe('skipped');
  });
});

describe('runPipeline cancel and errors', () => {
  it('on cancel, jobs not yet started end canceled and the pipeline is canceled', async () => {
    const fake = controllableJobs();
    const { run, finalState, controller } = context();
    const done = runPipeline(run, { jobs: [job('a'), job('b', { stage: 1 })], concurrency: 1, runJob: fake.runJob });
    await tick();
    controller.abort();
    fake.finish('a', { state: 'canceled', reason: { kind: 'canceled' } });
    const result = await done;
    expect(result.status).toBe('canceled');
    expect(fake.started).toEqual(['a']);
    expect(finalState('b')).toMatchObject({ state: 'canceled' });
  });

  it('turns a throwing runJob into a failed job with the message', async () => {
    const runJob: RunJobFn = () => Promise.reject(new Error('daemon went away'));
    const { run, finalState } = context();
    const result = await runPipeline(run, { jobs: [job('a')], concurrency: 1, runJob });
    expect(result.status).toBe('failed');
    expect(finalState('a')).toMatchObject({ state: 'failed', reason: { kind: 'internal', message: 'daemon went away' } });
  });

  it('emits pending, running, then the final state for each job, with a duration', async () => {
    const { run, events } = context();
    await runPipeline(run, { jobs: [job('a')], concurrency: 1, runJob: instantJobs().runJob });
    const states = events.filter((e) => e.type === 'job').map((e) => (e as JobEvent).state);
    expect(states).toEqual(['pending', 'running', 'success']);
    expect((events.filter((e) => e.type === 'job').at(-1) as JobEvent).durationMs).toBeGreaterThanOrEqual(0);
  });
});
