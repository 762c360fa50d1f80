// The probe at restore: the script one short-lived container runs over every cache of a job, and the
// parser of what it prints. Writer and reader of the same line protocol, kept together.

import { shQuote } from '../../docker/cache-shell.js';
import { isGeneration } from './meta.js';
import { SCRATCH_DIR } from './scripts.js';

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

export interface ProbeOutput {
  found: Map<number, { candidate: number; generation: string }>;
  meta: Map<number, string>;
  lower: Map<string, string>;
  source: Set<string>;
  mode: Map<number, string>;
}

export function parseProbe(stdout: string): ProbeOutput {
  const output: ProbeOutput = { found: new Map(), meta: new Map(), lower: new Map(), source: new Set(), mode: new Map() };
  for (const line of stdout.split('\n')) {
    const [word, cache, a, b] = line.split(' ');
    const index = Number(cache);
    if (word === 'FOUND' && a !== undefined && b !== undefined && isGeneration(b)) output.found.set(index, { candidate: Number(a), generation: b });
    else if (word === 'META') output.meta.set(index, line.split(' ').slice(2).join(' '));
    else if (word === 'LOWER' && a !== undefined && b !== undefined) output.lower.set(`${index}-${a}`, b);
    else if (word === 'SOURCE' && a !== undefined) output.source.add(`${index}-${a}`);
    else if (word === 'MODE' && a !== undefined) output.mode.set(index, a);
  }
  return output;
}
