// The save at post-build: the script a short-lived container runs to write a new generation of a cache,
// and the parser of what it prints. Writer and reader of the same line protocol, kept together.

import { shQuote } from '../../docker/cache-shell.js';
import type { CachePath } from './paths.js';
import { findPattern, globWord, STORE_DIR, TRACKED_LIST } from './scripts.js';

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

/** One line of a save's report, in the order printed. */
export type SaveLine = { kind: 'match'; index: number | 'untracked'; count: number } | { kind: 'copy-failed'; path: string };

export interface SaveOutput {
  lines: SaveLine[];
  result?: { kind: 'unchanged' } | { kind: 'nothing' } | { kind: 'saved'; bytes: number; files: number };
}

export function parseSaveOutput(stdout: string): SaveOutput {
  const output: SaveOutput = { lines: [] };
  for (const line of stdout.split('\n')) {
    const [word, a, b] = line.split(' ');
    if (word === 'MATCH' && a !== undefined) output.lines.push({ kind: 'match', index: a === 'untracked' ? 'untracked' : Number(a), count: Number(b ?? '0') });
    else if (word === 'COPYFAIL') output.lines.push({ kind: 'copy-failed', path: line.slice('COPYFAIL '.length) });
    else if (line === 'UNCHANGED') output.result ??= { kind: 'unchanged' };
    else if (line === 'NOTHING') output.result ??= { kind: 'nothing' };
    else if (word === 'SAVED') output.result ??= { kind: 'saved', bytes: Number(a), files: Number(b) };
  }
  return output;
}
