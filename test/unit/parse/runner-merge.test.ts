// How the runner's config.toml merges into each job (the config itself is parsed by runner-config.ts).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, job, load, variable, writeProject } from './helpers.js';

const RUNNER = join(FIXTURES, 'runner', 'config.toml');
const project = (yaml: string): string => writeProject({ '.gitlab-ci.yml': yaml });

describe('runner config merged into jobs', () => {
  it('gives a job without image the runner image, plus runner services, environment and container settings', async () => {
    const plan = await load(project('t:\n  script: x\n'), { runnerConfig: RUNNER });
    const t = job(plan, 't');
    expect(plan.runner.file).toBe(RUNNER);
    expect(t.image.ref.written).toBe('ruby:3.3');
    expect(t.services.map((s) => [s.name, s.aliases])).toEqual([
      ['postgres:16', ['postgres']],
      ['redis:7', ['redis', 'cache']],
    ]);
    expect(t.variables.find((v) => v.key === 'RUNNER_ENV')).toEqual({ key: 'RUNNER_ENV', value: 'local', masked: false, source: 'runner' });
    expect(t.docker).toMatchObject({ privileged: true, capAdd: ['NET_ADMIN'], extraHosts: ['gitlab.local:10.0.0.2'] });
  });

  it("uses the runner's pull_policy unless the job file sets one", async () => {
    const plan = await load(project('a:\n  image: busybox:1.36\n  script: x\nb:\n  image: {name: "busybox:1.36", pull_policy: never}\n  script: x\n'), { runnerConfig: RUNNER });
    expect(job(plan, 'a').image.pull).toEqual({ policies: ['always', 'if-not-present'], source: 'runner-config', allowed: ['always', 'if-not-present'], allowedSource: 'default' });
    // `never` is not allowed by this runner: the image resolver reports that when the job runs.
    expect(job(plan, 'b').image.pull).toMatchObject({ policies: ['never'], source: 'job-file', allowed: ['always', 'if-not-present'] });
  });

  it("lets the job's variables override the runner's environment", async () => {
    const plan = await load(project('t:\n  script: x\n  variables: {RUNNER_ENV: job}\n'), { runnerConfig: RUNNER });
    expect(variable(job(plan, 't'), 'RUNNER_ENV')).toBe('job');
  });

  it('reads ~/.config/jobsim/config.toml when no --runner-config is given', async () => {
    const home = writeProject({ '.config/jobsim/config.toml': '[[runners]]\n[runners.docker]\nimage = "alpine:3.20"\nuser = "1000"\n' });
    const plan = await load(project('t:\n  image: {name: "busybox:1.36", docker: {user: "2000"}}\n  script: x\nu:\n  script: x\n'), { homeDir: home });
    // The runner's `user` wins over image:docker:user.
    expect(job(plan, 't').docker.user).toBe('1000');
    expect(job(plan, 't').image.user).toBe('2000');
    expect(job(plan, 'u').image.ref.written).toBe('alpine:3.20');
  });

  it('puts CI_PROJECT_DIR under the runner builds_dir', async () => {
    const home = writeProject({ '.config/jobsim/config.toml': '[[runners]]\nbuilds_dir = "/work/builds/"\n' });
    const plan = await load(project('t:\n  image: busybox:1.36\n  script: x\n'), { homeDir: home });
    expect(job(plan, 't').projectDirInContainer).toBe(`/work/builds/${plan.projectPath}`);
  });
});

describe('disable_entrypoint_overwrite', () => {
  it('warns that an image entrypoint override will be ignored', async () => {
    const home = writeProject({ '.config/jobsim/config.toml': '[[runners]]\n[runners.docker]\ndisable_entrypoint_overwrite = true\n' });
    const plan = await load(project('t:\n  image: {name: "busybox:1.36", entrypoint: [""]}\n  script: x\n'), { homeDir: home });
    expect(job(plan, 't').docker.disableEntrypointOverwrite).toBe(true);
    expect(plan.warnings).toContainEqual({
      message: 'job "t": image:entrypoint is ignored because the runner config sets disable_entrypoint_overwrite',
      where: { file: '.gitlab-ci.yml', line: 2, col: 17 },
    });
  });
});
