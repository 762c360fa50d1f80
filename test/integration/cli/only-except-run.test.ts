// `only:` on the real engine, through the built CLI: the same pipeline on two branches of a git repository
// runs the branch's job and leaves the other out, saying why in `jobsim list`.

import { execFileSync } from 'node:child_process';
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
  'everywhere:',
  '  script: echo always',
  'release:',
  '  script: echo releasing',
  '  only: [/^release-/]',
  'not-release:',
  '  script: echo not a release',
  '  except: [/^release-/]',
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

it('an only: job is left out on one branch and runs on another', async () => {
  const dir = box.project(undefined, { '.gitlab-ci.yml': PIPELINE });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'ci');
  expect(await ranJobs(dir)).toEqual(['everywhere', 'not-release']);
  const list = await box.jobsim(['list', '-C', dir, '--all']);
  expect(list.stdout).toMatch(/release\s.*excluded: only: refs \[\/\^release-\/\] does not match branch "main" \(push\)/);

  git(dir, 'checkout', '-q', '-b', 'release-2.0');
  expect(await ranJobs(dir)).toEqual(['everywhere', 'release']);
});
