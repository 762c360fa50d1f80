// Symlinks do not get around "inside the project" (issue 13, point 4): an include, the CI file itself,
// `rules:exists` and `cache:key:files` that lead out of the project through a symlink are refused or
// left out, the message names the path and says it is outside, and never quotes what the file holds.

import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../../main/cli/errors.js';
import { listCommand } from '../../../main/cli/list.js';
import { planCommand } from '../../../main/cli/plan.js';
import { resolveCacheKey } from '../../../main/engine/cache/key.js';
import { FIXTURES, job, load, writeProject } from './helpers.js';

const MARKER = 'OUTSIDE-MARKER-7f3a9c';
let outsideDir = '';
let outsideFile = '';
let out = '';
let err = '';

beforeEach(() => {
  outsideDir = realpathSync(mkdtempSync(join(tmpdir(), 'jobsim-outside-')));
  outsideFile = join(outsideDir, 'shadow.yml');
  // Invalid YAML on purpose: a parser error would quote it if the file were ever read.
  writeFileSync(outsideFile, `root:${MARKER}:19000:0:99999:7:::\n  bad: [\n`);
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  vi.stubEnv('HOME', FIXTURES);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function cli(command: typeof listCommand, args: string[]): Promise<number> {
  try {
    return await command.run(args);
  } catch (error) {
    return reportError(error, false);
  }
}

const JOB = 't:\n  image: busybox:1.36\n  script: [echo hi]\n';

describe('symlinks leading out of the project', () => {
  it('include:local through a symlink to a file outside: refused, exit 2, content never shown', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': `include: ci/shared.yml\n${JOB}` });
    mkdirSync(join(dir, 'ci'));
    symlinkSync(outsideFile, join(dir, 'ci', 'shared.yml'));
    expect(await cli(listCommand, ['-C', dir])).toBe(2);
    expect(out + err).not.toContain(MARKER);
    expect(err).toContain('include:local "ci/shared.yml"');
    expect(err).toContain(`${outsideFile}, which is outside the project directory`);
    expect(err).not.toMatch(/\n\s+at /);
    expect(err.split('\n')[0]).toMatch(/^jobsim: \.gitlab-ci\.yml:1:\d+: /);
  });

  it('include:local through a symlinked directory: refused', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': `include: ci/shadow.yml\n${JOB}` });
    symlinkSync(outsideDir, join(dir, 'ci'));
    expect(await cli(planCommand, ['t', '-C', dir])).toBe(2);
    expect(out + err).not.toContain(MARKER);
    expect(err).toContain('is outside the project directory');
  });

  it('an include glob leaves such a symlink out', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': `include: "ci/*.yml"\n${JOB}`, 'ci/ok.yml': 'variables: {OK: "1"}\n' });
    symlinkSync(outsideFile, join(dir, 'ci', 'evil.yml'));
    const plan = await load(dir);
    expect(job(plan, 't').variables.find((v) => v.key === 'OK')?.value).toBe('1');
    expect(JSON.stringify(plan)).not.toContain(MARKER);
  });

  it('a .gitlab-ci.yml that is a symlink to a file outside: refused, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobsim-parse-'));
    symlinkSync(outsideFile, join(dir, '.gitlab-ci.yml'));
    expect(await cli(listCommand, ['-C', dir])).toBe(2);
    expect(out + err).not.toContain(MARKER);
    expect(err).toBe(`jobsim: CI file ".gitlab-ci.yml" leads (through a symlink) to ${outsideFile}, which is outside the project directory; it is not read\n`);
  });

  it('rules:exists does not count a symlink that leads outside (nor one inside that is fine)', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml': 'out:\n  image: busybox:1.36\n  script: x\n  rules: [{exists: [Gemfile]}]\nin:\n  image: busybox:1.36\n  script: x\n  rules: [{exists: [link.txt]}]\n',
      'real.txt': 'inside',
    });
    symlinkSync(outsideFile, join(dir, 'Gemfile'));
    symlinkSync('real.txt', join(dir, 'link.txt'));
    const plan = await load(dir);
    expect(plan.jobs.map((j) => [j.name, j.when])).toEqual([['out', 'never'], ['in', 'on_success']]);
  });

  it('cache:key:files through a symlink outside: the key is refused with the path named', async () => {
    const dir = writeProject({ 'a.lock': 'a' });
    symlinkSync(outsideFile, join(dir, 'b.lock'));
    const key = await resolveCacheKey({ kind: 'files', files: ['a.lock', 'b.lock'], prefix: 'deps' }, dir);
    expect(key).toEqual({ ok: false, reason: `cache:key:files "b.lock" leads (through a symlink) to ${outsideFile}, which is outside the project directory; it is not read` });
  });
});
