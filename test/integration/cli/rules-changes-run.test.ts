// `rules:changes` on the real engine, through the built CLI: a job guarded by the files it builds runs only
// once one of those tracked files changed on the branch (compared with the default branch), and the job of
// an untouched folder stays out, with `jobsim list` saying why.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JobEvent, RunEvent } from '../../../shared/events.js';
import { buildCli, sandbox } from './cli-harness.js';

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

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'ignore' });
}

async function ranJobs(dir: string): Promise<string[]> {
  const result = await box.jobsim(['run', '-C', dir, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const events = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunEvent);
  return events.filter((e): e is JobEvent => e.type === 'job' && e.state === 'success').map((e) => e.job).sort();
}

it('a rules:changes job runs only after a tracked file it names changes', async () => {
  const dir = box.project(undefined, { '.gitlab-ci.yml': PIPELINE, 'src/app.c': 'int main(void) { return 0; }\n', 'docs/index.md': '# docs\n' });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'ci');
  git(dir, 'checkout', '-q', '-b', 'feature');

  expect(await ranJobs(dir)).toEqual(['always-runs']);
  const list = await box.jobsim(['list', '-C', dir, '--all']);
  expect(list.code, list.stderr).toBe(0);
  expect(list.stdout).toMatch(/build-app\s.*excluded/);

  writeFileSync(join(dir, 'src/app.c'), 'int main(void) { return 1; }\n');
  expect(await ranJobs(dir)).toEqual(['always-runs', 'build-app']);

  git(dir, 'commit', '-q', '-am', 'change the app');
  expect(await ranJobs(dir)).toEqual(['always-runs', 'build-app']);
});
