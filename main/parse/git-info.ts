// What the local git repository says about the project: commit, branch, origin remote. Read with
// execFile (no shell). A folder that is not a git repository is fine: those fields are left out.

import { execFile } from 'node:child_process';
import { basename } from 'node:path';

export interface GitInfo {
  sha?: string;
  branch?: string;
  title?: string;
  message?: string;
  author?: string;
  timestamp?: string;
  originUrl?: string;
  /** From origin/HEAD when the clone knows it. */
  defaultBranch?: string;
  /** Without origin/HEAD: `main` when such a branch exists (local or origin's), else `master` when that one does. */
  guessedDefaultBranch?: string;
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000, windowsHide: true }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim());
    });
  });
}

const USUAL_DEFAULT_BRANCHES = ['main', 'master'];

export async function readGitInfo(projectDir: string): Promise<GitInfo> {
  const [sha, branch, log, originUrl, originHead, usualBranches] = await Promise.all([
    git(projectDir, ['rev-parse', '--verify', '-q', 'HEAD']),
    git(projectDir, ['symbolic-ref', '-q', '--short', 'HEAD']),
    git(projectDir, ['log', '-1', '--format=%an <%ae>%x00%cI%x00%B']),
    git(projectDir, ['remote', 'get-url', 'origin']),
    git(projectDir, ['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD']),
    git(projectDir, ['for-each-ref', '--format=%(refname)', ...USUAL_DEFAULT_BRANCHES.flatMap((b) => [`refs/heads/${b}`, `refs/remotes/origin/${b}`])]),
  ]);
  const existing = new Set((usualBranches ?? '').split('\n').map((ref) => ref.replace(/^refs\/(heads|remotes\/origin)\//, '')));
  const guessedDefaultBranch = USUAL_DEFAULT_BRANCHES.find((b) => existing.has(b));
  const [author, timestamp, message] = log ? log.split('\0') : [];
  return {
    sha: sha || undefined,
    branch: branch || undefined,
    author,
    timestamp,
    message: message?.trim(),
    title: message?.trim().split('\n')[0],
    originUrl: originUrl || undefined,
    defaultBranch: originHead?.replace(/^origin\//, '') || undefined,
    ...(guessedDefaultBranch ? { guessedDefaultBranch } : {}),
  };
}

/** The namespace used when there is no origin remote: `local/<folder>`. */
export const LOCAL_NAMESPACE = 'local';

/**
 * `group/sub/project` from an origin URL (`git@host:group/project.git`, `https://host/group/project`,
 * `ssh://git@host:22/group/project.git`); otherwise `local/<folder name>`.
 */
export function projectPathFrom(originUrl: string | undefined, projectDir: string): string {
  const fromRemote = originUrl ? pathFromRemote(originUrl) : undefined;
  return fromRemote ?? `${LOCAL_NAMESPACE}/${slug(basename(projectDir)) || 'project'}`;
}

function pathFromRemote(url: string): string | undefined {
  let path: string | undefined;
  const scp = /^[^/@]+@[^:/]+:(.+)$/.exec(url);
  if (scp) path = scp[1];
  else {
    try {
      path = new URL(url).pathname;
    } catch {
      path = url.includes('/') ? url : undefined;
    }
  }
  const cleaned = path?.replace(/\.git\/?$/, '').replace(/^\/+|\/+$/g, '');
  if (!cleaned || !cleaned.includes('/')) return cleaned ? `${LOCAL_NAMESPACE}/${cleaned}` : undefined;
  return cleaned;
}

/** GitLab's slug: lowercased, anything but a-z0-9 becomes `-`, trimmed, at most 63 characters. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}
