import { describe, expect, it } from 'vitest';
import { selectJobs } from '../../../main/parse/select.js';
import { loadYaml } from './helpers.js';

const pipeline = loadYaml(
  'default: {image: "busybox:1.36"}\nstages: [build, test, deploy]\n' +
    'compile:\n  stage: build\n  script: x\nassets:\n  stage: build\n  script: x\n' +
    'test:\n  stage: test\n  needs: [compile]\n  script: x\nlint:\n  stage: test\n  script: x\n' +
    'ship:\n  stage: deploy\n  needs: [test]\n  script: x\n',
);

describe('selectJobs', () => {
  it('returns only the named jobs without --with-needs, in file order', async () => {
    const plan = await pipeline;
    expect(selectJobs(plan, ['ship', 'compile'], false).map((j) => j.name)).toEqual(['compile', 'ship']);
  });

  it('follows needs transitively', async () => {
    const plan = await pipeline;
    expect(selectJobs(plan, ['ship'], true).map((j) => j.name)).toEqual(['compile', 'test', 'ship']);
  });

  it('takes every earlier-stage job for a job without needs', async () => {
    const plan = await pipeline;
    expect(selectJobs(plan, ['lint'], true).map((j) => j.name)).toEqual(['compile', 'assets', 'lint']);
  });

  it('names unknown jobs with a suggestion and the list of jobs', async () => {
    const plan = await pipeline;
    expect(() => selectJobs(plan, ['tset'], false)).toThrow('unknown job "tset"; did you mean "test"? (jobs: compile, assets, test, lint, ship)');
    expect(() => selectJobs(plan, ['zzzzzz'], false)).toThrow('unknown job "zzzzzz" (jobs: compile, assets, test, lint, ship)');
  });
});
