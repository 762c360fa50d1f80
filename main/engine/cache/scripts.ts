// What the cache containers' scripts share: the layout of a cache store (volume or host folder), the mount
// points, and quoting. The scripts and the parsers of their output live in probe-protocol.ts and save-protocol.ts.
// Layout:
//   current                    name of the generation that holds the cache ("g-…"); absent: never saved
//   last-used                  epoch ms of the last restore or save
//   gens/<generation>/meta.json  CacheMeta of that generation (one line)
//   gens/<generation>/tree/      the cached paths, relative to the project dir
// A save writes a whole new generation (files and meta) and then renames `current` into place: one atomic
// step, so a failed or interrupted save never changes what the next job restores, and a reader never sees
// the meta of one generation with the files of another.

import { shQuote } from '../../docker/cache-shell.js';

export const STORE_DIR = '/jobsim/store';
export const SCRATCH_DIR = '/jobsim/scratch';
/** Git's tracked files of the project (one per line), put into the save container for `untracked`. */
export const TRACKED_LIST = '/jobsim-tracked.txt';

/** A shell word that expands the glob (metacharacters unquoted, everything else quoted). */
export function globWord(path: string): string {
  return path
    .split(/([*?]|\[[^\]]*\])/)
    .filter((part) => part !== '')
    .map((part) => (/^([*?]|\[[^\]]*\])$/.test(part) ? part : shQuote(part)))
    .join('');
}

/** `find -path` pattern for a `**` glob: find's `*` also matches `/`, so `**` and `*` both cross directories. */
export function findPattern(path: string): string {
  return `./${path.replace(/\*\*\/?/g, '*')}`;
}
