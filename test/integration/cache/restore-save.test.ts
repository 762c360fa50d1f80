import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheHarness, cachePlan } from './harness.js';

let harness: CacheHarness;
beforeAll(async () => {
  harness = await CacheHarness.create();
});
afterAll(async () => {
  await harness.dispose();
});

describe('cache restore and save (real daemon)', () => {
  it('saves a job cache and restores it in the next job, mounted copy-on-write', async () => {
    const first = await harness.runJob('build', { caches: [cachePlan()], script: 'mkdir -p vendor && echo one > vendor/a.txt' });
    expect(first.exitCode).toBe(0);
    expect(first.cacheEvents.map((e) => e.action)).toEqual(['not-found', 'saved']);
    expect(first.logs).toContain('Checking cache for default...');
    expect(first.logs).toContain('Saving cache for successful job');
    expect(first.logs).toContain('Creating cache default...');
    const saved = first.cacheEvents[1];
    expect(saved?.files).toBe(1);
    expect(saved?.lastWriter?.job).toBe('build');

    const second = await harness.runJob('test', { caches: [cachePlan()], script: 'cat vendor/a.txt' });
    expect(second.output.trim()).toBe('one');
    const restored = second.cacheEvents[0];
    expect(restored?.action).toBe('restored');
    expect(restored?.reason).toContain('overlay');
    expect(restored?.lastWriter).toEqual(saved?.lastWriter);
    expect(restored?.files).toBe(1);
    expect(second.logs).toContain('Successfully extracted cache');
    // Nothing changed: the save is a metadata update only.
    expect(second.cacheEvents[1]?.action).toBe('saved');
    expect(second.cacheEvents[1]?.reason).toBe('unchanged since restore');
  });

  it('a failed job with when:on_success leaves the cache exactly as it was', async () => {
    const plan = cachePlan({ key: { kind: 'literal', value: 'exact' } });
    await harness.runJob('seed', { caches: [plan], script: 'mkdir -p vendor && echo good > vendor/x' });
    const failed = await harness.runJob('broken', { caches: [plan], script: 'echo bad > vendor/x; rm -f vendor/x; echo junk > vendor/y; exit 3' });
    expect(failed.exitCode).toBe(3);
    expect(failed.cacheEvents.at(-1)).toMatchObject({ action: 'skipped', reason: 'when: on_success, and the job failed' });
    const after = await harness.runJob('check', { caches: [plan], script: 'cat vendor/x; ls vendor' });
    expect(after.output).toBe('good\nx\n');
  });

  it('a changed cache is saved as a new generation that the next job sees', async () => {
    const plan = cachePlan({ key: { kind: 'literal', value: 'grow' } });
    await harness.runJob('one', { caches: [plan], script: 'mkdir -p vendor && echo 1 > vendor/one' });
    const two = await harness.runJob('two', { caches: [plan], script: 'echo 2 > vendor/two && rm vendor/one' });
    expect(two.cacheEvents.at(-1)).toMatchObject({ action: 'saved', files: 1 });
    const three = await harness.runJob('three', { caches: [plan], script: 'ls vendor' });
    expect(three.output).toBe('two\n');
  });

  it('artifacts put into a cached path after the restore win over the cache, as in GitLab', async () => {
    const plan = cachePlan({ key: { kind: 'literal', value: 'artifact-order' } });
    await harness.runJob('seed', { caches: [plan], script: 'mkdir -p vendor && echo cache > vendor/a && echo cache > vendor/c' });
    const job = await harness.runJob('use', { caches: [plan], afterPrepare: 'mkdir -p vendor && echo artifact > vendor/a && echo artifact > vendor/b', script: 'cat vendor/a vendor/b vendor/c' });
    expect(job.cacheEvents[0]?.reason).toContain('overlay');
    expect(job.output).toBe('artifact\nartifact\ncache\n');
    // The job left the artifact files in the cached path: the cache takes them, as GitLab's archive would.
    expect(job.cacheEvents[1]).toMatchObject({ action: 'saved', files: 3 });
    expect(job.cacheEvents[1]?.reason).toBeUndefined();
  });

  it('two jobs saving the same key at once leave one consistent cache', async () => {
    const plan = cachePlan({ key: { kind: 'literal', value: 'race' } });
    await harness.runJob('seed', { caches: [plan], script: 'mkdir -p vendor && echo seed > vendor/x' });
    await Promise.all([
      harness.runJob('left', { caches: [plan], script: 'echo left > vendor/x' }),
      harness.runJob('right', { caches: [plan], script: 'echo right > vendor/x' }),
    ]);
    const after = await harness.runJob('after', { caches: [plan], script: 'cat vendor/x' });
    const writer = after.cacheEvents[0]?.lastWriter?.job;
    expect(['left', 'right']).toContain(writer);
    expect(after.output).toBe(`${writer ?? ''}\n`);
  });
});
