import { describe, expect, it } from 'vitest';
import { formatDoctorReport } from '../../../main/docker/doctor.js';

describe('the doctor report as printed', () => {
  it('shows what was looked at, the engine, and its versions when it answers', () => {
    const text = formatDoctorReport(
      { endpoint: { source: 'default', address: 'unix:///var/run/docker.sock' }, reachable: true, version: '27.3.1', apiVersion: '1.47', os: 'Docker Desktop (linux/arm64)' },
      ['DOCKER_HOST: not set', 'DOCKER_CONTEXT: not set'],
    );
    expect(text).toBe(
      [
        'looked at:   DOCKER_HOST: not set',
        '             DOCKER_CONTEXT: not set',
        'engine:      unix:///var/run/docker.sock',
        'chosen:      the default socket (no DOCKER_HOST, no Docker context)',
        'answers:     yes',
        'version:     Docker 27.3.1, API 1.47 (negotiated)',
        'os:          Docker Desktop (linux/arm64)',
        '',
      ].join('\n'),
    );
  });

  it('shows the failure and what to do when it does not answer', () => {
    const text = formatDoctorReport({
      endpoint: { source: 'context', address: 'unix:///home/dev/.colima/default/docker.sock', context: 'colima' },
      reachable: false,
      error: 'no Docker engine answered at unix:///home/dev/.colima/default/docker.sock (connect ECONNREFUSED)',
      advice: 'start the engine of Docker context "colima"',
    });
    expect(text).toContain('chosen:      from the current Docker context "colima"');
    expect(text).toContain('answers:     no — no Docker engine answered at unix:///home/dev/.colima/default/docker.sock (connect ECONNREFUSED)');
    expect(text).toContain('what to do:  start the engine of Docker context "colima"');
    expect(text).not.toContain('version:');
  });

  it('lists the other engines it can see, Podman named as such', () => {
    const text = formatDoctorReport({
      endpoint: { source: 'podman', address: 'unix:///run/podman/podman.sock' },
      reachable: true,
      kind: 'podman',
      version: '4.3.1',
      apiVersion: '1.41',
      others: [
        { found: 'default', address: 'unix:///var/run/docker.sock', reachable: false, error: 'no Docker engine answered at unix:///var/run/docker.sock (connect ENOENT)' },
        { found: 'context', context: 'big', address: 'ssh://build@big-box', reachable: true, kind: 'docker', version: '27.3.1', apiVersion: '1.47', os: 'linux/arm64' },
      ],
    });
    expect(text).toContain('chosen:      a Podman socket (no DOCKER_HOST, no Docker context, nothing at the default socket)');
    expect(text).toContain('version:     Podman 4.3.1, API 1.41 (negotiated)');
    expect(text).toContain('also here:   unix:///var/run/docker.sock (default socket): no answer — no Docker engine answered at unix:///var/run/docker.sock (connect ENOENT)');
    expect(text).toContain('             ssh://build@big-box (context "big"): Docker 27.3.1, API 1.47, linux/arm64');
  });
});
