// `artifacts:paths` / `artifacts:exclude` rules, the way GitLab Runner's archiver applies them: patterns are
// relative to the project dir (an absolute path inside it is accepted), `**` crosses directories, dot files
// match, a matched directory brings its whole subtree, `exclude` removes files (and, here, whole subtrees
// when it matches a directory). A pattern that leaves the project dir is skipped with GitLab's warning.
// Pure: used on the stream of entries of the container's project dir.

import picomatch from 'picomatch';
import { posix } from 'node:path';

export interface ArtifactPattern {
  /** As written in the job file, for messages. */
  written: string;
  /** Relative to the project dir, normalised, no trailing slash. */
  relative: string;
  matches(path: string): boolean;
}

export type PatternCheck = { ok: true; pattern: ArtifactPattern } | { ok: false; written: string; warning: string };

/** `./out/` → `out`; `/builds/g/p/out` → `out`; anything leaving the project dir is refused with GitLab's message. */
export function checkArtifactPattern(written: string, projectDir: string): PatternCheck {
  const trimmed = written.trim();
  const absolute = trimmed.startsWith('/') ? trimmed : posix.join(projectDir, trimmed);
  const relative = posix.relative(projectDir, posix.normalize(absolute));
  if (relative === '..' || relative.startsWith('../') || posix.isAbsolute(relative)) {
    return { ok: false, written, warning: `${written}: not supported: outside build directory` };
  }
  const path = relative === '' ? '**' : relative;
  const matcher = picomatch(path, { dot: true });
  return { ok: true, pattern: { written, relative: path, matches: (candidate) => matcher(candidate) } };
}

/** Decides for each entry of the project dir (in walk order: a directory before its contents) whether it is an artifact. */
export class ArtifactSelector {
  /** Directories already selected (their whole subtree is), per path pattern. */
  private readonly selectedDirs = new Map<ArtifactPattern, string[]>();
  private readonly excludedDirs: { dir: string; by: ArtifactPattern }[] = [];
  readonly found = new Map<ArtifactPattern, number>();
  readonly excluded = new Map<ArtifactPattern, number>();
  private lastMatched: ArtifactPattern[] = [];

  constructor(
    private readonly paths: ArtifactPattern[],
    private readonly excludes: ArtifactPattern[],
  ) {
    for (const pattern of paths) {
      this.found.set(pattern, 0);
      this.selectedDirs.set(pattern, []);
    }
    for (const pattern of excludes) this.excluded.set(pattern, 0);
  }

  /** `path` is relative to the project dir, without a trailing slash. */
  select(path: string, isDirectory: boolean): boolean {
    const inExcludedDir = this.excludedDirs.find(({ dir }) => isInside(path, dir))?.by;
    const excluder = inExcludedDir ?? this.excludes.find((pattern) => pattern.matches(path));
    if (excluder) {
      this.excluded.set(excluder, (this.excluded.get(excluder) ?? 0) + 1);
      // Only the top of an excluded subtree is remembered: the list stays short however deep the tree.
      if (isDirectory && !inExcludedDir) this.excludedDirs.push({ dir: path, by: excluder });
      return false;
    }
    this.lastMatched = [];
    for (const pattern of this.paths) {
      const dirs = this.selectedDirs.get(pattern) ?? [];
      const inSelectedDir = dirs.some((dir) => isInside(path, dir));
      if (!inSelectedDir && !pattern.matches(path)) continue;
      this.lastMatched.push(pattern);
      this.found.set(pattern, (this.found.get(pattern) ?? 0) + 1);
      if (isDirectory && !inSelectedDir) dirs.push(path);
    }
    return this.lastMatched.length > 0;
  }

  /** Un-counts the last selected non-directory entry (a symlink that turned out to point outside). */
  retractLast(): void {
    for (const pattern of this.lastMatched) this.found.set(pattern, (this.found.get(pattern) ?? 1) - 1);
    this.lastMatched = [];
  }
}

/**
 * The top-level entries of the project dir that can hold every match, so only those are streamed out of
 * the container (not, say, node_modules when the artifacts are `dist/`). undefined: a pattern starts with
 * a glob, so the whole project dir is needed. Only top-level names are used: Docker resolves symlinks in
 * the middle of an archive path (which could lead out of the build dir) but never the last component.
 */
export function archiveRoots(patterns: ArtifactPattern[]): string[] | undefined {
  const roots = new Set<string>();
  for (const pattern of patterns) {
    const first = picomatch.scan(pattern.relative).base.split('/')[0];
    if (!first || first === '.' || first === '..') return undefined;
    roots.add(first);
  }
  return [...roots].sort();
}

function isInside(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`);
}

/**
 * Where a symlink in the project dir points, relative to the project dir, or undefined when it leaves it.
 * Symlinks that stay inside are stored as (relative) symlinks; the others are never stored or followed:
 * in the host's artifact store they would point at the host's own files.
 */
export function symlinkTargetInside(linkPath: string, target: string, projectDir: string): string | undefined {
  const absolute = target.startsWith('/') ? posix.normalize(target) : posix.join(projectDir, posix.dirname(linkPath), target);
  const relative = posix.relative(projectDir, absolute);
  if (relative === '..' || relative.startsWith('../') || posix.isAbsolute(relative)) return undefined;
  return posix.relative(posix.dirname(linkPath), relative) || '.';
}
