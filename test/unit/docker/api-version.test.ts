import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { CLIENT_MAX_API_VERSION, compareApiVersions, negotiateApiVersion } from '../../../main/docker/api-version.js';
import { EnvironmentError } from '../../../main/errors.js';

function versionAnswer(apiVersion: string, minApiVersion?: string): Docker.DockerVersion {
  const answer: Docker.DockerVersion = {
    Version: '99.0.0',
    ApiVersion: apiVersion,
    MinAPIVersion: minApiVersion ?? '',
    Os: 'linux',
    Arch: 'amd64',
    KernelVersion: '6.1.0',
    GitCommit: 'abc',
    GoVersion: 'go1.22',
    BuildTime: new Date(0),
    Components: [],
    Platform: { Name: 'Docker Engine' },
  };
  return answer;
}

describe('API version negotiation', () => {
  it('compares versions numerically, not as text', () => {
    expect(compareApiVersions('1.9', '1.41')).toBe(-1);
    expect(compareApiVersions('1.52', '1.47')).toBe(1);
    expect(compareApiVersions('1.41', '1.41')).toBe(0);
  });

  it('uses the engine\'s version when it is older than jobsim\'s newest', () => {
    const engine = negotiateApiVersion(versionAnswer('1.41', '1.12'), 'unix:///var/run/docker.sock');
    expect(engine).toMatchObject({ apiVersion: '1.41', engineApiVersion: '1.41', engineMinApiVersion: '1.12', os: 'linux/amd64', kernel: '6.1.0' });
  });

  it('caps at jobsim\'s newest version for a newer engine (Docker 29 speaks 1.52, minimum 1.44)', () => {
    const engine = negotiateApiVersion(versionAnswer('1.52', '1.44'), 'unix:///var/run/docker.sock');
    expect(engine.apiVersion).toBe(CLIENT_MAX_API_VERSION);
    expect(engine.engineApiVersion).toBe('1.52');
  });

  it('refuses an engine older than jobsim supports, with advice', () => {
    expect(() => negotiateApiVersion(versionAnswer('1.30'), 'tcp://old:2375')).toThrow(EnvironmentError);
    expect(() => negotiateApiVersion(versionAnswer('1.30'), 'tcp://old:2375')).toThrow(
      'the Docker engine at tcp://old:2375 is too old (API 1.30; jobsim needs 1.40 or newer)',
    );
  });

  it('refuses an engine whose minimum is above jobsim\'s newest version', () => {
    expect(() => negotiateApiVersion(versionAnswer('1.60', '1.50'), 'tcp://future:2375')).toThrow(
      `the Docker engine at tcp://future:2375 no longer accepts API ${CLIENT_MAX_API_VERSION} (its minimum is 1.50)`,
    );
  });

  it('says when the answer is not from a Docker engine', () => {
    expect(() => negotiateApiVersion({ ...versionAnswer('1.41'), ApiVersion: undefined } as unknown as Docker.DockerVersion, 'tcp://x:1')).toThrow(
      'without a usable ApiVersion',
    );
  });
});

describe('which kind of engine answered', () => {
  it('tells Podman from Docker by the components its version names', () => {
    expect(negotiateApiVersion(versionAnswer('1.41'), 'unix:///var/run/docker.sock').kind).toBe('docker');
    const base = versionAnswer('1.41');
    const details = { ApiVersion: '4.3.1', Arch: 'amd64', BuildTime: new Date(0), Experimental: 'false', GitCommit: '', GoVersion: 'go1.19', KernelVersion: '6.1', Os: 'linux' };
    const podman: Docker.DockerVersion = { ...base, Components: [{ Name: 'Podman Engine', Version: '4.3.1', Details: details }], Platform: { Name: 'linux/amd64/debian-12' } };
    expect(negotiateApiVersion(podman, 'unix:///run/podman/podman.sock').kind).toBe('podman');
  });
});
