import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shQuote } from '../../../main/docker/cache-shell.js';
import { checkCachePath, type CachePath } from '../../../main/engine/cache/paths.js';
import { probeScript } from '../../../main/engine/cache/probe-protocol.js';
import { saveScript } from '../../../main/engine/cache/save-protocol.js';

function paths(...patterns: string[]): CachePath[] {
  return patterns.map((pattern) => {
    const checked = checkCachePath(pattern);
    if (!checked.ok) throw new Error(checked.reason);
    return checked.path;
  });
}

/** `sh -n`: the script parses (odd path names must not break out of their quotes). */
function parses(script: string): boolean {
  execFileSync('sh', ['-n', '-c', script]);
  return true;
}

describe('cache container scripts', () => {
  const odd = ["it's here", 'a b/$(reboot)', '`x`', 'semi;colon'];

  it('probe scripts parse and quote every path', () => {
    const script = probeScript([{ index: 0, candidates: [0, 1], literal: odd.map((path, slot) => ({ slot, path })) }], "/builds/g/it's", 1, 'tok');
    expect(parses(script)).toBe(true);
    expect(script).toContain(`'/builds/g/it'\\''s/a b/$(reboot)'`);
  });

  it('save scripts parse for literal, glob and ** paths, with untracked and the unchanged check', () => {
    const script = saveScript({
      projectDir: '/builds/g/p',
      generation: 'g-1-a',
      paths: paths(...odd, '*.log', "x's/**/*.o"),
      untracked: true,
      keep: ['g-0-b'],
      unchanged: { generation: 'g-0-b', dirs: ['/jobsim/scratch/0-0/upper'] },
      now: 1,
    });
    expect(parses(script)).toBe(true);
    expect(script).toContain(`for f in '*.log'`.replace(`'*.log'`, `*'.log'`));
    expect(script).toContain(`find . -path './x'\\''s/**.o'`);
  });

  it('shQuote round-trips any path through sh', () => {
    for (const text of [...odd, "'", '\\', 'new\nline', '']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shQuote(text)}`]).toString()).toBe(text);
    }
  });
});
