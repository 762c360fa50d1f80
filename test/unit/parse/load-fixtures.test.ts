// Real-world-shaped pipelines from test/fixtures/ → full plans.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRunnerConfig } from '../../../main/parse/runner-config.js';
import { FIXTURES, job, load, variable } from './helpers.js';

describe('a Node.js pipeline (anchors, merge keys, default:, needs, cache key files, rules)', async () => {
  const plan = await load(join(FIXTURES, 'node'), { variables: { CI_COMMIT_BRANCH: 'release' } });

  it('keeps stages in order with .pre and .post around them, jobs in file order', () => {
    expect(plan.format).toBe('gitlab-ci');
    expect(plan.stages).toEqual(['.pre', 'install', 'test', 'build', '.post']);
    expect(plan.jobs.map((j) => [j.name, j.stage, j.stageIndex])).toEqual([
      ['install', 'install', 1],
      ['lint', 'test', 2],
      ['unit', 'test', 2],
      ['build', 'build', 3],
    ]);
  });

  it('takes image and before_script from default:', () => {
    const install = job(plan, 'install');
    expect(install.image.ref.normalized).toBe('docker.io/library/node:20-alpine');
    expect(install.image.pull).toEqual({ policies: ['always'], source: 'default', allowed: defaultRunnerConfig().runner.allowedPullPolicies, allowedSource: 'default' });
    expect(install.beforeScript).toEqual(['node --version']);
    expect(install.script).toEqual(['npm ci']);
  });

  it('merges anchors with <<, the local key winning', () => {
    expect(job(plan, 'install').caches).toEqual([
      { key: { kind: 'files', files: ['package-lock.json'] }, paths: ['.npm'], untracked: false, policy: 'pull-push', when: 'on_success', fallbackKeys: [], where: { file: '.gitlab-ci.yml', line: 29, col: 5 } },
    ]);
    expect(job(plan, 'lint').caches[0]?.policy).toBe('pull');
  });

  it('reads needs in both forms, timeouts and exit-code allow_failure', () => {
    expect(job(plan, 'lint').needs).toEqual([{ job: 'install', artifacts: true, optional: false }]);
    const unit = job(plan, 'unit');
    expect(unit.needs).toEqual([{ job: 'install', artifacts: false, optional: false }]);
    expect(unit.timeoutMs).toBe(15 * 60_000);
    expect(unit.allowFailure).toEqual({ exitCodes: [42, 137] });
    expect(job(plan, 'build').needs).toBeNull();
    expect(job(plan, 'build').timeoutMs).toBe(3_600_000);
  });

  it('expands variables against predefined ones', () => {
    const unit = job(plan, 'unit');
    expect(variable(unit, 'npm_config_cache')).toBe(`${unit.projectDirInContainer}/.npm`);
    expect(variable(unit, 'JEST_JUNIT_OUTPUT')).toBe('reports/junit.xml');
    expect(variable(unit, 'CI_JOB_NAME')).toBe('unit');
    expect(variable(unit, 'CI_JOB_STAGE')).toBe('test');
    expect(variable(unit, 'CI')).toBe('true');
  });

  it('evaluates rules with --var values: the release branch makes build manual', () => {
    expect(job(plan, 'build').when).toBe('manual');
    // Manual through rules: not allowed to fail unless the rule says so (GitLab's default).
    expect(job(plan, 'build').allowFailure).toBe(false);
    expect(job(plan, 'build').artifacts).toEqual({ paths: ['dist'], exclude: ['dist/**/*.map'], untracked: false, when: 'on_success', expireIn: '1 week', expireInMs: 7 * 24 * 3_600_000 });
  });

  it('falls through to the catch-all rule on other branches', async () => {
    const other = await load(join(FIXTURES, 'node'), { variables: { CI_COMMIT_BRANCH: 'main' } });
    expect(job(other, 'build').when).toBe('on_success');
  });
});

describe('a Rails pipeline (global services with aliases and variables, extends, !reference)', async () => {
  const plan = await load(join(FIXTURES, 'rails'), { secrets: { DB_PASSWORD: 'from-secret' } });
  const rspec = job(plan, 'rspec');

  it('gives every job the global image and services unless it overrides them', () => {
    expect(rspec.image.ref.written).toBe('ruby:3.3');
    expect(rspec.services.map((s) => [s.name, s.aliases])).toEqual([
      ['postgres:16', ['postgres', 'db']],
      ['redis:7', ['redis']],
    ]);
    expect(job(plan, 'rubocop').services).toEqual([]);
  });

  it('gives services their own variables, expanded, but never secrets', () => {
    const postgres = rspec.services[0]!;
    expect(postgres.variables).toEqual([{ key: 'POSTGRES_PASSWORD', value: 'postgres', masked: false, source: 'service' }]);
    expect(postgres.customAliases).toEqual(['db']);
  });

  it('masks secrets and everything built from them in the job', () => {
    expect(rspec.variables.find((v) => v.key === 'DB_PASSWORD')).toEqual({ key: 'DB_PASSWORD', value: 'from-secret', masked: true, source: 'secret' });
    expect(rspec.variables.find((v) => v.key === 'DATABASE_URL')).toMatchObject({ value: 'postgresql://postgres:from-secret@db:5432/app_test', masked: true });
  });

  it('applies extends and splices !reference lists', () => {
    expect(rspec.beforeScript).toEqual(['bundle install --jobs 4', 'bin/rails db:prepare']);
    expect(job(plan, 'rubocop').beforeScript).toEqual(['bundle install --jobs 4', 'bin/rails db:prepare', 'echo lint only']);
    expect(job(plan, 'rubocop').script).toEqual(['bundle exec rubocop']);
    expect(job(plan, 'rubocop').allowFailure).toBe(true);
  });

  it('reads image entrypoint and job-file pull policies', () => {
    const deploy = job(plan, 'deploy');
    expect(deploy.image.entrypoint).toEqual([]);
    expect(deploy.image.pull).toMatchObject({ policies: ['if-not-present', 'always'], source: 'job-file' });
    expect(deploy.when).toBe('manual');
    expect(deploy.allowFailure).toBe(true);
  });

  it('plans tags, artifacts:reports and environment instead of warning about them', () => {
    expect(plan.warnings).toEqual([]);
    expect(rspec.tags).toEqual(['docker']);
    expect(rspec.artifacts?.reports).toEqual([{ type: 'junit', paths: ['rspec.xml'] }]);
    expect(job(plan, 'deploy').environment).toEqual({ name: 'production', action: 'start' });
  });

  it('keeps the global cache with an expanded key', () => {
    expect(rspec.caches[0]?.paths).toEqual(['vendor/bundle']);
    expect(rspec.caches[0]?.key.kind).toBe('literal');
  });
});

describe('an AlloyCI pipeline (.alloy-ci.json)', async () => {
  const plan = await load(join(FIXTURES, 'alloy'));

  it('treats every non-keyword key as a job, names like "test:2.1" included', () => {
    expect(plan.format).toBe('alloy-ci');
    expect(plan.file).toBe('.alloy-ci.json');
    expect(plan.stages).toEqual(['.pre', 'test', 'deploy', '.post']);
    expect(plan.jobs.map((j) => j.name)).toEqual(['test:2.1', 'credo', 'release']);
  });

  it('applies top-level image, services, variables and before_script', () => {
    const t = job(plan, 'test:2.1');
    expect(t.image.ref.written).toBe('elixir:1.16-alpine');
    expect(t.services.map((s) => s.name)).toEqual(['postgres:15', 'redis:7']);
    const credo = job(plan, 'credo');
    expect(credo.image.ref.written).toBe('elixir:1.16');
    expect(credo.services.map((s) => s.name)).toEqual(['postgres:16']);
    expect(credo.beforeScript).toEqual(['mix local.hex --force', 'mix deps.get']);
    expect(variable(credo, 'MIX_ENV')).toBe('test');
    expect(credo.caches[0]?.paths).toEqual(['deps', '_build']);
    expect(job(plan, 'release').when).toBe('manual');
  });

  it('reports positions inside the JSON file', () => {
    expect(job(plan, 'credo').where).toEqual({ file: '.alloy-ci.json', line: 21, col: 3 });
  });
});

describe('include: local files and globs', async () => {
  const plan = await load(join(FIXTURES, 'includes'));

  it('merges included files under the including one, which wins', () => {
    expect(plan.jobs.map((j) => j.name).sort()).toEqual(['build', 'test']);
    const test = job(plan, 'test');
    expect(test.image.ref.written).toBe('busybox:1.36');
    expect(variable(test, 'FROM_BASE')).toBe('yes');
    expect(variable(test, 'FROM_MAIN')).toBe('yes');
    expect(variable(test, 'LEVEL')).toBe('main');
    expect(variable(test, 'OTHER')).toBe('kept');
  });

  it('points at the included file in positions', () => {
    expect(job(plan, 'build').where.file).toBe('ci/jobs-build.yml');
  });
});
