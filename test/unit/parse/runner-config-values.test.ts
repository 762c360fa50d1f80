import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../main/errors.js';
import { parseByteSize } from '../../../main/parse/byte-size.js';
import { parseRunnerConfig, readRunnerConfig } from '../../../main/parse/runner-config.js';

function docker(lines: string[]) {
  return parseRunnerConfig(['[[runners]]', '  executor = "docker"', '  [runners.docker]', ...lines.map((l) => `    ${l}`)].join('\n'), 'config.toml');
}

function problemsOf(lines: string[]): string[] {
  try {
    docker(lines);
  } catch (error) {
    if (error instanceof InputError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('config.toml values', () => {
  it('reads sizes as go-units RAMInBytes does', () => {
    expect(parseByteSize('512m')).toBe(512 * 1024 ** 2);
    expect(parseByteSize('512 m')).toBe(512 * 1024 ** 2);
    expect(parseByteSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('1.5gb')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('1p')).toBe(1024 ** 5);
    expect(parseByteSize('128000000')).toBe(128_000_000);
    expect(parseByteSize(67108864)).toBe(67108864);
    for (const bad of ['lots', '5 parsecs', 'm512', '-1m', '1.2.3m', '']) expect(parseByteSize(bad)).toBeUndefined();
  });

  it('treats a zero or negative wait_for_services_timeout as GitLab does', () => {
    expect(docker(['wait_for_services_timeout = 0']).runner.waitForServicesTimeoutSec).toBe(30);
    expect(docker(['wait_for_services_timeout = -1']).runner.waitForServicesTimeoutSec).toBe(-1);
    expect(docker(['wait_for_services_timeout = -30']).runner.waitForServicesTimeoutSec).toBe(-1);
    expect(docker([]).runner.waitForServicesTimeoutSec).toBe(30);
  });

  it('reads volumes with Docker bind options, applying ro/rw and warning about the rest', () => {
    const config = docker(['volumes = ["/cache", "/var/run/docker.sock:/var/run/docker.sock", "/srv:/srv:ro,Z", "/data:/data:rw"]']);
    expect(config.docker.volumes).toEqual([
      { kind: 'dynamic', containerPath: '/cache' },
      { kind: 'bind', hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock', readOnly: false },
      { kind: 'bind', hostPath: '/srv', containerPath: '/srv', readOnly: true },
      { kind: 'bind', hostPath: '/data', containerPath: '/data', readOnly: false },
    ]);
    expect(config.warnings.map((w) => w.message)).toContain('volume "/srv:/srv:ro,Z": option Z is not applied by jobsim; only ro/rw are');
  });

  it('refuses bad volumes with a reason', () => {
    expect(problemsOf(['volumes = ["/a:/b:rx"]'])).toEqual(['config.toml:4:5: volume "/a:/b:rx": unknown option "rx" (use ro or rw)']);
    expect(problemsOf(['volumes = ["cache"]'])).toEqual(['config.toml:4:5: volume "cache" must be "/container/path" or "/host/path:/container/path[:ro|rw]"']);
  });

  it('reads services as strings, inline tables and [[runners.docker.services]] tables', () => {
    const text = ['[[runners]]', '[runners.docker]', 'image = "alpine:3"', '[[runners.docker.services]]', 'name = "postgres:16"', 'alias = "db, pg"', '[[runners.docker.services]]', 'name = "redis:7"'].join('\n');
    expect(parseRunnerConfig(text, 'c.toml').services).toEqual([{ name: 'postgres:16', alias: 'db, pg' }, { name: 'redis:7' }]);
  });

  it('checks service tables: image, alias and keys, at the table header', () => {
    const text = ['[[runners]]', '[runners.docker]', '[[runners.docker.services]]', 'name = "Postgres:16"', 'alais = "db"', 'entrypoint = ["x"]', '[[runners.docker.services]]', 'name = "redis"', 'alias = "bad alias!"'].join('\n');
    let message = '';
    try {
      parseRunnerConfig(text, 'c.toml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'c.toml:3:1: service "Postgres:16": unknown setting "alais"; did you mean "alias"?',
      'c.toml:3:1: invalid image reference "Postgres:16": repository name must be lowercase',
      'c.toml:7:1: service alias "alias!" is not a valid host name (letters, digits, - and _, dot-separated, at most 63 per part)',
    ]);
  });

  it('checks the default image but leaves $VARIABLES for later expansion', () => {
    expect(problemsOf(['image = "ruby:-3"'])).toEqual(['config.toml:4:5: invalid image reference "ruby:-3": "-3" is not a valid tag (letters, digits, _ . -; at most 128; not starting with . or -)']);
    expect(docker(['image = "$CI_REGISTRY/ruby:3"']).runner.defaultImage).toBe('$CI_REGISTRY/ruby:3');
  });

  it('checks extra_hosts, dns, memory and cpus', () => {
    expect(docker(['extra_hosts = ["db:10.0.0.5", "dockerhost:host-gateway", "v6:::1"]']).docker.extraHosts).toHaveLength(3);
    expect(problemsOf(['extra_hosts = ["justahost"]'])).toEqual(['config.toml:4:5: extra_hosts entry "justahost" must look like "host:ip" (e.g. "gitlab.local:10.0.0.2" or "dockerhost:host-gateway")']);
    expect(docker(['dns = ["10.0.0.53", "2001:4860:4860::8888"]']).docker.dns).toEqual(['10.0.0.53', '2001:4860:4860::8888']);
    expect(problemsOf(['dns = ["dns.example.com"]'])).toEqual(['config.toml:4:5: dns entry "dns.example.com" must be an IP address, e.g. "1.1.1.1"']);
    expect(problemsOf(['memory = "1m"'])).toEqual(['config.toml:4:5: memory must be at least 6m (Docker\'s minimum); got "1m"']);
    expect(problemsOf(['cpus = "1,5"'])).toEqual(['config.toml:4:5: cpus must be a number of CPUs such as "1.5"']);
    const unlimited = docker(['cpus = 2', 'memory = "0"']).docker;
    expect(unlimited.cpus).toBe(2);
    expect(unlimited.memoryBytes).toBeUndefined();
  });

  it('finds quoted and dotted keys for messages', () => {
    const text = ['[[runners]]', "  'builds_dir' = 'relative'", '  docker.privileged = "yes"'].join('\n');
    expect(() => parseRunnerConfig(text, 'c.toml')).toThrow(['c.toml:2:3: builds_dir must be an absolute path inside the container', 'c.toml:3:3: privileged must be true or false'].join('\n'));
  });

  it('names wrong types', () => {
    expect(problemsOf(['privileged = "yes"', 'wait_for_services_timeout = "30s"', 'cap_add = [1]'])).toEqual([
      'config.toml:4:5: privileged must be true or false',
      'config.toml:5:5: wait_for_services_timeout must be a whole number',
      'config.toml:6:5: cap_add must be a list of strings',
    ]);
  });

  it('accepts a single [runners] table and warns about a non-docker executor', () => {
    const config = parseRunnerConfig('[runners]\nexecutor = "shell"\n[runners.docker]\nprivileged = true\n', 'c.toml');
    expect(config.docker.privileged).toBe(true);
    expect(config.warnings.map((w) => `${w.where?.line}: ${w.message}`)).toEqual(['2: this runner uses executor "shell"; jobsim reproduces the docker executor and reads only its settings']);
  });

  it('applies GitLab\'s pull policy rule once a config exists, even without [runners.docker]', () => {
    const config = parseRunnerConfig('[[runners]]\nname = "plain"\n', 'c.toml');
    expect(config.runner.pullPolicy).toEqual(['always']);
    expect(config.runner.allowedPullPolicies).toEqual(['always']);
  });

  it('ignores global keys in the bare form and reads [docker]', () => {
    const config = parseRunnerConfig('concurrent = 2\nbuilds_dir = "/b/"\n[docker]\nuser = "1000:1000"\nignore_image_entrypoint = true\n', 'c.toml');
    expect(config.runner.buildsDir).toBe('/b');
    expect(config.docker).toMatchObject({ user: '1000:1000', ignoreImageEntrypoint: true });
  });

  it('reads runner-level keys in the bare form too', () => {
    const config = parseRunnerConfig('name = "laptop"\nexecutor = "docker"\nenvironment = ["A=1"]\npre_build_script = "echo hi"\nimage = "alpine:3"\n', 'c.toml');
    expect(config.environment).toEqual([{ key: 'A', value: '1' }]);
    expect(config.runner.defaultImage).toBe('alpine:3');
    expect(config.warnings.map((w) => `${w.where?.line}: ${w.message}`)).toEqual(['4: pre_build_script is a GitLab Runner setting jobsim does not reproduce; it is ignored']);
  });

  it('never puts an environment value in a message', () => {
    expect(problemsOf([]).length).toBe(0);
    const text = '[[runners]]\nenvironment = ["TOKEN=s3cr3t-value", "BROKEN"]\n';
    expect(() => parseRunnerConfig(text, 'c.toml')).toThrow('c.toml:2:1: environment entry "BROKEN" must look like KEY=value');
    try {
      parseRunnerConfig(text, 'c.toml');
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cr3t');
    }
  });

  it('reads files, refusing missing files, folders and files over 10 MB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobsim-runner-'));
    const good = join(dir, 'config.toml');
    writeFileSync(good, 'privileged = true\n');
    expect((await readRunnerConfig(good)).docker.privileged).toBe(true);
    await expect(readRunnerConfig(join(dir, 'missing.toml'))).rejects.toThrow('does not exist or cannot be read');
    mkdirSync(join(dir, 'folder'));
    await expect(readRunnerConfig(join(dir, 'folder'))).rejects.toThrow('is not a file');
    const big = join(dir, 'big.toml');
    writeFileSync(big, `# ${'x'.repeat(11 * 1024 * 1024)}\n`);
    await expect(readRunnerConfig(big)).rejects.toThrow('jobsim reads at most 10 MB');
  });
});
