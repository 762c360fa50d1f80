import { describe, expect, it } from 'vitest';
import { displayName, engineReference, fullRepositoryName, mirrorFor, repoDigestFor, toResolvedImage } from '../../../main/engine/pull/local.js';
import { parseReference } from '../../../main/engine/pull/reference.js';
import type { LocalImage } from '../../../main/docker/images.js';

const D = `sha256:${'a'.repeat(64)}`;
const E = `sha256:${'b'.repeat(64)}`;

function image(extra: Partial<LocalImage>): LocalImage {
  return { id: E, repoTags: [], repoDigests: [], created: '2026-01-01T00:00:00Z', architecture: 'amd64', os: 'linux', sizeBytes: 1, entrypoint: null, cmd: null, exposedPorts: [], env: [], labels: {}, ...extra };
}

describe('names', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox'],
    ['user/app', 'docker.io/user/app'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000/team/app'],
    ['localhost/app', 'localhost/app'],
    ['index.docker.io/ruby', 'docker.io/library/ruby'],
  ])('fullRepositoryName(%s) = %s', (name, full) => {
    expect(fullRepositoryName(name)).toBe(full);
  });

  it('prints untagged names with :latest, as GitLab does', () => {
    expect(displayName(parseReference('ruby'))).toBe('ruby:latest');
    expect(displayName(parseReference('localhost:5000/app'))).toBe('localhost:5000/app:latest');
    expect(displayName(parseReference('ruby:3.3'))).toBe('ruby:3.3');
    expect(displayName(parseReference(`ruby@${D}`))).toBe(`ruby@${D}`);
  });

  it('asks the engine by digest when one is given or pinned', () => {
    expect(engineReference(parseReference('ruby:3.3'))).toBe('docker.io/library/ruby:3.3');
    expect(engineReference(parseReference('ruby:3.3'), D)).toBe(`docker.io/library/ruby@${D}`);
    expect(engineReference(parseReference(`ruby:3.3@${D}`))).toBe(`docker.io/library/ruby@${D}`);
    expect(engineReference(parseReference('ruby:3.3'), undefined, 'mirror.local:5000')).toBe('mirror.local:5000/library/ruby:3.3');
  });

  it('finds the repo digest of the right repository', () => {
    const local = image({ repoDigests: [`other/thing@${E}`, `busybox@${D}`] });
    expect(repoDigestFor(local, parseReference('busybox:1.36'))).toBe(D);
    expect(repoDigestFor(local, parseReference('127.0.0.1:5000/busybox:1'))).toBeUndefined();
  });
});

describe('mirrorFor', () => {
  it('mirrors Docker Hub names written without a registry only', () => {
    expect(mirrorFor(parseReference('ruby:3.3'), 'm:5000')).toBe('m:5000');
    expect(mirrorFor(parseReference('team/app'), 'm:5000')).toBe('m:5000');
    expect(mirrorFor(parseReference('docker.io/library/ruby:3.3'), 'm:5000')).toBeUndefined();
    expect(mirrorFor(parseReference('ghcr.io/team/app:1'), 'm:5000')).toBeUndefined();
    expect(mirrorFor(parseReference('ruby:3.3'), undefined)).toBeUndefined();
  });
});

describe('toResolvedImage', () => {
  it('keeps TCP ports ascending and drops UDP', () => {
    const resolved = toResolvedImage(image({ exposedPorts: ['8080/tcp', '53/udp', '443/tcp', '80'], user: 'app', workingDir: '/srv' }), D);
    expect(resolved).toEqual({ imageId: E, digest: D, entrypoint: null, cmd: null, exposedTcpPorts: [80, 443, 8080], user: 'app', workingDir: '/srv' });
  });
});

describe('parseReference', () => {
  it('normalises like Docker', () => {
    expect(parseReference('ruby')).toMatchObject({ normalized: 'docker.io/library/ruby:latest', registry: 'docker.io', repository: 'library/ruby', tag: 'latest' });
    expect(parseReference(`127.0.0.1:5000/a/b@${D}`)).toMatchObject({ registry: '127.0.0.1:5000', repository: 'a/b', digest: D, normalized: `127.0.0.1:5000/a/b@${D}` });
    expect(parseReference('a'.repeat(64))).toMatchObject({ isImageId: true });
  });

  it.each([['Foo:bar', 'lowercase'], ['ruby:', 'not a valid tag'], ['ruby@sha256:xyz', 'digest'], ['', 'empty']])('rejects %s', (written, why) => {
    expect(() => parseReference(written)).toThrow(why);
  });
});
