// Which jobs are meant for a runner that is not a Linux Docker executor, from the forms real files use
// (test/fixtures/real-world: OpenRGB, dav1d, glib, fdroidserver, gitlab-runner).

import { describe, expect, it } from 'vitest';
import type { Located } from '../../../main/parse/located.js';
import { nonDockerRunner, runnerOfImage, runnerOfTag } from '../../../main/parse/runner-kind.js';

const at = { file: '.gitlab-ci.yml', line: 1, col: 1 };
const scalar = (value: string): Located => ({ kind: 'scalar', value, where: at });
const seq = (...items: Located[]): Located => ({ kind: 'seq', items, where: at });
const none = (): undefined => undefined;

describe('runnerOfTag', () => {
  it.each([
    ['windows', 'Windows'],
    ['shared-windows', 'Windows'],
    ['windows-1809', 'Windows'],
    ['saas-windows-medium-amd64', 'Windows'],
    ['win32-ps', 'Windows'],
    ['win', 'Windows'],
    ['macos', 'macOS'],
    ['macos-xcode26', 'macOS'],
    ['saas-macos-medium-m1', 'macOS'],
    ['osx', 'macOS'],
    ['freebsd-13', 'FreeBSD'],
    ['hurd', 'GNU Hurd'],
    ['shell', 'shell'],
  ])('%s → %s', (tag, runner) => {
    expect(runnerOfTag(tag)).toBe(runner);
  });

  it.each(['docker', 'linux', 'amd64', 'saas-linux-small-amd64', 'gitlab-org-docker', 'kvm', 'twin', 'powershell-linux', 'aarch64'])('%s is a Docker tag', (tag) => {
    expect(runnerOfTag(tag)).toBeUndefined();
  });
});

describe('runnerOfImage', () => {
  it.each([
    ['mcr.microsoft.com/windows/servercore:ltsc2019', 'Windows'],
    ['mcr.microsoft.com/windows:1809', 'Windows'],
    ['mcr.microsoft.com/windows/nanoserver:ltsc2022', 'Windows'],
    ['mcr.microsoft.com/dotnet/framework/sdk:4.8', 'Windows'],
    ['mcr.microsoft.com/powershell:lts-nanoserver-1809', 'Windows'],
    ['mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022', 'Windows'],
    ['macos-14-xcode-15', 'macOS'],
    ['ghcr.io/cirruslabs/macos-sonoma-xcode:latest', 'macOS'],
  ])('%s → %s', (image, runner) => {
    expect(runnerOfImage(image)).toBe(runner);
  });

  it.each(['alpine:3.20', 'mcr.microsoft.com/dotnet/sdk:8.0', 'ruby:3.3', 'registry.example.com/windows-tools/linux-image:1', 'busybox:1.36'])('%s is a Linux image', (image) => {
    expect(runnerOfImage(image)).toBeUndefined();
  });
});

describe('nonDockerRunner', () => {
  it('names the runner and every tag of the job', () => {
    expect(nonDockerRunner(seq(scalar('shared-windows'), scalar('windows'), scalar('windows-1809')), undefined, none)).toEqual({
      kind: 'needs-runner',
      runner: 'Windows',
      tags: ['shared-windows', 'windows', 'windows-1809'],
      message: 'needs a Windows runner (tags: shared-windows, windows, windows-1809)',
    });
  });

  it('expands variables in tags and flattens nested lists (gitlab-runner: tags: [!reference [.instance-windows-2019]])', () => {
    const lookup = (name: string) => (name === 'RUNNER_TAG_WINDOWS_2019' ? 'windows-1809' : undefined);
    const block = nonDockerRunner(seq(seq(scalar('$RUNNER_TAG_WINDOWS_2019'))), undefined, lookup);
    expect(block?.runner).toBe('Windows');
    expect(block?.tags).toEqual(['windows-1809']);
  });

  it('reads the image, as a string or as name:', () => {
    expect(nonDockerRunner(undefined, scalar('macos-14-xcode-15'), none)?.message).toBe('needs a macOS runner (image macos-14-xcode-15)');
    const map: Located = { kind: 'map', entries: [{ key: 'name', keyWhere: at, value: scalar('mcr.microsoft.com/windows/servercore:$V') }], where: at };
    expect(nonDockerRunner(undefined, map, (n) => (n === 'V' ? 'ltsc2019' : undefined))?.message).toBe('needs a Windows runner (image mcr.microsoft.com/windows/servercore:ltsc2019)');
  });

  it('leaves Docker jobs alone', () => {
    expect(nonDockerRunner(seq(scalar('docker'), scalar('linux')), scalar('alpine:3.20'), none)).toBeUndefined();
    expect(nonDockerRunner(undefined, undefined, none)).toBeUndefined();
  });
});
