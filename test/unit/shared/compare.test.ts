import { describe, expect, it } from 'vitest';
import { compareRunEvents, diffLines, normalizeLogLine } from '../../../shared/compare.js';
import type { RunEvent, RunEventInput } from '../../../shared/events.js';

function run(runId: string, fields: { status: 'success' | 'failed'; digest: string; exitCode?: number; token: string; log: string[]; cacheBytes: number }): RunEvent[] {
  const inputs: RunEventInput[] = [
    { type: 'run', state: 'started', projectDir: '/p', projectPath: 'local/p', file: '.gitlab-ci.yml', jobs: [{ name: 'test', stage: 'test', needs: null, when: 'on_success' }], stages: ['test'] },
    { type: 'job', job: 'test', state: 'running', variables: [{ key: 'MODE', value: fields.token, masked: false, source: 'cli' }, { key: 'TOKEN', value: '[MASKED]', masked: true, source: 'secret' }] },
    { type: 'pull', job: 'test', container: 'build', image: 'busybox', normalized: 'docker.io/library/busybox:latest', policies: ['always'], policySource: 'job-file', allowedPolicies: ['always'], effectivePolicies: ['always'], attempt: 1, policy: 'always', decision: 'pulled', reason: 'policy always', localPresent: true, digest: fields.digest },
    { type: 'stage', job: 'test', stage: 'build', state: 'finished', status: 'success', durationMs: 1200 },
    { type: 'cache', job: 'test', key: 'deps', volume: 'v', action: fields.cacheBytes > 0 ? 'restored' : 'not-found', bytes: fields.cacheBytes },
    ...fields.log.map((text): RunEventInput => ({ type: 'log', job: 'test', source: 'build', stream: 'stdout', text })),
    { type: 'cache', job: 'test', key: 'deps', volume: 'v', action: 'saved', bytes: 300 },
    { type: 'job', job: 'test', state: fields.status, ...(fields.exitCode !== undefined ? { exitCode: fields.exitCode } : {}) },
    { type: 'run', state: 'finished', status: fields.status, durationMs: 3000 },
  ];
  return inputs.map((input, i) => ({ ...input, runId, time: 1_700_000_000_000 + i }) as RunEvent);
}

describe('compareRunEvents', () => {
  const a = run('20261123-100000-aaaaaa', { status: 'success', digest: 'sha256:' + 'a'.repeat(64), token: 'fast', log: ['$ make', 'took 1.2s at 2026-11-23T10:00:01Z', 'ok'], cacheBytes: 100 });
  const b = run('20261123-110000-bbbbbb', { status: 'failed', exitCode: 2, digest: 'sha256:' + 'b'.repeat(64), token: 'slow', log: ['$ make', 'took 9.9s at 2026-11-24T11:00:01Z', 'boom'], cacheBytes: 250 });
  const comparison = compareRunEvents(a, b);
  const job = comparison.jobs[0];

  it('reports status, exit code, digest, variables and cache sizes that changed', () => {
    expect(comparison.a.status).toBe('success');
    expect(comparison.b.status).toBe('failed');
    expect(job?.state).toEqual({ a: 'success', b: 'failed', changed: true });
    expect(job?.exitCode).toEqual({ b: 2, changed: true });
    expect(job?.images[0]).toMatchObject({ container: 'build', changed: true, a: { digest: 'sha256:' + 'a'.repeat(64) }, b: { digest: 'sha256:' + 'b'.repeat(64) } });
    expect(job?.variables.find((v) => v.key === 'MODE')).toEqual({ key: 'MODE', a: 'fast', b: 'slow', changed: true });
    // A secret compares as [MASKED] on both sides: its value never shows, changed or not.
    expect(job?.variables.find((v) => v.key === 'TOKEN')).toEqual({ key: 'TOKEN', a: '[MASKED]', b: '[MASKED]', changed: false });
    expect(job?.caches).toEqual([
      { key: 'deps', phase: 'restore', changed: true, a: { action: 'restored', bytes: 100 }, b: { action: 'restored', bytes: 250 } },
      { key: 'deps', phase: 'save', changed: false, a: { action: 'saved', bytes: 300 }, b: { action: 'saved', bytes: 300 } },
    ]);
    expect(job?.stages.find((s) => s.stage === 'build')).toMatchObject({ a: 1200, b: 1200 });
    expect(job?.summary).toEqual([
      'status success → failed',
      'exit code none → 2',
      `build image docker.io/library/busybox:latest: digest ${'a'.repeat(12)} → ${'b'.repeat(12)}`,
      'variable MODE: fast → slow',
      'cache deps (restore): restored (100 B) → restored (250 B)',
      'log: 2 lines differ',
    ]);
  });

  it('ignores times and durations in the log, and shows what really changed', () => {
    expect(job?.log).toEqual([
      { op: 'same', text: '$ make' },
      { op: 'same', text: 'took <duration> at <time>' },
      { op: 'removed', text: 'ok' },
      { op: 'added', text: 'boom' },
    ]);
  });

  it('tells a cache that was missing apart from one that was restored, even when both runs then saved it', () => {
    const cold = run('20261123-120000-cccccc', { status: 'success', digest: 'sha256:' + 'a'.repeat(64), token: 'fast', log: ['$ make', 'ok'], cacheBytes: 0 });
    const restore = compareRunEvents(cold, a).jobs[0]?.caches.find((c) => c.phase === 'restore');
    expect(restore).toMatchObject({ changed: true, a: { action: 'not-found' }, b: { action: 'restored' } });
  });

  it('says so when a job ran in only one of the runs', () => {
    const other = compareRunEvents(a, []);
    expect(other.jobs[0]?.summary).toEqual(['only in the first run']);
  });

  it('finds nothing to report between a run and itself', () => {
    expect(compareRunEvents(a, a).jobs[0]?.summary).toEqual([]);
  });
});

describe('log diff', () => {
  it('folds long unchanged stretches, keeping three lines of context around a change', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[10] = 'changed';
    const diff = diffLines(a, b);
    expect(diff[0]).toEqual({ op: 'skipped', count: 7 });
    expect(diff.filter((l) => l.op === 'same')).toHaveLength(6);
    expect(diff).toContainEqual({ op: 'removed', text: 'line 10' });
    expect(diff).toContainEqual({ op: 'added', text: 'changed' });
    expect(diff[diff.length - 1]).toEqual({ op: 'skipped', count: 6 });
  });

  it('normalises section markers, clock times and run ids', () => {
    expect(normalizeLogLine('\u001b[0Ksection_start:1700000000:step_script\r\u001b[0K', [])).toBe('section_start:<time>:step_script\r');
    expect(normalizeLogLine('\u001b[32;1m$ make\u001b[0;m took 1m')).toBe('$ make took <duration>');
    expect(normalizeLogLine('container jobsim-20261123-100000-aaaaaa-test at 10:00:01', ['20261123-100000-aaaaaa'])).toBe('container jobsim-<run>-test at <time>');
  });
});
