// The image tools against the real daemon and the rig's registries: registry digests without pulling,
// save/load round trip, and runner-image lint on images with and without ps / the Spacelift user / an
// ENTRYPOINT.

import { createReadStream, createWriteStream, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectImage, loadImages, PROBE_LABEL, saveImages } from '../../../main/docker/images.js';
import { fetchManifestDigest, RegistryError } from '../../../main/docker/registry.js';
import { lintLocalImage } from '../../../main/engine/pull/lint.js';
import { LINT_PROFILES } from '../../../main/engine/pull/lint-rules.js';
import { parseReference } from '../../../main/engine/pull/reference.js';
import { AUTH_REGISTRY, AUTH_REGISTRY_CREDENTIALS, OPEN_REGISTRY, TEST_IMAGES } from '../../rig/constants.js';
import { dockerEnv } from '../../rig/docker-cli.js';
import { run as exec, runOk } from '../../rig/exec.js';
import { ImageHarness } from './harness.js';

let harness: ImageHarness;
const built: string[] = [];
const TEST_LABEL = 'dev.jobsim.test';

async function build(name: string, dockerfile: string): Promise<string> {
  const context = harness.tmpDir('jobsim-images-lint-');
  writeFileSync(join(context, 'Dockerfile'), `FROM ${TEST_IMAGES.shell}\nLABEL ${TEST_LABEL}=images\n${dockerfile}\n`);
  const tag = `images-test/${name}-${harness.id}:1`;
  await runOk('docker', ['build', '-q', '--force-rm', '-t', tag, context], { env: { ...(await dockerEnv()), DOCKER_BUILDKIT: '0' }, timeoutMs: 120_000 });
  built.push(tag);
  return tag;
}

beforeAll(async () => {
  harness = await ImageHarness.create();
});

afterAll(async () => {
  for (const tag of built) await exec('docker', ['rmi', tag]);
  await harness.cleanup();
});

describe('registry digest (image check)', () => {
  it('returns the digest the registry reported at push time, without pulling', async () => {
    const target = harness.name(OPEN_REGISTRY, 'check');
    const pushed = await harness.push(target);
    const ref = parseReference(target);
    const info = await fetchManifestDigest(ref.registry, ref.repository, ref.tag ?? 'latest');
    expect(info.digest).toBe(pushed);
    expect(await inspectImage(harness.docker, target)).toBeUndefined();
  });

  it('uses Basic credentials on the auth registry and refuses without them', async () => {
    const target = harness.name(AUTH_REGISTRY, 'check-auth');
    const pushed = await harness.push(target, true);
    const ref = parseReference(target);
    const auth = { ...AUTH_REGISTRY_CREDENTIALS, serveraddress: AUTH_REGISTRY };
    expect((await fetchManifestDigest(ref.registry, ref.repository, '1', { auth })).digest).toBe(pushed);
    const refused = await fetchManifestDigest(ref.registry, ref.repository, '1').catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(RegistryError);
    expect((refused as RegistryError).kind).toBe('auth');
    const wrong = await fetchManifestDigest(ref.registry, ref.repository, '1', { auth: { ...auth, password: 'not-the-password-xyz' } }).catch((caught: unknown) => caught);
    expect((wrong as RegistryError).kind).toBe('auth');
    expect((wrong as Error).message).not.toContain('not-the-password-xyz');
  });

  it('reports a missing tag as not found', async () => {
    const error = await fetchManifestDigest(OPEN_REGISTRY, `images-test/absent-${harness.id}`, '1').catch((caught: unknown) => caught);
    expect((error as RegistryError).kind).toBe('not-found');
  });
});

describe('save and load', () => {
  it('round-trips an image through a tarball', async () => {
    const name = `images-test/saved-${harness.id}:1`;
    await harness.tagLocal(name);
    const original = await inspectImage(harness.docker, name);
    const file = join(harness.tmpDir(), 'images.tar');
    await pipeline(await saveImages(harness.docker, [name]), createWriteStream(file));
    expect(statSync(file).size).toBeGreaterThan(1000);
    await harness.removeLocal(name);
    expect(await inspectImage(harness.docker, name)).toBeUndefined();
    const loaded = await loadImages(harness.docker, createReadStream(file));
    expect(loaded).toContain(name);
    expect((await inspectImage(harness.docker, name))?.id).toBe(original?.id);
  });

  it('fails clearly on a file that is not an image archive', async () => {
    const file = join(harness.tmpDir(), 'not-an-image.tar');
    writeFileSync(file, 'hello');
    await expect(loadImages(harness.docker, createReadStream(file))).rejects.toThrow();
  });
});

describe('runner-image lint', () => {
  it('passes an image made for Spacelift', async () => {
    const image = await build('spacelift-ok', "RUN echo 'spacelift:x:1983:1983::/mnt/workspace:/bin/sh' >> /etc/passwd && mkdir -p /mnt/workspace && chown 1983 /mnt/workspace");
    const report = await lintLocalImage(harness.docker, parseReference(image), LINT_PROFILES.spacelift, { [TEST_LABEL]: 'images' });
    const byCheck = Object.fromEntries(report.findings.map((finding) => [finding.check, finding.status]));
    expect(byCheck).toMatchObject({ shell: 'pass', ps: 'pass', user: 'pass', workdir: 'pass' });
    expect(report.status).not.toBe('fail');
  });

  it('fails an image without ps, without the UID user, with a work dir owned by root', async () => {
    const image = await build('spacelift-bad', 'RUN rm /bin/ps && mkdir -p /mnt/workspace');
    const report = await lintLocalImage(harness.docker, parseReference(image), LINT_PROFILES.spacelift);
    const byCheck = Object.fromEntries(report.findings.map((finding) => [finding.check, finding]));
    expect(byCheck.ps?.status).toBe('fail');
    expect(byCheck.user?.status).toBe('fail');
    expect(byCheck.workdir).toMatchObject({ status: 'fail', message: expect.stringContaining('owned by UID 0') });
    expect(report.status).toBe('fail');
  });

  it('says what happens to an ENTRYPOINT per profile', async () => {
    const ref = parseReference(TEST_IMAGES.entrypoint);
    const spacelift = await lintLocalImage(harness.docker, ref, LINT_PROFILES.spacelift);
    expect(spacelift.findings.find((finding) => finding.check === 'entrypoint')).toMatchObject({ status: 'warn', message: expect.stringContaining('will be ignored') });
    const gitlab = await lintLocalImage(harness.docker, ref, LINT_PROFILES.gitlab);
    expect(gitlab.findings.find((finding) => finding.check === 'entrypoint')).toMatchObject({ status: 'info', message: expect.stringContaining('is kept') });
  });

  it('leaves no probe container behind', async () => {
    await lintLocalImage(harness.docker, parseReference(TEST_IMAGES.shell), LINT_PROFILES.gitlab, { [TEST_LABEL]: `probe-${harness.id}` });
    const left = await harness.docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=probe-${harness.id}`, PROBE_LABEL] } });
    expect(left).toEqual([]);
  });
});
