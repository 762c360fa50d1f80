// `parallel: N` and `parallel:matrix`, on the examples of GitLab's CI YAML reference (docs.gitlab.com,
// "parallel", "parallel:matrix", "needs:parallel:matrix") and the names its normalizer gives.

import { describe, expect, it } from 'vitest';
import { selectJobs } from '../../../main/parse/select.js';
import { job, loadError, loadYaml, variable } from './helpers.js';

describe('parallel: N', () => {
  it('makes N jobs named "job i/N" with CI_NODE_INDEX and CI_NODE_TOTAL, in place of the written job', async () => {
    const plan = await loadYaml('image: busybox:1.36\nbuild:\n  stage: build\n  script: make\ntest:\n  script: rspec\n  parallel: 5\ndeploy:\n  stage: deploy\n  script: ship\n');
    expect(plan.jobs.map((j) => j.name)).toEqual(['build', 'test 1/5', 'test 2/5', 'test 3/5', 'test 4/5', 'test 5/5', 'deploy']);
    const third = job(plan, 'test 3/5');
    expect([variable(third, 'CI_NODE_INDEX'), variable(third, 'CI_NODE_TOTAL'), variable(third, 'CI_JOB_NAME')]).toEqual(['3', '5', 'test 3/5']);
    expect(third.parallel).toEqual({ job: 'test', index: 3, total: 5, matrix: [] });
    expect(variable(job(plan, 'build'), 'CI_NODE_TOTAL')).toBe('1');
    expect(variable(job(plan, 'build'), 'CI_NODE_INDEX')).toBeUndefined();
  });

  it('refuses what GitLab refuses: 0, more than 200, text', async () => {
    for (const value of ['0', '201', 'many']) {
      expect(await loadError(`t:\n  image: busybox:1.36\n  script: x\n  parallel: ${value}\n`)).toMatch(/\.gitlab-ci\.yml:4:\d+.*parallel should be an integer from 1 to 200/);
    }
  });
});

describe('parallel:matrix', () => {
  const deploystacks = [
    'deploystacks:',
    '  stage: deploy',
    '  image: busybox:1.36',
    '  script:',
    '    - bin/deploy',
    '  parallel:',
    '    matrix:',
    '      - PROVIDER: aws',
    '        STACK:',
    '          - monitoring',
    '          - app1',
    '          - app2',
    '      - PROVIDER: [gcp, vultr]',
    '        STACK: [data, processing]',
    '  environment: $PROVIDER/$STACK',
    '',
  ].join('\n');

  it('makes one job per combination, named as GitLab names them, each with its values as variables', async () => {
    const plan = await loadYaml(deploystacks);
    expect(plan.jobs.map((j) => j.name)).toEqual([
      'deploystacks: [aws, monitoring]',
      'deploystacks: [aws, app1]',
      'deploystacks: [aws, app2]',
      'deploystacks: [gcp, data]',
      'deploystacks: [gcp, processing]',
      'deploystacks: [vultr, data]',
      'deploystacks: [vultr, processing]',
    ]);
    const one = job(plan, 'deploystacks: [gcp, processing]');
    expect([variable(one, 'PROVIDER'), variable(one, 'STACK'), variable(one, 'CI_NODE_INDEX'), variable(one, 'CI_NODE_TOTAL')]).toEqual(['gcp', 'processing', '5', '7']);
    expect(one.parallel).toEqual({ job: 'deploystacks', index: 5, total: 7, matrix: [{ key: 'PROVIDER', value: 'gcp' }, { key: 'STACK', value: 'processing' }] });
  });

  it('lets matrix values reach the image, services, cache keys and rules, and override the job’s own variables', async () => {
    const plan = await loadYaml(
      [
        'test:',
        '  image: ruby:$RUBY',
        '  variables: {RUBY: "2.7", DB: none}',
        '  services: [postgres:$PG]',
        '  cache: {key: gems-$RUBY, paths: [vendor]}',
        '  script: rake',
        '  rules:',
        '    - if: $RUBY == "3.3"',
        '      when: manual',
        '    - when: on_success',
        '  parallel:',
        '    matrix:',
        '      - RUBY: ["3.2", "3.3"]',
        '        PG: 16',
        '',
      ].join('\n'),
    );
    const a = job(plan, 'test: [3.2, 16]');
    expect(a.image.ref.written).toBe('ruby:3.2');
    expect(a.services.map((s) => s.image.ref.written)).toEqual(['postgres:16']);
    expect(a.caches[0]?.key).toEqual({ kind: 'literal', value: 'gems-3.2' });
    expect(a.when).toBe('on_success');
    expect(variable(a, 'DB')).toBe('none');
    expect(job(plan, 'test: [3.3, 16]').when).toBe('manual');
  });

  it('a need or dependency on a parallel job means all its instances; needs:parallel:matrix picks some', async () => {
    const plan = await loadYaml(
      [
        'image: busybox:1.36',
        'build:',
        '  stage: build',
        '  script: make',
        '  parallel:',
        '    matrix:',
        '      - OS: [linux, mac]',
        '        ARCH: [amd64, arm64]',
        'shards:',
        '  stage: build',
        '  script: make',
        '  parallel: 2',
        'all:',
        '  script: check',
        '  needs: [build]',
        'deps:',
        '  script: check',
        '  dependencies: [shards]',
        'one:',
        '  script: check',
        '  needs: ["build: [linux, arm64]"]',
        'some:',
        '  script: check',
        '  needs:',
        '    - job: build',
        '      artifacts: false',
        '      parallel:',
        '        matrix:',
        '          - OS: mac',
        '            ARCH: [amd64, arm64]',
        '',
      ].join('\n'),
    );
    expect(job(plan, 'all').needs?.map((n) => n.job)).toEqual(['build: [linux, amd64]', 'build: [linux, arm64]', 'build: [mac, amd64]', 'build: [mac, arm64]']);
    expect(job(plan, 'deps').dependencies).toEqual(['shards 1/2', 'shards 2/2']);
    expect(job(plan, 'one').needs).toEqual([{ job: 'build: [linux, arm64]', artifacts: true, optional: false }]);
    expect(job(plan, 'some').needs).toEqual([
      { job: 'build: [mac, amd64]', artifacts: false, optional: false },
      { job: 'build: [mac, arm64]', artifacts: false, optional: false },
    ]);
  });

  it('refuses a matrix that makes more than 200 jobs, and values that are not strings, with file:line', async () => {
    const values = Array.from({ length: 15 }, (_, i) => `v${i}`).join(', ');
    expect(await loadError(`t:\n  image: busybox:1.36\n  script: x\n  parallel:\n    matrix:\n      - A: [${values}]\n        B: [${values}]\n`)).toMatch(/\.gitlab-ci\.yml:6:\d+.*generates too many jobs \(maximum is 200\)/);
    expect(await loadError('t:\n  image: busybox:1.36\n  script: x\n  parallel:\n    matrix:\n      - A: {x: 1}\n')).toMatch(/\.gitlab-ci\.yml:6:\d+.*A should be a string or a list of strings/);
    expect(await loadError('t:\n  image: busybox:1.36\n  script: x\n  parallel:\n    matrics: []\n')).toMatch(/unknown keys: matrics/);
  });
});

describe('choosing parallel jobs by name', () => {
  it('the written name picks every instance; an instance name picks one', async () => {
    const plan = await loadYaml('image: busybox:1.36\nt:\n  script: x\n  parallel: 3\nu:\n  script: y\n');
    expect(selectJobs(plan, ['t'], false).map((j) => j.name)).toEqual(['t 1/3', 't 2/3', 't 3/3']);
    expect(selectJobs(plan, ['t 2/3'], false).map((j) => j.name)).toEqual(['t 2/3']);
  });
});
