// The runner's `volumes`: a `/path` entry is one persistent volume per project and path that outlives
// the job (and the reaper); a `host:container:ro` entry is a read-only bind mount.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LABELS } from '../../../main/docker/resource-labels.js';
import { runnerVolumeName } from '../../../main/engine/job-run/runner-volumes.js';
import { EngineRun, jobPlan } from './engine-fixture.js';

let current: EngineRun | undefined;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await current?.dispose();
  current = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
});

describe('runJob: runner volumes', () => {
  it('keeps a dynamic volume across jobs, labelled persistent, and reports it as kept', async () => {
    const run = (current = await EngineRun.create());
    const path = `/data-${randomBytes(3).toString('hex')}`;
    const name = runnerVolumeName('group/app', path);
    cleanups.push(() => run.docker.getVolume(name).remove());
    const docker = { ...jobPlan('x').docker, volumes: [{ kind: 'dynamic' as const, containerPath: path }] };

    expect((await run.run({ script: [`echo first > ${path}/note`], docker })).state).toBe('success');
    const second = await run.run({ script: [`cat ${path}/note`], docker });

    expect(second.state).toBe('success');
    expect(run.logs('build')).toContain('first');
    const info = await run.docker.getVolume(name).inspect();
    expect(info.Labels[LABELS.persist]).toBe('true');
    expect(run.events.some((e) => e.type === 'resource' && e.action === 'kept' && e.name === name)).toBe(true);
  });

  it('bind-mounts a host folder read-only when asked', async () => {
    const run = (current = await EngineRun.create());
    const hostDir = mkdtempSync(join(tmpdir(), 'jobsim-bind-'));
    cleanups.push(() => Promise.resolve(rmSync(hostDir, { recursive: true, force: true })));
    writeFileSync(join(hostDir, 'config.txt'), 'from the host\n');
    const docker = { ...jobPlan('x').docker, volumes: [{ kind: 'bind' as const, hostPath: hostDir, containerPath: '/host-config', readOnly: true }] };

    const outcome = await run.run({ script: ['cat /host-config/config.txt', 'touch /host-config/new 2>/dev/null && echo writable || echo read-only'], docker });

    expect(outcome.state).toBe('success');
    expect(run.logs('build')).toEqual(expect.arrayContaining(['from the host', 'read-only']));
  });
});
