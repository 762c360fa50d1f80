// Pull policies against the real daemon and the rig's open registry: never, if-not-present, always, the
// ordered fallback list, pulls by digest, and the refusals that come before any pull.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageResolver, PullError } from '../../../main/engine/pull/index.js';
import { PUBLIC_POOL } from '../../../main/engine/pull/pool.js';
import { InputError } from '../../../main/errors.js';
import { OPEN_REGISTRY, TEST_IMAGES } from '../../rig/constants.js';
import { ImageHarness, pullPlan, request } from './harness.js';

// Short backoff: the retry behaviour is the same, the test just does not wait GitLab's 2–10 s.
const resolveImage = createImageResolver({ retry: { retries: 1, minDelayMs: 10, maxDelayMs: 20 }, progressIntervalMs: 0 });

let harness: ImageHarness;
let remote: string;
let remoteDigest: string;

beforeAll(async () => {
  harness = await ImageHarness.create();
  remote = harness.name(OPEN_REGISTRY, 'policies');
  remoteDigest = await harness.push(remote);
});

afterAll(async () => {
  await harness.cleanup();
});

describe('never', () => {
  it('uses a present image without asking a registry', async () => {
    const test = harness.newRun();
    const resolved = await resolveImage(request(TEST_IMAGES.shell, pullPlan(['never'])), test.run);
    const [event] = test.pulls();
    expect(event).toMatchObject({ decision: 'used-local', policy: 'never', attempt: 1, localPresent: true, imageId: resolved.imageId, image: TEST_IMAGES.shell });
    expect(event?.reason).toContain('never');
    expect(test.logs()).toContain('Using effective pull policy of [never] for container jobsim-test/shell:1');
  });

  it('fails with a clear message and a fix when the image is missing', async () => {
    const test = harness.newRun();
    const missing = harness.name(OPEN_REGISTRY, 'never-missing');
    const error = await resolveImage(request(missing, pullPlan(['never'])), test.run).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PullError);
    expect((error as PullError).message).toContain(`image ${missing} not found locally (pull policy never)`);
    expect((error as PullError).message).toContain('if-not-present');
    expect((error as PullError).reason).toEqual({ kind: 'image-not-found', image: missing });
    expect(test.pulls()).toMatchObject([{ decision: 'failed', localPresent: false, policy: 'never' }]);
  });
});

describe('if-not-present', () => {
  it('uses the local copy and says so in GitLab words', async () => {
    const test = harness.newRun();
    await resolveImage(request(TEST_IMAGES.shell, pullPlan(['if-not-present'])), test.run);
    expect(test.logs()).toContain('Using locally found image version due to "if-not-present" pull policy');
    expect(test.pulls()[0]).toMatchObject({ decision: 'used-local', localPresent: true });
    expect(test.pulls()[0]?.localCreated).toMatch(/^\d{4}-/);
  });

  it('pulls a missing image and records its digest', async () => {
    const test = harness.newRun();
    harness.track(remote);
    const resolved = await resolveImage(request(remote, pullPlan(['if-not-present'])), test.run);
    const [event] = test.pulls();
    expect(event).toMatchObject({ decision: 'pulled', localPresent: false, remoteDigest, digest: remoteDigest, imageId: resolved.imageId });
    expect(resolved.digest).toBe(remoteDigest);
    expect(test.logs()).toContain(`Pulling docker image ${remote} ...`);
    expect(test.logs().some((line) => line.startsWith(`Using docker image ${resolved.imageId} for ${remote} with digest `))).toBe(true);
    await harness.removeLocal(remote);
  });

  it('shows per-layer progress and counts the bytes of a layer it downloads', async () => {
    const unique = harness.name(OPEN_REGISTRY, 'progress');
    await harness.pushUnique(unique);
    harness.track(unique);
    const test = harness.newRun();
    const resolved = await resolveImage(request(unique, pullPlan(['if-not-present'])), test.run);
    const progress = test.events.filter((candidate) => candidate.type === 'pull-progress');
    expect(progress.length).toBeGreaterThan(0);
    const last = progress.at(-1);
    expect(last?.layers.some((layer) => layer.total > 0 && layer.current === layer.total)).toBe(true);
    const [event] = test.pulls();
    expect(event?.bytes).toBeGreaterThan(0);
    expect(event?.bytes).toBe(last?.current);
    await harness.docker.getImage(resolved.imageId).remove({ force: true });
  });
});

describe('always', () => {
  it('pulls even when the image is present', async () => {
    await harness.tagLocal(remote);
    const test = harness.newRun();
    await resolveImage(request(remote, pullPlan(['always'])), test.run);
    expect(test.pulls()).toMatchObject([{ decision: 'pulled', localPresent: true, remoteDigest }]);
    // Pull again: now the local copy carries the registry digest, and the reason says it was current.
    const again = harness.newRun();
    await resolveImage(request(remote, pullPlan(['always'])), again.run);
    expect(again.pulls()[0]).toMatchObject({ localDigest: remoteDigest, remoteDigest });
    expect(again.pulls()[0]?.reason).toContain('already current');
    await harness.removeLocal(remote);
  });

  it('never pulls an image referenced by digest that is present', async () => {
    const byDigest = `${remote.replace(/:1$/, '')}@${remoteDigest}`;
    harness.track(byDigest);
    const first = harness.newRun();
    await resolveImage(request(byDigest, pullPlan(['always'])), first.run);
    expect(first.pulls()).toMatchObject([{ decision: 'pulled', digest: remoteDigest }]);
    const second = harness.newRun();
    await resolveImage(request(byDigest, pullPlan(['always'])), second.run);
    expect(second.pulls()).toMatchObject([{ decision: 'used-local', localDigest: remoteDigest }]);
    expect(second.pulls()[0]?.reason).toContain('digest');
    await harness.removeLocal(byDigest);
  });

  it('uses a pinned digest from a previous run', async () => {
    const test = harness.newRun({ options: { pinnedDigests: { [`${remote.replace(/:1$/, '')}:1`]: remoteDigest } } });
    harness.track(`${remote.replace(/:1$/, '')}@${remoteDigest}`);
    const resolved = await resolveImage(request(remote, pullPlan(['always'])), test.run);
    expect(resolved.digest).toBe(remoteDigest);
    expect(test.logs()).toContain(`Using digest ${remoteDigest} for ${remote}, pinned by a previous run`);
  });
});

describe('image IDs and cancel', () => {
  it('never pulls an image referenced by ID, even with always', async () => {
    const id = (await harness.docker.getImage(TEST_IMAGES.shell).inspect()).Id;
    const test = harness.newRun();
    const resolved = await resolveImage(request(id, pullPlan(['always'])), test.run);
    expect(resolved.imageId).toBe(id);
    expect(resolved.digest).toBeUndefined();
    expect(test.pulls()).toMatchObject([{ decision: 'used-local', policy: 'always' }]);
    expect(test.logs().some((line) => line.startsWith('Pulling docker image'))).toBe(false);
  });

  it('fails a missing image ID without trying a registry', async () => {
    const test = harness.newRun();
    const error = await resolveImage(request(`sha256:${'0'.repeat(64)}`, pullPlan(['always'])), test.run).catch((caught: unknown) => caught);
    expect((error as PullError).kind).toBe('not-found');
    expect((error as PullError).message).toContain('an image ID cannot be pulled');
  });

  it('stops at once when the run is canceled, trying no further policy', async () => {
    const unreachable = `127.0.0.1:5999/images-test/cancel-${harness.id}:1`;
    const slow = createImageResolver({ retry: { retries: 3, minDelayMs: 60_000, maxDelayMs: 60_000 }, progressIntervalMs: 0 });
    const test = harness.newRun();
    const pending = slow(request(unreachable, pullPlan(['always', 'if-not-present'])), test.run).catch((caught: unknown) => caught);
    // Cancel while the resolver waits before its first retry.
    while (!test.logs().some((line) => line.startsWith('Retrying pull of '))) await new Promise((resolve) => setTimeout(resolve, 20));
    test.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(PullError);
    expect((error as PullError).reason).toEqual({ kind: 'canceled' });
    expect(test.pulls()).toHaveLength(1);
    expect(test.pulls()[0]?.decision).toBe('failed');
  });
});

describe('policy lists', () => {
  it('falls back to the local copy when the registry is unreachable', async () => {
    const unreachable = `127.0.0.1:5999/images-test/fallback-${harness.id}:1`;
    await harness.tagLocal(unreachable);
    const test = harness.newRun();
    const resolved = await resolveImage(request(unreachable, pullPlan(['always', 'if-not-present'])), test.run);
    expect(resolved.imageId).toMatch(/^sha256:/);
    expect(test.pulls()).toMatchObject([
      { attempt: 1, policy: 'always', decision: 'failed', localPresent: true },
      { attempt: 2, policy: 'if-not-present', decision: 'used-local' },
    ]);
    const logs = test.logs();
    expect(logs).toContain('Using effective pull policy of [always if-not-present] for container ' + unreachable);
    expect(logs.some((line) => line.startsWith('WARNING: Failed to pull image with policy "always": '))).toBe(true);
    expect(logs).toContain('Attempt #2: Trying "if-not-present" pull policy');
    expect(logs.some((line) => line.startsWith('Retrying pull of '))).toBe(true);
  });

  it('reports every policy when all fail', async () => {
    const missing = `${OPEN_REGISTRY}/images-test/absent-${harness.id}:1`;
    const test = harness.newRun();
    const error = await resolveImage(request(missing, pullPlan(['always', 'always'])), test.run).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PullError);
    expect((error as PullError).message).toMatch(new RegExp(`^failed to pull image "${missing.replace(/[.]/g, '\\.')}" with specified policies \\[always always\\]: `));
    expect((error as PullError).kind).toBe('not-found');
    // Not found is not transient: no retries within an attempt.
    expect(test.logs().some((line) => line.startsWith('Retrying pull of '))).toBe(false);
    expect(test.pulls().map((event) => event.attempt)).toEqual([1, 2]);
  });
});

describe('refusals before any pull', () => {
  it('refuses a policy outside allowed_pull_policies with GitLab message', async () => {
    const test = harness.newRun();
    const plan = pullPlan(['always'], { allowed: ['if-not-present'] });
    await expect(resolveImage(request(TEST_IMAGES.shell, plan), test.run)).rejects.toThrow(
      new InputError('pull_policy ([always]) defined in GitLab pipeline config is not one of the allowed_pull_policies ([if-not-present])'),
    );
    expect(test.pulls()).toMatchObject([{ decision: 'refused' }]);
  });

  it('refuses an image outside allowed_images, naming the rule', async () => {
    const test = harness.newRun({ runner: { allowedImages: ['docker.io/library/*', 'ruby:*'] } });
    const error = await resolveImage(request(TEST_IMAGES.shell, pullPlan(['never'])), test.run).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('The "jobsim-test/shell:1" image is not present on list of allowed images');
    expect((error as Error).message).toContain('- ruby:*');
    expect(test.pulls()).toMatchObject([{ decision: 'refused', localPresent: false }]);
  });

  it('refuses a loopback registry in the public pool', async () => {
    const test = harness.newRun({ options: { pool: PUBLIC_POOL } });
    const error = await resolveImage(request(remote, pullPlan(['always'])), test.run).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(`comes from ${OPEN_REGISTRY}, which the "public" worker pool does not allow`);
    expect(test.events.some((event) => event.type === 'pull-progress')).toBe(false);
  });
});
