// retry, environment, coverage, interruptible, resource_group, tags and artifacts:reports: planned as
// GitLab reads them (examples from GitLab's CI/CD YAML reference), with GitLab's errors.

import { describe, expect, it } from 'vitest';
import { job, loadError, loadYaml } from './helpers.js';

const base = 'default:\n  image: busybox:1.36\n';

describe('retry', () => {
  it('reads a number, and the full form with when and exit_codes', async () => {
    const plan = await loadYaml(
      base +
        'test:\n  script: rspec\n  retry: 2\n' +
        'test_advanced:\n  script: [exit 137]\n  retry:\n    max: 2\n    when: runner_system_failure\n    exit_codes: 137\n' +
        'test_list:\n  script: rspec\n  retry:\n    max: 2\n    when:\n      - runner_system_failure\n      - stuck_or_timeout_failure\n',
    );
    expect(job(plan, 'test').retry).toEqual({ max: 2, when: ['always'], exitCodes: [] });
    expect(job(plan, 'test_advanced').retry).toEqual({ max: 2, when: ['runner_system_failure'], exitCodes: [137] });
    expect(job(plan, 'test_list').retry?.when).toEqual(['runner_system_failure', 'stuck_or_timeout_failure']);
    expect(plan.warnings).toEqual([]);
  });

  it('is inherited from default:, and a job without it is not retried', async () => {
    const plan = await loadYaml('default:\n  image: busybox:1.36\n  retry: 1\na:\n  script: x\nb:\n  script: x\n  retry: 0\nc:\n  script: x\n  inherit:\n    default: false\n  image: busybox:1.36\n');
    expect(job(plan, 'a').retry?.max).toBe(1);
    expect(job(plan, 'b').retry?.max).toBe(0);
    expect(job(plan, 'c').retry).toBeUndefined();
  });

  it("rejects what GitLab rejects, with GitLab's wording", async () => {
    expect(await loadError(base + 't:\n  script: x\n  retry: 3\n')).toBe(
      '.gitlab-ci.yml:5:10: job "t": retry max must be an integer from 0 to 2 (GitLab allows at most 2 retries), not 3',
    );
    expect(await loadError(base + 't:\n  script: x\n  retry: always\n')).toBe('.gitlab-ci.yml:5:10: job "t": retry config has to be either an integer or a hash');
    expect(await loadError(base + 't:\n  script: x\n  retry:\n    max: 1\n    when: script_failur\n')).toBe(
      '.gitlab-ci.yml:7:11: job "t": retry when contains unknown values: script_failur; did you mean "script_failure"?',
    );
    expect(await loadError(base + 't:\n  script: x\n  retry:\n    count: 1\n')).toBe('.gitlab-ci.yml:6:5: job "t": retry has unknown key "count" (allowed: max, when, exit_codes)');
  });

  it('keeps a failure reason of a newer GitLab with a warning', async () => {
    const plan = await loadYaml(base + 't:\n  script: x\n  retry:\n    max: 1\n    when: [some_future_failure]\n');
    expect(job(plan, 't').retry?.when).toEqual(['some_future_failure']);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'job "t": retry when "some_future_failure" is not a failure reason jobsim knows; GitLab rejects it unless your GitLab version defines it',
    ]);
  });
});

describe('environment', () => {
  it('reads the short and the full form; name and url are expanded', async () => {
    const plan = await loadYaml(
      base +
        'variables:\n  DOMAIN: example.com\n' +
        'deploy to production:\n  stage: deploy\n  script: git push production HEAD:main\n  environment: production\n' +
        'review_app:\n  stage: deploy\n  script: make deploy-app\n  environment:\n    name: review/$CI_COMMIT_REF_SLUG\n    url: https://$CI_ENVIRONMENT_SLUG.$DOMAIN\n    on_stop: stop_review_app\n    auto_stop_in: 1 day\n    deployment_tier: development\n' +
        'stop_review_app:\n  stage: deploy\n  script: make delete-app\n  when: manual\n  environment:\n    name: review/$CI_COMMIT_REF_SLUG\n    action: stop\n    kubernetes:\n      agent: path/to/agent/project:agent-name\n',
      { pipeline: { ref: 'feature/Login' } },
    );
    expect(job(plan, 'deploy to production').environment).toEqual({ name: 'production', action: 'start' });
    // CI_ENVIRONMENT_SLUG is not set by jobsim yet (issue 16): it stays as written.
    expect(job(plan, 'review_app').environment).toEqual({
      name: 'review/feature-login',
      url: 'https://$CI_ENVIRONMENT_SLUG.example.com',
      action: 'start',
      onStop: 'stop_review_app',
      autoStopIn: '1 day',
      autoStopInMs: 86_400_000,
      deploymentTier: 'development',
    });
    expect(job(plan, 'stop_review_app').environment).toEqual({ name: 'review/feature-login', action: 'stop', kubernetes: { agent: 'path/to/agent/project:agent-name' } });
    expect(plan.warnings).toEqual([]);
  });

  it('shows a secret used in the url as [MASKED]', async () => {
    const plan = await loadYaml(base + 'd:\n  script: x\n  environment:\n    name: prod\n    url: https://u:$TOKEN@example.com\n', { secrets: { TOKEN: 'S3CR3T-value' } });
    expect(job(plan, 'd').environment?.url).toBe('https://u:[MASKED]@example.com');
  });

  it("rejects what GitLab rejects, with GitLab's wording", async () => {
    expect(await loadError(base + 'd:\n  script: x\n  environment:\n    url: https://x\n')).toBe('.gitlab-ci.yml:6:5: job "d": environment name can\'t be blank');
    expect(await loadError(base + 'd:\n  script: x\n  environment: /prod\n')).toBe(
      ".gitlab-ci.yml:5:16: job \"d\": environment name can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'",
    );
    expect(await loadError(base + 'd:\n  script: x\n  environment:\n    name: prod\n    action: destroy\n')).toBe(
      '.gitlab-ci.yml:7:13: job "d": environment action should be one of start, prepare, stop, verify, access, not "destroy"',
    );
    expect(await loadError(base + 'd:\n  script: x\n  environment:\n    name: prod\n    deployment_tier: live\n')).toBe(
      '.gitlab-ci.yml:7:22: job "d": environment deployment_tier should be one of production, staging, testing, development, other, not "live"',
    );
    expect(await loadError(base + 'd:\n  script: x\n  environment:\n    name: prod\n    auto_stop_in: soon\n')).toBe(
      '.gitlab-ci.yml:7:19: job "d": environment auto_stop_in should be a duration (e.g. 1 day, 2 hours), not "soon"',
    );
  });

  it('checks an auto_stop_in with variables only after expansion, as GitLab does', async () => {
    const plan = await loadYaml(base + 'variables:\n  STOP_IN: 2 hours\nd:\n  script: x\n  environment:\n    name: prod\n    auto_stop_in: $STOP_IN\n');
    expect(job(plan, 'd').environment).toMatchObject({ autoStopIn: '2 hours', autoStopInMs: 7_200_000 });
  });
});

describe('coverage, interruptible, resource_group', () => {
  it('reads them as written (coverage keeps its slashes)', async () => {
    const plan = await loadYaml(
      base + 'variables:\n  TARGET: production\n' +
        "job1:\n  script: rspec\n  coverage: '/Code coverage: \\d+(?:\\.\\d+)?/'\n  interruptible: true\n" +
        'deploy-to-production:\n  script: deploy\n  resource_group: $TARGET\n',
    );
    expect(job(plan, 'job1')).toMatchObject({ coverage: '/Code coverage: \\d+(?:\\.\\d+)?/', interruptible: true });
    expect(job(plan, 'deploy-to-production').resourceGroup).toBe('production');
    expect(job(plan, 'deploy-to-production').interruptible).toBeUndefined();
  });

  it('inherits interruptible from default:, and rules:interruptible overrides it', async () => {
    const plan = await loadYaml(
      'default:\n  image: busybox:1.36\n  interruptible: true\n' +
        'a:\n  script: x\n' +
        'job:\n  script: echo "Hello, world!"\n  interruptible: true\n  rules:\n    - if: $CI_COMMIT_REF_NAME == $CI_DEFAULT_BRANCH\n      interruptible: false\n    - when: on_success\n',
      { pipeline: { ref: 'main' } },
    );
    expect(job(plan, 'a').interruptible).toBe(true);
    expect(job(plan, 'job').interruptible).toBe(false);
  });

  it("rejects a coverage that is not a /regex/ and a non-boolean interruptible", async () => {
    expect(await loadError(base + 't:\n  script: x\n  coverage: Code coverage\n')).toBe(
      ".gitlab-ci.yml:5:13: job \"t\": coverage config must be a regular expression between slashes, e.g. '/Coverage: \\d+\\.\\d+%/'",
    );
    expect(await loadError(base + 't:\n  script: x\n  interruptible: maybe\n')).toBe('.gitlab-ci.yml:5:18: job "t": interruptible should be true or false, not a string');
  });
});

describe('tags', () => {
  it('reads a list, flattens nested lists and expands matrix variables per instance', async () => {
    const plan = await loadYaml(
      base + '.common-tags: [docker, linux]\n' +
        'deploystacks:\n  stage: deploy\n  script: [cd $PROVIDER && terraform apply]\n  parallel:\n    matrix:\n      - PROVIDER: aws\n        STACK: [monitoring, app1]\n      - PROVIDER: gcp\n        STACK: [data]\n' +
        '  tags:\n    - ${PROVIDER}-${STACK}\n    - !reference [.common-tags]\n',
    );
    expect(plan.jobs.map((j) => [j.name, j.tags])).toEqual([
      ['deploystacks: [aws, monitoring]', ['aws-monitoring', 'docker', 'linux']],
      ['deploystacks: [aws, app1]', ['aws-app1', 'docker', 'linux']],
      ['deploystacks: [gcp, data]', ['gcp-data', 'docker', 'linux']],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('is inherited from default:', async () => {
    const plan = await loadYaml('default:\n  image: busybox:1.36\n  tags: [ruby, postgres]\njob:\n  script: x\n');
    expect(job(plan, 'job').tags).toEqual(['ruby', 'postgres']);
  });

  it('must be a list of strings, fewer than 50', async () => {
    expect(await loadError(base + 't:\n  script: x\n  tags: docker\n')).toBe('.gitlab-ci.yml:5:9: job "t": tags config should be an array of strings, not a string');
    const many = Array.from({ length: 50 }, (_, i) => `t${i}`).join(', ');
    expect(await loadError(base + `t:\n  script: x\n  tags: [${many}]\n`)).toBe('.gitlab-ci.yml:5:9: job "t": tags config must be less than the limit of 50 tags');
  });
});

describe('artifacts:reports', () => {
  it('reads every report type, paths as a string or a list, and coverage_report', async () => {
    const plan = await loadYaml(
      base +
        'rspec:\n  script: rspec\n  artifacts:\n    reports:\n      junit: rspec.xml\n      dotenv: [build.env]\n      codequality: gl-code-quality-report.json\n      sast: gl-sast-report.json\n' +
        '      coverage_report:\n        coverage_format: cobertura\n        path: coverage/cobertura-coverage.xml\n',
    );
    expect(job(plan, 'rspec').artifacts?.reports).toEqual([
      { type: 'junit', paths: ['rspec.xml'] },
      { type: 'dotenv', paths: ['build.env'] },
      { type: 'codequality', paths: ['gl-code-quality-report.json'] },
      { type: 'sast', paths: ['gl-sast-report.json'] },
      { type: 'coverage_report', paths: ['coverage/cobertura-coverage.xml'], coverageFormat: 'cobertura' },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it("rejects an unknown report type and a bad coverage_format, with GitLab's wording", async () => {
    expect(await loadError(base + 't:\n  script: x\n  artifacts:\n    reports:\n      junt: a.xml\n')).toBe(
      '.gitlab-ci.yml:7:7: job "t": artifacts:reports config contains unknown keys: junt; did you mean "junit"?',
    );
    expect(await loadError(base + 't:\n  script: x\n  artifacts:\n    reports:\n      coverage_report:\n        coverage_format: lcov\n        path: lcov.info\n')).toBe(
      '.gitlab-ci.yml:8:26: job "t": artifacts:reports coverage_report coverage format must be one of supported formats: cobertura, jacoco.',
    );
  });
});
