// Ending a job early: the job timeout, a cancel mid-script and an unreachable daemon. after_script still
// runs after a timeout or cancel, and nothing is left behind.

import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { runJob } from '../../../main/engine/run-one-job.js';
import { EngineRun, jobPlan } from './engine-fixture.js';

let current: EngineRun | undefined;
async function newRun(): Promise<EngineRun> {
  current = await EngineRun.create();
  return current;
}
afterEach(async () => {
  await current?.dispose();
  current = undefined;
});

describe('runJob: stopping early', () => {
  it('stops a job that runs past its timeout, runs after_script, and cleans up', async () => {
    const run = await newRun();
    // The timeout counts from the start of the job (as in GitLab), so on a busy machine it may end the job
    // before the script prints anything: assert only what holds either way.
    const outcome = await run.run({ timeoutMs: 1500, script: ['sleep 60', 'echo never'], afterScript: ['echo "after: $CI_JOB_STATUS"'] });

    expect(outcome).toMatchObject({ state: 'failed', reason: { kind: 'timeout', timeoutMs: 1500 } });
    const build = run.logs('build');
    expect(build).not.toContain('never');
    expect(build).toContain('after: failed');
    expect(run.stages().find((s) => s.stage === 'build' && s.state === 'finished')?.status).toBe('failed');
    expect(await run.leftovers()).toEqual([]);
  });

  it('cancels a running job when the run signal aborts, runs after_script, and cleans up', async () => {
    const run = await newRun();
    const context = run.context([]);
    const job = jobPlan('cancel me', { script: ['echo started', 'sleep 60', 'echo never'], afterScript: ['echo "after: $CI_JOB_STATUS"'] });
    const outcome = await runJob(job, {
      ...context,
      emit: (event) => {
        context.emit(event);
        if (event.type === 'log' && event.source === 'build' && event.text === 'started') run.controller.abort();
      },
    }, []);

    expect(outcome).toMatchObject({ state: 'canceled', reason: { kind: 'canceled' } });
    const build = run.logs('build');
    expect(build).not.toContain('never');
    expect(build).toContain('after: canceled');
    expect(run.stages().find((s) => s.stage === 'build' && s.state === 'finished')?.status).toBe('canceled');
    expect(await run.leftovers()).toEqual([]);
  });

  it('still ends a canceled job whose script ignores TERM (KILL after the grace period)', async () => {
    const run = await newRun();
    const context = run.context([]);
    const job = jobPlan('stubborn', { script: ["trap '' TERM", 'echo started', 'sleep 60', 'echo never'] });
    const outcome = await runJob(job, {
      ...context,
      emit: (event) => {
        context.emit(event);
        if (event.type === 'log' && event.source === 'build' && event.text === 'started') run.controller.abort();
      },
    }, []);

    expect(outcome.state).toBe('canceled');
    expect(run.logs('build')).not.toContain('never');
    expect(await run.leftovers()).toEqual([]);
  });

  it('on a force kill stops at once, skips after_script, and still cleans up', async () => {
    const run = await newRun();
    const kill = new AbortController();
    const context = { ...run.context([]), killSignal: kill.signal };
    const job = jobPlan('kill me', { script: ['echo started', 'sleep 60'], afterScript: ['echo after-ran'] });
    const outcome = await runJob(job, {
      ...context,
      emit: (event) => {
        context.emit(event);
        if (event.type === 'log' && event.source === 'build' && event.text === 'started') {
          run.controller.abort();
          kill.abort();
        }
      },
    }, []);

    expect(outcome.state).toBe('canceled');
    expect(run.logs('build')).not.toContain('after-ran');
    expect(await run.leftovers()).toEqual([]);
  });

  it('cancels between stages (after prepare created the network and volume) and removes what was made', async () => {
    const run = await newRun();
    const context = run.context([]);
    const job = jobPlan('cancel early', { script: ['echo never'] });
    const outcome = await runJob(job, {
      ...context,
      emit: (event) => {
        context.emit(event);
        if (event.type === 'stage' && event.stage === 'prepare' && event.state === 'finished') run.controller.abort();
      },
    }, []);

    expect(outcome.state).toBe('canceled');
    expect(run.logs('build')).not.toContain('never');
    expect(run.events.some((e) => e.type === 'resource' && e.kind === 'network' && e.action === 'removed')).toBe(true);
    expect(await run.leftovers()).toEqual([]);
  });

  it('does not start a job whose run is already canceled, and leaves nothing behind', async () => {
    const run = await newRun();
    run.controller.abort();
    const outcome = await run.run({ script: ['echo never'] });

    expect(outcome.state).toBe('canceled');
    expect(run.logs('build')).not.toContain('never');
    expect(await run.leftovers()).toEqual([]);
  });

  it('fails fast with daemon-lost when the Docker engine cannot be reached', async () => {
    const run = await EngineRun.create(new Docker({ socketPath: '/nonexistent/jobsim-test.sock' }));
    try {
      const outcome = await run.run({ script: ['true'] });
      expect(outcome).toMatchObject({ state: 'failed', reason: { kind: 'daemon-lost' } });
      expect(run.logs('runner').join('\n')).toMatch(/ERROR: /);
    } finally {
      current = undefined;
    }
  });
});
