// `when: delayed` with `start_in` (job level and in rules), as GitLab's Job and Rules::Rule entries
// check it: required with delayed, not allowed without it, at most one week.

import { describe, expect, it } from 'vitest';
import { job, loadError, loadYaml } from './helpers.js';

const base = 'default:\n  image: busybox:1.36\n';

describe('when: delayed', () => {
  it("plans GitLab's documented example with its start_in", async () => {
    const plan = await loadYaml(base + "timed rollout 10%:\n  stage: deploy\n  script: echo 'Rolling out 10% ...'\n  when: delayed\n  start_in: 30 minutes\n");
    expect(job(plan, 'timed rollout 10%')).toMatchObject({ when: 'delayed', startInMs: 30 * 60_000 });
  });

  it('takes when: delayed and start_in from the matching rule', async () => {
    const plan = await loadYaml(
      base + "docker build:\n  script: docker build -t my-image:$CI_COMMIT_REF_SLUG .\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n      when: delayed\n      start_in: '3 hours'\n      allow_failure: true\n",
      { pipeline: { ref: 'main' } },
    );
    expect(job(plan, 'docker build')).toMatchObject({ when: 'delayed', startInMs: 3 * 3_600_000, allowFailure: true });
  });

  it('needs start_in, at most one week', async () => {
    expect(await loadError(base + 't:\n  script: x\n  when: delayed\n')).toBe(
      '.gitlab-ci.yml:5:9: job "t": start_in should be a duration: when: delayed needs start_in (e.g. start_in: 30 minutes)',
    );
    expect(await loadError(base + 't:\n  script: x\n  when: delayed\n  start_in: 8 days\n')).toBe('.gitlab-ci.yml:6:13: job "t": start_in "8 days" should not exceed the limit (1 week)');
    expect(await loadError(base + 't:\n  script: x\n  when: delayed\n  start_in: later\n')).toBe(
      '.gitlab-ci.yml:6:13: job "t": start_in "later" should be a duration (e.g. 30 minutes, 1 day)',
    );
    expect(await loadYaml(base + 't:\n  script: x\n  when: delayed\n  start_in: 1 week\n').then((p) => job(p, 't').startInMs)).toBe(7 * 86_400_000);
  });

  it('rejects start_in without delayed, and next to rules', async () => {
    expect(await loadError(base + 't:\n  script: x\n  start_in: 5 minutes\n')).toBe('.gitlab-ci.yml:5:3: job "t": start_in must be blank unless when: delayed');
    expect(await loadError(base + 't:\n  script: x\n  start_in: 5 minutes\n  rules:\n    - when: delayed\n      start_in: 1 hour\n')).toBe(
      '.gitlab-ci.yml:5:3: job "t": start_in key may not be used with `rules` (set start_in in the rule)',
    );
  });

  it('checks start_in in rules the same way', async () => {
    expect(await loadError(base + 't:\n  script: x\n  rules:\n    - when: delayed\n')).toBe(
      ".gitlab-ci.yml:6:7: job \"t\": rules:start_in can't be blank with when: delayed (e.g. start_in: 30 minutes)",
    );
    expect(await loadError(base + 't:\n  script: x\n  rules:\n    - when: on_success\n      start_in: 1 hour\n')).toBe(
      '.gitlab-ci.yml:7:17: job "t": rules:start_in may only be used with when: delayed',
    );
    expect(await loadError(base + 't:\n  script: x\n  rules:\n    - when: delayed\n      start_in: 2 weeks\n')).toBe(
      '.gitlab-ci.yml:7:17: job "t": rules:start_in "2 weeks" should not exceed the limit (1 week)',
    );
  });
});
