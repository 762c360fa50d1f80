// `jobsim run --pin RUN` reproduces a run with the exact image it used, even after the tag has moved.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_REGISTRY, TEST_IMAGES } from '../../rig/constants.js';
import { buildCli, runIdOf, sandbox, type Sandbox } from '../cli/cli-harness.js';

const docker = (...args: string[]) => promisify(execFile)('docker', args);
const IMAGE = `${OPEN_REGISTRY}/pin-test/moving:${process.pid}`;

async function pushAs(source: string): Promise<void> {
  await docker('tag', source, IMAGE);
  await docker('push', IMAGE);
  await docker('rmi', IMAGE);
}

let box: Sandbox;
let project: string;

beforeAll(async () => {
  await buildCli();
  box = sandbox();
  const yml = ['which:', '  image:', `    name: ${IMAGE}`, '    pull_policy: always', '  script:', '    - test -f /www/index.html && echo image=http || echo image=shell', ''].join('\n');
  project = box.project(undefined, { '.gitlab-ci.yml': yml });
});

afterAll(async () => {
  await docker('rmi', '--force', IMAGE).catch(() => undefined);
  await box?.removeCaches();
});

describe('--pin', () => {
  it('runs the digest a previous run used, not what the tag points to now', async () => {
    await pushAs(TEST_IMAGES.shell);
    const first = await box.jobsim(['run', '-C', project, '--json']);
    expect(first.stdout).toContain('image=shell');
    const runId = runIdOf(first.stdout);

    await pushAs(TEST_IMAGES.http);
    const moved = await box.jobsim(['run', '-C', project]);
    expect(moved.stdout).toContain('image=http');

    const pinned = await box.jobsim(['run', '-C', project, '--pin', runId]);
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toContain('image=shell');
  });

  it('says which run is unknown', async () => {
    const result = await box.jobsim(['run', '-C', project, '--pin', 'no-such-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--pin: no stored run "no-such-run"; `jobsim runs` lists them');
  });
});
