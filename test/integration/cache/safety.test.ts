import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../main/errors.js';
import { CacheHarness, cachePlan } from './harness.js';

let harness: CacheHarness;
beforeAll(async () => {
  harness = await CacheHarness.create();
});
afterAll(async () => {
  await harness.dispose();
});

const literal = (value: string) => ({ kind: 'literal' as const, value });

describe('cache safety and restore modes (real daemon)', () => {
  it('refuses cache paths outside the project directory with the file location', async () => {
    const plan = cachePlan({ paths: ['../elsewhere'], where: { file: '.gitlab-ci.yml', line: 7, col: 9 } });
    const attempt = harness.runJob('escape', { caches: [plan], script: 'true' });
    await expect(attempt).rejects.toBeInstanceOf(InputError);
    await expect(attempt).rejects.toThrow('.gitlab-ci.yml:7:9: cache:paths "../elsewhere": path is outside the project directory');
  });

  it('a cache holding a symlink to /etc never exposes host files', async () => {
    expect(existsSync('/etc/apt')).toBe(true); // the host has it; the test image does not
    const key = literal('symlink');
    const save = await harness.runJob('plant', { caches: [cachePlan({ key })], script: 'ln -s /etc vendor' });
    expect(save.cacheEvents.at(-1)?.action).toBe('saved');
    const restore = await harness.runJob('victim', { caches: [cachePlan({ key })], script: 'readlink vendor; ls vendor/apt 2>&1 || echo no-host-apt' });
    expect(restore.cacheEvents[0]).toMatchObject({ action: 'restored', reason: 'copied into the project directory' });
    expect(restore.output).toContain('/etc\n');
    expect(restore.output).toContain('no-host-apt');

    const nested = await harness.runJob('nested', { caches: [cachePlan({ key: literal('nested-link') })], script: 'mkdir -p vendor && ln -s /etc vendor/etc' });
    expect(nested.cacheEvents.at(-1)?.action).toBe('saved');
    const reader = await harness.runJob('reader', { caches: [cachePlan({ key: literal('nested-link') })], script: 'ls vendor/etc/apt 2>&1 || echo no-host-apt' });
    expect(reader.cacheEvents[0]?.reason).toContain('overlay');
    expect(reader.output).toContain('no-host-apt');
  });

  it('glob paths are copied and restored at their relative places', async () => {
    const plan = cachePlan({ key: literal('globs'), paths: ['*.log', 'build/**/*.o', 'missing/'] });
    const save = await harness.runJob('save', {
      caches: [plan],
      script: 'echo a > one.log; echo b > two.log; mkdir -p build/x/y && echo o > build/x/y/m.o && echo c > build/x/keep.c',
    });
    expect(save.logs).toEqual(expect.arrayContaining(['*.log: found 2 matching paths', `WARNING: missing/: no matching files. Ensure that the artifact path is relative to the working directory (/builds/group/app)`]));
    expect(save.cacheEvents.at(-1)).toMatchObject({ action: 'saved', files: 3 });
    const restore = await harness.runJob('restore', { caches: [plan], script: 'cat one.log two.log build/x/y/m.o; ls build/x' });
    expect(restore.cacheEvents[0]?.reason).toBe('copied into the project directory');
    expect(restore.output).toBe('a\nb\no\ny\n');
  });

  it('no matching paths leaves the cache as it was', async () => {
    const plan = cachePlan({ key: literal('nothing') });
    await harness.runJob('seed', { caches: [plan], script: 'mkdir -p vendor && echo kept > vendor/k' });
    const empty = await harness.runJob('wipe', { caches: [cachePlan({ key: literal('nothing'), policy: 'push' })], script: 'true' });
    expect(empty.cacheEvents.at(-1)).toMatchObject({ action: 'skipped', reason: 'no matching paths' });
    const check = await harness.runJob('check', { caches: [plan], script: 'cat vendor/k' });
    expect(check.output).toBe('kept\n');
  });

  it('runner cache_dir keeps caches in a host folder instead of a volume', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'jobsim-cache-dir-'));
    try {
      const runner = { cacheDir };
      const save = await harness.runJob('save', { caches: [cachePlan({ key: literal('hosted') })], script: 'mkdir -p vendor && echo host > vendor/h', runner });
      const folder = save.cacheEvents.at(-1)?.volume ?? '';
      expect(folder.startsWith(cacheDir)).toBe(true);
      const generation = readFileSync(join(folder, 'current'), 'utf8').trim();
      expect(readdirSync(join(folder, 'gens', generation, 'tree', 'vendor'))).toEqual(['h']);
      expect(JSON.parse(readFileSync(join(folder, 'gens', generation, 'meta.json'), 'utf8'))).toMatchObject({ generation, files: 1, lastWriter: { job: 'save' } });
      const restore = await harness.runJob('restore', { caches: [cachePlan({ key: literal('hosted') })], script: 'cat vendor/h', runner });
      expect(restore.output).toBe('host\n');
      expect(restore.cacheEvents[0]?.reason).toContain('overlay');
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('several caches per job are restored and saved independently', async () => {
    const a = cachePlan({ key: literal('multi-a'), paths: ['a'] });
    const b = cachePlan({ key: literal('multi-b'), paths: ['b'], policy: 'pull' });
    await harness.runJob('seed-b', { caches: [cachePlan({ key: literal('multi-b'), paths: ['b'] })], script: 'mkdir b && echo B > b/f' });
    const both = await harness.runJob('both', { caches: [a, b], script: 'mkdir -p a && echo A > a/f; cat b/f; echo changed > b/f' });
    expect(both.output).toBe('B\n');
    expect(both.cacheEvents.map((e) => `${e.key}:${e.action}`)).toEqual(['multi-a:not-found', 'multi-b:restored', 'multi-a:saved', 'multi-b:skipped']);
    const check = await harness.runJob('check', { caches: [a, b], script: 'cat a/f b/f' });
    expect(check.output).toBe('A\nB\n');
  });

  it('copies instead of mounting when the sources already hold the path, so the cache overwrites them as in GitLab', async () => {
    const plan = cachePlan({ key: literal('over-sources') });
    await harness.runJob('seed', { caches: [plan], script: 'mkdir -p vendor && echo cache > vendor/a' });
    const job = await harness.runJob('use', { caches: [plan], beforePrepare: 'mkdir -p vendor && echo source > vendor/a && echo source > vendor/s', script: 'cat vendor/a vendor/s' });
    expect(job.cacheEvents[0]?.reason).toBe('copied into the project directory');
    expect(job.output).toBe('cache\nsource\n');
  });

  it('nested cache paths are copied (a mount inside a mount would write into the outer cache)', async () => {
    const plan = cachePlan({ key: literal('nested-paths'), paths: ['deps', 'deps/inner'] });
    await harness.runJob('seed', { caches: [plan], script: 'mkdir -p deps/inner && echo i > deps/inner/f && echo o > deps/f' });
    const job = await harness.runJob('use', { caches: [plan], script: 'cat deps/f deps/inner/f' });
    expect(job.cacheEvents[0]?.reason).toBe('copied into the project directory');
    expect(job.output).toBe('o\ni\n');
  });
});
