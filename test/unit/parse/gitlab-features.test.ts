// One GitLab CI feature per test, on small inline pipelines.

import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRunnerConfig } from '../../../main/parse/runner-config.js';
import { job, loadError, loadYaml, variable, writeProject, load } from './helpers.js';

describe('jobs and defaults', () => {
  it('applies GitLab defaults: stage test, when on_success, 1 h timeout, no needs, stage order', async () => {
    const plan = await loadYaml('image: busybox:1.36\nbuild:\n  stage: build\n  script: make\ntest:\n  script: [make test]\n.hidden:\n  script: nope\n');
    expect(plan.stages).toEqual(['.pre', 'build', 'test', 'deploy', '.post']);
    const test = job(plan, 'test');
    expect(test).toMatchObject({ stage: 'test', stageIndex: 2, when: 'on_success', allowFailure: false, timeoutMs: 3_600_000, needs: null, dependencies: null });
    expect(plan.jobs.map((j) => j.name)).toEqual(['build', 'test']);
  });

  it('flattens nested script lists and keeps multi-line scripts whole', async () => {
    const plan = await loadYaml('t:\n  image: busybox:1.36\n  script:\n    - [a, [b, c]]\n    - |\n      if true; then\n        echo d\n      fi\n');
    expect(job(plan, 't').script).toEqual(['a', 'b', 'c', 'if true; then\n  echo d\nfi\n']);
  });

  it('lets default: win over the deprecated top-level keywords, and the job win over both', async () => {
    const plan = await loadYaml('image: old:1\nbefore_script: [old]\ndefault:\n  image: new:1\na:\n  script: x\nb:\n  image: own:1\n  before_script: []\n  script: x\n');
    expect(job(plan, 'a').image.ref.written).toBe('new:1');
    expect(job(plan, 'a').beforeScript).toEqual(['old']);
    expect(job(plan, 'b').image.ref.written).toBe('own:1');
    expect(job(plan, 'b').beforeScript).toEqual([]);
  });

  it('honours inherit: default: false and inherit: variables: [list]', async () => {
    const plan = await loadYaml('variables: {A: "1", B: "2"}\ndefault:\n  before_script: [setup]\n  image: busybox:1.36\nt:\n  image: busybox:1.36\n  inherit:\n    default: false\n    variables: [B]\n  script: x\n');
    const t = job(plan, 't');
    expect(t.beforeScript).toEqual([]);
    expect(variable(t, 'A')).toBeUndefined();
    expect(variable(t, 'B')).toBe('2');
  });

  it('multi-level and multiple extends deep-merge mappings and replace lists', async () => {
    const plan = await loadYaml(
      '.base:\n  image: busybox:1.36\n  variables: {A: base, B: base}\n  script: [base]\n' +
        '.mid:\n  extends: .base\n  variables: {B: mid}\n' +
        '.other:\n  variables: {C: other}\n  tags: [x]\n' +
        't:\n  extends: [.mid, .other]\n  script: [own]\n',
    );
    const t = job(plan, 't');
    expect(t.script).toEqual(['own']);
    expect([variable(t, 'A'), variable(t, 'B'), variable(t, 'C')]).toEqual(['base', 'mid', 'other']);
    expect(t.tags).toEqual(['x']);
    expect(plan.warnings).toEqual([]);
  });

  it('uses the stages list, always with .pre first and .post last', async () => {
    const plan = await loadYaml('stages: [.post, lint, .pre, ship]\nt:\n  image: busybox:1.36\n  stage: ship\n  script: x\n');
    expect(plan.stages).toEqual(['.pre', 'lint', 'ship', '.post']);
    expect(job(plan, 't').stageIndex).toBe(2);
  });
});

describe('rules', () => {
  const yaml = (rules: string): string => `variables: {DEPLOY: "no"}\nt:\n  image: busybox:1.36\n  script: x\n  rules:\n${rules}`;

  it('picks the first matching rule with its when, allow_failure and variables', async () => {
    const plan = await loadYaml(yaml('    - if: $DEPLOY == "yes"\n      when: never\n    - if: $CI_JOB_NAME =~ /^t$/\n      when: manual\n      allow_failure: true\n      variables: {FROM_RULE: "1", DEPLOY: maybe}\n'));
    const t = job(plan, 't');
    expect(t.when).toBe('manual');
    expect(t.allowFailure).toBe(true);
    expect(variable(t, 'FROM_RULE')).toBe('1');
    expect(t.variables.find((v) => v.key === 'DEPLOY')).toMatchObject({ value: 'maybe', source: 'rules' });
  });

  it('marks a job with no matching rule as when: never', async () => {
    const plan = await loadYaml(yaml('    - if: $DEPLOY == "yes"\n'));
    expect(job(plan, 't').when).toBe('never');
  });

  it('sees --var values', async () => {
    const plan = await loadYaml(yaml('    - if: $DEPLOY == "yes"\n      when: always\n'), { variables: { DEPLOY: 'yes' } });
    expect(job(plan, 't').when).toBe('always');
  });

  it('evaluates exists against the project files; changes outside a git repository counts as changed, with a warning', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml': 'a:\n  image: busybox:1.36\n  script: x\n  rules:\n    - exists: [Dockerfile]\nb:\n  image: busybox:1.36\n  script: x\n  rules:\n    - exists: ["**/*.go"]\nc:\n  image: busybox:1.36\n  script: x\n  rules:\n    - changes: [src/**/*]\n',
      'Dockerfile': 'FROM scratch\n',
    });
    const plan = await load(dir);
    expect(plan.jobs.map((j) => [j.name, j.when])).toEqual([['a', 'on_success'], ['b', 'never'], ['c', 'on_success']]);
    expect(plan.warnings.map((w) => w.message)).toContain('changes: counted as changed, as GitLab does when it has no list of changed files: the project is not a git repository');
  });
});

describe('images, services and pull policies', () => {
  it('reads image as a mapping with entrypoint, docker user and pull policy list', async () => {
    const plan = await loadYaml('t:\n  image:\n    name: 127.0.0.1:5000/team/app:1\n    entrypoint: ["/bin/sh", "-c"]\n    docker: {user: "1000"}\n    pull_policy: if-not-present\n  script: x\n');
    const t = job(plan, 't');
    expect(t.image.ref.registry).toBe('127.0.0.1:5000');
    expect(t.image.entrypoint).toEqual(['/bin/sh', '-c']);
    expect(t.image.user).toBe('1000');
    expect(t.docker.user).toBe('1000');
    // Without a config.toml, the built-in runner defaults decide what is allowed.
    expect(t.image.pull).toEqual({ policies: ['if-not-present'], source: 'job-file', allowed: defaultRunnerConfig().runner.allowedPullPolicies, allowedSource: 'default' });
    expect(t.image.where).toEqual({ file: '.gitlab-ci.yml', line: 3, col: 11 });
  });

  it('expands variables in image names', async () => {
    const plan = await loadYaml('variables: {TAG: "3.3"}\nt:\n  image: ruby:$TAG\n  script: x\n');
    expect(job(plan, 't').image.ref.written).toBe('ruby:3.3');
  });

  it('reads services with alias lists, command, entrypoint, variables and pull_policy', async () => {
    const plan = await loadYaml(
      't:\n  image: busybox:1.36\n  script: x\n  variables: {PORT: "8080"}\n  services:\n' +
        '    - name: registry.example.com:4999/tutum/wordpress:latest\n      alias: wp, blog\n      command: ["httpd", "-p", "$PORT"]\n      entrypoint: [""]\n' +
        '      variables: {LISTEN: "0.0.0.0:$PORT"}\n      pull_policy: [never]\n',
    );
    const [wp] = job(plan, 't').services;
    expect(wp).toMatchObject({
      name: 'registry.example.com:4999/tutum/wordpress:latest',
      derivedAliases: ['registry.example.com__tutum__wordpress', 'registry.example.com-tutum-wordpress'],
      customAliases: ['wp', 'blog'],
      aliases: ['registry.example.com__tutum__wordpress', 'registry.example.com-tutum-wordpress', 'wp', 'blog'],
      command: ['httpd', '-p', '$PORT'],
      entrypoint: [],
      variables: [{ key: 'LISTEN', value: '0.0.0.0:8080', masked: false, source: 'service' }],
    });
    expect(wp?.image.pull.policies).toEqual(['never']);
  });

  it('reports an invalid image reference at its position', async () => {
    const message = await loadError('t:\n  script: x\n  image: "Busybox:1.36"\n');
    expect(message).toMatch(/^\.gitlab-ci\.yml:3:10: job "t": invalid image reference "Busybox:1\.36": /);
  });
});

describe('needs and dependencies', () => {
  it('accepts empty needs, and drops an optional need on a missing job (as GitLab)', async () => {
    const plan = await loadYaml('default: {image: "busybox:1.36"}\na:\n  script: x\n  needs: []\nb:\n  script: x\n  needs:\n    - job: gone\n      optional: true\n    - a\n');
    expect(job(plan, 'a').needs).toEqual([]);
    expect(job(plan, 'b').needs).toEqual([{ job: 'a', artifacts: true, optional: false }]);
  });

  it('reads dependencies and checks them against needs', async () => {
    const plan = await loadYaml('default: {image: "busybox:1.36"}\nbuild:\n  stage: build\n  script: x\ntest:\n  script: x\n  dependencies: [build]\n');
    expect(job(plan, 'test').dependencies).toEqual(['build']);
    const message = await loadError('default: {image: "busybox:1.36"}\nbuild:\n  stage: build\n  script: x\nlint:\n  stage: build\n  script: x\ntest:\n  script: x\n  needs: [lint]\n  dependencies: [build]\n');
    expect(message).toBe('.gitlab-ci.yml:11:18: job "test": dependency "build" should be part of needs');
  });

  it('reports a self-need as a cycle', async () => {
    expect(await loadError('a:\n  image: busybox:1.36\n  script: x\n  needs: [a]\n')).toBe('.gitlab-ci.yml:4:11: circular dependency detected in `needs`: a → a');
  });
});

describe('cache and artifacts', () => {
  it('reads several caches with key files, prefix, fallback keys, policy and when', async () => {
    const plan = await loadYaml(
      'variables: {P: "$CI_JOB_NAME"}\nt:\n  image: busybox:1.36\n  script: x\n  cache:\n    - key: {files: [Gemfile.lock], prefix: $P}\n      paths: [vendor/ruby, "$CI_PROJECT_DIR/.bundle"]\n' +
        '      policy: pull\n    - key: yarn-$CI_JOB_NAME\n      paths: [.yarn]\n      when: always\n      untracked: true\n      fallback_keys: [yarn-main]\n',
    );
    const [gems, yarn] = job(plan, 't').caches;
    expect(gems).toMatchObject({ key: { kind: 'files', files: ['Gemfile.lock'], prefix: 't' }, paths: ['vendor/ruby', '.bundle'], policy: 'pull', when: 'on_success' });
    expect(yarn).toMatchObject({ key: { kind: 'literal', value: 'yarn-t' }, paths: ['.yarn'], policy: 'pull-push', when: 'always', untracked: true, fallbackKeys: ['yarn-main'] });
  });

  it('rejects a path that climbs out of the project even after normalising', async () => {
    expect(await loadError('t:\n  image: busybox:1.36\n  script: x\n  artifacts:\n    paths: [build/../../secrets]\n')).toBe(
      '.gitlab-ci.yml:5:13: job "t": artifacts:paths "build/../../secrets" is outside the project directory; use a path inside it',
    );
  });

  it('reports unknown cache and artifacts keys with a suggestion, or the allowed ones', async () => {
    expect(await loadError('t:\n  image: busybox:1.36\n  script: x\n  cache: {key: k, path: [x]}\n')).toBe(
      '.gitlab-ci.yml:4:19: job "t": cache has unknown key "path"; did you mean "paths"?',
    );
    expect(await loadError('t:\n  image: busybox:1.36\n  script: x\n  artifacts: {zzz: 1}\n')).toBe(
      '.gitlab-ci.yml:4:15: job "t": artifacts has unknown key "zzz" (allowed: paths, exclude, untracked, when, expire_in, name, reports, expose_as, public, access)',
    );
  });
});

describe('variables', () => {
  it('gives every job the predefined CI_* variables first, then global, job, cli and secrets', async () => {
    const plan = await loadYaml('variables:\n  G: global\n  DESC: {value: described, description: shown in UI}\n  RAW: {value: "$G", expand: false}\nt:\n  image: busybox:1.36\n  script: x\n  variables: {J: "$G-job"}\n', {
      variables: { C: 'cli' },
      secrets: { S: 'hidden' },
      pipelineId: 7,
    });
    const t = job(plan, 't');
    const keys = t.variables.map((v) => v.key);
    expect(keys[0]).toBe('CI');
    expect(keys.slice(-6)).toEqual(['G', 'DESC', 'RAW', 'J', 'C', 'S']);
    expect([variable(t, 'J'), variable(t, 'DESC'), variable(t, 'RAW')]).toEqual(['global-job', 'described', '$G']);
    expect(variable(t, 'CI_PIPELINE_ID')).toBe('7');
    expect(variable(t, 'CI_JOB_ID')).toBe('7001');
    expect(variable(t, 'CI_PROJECT_DIR')).toBe(t.projectDirInContainer);
    expect(t.projectDirInContainer).toBe(`/builds/${plan.projectPath}`);
    expect(t.variables.find((v) => v.key === 'S')).toEqual({ key: 'S', value: 'hidden', masked: true, source: 'secret' });
  });

  it('reads secrets from .jobsim/secrets.env, masked, and --secret wins', async () => {
    const dir = writeProject({
      '.gitlab-ci.yml': 't:\n  image: busybox:1.36\n  script: x\n',
      '.jobsim/secrets.env': '# comment\nexport TOKEN="abc def"\nOTHER=plain # trailing\n',
    });
    const t = job(await load(dir, { secrets: { OTHER: 'cli' } }), 't');
    expect(t.variables.filter((v) => v.source === 'secret')).toEqual([
      { key: 'TOKEN', value: 'abc def', masked: true, source: 'secret' },
      { key: 'OTHER', value: 'cli', masked: true, source: 'secret' },
    ]);
  });

  it('reports a malformed secrets file line without echoing it', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': 't:\n  image: busybox:1.36\n  script: x\n', '.jobsim/secrets.env': 'OK=1\nnot a pair s3cr3t\n' });
    const error = await load(dir).then(() => '', (e: Error) => e.message);
    expect(error).toBe('.jobsim/secrets.env:2:1: expected KEY=value (letters, digits and _ in KEY)');
    expect(error).not.toContain('s3cr3t');
  });
});

describe('error reporting', () => {
  it('rejects a CI file over 10 MB without parsing it', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': '' });
    truncateSync(join(dir, '.gitlab-ci.yml'), 10 * 1024 * 1024 + 1);
    await expect(load(dir)).rejects.toThrow('.gitlab-ci.yml:1:1: file is too large (10.0 MB; the limit is 10 MB)');
  });

  it('reports every problem of the file at once, in file order', async () => {
    const message = await loadError('a:\n  image: busybox:1.36\n  script: x\n  when: later\nb:\n  image: busybox:1.36\n  script: x\n  stage: nope\n');
    expect(message.split('\n')).toEqual([
      '.gitlab-ci.yml:4:9: job "a": when should be one of on_success, on_failure, always, manual, delayed, not "later"',
      '.gitlab-ci.yml:8:10: job "b": chosen stage "nope" does not exist (stages: .pre, build, test, deploy, .post)',
    ]);
  });

  it('names the file when no CI file is found', async () => {
    const dir = writeProject({ 'README.md': 'x' });
    await expect(load(dir)).rejects.toThrow(`no CI file in ${dir}: expected .gitlab-ci.yml or .alloy-ci.json (or pass --file)`);
  });

  it('warns once about each include it cannot read offline, and says how to provide it', async () => {
    const plan = await loadYaml('include:\n  - remote: https://example.com/ci.yml\n  - template: Auto-DevOps.gitlab-ci.yml\nt:\n  image: busybox:1.36\n  script: x\n');
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'include:remote https://example.com/ci.yml cannot be read: jobsim works offline (JOBSIM_OFFLINE=1). To use it, run jobsim once while online to keep a copy; jobs that depend on it are listed as broken',
      "include:template Auto-DevOps.gitlab-ci.yml cannot be read: no GitLab server is known (the project has no origin remote). To use it, run jobsim once while online (the server is the origin remote's host, or --server-url) to keep a copy; jobs that depend on it are listed as broken",
    ]);
    expect(plan.jobs.map((j) => j.name)).toEqual(['t']);
  });
});

describe('secrets in messages', () => {
  it('never shows a secret value, even when it was expanded into an invalid image name', async () => {
    const error = await loadYaml('t:\n  image: "registry.example.com/$TOKEN:UPPER CASE"\n  script: x\n', { secrets: { TOKEN: 'S3CR3T-value' } }).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(error).toMatch(/^\.gitlab-ci\.yml:2:10: job "t": invalid image reference "registry\.example\.com\/\[MASKED\]:UPPER CASE"/);
    expect(error).not.toContain('S3CR3T');
  });
});

describe('when: delayed', () => {
  it('is planned as delayed with its start_in, without warnings (the wait itself is issue 16)', async () => {
    const plan = await loadYaml('t:\n  image: busybox:1.36\n  script: x\n  when: delayed\n  start_in: 5 minutes\n');
    expect(job(plan, 't')).toMatchObject({ when: 'delayed', startInMs: 5 * 60_000 });
    expect(plan.warnings).toEqual([]);
  });
});

describe('script', () => {
  it('cannot be blank', async () => {
    expect(await loadError('t:\n  image: busybox:1.36\n  script: []\n')).toBe(".gitlab-ci.yml:3:11: job \"t\": script can't be blank");
  });
});

describe('needs on a job excluded by rules', () => {
  it('warns the way GitLab would reject it, unless the need is optional', async () => {
    const plan = await loadYaml(
      'default: {image: "busybox:1.36"}\nbuild:\n  stage: build\n  script: x\n  rules:\n    - if: $NOPE\ntest:\n  script: x\n  needs: [build]\nlint:\n  script: x\n  needs: [{job: build, optional: true}]\n',
    );
    expect(job(plan, 'build').when).toBe('never');
    expect(plan.warnings).toEqual([
      {
        message: "'test' job needs 'build' job, but 'build' is not in any previous stage (its rules exclude it); GitLab would reject this pipeline — use needs:optional or adjust the rules",
        where: { file: '.gitlab-ci.yml', line: 9, col: 11 },
      },
    ]);
  });
});
