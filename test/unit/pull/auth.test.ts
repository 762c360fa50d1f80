import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DOCKER_HUB_SERVER, findCredentials, longestPrefixMatch, normalizeRegistryKey, runCredentialHelper } from '../../../main/docker/auth.js';
import { EnvironmentError } from '../../../main/errors.js';

const dirs: string[] = [];
function configDir(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobsim-auth-unit-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const NO_ENV = {};

describe('registry keys', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['https://registry.example.com:5000/', 'registry.example.com:5000'],
    ['http://127.0.0.1:5001/v2/', '127.0.0.1:5001'],
    ['registry.example.com/group', 'registry.example.com/group'],
  ])('%s → %s', (key, normalized) => {
    expect(normalizeRegistryKey(key)).toBe(normalized);
  });

  it('picks the longest prefix in whole path segments', () => {
    const keys = ['registry.example.com', 'registry.example.com/team', 'registry.example.com/te'];
    expect(longestPrefixMatch(keys, 'registry.example.com', 'team/app')).toBe('registry.example.com/team');
    expect(longestPrefixMatch(keys, 'registry.example.com', 'other/app')).toBe('registry.example.com');
    expect(longestPrefixMatch(keys, 'elsewhere.example.com', 'team/app')).toBeUndefined();
  });

  it('matches Docker Hub aliases', () => {
    expect(longestPrefixMatch(['https://index.docker.io/v1/'], 'docker.io', 'library/ruby')).toBe('https://index.docker.io/v1/');
  });
});

describe('findCredentials', () => {
  it('decodes auth (base64 user:password) and names the source file', async () => {
    const dir = configDir({ auths: { '127.0.0.1:5001': { auth: b64('jobsim:pa:ss') } } });
    const found = await findCredentials('127.0.0.1:5001', 'jobsim/shell', { dockerConfigDir: dir, env: NO_ENV });
    expect(found?.auth).toEqual({ username: 'jobsim', password: 'pa:ss', serveraddress: '127.0.0.1:5001' });
    expect(found?.source).toBe(join(dir, 'config.json'));
    expect(found?.secrets).toContain('pa:ss');
  });

  it('accepts username/password and identitytoken entries', async () => {
    const dir = configDir({ auths: { 'a.example': { username: 'u', password: 'p' }, 'b.example': { identitytoken: 'tok' } } });
    expect((await findCredentials('a.example', 'x', { dockerConfigDir: dir, env: NO_ENV }))?.auth).toMatchObject({ username: 'u', password: 'p' });
    expect((await findCredentials('b.example', 'x', { dockerConfigDir: dir, env: NO_ENV }))?.auth).toEqual({ identitytoken: 'tok', serveraddress: 'b.example' });
  });

  it('uses the Docker Hub server address for Docker Hub images', async () => {
    const dir = configDir({ auths: { 'https://index.docker.io/v1/': { auth: b64('u:p') } } });
    expect((await findCredentials('docker.io', 'library/ruby', { dockerConfigDir: dir, env: NO_ENV }))?.auth.serveraddress).toBe(DOCKER_HUB_SERVER);
  });

  it('prefers DOCKER_AUTH_CONFIG (job variable, then environment) over the config dir', async () => {
    const dir = configDir({ auths: { 'r.example': { auth: b64('file:f') } } });
    const fromEnv = JSON.stringify({ auths: { 'r.example': { auth: b64('env:e') } } });
    const fromJob = JSON.stringify({ auths: { 'r.example': { auth: b64('job:j') } } });
    const viaEnv = await findCredentials('r.example', 'x', { dockerConfigDir: dir, env: { DOCKER_AUTH_CONFIG: fromEnv } });
    expect(viaEnv).toMatchObject({ source: '$DOCKER_AUTH_CONFIG', auth: { username: 'env' } });
    const viaJob = await findCredentials('r.example', 'x', { dockerConfigDir: dir, env: { DOCKER_AUTH_CONFIG: fromEnv }, jobAuthConfig: fromJob });
    expect(viaJob?.auth).toMatchObject({ username: 'job' });
    const otherRegistry = await findCredentials('other.example', 'x', { dockerConfigDir: dir, env: { DOCKER_AUTH_CONFIG: fromEnv } });
    expect(otherRegistry).toBeUndefined();
  });

  it('finds $DOCKER_CONFIG when no dir is given', async () => {
    const dir = configDir({ auths: { 'r.example': { auth: b64('u:p') } } });
    expect(await findCredentials('r.example', 'x', { env: { DOCKER_CONFIG: dir } })).toMatchObject({ auth: { username: 'u' } });
  });

  it('returns undefined with no config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobsim-auth-unit-'));
    dirs.push(dir);
    expect(await findCredentials('r.example', 'x', { dockerConfigDir: dir, env: NO_ENV })).toBeUndefined();
  });

  it('reports broken JSON without quoting its content', async () => {
    const secret = 'hunter2-very-secret';
    const dir = configDir(`{"auths": {"r.example": {"password": "${secret}" oops}}}`);
    const error = await findCredentials('r.example', 'x', { dockerConfigDir: dir, env: NO_ENV }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toContain('is not valid JSON');
    expect((error as Error).message).not.toContain(secret);
  });

  it('rejects credential helper names with path separators', async () => {
    await expect(runCredentialHelper('../../bin/sh', 'r.example')).rejects.toThrow('is not allowed');
    const dir = configDir({ credsStore: 'a/b' });
    await expect(findCredentials('r.example', 'x', { dockerConfigDir: dir, env: NO_ENV })).rejects.toThrow('must not contain path separators');
  });
});
