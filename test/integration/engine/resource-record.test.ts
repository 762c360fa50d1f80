// The record of a job's Docker objects is complete: every container, network and volume that Docker shows
// with the run's label appeared in a `resource` event, and every `created` has a matching `removed` or
// `kept`. The isolation view and `jobsim gc` rely on it. Docker's own event stream is the witness.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { DockerHandle } from '../../../main/docker/client.js';
import { LABELS } from '../../../main/docker/resource-labels.js';
import { releaseKeptJob } from '../../../main/engine/debug/kept-store.js';
import type { JobRecord } from '../../../main/engine/contracts.js';
import { runJob } from '../../../main/engine/run-one-job.js';
import type { ResourceEvent } from '../../../shared/events.js';
import type { CachePlan } from '../../../shared/plan.js';
import { HTTP_IMAGE, servicePlan } from '../support/fixtures-services.js';
import { EngineRun, jobPlan } from './engine-fixture.js';

interface SeenObject {
  kind: ResourceEvent['kind'];
  /** Container and network ID, volume name: what `resource` events carry as `id`. */
  id: string;
}

/** Watches Docker's event stream and keeps every object created with the given run-id label. */
async function watchCreations(docker: DockerHandle, runId: string): Promise<{ seen: SeenObject[]; stop(): Promise<void> }> {
  const seen: SeenObject[] = [];
  const pending: Promise<void>[] = [];
  const stream = (await docker.getEvents({ filters: { type: ['container', 'network', 'volume'], event: ['create'] } })) as NodeJS.ReadableStream & { destroy(): void };
  const hasRunLabel = (labels: Record<string, string> | null | undefined): boolean => labels?.[LABELS.runId] === runId;
  const check = async (event: { Type: string; Actor: { ID: string; Attributes?: Record<string, string> } }): Promise<void> => {
    const id = event.Actor.ID;
    if (event.Type === 'container') {
      if (event.Actor.Attributes?.[LABELS.runId] === runId) seen.push({ kind: 'container', id });
    } else if (event.Type === 'network') {
      const info = (await docker.getNetwork(id).inspect().catch(() => undefined)) as { Labels?: Record<string, string> } | undefined;
      if (hasRunLabel(info?.Labels)) seen.push({ kind: 'network', id });
    } else if (event.Type === 'volume') {
      const info = (await docker.getVolume(id).inspect().catch(() => undefined)) as { Labels?: Record<string, string> | null } | undefined;
      if (hasRunLabel(info?.Labels)) seen.push({ kind: 'volume', id });
    }
  };
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') pending.push(check(JSON.parse(line)));
  });
  return {
    seen,
    async stop() {
      // Docker delivers events a moment after the call returns.
      await new Promise((resolve) => setTimeout(resolve, 500));
      stream.destroy();
      await Promise.all(pending);
    },
  };
}

function resourceEvents(run: EngineRun): ResourceEvent[] {
  return run.events.filter((e): e is ResourceEvent => e.type === 'resource');
}

/** Every object Docker showed was reported; every created object was removed or kept. */
function expectCompleteRecord(run: EngineRun, seen: SeenObject[]): void {
  const events = resourceEvents(run);
  const reported = new Set(events.map((e) => `${e.kind} ${e.id}`));
  const unreported = seen.filter((object) => !reported.has(`${object.kind} ${object.id}`));
  expect(unreported, 'Docker objects of the run that no resource event named').toEqual([]);
  const ended = new Set(events.filter((e) => e.action !== 'created').map((e) => `${e.kind} ${e.id}`));
  const open = events.filter((e) => e.action === 'created' && !ended.has(`${e.kind} ${e.id}`)).map((e) => `${e.kind} ${e.name} (${e.role})`);
  expect(open, 'created objects with neither removed nor kept').toEqual([]);
  const created = new Set(events.filter((e) => e.action === 'created').map((e) => `${e.kind} ${e.id}`));
  const removedUnannounced = events.filter((e) => e.action === 'removed' && !created.has(`${e.kind} ${e.id}`)).map((e) => `${e.kind} ${e.name}`);
  expect(removedUnannounced, 'removed objects that were never reported created').toEqual([]);
}

const runs: EngineRun[] = [];
const storeVolumes: string[] = [];
// A kept job writes its record into the data dir: a temporary one, not the user's.
const home = mkdtempSync(join(tmpdir(), 'jobsim-record-home-'));
const previousHome = process.env.JOBSIM_HOME;

beforeAll(() => {
  process.env.JOBSIM_HOME = home;
});

afterAll(() => {
  if (previousHome === undefined) delete process.env.JOBSIM_HOME;
  else process.env.JOBSIM_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

afterEach(async () => {
  for (const run of runs.splice(0)) {
    for (const event of resourceEvents(run)) if (event.role.startsWith('cache:') && event.action === 'kept') storeVolumes.push(event.name);
    await run.dispose();
  }
  const { docker } = await EngineRun.create();
  for (const name of storeVolumes.splice(0)) await docker.getVolume(name).remove({ force: true }).catch(() => undefined);
});

function cachePlan(key: string): CachePlan {
  return { key: { kind: 'literal', value: key }, paths: ['vendor'], untracked: false, policy: 'pull-push', when: 'always', fallbackKeys: [] };
}

it('a job with a service, a cache and artifacts, then one that restores both: every object Docker made is in the record', async () => {
  const run = await EngineRun.create();
  runs.push(run);
  writeFileSync(join(run.projectDir, 'input.txt'), 'input\n');
  const key = `record-${randomBytes(4).toString('hex')}`;
  const artifacts = { paths: ['dist/'], exclude: [], untracked: false, when: 'on_success' as const };
  const producer = jobPlan('producer', {
    stage: 'build',
    stageIndex: 0,
    services: [servicePlan(HTTP_IMAGE)],
    caches: [cachePlan(key)],
    artifacts,
    script: ['mkdir -p vendor dist', 'echo cached > vendor/lib.txt', 'cp input.txt dist/out.txt'],
    afterScript: ['echo after'],
  });
  const consumer = jobPlan('consumer', { stage: 'test', stageIndex: 1, caches: [cachePlan(key)], script: ['cat vendor/lib.txt dist/out.txt'] });
  const context = run.context([producer, consumer]);
  const watch = await watchCreations(run.docker, run.runId);
  try {
    const produced = await runJob(producer, context, []);
    expect(produced.state, run.logs().join('\n')).toBe('success');
    const upstream: JobRecord[] = [{ job: producer, outcome: produced, ...(produced.artifactsDir ? { artifactsDir: produced.artifactsDir } : {}) }];
    const consumed = await runJob(consumer, context, upstream);
    expect(consumed.state, run.logs().join('\n')).toBe('success');
  } finally {
    await watch.stop();
  }
  const roles = new Set(resourceEvents(run).map((e) => e.role.replace(/:.*/, ':')));
  // The run exercised what the record must cover: build (after_script runs in it too), a service, network, builds volume, caches.
  expect([...roles]).toEqual(expect.arrayContaining(['build', 'service:', 'network', 'builds', 'cache:', 'helper:']));
  expect(watch.seen.length).toBeGreaterThanOrEqual(8);
  expectCompleteRecord(run, watch.seen);
  expect(await run.leftovers()).toEqual([]);
});

it('a failed job kept for debugging: what stays is reported kept, the rest removed', async () => {
  const run = await EngineRun.create();
  runs.push(run);
  const key = `record-kept-${randomBytes(4).toString('hex')}`;
  const job = jobPlan('kept job', { services: [servicePlan(HTTP_IMAGE)], caches: [cachePlan(key)], script: ['mkdir -p vendor', 'echo x > vendor/a', 'exit 3'] });
  const context = { ...run.context([job]), options: { keepOnFailure: true } };
  const watch = await watchCreations(run.docker, run.runId);
  try {
    const outcome = await runJob(job, context, []);
    expect(outcome.state).toBe('failed');
  } finally {
    await watch.stop();
  }
  const kept = resourceEvents(run).filter((e) => e.action === 'kept').map((e) => e.role.replace(/:.*/, ':'));
  expect(kept).toEqual(expect.arrayContaining(['kept', 'service:', 'network', 'builds']));
  expectCompleteRecord(run, watch.seen);
  await releaseKeptJob(run.docker, run.runId, job.name);
});
