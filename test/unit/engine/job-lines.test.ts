import { describe, expect, it } from 'vitest';
import { finishLine, goDuration } from '../../../main/engine/scheduling/job-lines.js';

describe('finishLine (GitLab Runner wording)', () => {
  it('says Job succeeded on success', () => {
    expect(finishLine({ state: 'success' }, false)).toEqual({ stream: 'stdout', text: 'Job succeeded' });
  });

  it('gives the exit code of a failed script, as a warning when the failure is allowed', () => {
    expect(finishLine({ state: 'failed', exitCode: 3, reason: { kind: 'script', exitCode: 3 } }, false).text).toBe('ERROR: Job failed: exit code 3');
    expect(finishLine({ state: 'failed', exitCode: 3 }, true).text).toBe('WARNING: Job failed: exit code 3');
  });

  it('words a timeout the way the runner does', () => {
    expect(finishLine({ state: 'failed', reason: { kind: 'timeout', timeoutMs: 3_600_000 } }, false).text).toBe('ERROR: Job failed: execution took longer than 1h0m0s seconds');
  });

  it('marks environment failures as system failures and cancellations as canceled', () => {
    expect(finishLine({ state: 'failed', reason: { kind: 'daemon-lost' } }, false).text).toMatch(/^ERROR: Job failed \(system failure\): /);
    expect(finishLine({ state: 'failed', reason: { kind: 'daemon-lost', how: 'stopped-answering' } }, false).text).toBe('ERROR: Job failed (system failure): the Docker engine stopped answering');
    expect(finishLine({ state: 'failed', reason: { kind: 'daemon-lost', how: 'went-away' } }, false).text).toBe('ERROR: Job failed (system failure): the Docker engine went away');
    expect(finishLine({ state: 'canceled', reason: { kind: 'canceled' } }, false).text).toBe('ERROR: Job failed: canceled');
  });
});

describe('goDuration', () => {
  it('formats like Go time.Duration', () => {
    expect(goDuration(45_000)).toBe('45s');
    expect(goDuration(150_000)).toBe('2m30s');
    expect(goDuration(5_400_000)).toBe('1h30m0s');
  });
});
