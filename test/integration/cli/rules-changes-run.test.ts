// `rules:changes` on the real engine, through the built CLI: a job guarded by the files it builds runs only
// once one of those tracked files changed on the branch (compared with the default branch), and the job of
// an untouched folder stays out, with `jobsim list` saying why.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCli, gitIn, sandbox, succeededJobs } from './cli-harness.js';

const box = sandbox();

beforeAll(async () => {
  await buildCli();
});

afterAll(() => box.removeCaches());

const PIPELINE = [
  'image: {name: busybox:1.36, pull_policy: if-not-present}',
  'always-runs:',
  '  script: echo always',
  'build-app:',
  '  script: cat src/app.c',
  '  rules:',
  '    - changes: ["src/**/*.c"]',
  'build-docs:',
  '  script: echo docs',
  '  rules:',
  '    - changes: {paths: [docs/*], compare_to: main}',
  '',
].join('\n');

it('a rules:changes job runs only after a tracked file it names changes', async () => {
  const dir = box.project(undefined, { '.gitlab-ci.yml': PIPELINE, 'src/app.c': 'int main(void) { return 0; }\n', 'docs/index.md': '# docs\n' });
  gitIn(dir, 'init', '-q', '-b', 'main');
  gitIn(dir, 'add', '.');
  gitIn(dir, 'commit', '-q', '-m', 'ci');
  gitIn(dir, 'checkout', '-q', '-b', 'feature');

  expect(await succeededJobs(box, dir)).toEqual(['always-runs']);
  const list = await box.jobsim(['list', '-C', dir, '--all']);
  expect(list.code, list.stderr).toBe(0);
  expect(list.stdout).toMatch(/build-app\s.*excluded/);

  writeFileSync(join(dir, 'src/app.c'), 'int main(void) { return 1; }\n');
  expect(await succeededJobs(box, dir)).toEqual(['always-runs', 'build-app']);

  gitIn(dir, 'commit', '-q', '-am', 'change the app');
  expect(await succeededJobs(box, dir)).toEqual(['always-runs', 'build-app']);
});
