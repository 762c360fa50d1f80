// Matches glob patterns against the files of the project folder (for `include:local` wildcards), and
// lists the files a checkout would have (for `rules:exists`). The folder is walked once per load, at
// most MAX_ENTRIES entries, skipping .git, like GitLab's cap on `exists` checks. Symlinks that lead out
// of the project (or nowhere) are left out: `rules:exists` and include globs never see them.

import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { resolveInProject } from './inside-project.js';

const MAX_ENTRIES = 10_000;

export class ProjectFiles {
  private entries: string[] | undefined;
  private checkout: string[] | undefined;

  constructor(readonly projectDir: string) {}

  /** Project-relative paths (with `/`) matching any pattern, sorted. */
  match(patterns: string[]): string[] {
    // picomatch throws on an empty pattern; an empty pattern matches nothing.
    const cleaned = patterns.map((p) => p.replace(/^\/+/, '').replace(/^\.\//, '')).filter((p) => p !== '');
    if (cleaned.length === 0) return [];
    const isMatch = picomatch(cleaned, { dot: true });
    return this.list().filter((path) => isMatch(path));
  }

  /**
   * GitLab checks `rules:exists` against the files of the commit. Locally that is the working tree as it
   * would be committed: in a git repository what git tracks (still on disk) plus new files it does not
   * ignore; elsewhere every file of the folder. Files only, no folders, as in a git tree listing.
   */
  checkoutFiles(): string[] {
    this.checkout ??= (gitListedFiles(this.projectDir) ?? this.list().filter((path) => !isFolder(this.projectDir, path))).sort();
    return this.checkout;
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

function gitListedFiles(projectDir: string): string[] | undefined {
  let listed: string;
  try {
    listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: projectDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, maxBuffer: 256 * 1024 * 1024, windowsHide: true,
    });
  } catch {
    return undefined;
  }
  const paths = [...new Set(listed.split('\0').filter((p) => p !== ''))];
  return paths.filter((path) => {
    try {
      const stat = lstatSync(join(projectDir, path));
      if (stat.isSymbolicLink()) return resolveInProject(projectDir, path).kind === 'inside';
      return !stat.isDirectory();
    } catch {
      return false; // deleted in the working tree
    }
  });
}

function isFolder(projectDir: string, path: string): boolean {
  try {
    return lstatSync(join(projectDir, path)).isDirectory();
  } catch {
    return false;
  }
}
