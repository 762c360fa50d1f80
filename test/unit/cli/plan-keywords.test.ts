// `jobsim plan` and `jobsim list` show the keywords that are planned but not run yet.

import { describe, expect, it } from 'vitest';
import { formatList, listSummary } from '../../../main/cli/list.js';
import { formatPlan } from '../../../main/cli/plan-format.js';
import { job, loadYaml } from '../parse/helpers.js';

const yaml =
  'workflow:\n  name: Release $CI_COMMIT_REF_NAME\ndefault:\n  image: busybox:1.36\n' +
  'deploy:\n  stage: deploy\n  script: x\n  when: delayed\n  start_in: 30 minutes\n  retry:\n    max: 2\n    when: [script_failure]\n    exit_codes: [137]\n' +
  '  interruptible: false\n  tags: [docker, linux]\n  resource_group: prod\n  coverage: \'/Total: \\d+%/\'\n' +
  '  environment:\n    name: production\n    url: https://example.com\n    on_stop: stop\n  artifacts:\n    reports:\n      junit: [a.xml, b.xml]\n' +
  'child:\n  stage: deploy\n  trigger:\n    include: ci/child.yml\n    strategy: depend\n';

describe('jobsim plan', () => {
  it('shows start_in, retry, tags, environment, coverage, resource_group and reports', async () => {
    const plan = await loadYaml(yaml, { pipeline: { ref: 'main' } });
    const text = formatPlan(plan, job(plan, 'deploy'));
    expect(text).toContain('  when        delayed (start_in 30m; jobsim starts it at once)\n');
    expect(text).toContain('  retry       up to 2 times on script_failure (exit codes 137); not retried locally yet\n');
    expect(text).toContain('  interruptible false\n');
    expect(text).toContain('  tags        docker, linux\n');
    expect(text).toContain('  resource_group prod\n');
    expect(text).toContain('  environment production (https://example.com; stopped by stop)\n');
    expect(text).toContain('  coverage    /Total: \\d+%/\n');
    expect(text).toContain('  report junit: a.xml, b.xml\n');
  });

  it('shows a trigger job with its downstream pipeline and no image', async () => {
    const plan = await loadYaml(yaml, { pipeline: { ref: 'main' } });
    const text = formatPlan(plan, job(plan, 'child'));
    expect(text).toContain('  trigger     child pipeline from ci/child.yml, strategy depend (jobsim does not run downstream pipelines yet)\n');
    expect(text).not.toContain('  image ');
  });
});

describe('jobsim list', () => {
  it('names the pipeline (workflow:name) in its header and in --json', async () => {
    const plan = await loadYaml(yaml, { pipeline: { ref: 'main' } });
    expect(formatList(plan).split('\n')[0]).toMatch(/^\.gitlab-ci\.yml \(.+\) "Release main": 2 jobs in 5 stages$/);
    expect(listSummary(plan).name).toBe('Release main');
    expect(formatList(plan)).toMatch(/\ndeploy\s+child\s+\(trigger\)\s+-\s+\(stages\)\s+runnable\n/);
  });
});
