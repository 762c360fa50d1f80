// `parallel:` on the real engine, through the built CLI: each instance runs as its own job with its
// CI_NODE_INDEX, CI_NODE_TOTAL and matrix values, and a job that needs the parallel job waits for all of them.

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JobEvent, LogEvent, RunEvent } from '../../../shared/events.js';
import { buildCli, leftovers, runIdOf, sandbox } from './cli-harness.js';

const box = sandbox();

beforeAll(async () => {
  await buildCli();
});

afterAll(() => box.removeCaches());

const PIPELINE = [
  'image: {name: busybox:1.36, pull_policy: if-not-present}',
  'stages: [test, report]',
  'test:',
  '  script: echo "node $CI_NODE_INDEX of $CI_NODE_TOTAL runs $SUITE on $DB"',
  '  parallel:',
  '    matrix:',
  '      - SUITE: [unit, api]',
  '        DB: [sqlite, pg]',
  'report:',
  '  stage: report',
  '  needs: [test]',
  '  script: echo all four done',
  '',
].join('\n');

it('runs every matrix instance as a job of its own, each log showing its CI_NODE_INDEX', async () => {
  const dir = box.project(undefined, { '.gitlab-ci.yml': PIPELINE });
  const result = await box.jobsim(['run', '-C', dir, '--json']);
  expect(result.stderr).not.toMatch(/unexpected error|at .*\.js:\d+/);
  expect(result.code, result.stderr).toBe(0);
  const events = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunEvent);
  const finished = events.filter((e): e is JobEvent => e.type === 'job' && e.state === 'success').map((e) => e.job);
  expect(finished.slice(0, 4).sort()).toEqual(['test: [api, pg]', 'test: [api, sqlite]', 'test: [unit, pg]', 'test: [unit, sqlite]']);
  expect(finished[4]).toBe('report');
  const line = (job: string): string | undefined => events.find((e): e is LogEvent => e.type === 'log' && e.job === job && e.source === 'build' && e.text.startsWith('node '))?.text;
  expect(line('test: [unit, sqlite]')).toBe('node 1 of 4 runs unit on sqlite');
  expect(line('test: [unit, pg]')).toBe('node 2 of 4 runs unit on pg');
  expect(line('test: [api, sqlite]')).toBe('node 3 of 4 runs api on sqlite');
  expect(line('test: [api, pg]')).toBe('node 4 of 4 runs api on pg');
  expect(await leftovers(runIdOf(result.stdout))).toEqual([]);
});
