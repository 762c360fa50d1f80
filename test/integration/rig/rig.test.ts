// The rig's promises, checked against the real daemon: engine up, test images present and behaving,
// local registries answering (the auth one only with the test credentials), seeded with the shell image.

import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../../../main/docker/client.js';
import {
  AUTH_REGISTRY,
  AUTH_REGISTRY_CREDENTIALS,
  DEMO_IMAGE,
  HTTP_OK_BODY,
  HTTP_PORT,
  OPEN_REGISTRY,
  REGISTRY_SHELL_REPO,
  RIG_RECIPE_LABEL,
  TEST_IMAGES,
} from '../../rig/constants.js';
import { basicAuth, probeRegistry } from '../../rig/registries.js';
import { registryImageId } from '../../rig/registry-seed.js';

const TEST_LABEL = 'dev.jobsim.test';
const TEST_LABEL_VALUE = `rig-${process.pid}`;
let docker: Docker;

beforeAll(async () => {
  ({ docker } = await connectDocker());
});

afterAll(async () => {
  const mine = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${TEST_LABEL_VALUE}`] } });
  await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true })));
});

/** Runs a container to completion and returns its exit code and combined output (no TTY). */
async function runToEnd(image: string, cmd: string[], env: string[] = []): Promise<{ exitCode: number; output: string }> {
  const container = await docker.createContainer({ Image: image, Cmd: cmd, Env: env, Tty: true, Labels: { [TEST_LABEL]: TEST_LABEL_VALUE } });
  const exit = container.wait({ condition: 'next-exit' });
  await container.start();
  const { StatusCode } = (await exit) as { StatusCode: number };
  const logs = await container.logs({ stdout: true, stderr: true });
  await container.remove({ force: true });
  return { exitCode: StatusCode, output: logs.toString().replace(/\r/g, '').trim() };
}

describe('the engine and the test images', () => {
  it('has every test image, each labelled with the hash of its recipe', async () => {
    for (const image of Object.values(TEST_IMAGES)) {
      const info = await docker.getImage(image).inspect();
      expect(info.Config.Labels?.[RIG_RECIPE_LABEL], image).toMatch(/^[0-9a-f]{16}$/);
    }
    expect((await docker.getImage(DEMO_IMAGE).inspect()).Id).toMatch(/^sha256:/);
  });

  it('runs a shell in the shell image, with /tmp and users in place', async () => {
    const result = await runToEnd(TEST_IMAGES.shell, ['sh', '-c', 'echo "hello from $(whoami)"; test -d /tmp && test -w /tmp && echo tmp-ok']);
    expect(result).toEqual({ exitCode: 0, output: 'hello from root\ntmp-ok' });
  });

  it('passes the exit code of the job script through', async () => {
    expect((await runToEnd(TEST_IMAGES.shell, ['sh', '-c', 'exit 7'])).exitCode).toBe(7);
  });

  it('runs the entrypoint wrapper before the command', async () => {
    const result = await runToEnd(TEST_IMAGES.entrypoint, ['sh', '-c', 'echo "ENTRYPOINT_RAN=$ENTRYPOINT_RAN"']);
    expect(result).toEqual({ exitCode: 0, output: 'ENTRYPOINT_RAN=yes' });
  });

  it('serves the http image\'s page to another container', async () => {
    const info = await docker.getImage(TEST_IMAGES.http).inspect();
    expect(Object.keys(info.Config.ExposedPorts ?? {})).toEqual([`${HTTP_PORT}/tcp`]);
    const server = await docker.createContainer({ Image: TEST_IMAGES.http, Labels: { [TEST_LABEL]: TEST_LABEL_VALUE } });
    await server.start();
    try {
      const { NetworkSettings } = await server.inspect();
      const ip = Object.values(NetworkSettings.Networks)[0]?.IPAddress ?? '';
      expect(ip).not.toBe('');
      // httpd may need a moment to bind; the client retries for up to ~5 s.
      const fetchPage = `for i in $(seq 1 50); do wget -qO- http://${ip}:${HTTP_PORT}/ && exit 0; sleep 0.1; done; exit 1`;
      expect(await runToEnd(TEST_IMAGES.shell, ['sh', '-c', fetchPage])).toEqual({ exitCode: 0, output: HTTP_OK_BODY });
    } finally {
      await server.remove({ force: true });
    }
  });
});

describe('the local registries', () => {
  const { username, password } = AUTH_REGISTRY_CREDENTIALS;

  it('answers on the open registry without credentials', async () => {
    expect(await probeRegistry(OPEN_REGISTRY)).toBe(200);
  });

  it('refuses the auth registry without credentials or with a wrong password, and accepts the test credentials', async () => {
    expect(await probeRegistry(AUTH_REGISTRY)).toBe(401);
    expect(await probeRegistry(AUTH_REGISTRY, basicAuth(username, 'wrong'))).toBe(401);
    expect(await probeRegistry(AUTH_REGISTRY, basicAuth(username, password))).toBe(200);
  });

  it('holds the shell image in both registries', async () => {
    const shellId = (await docker.getImage(TEST_IMAGES.shell).inspect()).Id;
    expect(await registryImageId(OPEN_REGISTRY, REGISTRY_SHELL_REPO)).toBe(shellId);
    expect(await registryImageId(AUTH_REGISTRY, REGISTRY_SHELL_REPO)).toBeUndefined();
    expect(await registryImageId(AUTH_REGISTRY, REGISTRY_SHELL_REPO, basicAuth(username, password))).toBe(shellId);
  });

  it('lets the daemon push to and pull from the auth registry only with credentials', async () => {
    // A repository of this test's own, so no tag another test looks at is created or removed.
    const repo = `jobsim/rig-test-${process.pid}`;
    const reference = `${AUTH_REGISTRY}/${repo}:1`;
    const auth = { username, password, serveraddress: AUTH_REGISTRY };
    await docker.getImage(TEST_IMAGES.shell).tag({ repo: `${AUTH_REGISTRY}/${repo}`, tag: '1' });
    try {
      // The push endpoint insists on an X-Registry-Auth header; an empty one means "no credentials".
      await expect(follow(docker.getImage(reference).push({ authconfig: {} }))).rejects.toThrow(/no basic auth credentials|unauthorized|authentication required/i);
      await follow(docker.getImage(reference).push({ authconfig: auth }));
      await docker.getImage(reference).remove({ noprune: true });

      await expect(follow(docker.pull(reference, {}))).rejects.toThrow(/no basic auth credentials|unauthorized|authentication required/i);
      await follow(docker.pull(reference, { authconfig: auth }));
      expect((await docker.getImage(reference).inspect()).Id).toBe((await docker.getImage(TEST_IMAGES.shell).inspect()).Id);
    } finally {
      await docker.getImage(reference).remove({ noprune: true }).catch(() => undefined);
      const digest = (await fetch(`http://${AUTH_REGISTRY}/v2/${repo}/manifests/1`, {
        method: 'HEAD',
        headers: { authorization: basicAuth(username, password), accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      })).headers.get('docker-content-digest');
      if (digest) {
        await fetch(`http://${AUTH_REGISTRY}/v2/${repo}/manifests/${digest}`, { method: 'DELETE', headers: { authorization: basicAuth(username, password) } });
      }
    }
  });
});

/** Waits for a pull or push to end; rejects on an error event (followProgress alone would not). */
async function follow(started: Promise<NodeJS.ReadableStream>): Promise<void> {
  const stream = await started;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: { error?: string }[]) => {
        const failed = events.find((event) => event.error);
        if (error) reject(error);
        else if (failed) reject(new Error(failed.error));
        else resolve();
      },
    );
  });
}
