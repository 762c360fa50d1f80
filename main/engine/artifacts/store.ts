// The host side of artifacts, streamed both ways (a file is never held in memory whole):
// - storeSelected: reads the tar of the container's project dir and writes only the selected entries
//   into the job's folder of the local artifact store;
// - packStored: turns a stored folder back into a tar for putArchive into a later job's project dir.

import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { artifactNames } from './masked-names.js';
import { symlinkTargetInside, type ArtifactSelector } from './paths.js';

export interface StoreRequest {
  /** A tar from Docker's GET /archive: of the project dir itself, or of one of its top-level entries. */
  archive: NodeJS.ReadableStream;
  /**
   * `project-dir`: names start with the project dir's basename (stripped);
   * `top-level-entry`: names start with the entry's name, so they already are project-relative.
   */
  rootedAt: 'project-dir' | 'top-level-entry';
  /** The project dir inside the container (symlink targets are judged against it). */
  projectDir: string;
  selector: ArtifactSelector;
  destDir: string;
  warn(text: string): void;
  /** Values of masked variables: a name holding one is stored with it masked (see masked-names.ts). */
  secrets?: readonly string[];
}

export interface StoreResult {
  files: number;
  directories: number;
  bytes: number;
}

/** `app/out/x` → `out/x`; `app` and `app/` → '' (the project dir itself). */
function withoutFirstComponent(name: string): string {
  const trimmed = name.replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  return slash === -1 ? '' : trimmed.slice(slash + 1);
}

function insideDir(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Totals and bookkeeping shared by the archives of one upload (several top-level entries go to one folder). */
export class StoreState {
  readonly result: StoreResult = { files: 0, directories: 0, bytes: 0 };
  readonly storedSymlinks: string[] = [];
  readonly stored = new Set<string>();
}

export async function storeSelected(request: StoreRequest, state = new StoreState()): Promise<StoreResult> {
  const { selector, destDir } = request;
  const { result, storedSymlinks, stored } = state;
  const names = artifactNames(request.secrets, (text) => request.warn(text));
  const onDisk = (path: string): string => join(destDir, ...names.stored(path).split('/'));
  await mkdir(destDir, { recursive: true });
  const extract = tar.extract();
  const fed = pipeline(request.archive, extract);
  // Awaited after the loop; without this a failure inside the loop would leave it unhandled.
  fed.catch(() => undefined);
  for await (const entry of extract) {
    const header = entry.header;
    const path = request.rootedAt === 'project-dir' ? withoutFirstComponent(header.name) : header.name.replace(/\/+$/, '');
    const type = header.type ?? 'file';
    const isDirectory = type === 'directory';
    const safe = path !== '' && insideDir(destDir, join(destDir, ...path.split('/'))) && !storedSymlinks.some((link) => path.startsWith(`${link}/`));
    if (!safe || !selector.select(path, isDirectory)) {
      entry.resume();
      continue;
    }
    const target = onDisk(path);
    if (isDirectory) {
      await mkdir(target, { recursive: true });
      result.directories += 1;
    } else if (type === 'file' || type === 'contiguous-file') {
      await mkdir(join(target, '..'), { recursive: true });
      await pipeline(entry, createWriteStream(target, { mode: (header.mode ?? 0o644) & 0o777 }));
      stored.add(path);
      result.files += 1;
      result.bytes += header.size ?? 0;
      continue;
    } else if (type === 'symlink') {
      const inside = symlinkTargetInside(path, header.linkname ?? '', request.projectDir);
      if (inside === undefined) {
        selector.retractLast();
        request.warn(`${path}: not supported: symlink points outside build directory (${header.linkname ?? ''})`);
      } else {
        await mkdir(join(target, '..'), { recursive: true });
        await symlink(names.linkTarget(inside), target);
        storedSymlinks.push(path);
        result.files += 1;
      }
    } else if (type === 'link') {
      // A hard link names an earlier entry of the same archive: copy it if that one was stored.
      const linkname = header.linkname ?? '';
      const original = request.rootedAt === 'project-dir' ? withoutFirstComponent(linkname) : linkname.replace(/\/+$/, '');
      if (stored.has(original)) {
        await mkdir(join(target, '..'), { recursive: true });
        await copyFile(onDisk(original), target);
        stored.add(path);
        result.files += 1;
      }
    } else {
      request.warn(`${path}: not supported: ${type} is not a regular file, directory or symlink`);
    }
    entry.resume();
  }
  await fed;
  return result;
}

export interface PackResult {
  tar: Readable;
  /** Resolves with the totals when the whole folder has been packed. */
  done: Promise<{ files: number; bytes: number }>;
  /** Stops packing (the consumer failed); `done` then rejects. */
  abort(error: Error): void;
}

/** Packs `dir` as a tar whose names start with `prefix` (e.g. `group/app`); streams file contents. */
export function packStored(dir: string, prefix: string): PackResult {
  const pack = tar.pack();
  const totals = { files: 0, bytes: 0 };
  const name = (rel: string): string => posix.join(prefix, rel);
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, ...rel.split('/').filter(Boolean)), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const full = join(dir, ...childRel.split('/'));
      const info = await lstat(full);
      const common = { name: name(childRel), mode: info.mode & 0o777, mtime: info.mtime, uid: 0, gid: 0 };
      if (info.isDirectory()) {
        pack.entry({ ...common, type: 'directory' });
        await walk(childRel);
      } else if (info.isSymbolicLink()) {
        pack.entry({ ...common, type: 'symlink', linkname: await readlink(full) });
        totals.files += 1;
      } else if (info.isFile()) {
        await pipeline(createReadStream(full), pack.entry({ ...common, type: 'file', size: info.size }));
        totals.files += 1;
        totals.bytes += info.size;
      }
    }
  };
  const done = walk('').then(
    () => {
      pack.finalize();
      return totals;
    },
    (error: unknown) => {
      pack.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    },
  );
  // tar-stream's pack is a streamx stream; Readable.from makes it a Node stream every consumer understands.
  return { tar: Readable.from(pack), done, abort: (error) => pack.destroy(error) };
}
