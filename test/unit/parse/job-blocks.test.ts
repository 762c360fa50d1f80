// One job's problem is that job's problem: a job GitLab accepts but jobsim cannot run is listed with its
// reason (JobPlan.blocked), and the rest of the file still loads.

import { describe, expect, it } from 'vitest';
import { jobState, jobStateReason } from '../../../shared/job-state.js';
import { job, load, loadError, loadYaml, writeProject } from './helpers.js';

describe('a job without an image', () => {
  it('needs an image when neither the runner config nor --default-image gives one, and the file still loads', async () => {
    const plan = await loadYaml('build:\n  image: busybox:1.36\n  script: [make]\ntest:\n  script: [make test]\n');
    expect(jobState(job(plan, 'build'))).toBe('runnable');
    const t = job(plan, 'test');
    expect(jobState(t)).toBe('needs-image');
    expect(jobStateReason(t)).toContain('runner config');
    expect(jobStateReason(t)).toContain('--default-image REF');
  });

  it('takes the runner config image first', async () => {
    const dir = writeProject({ '.gitlab-ci.yml': 'test:\n  script: [x]\n', 'runner.toml': '[[runners]]\nexecutor = "docker"\n[runners.docker]\nimage = "alpine:3.20"\n' });
    const plan = await load(dir, { runnerConfig: 'runner.toml', defaultImage: 'busybox:1.36' });
    expect(job(plan, 'test').image.ref.written).toBe('alpine:3.20');
    expect(job(plan, 'test').blocked).toBeUndefined();
  });

  it('takes --default-image when the runner config has none', async () => {
    const plan = await loadYaml('test:\n  script: [x]\n', { defaultImage: 'busybox:1.36' });
    expect(job(plan, 'test').image.ref.written).toBe('busybox:1.36');
    expect(jobState(job(plan, 'test'))).toBe('runnable');
  });

  it('takes default:image before either', async () => {
    const plan = await loadYaml('default:\n  image: ruby:3.3\ntest:\n  script: [x]\n', { defaultImage: 'busybox:1.36' });
    expect(job(plan, 'test').image.ref.written).toBe('ruby:3.3');
  });
});

describe('jobs for a runner that is not Docker', () => {
  it('are listed as needing that runner, with their tags (OpenRGB, fdroidserver)', async () => {
    const plan = await loadYaml(
      'linux:\n  image: busybox:1.36\n  script: [x]\n' +
        'Windows 64:\n  tags: [shared-windows, windows]\n  script: [build.ps1]\n' +
        'macOS:\n  tags: [saas-macos-medium-m1]\n  image: macos-14-xcode-15\n  script: [brew install x]\n',
    );
    expect(jobState(job(plan, 'linux'))).toBe('runnable');
    expect(job(plan, 'Windows 64').blocked).toEqual({ kind: 'needs-runner', runner: 'Windows', tags: ['shared-windows', 'windows'], message: 'needs a Windows runner (tags: shared-windows, windows)' });
    expect(jobStateReason(job(plan, 'macOS'))).toBe('needs a macOS runner (tags: saas-macos-medium-m1)');
  });

  it('are told by their image too, and the runner reason wins over a missing image', async () => {
    const plan = await loadYaml('win:\n  image: mcr.microsoft.com/windows/servercore:ltsc2019\n  script: [dir]\nshell:\n  tags: [shell]\n  script: [x]\n');
    expect(jobStateReason(job(plan, 'win'))).toBe('needs a Windows runner (image mcr.microsoft.com/windows/servercore:ltsc2019)');
    expect(jobState(job(plan, 'shell'))).toBe('needs-runner');
  });

  it('reads tags from default: and from extends', async () => {
    const plan = await loadYaml('.win:\n  tags: [windows]\ndefault:\n  tags: [macos]\na:\n  extends: .win\n  script: [x]\nb:\n  script: [x]\n');
    expect(job(plan, 'a').blocked).toMatchObject({ runner: 'Windows' });
    expect(job(plan, 'b').blocked).toMatchObject({ runner: 'macOS' });
  });

  it('applies to each instance of a parallel:matrix job with its own tag values', async () => {
    const plan = await loadYaml('build:\n  image: busybox:1.36\n  parallel:\n    matrix:\n      - OS: [linux, windows]\n  tags: [$OS]\n  script: [x]\n');
    expect(jobState(job(plan, 'build: [linux]'))).toBe('runnable');
    expect(jobState(job(plan, 'build: [windows]'))).toBe('needs-runner');
  });
});

describe('image names built from variables', () => {
  it('an unset variable blocks that job only (it may come from a server or a dotenv report)', async () => {
    const plan = await loadYaml('ok:\n  image: busybox:1.36\n  script: [x]\nci:\n  image: $UPSTREAM_REGISTRY/ci:latest\n  script: [x]\n');
    expect(jobState(job(plan, 'ok'))).toBe('runnable');
    const ci = job(plan, 'ci');
    expect(ci.blocked).toMatchObject({ kind: 'broken', where: { line: 5 } });
    expect(jobStateReason(ci)).toBe('image "$UPSTREAM_REGISTRY/ci:latest" uses $UPSTREAM_REGISTRY, which is not set here (a server or a dotenv report may set it); set it with --var UPSTREAM_REGISTRY=VALUE');
  });

  it('the same variable set with --var makes the job runnable', async () => {
    const plan = await loadYaml('ci:\n  image: $REG/ci:latest\n  script: [x]\n', { variables: { REG: 'registry.example.com/group' } });
    expect(job(plan, 'ci').image.ref.written).toBe('registry.example.com/group/ci:latest');
    expect(job(plan, 'ci').blocked).toBeUndefined();
  });

  it('a services name with an unset variable blocks the job', async () => {
    const plan = await loadYaml('t:\n  image: busybox:1.36\n  services: ["$DB_IMAGE"]\n  script: [x]\n');
    expect(jobStateReason(job(plan, 't'))).toMatch(/^services "\$DB_IMAGE" uses \$DB_IMAGE/);
  });

  it('a name invalid only because of what a variable holds blocks the job; one invalid as written is the file\'s error', async () => {
    const plan = await loadYaml('variables:\n  TAG: "Not Valid"\nt:\n  image: ruby:$TAG\n  script: [x]\n');
    expect(job(plan, 't').blocked?.kind).toBe('broken');
    expect(jobStateReason(job(plan, 't'))).toMatch(/^image "ruby:\$TAG" expands to an invalid image reference "ruby:Not Valid"/);
    expect(await loadError('t:\n  image: "Ruby:3"\n  script: [x]\n')).toMatch(/^\.gitlab-ci\.yml:2:10: job "t": invalid image reference "Ruby:3"/);
  });

  it('never shows a secret value in the reason', async () => {
    const plan = await loadYaml('t:\n  image: "registry.example.com/x:$TOKEN"\n  script: x\n', { secrets: { TOKEN: 'S3CR3T value' } });
    expect(jobStateReason(job(plan, 't'))).toContain('[MASKED]');
    expect(JSON.stringify(job(plan, 't').blocked)).not.toContain('S3CR3T');
  });
});

describe('needs and dependencies on a job that cannot run', () => {
  it('a job that needs a blocked job is blocked, naming it (transitively); the file stays valid', async () => {
    const plan = await loadYaml(
      'win:\n  stage: build\n  tags: [windows]\n  script: [x]\n' +
        'pack:\n  stage: test\n  image: busybox:1.36\n  needs: [win]\n  script: [x]\n' +
        'publish:\n  stage: deploy\n  image: busybox:1.36\n  needs: [pack]\n  script: [x]\n' +
        'other:\n  stage: test\n  image: busybox:1.36\n  script: [x]\n',
    );
    expect(job(plan, 'pack').blocked).toMatchObject({ kind: 'broken', message: 'needs job "win", which cannot run here: needs a Windows runner (tags: windows)', where: { line: 8 } });
    expect(jobStateReason(job(plan, 'publish'))).toBe('needs job "pack", which cannot be read: needs job "win", which cannot run here: needs a Windows runner (tags: windows)');
    expect(jobState(job(plan, 'other'))).toBe('runnable');
  });

  it('a dependency on a blocked job blocks the job too', async () => {
    const plan = await loadYaml('a:\n  stage: build\n  script: [x]\nb:\n  stage: test\n  image: busybox:1.36\n  dependencies: [a]\n  script: [x]\n');
    expect(jobStateReason(job(plan, 'b'))).toMatch(/^takes artifacts from job "a", which cannot run here: has no image/);
  });

  it('a need on a job whose extends failed names that failure instead of "not defined"', async () => {
    const message = await loadError('a:\n  extends: .missing\n  image: busybox:1.36\n  script: [x]\nb:\n  image: busybox:1.36\n  needs: [a]\n  script: [x]\n');
    expect(message).toContain('job "b" needs "a", which cannot be read: job "a" extends unknown ".missing"');
    expect(message).not.toContain('not defined');
  });

  it('a need on a job that really does not exist still says "not defined"', async () => {
    expect(await loadError('b:\n  image: busybox:1.36\n  needs: [nope]\n  script: [x]\n')).toContain('job "b" needs "nope", which is not defined');
  });

  it('a job excluded by rules does not pass its block on', async () => {
    const plan = await loadYaml('a:\n  tags: [windows]\n  rules: [{when: never}]\n  script: [x]\nb:\n  image: busybox:1.36\n  needs: [{job: a, optional: true}]\n  script: [x]\n');
    expect(jobState(job(plan, 'a'))).toBe('excluded');
    expect(jobState(job(plan, 'b'))).toBe('runnable');
  });
});
