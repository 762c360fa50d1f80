// How GitLab turns what Psych read into a pipeline: scalar variable values become text, merge keys and
// repeated keys as real files write them. Expectations follow GitLab's source (Entry::Variable,
// ScalarValidator: `value.to_s`) and docs.

import { describe, expect, it } from 'vitest';
import { job, load, loadError, loadYaml, variable, writeProject } from './helpers.js';

describe('variable values are text, as GitLab makes them (Ruby to_s)', () => {
  it('booleans and numbers in global, job, rules and workflow variables, and in value:', async () => {
    const plan = await loadYaml(`
workflow:
  rules:
    - variables: { WF_FLAG: on, WF_NUM: 2 }
variables:
  DEBUG: true
  QUIET: no
  DEPTH: 10
  VERSION: 1.10
  ROUND: 1.0
  OCTAL: 0755
  LONG: 12345678901234567890
  EMPTY:
  EXPANDED: { value: false, description: "a boolean" }
  EXPANDED_NUM: { value: 3.0 }
test:
  image: busybox:1.36
  variables:
    JOB_FLAG: yes
  rules:
    - if: $DEBUG == "true"
      variables: { RULE_FLAG: off, RULE_NUM: 1e5 }
  script: [echo]
`);
    const t = job(plan, 'test');
    expect(Object.fromEntries(
      ['DEBUG', 'QUIET', 'DEPTH', 'VERSION', 'ROUND', 'OCTAL', 'LONG', 'EMPTY', 'EXPANDED', 'EXPANDED_NUM', 'JOB_FLAG', 'RULE_FLAG', 'RULE_NUM', 'WF_FLAG', 'WF_NUM'].map((k) => [k, variable(t, k)]),
    )).toEqual({
      DEBUG: 'true', QUIET: 'false', DEPTH: '10', VERSION: '1.1', ROUND: '1.0', OCTAL: '493', LONG: '12345678901234567890', EMPTY: '',
      EXPANDED: 'false', EXPANDED_NUM: '3.0', JOB_FLAG: 'true', RULE_FLAG: 'false', RULE_NUM: '1e5', WF_FLAG: 'true', WF_NUM: '2',
    });
    expect(t.when).toBe('on_success');
  });

  it('a matrix value is text the same way', async () => {
    const plan = await loadYaml('test:\n  image: busybox:1.36\n  parallel:\n    matrix:\n      - PY: [3.10, "3.10"]\n  script: [echo]\n');
    expect(plan.jobs.map((j) => variable(j, 'PY'))).toEqual(['3.1', '3.10']);
  });
});

describe('repeated keys and merge keys in a pipeline', () => {
  it('two << in a job merge both (GitLab\'s release-tools writes this), the job keeps its own keys', async () => {
    const plan = await loadYaml(`
.except-automation: &except-automation
  except: { variables: [$AUTOMATION] }
.with-bundle: &with-bundle
  image: ruby:3.2
  before_script: [bundle install]
rubocop:
  <<: *except-automation
  <<: *with-bundle
  stage: test
  script: [bundle exec rubocop]
`);
    const r = job(plan, 'rubocop');
    expect(r.image.ref.written).toBe('ruby:3.2');
    expect(r.beforeScript).toEqual(['bundle install']);
    expect(r.when).toBe('on_success');
  });

  it('a job written twice is the last one, with a warning naming both lines', async () => {
    const plan = await loadYaml('test:\n  image: busybox:1.36\n  script: [first]\ntest:\n  image: busybox:1.36\n  script: [second]\n');
    expect(plan.jobs.map((j) => [j.name, j.script])).toEqual([['test', ['second']]]);
    expect(plan.warnings).toContainEqual({
      message: 'key "test" is written twice in this mapping (lines 1 and 4); GitLab keeps the last one',
      where: { file: '.gitlab-ci.yml', line: 4, col: 1 },
    });
  });
});

describe('deprecated type: and types: (GitLab\'s Entry::Job and Entry::Root)', () => {
  it('type: is the stage when there is no stage:, with a deprecation warning', async () => {
    const plan = await loadYaml('types: [build, check]\nlint:\n  image: busybox:1.36\n  type: check\n  script: [echo]\n');
    expect(plan.stages).toEqual(['.pre', 'build', 'check', '.post']);
    expect(job(plan, 'lint').stage).toBe('check');
    expect(plan.warnings.map((w) => w.message)).toContain('job "lint": `type` is the deprecated name of `stage`; GitLab reads it as `stage`');
  });

  it('stage: wins over type:, and stages: over types:', async () => {
    const plan = await loadYaml('stages: [one, two]\ntypes: [three]\nlint:\n  image: busybox:1.36\n  type: one\n  stage: two\n  script: [echo]\n');
    expect(plan.stages).toEqual(['.pre', 'one', 'two', '.post']);
    expect(job(plan, 'lint').stage).toBe('two');
    expect(plan.warnings.map((w) => w.message)).toContain('job "lint": `type` is the deprecated name of `stage`; it is ignored because the job also sets `stage`');
  });
});

describe('nested lists flatten where GitLab flattens them ([config].flatten)', () => {
  it('script, services, cache, needs and rules made of anchored lists', async () => {
    const plan = await loadYaml(`
.setup: &setup [echo one, [echo two]]
.db: &db [postgres:16, { name: redis:7, alias: cache }]
.caches: &caches [{ key: a, paths: [a] }, { key: b, paths: [b] }]
.rules: &rules [{ if: $NOPE, when: never }]
build:
  image: busybox:1.36
  script: [echo build]
test:
  image: busybox:1.36
  services: [*db, mysql:8]
  cache: [*caches, { key: c, paths: [c] }]
  needs: [[build]]
  rules: [*rules, { when: on_success }]
  script: [*setup, make]
`);
    const t = job(plan, 'test');
    expect(t.script).toEqual(['echo one', 'echo two', 'make']);
    expect(t.services.map((s) => s.name)).toEqual(['postgres:16', 'redis:7', 'mysql:8']);
    expect(t.caches.map((c) => c.key)).toEqual(['a', 'b', 'c'].map((value) => ({ kind: 'literal', value })));
    expect(t.needs).toEqual([{ job: 'build', artifacts: true, optional: false }]);
    expect(t.when).toBe('on_success');
  });

  it('needs: one mapping is one need', async () => {
    const plan = await loadYaml('build:\n  image: busybox:1.36\n  script: [echo]\ntest:\n  image: busybox:1.36\n  needs: { job: build, artifacts: false }\n  script: [echo]\n');
    expect(job(plan, 'test').needs).toEqual([{ job: 'build', artifacts: false, optional: false }]);
  });
});

describe('cache:key: GitLab checks it as written, the runner sanitizes it after expansion', () => {
  it('a key that holds "/" only after expansion is accepted (parallel job names, CI_PROJECT_PATH)', async () => {
    const plan = await loadYaml('test:\n  image: busybox:1.36\n  parallel: 2\n  cache:\n    key: $CI_JOB_NAME-x\n    paths: [v]\n  script: [echo]\n');
    expect(plan.jobs.map((j) => j.caches[0]?.key)).toEqual([
      { kind: 'literal', value: 'test 1/2-x' },
      { kind: 'literal', value: 'test 2/2-x' },
    ]);
  });

  it('a written "/" (or %2F), "." or ".." is GitLab\'s error', async () => {
    expect(await loadError('test:\n  image: busybox:1.36\n  cache: { key: "a%2Fb", paths: [v] }\n  script: [echo]\n')).toBe(
      '.gitlab-ci.yml:3:17: job "test": cache:key "a%2Fb" cannot contain the "/" character',
    );
    expect(await loadError('test:\n  image: busybox:1.36\n  cache: { key: "..", paths: [v] }\n  script: [echo]\n')).toBe('.gitlab-ci.yml:3:17: job "test": cache:key cannot be "." or ".."');
  });

  it('a cache path written with backslashes under $CI_PROJECT_DIR (Windows jobs) is inside the project', async () => {
    const plan = await loadYaml('test:\n  image: busybox:1.36\n  cache: { key: go, paths: [\'$CI_PROJECT_DIR\\.gocache\\\'] }\n  script: [echo]\n');
    expect(job(plan, 'test').caches[0]?.paths).toEqual(['.gocache']);
  });

  it('an empty key is the runner\'s default, <job name>/<ref>', async () => {
    const plan = await loadYaml('test:\n  image: busybox:1.36\n  cache: { key: "", paths: [v] }\n  script: [echo]\n', { pipeline: { ref: 'main' } });
    expect(job(plan, 'test').caches[0]?.key).toEqual({ kind: 'literal', value: 'test/main' });
  });
});

describe('warnings about the YAML of included files', () => {
  it('names the included file and both lines of a repeated key', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml': 'include: ci/jobs.yml\n',
      'ci/jobs.yml': 'test:\n  image: busybox:1.36\n  script: [a]\n  script: [b]\n',
    });
    const plan = await load(dir);
    expect(job(plan, 'test').script).toEqual(['b']);
    expect(plan.warnings).toContainEqual({
      message: 'key "script" is written twice in this mapping (lines 3 and 4); GitLab keeps the last one',
      where: { file: 'ci/jobs.yml', line: 4, col: 3 },
    });
  });
});
