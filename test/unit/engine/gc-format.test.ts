// What `jobsim gc` prints: one line per removed (or would-be removed) object with its run and job, and
// a summary of what was kept and why.

import { describe, expect, it } from 'vitest';
import { formatReapReport } from '../../../main/cli/gc.js';
import type { ManagedObject } from '../../../main/docker/managed-objects.js';

const object = (kind: ManagedObject['kind'], name: string, labels: Record<string, string> = {}): ManagedObject => ({ kind, id: name, name, labels });

describe('formatReapReport', () => {
  it('names each removed object with its run and job, and summarises kept ones by reason', () => {
    const build = object('container', 'jobsim-abc-test-build', { 'dev.jobsim.run-id': 'abc', 'dev.jobsim.job': 'test' });
    const text = formatReapReport({
      removed: [build],
      failed: [object('volume', 'jobsim-abc-test-builds')],
      kept: [
        { object: object('volume', 'cache-1'), why: 'persistent' },
        { object: object('volume', 'cache-2'), why: 'persistent' },
        { object: object('network', 'net'), why: 'owner-running' },
      ],
    }, false);
    expect(text.split('\n')).toEqual([
      'Removed container jobsim-abc-test-build (run abc, job test)',
      'Could not remove volume jobsim-abc-test-builds (still in use?)',
      'Kept 2 objects: persistent (cache and runner volumes; `jobsim cache` manages caches)',
      'Kept 1 object: owned by a jobsim process that is still running',
      '',
    ]);
  });

  it('says "Would remove" on a dry run and reports when there is nothing to do', () => {
    expect(formatReapReport({ removed: [object('network', 'n')], failed: [], kept: [] }, true)).toBe('Would remove network n\n');
    expect(formatReapReport({ removed: [], failed: [], kept: [] }, false)).toBe('Nothing to clean up: no objects of stopped jobsim processes.\n');
  });
});
