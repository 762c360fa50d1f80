// Job-level `when` as GitLab's Entry::Job and Entry::Bridge accept it, and `dependencies` next to `needs: []`.

import { describe, expect, it } from 'vitest';
import { loadError, loadYaml } from './helpers.js';

describe('job-level when', () => {
  it('refuses when: never outside rules, naming where it belongs', async () => {
    const message = await loadError('image: busybox:1.36\ndisabled:\n  when: never\n  script: x\n');
    expect(message).toContain('job "disabled": when should be one of on_success, on_failure, always, manual, delayed, not "never"');
    expect(message).toContain('rules: [{when: never}]');
    expect(message).toMatch(/\.gitlab-ci\.yml:3/);
  });

  it('still accepts when: never inside rules', async () => {
    const plan = await loadYaml('image: busybox:1.36\ndisabled:\n  rules: [{when: never}]\n  script: x\nkept:\n  script: x\n');
    expect(plan.jobs.find((j) => j.name === 'disabled')?.when).toBe('never');
  });
});

describe('dependencies next to needs', () => {
  it('accepts dependencies with needs: [] (GitLab checks them against needs only when needs lists jobs)', async () => {
    const plan = await loadYaml('image: busybox:1.36\nstages: [build, test]\nbuild:\n  stage: build\n  script: x\ntest:\n  stage: test\n  needs: []\n  dependencies: [build]\n  script: x\n');
    const test = plan.jobs.find((j) => j.name === 'test')!;
    expect(test.needs).toEqual([]);
    expect(test.dependencies).toEqual(['build']);
  });

  it('still refuses a dependency missing from a non-empty needs', async () => {
    const message = await loadError('image: busybox:1.36\nstages: [build, test]\nbuild:\n  stage: build\n  script: x\nlint:\n  stage: build\n  script: x\ntest:\n  stage: test\n  needs: [lint]\n  dependencies: [build]\n  script: x\n');
    expect(message).toContain('dependency "build" should be part of needs');
  });
});

describe('needs:optional', () => {
  it('drops an optional need on a job the rules exclude, and on an undefined one (GitLab then starts the job at once)', async () => {
    const plan = await loadYaml([
      'image: busybox:1.36',
      'stages: [build, deploy]',
      'infra:',
      '  stage: build',
      '  script: x',
      '  rules: [{if: $INFRA == "yes"}]',
      'compile:',
      '  stage: build',
      '  script: x',
      'deploy:',
      '  stage: deploy',
      '  script: x',
      '  needs: [{job: infra, optional: true}, {job: gone, optional: true}, compile]',
      'lonely:',
      '  stage: deploy',
      '  script: x',
      '  needs: [{job: infra, optional: true}]',
      '',
    ].join('\n'));
    expect(plan.jobs.find((j) => j.name === 'deploy')!.needs!.map((n) => n.job)).toEqual(['compile']);
    expect(plan.jobs.find((j) => j.name === 'lonely')!.needs).toEqual([]);
  });
});
