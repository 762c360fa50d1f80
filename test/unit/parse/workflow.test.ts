import { describe, expect, it } from 'vitest';
import { job, loadError, loadYaml, variable } from './helpers.js';

const pipeline =
  'workflow:\n  rules:\n    - if: $MODE == "release"\n      variables: {DEPLOY_TO: production}\n    - if: $MODE == "skip"\n      when: never\n    - when: always\n      variables: {DEPLOY_TO: staging}\n' +
  'variables: {DEPLOY_TO: nowhere}\nt:\n  image: busybox:1.36\n  script: x\n';

describe('workflow:rules', () => {
  it("adds the matching rule's variables on top of the global ones", async () => {
    expect(variable(job(await loadYaml(pipeline, { variables: { MODE: 'release' } }), 't'), 'DEPLOY_TO')).toBe('production');
    expect(variable(job(await loadYaml(pipeline), 't'), 'DEPLOY_TO')).toBe('staging');
  });

  it('lets job variables win over workflow variables', async () => {
    const plan = await loadYaml(pipeline.replace('script: x', 'script: x\n  variables: {DEPLOY_TO: mine}'));
    expect(variable(job(plan, 't'), 'DEPLOY_TO')).toBe('mine');
  });

  it('warns when GitLab would not create the pipeline, and still plans it', async () => {
    const plan = await loadYaml(pipeline, { variables: { MODE: 'skip' } });
    expect(plan.jobs).toHaveLength(1);
    expect(plan.warnings).toEqual([
      { message: 'workflow:rules: no rule lets this pipeline run, so GitLab would not create it; jobsim runs it anyway', where: { file: '.gitlab-ci.yml', line: 3, col: 5 } },
    ]);
  });

  it('reports bad workflow rules with the workflow: prefix', async () => {
    expect(await loadError('workflow:\n  rules:\n    - if: $A ==\nt:\n  image: busybox:1.36\n  script: x\n')).toBe(
      '.gitlab-ci.yml:3:11: workflow: invalid rules:if expression "$A ==": unexpected end of expression',
    );
  });
});
