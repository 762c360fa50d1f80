import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHostKey, knownHostsName } from '../../../main/docker/known-hosts.js';

const key = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIJ8hostkeyhostkeyhostkeyhostkeyhostkey', 'base64');
const other = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOtheroneotheroneotheroneotheroneothe', 'base64');
const line = (hosts: string, k: Buffer = key): string => `${hosts} ssh-ed25519 ${k.toString('base64')} comment`;

/** A hashed name as `ssh-keygen -H` writes it. */
function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts, as OpenSSH reads it', () => {
  it('names hosts on other ports [host]:port', () => {
    expect(knownHostsName('box', 22)).toBe('box');
    expect(knownHostsName('box', 2222)).toBe('[box]:2222');
  });

  it('knows a host listed with this key, by name, by pattern or hashed', () => {
    expect(checkHostKey([line('box,10.0.0.5')], 'box', 22, key)).toEqual({ kind: 'known' });
    expect(checkHostKey([line('*.example.org')], 'build.example.org', 22, key)).toEqual({ kind: 'known' });
    expect(checkHostKey([line(hashed('[127.0.0.1]:2200'))], '127.0.0.1', 2200, key)).toEqual({ kind: 'known' });
  });

  it('does not take a port-22 entry for another port', () => {
    expect(checkHostKey([line('box')], 'box', 2222, key)).toEqual({ kind: 'unknown' });
  });

  it('reports a changed key when the host is listed only with others', () => {
    expect(checkHostKey([line('box', other)], 'box', 22, key)).toEqual({ kind: 'changed' });
    expect(checkHostKey([line('box', other), line('box')], 'box', 22, key)).toEqual({ kind: 'known' });
  });

  it('honours negated patterns, @revoked and comments; skips @cert-authority lines', () => {
    expect(checkHostKey([line('*.example.org,!evil.example.org')], 'evil.example.org', 22, key)).toEqual({ kind: 'unknown' });
    expect(checkHostKey([`# ${line('box')}`], 'box', 22, key)).toEqual({ kind: 'unknown' });
    expect(checkHostKey([`@revoked ${line('box')}`, line('box')], 'box', 22, key)).toEqual({ kind: 'revoked' });
    expect(checkHostKey([`@cert-authority ${line('box')}`], 'box', 22, key)).toEqual({ kind: 'unknown' });
  });

  it('reads the system file after the user one', () => {
    expect(checkHostKey(['', line('box')], 'box', 22, key)).toEqual({ kind: 'known' });
  });
});
