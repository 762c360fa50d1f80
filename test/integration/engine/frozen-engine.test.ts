// A frozen Docker engine (dockerd stopped with SIGSTOP: a hung daemon, a suspended VM) must not hang
// jobsim: the watchdog reports "the Docker engine stopped answering" within 10 s of the freeze, a job's
// timeout still fires on time, Ctrl-C still exits with 130, and cleanup names every object it leaves to
// `jobsim gc`. Runs on a private second engine (support/second-engine.ts), never the shared one.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, sandbox } from '../cli/cli-harness.js';
import { assertSharedEngineIntact, secondEngineUnavailable, startSecondEngine, type SecondEngine } from '../support/second-engine.js';
import { finalJob, isLog, logText, runOnEngine, type EngineRunProcess } from './engine-run-harness.js';

const unavailable = secondEngineUnavailable();
const box = sandbox();
let engine: SecondEngine;
let current: EngineRunProcess | undefined;

const ciFile = (timeout: string): Record<string, string> => ({
  '.gitlab-ci.yml': [
    'frozen:',
    '  image: { name: "busybox:1.36", pull_policy: if-not-present }',
    '  services:',
    '    - name: busybox:1.36',
    '      alias: idle',
    '      pull_policy: if-not-present',
    '      command: ["sleep", "3600"]',
    `  timeout: ${timeout}`,
    '  script:',
    '    - echo started',
    '    - sleep 300',
    '',
  ].join('\n'),
});

beforeAll(async () => {
  if (unavailable) return;
  await buildCli();
  engine = await startSecondEngine();
}, 180_000);

afterEach(async () => {
  if (unavailable) return;
  engine.thaw();
  if (current && current.child.exitCode === null) current.child.kill('SIGKILL');
  await current?.exited;
  current = undefined;
  // What the lost engine kept: `jobsim gc` removes it now that the engine answers and jobsim has exited.
  await box.jobsim(['gc'], { DOCKER_HOST: engine.host });
  expect(await engine.docker(['ps', '-aq', '--filter', 'label=dev.jobsim.managed=true'])).toBe('');
  await assertSharedEngineIntact();
});

afterAll(async () => {
  if (!unavailable) await engine?.dispose();
  if (!unavailable) await assertSharedEngineIntact();
});

const started = (run: EngineRunProcess) => run.waitFor((e) => isLog(e, /^started$/) && e.source === 'build', 'the script started');

describe.skipIf(unavailable !== undefined)('a frozen Docker engine', () => {
  it('is reported within 10 s, fails the job and names every object cleanup could not remove', async () => {
    const run = (current = runOnEngine(box, engine.host, ['-C', box.project(undefined, ciFile('1h'))]));
    await started(run);
    const frozenAt = Date.now();
    engine.freeze();

    const report = await run.waitFor((e) => isLog(e, 'the Docker engine stopped answering'), 'the stopped-answering report');
    expect(report.at - frozenAt).toBeLessThan(10_000);
    const { code, at } = await run.exited;
    expect(code).toBe(1);
    expect(at - frozenAt).toBeLessThan(20_000);

    const job = finalJob(run.events, 'frozen');
    expect(job?.event).toMatchObject({ state: 'failed', reason: { kind: 'daemon-lost', how: 'stopped-answering' } });
    const log = logText(run.events);
    expect(log).toContain('ERROR: Job failed (system failure): the Docker engine stopped answering');
    // Every object the job made and could not remove is named: build and service containers, network, volume.
    const created = run.events.flatMap((a) => (a.event.type === 'resource' && a.event.action === 'created' ? [a.event] : []));
    expect(created.map((r) => r.role).sort()).toEqual(expect.arrayContaining(['build', 'builds', 'network', 'service:busybox:1.36']));
    for (const object of created) expect(log).toContain(`could not remove ${object.kind} ${object.name}`);
  });

  it("fires the job's timeout on time while the engine is frozen", async () => {
    const timeoutMs = 15_000;
    const run = (current = runOnEngine(box, engine.host, ['-C', box.project(undefined, ciFile('15s'))]));
    const running = await run.waitFor((e) => e.type === 'job' && e.state === 'running', 'the job running');
    await started(run);
    // Freeze 4 s before the timeout: the watchdog (8 s) must not be what ends the job.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, running.at + timeoutMs - 4000 - Date.now())));
    engine.freeze();

    const { code, at } = await run.exited;
    expect(code).toBe(1);
    const job = finalJob(run.events, 'frozen');
    expect(job?.event).toMatchObject({ state: 'failed', reason: { kind: 'timeout' } });
    expect(at - running.at).toBeLessThan(timeoutMs + 6000);
    expect(logText(run.events)).toContain('execution took longer than 15s seconds');
  });

  it('exits with 130 within a few seconds of Ctrl-C', async () => {
    const run = (current = runOnEngine(box, engine.host, ['-C', box.project(undefined, ciFile('1h'))]));
    await started(run);
    engine.freeze();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const interruptedAt = Date.now();
    run.child.kill('SIGINT');

    const { code, at } = await run.exited;
    expect(code).toBe(130);
    expect(at - interruptedAt).toBeLessThan(6000);
    expect(finalJob(run.events, 'frozen')?.event).toMatchObject({ state: 'canceled' });
  });
});
