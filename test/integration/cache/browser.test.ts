import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cacheCommand } from '../../../main/cli/cache.js';
import { createCacheBrowser, type CacheBrowser } from '../../../main/engine/cache/browser.js';
import { runCacheShell } from '../../../main/docker/cache-shell.js';
import type { CacheVolumeInfo } from '../../../shared/cache-api.js';
import { CacheHarness, cachePlan, IMAGE, TEST_LABEL } from './harness.js';

/** Runs `jobsim cache …` in-process and returns its exit code and stdout. */
async function captured(args: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const code = await cacheCommand.run(args);
    return { code, stdout: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}
let harness: CacheHarness;
let browser: CacheBrowser;
beforeAll(async () => {
  harness = await CacheHarness.create();
  browser = createCacheBrowser(harness.docker);
  const plan = cachePlan({ key: { kind: 'literal', value: 'browse' }, paths: ['vendor', 'notes.txt'] });
  await harness.runJob('writer', { caches: [plan], script: 'mkdir -p vendor/lib && head -c 3000 /dev/zero > vendor/lib/blob && echo hello > notes.txt && ln -s /etc/passwd vendor/link' });
  await harness.runJob('old', { caches: [cachePlan({ key: { kind: 'literal', value: 'stale' } })], script: 'mkdir -p vendor && echo old > vendor/o' });
});
afterAll(async () => {
  await harness.dispose();
});

async function byKey(key: string): Promise<CacheVolumeInfo | undefined> {
  return (await browser.list({ project: harness.project, fresh: true })).find((cache) => cache.key === key);
}

describe('cache browser (real daemon)', () => {
  it('lists caches of a project with size, files and last writer', async () => {
    const cache = await byKey('browse');
    expect(cache).toMatchObject({ project: harness.project, storage: 'volume', files: 2, empty: false, lastWriter: { job: 'writer' } });
    expect(cache?.sizeBytes).toBeGreaterThanOrEqual(3006);
    expect(cache?.lastUsed).toBeGreaterThan(0);
  });

  it('shows a tree with sizes, links unfollowed, and reads a small file', async () => {
    const cache = await byKey('browse');
    const tree = await browser.tree(cache?.volume ?? '');
    expect(tree.children?.map((child) => `${child.kind}:${child.name}`)).toEqual(['dir:vendor', 'file:notes.txt']);
    const vendor = tree.children?.[0];
    expect(vendor?.children?.map((child) => `${child.kind}:${child.name}`)).toEqual(['dir:lib', 'symlink:link']);
    expect(vendor?.children?.[1]?.linkTarget).toBe('/etc/passwd');
    expect(vendor?.sizeBytes).toBeGreaterThanOrEqual(3000);
    const file = await browser.readFile(cache?.volume ?? '', 'notes.txt');
    expect(file).toEqual({ path: 'notes.txt', sizeBytes: 6, text: 'hello\n', truncated: false });
    await expect(browser.readFile(cache?.volume ?? '', 'vendor/link')).rejects.toThrow('symbolic link');
    await expect(browser.readFile(cache?.volume ?? '', '../meta.json')).rejects.toThrow('must stay inside the cache');
    const cut = await browser.readFile(cache?.volume ?? '', 'vendor/lib/blob', 100);
    expect(cut).toMatchObject({ sizeBytes: 3000, truncated: true });
    expect(cut.text.length).toBe(100);
  });

  it('the CLI command lists and inspects caches', async () => {
    const listed = await captured(['ls', '--project', harness.project, '--json']);
    const caches = JSON.parse(listed.stdout) as CacheVolumeInfo[];
    expect(caches.map((cache) => cache.key).sort()).toEqual(['browse', 'stale']);
    expect(await captured(['inspect', 'browse', 'notes.txt', '--project', harness.project])).toEqual({ code: 0, stdout: 'hello\n' });
    const tree = await captured(['inspect', 'browse', 'vendor', '--project', harness.project]);
    expect(tree.stdout).toContain('\n  link  -> /etc/passwd\n');
    await expect(captured(['inspect', 'no-such-key', '--project', harness.project])).rejects.toThrow('no cache "no-such-key"');
  });

  it('prunes caches not used for N days and removes by project', async () => {
    const stale = await byKey('stale');
    // Make the cache look last used 10 days ago (what a real user's old cache looks like).
    const tenDaysAgo = Date.now() - 10 * 86_400_000;
    await runCacheShell(harness.docker, {
      image: IMAGE,
      script: `echo ${tenDaysAgo} > /v/last-used`,
      mounts: [{ type: 'volume', source: stale?.volume ?? '', target: '/v', readOnly: false }],
      labels: { [TEST_LABEL]: harness.label },
    });
    const fresh = createCacheBrowser(harness.docker);
    const pruned = await fresh.clear({ kind: 'older-than', days: 7, project: harness.project });
    expect(pruned.removed).toContain(stale?.volume);
    expect(pruned.removed).not.toContain((await byKey('browse'))?.volume);
    const cleared = await fresh.clear({ kind: 'project', project: harness.project });
    expect(cleared.removed).toHaveLength(1);
    expect(await fresh.list({ project: harness.project })).toEqual([]);
  });
});
