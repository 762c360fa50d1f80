// The in-network probe used when the host cannot route to the job's bridge network (Docker Desktop,
// rootless, remote engines): exercised directly, since on this Linux host the engine prefers host dials.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tar from 'tar-stream';
import { probeFromJobImage } from '../../../main/docker/probe.js';
import { HTTP_IMAGE, ServiceFixture, TEST_LABEL, resolveLocal } from '../support/fixtures-services.js';

let fixture: ServiceFixture;
let httpIp = '';
let shellImageId = '';
const NO_SHELL_IMAGE = `jobsim-test/no-shell:${Math.random().toString(16).slice(2, 8)}`;

async function buildNoShellImage(): Promise<void> {
  const context = tar.pack();
  context.entry({ name: 'Dockerfile' }, `FROM scratch\nLABEL ${TEST_LABEL}=${fixture.label}\nCOPY marker /marker\nCMD ["/marker"]\n`);
  context.entry({ name: 'marker' }, 'no shell here\n');
  context.finalize();
  const stream = await fixture.docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: NO_SHELL_IMAGE, labels: { [TEST_LABEL]: fixture.label } });
  await new Promise<void>((resolve, reject) => fixture.docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve())));
}

beforeAll(async () => {
  fixture = await ServiceFixture.create();
  await fixture.setUp();
  const web = await fixture.docker.createContainer({
    Image: HTTP_IMAGE,
    Labels: fixture.labels,
    HostConfig: { NetworkMode: fixture.network },
  });
  await web.start();
  httpIp = (await web.inspect()).NetworkSettings.Networks[fixture.network]?.IPAddress ?? '';
  shellImageId = (await fixture.workspace()).image.imageId;
  await buildNoShellImage();
});

afterAll(async () => {
  await fixture.cleanUp();
  await fixture.docker.getImage(NO_SHELL_IMAGE).remove({ force: true }).catch(() => undefined);
});

const never = new Promise<void>(() => undefined);
const after = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('probe container from the job image', () => {
  it('connects to the first listening port, trying them in order', async () => {
    const result = await probeFromJobImage(fixture.docker, {
      imageId: shellImageId,
      network: fixture.network,
      host: httpIp,
      ports: [7000, 8080],
      labels: fixture.labels,
      name: `probe-ok-${fixture.label}`,
      stop: never,
    });
    expect(result).toEqual({ kind: 'connected', port: 8080 });
  });

  it('reports the last dial error when stopped, and removes its container', async () => {
    const result = await probeFromJobImage(fixture.docker, {
      imageId: shellImageId,
      network: fixture.network,
      host: httpIp,
      ports: [7001],
      labels: { ...fixture.labels, 'dev.jobsim.kind': 'probe' },
      name: `probe-stop-${fixture.label}`,
      stop: after(2500),
    });
    expect(result.kind).toBe('stopped');
    expect(result.kind === 'stopped' ? result.error : '').toContain(`${httpIp}:7001`);
    const left = await fixture.docker.listContainers({ all: true, filters: JSON.stringify({ name: [`probe-stop-${fixture.label}`] }) });
    expect(left).toEqual([]);
  });

  it('is unavailable (so the caller falls back) in an image without a shell', async () => {
    const image = await resolveLocal(fixture.docker, NO_SHELL_IMAGE);
    const result = await probeFromJobImage(fixture.docker, {
      imageId: image.imageId,
      network: fixture.network,
      host: httpIp,
      ports: [8080],
      labels: fixture.labels,
      name: `probe-noshell-${fixture.label}`,
      stop: never,
    });
    expect(result.kind).toBe('unavailable');
  });
});
