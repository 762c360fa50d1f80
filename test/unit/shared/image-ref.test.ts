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
    // Cases from Docker's own normalize_test.go.
    ['docker/docker', 'docker.io/docker/docker:latest', 'docker.io', 'docker/docker', 'latest'],
    ['library/debian', 'docker.io/library/debian:latest', 'docker.io', 'library/debian', 'latest'],
    ['localhost/library/debian', 'localhost/library/debian:latest', 'localhost', 'library/debian', 'latest'],
    ['localhost:5000/library/debian', 'localhost:5000/library/debian:latest', 'localhost:5000', 'library/debian', 'latest'],
    ['foo.com:8080/bar', 'foo.com:8080/bar:latest', 'foo.com:8080', 'bar', 'latest'],
    ['docker.io/library/ubuntu:Latest_1', 'docker.io/library/ubuntu:Latest_1', 'docker.io', 'library/ubuntu', 'Latest_1'],
    // An upper-case first component is a registry host, so Docker accepts this (and so do we).
    ['Uppercase/lowercase', 'Uppercase/lowercase:latest', 'Uppercase', 'lowercase', 'latest'],
    ['[2001:db8::1]:5000/team/app:2', '[2001:db8::1]:5000/team/app:2', '[2001:db8::1]:5000', 'team/app', '2'],
    ['ubuntu:' + 't'.repeat(128), 'docker.io/library/ubuntu:' + 't'.repeat(128), 'docker.io', 'library/ubuntu', 't'.repeat(128)],
  ])('%s → %s', (written, normalized, registry, repository, tag) => {
    expect(parseImageRef(written)).toEqual({ written, normalized, registry, repository, tag, isImageId: false });
  });

  it('keeps digests, with or without a tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageRef(`alpine@${digest}`)).toMatchObject({ normalized: `docker.io/library/alpine@${digest}`, digest });
    expect(parseImageRef(`alpine@${digest}`).tag).toBeUndefined();
    expect(parseImageRef(`alpine:3@${digest}`)).toMatchObject({ normalized: `docker.io/library/alpine:3@${digest}`, digest, tag: '3' });
  });

  it('checks digests as go-digest does', () => {
    expect(parseImageRef(`app@sha512:${'e'.repeat(128)}`).digest).toBe(`sha512:${'e'.repeat(128)}`);
    expect(parseImageRef(`app@sha384:${'e'.repeat(96)}`).digest).toBe(`sha384:${'e'.repeat(96)}`);
    expect(() => parseImageRef(`app@sha1:${'e'.repeat(40)}`)).toThrow('invalid image reference "app@sha1:eeee');
    expect(() => parseImageRef(`app@sha1:${'e'.repeat(40)}`)).toThrow('unsupported digest algorithm "sha1" (use sha256, sha384 or sha512)');
    expect(() => parseImageRef(`app@sha256:${'E'.repeat(64)}`)).toThrow('a sha256 digest has exactly 64 lowercase hex digits');
    expect(() => parseImageRef(`app@sha256:${'e'.repeat(63)}`)).toThrow('a sha256 digest has exactly 64 lowercase hex digits');
    expect(() => parseImageRef(`app@sha512:${'e'.repeat(64)}`)).toThrow('a sha512 digest has exactly 128 lowercase hex digits');
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
    ['foo/bar/', 'is not a valid name component'],
    ['foo:bar:baz', 'is not a valid name component'],
    ['ubuntu:' + 't'.repeat(129), 'is not a valid tag'],
    ['a'.repeat(256), 'the name is longer than 255 characters'],
    ['E'.repeat(64), 'repository name must be lowercase'],
    ['-bad.host:5000/app', 'is not a valid registry host'],
    ['@sha256:' + 'a'.repeat(64), 'the image name is missing'],
    ['Foo:bar', 'invalid image reference "Foo:bar": repository name must be lowercase'],
  ])('refuses %j', (written, reason) => {
    expect(() => parseImageRef(written)).toThrow(reason);
  });

  it('shows the short name as docker images does', () => {
    expect(familiarName(parseImageRef('ruby:3.3'))).toBe('ruby:3.3');
    expect(familiarName(parseImageRef('user/app'))).toBe('user/app:latest');
    expect(familiarName(parseImageRef('127.0.0.1:5000/x/y:1'))).toBe('127.0.0.1:5000/x/y:1');
  });
});
