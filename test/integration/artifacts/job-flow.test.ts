// Artifacts through whole jobs: runJob uploads them into the run's store, and a later job receives them
// through the JobRecords the scheduler hands it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runPipeline } from '../../../main/engine/pipeline.js';
import { runJob } from '../../../main/engine/run-one-job.js';
import type { JobRecord } from '../../../main/engine/contracts.js';
import type { ArtifactEvent, LogEvent } from '../../../shared/events.js';
import { ServiceFixture, jobPlan } from '../support/fixtures-services.js';

let fixture: ServiceFixture;

beforeAll(async () => {
  fixture = await ServiceFixture.create();
  writeFileSync(join(fixture.hostProjectDir, 'input.txt'), 'from the project\n');
});

afterAll(async () => {
  await fixture.cleanUp();
});

const artifacts = { paths: ['dist/'], exclude: ['dist/*.tmp'], untracked: false, when: 'on_success' as const };

it('hands a job’s artifacts to a later-stage job, and not to one with `dependencies: []`', async () => {
  const run = fixture.run();
  const compile = jobPlan('compile', {
    stage: 'build',
    stageIndex: 0,
    script: ['mkdir -p dist', 'cp input.txt dist/copy.txt', 'echo built > dist/result.txt', 'echo scratch > dist/work.tmp'],
    artifacts,
  });
  const produced = await runJob(compile, run, []);
  expect(produced.state, fixture.logs().join('\n')).toBe('success');
  expect(produced.artifactsDir).toBeDefined();
  const upstream: JobRecord[] = [{ job: compile, outcome: produced, ...(produced.artifactsDir ? { artifactsDir: produced.artifactsDir } : {}) }];

  const test = jobPlan('test', { stage: 'test', stageIndex: 1, script: ['cat dist/result.txt dist/copy.txt', 'test ! -e dist/work.tmp'] });
  const tested = await runJob(test, run, upstream);
  expect(tested.state, fixture.logs().join('\n')).toBe('success');
  const testLines = fixture.events.filter((e): e is LogEvent => e.type === 'log' && e.job === 'test' && e.source === 'build').map((e) => e.text);
  expect(testLines).toEqual(expect.arrayContaining(['built', 'from the project']));
  const downloaded = fixture.events.find((e): e is ArtifactEvent => e.type === 'artifact' && e.job === 'test');
  expect(downloaded).toMatchObject({ action: 'downloaded', from: 'compile', files: 2 });

  const isolated = jobPlan('isolated', { stage: 'test', stageIndex: 1, dependencies: [], script: ['test ! -e dist'] });
  const alone = await runJob(isolated, run, upstream);
  expect(alone.state, fixture.logs().join('\n')).toBe('success');
  expect(fixture.events.filter((e) => e.type === 'artifact' && e.job === 'isolated')).toEqual([]);
});

it('through the scheduler: a `needs` job gets only the artifacts of the jobs it needs with artifacts: true', async () => {
  const run = fixture.run();
  const produce = (name: string, file: string) =>
    jobPlan(name, { stage: 'build', stageIndex: 0, script: ['mkdir -p dist', `echo ${name} > dist/${file}`], artifacts });
  const compile = produce('compile-a', 'a.txt');
  const docs = produce('docs-b', 'b.txt');
  const notes = produce('notes-c', 'c.txt');
  const deploy = jobPlan('deploy', {
    stage: 'test',
    stageIndex: 1,
    needs: [
      { job: 'compile-a', artifacts: true, optional: false },
      { job: 'docs-b', artifacts: false, optional: false },
    ],
    script: ['cat dist/a.txt', 'test ! -e dist/b.txt', 'test ! -e dist/c.txt'],
  });
  const result = await runPipeline(run, { jobs: [compile, docs, notes, deploy], concurrency: 2, runJob });
  expect(result.status, fixture.logs().join('\n')).toBe('success');
  const downloads = fixture.events.filter((e): e is ArtifactEvent => e.type === 'artifact' && e.job === 'deploy');
  expect(downloads.map((e) => [e.action, e.from])).toEqual([['downloaded', 'compile-a']]);
});
