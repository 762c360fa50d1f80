// `cache:paths` entries: checked to stay inside the project dir, and classified by how they can be restored.
// A literal directory path can be mounted as a copy-on-write overlay (restore costs the same at any size);
// globs and odd names are copied instead (see docs/cache.md).

import { posix } from 'node:path';

export type CachePath =
  /** A plain relative path: candidates for an overlay mount. */
  | { kind: 'literal'; pattern: string; path: string }
  /** Contains glob characters; `recursive` when it uses `**`. */
  | { kind: 'glob'; pattern: string; path: string; recursive: boolean };

export type PathCheck = { ok: true; path: CachePath } | { ok: false; pattern: string; reason: string };

const GLOB_CHARS = /[*?[\]]/;
/** Characters that cannot appear in an overlay mount option (`lowerdir=a:b,upperdir=…`). */
const UNSAFE_FOR_MOUNT = /[,:=\\\s"'$`]/;

/** Normalises `./vendor/` → `vendor` and refuses anything that leaves the project dir. */
export function checkCachePath(pattern: string): PathCheck {
  const trimmed = pattern.trim();
  if (trimmed === '') return { ok: false, pattern, reason: 'empty path' };
  if (trimmed.startsWith('/')) return { ok: false, pattern, reason: 'absolute paths are outside the project directory' };
  const normal = posix.normalize(trimmed).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return { ok: false, pattern, reason: 'path is outside the project directory' };
  const path = normal === '' ? '.' : normal;
  if (GLOB_CHARS.test(path)) return { ok: true, path: { kind: 'glob', pattern, path, recursive: path.includes('**') } };
  return { ok: true, path: { kind: 'literal', pattern, path } };
}

/** Whether a literal path may become an overlay mount target (the project root itself never does). */
export function mountable(path: CachePath): boolean {
  return path.kind === 'literal' && path.path !== '.' && !UNSAFE_FOR_MOUNT.test(path.path);
}

/** Every leading component: `a/b/c` → [`a`, `a/b`, `a/b/c`] (each must be a real dir, never a symlink). */
export function components(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}
