// Matches glob patterns against the files of the project folder (for `rules:exists` and
// `include:local` wildcards). The folder is walked once per load, at most MAX_ENTRIES entries,
// skipping .git, like GitLab's cap on `exists` checks. Symlinks that lead out of the project (or nowhere)
// are left out: `rules:exists` and include globs never see them.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { resolveInProject } from './inside-project.js';

const MAX_ENTRIES = 10_000;

export class ProjectFiles {
  private entries: string[] | undefined;

  constructor(readonly projectDir: string) {}

  /** Project-relative paths (with `/`) matching any pattern, sorted. */
  match(patterns: string[]): string[] {
    const cleaned = patterns.map((p) => p.replace(/^\/+/, '').replace(/^\.\//, ''));
    const isMatch = picomatch(cleaned, { dot: true });
    return this.list().filter((path) => isMatch(path));
  }

  private list(): string[] {
    this.entries ??= walk(this.projectDir);
    return this.entries;
  }
}

function walk(projectDir: string): string[] {
  const found: string[] = [];
  const visit = (dir: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.length >= MAX_ENTRIES) return;
      if (entry.name === '.git') continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      // A symlink counts only when it leads to something inside the project (see inside-project.ts).
      if (entry.isSymbolicLink() && resolveInProject(projectDir, rel).kind !== 'inside') continue;
      found.push(rel);
      if (entry.isDirectory()) visit(join(dir, entry.name), rel);
    }
  };
  visit(projectDir, '');
  return found.sort();
}
