// A Ctrl-C that comes while `jobsim run` is still setting the run up: the process used to die between
// creating the run's record and storing its first event, leaving an `interrupted` run with no events.
// Now either no run exists (canceled before it started) or the stored run is canceled with its events;
// the exit is 130 (or the default SIGINT death before jobsim listens, when nothing exists yet).

import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGES } from '../../rig/constants.js';
import { buildCli, leftovers, sandbox } from './cli-harness.js';

const box = sandbox();
let project: string;

beforeAll(async () => {
  await buildCli();
  project = box.project(undefined, { '.gitlab-ci.yml': ['test:', `  image: { name: ${TEST_IMAGES.shell}, pull_policy: never }`, '  script: [sleep 5]', ''].join('\n') });
  mkdirSync(box.home, { recursive: true });
});

afterAll(() => box.removeCaches());

const runsDir = (): string => join(box.home, 'runs');
const storedRuns = (): string[] => (existsSync(runsDir()) ? readdirSync(runsDir()) : []);

/** Starts `jobsim run`, sends SIGINT when `when` says so, and resolves with how the process ended. */
function runInterrupted(when: { afterMs: number } | 'record-created'): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = box.spawnJobsim(['run', '-C', project]);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.resume();
  const before = storedRuns().length;
  let poll: NodeJS.Timeout | undefined;
  if (when === 'record-created') {
    // The earliest moment there is a run to leave behind: its folder exists.
    poll = setInterval(() => {
      if (storedRuns().length > before) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 1);
  } else {
    setTimeout(() => child.kill('SIGINT'), when.afterMs);
  }
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stderr });
    });
  });
}

function expectEveryStoredRunHasEvents(): void {
  for (const runId of storedRuns()) {
    const events = join(runsDir(), runId, 'events.ndjson');
    expect(existsSync(events), `run ${runId} has an events file`).toBe(true);
    const lines = readFileSync(events, 'utf8').split('\n').filter(Boolean);
    expect(lines.length, `run ${runId} has events`).toBeGreaterThan(0);
    expect(lines.at(-1)).toContain('"state":"finished"');
  }
}

describe('Ctrl-C while the run is being set up', () => {
  it('the moment the run record appears: exit 130, the run stored as canceled with its events', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await runInterrupted('record-created');
      expect(result.code).toBe(130);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expectEveryStoredRunHasEvents();
    const runs = JSON.parse((await box.jobsim(['runs', '--json'])).stdout) as { runId: string; status: string }[];
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.status).toBe('canceled');
      expect(await leftovers(run.runId)).toEqual([]);
    }
  });

  it('at small delays from the start: never a stored run without events', async () => {
    for (const afterMs of [0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600]) {
      const result = await runInterrupted({ afterMs });
      // Before jobsim listens for SIGINT, the default action ends it; nothing exists yet then.
      if (result.signal !== 'SIGINT') expect(result.code, `after ${afterMs} ms: ${result.stderr}`).toBe(130);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expectEveryStoredRunHasEvents();
    const runs = JSON.parse((await box.jobsim(['runs', '--json'])).stdout) as { runId: string; status: string }[];
    expect(runs.filter((run) => run.status === 'interrupted')).toEqual([]);
  });
});
