import { describe, expect, it } from 'vitest';
import { parseProbeOutput, probeScript } from '../../../main/engine/pull/lint.js';
import { hostArchitecture, lintImage, LINT_PROFILES, type ImageFacts } from '../../../main/engine/pull/lint-rules.js';

const NOW = Date.parse('2026-11-23T00:00:00Z');
const facts = (extra: Partial<ImageFacts>): ImageFacts => ({
  reference: 'x:1',
  registry: 'docker.io',
  architecture: 'amd64',
  os: 'linux',
  created: '2026-11-01T00:00:00Z',
  entrypoint: null,
  cmd: ['sh'],
  fromRegistry: true,
  probe: { shells: ['/bin/sh'], psPath: '/bin/ps', users: { root: 0, spacelift: 1983 }, workDirOwner: 1983 },
  ...extra,
});
const status = (report: ReturnType<typeof lintImage>, check: string): string | undefined => report.findings.find((finding) => finding.check === check)?.status;

describe('lint rules', () => {
  it('passes a good Spacelift image', () => {
    expect(lintImage(facts({}), LINT_PROFILES.spacelift, 'amd64', NOW).status).toBe('pass');
  });

  it('fails without a shell (no probe could run)', () => {
    const report = lintImage(facts({ probe: undefined, probeError: '/bin/sh: no such file' }), LINT_PROFILES.gitlab, 'amd64', NOW);
    expect(status(report, 'shell')).toBe('fail');
    expect(report.findings.find((finding) => finding.check === 'shell')?.message).toContain('/bin/sh: no such file');
  });

  it('warns about a foreign architecture and an old image', () => {
    const report = lintImage(facts({ architecture: 'arm64', created: '2024-01-01T00:00:00Z' }), LINT_PROFILES.gitlab, 'amd64', NOW);
    expect(status(report, 'architecture')).toBe('warn');
    expect(report.findings.find((finding) => finding.check === 'architecture')?.message).toContain('exec format error');
    expect(status(report, 'age')).toBe('warn');
    expect(report.status).toBe('warn');
  });

  it('distinguishes a wrong UID from a missing user', () => {
    expect(status(lintImage(facts({ probe: { shells: ['/bin/sh'], users: { spacelift: 1000 }, workDirOwner: 0 } }), LINT_PROFILES.spacelift, 'amd64', NOW), 'user')).toBe('fail');
    const renamed = lintImage(facts({ probe: { shells: ['/bin/sh'], psPath: '/bin/ps', users: { runner: 1983 }, workDirOwner: 1983 } }), LINT_PROFILES.spacelift, 'amd64', NOW);
    expect(status(renamed, 'user')).toBe('warn');
  });

  it('ps is required by Spacelift only', () => {
    const noPs = facts({ probe: { shells: ['/bin/sh'], users: { spacelift: 1983 }, workDirOwner: 1983 } });
    expect(status(lintImage(noPs, LINT_PROFILES.spacelift, 'amd64', NOW), 'ps')).toBe('fail');
    expect(status(lintImage(noPs, LINT_PROFILES.gitlab, 'amd64', NOW), 'ps')).toBe('info');
  });

  it('judges the declared base image registry', () => {
    const report = lintImage(facts({ baseName: '127.0.0.1:5000/base:1' }), LINT_PROFILES.gitlab, 'amd64', NOW);
    expect(report.findings.find((finding) => finding.check === 'registry')?.message).toContain('not a well-known public registry');
  });

  it('maps Node architecture names to Docker ones', () => {
    expect(hostArchitecture('x64')).toBe('amd64');
    expect(hostArchitecture('arm64')).toBe('arm64');
  });
});

describe('probe output', () => {
  it('parses shells, ps, users and the work dir owner', () => {
    const output = 'shell=/bin/bash\nshell=/bin/sh\nps=/usr/bin/ps\nuser=root:0\nuser=spacelift:1983\nowner=1983\n';
    expect(parseProbeOutput(output)).toEqual({ shells: ['/bin/bash', '/bin/sh'], psPath: '/usr/bin/ps', users: { root: 0, spacelift: 1983 }, workDirOwner: 1983 });
  });

  it('quotes the work dir in the script', () => {
    expect(probeScript("/it's")).toContain(`'/it'\\''s'`);
  });
});
