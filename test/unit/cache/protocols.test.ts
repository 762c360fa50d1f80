import { describe, expect, it } from 'vitest';
import { parseProbe } from '../../../main/engine/cache/probe-protocol.js';
import { parseSaveOutput } from '../../../main/engine/cache/save-protocol.js';

describe('the cache containers’ line protocols', () => {
  it('reads a probe report: found generation, meta, lower dirs, sources and mode per cache', () => {
    const probe = parseProbe(['FOUND 0 1 g-1700000000000-abc123', 'META 0 {"a": 1}', 'LOWER 0 2 dir', 'SOURCE 0 1', 'MODE 0 overlay', 'MISSING 1', 'MODE 1 copy', 'FOUND 2 0 not-a-generation'].join('\n'));
    expect(probe.found.get(0)).toEqual({ candidate: 1, generation: 'g-1700000000000-abc123' });
    expect(probe.found.has(2)).toBe(false);
    expect(probe.meta.get(0)).toBe('{"a": 1}');
    expect(probe.lower.get('0-2')).toBe('dir');
    expect(probe.source.has('0-1')).toBe(true);
    expect([probe.mode.get(0), probe.mode.get(1)]).toEqual(['overlay', 'copy']);
  });

  it('reads a save report in order, with its one result', () => {
    const output = parseSaveOutput(['MATCH 0 3', 'COPYFAIL vendor/odd file', 'MATCH untracked 1', 'SAVED 2048 4', ''].join('\n'));
    expect(output.lines).toEqual([
      { kind: 'match', index: 0, count: 3 },
      { kind: 'copy-failed', path: 'vendor/odd file' },
      { kind: 'match', index: 'untracked', count: 1 },
    ]);
    expect(output.result).toEqual({ kind: 'saved', bytes: 2048, files: 4 });
    expect(parseSaveOutput('MATCH 0 0\nNOTHING\n').result).toEqual({ kind: 'nothing' });
    expect(parseSaveOutput('UNCHANGED\n').result).toEqual({ kind: 'unchanged' });
    expect(parseSaveOutput('').result).toBeUndefined();
  });
});
