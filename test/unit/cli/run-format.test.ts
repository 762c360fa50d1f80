import { describe, expect, it } from 'vitest';
import { palette, RunPrinter, summaryTable } from '../../../main/cli/run-format.js';
import type { JobEvent, RunEvent } from '../../../shared/events.js';

const base = { runId: 'r', time: 0 };
const plain = palette(false);

function printer(): RunPrinter {
  const p = new RunPrinter(plain);
  p.lines({ ...base, type: 'run', state: 'started', projectDir: '/p', projectPath: 'g/p', file: '.gitlab-ci.yml', stages: ['build'], jobs: [{ name: 'build', stage: 'build', needs: null, when: 'on_success' }, { name: 'integration', stage: 'test', needs: null, when: 'on_success' }] });
  return p;
}

describe('RunPrinter', () => {
  it('prefixes every line with the job, padded to the longest job name', () => {
    const lines = printer().lines({ ...base, type: 'log', job: 'build', source: 'build', stream: 'stdout', text: 'hello' });
    expect(lines).toEqual(['build       │ hello']);
  });

  it('shows stage headings, pull decisions, services, cache and artifacts', () => {
    const p = printer();
    const events: RunEvent[] = [
      { ...base, type: 'stage', job: 'build', stage: 'prepare', state: 'started' },
      { ...base, type: 'pull', job: 'build', container: 'build', image: 'busybox:1.36', normalized: 'docker.io/library/busybox:1.36', policies: ['if-not-present'], policySource: 'job-file', allowedPolicies: [], effectivePolicies: ['if-not-present'], attempt: 1, policy: 'if-not-present', decision: 'used-local', reason: 'present locally', localPresent: true },
      { ...base, type: 'service', job: 'build', name: 'web', image: 'busybox:1.36', aliases: ['busybox', 'web'], state: 'healthy', timeToHealthyMs: 300 },
      { ...base, type: 'cache', job: 'build', key: 'k', volume: 'v', action: 'restored' },
      { ...base, type: 'artifact', job: 'build', action: 'downloaded', from: 'compile', files: 2, bytes: 10 },
    ];
    const text = events.flatMap((e) => p.lines(e)).join('\n');
    expect(text).toContain('── prepare ──');
    expect(text).toContain('pull busybox:1.36 [build] policy if-not-present (attempt 1): used-local — present locally');
    expect(text).toContain('service web (aliases busybox, web): healthy in 0.3s');
    expect(text).toContain('cache k: restored (volume v)');
    expect(text).toContain('artifacts downloaded from compile: 2 file(s), 10 bytes');
  });

  it('names no empty volume when a cache was skipped before it had one', () => {
    const p = printer();
    const line = (fields: Partial<Extract<RunEvent, { type: 'cache' }>>): string | undefined =>
      p.lines({ ...base, type: 'cache', job: 'build', key: 'k', volume: '', action: 'skipped', ...fields })[0];
    expect(line({ reason: 'policy: push (never restores)' })).toBe('build       │ cache k: skipped — policy: push (never restores)');
    expect(line({ key: '', reason: 'empty cache key' })).toBe('build       │ cache (no key): skipped — empty cache key');
    expect(line({ volume: 'jobsim-cache-1', reason: 'no matching paths' })).toBe('build       │ cache k: skipped (volume jobsim-cache-1) — no matching paths');
    expect(line({ volume: 'v', action: 'saved', bytes: 12, reason: undefined })).toBe('build       │ cache k: saved (volume v, 12 bytes)');
  });

  it('says why a job was skipped and that a failure was allowed', () => {
    const p = printer();
    expect(p.lines({ ...base, type: 'job', job: 'integration', state: 'skipped', reason: { kind: 'needs-failed', job: 'build' } })[0]).toContain('job skipped: "build" failed');
    expect(p.lines({ ...base, type: 'job', job: 'build', state: 'failed', exitCode: 2, allowedToFail: true, durationMs: 1500 })[0]).toContain('job failed (allowed to fail) in 1.5s: exit code 2');
  });

  it('prints a pipeline stage heading when the first job of a stage starts', () => {
    const p = printer();
    expect(p.lines({ ...base, type: 'job', job: 'build', state: 'running' })).toEqual(['━━ stage build ━━', 'build       │ job build started']);
    expect(p.lines({ ...base, type: 'job', job: 'integration', state: 'running' })[0]).toBe('━━ stage test ━━');
  });

  it('drops GitLab section markers and, without colour, ANSI escapes', () => {
    const p = printer();
    const start = '\u001b[0Ksection_start:1795419905:prepare_executor\r\u001b[0K\u001b[36;1mPreparing the "docker" executor\u001b[0;m';
    const end = '\u001b[0Ksection_end:1795419905:prepare_executor\r\u001b[0K';
    expect(p.lines({ ...base, type: 'log', job: 'build', source: 'runner', stream: 'stdout', text: start })).toEqual(['build       │ Preparing the "docker" executor']);
    expect(p.lines({ ...base, type: 'log', job: 'build', source: 'runner', stream: 'stdout', text: end })).toEqual([]);
    const coloured = new RunPrinter(palette(true));
    expect(coloured.lines({ ...base, type: 'log', job: 'b', source: 'runner', stream: 'stdout', text: start })[0]).toContain('\u001b[36;1mPreparing');
  });

  it('uses ANSI colours only when enabled', () => {
    expect(palette(true).red('x')).toBe('\u001b[31mx\u001b[0m');
    expect(plain.red('x')).toBe('x');
  });
});

describe('summaryTable', () => {
  it('lists job, status, duration and reason in aligned columns', () => {
    const finals: JobEvent[] = [
      { ...base, type: 'job', job: 'build', state: 'success', durationMs: 2000 },
      { ...base, type: 'job', job: 'test', state: 'failed', exitCode: 3, reason: { kind: 'script', exitCode: 3 }, durationMs: 12_400 },
    ];
    expect(summaryTable(finals, plain).split('\n')).toEqual([
      'JOB    STATUS   DURATION  REASON',
      'build  success  2.0s',
      'test   failed   12s       exit code 3',
      '',
    ]);
  });
});
