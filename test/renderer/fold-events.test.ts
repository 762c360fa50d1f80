import { describe, expect, it } from 'vitest';
import { emptyRun, foldEvents } from '../../renderer/src/state/fold-events.js';
import { demoPlan, runStarted, stamp } from './fixtures.js';

describe('folding run events into the run view', () => {
  it('tracks jobs, stages, steps and the run status from the event stream', () => {
    const plan = demoPlan();
    const events = stamp('r1', [
      runStarted(plan),
      { type: 'job', job: 'compile', state: 'running' },
      { type: 'stage', job: 'compile', stage: 'prepare', state: 'started' },
      { type: 'pull', job: 'compile', container: 'build', image: 'busybox:1.36', normalized: 'docker.io/library/busybox:1.36', policies: ['if-not-present'], policySource: 'job-file', allowedPolicies: ['always', 'if-not-present'], effectivePolicies: ['if-not-present'], attempt: 1, policy: 'if-not-present', decision: 'used-local', reason: 'present locally', localPresent: true, durationMs: 3 },
      { type: 'stage', job: 'compile', stage: 'prepare', state: 'finished', status: 'success', durationMs: 100 },
      { type: 'log', job: 'compile', source: 'build', stream: 'stdout', text: 'hello' },
      { type: 'log', job: 'compile', source: 'build', stream: 'stdout', text: 'world' },
      { type: 'job', job: 'compile', state: 'failed', exitCode: 2, reason: { kind: 'script', exitCode: 2 }, durationMs: 500 },
      { type: 'job', job: 'unit', state: 'skipped', reason: { kind: 'needs-failed', job: 'compile' } },
      { type: 'run', state: 'finished', status: 'failed', durationMs: 900 },
    ]);
    const run = foldEvents(emptyRun('r1'), events);
    expect(run.jobOrder).toEqual(['compile', 'unit', 'lint']);
    expect(run.status).toBe('failed');
    const compile = run.jobs.compile;
    expect(compile?.state).toBe('failed');
    expect(compile?.exitCode).toBe(2);
    expect(compile?.logLines).toBe(2);
    expect(compile?.stages.prepare?.status).toBe('success');
    expect(compile?.stages.prepare?.end).toBeGreaterThan(compile?.stages.prepare?.start ?? Infinity);
    expect(compile?.steps).toEqual([expect.objectContaining({ kind: 'pull', outcome: 'used-local (if-not-present): present locally' })]);
    expect(run.jobs.unit?.reason).toEqual({ kind: 'needs-failed', job: 'compile' });
    expect(run.jobs.lint?.state).toBe('pending');
  });

  it('gives the same view whether events come in one batch or one by one', () => {
    const plan = demoPlan();
    const events = stamp('r2', [runStarted(plan), { type: 'job', job: 'lint', state: 'running' }, { type: 'job', job: 'lint', state: 'success', durationMs: 10 }]);
    const oneByOne = events.reduce((run, event) => foldEvents(run, [event]), emptyRun('r2'));
    expect(oneByOne).toEqual(foldEvents(emptyRun('r2'), events));
  });
});
