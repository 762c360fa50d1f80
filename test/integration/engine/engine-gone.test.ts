// A Docker engine stopped with SIGTERM (`systemctl stop docker`) stops its containers before it exits, so
// the script ends with 143. jobsim must say the engine went away, not "exit code 143", and still name
// what it could not remove. Runs on a private second engine (support/second-engine.ts), never the shared one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, sandbox } from '../cli/cli-harness.js';
import { assertSharedEngineIntact, secondEngineUnavailable, startSecondEngine, type SecondEngine } from '../support/second-engine.js';
import { finalJob, isLog, logText, runOnEngine } from './engine-run-harness.js';

const unavailable = secondEngineUnavailable();
const box = sandbox();
let engine: SecondEngine | undefined;

beforeAll(async () => {
  if (unavailable) return;
  await buildCli();
  engine = await startSecondEngine();
}, 180_000);

afterAll(async () => {
  if (unavailable) return;
  await engine?.dispose();
  await assertSharedEngineIntact();
});

describe.skipIf(unavailable !== undefined)('a Docker engine that goes away', () => {
  it('is reported as gone, not as the exit code 143 of the stopped script', async () => {
    if (!engine) throw new Error('no second engine');
    const ciFile = [
      'gone:',
      '  image: { name: "busybox:1.36", pull_policy: if-not-present }',
      '  services:',
      '    - name: busybox:1.36',
      '      alias: idle',
      '      pull_policy: if-not-present',
      '      command: ["sleep", "3600"]',
      '  script:',
      '    - echo started',
      '    - sleep 300',
      '',
    ].join('\n');
    const run = runOnEngine(box, engine.host, ['-C', box.project(undefined, { '.gitlab-ci.yml': ciFile })]);
    await run.waitFor((e) => isLog(e, /^started$/) && e.source === 'build', 'the script started');
    const stoppedAt = Date.now();
    await engine.terminate();

    const { code, at } = await run.exited;
    expect(code).toBe(1);
    expect(at - stoppedAt).toBeLessThan(15_000);
    const job = finalJob(run.events, 'gone');
    expect(job?.event).toMatchObject({ state: 'failed', reason: { kind: 'daemon-lost', how: 'went-away' } });
    expect(job?.event.exitCode).toBeUndefined();
    const log = logText(run.events);
    expect(log).toContain('ERROR: Job failed (system failure): the Docker engine went away');
    expect(log).not.toContain('exit code 143');
    const created = run.events.flatMap((a) => (a.event.type === 'resource' && a.event.action === 'created' ? [a.event] : []));
    expect(created.map((r) => r.role)).toEqual(expect.arrayContaining(['build', 'builds', 'network', 'service:busybox:1.36']));
    for (const object of created) expect(log).toContain(`could not remove ${object.kind} ${object.name}`);
  });
});
