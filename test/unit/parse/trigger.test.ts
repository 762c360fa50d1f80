// `trigger:` jobs: GitLab's documented forms, planned with `trigger` (no script, no image needed),
// and GitLab's errors for what a trigger job may not have.

import { describe, expect, it } from 'vitest';
import { job, loadError, loadYaml } from './helpers.js';

const base = 'default:\n  image: busybox:1.36\n  before_script: [echo hi]\nbuild:\n  stage: build\n  script: make\n';

describe('trigger', () => {
  it('plans a multi-project trigger as a string or with branch; it needs no script and no image', async () => {
    const plan = await loadYaml(
      base +
        'trigger-multi-project-pipeline:\n  trigger: my-group/my-project\n' +
        'with-branch:\n  variables:\n    TARGET: development\n  trigger:\n    project: my-group/my-project\n    branch: $TARGET\n    strategy: depend\n',
    );
    expect(job(plan, 'trigger-multi-project-pipeline').trigger).toEqual({
      kind: 'project',
      project: 'my-group/my-project',
      forward: { yamlVariables: true, pipelineVariables: false },
    });
    expect(job(plan, 'with-branch').trigger).toEqual({
      kind: 'project',
      project: 'my-group/my-project',
      branch: 'development',
      strategy: 'depend',
      forward: { yamlVariables: true, pipelineVariables: false },
    });
    expect(plan.warnings).toEqual([]);
  });

  it('plans child pipelines from a local file, a generated artifact, and forward options', async () => {
    const plan = await loadYaml(
      base +
        'trigger-child-pipeline:\n  trigger:\n    include: path/to/child-pipeline.gitlab-ci.yml\n' +
        'child-pipeline-trigger:\n  stage: test\n  trigger:\n    include:\n      - artifact: generated-config.yml\n        job: build\n' +
        'child:\n  variables:\n    YAML_VARIABLE: value\n  trigger:\n    include: child.yml\n    forward:\n      pipeline_variables: true\n',
    );
    expect(job(plan, 'trigger-child-pipeline').trigger).toEqual({
      kind: 'child',
      include: [{ kind: 'local', path: 'path/to/child-pipeline.gitlab-ci.yml' }],
      forward: { yamlVariables: true, pipelineVariables: false },
    });
    expect(job(plan, 'child-pipeline-trigger').trigger).toMatchObject({ include: [{ kind: 'artifact', path: 'generated-config.yml', job: 'build' }] });
    expect(job(plan, 'child').trigger?.forward).toEqual({ yamlVariables: true, pipelineVariables: true });
  });

  it('does not take the default image or retry: a trigger job runs no container', async () => {
    const plan = await loadYaml('default:\n  image: busybox:1.36\n  retry: 2\n  interruptible: true\n  before_script: [echo hi]\nt:\n  trigger: a/b\n');
    expect(job(plan, 't').image.ref.written).toBe('');
    expect(job(plan, 't').retry).toBeUndefined();
    expect(job(plan, 't').interruptible).toBe(true);
    expect(job(plan, 't').beforeScript).toEqual([]);
  });

  it("rejects what GitLab rejects for a trigger job, with GitLab's wording", async () => {
    expect(await loadError('t:\n  script: x\n  trigger: a/b\n')).toBe('.gitlab-ci.yml:2:3: job "t" config these keys cannot be used together: script, trigger');
    expect(await loadError('t:\n  image: alpine\n  trigger: a/b\n')).toMatch(/^\.gitlab-ci\.yml:2:3: job "t" config contains unknown keys: image \(a trigger job runs no container; allowed: trigger, /);
    expect(await loadError('t:\n  trigger:\n    branch: main\n')).toBe('.gitlab-ci.yml:3:5: job "t": trigger config must specify either project or include');
    expect(await loadError('t:\n  trigger:\n    include: c.yml\n    strategy: wait\n')).toBe('.gitlab-ci.yml:4:15: job "t": trigger strategy should be depend or mirror');
    expect(await loadError('t:\n  trigger:\n    include: [a.yml, b.yml, c.yml, d.yml]\n')).toBe('.gitlab-ci.yml:3:14: job "t": trigger include config has too many entries (maximum 3)');
    expect(await loadError('t:\n  trigger: [a/b]\n')).toBe('.gitlab-ci.yml:2:12: job "t": trigger config has to be either a string or a hash');
    expect(await loadError('t:\n  when: delayed\n  start_in: 1 hour\n  trigger: a/b\n')).toContain(
      'job "t": when should be one of: on_success, on_failure, always, manual (a trigger job cannot be delayed)',
    );
  });
});
