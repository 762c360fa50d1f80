// `jobsim run --project-dir`: a job that comes from an `include:project` file is read from a local folder
// and runs on the real engine, as `list` and `plan` already read it.

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JobEvent, RunEvent } from '../../../shared/events.js';
import { buildCli, sandbox } from './cli-harness.js';

const box = sandbox();

beforeAll(async () => {
  await buildCli();
});

afterAll(() => box.removeCaches());

it('runs a job defined in an include:project file read with --project-dir', async () => {
  const shared = box.project(undefined, { 'templates/lint.yml': 'shared-lint:\n  image: {name: busybox:1.36, pull_policy: if-not-present}\n  script: echo linted by the shared template\n' });
  const dir = box.project(undefined, { '.gitlab-ci.yml': 'include:\n  - project: platform/ci-templates\n    file: templates/lint.yml\nown:\n  image: {name: busybox:1.36, pull_policy: if-not-present}\n  script: echo own\n' });

  const offline = await box.jobsim(['run', '-C', dir, 'shared-lint'], { JOBSIM_OFFLINE: '1' });
  expect(offline.code).toBe(2);
  expect(offline.stderr).toContain('platform/ci-templates');

  const result = await box.jobsim(['run', '-C', dir, '--project-dir', `platform/ci-templates=${shared}`, '--json', 'shared-lint'], { JOBSIM_OFFLINE: '1' });
  expect(result.code, result.stderr).toBe(0);
  const events = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunEvent);
  expect(events.filter((e): e is JobEvent => e.type === 'job' && e.state === 'success').map((e) => e.job)).toEqual(['shared-lint']);
  expect(result.stdout).toContain('linted by the shared template');
});
