import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheVolumeName } from '../../../main/docker/cache-volumes.js';
import { checkKey, filesKey, resolveCacheKey } from '../../../main/engine/cache/key.js';
import { metaHead, newGeneration, parseMeta } from '../../../main/engine/cache/meta.js';
import { checkCachePath, components, mountable } from '../../../main/engine/cache/paths.js';
import { skipReason } from '../../../main/engine/cache/save.js';
import { findPattern, globWord } from '../../../main/engine/cache/scripts.js';
import type { CacheEntry } from '../../../main/engine/cache/entry.js';
import type { CachePlan } from '../../../shared/plan.js';
import { formatBytes } from '../../../shared/bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'jobsim-cache-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cache keys', () => {
  it('sanitizes an expanded key as GitLab Runner does: a key may be a path, it never climbs out', () => {
    expect(checkKey('main')).toEqual({ ok: true, key: 'main' });
    expect(checkKey('integration test 1/4-main')).toEqual({ ok: true, key: 'integration test 1/4-main' });
    expect(checkKey('')).toEqual({ ok: false, reason: 'empty cache key' });
    expect(checkKey('a%2Fb')).toEqual({ ok: true, key: 'a/b', warning: 'cache key "a%2Fb" sanitized to "a/b"' });
    expect(checkKey('a\\b')).toEqual({ ok: true, key: 'a/b', warning: 'cache key "a\\\\b" sanitized to "a/b"' });
    expect(checkKey('../../etc/x')).toEqual({ ok: true, key: 'etc/x', warning: 'cache key "../../etc/x" sanitized to "etc/x"' });
    expect(checkKey('/abs//dir/')).toEqual({ ok: true, key: 'abs/dir', warning: 'cache key "/abs//dir/" sanitized to "abs/dir"' });
    expect(checkKey('key ')).toEqual({ ok: true, key: 'key', warning: 'cache key "key " sanitized to "key"' });
    expect(checkKey('a/  ')).toEqual({ ok: true, key: 'a', warning: 'cache key "a/  " sanitized to "a"' });
    expect(checkKey('..')).toEqual({ ok: false, reason: 'empty cache key', warning: 'cache key ".." could not be sanitized' });
    expect(checkKey('%2e').ok).toBe(false);
    expect(checkKey(' ').ok).toBe(false);
  });

  it('hashes the contents of up to two files, with a prefix', async () => {
    writeFileSync(join(dir, 'a.lock'), 'one');
    writeFileSync(join(dir, 'b.lock'), 'two');
    writeFileSync(join(dir, 'c.lock'), 'three');
    const key = await filesKey(dir, ['a.lock', 'b.lock'], 'deps');
    expect(key).toMatch(/^deps-[0-9a-f]{40}$/);
    expect(await filesKey(dir, ['a.lock', 'b.lock', 'c.lock'], 'deps')).toBe(key);
    writeFileSync(join(dir, 'b.lock'), 'changed');
    expect(await filesKey(dir, ['a.lock', 'b.lock'], 'deps')).not.toBe(key);
  });

  it('falls back to default (prefixed) when no listed file exists or a file is outside the project', async () => {
    expect(await filesKey(dir, ['nope.lock'])).toBe('default');
    expect(await filesKey(dir, ['nope.lock'], 'pre')).toBe('pre-default');
    expect(await filesKey(dir, ['../../etc/hostname'])).toBe('default');
    expect(await resolveCacheKey({ kind: 'literal', value: 'x-1' }, dir)).toEqual({ ok: true, key: 'x-1' });
  });

  it('gives every (project, key) its own recognisable volume name', () => {
    const name = cacheVolumeName('group/app', 'main');
    expect(name).toMatch(/^jobsim-cache-group-app-main-[0-9a-f]{10}$/);
    expect(cacheVolumeName('group/app', 'Main')).not.toBe(name);
    expect(cacheVolumeName('group-app', 'main')).not.toBe(name);
    expect(cacheVolumeName('g', 'ä/ö')).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
  });
});

describe('cache paths', () => {
  it('normalises and refuses paths outside the project', () => {
    expect(checkCachePath('./vendor/')).toEqual({ ok: true, path: { kind: 'literal', pattern: './vendor/', path: 'vendor' } });
    expect(checkCachePath('a/../b')).toMatchObject({ ok: true, path: { path: 'b' } });
    expect(checkCachePath('../x')).toMatchObject({ ok: false, reason: 'path is outside the project directory' });
    expect(checkCachePath('a/../../x')).toMatchObject({ ok: false });
    expect(checkCachePath('/etc')).toMatchObject({ ok: false, reason: 'absolute paths are outside the project directory' });
    expect(checkCachePath('build/**/*.o')).toMatchObject({ ok: true, path: { kind: 'glob', recursive: true } });
  });

  it('only mounts plain paths whose names fit in overlay mount options', () => {
    const path = (text: string) => {
      const checked = checkCachePath(text);
      if (!checked.ok) throw new Error(checked.reason);
      return checked.path;
    };
    expect(mountable(path('node_modules'))).toBe(true);
    expect(mountable(path('.'))).toBe(false);
    expect(mountable(path('a,b'))).toBe(false);
    expect(mountable(path('a:b'))).toBe(false);
    expect(mountable(path('with space'))).toBe(false);
    expect(mountable(path('*.log'))).toBe(false);
    expect(components('a/b/c')).toEqual(['a', 'a/b', 'a/b/c']);
  });

  it('builds shell globs that quote everything but the wildcards', () => {
    expect(globWord("it's/*.log")).toBe(`'it'\\''s/'*'.log'`);
    expect(globWord('a[0-9]?')).toBe(`'a'[0-9]?`);
    // find's `*` crosses directories, so `**/` may also match no directory at all (build/m.o), like doublestar.
    expect(findPattern('build/**/*.o')).toBe('./build/**.o');
  });
});

describe('cache meta', () => {
  it('round-trips what the save script writes and rejects anything else', () => {
    const writer = { runId: 'r1', job: 'build', time: 5 };
    const text = `${metaHead(writer, ['vendor'])},"generation":"g-abc-1","sizeBytes":10,"files":2}`;
    expect(parseMeta(text)).toEqual({ version: 1, generation: 'g-abc-1', sizeBytes: 10, files: 2, lastWriter: writer, lastUsed: 5, paths: ['vendor'] });
    expect(parseMeta('{"generation":"../../etc"}')).toBeUndefined();
    expect(parseMeta('not json')).toBeUndefined();
    expect(newGeneration(1000)).toMatch(/^g-[a-z0-9]+-[a-z0-9]+$/);
  });
});

describe('when a cache is saved', () => {
  const entry = (plan: Partial<CachePlan>): CacheEntry => ({
    index: 0,
    plan: { key: { kind: 'literal', value: 'k' }, paths: [], untracked: false, policy: 'pull-push', when: 'on_success', fallbackKeys: [], ...plan },
    key: 'k',
    paths: [],
    overlays: [],
  });
  it('follows policy and when exactly', () => {
    expect(skipReason(entry({}), { state: 'success' })).toBeUndefined();
    expect(skipReason(entry({}), { state: 'failed' })).toBe('when: on_success, and the job failed');
    expect(skipReason(entry({ when: 'on_failure' }), { state: 'failed' })).toBeUndefined();
    expect(skipReason(entry({ when: 'on_failure' }), { state: 'success' })).toBe('when: on_failure, and the job succeeded');
    expect(skipReason(entry({ when: 'always' }), { state: 'failed' })).toBeUndefined();
    expect(skipReason(entry({ when: 'always' }), { state: 'canceled' })).toBe('job canceled');
    expect(skipReason(entry({ policy: 'pull', when: 'always' }), { state: 'success' })).toBe('policy: pull (never saves)');
    expect(skipReason(entry({ policy: 'push' }), { state: 'success' })).toBeUndefined();
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100 MB');
  });
});
