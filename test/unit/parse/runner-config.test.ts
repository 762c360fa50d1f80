import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../main/errors.js';
import { defaultRunnerConfig, parseRunnerConfig } from '../../../main/parse/runner-config.js';

const fixture = fileURLToPath(new URL('../../fixtures/runner/config.toml', import.meta.url));

function problemsOf(text: string): string[] {
  try {
    parseRunnerConfig(text, 'config.toml');
  } catch (error) {
    if (error instanceof InputError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('runner config.toml', () => {
  it('reads the [[runners]] / [runners.docker] form of GitLab docs', () => {
    const config = parseRunnerConfig(readFileSync(fixture, 'utf8'), fixture);
    expect(config.runner).toMatchObject({
      file: fixture,
      defaultImage: 'ruby:3.3',
      buildsDir: '/builds',
      waitForServicesTimeoutSec: 45,
      pullPolicy: ['always', 'if-not-present'],
      allowedPullPolicies: ['always', 'if-not-present'],
      allowedImages: ['ruby:*', 'docker.io/library/*'],
      helperImage: 'gitlab/gitlab-runner-helper:x86_64-latest',
    });
    expect(config.docker).toMatchObject({
      privileged: true,
      memoryBytes: 512 * 1024 * 1024,
      cpus: 1.5,
      capAdd: ['NET_ADMIN'],
      extraHosts: ['gitlab.local:10.0.0.2'],
      tmpfs: { '/var/lib/mysql': 'rw,noexec' },
      servicesTmpfs: { '/var/lib/postgresql/data': 'rw' },
      volumes: [{ kind: 'dynamic', containerPath: '/cache' }, { kind: 'bind', hostPath: '/srv/shared', containerPath: '/shared', readOnly: true }],
    });
    expect(config.environment).toEqual([{ key: 'RUNNER_ENV', value: 'local' }, { key: 'EMPTY', value: '' }]);
    // shm_size = 0 means Docker's default, so no limit is set.
    expect(config.docker.shmSizeBytes).toBeUndefined();
    expect(config.services).toEqual([{ name: 'postgres:16' }, { name: 'redis:7', alias: 'cache' }]);
    const warnings = config.warnings.map((w) => `${w.where?.line}: ${w.message}`);
    expect(warnings).toContain('16: [runners.docker] tls_verify is a GitLab Runner setting jobsim does not reproduce; it is ignored');
    expect(warnings).toContain('33: jobsim needs no helper image; helper_image is ignored');
  });

  it('reads the bare form and defaults allowed_pull_policies to pull_policy', () => {
    const config = parseRunnerConfig('pull_policy = "if-not-present"\nprivileged = false\nbuilds_dir = "/work"\n', 'c.toml');
    expect(config.runner.pullPolicy).toEqual(['if-not-present']);
    expect(config.runner.allowedPullPolicies).toEqual(['if-not-present']);
    expect(config.runner.buildsDir).toBe('/work');
  });

  it('has GitLab Runner defaults, except that any pull policy is allowed without a config', () => {
    const config = defaultRunnerConfig();
    expect(config.runner).toMatchObject({ buildsDir: '/builds', waitForServicesTimeoutSec: 30, pullPolicy: ['always'] });
    // Without a config.toml every policy is allowed (a deliberate difference, docs/runner-config.md).
    expect(config.runner.allowedPullPolicies).toEqual(['always', 'if-not-present', 'never']);
  });

  it('reports TOML syntax errors with file:line:col', () => {
    expect(problemsOf('[[runners]]\n  name = "x"\n  [runners.docker]\n  image = \n')).toEqual(['config.toml:4:11: invalid TOML: invalid value']);
  });

  it('reports bad values and unknown keys at their lines, all at once', () => {
    const text = ['[[runners]]', '  [runners.docker]', '    pull_policy = "sometimes"', '    privilegd = true', '    memory = "lots"', '    volumes = ["relative:/x"]'].join('\n');
    expect(problemsOf(text)).toEqual([
      'config.toml:3:5: unsupported pull_policy config: "sometimes" (use never, if-not-present or always)',
      'config.toml:4:5: unknown runner setting "privilegd" in [runners.docker]; did you mean "privileged"?',
      'config.toml:5:5: memory must be a size such as "512m" or "2g" (or a number of bytes)',
      'config.toml:6:5: volume "relative:/x": named volumes are not supported; use "/host/path:/x" (a bind mount) or "/x" (a volume jobsim keeps per project)',
    ]);
  });

  it('warns which runner it used when there are several', () => {
    const config = parseRunnerConfig('[[runners]]\nname = "a"\n[[runners]]\nname = "b"\n', 'c.toml');
    expect(config.warnings.map((w) => w.message)).toContain('config.toml defines 2 runners; jobsim uses the first ("a")');
  });
});
