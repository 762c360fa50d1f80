import { describe, expect, it } from 'vitest';
import { familiarName, parseImageRef } from '../../../shared/image-ref.js';

describe('image references, normalised as Docker does', () => {
  it.each([
    ['ruby', 'docker.io/library/ruby:latest', 'docker.io', 'library/ruby', 'latest'],
    ['ruby:3.3', 'docker.io/library/ruby:3.3', 'docker.io', 'library/ruby', '3.3'],
    ['user/app', 'docker.io/user/app:latest', 'docker.io', 'user/app', 'latest'],
    ['index.docker.io/library/ruby:3', 'docker.io/library/ruby:3', 'docker.io', 'library/ruby', '3'],
    ['docker.io/ruby', 'docker.io/library/ruby:latest', 'docker.io', 'library/ruby', 'latest'],
    ['localhost/app', 'localhost/app:latest', 'localhost', 'app', 'latest'],
    ['127.0.0.1:5000/jobsim/shell:1', '127.0.0.1:5000/jobsim/shell:1', '127.0.0.1:5000', 'jobsim/shell', '1'],
    ['registry.example.com:4999/tutum/wordpress:latest', 'registry.example.com:4999/tutum/wordpress:latest', 'registry.example.com:4999', 'tutum/wordpress', 'latest'],
    ['ghcr.io/org/a/b/c:v1.2-rc_3', 'ghcr.io/org/a/b/c:v1.2-rc_3', 'ghcr.io', 'org/a/b/c', 'v1.2-rc_3'],
    ['a__b/c--d', 'docker.io/a__b/c--d:latest', 'docker.io', 'a__b/c--d', 'latest'],
  ])('%s → %s', (written, normalized, registry, repository, tag) => {
    expect(parseImageRef(written)).toEqual({ written, normalized, registry, repository, tag, isImageId: false });
  });

  it('keeps digests, with or without a tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageRef(`alpine@${digest}`)).toMatchObject({ normalized: `docker.io/library/alpine@${digest}`, digest });
    expect(parseImageRef(`alpine@${digest}`).tag).toBeUndefined();
    expect(parseImageRef(`alpine:3@${digest}`)).toMatchObject({ normalized: `docker.io/library/alpine:3@${digest}`, digest, tag: '3' });
  });

  it('treats a full image ID as an ID', () => {
    const hex = 'b'.repeat(64);
    expect(parseImageRef(hex)).toMatchObject({ isImageId: true, normalized: `sha256:${hex}` });
    expect(parseImageRef(`sha256:${hex}`)).toMatchObject({ isImageId: true, digest: `sha256:${hex}` });
  });

  it.each([
    ['', 'it is empty'],
    ['Ruby', 'repository name must be lowercase'],
    ['myorg/Ruby', 'repository name must be lowercase'],
    ['ruby:', 'is not a valid tag'],
    ['ruby:-x', 'is not a valid tag'],
    ['ruby@sha256:abc', 'is not a valid digest'],
    ['ru by', 'it contains whitespace'],
    ['$IMAGE', 'still contains a variable'],
    ['a//b', 'is not a valid name component'],
    ['a/-b', 'is not a valid name component'],
  ])('refuses %j', (written, reason) => {
    expect(() => parseImageRef(written)).toThrow(reason);
  });

  it('shows the short name as docker images does', () => {
    expect(familiarName(parseImageRef('ruby:3.3'))).toBe('ruby:3.3');
    expect(familiarName(parseImageRef('user/app'))).toBe('user/app:latest');
    expect(familiarName(parseImageRef('127.0.0.1:5000/x/y:1'))).toBe('127.0.0.1:5000/x/y:1');
  });
});
