// GitLab Runner's sanitizeCacheKey (shells/abstract.go, unhashed mode): a cache key may be a path. `%2F`,
// `%2E` and `\` become `/` and `.`, the path is cleaned inside a root (no `..` can climb out), trailing
// elements that are empty or end in spaces are trimmed. A key that changed is logged as a warning, a key
// that is left empty means the cache is skipped.

import { posix } from 'node:path';

export interface SanitizedKey {
  /** Empty when nothing usable is left. */
  key: string;
  /** The runner's warning line, when the key changed or could not be sanitized. */
  warning?: string;
}

export function sanitizeCacheKey(raw: string): SanitizedKey {
  if (raw === '') return { key: '' };
  const decoded = raw.replace(/%2e/gi, '.').replace(/%2f/gi, '/').replace(/\\/g, '/');
  let cleaned = goJoin('/', decoded);
  let key = '';
  while (cleaned !== '') {
    const slash = cleaned.lastIndexOf('/');
    const dir = cleaned.slice(0, slash + 1);
    const file = cleaned.slice(slash + 1).replace(/\s+$/u, '');
    if (file === '') {
      cleaned = dir.slice(0, -1);
      continue;
    }
    key = goJoin(dir.slice(1), file);
    break;
  }
  if (key === '') return { key, warning: `cache key ${goQuote(raw)} could not be sanitized` };
  if (key !== raw) return { key, warning: `cache key ${goQuote(raw)} sanitized to ${goQuote(key)}` };
  return { key };
}

/** Go's path.Clean: like posix.normalize, but without a trailing slash, and "." for nothing. */
function goClean(path: string): string {
  if (path === '') return '.';
  const normalized = posix.normalize(path);
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}

/** Go's path.Join: the non-empty elements joined with `/`, then cleaned. */
function goJoin(...elements: string[]): string {
  const parts = elements.filter((e) => e !== '');
  return parts.length === 0 ? '' : goClean(parts.join('/'));
}

/** Go's %q for the common cases: a double-quoted string with `"` and `\` escaped. */
function goQuote(text: string): string {
  return JSON.stringify(text).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}
