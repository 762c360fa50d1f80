// The orphan reaper on the real daemon: objects of a jobsim process that is gone are removed, objects of
// a live process and persistent volumes stay, and a PID reused by a newer process does not count.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { gcCommand } from '../../../main/cli/gc.js';
import { connectDocker, type DockerHandle } from '../../../main/docker/client.js';
import { listManagedObjects, removeManagedObject } from '../../../main/docker/managed-objects.js';
import { LABELS } from '../../../main/docker/resource-labels.js';
import { reapOrphans } from '../../../main/engine/reaper.js';
import { processOwnsObject } from '../../../main/process-owner.js';

const runId = `reapertest-${randomBytes(4).toString('hex')}`;
// Other jobsim processes on this daemon reap orphans too (every run does at start). Labelling the test's
// objects with a made-up host keeps them out of their reach; this test's reaper is told it is that host.
const TEST_HOST = `${runId}-host`;
let docker: DockerHandle | undefined;

function labels(pid: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.runId]: runId,
    [LABELS.job]: 'reaper test',
    [LABELS.ownerPid]: String(pid),
    [LABELS.ownerHost]: TEST_HOST,
    [LABELS.kind]: 'build',
    [LABELS.createdAt]: new Date().toISOString(),
    ...extra,
  };
}

/** The PID of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync('true');
  if (!child.pid) throw new Error('could not start `true`');
  return child.pid;
}

async function names(): Promise<string[]> {
  if (!docker) return [];
  return (await listManagedObjects(docker, [`${LABELS.runId}=${runId}`])).map((o) => o.name).sort();
}

afterAll(async () => {
  if (!docker) return;
  for (const object of await listManagedObjects(docker, [`${LABELS.runId}=${runId}`])) await removeManagedObject(docker, object);
});

describe('reapOrphans', () => {
  it('removes the container, network and volume of a dead owner, and keeps persistent and live ones', async () => {
    docker = (await connectDocker()).docker;
    const dead = deadPid();
    const network = await docker.createNetwork({ Name: `${runId}-net`, Labels: labels(dead, { [LABELS.kind]: 'network' }) });
    await docker.createVolume({ Name: `${runId}-builds`, Labels: labels(dead, { [LABELS.kind]: 'builds-volume' }) });
    await docker.createContainer({
      name: `${runId}-build`,
      Image: 'jobsim-test/shell:1',
      Cmd: ['true'],
      Labels: labels(dead),
      HostConfig: { NetworkMode: network.id, Mounts: [{ Type: 'volume', Source: `${runId}-builds`, Target: '/builds' }] },
    });
    await docker.createVolume({ Name: `${runId}-cache`, Labels: labels(dead, { [LABELS.kind]: 'cache', [LABELS.persist]: 'true' }) });
    await docker.createVolume({ Name: `${runId}-live`, Labels: labels(process.pid, { [LABELS.kind]: 'builds-volume' }) });

    const dryRun = await reapOrphans(docker, { dryRun: true, host: TEST_HOST });
    expect(dryRun.removed.map((o) => o.name)).toEqual(expect.arrayContaining([`${runId}-build`, `${runId}-net`, `${runId}-builds`]));
    expect(await names()).toHaveLength(5);

    const report = await reapOrphans(docker, { host: TEST_HOST });
    const removed = report.removed.map((o) => o.name);
    expect(removed).toEqual(expect.arrayContaining([`${runId}-build`, `${runId}-net`, `${runId}-builds`]));
    // The container goes first: it holds the network and the volume.
    expect(removed.indexOf(`${runId}-build`)).toBeLessThan(removed.indexOf(`${runId}-builds`));
    expect(report.kept.find((k) => k.object.name === `${runId}-cache`)?.why).toBe('persistent');
    expect(report.kept.find((k) => k.object.name === `${runId}-live`)?.why).toBe('owner-running');
    expect(await names()).toEqual([`${runId}-cache`, `${runId}-live`]);
  });

  it('leaves objects made on another host alone (their PIDs mean nothing here)', async () => {
    docker ??= (await connectDocker()).docker;
    await docker.createVolume({ Name: `${runId}-elsewhere`, Labels: labels(deadPid(), { [LABELS.ownerHost]: 'some-other-host' }) });
    const report = await reapOrphans(docker, { host: TEST_HOST });
    expect(report.kept.find((k) => k.object.name === `${runId}-elsewhere`)?.why).toBe('other-host');
    expect(await names()).toContain(`${runId}-elsewhere`);
  });

  it('two reapers at once (two runs starting) both end with nothing failed', async () => {
    docker ??= (await connectDocker()).docker;
    const dead = deadPid();
    const network = await docker.createNetwork({ Name: `${runId}-race-net`, Labels: labels(dead, { [LABELS.kind]: 'network' }) });
    for (const n of [1, 2, 3]) {
      const container = await docker.createContainer({
        name: `${runId}-race-${n}`,
        Image: 'jobsim-test/shell:1',
        Cmd: ['sleep', '60'],
        Labels: labels(dead),
        HostConfig: { NetworkMode: network.id },
      });
      await container.start();
    }
    const reports = await Promise.all([reapOrphans(docker, { host: TEST_HOST }), reapOrphans(docker, { host: TEST_HOST })]);
    expect(reports.map((r) => r.failed.map((o) => o.name))).toEqual([[], []]);
    expect((await names()).filter((name) => name.includes('-race'))).toEqual([]);
  });

  it('`jobsim gc --dry-run --json` reports what it keeps and why, and removes nothing', async () => {
    docker ??= (await connectDocker()).docker;
    await docker.createVolume({ Name: `${runId}-gc`, Labels: labels(process.pid, { [LABELS.ownerHost]: hostname() }) });
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await gcCommand.run(['--dry-run', '--json'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const report = JSON.parse(written.join('')) as { dryRun: boolean; kept: { object: { name: string }; why: string }[] };
    expect(report.dryRun).toBe(true);
    expect(report.kept.find((k) => k.object.name === `${runId}-gc`)?.why).toBe('owner-running');
    expect(await names()).toContain(`${runId}-gc`);
  });
});

describe('processOwnsObject', () => {
  it('is true for this process and false for a PID that has exited', () => {
    expect(processOwnsObject(process.pid, Date.now())).toBe(true);
    expect(processOwnsObject(deadPid(), Date.now())).toBe(false);
  });

  it.runIf(process.platform === 'linux')('is false for a live process started after the object was created (PID reuse)', () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      const pid = sleeper.pid ?? 0;
      expect(processOwnsObject(pid, Date.parse('2000-01-01T00:00:00Z'))).toBe(false);
      expect(processOwnsObject(pid, Date.now() + 60_000)).toBe(true);
    } finally {
      sleeper.kill();
    }
  });
});
