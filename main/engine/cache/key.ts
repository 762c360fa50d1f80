// The cache key of one `cache:` entry. Literal keys arrive with variables already expanded by the parser;
// `key:files` keys are computed here from the files in the project folder on the host.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { CacheKeySpec } from '../../../shared/plan.js';
import { outsideMessage, resolveInProject } from '../../parse/inside-project.js';
import { sanitizeCacheKey } from './sanitize-key.js';

export const DEFAULT_CACHE_KEY = 'default';

/** `warning`: the runner's log line when the key had to be sanitized. */
export type ResolvedKey = { ok: true; key: string; warning?: string } | { ok: false; reason: string; warning?: string };

/** The key after variable expansion, sanitized as GitLab Runner does it (a key may hold `/`). */
export function checkKey(raw: string): ResolvedKey {
  const { key, warning } = sanitizeCacheKey(raw);
  const note = warning === undefined ? {} : { warning };
  return key === '' ? { ok: false, reason: 'empty cache key', ...note } : { ok: true, key, ...note };
}

function insideProject(projectDir: string, file: string): string | undefined {
  const absolute = resolve(projectDir, file);
  const rel = relative(projectDir, absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return absolute;
}

/**
 * `key:files`: a SHA-256 over the contents of up to two files, as `<prefix>-<sha>` (GitLab uses the SHA of the
 * last commit that changed them; jobsim hashes contents so uncommitted edits count — see docs/cache.md).
 * No file present: `default`, or `<prefix>-default`.
 */
export async function filesKey(projectDir: string, files: string[], prefix?: string): Promise<string> {
  const hash = createHash('sha256');
  let found = 0;
  for (const file of files.slice(0, 2)) {
    const absolute = insideProject(projectDir, file);
    if (!absolute || resolveInProject(projectDir, file).kind === 'outside') continue;
    let content: Buffer;
    try {
      content = await readFile(absolute);
    } catch {
      continue;
    }
    found += 1;
    hash.update(`${file}\0${content.length}\0`);
    hash.update(content);
  }
  const base = found === 0 ? DEFAULT_CACHE_KEY : hash.digest('hex').slice(0, 40);
  return prefix ? `${prefix}-${base}` : base;
}

export async function resolveCacheKey(spec: CacheKeySpec, projectDir: string): Promise<ResolvedKey> {
  if (spec.kind === 'literal') return checkKey(spec.value);
  for (const file of spec.files.slice(0, 2)) {
    const resolved = resolveInProject(projectDir, file);
    if (resolved.kind === 'outside') return { ok: false, reason: outsideMessage('cache:key:files', file, resolved.real) };
  }
  return checkKey(await filesKey(projectDir, spec.files, spec.prefix));
}
