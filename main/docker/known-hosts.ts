// Whether an SSH host key is the one the user's known_hosts files hold for that host, read the way
// OpenSSH reads them: `[host]:port` for ports other than 22, hashed names (`|1|salt|hash`), patterns with
// `*`, `?` and `!negation`, `@revoked` lines. jobsim never adds a key itself: the user accepts a new host
// with `ssh` once, as they would before `docker -H ssh://…`.

import { createHmac } from 'node:crypto';

export type HostKeyVerdict =
  | { kind: 'known' }
  | { kind: 'unknown' }
  /** The host is listed with other keys: the key changed, or someone is in the middle. */
  | { kind: 'changed' }
  | { kind: 'revoked' };

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hashedMatch(entry: string, name: string): boolean {
  const [, magic, salt, hash] = entry.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

/** OpenSSH's rule: a negated pattern that matches excludes the line, whatever else matches. */
function patternsMatch(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatch(field, name);
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    if (globToRegExp(negated ? pattern.slice(1) : pattern).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** @param files the text of each known_hosts file (the user's, then the system's). */
export function checkHostKey(files: readonly string[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const blob = key.toString('base64');
  let listed = false;
  let known = false;
  for (const text of files) {
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const fields = line.split(/\s+/);
      const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
      const [hosts, , keyText] = fields;
      if (!hosts || !keyText || !patternsMatch(hosts, name)) continue;
      if (marker === '@revoked') {
        if (keyText === blob) return { kind: 'revoked' };
        continue;
      }
      // Certificate authorities sign host certificates; a plain host key never matches them.
      if (marker === '@cert-authority') continue;
      listed = true;
      if (keyText === blob) known = true;
    }
  }
  if (known) return { kind: 'known' };
  return listed ? { kind: 'changed' } : { kind: 'unknown' };
}
