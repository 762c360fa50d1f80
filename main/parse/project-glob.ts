// Matches glob patterns against the files of the project folder (for `rules:exists` and
// `include:local` wildcards). Walks at most MAX_ENTRIES entries, skipping .git, like GitLab's cap.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';

const MAX_ENTRIES = 10_000;

/** Project-relative paths (with `/`) of files matching any pattern, sorted. */
export function globProject(projectDir: string, patterns: string[]): string[] {
  const cleaned = patterns.map((p) => p.replace(/^\/+/, '').replace(/^\.\//, ''));
  const isMatch = picomatch(cleaned, { dot: true });
  const found: string[] = [];
  let seen = 0;
  const walk = (dir: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (seen >= MAX_ENTRIES) return;
      seen += 1;
      if (entry.name === '.git') continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (isMatch(rel)) found.push(rel);
      if (entry.isDirectory()) walk(join(dir, entry.name), rel);
    }
  };
  walk(projectDir, '');
  return found.sort();
}
