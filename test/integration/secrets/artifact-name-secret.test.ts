// A job that names an artifact after a secret: the run's history folder never holds that name, the
// next job gets the file under the masked name, and the log says so (issue 13, point 3).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, leftovers, runIdOf, sandbox } from '../cli/cli-harness.js';

const box = sandbox();
const SECRET = 'art1fact-n4me-s3cret';
const image = '{ name: busybox:1.36, pull_policy: if-not-present }';
const yaml = [
  'stages: [build, use]',
  'make:',
  '  stage: build',
  `  image: ${image}`,
  '  script:',
  '    - mkdir -p out',
  '    - echo hello > "out/$API_TOKEN.txt"',
  '  artifacts: {paths: [out/]}',
  'use:',
  '  stage: use',
  `  image: ${image}`,
  '  script:',
  '    - ls out',
  '    - cat "out/[MASKED].txt"',
  '',
].join('\n');

beforeAll(async () => {
  await buildCli();
});
afterAll(() => box.removeCaches());

describe('an artifact whose name holds a secret', () => {
  it('is stored and passed on under the masked name', async () => {
    const dir = box.project(undefined, { '.gitlab-ci.yml': yaml });
    const result = await box.jobsim(['run', '-C', dir, '--json', '--secret', `API_TOKEN=${SECRET}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stdout).toContain('WARNING: out/[MASKED].txt: its name holds the value of a masked variable');
    const runId = runIdOf(result.stdout);
    const names = readdirSync(join(box.home, 'runs', runId), { recursive: true, encoding: 'utf8' });
    expect(names.filter((n) => n.includes(SECRET))).toEqual([]);
    expect(names.some((n) => n.endsWith(join('out', '[MASKED].txt')))).toBe(true);
    expect(result.stdout).toContain('"text":"hello"');
    expect(await leftovers(runId)).toEqual([]);
  });
});
