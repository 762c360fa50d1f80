// The build stage on the real daemon: sources copied in, the script echoed and run GitLab-style,
// stopping at the first failing command, after_script always running, nothing left behind.

import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineRun } from './engine-fixture.js';

let current: EngineRun | undefined;
async function newRun(): Promise<EngineRun> {
  current = await EngineRun.create();
  return current;
}
afterEach(async () => {
  await current?.dispose();
  current = undefined;
});

describe('runJob: script', () => {
  it('runs before_script and script in the project dir, echoes commands, and succeeds', async () => {
    const run = await newRun();
    const outcome = await run.run({ beforeScript: ['echo before'], script: ['pwd', 'cat README.md'] });

    expect(outcome).toMatchObject({ state: 'success' });
    const build = run.logs('build');
    expect(build).toEqual(expect.arrayContaining(['$ echo before', 'before', '$ pwd', '/builds/group/app', '$ cat README.md', 'hello from the project']));
    expect(build.indexOf('$ echo before')).toBeLessThan(build.indexOf('$ pwd'));
    // Commands are echoed in green, like GitLab.
    expect(run.rawLogs()).toContain('\x1b[32;1m$ pwd\x1b[0;m');
  });

  it('emits the four stages in order, each finished with a status, and GitLab section markers', async () => {
    const run = await newRun();
    await run.run({ script: ['true'] });

    const stages = run.stages();
    expect(stages.filter((s) => s.state === 'started').map((s) => s.stage)).toEqual(['prepare', 'pre-build', 'build', 'post-build']);
    for (const finished of stages.filter((s) => s.state === 'finished')) {
      expect(finished.status).toBe('success');
      expect(finished.durationMs).toBeGreaterThanOrEqual(0);
    }
    const raw = run.rawLogs().join('\n');
    for (const section of ['prepare_executor', 'get_sources', 'step_script']) {
      expect(raw).toMatch(new RegExp(`\\x1b\\[0Ksection_start:\\d+:${section}\\r\\x1b\\[0K`));
      expect(raw).toMatch(new RegExp(`\\x1b\\[0Ksection_end:\\d+:${section}\\r\\x1b\\[0K`));
    }
  });

  it('stops at the first failing command, keeps its exit code, and still runs after_script', async () => {
    const run = await newRun();
    const outcome = await run.run({ script: ['echo one', 'exit 3', 'echo never'], afterScript: ['echo "after: $CI_JOB_STATUS"'] });

    expect(outcome).toMatchObject({ state: 'failed', exitCode: 3, reason: { kind: 'script', exitCode: 3 } });
    const build = run.logs('build');
    expect(build).toContain('one');
    expect(build).not.toContain('never');
    expect(build).not.toContain('$ echo never');
    expect(build).toContain('after: failed');
  });

  it('runs after_script in the build container: files the script left in /tmp are there, CI_JOB_STATUS moves on', async () => {
    const run = await newRun();
    const before = Math.floor(Date.now() / 1000) * 1000;
    const outcome = await run.run({
      script: ['echo left-by-script > /tmp/note', 'echo "during: $CI_JOB_STATUS"', 'echo "started: $CI_JOB_STARTED_AT"'],
      afterScript: ['cat /tmp/note', 'echo "after: $CI_JOB_STATUS"'],
    });

    expect(outcome).toMatchObject({ state: 'success' });
    const build = run.logs('build');
    expect(build).toEqual(expect.arrayContaining(['during: running', 'left-by-script', 'after: success']));
    const started = build.find((line) => line.startsWith('started: '))?.slice('started: '.length) ?? '';
    expect(started).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(started)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(started)).toBeLessThanOrEqual(Date.now());
  });

  it('fails on a failing command in the middle of a pipeline-free script line (set -e semantics per command)', async () => {
    const run = await newRun();
    const outcome = await run.run({ beforeScript: ['false'], script: ['echo script-ran'] });

    expect(outcome).toMatchObject({ state: 'failed', exitCode: 1 });
    expect(run.logs('build')).not.toContain('script-ran');
  });

  it('splits output into one log event per line, stdout and stderr apart', async () => {
    const run = await newRun();
    // Like GitLab, output without a final newline would run into the next echoed command: end with one.
    await run.run({ script: ["printf 'a\\r\\nb\\nc\\n'", 'echo oops >&2'] });

    const build = run.events.flatMap((e) => (e.type === 'log' && e.source === 'build' ? [e] : []));
    expect(build.filter((e) => e.stream === 'stdout').map((e) => e.text)).toEqual(expect.arrayContaining(['a', 'b', 'c']));
    expect(build.find((e) => e.text === 'oops')?.stream).toBe('stderr');
  });

  it('copies the project folder (symlinks as symlinks, .git left out when not a repository)', async () => {
    const run = await newRun();
    writeFileSync(join(run.projectDir, 'data.txt'), 'payload\n');
    symlinkSync('data.txt', join(run.projectDir, 'link.txt'));
    const outcome = await run.run({ script: ['readlink link.txt', 'cat link.txt'] });

    expect(outcome.state).toBe('success');
    const build = run.logs('build');
    expect(build).toContain('data.txt');
    expect(build).toContain('payload');
    expect(run.logs('runner').join('\n')).toMatch(/\d+ files/);
  });

  it('describes the build container for the isolation view: network, alias, mounts', async () => {
    const run = await newRun();
    await run.run({ script: ['true'] });

    const network = run.events.find((e) => e.type === 'resource' && e.kind === 'network' && e.action === 'created');
    const build = run.events.find((e) => e.type === 'resource' && e.role === 'build' && e.action === 'created');
    expect(build).toMatchObject({
      kind: 'container',
      detail: { network: network?.type === 'resource' ? network.name : 'missing', aliases: ['build'], privileged: false, dockerSocket: false, image: 'jobsim-test/shell:1' },
    });
    const mounts = build?.type === 'resource' ? (build.detail?.mounts ?? []) : [];
    expect(mounts).toEqual(expect.arrayContaining([expect.objectContaining({ target: '/builds', type: 'volume', readOnly: false })]));
    // Readable names: jobsim-<run>-<job>-<role>.
    expect(build?.type === 'resource' ? build.name : '').toMatch(new RegExp(`^jobsim-${run.runId}-unit-test-[0-9a-f]{6}-build$`));
  });

  it('leaves nothing behind after success and after failure', async () => {
    const run = await newRun();
    await run.run({ script: ['true'] });
    expect(await run.leftovers()).toEqual([]);
    await run.run({ script: ['false'], afterScript: ['true'] });
    expect(await run.leftovers()).toEqual([]);
    const created = run.events.filter((e) => e.type === 'resource' && e.action === 'created').length;
    const removed = run.events.filter((e) => e.type === 'resource' && e.action === 'removed').length;
    expect(created).toBeGreaterThanOrEqual(3);
    expect(removed).toBe(created);
  });
});
