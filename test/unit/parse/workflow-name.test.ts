// `workflow:name` (expanded with the pipeline's variables, a matching rule's included) and
// `workflow:auto_cancel` / `workflow:rules:auto_cancel`, from GitLab's workflow documentation.

import { describe, expect, it } from 'vitest';
import { loadError, loadYaml } from './helpers.js';

const job = 't:\n  image: busybox:1.36\n  script: x\n';

describe('workflow:name', () => {
  const yaml =
    "variables:\n  PROJECT1_PIPELINE_NAME: 'Default pipeline name'\n" +
    "workflow:\n  name: '$PROJECT1_PIPELINE_NAME'\n  rules:\n    - if: '$CI_MERGE_REQUEST_LABELS =~ /pipeline:run-in-ruby3/'\n      variables:\n        PROJECT1_PIPELINE_NAME: 'Ruby 3 pipeline'\n    - when: always\n" +
    job;

  it('is expanded with global variables, and a matching rule can change it', async () => {
    expect((await loadYaml(yaml)).name).toBe('Default pipeline name');
    expect((await loadYaml(yaml, { variables: { CI_MERGE_REQUEST_LABELS: 'pipeline:run-in-ruby3' } })).name).toBe('Ruby 3 pipeline');
    expect((await loadYaml(yaml)).warnings).toEqual([]);
  });

  it('uses predefined variables and never shows a secret', async () => {
    const plan = await loadYaml('workflow:\n  name: "Pipeline for $CI_COMMIT_REF_NAME by $TOKEN"\n' + job, { pipeline: { ref: 'main' }, secrets: { TOKEN: 'S3CR3T-value' } });
    expect(plan.name).toBe('Pipeline for main by [MASKED]');
  });

  it('is absent without workflow:name, and at most 255 characters', async () => {
    expect((await loadYaml(job)).name).toBeUndefined();
    expect(await loadError(`workflow:\n  name: ${'x'.repeat(256)}\n` + job)).toBe('.gitlab-ci.yml:2:9: workflow:name is too long (maximum is 255 characters)');
  });
});

describe('workflow:auto_cancel', () => {
  const yaml =
    "workflow:\n  auto_cancel:\n    on_new_commit: interruptible\n    on_job_failure: all\n  rules:\n    - if: $CI_COMMIT_REF_PROTECTED == 'true'\n      auto_cancel:\n        on_new_commit: none\n    - when: always\n" +
    job;

  it("is planned, and the matching workflow rule's auto_cancel wins key by key", async () => {
    expect((await loadYaml(yaml)).autoCancel).toEqual({ onNewCommit: 'interruptible', onJobFailure: 'all' });
    expect((await loadYaml(yaml, { variables: { CI_COMMIT_REF_PROTECTED: 'true' } })).autoCancel).toEqual({ onNewCommit: 'none', onJobFailure: 'all' });
  });

  it("rejects values GitLab does not know, with GitLab's wording", async () => {
    expect(await loadError('workflow:\n  auto_cancel:\n    on_new_commit: always\n' + job)).toBe(
      '.gitlab-ci.yml:3:20: workflow:auto_cancel: on_new_commit must be one of: conservative, interruptible, none',
    );
    expect(await loadError('workflow:\n  auto_cancel:\n    on_job_failure: some\n' + job)).toBe('.gitlab-ci.yml:3:21: workflow:auto_cancel: on_job_failure must be one of: none, all');
    expect(await loadError('workflow:\n  auto_cancel:\n    on_failure: all\n' + job)).toBe(
      '.gitlab-ci.yml:3:5: workflow: auto_cancel has unknown key "on_failure" (allowed: on_new_commit, on_job_failure)',
    );
  });
});
