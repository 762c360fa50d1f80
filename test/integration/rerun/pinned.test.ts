// `jobsim rerun` runs the image digests the earlier run used (pinned), or the tag's current image with --latest.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullEvent, RunEvent } from '../../../shared/events.js';
import { OPEN_REGISTRY, TEST_IMAGES } from '../../rig/constants.js';
import { buildCli, runIdOf, sandbox } from '../cli/cli-harness.js';

const docker = (...args: string[]) => promisify(execFile)('docker', args);
const IMAGE = `${OPEN_REGISTRY}/rerun-test/moving:${process.pid}`;
const box = sandbox();
let project: string;

async function pushAs(source: string): Promise<void> {
  await docker('tag', source, IMAGE);
  await docker('push', IMAGE);
  await docker('rmi', IMAGE);
}

const pullOf = (ndjson: string): PullEvent | undefined =>
  ndjson
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RunEvent)
    .find((e): e is PullEvent => e.type === 'pull' && (e.decision === 'pulled' || e.decision === 'used-local'));

beforeAll(async () => {
  await buildCli();
  const yml = ['which:', '  image:', `    name: ${IMAGE}`, '    pull_policy: always', '  script:', '    - test -f /www/index.html && echo image=http || echo image=shell', '    - test "$FIX" = 1', ''].join('\n');
  project = box.project(undefined, { '.gitlab-ci.yml': yml });
});

afterAll(async () => {
  await docker('rmi', '--force', IMAGE).catch(() => undefined);
  await box.removeCaches();
});

describe('jobsim rerun images', () => {
  it('is pinned to the earlier digest by default and follows the moved tag with --latest', async () => {
    await pushAs(TEST_IMAGES.shell);
    const first = await box.jobsim(['run', '-C', project, '--json']);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain('image=shell');
    const runId = runIdOf(first.stdout);
    const digest = pullOf(first.stdout)?.digest;
    expect(digest).toMatch(/^sha256:/);

    await pushAs(TEST_IMAGES.http);
    const pinned = await box.jobsim(['rerun', runId, 'which', '--var', 'FIX=1', '--json']);
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(pinned.stdout).toContain('image=shell');
    expect(pullOf(pinned.stdout)?.digest).toBe(digest);

    const latest = await box.jobsim(['rerun', runId, 'which', '--var', 'FIX=1', '--latest', '--json']);
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stdout).toContain('image=http');
    expect(pullOf(latest.stdout)?.digest).not.toBe(digest);
  });
});
