// Copies of included files fetched from a server, kept in jobsim's data dir with their fetch time, so that
// a pipeline with remote/project/template/component includes still lists offline. The file name is a hash
// of what was asked (never of a token); the record names the source without credentials.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CachedCopy {
  /** What was fetched, for whoever opens the folder (credentials left out). */
  label: string;
  fetchedAt: string;
  text: string;
}

export class IncludeCache {
  constructor(readonly dir: string) {}

  /** `key` says exactly what was asked (server, project, ref, file); it is hashed into the file name. */
  private pathOf(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  read(key: string): CachedCopy | undefined {
    try {
      const parsed = JSON.parse(readFileSync(this.pathOf(key), 'utf8')) as Partial<CachedCopy>;
      if (typeof parsed.text !== 'string' || typeof parsed.fetchedAt !== 'string' || Number.isNaN(Date.parse(parsed.fetchedAt))) return undefined;
      return { label: String(parsed.label ?? ''), fetchedAt: parsed.fetchedAt, text: parsed.text };
    } catch {
      return undefined;
    }
  }

  /** Best effort: a cache that cannot be written only costs the offline copy. */
  write(key: string, label: string, text: string, now = new Date()): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const path = this.pathOf(key);
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ label, fetchedAt: now.toISOString(), text }));
      renameSync(temp, path);
    } catch {
      // ignored on purpose (see above)
    }
  }
}

/** "3 days", "5 hours", "2 minutes": how old a cached copy is, for the offline warning. */
export function ageOf(fetchedAt: string, now = new Date()): string {
  const ms = Math.max(0, now.getTime() - new Date(fetchedAt).getTime());
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute']];
  for (const [size, name] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'}`;
  }
  return 'less than a minute';
}
