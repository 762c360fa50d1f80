// The simulated pipeline (--ref, --tag, --source, --mr-target): the predefined variables GitLab sets for each kind.

import { describe, expect, it } from 'vitest';
import { job, load, variable, writeProject } from './helpers.js';

const YAML = 'image: busybox:1.36\nt:\n  script: x\nonly-tags:\n  script: x\n  only: [tags]\n';

describe('the simulated pipeline', () => {
  it('a tag pipeline sets CI_COMMIT_TAG and no CI_COMMIT_BRANCH, and runs only: [tags] jobs', async () => {
    const plan = await load(writeProject({ '.gitlab-ci.yml': YAML }), { pipeline: { tag: 'v1.2.0' } });
    const t = job(plan, 't');
    expect([variable(t, 'CI_COMMIT_TAG'), variable(t, 'CI_COMMIT_BRANCH'), variable(t, 'CI_COMMIT_REF_NAME')]).toEqual(['v1.2.0', undefined, 'v1.2.0']);
    expect(job(plan, 'only-tags').when).toBe('on_success');
  });

  it('a merge request pipeline sets the CI_MERGE_REQUEST_* variables and no CI_COMMIT_BRANCH', async () => {
    const plan = await load(writeProject({ '.gitlab-ci.yml': YAML }), { pipeline: { ref: 'feature', mrTarget: 'develop' } });
    const t = job(plan, 't');
    expect(variable(t, 'CI_PIPELINE_SOURCE')).toBe('merge_request_event');
    expect([variable(t, 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME'), variable(t, 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME'), variable(t, 'CI_COMMIT_BRANCH')]).toEqual(['feature', 'develop', undefined]);
  });

  it('a schedule on a named branch, and contradictions refused', async () => {
    const plan = await load(writeProject({ '.gitlab-ci.yml': YAML }), { pipeline: { ref: 'nightly', source: 'schedule' } });
    expect([variable(job(plan, 't'), 'CI_PIPELINE_SOURCE'), variable(job(plan, 't'), 'CI_COMMIT_BRANCH')]).toEqual(['schedule', 'nightly']);
    await expect(load(writeProject({ '.gitlab-ci.yml': YAML }), { pipeline: { ref: 'a', tag: 'b' } })).rejects.toThrow(/--tag and --ref/);
    await expect(load(writeProject({ '.gitlab-ci.yml': YAML }), { pipeline: { ref: 'bad..name' } })).rejects.toThrow(/not a valid git ref name/);
  });
});
