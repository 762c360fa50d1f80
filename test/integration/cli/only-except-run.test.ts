// `only:` on the real engine, through the built CLI: the same pipeline on two branches of a git repository
// runs the branch's job and leaves the other out, saying why in `jobsim list`.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCli, gitIn, sandbox, succeededJobs } from './cli-harness.js';

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

it('an only: job is left out on one branch and runs on another', async () => {
  const dir = box.project(undefined, { '.gitlab-ci.yml': PIPELINE });
  gitIn(dir, 'init', '-q', '-b', 'main');
  gitIn(dir, 'add', '.');
  gitIn(dir, 'commit', '-q', '-m', 'ci');
  expect(await succeededJobs(box, dir)).toEqual(['everywhere', 'not-release']);
  const list = await box.jobsim(['list', '-C', dir, '--all']);
  expect(list.stdout).toMatch(/release\s.*excluded: only: refs \[\/\^release-\/\] does not match branch "main" \(push\)/);

  gitIn(dir, 'checkout', '-q', '-b', 'release-2.0');
  expect(await succeededJobs(box, dir)).toEqual(['everywhere', 'release']);
});
