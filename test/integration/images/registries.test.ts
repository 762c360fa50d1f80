// Credentials and mirrors against the rig's registries: config.json `auths`, a credential helper on PATH,
// DOCKER_AUTH_CONFIG from a job variable, wrong and missing credentials (never leaked), and a mirror for
// Docker Hub names.

import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageResolver, PullError } from '../../../main/engine/pull/index.js';
import { AUTH_REGISTRY, AUTH_REGISTRY_CREDENTIALS, OPEN_REGISTRY } from '../../rig/constants.js';
import { ImageHarness, pullPlan, request, type TestRun } from './harness.js';

const resolveImage = createImageResolver({ retry: { retries: 1, minDelayMs: 10, maxDelayMs: 20 }, progressIntervalMs: 0 });
const { username, password } = AUTH_REGISTRY_CREDENTIALS;
const basic = (user: string, secret: string): string => Buffer.from(`${user}:${secret}`).toString('base64');

let harness: ImageHarness;
let privateImage: string;

beforeAll(async () => {
  harness = await ImageHarness.create();
  privateImage = harness.name(AUTH_REGISTRY, 'private');
  await harness.push(privateImage, true);
});

afterAll(async () => {
  await harness.cleanup();
});

function configDirWith(config: unknown): string {
  const dir = harness.tmpDir('jobsim-images-auth-');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

/** Everything a run produced plus the error, as one string, to prove a secret appears nowhere. */
function everything(test: TestRun, error: unknown): string {
  const parts = [JSON.stringify(test.events)];
  if (error instanceof Error) parts.push(error.message, String((error as { advice?: unknown }).advice ?? ''), error.stack ?? '');
  return parts.join('\n');
}

async function pullPrivate(test: TestRun): Promise<void> {
  harness.track(privateImage);
  await resolveImage(request(privateImage, pullPlan(['always'])), test.run);
  expect(test.pulls()).toMatchObject([{ decision: 'pulled' }]);
  await harness.removeLocal(privateImage);
}

describe('credentials', () => {
  it('uses config.json auths and says where they came from', async () => {
    const dir = configDirWith({ auths: { [`http://${AUTH_REGISTRY}`]: { auth: basic(username, password) } } });
    const test = harness.newRun({ options: { dockerConfigDir: dir } });
    await pullPrivate(test);
    expect(test.logs()).toContain(`Authenticating with credentials from ${join(dir, 'config.json')}`);
    expect(everything(test, undefined)).not.toContain(password);
  });

  it('runs a credential helper from PATH (credHelpers)', async () => {
    const bin = harness.tmpDir('jobsim-images-bin-');
    const helper = join(bin, 'docker-credential-jobsimtest');
    writeFileSync(helper, `#!/bin/sh\nread server\n[ "$server" = "${AUTH_REGISTRY}" ] || { echo "credentials not found in native keychain"; exit 1; }\necho '{"ServerURL":"${AUTH_REGISTRY}","Username":"${username}","Secret":"${password}"}'\n`);
    chmodSync(helper, 0o755);
    const dir = configDirWith({ credHelpers: { [AUTH_REGISTRY]: 'jobsimtest' } });
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath ?? ''}`;
    try {
      const test = harness.newRun({ options: { dockerConfigDir: dir } });
      await pullPrivate(test);
      expect(test.logs()).toContain(`Authenticating with credentials from ${join(dir, 'config.json')} (credential helper docker-credential-jobsimtest)`);
      expect(everything(test, undefined)).not.toContain(password);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('runs the credsStore helper when no auths entry matches', async () => {
    const bin = harness.tmpDir('jobsim-images-bin-');
    const helper = join(bin, 'docker-credential-jobsimstore');
    writeFileSync(helper, `#!/bin/sh\nread server\necho '{"ServerURL":"'$server'","Username":"${username}","Secret":"${password}"}'\n`);
    chmodSync(helper, 0o755);
    const dir = configDirWith({ auths: { 'elsewhere.example': { auth: basic('x', 'y') } }, credsStore: 'jobsimstore' });
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath ?? ''}`;
    try {
      const test = harness.newRun({ options: { dockerConfigDir: dir } });
      await pullPrivate(test);
      expect(test.logs()).toContain(`Authenticating with credentials from ${join(dir, 'config.json')} (credential helper docker-credential-jobsimstore)`);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('takes DOCKER_AUTH_CONFIG from the job variables first', async () => {
    const value = JSON.stringify({ auths: { [AUTH_REGISTRY]: { username, password } } });
    const test = harness.newRun({ variables: [{ key: 'DOCKER_AUTH_CONFIG', value, masked: true, source: 'secret' }] });
    await pullPrivate(test);
    expect(test.logs()).toContain('Authenticating with credentials from $DOCKER_AUTH_CONFIG');
  });

  it('fails on wrong credentials without leaking them, and does not retry', async () => {
    const wrong = 'wrong-password-must-not-leak';
    const dir = configDirWith({ auths: { [AUTH_REGISTRY]: { auth: basic(username, wrong) } } });
    const test = harness.newRun({ options: { dockerConfigDir: dir } });
    const error = await resolveImage(request(privateImage, pullPlan(['always'])), test.run).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PullError);
    expect((error as PullError).kind).toBe('auth');
    expect((error as PullError).advice).toContain('docker login');
    expect(test.logs().some((line) => line.startsWith('Retrying pull of '))).toBe(false);
    const all = everything(test, error);
    expect(all).not.toContain(wrong);
    expect(all).not.toContain(basic(username, wrong));
  });

  it('fails as a credentials problem when the configured helper is missing', async () => {
    const dir = configDirWith({ credHelpers: { [AUTH_REGISTRY]: 'jobsim-no-such-helper' } });
    const test = harness.newRun({ options: { dockerConfigDir: dir } });
    const error = await resolveImage(request(privateImage, pullPlan(['always'])), test.run).catch((caught: unknown) => caught);
    expect((error as PullError).kind).toBe('auth');
    expect((error as PullError).message).toContain('credential helper docker-credential-jobsim-no-such-helper was not found on PATH');
  });

  it('logs where credentials come from before it pulls, as GitLab does', async () => {
    const dir = configDirWith({ auths: { [AUTH_REGISTRY]: { auth: basic(username, password) } } });
    const test = harness.newRun({ options: { dockerConfigDir: dir } });
    await pullPrivate(test);
    const logs = test.logs();
    expect(logs.findIndex((line) => line.startsWith('Authenticating with'))).toBeLessThan(logs.findIndex((line) => line.startsWith('Pulling docker image')));
  });

  it('fails clearly with no credentials at all', async () => {
    const test = harness.newRun();
    const error = await resolveImage(request(privateImage, pullPlan(['always'])), test.run).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PullError);
    expect((error as PullError).kind).toBe('auth');
    expect((error as PullError).message).toMatch(/no basic auth credentials|unauthorized|authentication required/);
    expect(test.logs().some((line) => line.startsWith('Authenticating with'))).toBe(false);
  });

  it('refuses a private image in a pool that refuses private images', async () => {
    const dir = configDirWith({ auths: { [AUTH_REGISTRY]: { auth: basic(username, password) } } });
    const pool = { name: 'corp-shared', registries: ['127.0.0.1:*'], refusePrivateImages: true, shared: true };
    const test = harness.newRun({ options: { dockerConfigDir: dir, pool } });
    await expect(resolveImage(request(privateImage, pullPlan(['always'])), test.run)).rejects.toThrow(/is private .* "corp-shared" worker pool refuses private images/);
    expect(test.pulls()).toMatchObject([{ decision: 'refused', attempt: 1 }]);
  });
});

describe('registry mirror', () => {
  it('pulls a Docker Hub name through the mirror and gives it the name from the job file', async () => {
    const repository = `images-test/mirror-${harness.id}`;
    await harness.push(`${OPEN_REGISTRY}/${repository}:1`);
    const written = `${repository}:1`;
    harness.track(written);
    const test = harness.newRun({ options: { registryMirror: OPEN_REGISTRY } });
    const resolved = await resolveImage(request(written, pullPlan(['always'])), test.run);
    expect(test.pulls()).toMatchObject([{ decision: 'pulled', normalized: `docker.io/${repository}:1` }]);
    expect(test.logs()).toContain(`Using registry mirror ${OPEN_REGISTRY} for Docker Hub image ${written}`);
    const local = await harness.docker.getImage(written).inspect();
    expect(local.Id).toBe(resolved.imageId);
    // The mirror's own name is not left behind.
    await expect(harness.docker.getImage(`${OPEN_REGISTRY}/${repository}:1`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('is not used when the reference names its registry', async () => {
    const test = harness.newRun({ options: { registryMirror: OPEN_REGISTRY } });
    const unreachable = `127.0.0.1:5999/images-test/nomirror-${harness.id}:1`;
    await expect(resolveImage(request(unreachable, pullPlan(['always'])), test.run)).rejects.toThrow(/127\.0\.0\.1:5999/);
    expect(test.logs().some((line) => line.startsWith('Using registry mirror'))).toBe(false);
  });
});
