// `; did you mean "x"?` suffixes, built on the shared suggest() helper.

import { suggest } from './did-you-mean.js';

/** `; did you mean "script"?` when a close candidate exists, else the fallback (default empty). */
export function didYouMean(word: string, candidates: readonly string[], fallback = ''): string {
  const best = suggest(word, [...candidates]);
  return best ? `; did you mean "${best}"?` : fallback;
}

/** `job "t": cache has unknown key "path"; did you mean "paths"?`, or the allowed keys when nothing is close. */
export function unknownKeyMessage(owner: string, section: string, key: string, allowed: readonly string[]): string {
  return `${owner}: ${section} has unknown key "${key}"${didYouMean(key, allowed, ` (allowed: ${allowed.join(', ')})`)}`;
}
