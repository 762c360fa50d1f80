// The sh scripts the short-lived cache containers run. Layout of a cache store (volume or host folder):
//   current                    name of the generation that holds the cache ("g-…"); absent: never saved
//   last-used                  epoch ms of the last restore or save
//   gens/<generation>/meta.json  CacheMeta of that generation (one line)
//   gens/<generation>/tree/      the cached paths, relative to the project dir
// A save writes a whole new generation (files and meta) and then renames `current` into place: one atomic
// step, so a failed or interrupted save never changes what the next job restores, and a reader never sees
// the meta of one generation with the files of another.

import { shQuote } from '../../docker/cache-shell.js';
import type { CachePath } from './paths.js';

export const STORE_DIR = '/jobsim/store';
export const SCRATCH_DIR = '/jobsim/scratch';
/** Git's tracked files of the project (one per line), put into the save container for `untracked`. */
export const TRACKED_LIST = '/jobsim-tracked.txt';

/** Mount point of candidate store `index` in the probe container. */
export function candidateDir(index: number): string {
  return `/jobsim/c${index}`;
}

export interface ProbeCache {
  /** Index of the cache in the job. */
  index: number;
  /** Candidate stores in order (key first, then fallback keys) with their mount index. */
  candidates: number[];
  /** When every path of the cache could be an overlay: those paths (by slot); otherwise empty (copy mode). */
  literal: { slot: number; path: string }[];
}

/** Directory in the scratch volume holding the overlay upper/work dirs of one path of one cache. */
export function overlaySlotDir(cacheIndex: number, slot: number): string {
  return `${cacheIndex}-${slot}`;
}

/**
 * For each cache: finds the first candidate with a saved generation, prints its meta, checks each literal
 * path in it is a real directory reached without symlinks (an overlay lower dir is resolved on the host, so
 * a symlink there could expose host files) and that the project has nothing there yet, then decides the
 * mode. For overlays it prepares the upper/work dirs and creates the (empty) dir in the builds volume that
 * becomes the overlay's top layer, so artifacts put there after the restore show above the cache.
 * Output lines:
 *   FOUND <cache> <candidate> <generation> | MISSING <cache>
 *   META <cache> <json>
 *   LOWER <cache> <slot> dir|absent|other
 *   SOURCE <cache> <slot>              (the project already has something at that path)
 *   MODE <cache> overlay|copy
 */
export function probeScript(caches: ProbeCache[], projectDir: string, now: number, token: string): string {
  const lines = [
    'check_lower() { p="$1"; shift; if [ -L "$p" ] || [ -L "${p%/tree}" ] || [ -L "${p%/*/tree}" ]; then echo other; return; fi;',
    '  last=""; for c in "$@"; do if [ -L "$p/$c" ]; then echo other; return; fi; last="$c"; done;',
    '  if [ -d "$p/$last" ]; then echo dir; elif [ -e "$p/$last" ]; then echo other; else echo absent; fi; }',
    `mkdir -p ${SCRATCH_DIR}/empty ${SCRATCH_DIR}/check/upper ${SCRATCH_DIR}/check/work`,
  ];
  for (const cache of caches) {
    lines.push('found=""; gen=""');
    for (const candidate of cache.candidates) {
      const dir = candidateDir(candidate);
      lines.push(`if [ -z "$found" ] && [ -s ${dir}/current ]; then found=${candidate}; gen=$(cat ${dir}/current); store=${dir}; fi`);
    }
    lines.push(`if [ -z "$found" ]; then echo "MISSING ${cache.index}"; else`);
    lines.push(`  echo "FOUND ${cache.index} $found $gen"; printf 'META ${cache.index} '; cat "$store/gens/$gen/meta.json" 2>/dev/null | head -c 65536 | tr -d '\\n'; echo`);
    lines.push(`  echo ${now} > "$store/last-used.${token}" && mv "$store/last-used.${token}" "$store/last-used"`);
    lines.push(`  ok=${cache.literal.length > 0 ? 1 : 0}`);
    for (const { slot, path } of cache.literal) {
      const parts = path.split('/').map((_, i, all) => shQuote(all.slice(0, i + 1).join('/')));
      const target = shQuote(`${projectDir}/${path}`);
      lines.push(`  kind=$(check_lower "$store/gens/$gen/tree" ${parts.join(' ')}); echo "LOWER ${cache.index} ${slot} $kind"`);
      lines.push('  case "$kind" in dir|absent) ;; *) ok=0;; esac');
      lines.push(`  if [ -e ${target} ] || [ -L ${target} ]; then echo "SOURCE ${cache.index} ${slot}"; ok=0; fi`);
    }
    lines.push('  if [ "$ok" = 1 ]; then');
    for (const { slot, path } of cache.literal) {
      const slotDir = `${SCRATCH_DIR}/${overlaySlotDir(cache.index, slot)}`;
      const cached = `"$store/gens/$gen/tree/"${shQuote(path)}`;
      lines.push(`    mkdir -p ${slotDir}/upper ${slotDir}/work ${shQuote(`${projectDir}/${path}`)}`);
      // The merged dir takes the upper dir's owner and mode: mirror the cached dir so a non-root job can write.
      lines.push(`    if [ -d ${cached} ]; then chown "$(stat -c %u:%g ${cached})" ${slotDir}/upper; chmod "$(stat -c %a ${cached})" ${slotDir}/upper; else chmod 0777 ${slotDir}/upper; fi`);
    }
    lines.push(`    echo "MODE ${cache.index} overlay"; else echo "MODE ${cache.index} copy"; fi`);
    lines.push('fi');
  }
  return lines.join('\n');
}

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

export interface SaveSpec {
  projectDir: string;
  generation: string;
  paths: CachePath[];
  /** Generations to keep besides the new one (in use by running jobs). */
  keep: string[];
  /** `untracked: true`: also cache every file not listed in TRACKED_LIST (git's tracked files). */
  untracked: boolean;
  /** The "nothing changed" shortcut: the restored generation and the dirs that must all be empty. */
  unchanged?: { generation: string; dirs: string[] };
  now: number;
}

/** Switches `current` to the generation in $target atomically, then removes replaced generations. */
function switchCurrent(lines: string[], keep: string[], token: string, now: number): void {
  const store = STORE_DIR;
  lines.push(`prev=$(cat ${store}/current 2>/dev/null)`);
  lines.push(`echo "$target" > ${store}/current.${token} && mv ${store}/current.${token} ${store}/current || exit 5`);
  lines.push(`echo ${now} > ${store}/last-used.${token} && mv ${store}/last-used.${token} ${store}/last-used`);
  // Remove the generation this save replaced and leftovers of interrupted saves (older than an hour), never
  // one a running job reads from nor one another job's save is writing right now.
  lines.push(`for d in ${store}/gens/*; do b=\${d##*/}; case " $target ${keep.join(' ')} " in *" $b "*) continue;; esac;`);
  lines.push(`  if [ "$b" = "$prev" ] || [ -n "$(find "$d" -maxdepth 0 -mmin +60)" ]; then rm -rf "$d"; fi; done`);
}

/**
 * Copies the matched paths into a new generation with its meta.json, then switches `current` to it.
 * Reads env JOBSIM_META_HEAD (JSON object text without the closing brace) and, for the shortcut,
 * JOBSIM_META_UNCHANGED (the full meta of the restored generation). Output: MATCH <index> <count> per
 * path, then UNCHANGED, NOTHING or SAVED <bytes> <files>.
 */
export function saveScript(spec: SaveSpec): string {
  const store = STORE_DIR;
  const token = spec.generation;
  const lines = [`cd ${shQuote(spec.projectDir)} || { echo "ERROR cannot enter the project directory"; exit 3; }`];
  if (spec.unchanged) {
    const restored = `${store}/gens/${spec.unchanged.generation}`;
    lines.push(`changed=0; [ -d ${restored}/tree ] || changed=1`);
    for (const dir of spec.unchanged.dirs) lines.push(`[ -n "$(ls -A ${shQuote(dir)} 2>/dev/null)" ] && changed=1`);
    lines.push('if [ $changed = 0 ]; then');
    lines.push(`  printf '%s\\n' "$JOBSIM_META_UNCHANGED" > ${restored}/meta.${token} && mv ${restored}/meta.${token} ${restored}/meta.json || exit 5`);
    lines.push(`  target=${spec.unchanged.generation}`);
    switchCurrent(lines, spec.keep, token, spec.now);
    lines.push('  echo UNCHANGED; exit 0; fi');
  }
  const fresh = `${store}/gens/${spec.generation}`;
  lines.push(`new=${fresh}; rm -rf "$new"; mkdir -p "$new/tree" || exit 4`);
  lines.push('add() { d=$(dirname "$1"); mkdir -p "$new/tree/$d" && cp -a "$1" "$new/tree/$d/" 2>/dev/null || echo "COPYFAIL $1"; }');
  lines.push('total=0');
  spec.paths.forEach((path, index) => {
    if (path.kind === 'literal') {
      const word = shQuote(path.path);
      lines.push(`n=0; if [ -e ${word} ] || [ -L ${word} ]; then add ${word} && n=1; fi`);
    } else if (!path.recursive) {
      lines.push(`n=0; for f in ${globWord(path.path)}; do if [ -e "$f" ] || [ -L "$f" ]; then add "$f" && n=$((n+1)); fi; done`);
    } else {
      lines.push(`n=$(find . -path ${shQuote(findPattern(path.path))} -prune 2>/dev/null | { c=0; while IFS= read -r f; do add "\${f#./}" && c=$((c+1)); done; echo $c; })`);
    }
    lines.push(`echo "MATCH ${index} $n"; total=$((total+n))`);
  });
  if (spec.untracked) {
    lines.push(
      `n=$(find . -name .git -prune -o \\( -type f -o -type l \\) -print | sed 's#^\\./##' | grep -vxF -f ${TRACKED_LIST} | { c=0; while IFS= read -r f; do add "$f" && c=$((c+1)); done; echo $c; })`,
    );
    lines.push('echo "MATCH untracked $n"; total=$((total+n))');
  }
  lines.push('if [ $total = 0 ]; then rm -rf "$new"; echo NOTHING; exit 0; fi');
  // Bytes of the files themselves (not directory entries); du only when the image has no awk.
  lines.push(`bytes=$(find "$new/tree" -type f -exec stat -c %s {} + 2>/dev/null | awk '{ s += $1 } END { printf "%d", s }' 2>/dev/null)`);
  lines.push('[ -n "$bytes" ] || bytes=$(du -sb "$new/tree" | cut -f1); files=$(find "$new/tree" -type f | wc -l | tr -d " ")');
  lines.push(`printf '%s,"generation":"%s","sizeBytes":%s,"files":%s}\\n' "$JOBSIM_META_HEAD" ${spec.generation} "$bytes" "$files" > "$new/meta.json" || exit 5`);
  lines.push(`target=${spec.generation}`);
  switchCurrent(lines, spec.keep, token, spec.now);
  lines.push('echo "SAVED $bytes $files"');
  return lines.join('\n');
}
