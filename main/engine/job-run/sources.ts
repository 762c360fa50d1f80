// The project's files as a tar stream for the builds volume: what git tracks plus uncommitted and new
// (not ignored) files, like a fresh checkout of the working tree; without a repository, the folder minus
// `.git` and what its `.gitignore` files ignore.
// Streamed file by file: a large repository is never held in memory.

import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { lstat, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar-stream';

const run = promisify(execFile);

/** Paths relative to the project, `/`-separated. */
export async function listProjectFiles(projectDir: string): Promise<string[]> {
  try {
    const { stdout } = await run('git', ['-C', projectDir, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { maxBuffer: 256 * 1024 * 1024 });
    const files = [...new Set(stdout.split('\0').filter((f) => f !== ''))];
    return files;
  } catch {
    return (await listWithThrowawayGitDir(projectDir)) ?? walk(projectDir, '');
  }
}

/**
 * Not a git repository: still honour its `.gitignore` files, using git with an empty throwaway
 * repository whose work tree is the project folder. Undefined when git is not installed.
 */
async function listWithThrowawayGitDir(projectDir: string): Promise<string[] | undefined> {
  const gitDir = await mkdtemp(path.join(tmpdir(), 'jobsim-gitdir-'));
  try {
    await run('git', ['init', '-q', '--bare', gitDir]);
    const { stdout } = await run('git', [`--git-dir=${gitDir}`, `--work-tree=${projectDir}`, 'ls-files', '-z', '--others', '--exclude-standard'], { cwd: projectDir, maxBuffer: 256 * 1024 * 1024 });
    return stdout.split('\0').filter((f) => f !== '' && !SKIPPED_WITHOUT_GIT.has(f.split('/')[0] ?? ''));
  } catch {
    return undefined;
  } finally {
    await rm(gitDir, { recursive: true, force: true });
  }
}

const SKIPPED_WITHOUT_GIT = new Set(['.git', '.jobsim']);

async function walk(root: string, relative: string): Promise<string[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (relative === '' && SKIPPED_WITHOUT_GIT.has(entry.name)) continue;
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await walk(root, child)));
    else files.push(child);
  }
  return files;
}

export interface SourcesArchive {
  stream: NodeJS.ReadableStream;
  /** Resolves once every file has been written into the stream. */
  done: Promise<{ files: number; bytes: number }>;
  /** Stops reading files (the receiving side failed): closes the open file and ends the stream. */
  abort(error: Error): void;
}

/** A tar stream of the files, each under `prefix/` (e.g. `local/demo`). Deleted-but-tracked files are skipped. */
export function archiveProject(projectDir: string, files: string[], prefix: string): SourcesArchive {
  const pack = tar.pack();
  const done = (async () => {
    let count = 0;
    let bytes = 0;
    try {
      await entry(pack, { name: prefix, type: 'directory', mode: 0o777 });
      for (const file of files) {
        const full = path.join(projectDir, file);
        const info = await lstat(full).catch(() => undefined);
        if (!info) continue;
        const name = `${prefix}/${file}`;
        if (info.isSymbolicLink()) {
          await entry(pack, { name, type: 'symlink', linkname: await readlink(full), mode: 0o777 });
        } else if (info.isFile()) {
          await new Promise<void>((resolve, reject) => {
            const sink = pack.entry({ name, size: info.size, mode: info.mode & 0o777, mtime: info.mtime }, (error) => (error ? reject(error) : resolve()));
            createReadStream(full).on('error', reject).pipe(sink);
          });
          bytes += info.size;
        } else {
          continue;
        }
        count++;
      }
      pack.finalize();
      return { files: count, bytes };
    } catch (error) {
      pack.destroy(error as Error);
      throw error;
    }
  })();
  done.catch(() => undefined);
  return { stream: pack as unknown as NodeJS.ReadableStream, done, abort: (error) => pack.destroy(error) };
}

function entry(pack: tar.Pack, header: Partial<tar.Header> & Pick<tar.Header, 'name'>): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, (error) => (error ? reject(error) : resolve())));
}
