// What reading one include gives: its text, a GitLab error (the whole file is invalid, as on GitLab), or
// "unreachable" (offline, no copy): a warning, and only the jobs that depend on it are broken.

import { ageOf, type IncludeCache } from './include-cache.js';
import type { FetchOutcome } from './include-http.js';

export type Fetched =
  | { kind: 'file'; text: string; warning?: string }
  | { kind: 'error'; message: string }
  | { kind: 'unreachable'; reason: string };

/** A URL as messages show it: no user:password, no query (tokens travel there). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/**
 * Keeps a fresh copy in the cache; when the server does not answer, falls back on the cached copy with a
 * warning saying how old it is. `answer` turns the server's response into the file's text or a GitLab error.
 */
export function withCache(
  cache: IncludeCache,
  key: string,
  label: string,
  outcome: FetchOutcome,
  answer: (outcome: Extract<FetchOutcome, { kind: 'ok' | 'status' }>) => Fetched,
): Fetched {
  if (outcome.kind !== 'offline' && !(outcome.kind === 'status' && outcome.status >= 500)) {
    const result = answer(outcome);
    if (result.kind === 'file') cache.write(key, label, result.text);
    return result;
  }
  const reason = outcome.kind === 'offline' ? outcome.reason : `the server answered HTTP ${outcome.status}`;
  const copy = cache.read(key);
  if (!copy) return { kind: 'unreachable', reason };
  return { kind: 'file', text: copy.text, warning: `${reason}; using the copy fetched ${ageOf(copy.fetchedAt)} ago (${copy.fetchedAt})` };
}
