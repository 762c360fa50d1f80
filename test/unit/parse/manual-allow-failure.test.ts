// allow_failure of manual jobs as GitLab decides it: Entry::Job#ignored? gives the job's own
// allow_failure, else true for a job-level `when: manual`; the matching rule's allow_failure wins
// (Build::Rules::Result). Examples from GitLab's allow_failure and rules documentation.

import { describe, expect, it } from 'vitest';
import { job, loadYaml } from './helpers.js';

const base = 'default:\n  image: busybox:1.36\n';
const allowOf = async (yaml: string): Promise<unknown> => job(await loadYaml(base + yaml, { pipeline: { source: 'merge_request_event', mrTarget: 'main', ref: 'feature' } }), 'job').allowFailure;

describe('allow_failure of manual jobs', () => {
  it('job-level when: manual: allowed to fail by default', async () => {
    expect(await allowOf('job:\n  stage: test\n  script: [execute_script_1]\n  when: manual\n')).toBe(true);
  });

  it('job-level when: manual with allow_failure: false: blocking', async () => {
    expect(await allowOf('job:\n  script: x\n  when: manual\n  allow_failure: false\n')).toBe(false);
  });

  it('when: manual set in a rule: not allowed to fail by default', async () => {
    expect(await allowOf('job:\n  script: x\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n      when: manual\n')).toBe(false);
  });

  it("when: manual in a rule with allow_failure: true (GitLab's rules example)", async () => {
    const yaml = 'job:\n  script: echo "Hello, Rules!"\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n      when: manual\n      allow_failure: true\n';
    expect(await allowOf(yaml)).toBe(true);
  });

  it('job-level when: manual with rules whose matching rule sets no when: manual and allowed to fail', async () => {
    const plan = await loadYaml(base + 'job:\n  script: x\n  when: manual\n  rules:\n    - if: $CI_COMMIT_BRANCH\n');
    expect(job(plan, 'job')).toMatchObject({ when: 'manual', allowFailure: true });
  });

  it('job-level when: manual and a rule that sets when: manual: still allowed to fail (the job says manual)', async () => {
    expect(await allowOf('job:\n  script: x\n  when: manual\n  rules:\n    - when: manual\n')).toBe(true);
  });

  it("the matching rule's allow_failure wins over the job's, also over exit_codes", async () => {
    expect(await allowOf('job:\n  script: x\n  when: manual\n  rules:\n    - when: manual\n      allow_failure: false\n')).toBe(false);
    expect(await allowOf('job:\n  script: x\n  allow_failure:\n    exit_codes: [3]\n  rules:\n    - allow_failure: true\n')).toBe(true);
  });

  it('job-level when: manual keeps allow_failure true even when its rule makes it on_success (GitLab source: ignored? reads the job-level when)', async () => {
    const plan = await loadYaml(base + 'job:\n  script: x\n  when: manual\n  rules:\n    - when: on_success\n');
    expect(job(plan, 'job')).toMatchObject({ when: 'on_success', allowFailure: true });
  });

  it('a job without when: manual anywhere is not allowed to fail', async () => {
    expect(await allowOf('job:\n  script: x\n  rules:\n    - when: on_success\n')).toBe(false);
  });
});
