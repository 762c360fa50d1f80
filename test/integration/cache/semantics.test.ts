import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheHarness, cachePlan } from './harness.js';

let harness: CacheHarness;
let other: CacheHarness;
beforeAll(async () => {
  harness = await CacheHarness.create();
  other = await CacheHarness.create();
});
afterAll(async () => {
  await harness.dispose();
  await other.dispose();
});

const literal = (value: string) => ({ kind: 'literal' as const, value });

describe('cache policies, when, keys (real daemon)', () => {
  it('pull never saves and push never restores', async () => {
    const key = literal('policies');
    await harness.runJob('seed', { caches: [cachePlan({ key })], script: 'mkdir -p vendor && echo seed > vendor/v' });

    const pull = await harness.runJob('pull', { caches: [cachePlan({ key, policy: 'pull' })], script: 'cat vendor/v && echo changed > vendor/v' });
    expect(pull.output).toBe('seed\n');
    expect(pull.cacheEvents.map((e) => e.action)).toEqual(['restored', 'skipped']);
    expect(pull.logs).toContain('Not uploading cache policies due to policy');

    const push = await harness.runJob('push', { caches: [cachePlan({ key, policy: 'push' })], script: 'ls vendor 2>&1 || true; mkdir -p vendor && echo pushed > vendor/v' });
    expect(push.output).toContain('No such file');
    expect(push.logs).toContain('Not downloading cache policies due to policy');
    expect(push.cacheEvents.map((e) => e.action)).toEqual(['skipped', 'saved']);

    const after = await harness.runJob('after', { caches: [cachePlan({ key, policy: 'pull' })], script: 'cat vendor/v' });
    expect(after.output).toBe('pushed\n');
  });

  it('when: on_failure saves only for failed jobs, always saves for both', async () => {
    const key = literal('when-kinds');
    const onFailure = cachePlan({ key, when: 'on_failure' });
    const ok = await harness.runJob('ok', { caches: [onFailure], script: 'mkdir -p vendor && echo ok > vendor/w' });
    expect(ok.cacheEvents.at(-1)).toMatchObject({ action: 'skipped', reason: 'when: on_failure, and the job succeeded' });
    const bad = await harness.runJob('bad', { caches: [onFailure], script: 'mkdir -p vendor && echo bad > vendor/w; exit 1' });
    expect(bad.logs).toContain('Saving cache for failed job');
    expect(bad.cacheEvents.at(-1)?.action).toBe('saved');
    const always = await harness.runJob('always', { caches: [cachePlan({ key, when: 'always' })], script: 'cat vendor/w; echo again > vendor/w; exit 1' });
    expect(always.output).toBe('bad\n');
    expect(always.cacheEvents.at(-1)?.action).toBe('saved');
    const canceled = await harness.runJob('canceled', { caches: [cachePlan({ key, when: 'always' })], script: 'echo nope > vendor/w', outcome: { state: 'canceled' } });
    expect(canceled.cacheEvents.at(-1)).toMatchObject({ action: 'skipped', reason: 'job canceled' });
    const check = await harness.runJob('check', { caches: [cachePlan({ key, policy: 'pull' })], script: 'cat vendor/w' });
    expect(check.output).toBe('again\n');
  });

  it('falls back to fallback_keys and saves under the job key', async () => {
    await harness.runJob('main', { caches: [cachePlan({ key: literal('main-branch') })], script: 'mkdir -p vendor && echo main > vendor/f' });
    const feature = await harness.runJob('feature', {
      caches: [cachePlan({ key: literal('feature-branch'), fallbackKeys: ['missing-one', 'main-branch'] })],
      script: 'cat vendor/f && echo feature > vendor/f',
    });
    expect(feature.output).toBe('main\n');
    expect(feature.logs).toEqual(expect.arrayContaining(['Checking cache for feature-branch...', 'Checking cache for missing-one...', 'Checking cache for main-branch...']));
    expect(feature.cacheEvents[0]).toMatchObject({ action: 'restored', fallbackKey: 'main-branch', key: 'feature-branch' });
    expect(feature.cacheEvents[1]).toMatchObject({ action: 'saved', key: 'feature-branch' });
    const again = await harness.runJob('again', { caches: [cachePlan({ key: literal('feature-branch'), fallbackKeys: ['main-branch'] })], script: 'cat vendor/f' });
    expect(again.output).toBe('feature\n');
    expect(again.cacheEvents[0]?.fallbackKey).toBeUndefined();
    const global = await harness.runJob('global', {
      caches: [cachePlan({ key: literal('other-branch'), policy: 'pull' })],
      variables: [{ key: 'CACHE_FALLBACK_KEY', value: 'main-branch', masked: false, source: 'global' }],
      script: 'cat vendor/f',
    });
    expect(global.output).toBe('main\n');
    expect(global.cacheEvents[0]).toMatchObject({ action: 'restored', fallbackKey: 'main-branch' });
  });

  it('keeps two projects apart even with the same key', async () => {
    await harness.runJob('a', { caches: [cachePlan({ key: literal('shared-name') })], script: 'mkdir -p vendor && echo project-a > vendor/p' });
    const b = await other.runJob('b', { caches: [cachePlan({ key: literal('shared-name') })], script: 'ls vendor 2>/dev/null; echo done' });
    expect(b.output).toBe('done\n');
    expect(b.cacheEvents[0]?.action).toBe('not-found');
  });

  it('disable_cache restores and saves nothing', async () => {
    const run = await harness.runJob('disabled', { caches: [cachePlan({ key: literal('disabled') })], script: 'mkdir -p vendor && echo x > vendor/x', runner: { disableCache: true } });
    expect(run.cacheEvents).toEqual([expect.objectContaining({ action: 'skipped', reason: 'the runner disables the cache (disable_cache)' })]);
    const next = await harness.runJob('next', { caches: [cachePlan({ key: literal('disabled') })], script: 'true' });
    expect(next.cacheEvents[0]?.action).toBe('not-found');
  });

  it('sanitizes a key holding a path the way GitLab Runner does, with its warning, and stores it under that key', async () => {
    const first = await harness.runJob('sanitized', { caches: [cachePlan({ key: literal('deps/../../x%2Fy ') })], script: 'mkdir -p vendor && echo kept > vendor/f' });
    expect(first.logs).toContain('WARNING: cache key "deps/../../x%2Fy " sanitized to "x/y"');
    expect(first.cacheEvents.at(-1)).toMatchObject({ action: 'saved', key: 'x/y' });
    const again = await harness.runJob('same-key', { caches: [cachePlan({ key: literal('x/y') })], script: 'cat vendor/f' });
    expect(again.output).toBe('kept\n');
    expect(again.logs.some((line) => line.startsWith('WARNING: cache key'))).toBe(false);
  });

  it('an empty key skips extraction and archiving with GitLab messages', async () => {
    const run = await harness.runJob('empty', { caches: [cachePlan({ key: literal('  ') })], script: 'true' });
    expect(run.logs).toEqual(expect.arrayContaining(['Skipping cache extraction due to empty cache key', 'Skipping cache archiving due to empty cache key']));
    expect(run.cacheEvents.map((e) => e.action)).toEqual(['skipped', 'skipped']);
  });

  it('key:files changes when a listed file changes', async () => {
    writeFileSync(join(harness.hostProjectDir, 'lock.txt'), 'v1');
    const key = { kind: 'files' as const, files: ['lock.txt', 'absent.txt'], prefix: 'deps' };
    const first = await harness.runJob('one', { caches: [cachePlan({ key })], script: 'mkdir -p vendor && echo v1 > vendor/d' });
    const firstKey = first.cacheEvents[0]?.key ?? '';
    expect(firstKey).toMatch(/^deps-[0-9a-f]{40}$/);
    const same = await harness.runJob('same', { caches: [cachePlan({ key })], script: 'cat vendor/d' });
    expect(same.output).toBe('v1\n');
    writeFileSync(join(harness.hostProjectDir, 'lock.txt'), 'v2');
    const changed = await harness.runJob('changed', { caches: [cachePlan({ key })], script: 'ls vendor 2>/dev/null; true' });
    expect(changed.cacheEvents[0]?.key).not.toBe(firstKey);
    expect(changed.cacheEvents[0]?.action).toBe('not-found');
    expect(changed.output).toBe('');
  });

  it('untracked: true caches the files git does not track', async () => {
    execFileSync('git', ['init', '-q', harness.hostProjectDir]);
    mkdirSync(join(harness.hostProjectDir, 'src'), { recursive: true });
    writeFileSync(join(harness.hostProjectDir, 'src', 'main.c'), 'int main;');
    execFileSync('git', ['-C', harness.hostProjectDir, 'add', 'src/main.c']);
    const plan = cachePlan({ key: literal('untracked'), paths: [], untracked: true });
    const save = await harness.runJob('build', { caches: [plan], script: 'mkdir -p src out && echo code > src/main.c && echo bin > out/app && echo o > src/main.o' });
    expect(save.logs).toContain('untracked: found 2 files');
    expect(save.cacheEvents.at(-1)).toMatchObject({ action: 'saved', files: 2 });
    const restore = await harness.runJob('test', { caches: [plan], script: 'cat out/app src/main.o; ls src' });
    expect(restore.output).toBe('bin\no\nmain.o\n');
  });

  it('a secret inside a key never reaches the volume name or labels', async () => {
    const secret = 'tok3n-VALUE';
    const key = literal(`deps-${secret}`);
    const save = await harness.runJob('save', { caches: [cachePlan({ key })], secrets: [secret], script: 'mkdir -p vendor && echo s > vendor/s' });
    const volume = save.cacheEvents.at(-1)?.volume ?? '';
    expect(volume.toLowerCase()).not.toContain(secret.toLowerCase());
    const info = await harness.docker.getVolume(volume).inspect();
    expect(JSON.stringify(info.Labels)).not.toContain(secret);
    expect(info.Labels['dev.jobsim.cache.key']).toBe('deps-[MASKED]');
    const restore = await harness.runJob('restore', { caches: [cachePlan({ key })], secrets: [secret], script: 'cat vendor/s' });
    expect(restore.output).toBe('s\n');
    const otherSecret = await harness.runJob('other', { caches: [cachePlan({ key: literal('deps-another') })], secrets: ['another'], script: 'true' });
    expect(otherSecret.cacheEvents[0]?.action).toBe('not-found');
  });
});
