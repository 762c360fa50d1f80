// `--keep-on-failure` end to end on the real daemon, through the built CLI: the failed job's world is kept,
// `jobsim shell` sees its files, variables (secrets masked) and services, an interactive TTY session
// works, and `jobsim kept done` removes everything again.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../../../main/docker/client.js';
import { openShellSession } from '../../../main/engine/debug/shell.js';
import type { ShellOutput } from '../../../shared/debug.js';
import type { KeptEvent, RunEvent } from '../../../shared/events.js';
import { HTTP_OK_BODY } from '../../rig/constants.js';
import { buildCli, leftovers, ROOT, runIdOf, sandbox } from '../cli/cli-harness.js';

const exec = promisify(execFile);
const SECRET = 'kept-s3cret-value-1234';
const box = sandbox();
let runId = '';
let events: RunEvent[] = [];

async function dockerLines(args: string[]): Promise<string[]> {
  return (await exec('docker', args)).stdout.split('\n').filter(Boolean);
}

/** Every image committed for this run (leftovers() covers containers, networks and volumes). */
const images = (): Promise<string[]> => dockerLines(['images', '-q', '--filter', `label=dev.jobsim.run-id=${runId}`]);

beforeAll(async () => {
  await buildCli();
  const dir = box.project(undefined, { '.gitlab-ci.yml': readFileSync(join(ROOT, 'test/fixtures/debug/.gitlab-ci.yml'), 'utf8') });
  const result = await box.jobsim(['run', '-C', dir, '--keep-on-failure', '--secret', `MYSECRET=${SECRET}`, '--json']);
  expect(result.code, result.stderr).toBe(1);
  runId = runIdOf(result.stdout);
  events = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunEvent);
});

afterAll(async () => {
  // Safety net when a test failed before `kept done`.
  if (runId && (await leftovers(runId)).length > 0) await box.jobsim(['kept', 'done', `${runId}/failing`]);
  await box.removeCaches();
});

describe('jobsim run --keep-on-failure', () => {
  it('keeps the failed job: an idle container from its commit, its service and network, and says how to enter it', async () => {
    const kept = events.find((e): e is KeptEvent => e.type === 'kept');
    expect(kept).toMatchObject({ job: 'failing', failedCommand: '$ exit 3', exitCode: 3, services: [expect.objectContaining({ aliases: expect.arrayContaining(['web']) })] });
    expect(events).toContainEqual(expect.objectContaining({ type: 'resource', action: 'kept', kind: 'network' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'log', text: expect.stringContaining(`jobsim shell ${runId}/failing`) }));
    const running = await dockerLines(['ps', '--filter', `label=dev.jobsim.run-id=${runId}`, '--filter', 'label=dev.jobsim.kept=true', '--format', '{{.Names}}']);
    expect(running).toEqual([kept?.container]);
    expect(await images()).toHaveLength(1);
    // The exited build container is gone; the job is still in the kept list.
    expect((await leftovers(runId)).filter((l) => l.endsWith('-build'))).toEqual([]);
    const list = await box.jobsim(['kept']);
    expect(list.stdout).toContain(`${runId}/failing`);
    expect(list.stdout).toMatch(/\$ exit 3 \(exit 3\)\s+in \d+m/);
    expect(list.stdout).toContain('Secrets (MYSECRET): left out of the kept images; the kept containers hold them until `jobsim kept done`.');
  });

  it('commits an image that holds no secret value: the secret variable is committed empty', async () => {
    const [image] = await images();
    expect(image).toBeDefined();
    const env = JSON.parse((await exec('docker', ['image', 'inspect', image ?? '', '--format', '{{json .Config.Env}}'])).stdout) as string[];
    expect(JSON.stringify(env)).not.toContain(SECRET);
    expect(env).toContain('MYSECRET=');
    expect(env).toContain('MYVAR=hello-from-the-job');
    const history = (await exec('docker', ['image', 'history', '--no-trunc', image ?? ''])).stdout;
    expect(history).not.toContain(SECRET);
  });

  it('runs a command in the kept container with the job\'s files and variables, exiting with its code', async () => {
    const result = await box.jobsim(['shell', `${runId}/failing`, '--', 'sh', '-c', 'pwd; cat made-by-job.txt; echo "var=$MYVAR"; exit 7']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/\/builds\/local\/.+\nwritten by the job\nvar=hello-from-the-job\n/);
    expect(result.code).toBe(7);
  });

  it('masks the run\'s secrets in what the shell prints', async () => {
    const result = await box.jobsim(['shell', 'last/failing', '--', 'env']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('MYSECRET=[MASKED]');
    expect(result.stdout).toContain('MYVAR=hello-from-the-job');
    expect(result.stdout).not.toContain(SECRET);
  });

  it('reaches the service by its alias, and enters the service itself', async () => {
    const viaAlias = await box.jobsim(['shell', `${runId}/failing`, '--', 'wget', '-qO-', 'http://web:8080/']);
    expect(viaAlias.code, viaAlias.stderr).toBe(0);
    expect(viaAlias.stdout).toContain(HTTP_OK_BODY);
    const inService = await box.jobsim(['shell', `${runId}/failing/web`, '--', 'ls', '/www']);
    expect(inService.code, inService.stderr).toBe(0);
    expect(inService.stdout).toContain('index');
  });

  it('says what to do for a job that was not kept, or bad input (exit 2)', async () => {
    const missing = await box.jobsim(['shell', `${runId}/other`, '--', 'true']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('was not kept and is not running: rerun it with `jobsim run --keep-on-failure`');
    const noService = await box.jobsim(['shell', `${runId}/failing/nope`, '--', 'true']);
    expect(noService.code).toBe(2);
    expect(noService.stderr).toContain('has no running service "nope"');
    const bad = await box.jobsim(['shell', 'no-slash']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  it('opens an interactive TTY: banner, echo, resize, and the exit code of `exit 5`', async () => {
    const { docker } = await connectDocker();
    const outputs: ShellOutput[] = [];
    let text = '';
    const exited = new Promise<number>((resolve, reject) => {
      const session = openShellSession(docker, { runId, job: 'failing' }, { cols: 80, rows: 24 }, (output) => {
        outputs.push(output);
        if (output.kind === 'data') text += output.data;
        if (output.kind === 'opened') {
          session.write('echo hi-$((40 + 2))\n');
          session.resize({ cols: 100, rows: 30 });
          session.write('stty size\n');
          session.write('echo "$MYSECRET"\n');
          session.write('exit 5\n');
        }
        if (output.kind === 'exit') resolve(output.code);
        if (output.kind === 'error') reject(new Error(output.message));
      }, { env: box.env });
    });
    expect(await exited).toBe(5);
    const opened = outputs[0];
    expect(opened?.kind).toBe('opened');
    if (opened?.kind === 'opened') expect(opened.banner).toContain('job "failing" failed at "$ exit 3" with exit code 3');
    expect(text).toContain('hi-42');
    expect(text).toContain('30 100');
    expect(text).toContain('[MASKED]');
    expect(text).not.toContain(SECRET);
  });

  it('each shell use restarts the idle timeout', async () => {
    const file = readdirSync(join(box.home, 'kept')).find((name) => name.startsWith(runId));
    const before = JSON.parse(readFileSync(join(box.home, 'kept', file ?? ''), 'utf8')) as { lastUsedAt: number; expiresAt: number; keptAt: number };
    await box.jobsim(['shell', `${runId}/failing`, '--', 'true']);
    const after = JSON.parse(readFileSync(join(box.home, 'kept', file ?? ''), 'utf8')) as { lastUsedAt: number; expiresAt: number };
    expect(after.lastUsedAt).toBeGreaterThan(before.keptAt);
    expect(after.expiresAt).toBeGreaterThanOrEqual(before.expiresAt);
  });

  it('`jobsim kept done` removes the container, service, network, volumes, image and record', async () => {
    const result = await box.jobsim(['kept', 'done', `${runId}/failing`]);
    expect(result.code, result.stderr).toBe(0);
    expect(await leftovers(runId)).toEqual([]);
    expect(await images()).toEqual([]);
    expect(readdirSync(join(box.home, 'kept')).filter((name) => name.startsWith(runId))).toEqual([]);
    const again = await box.jobsim(['shell', `${runId}/failing`, '--', 'true']);
    expect(again.code).toBe(2);
    expect(existsSync(join(box.home, 'runs', runId))).toBe(true);
  });
});
