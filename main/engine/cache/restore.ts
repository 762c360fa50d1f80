// Restore at pre-build. One short-lived container (the job's image) probes every cache of the job; then
// each found cache is either mounted as a copy-on-write overlay (constant cost at any size) or, when the
// paths do not allow that, copied into place by a line of the build script from a read-only mount.

import type { ContainerMount } from '../contracts.js';
import { HELPER_ROLE_PREFIX } from '../../../shared/events.js';
import { CACHE_LABELS, createOverlayVolume, createScratchVolume, removeVolume, volumeMountpoint } from '../../docker/cache-volumes.js';
import { runCacheShell, shQuote, type ShellMount } from '../../docker/cache-shell.js';
import { checkKey } from './key.js';
import { parseMeta } from './meta.js';
import { mountable } from './paths.js';
import { candidateDir, overlaySlotDir, parseProbe, probeScript, type ProbeCache, type ProbeOutput } from './probe-protocol.js';
import { SCRATCH_DIR } from './scripts.js';
import { lookUpStore, storeMount, type CacheStoreRef } from './store.js';
import { cacheEvent, helperContainer, logLine, type CacheEntry, type CacheJob, type OverlayMount } from './entry.js';

/** Mount point of a copy-mode cache inside the build container. */
export function copySourceDir(index: number): string {
  return `/jobsim/cache/${index}`;
}

export interface RestoreResult {
  mounts: ContainerMount[];
  restoreScript: string[];
  /** Names of the temporary volumes made so far (also in the job's object record, which removes them). */
  temporaryVolumes: string[];
  scratchVolume?: string;
}

/** Records a temporary volume in the job's object record (cleanup removes it) and in the result. */
function track(job: CacheJob, result: RestoreResult, name: string, role: string): void {
  result.temporaryVolumes.push(name);
  job.ctx.objects.created('volume', name, name, role);
}

interface Candidate {
  entry: CacheEntry;
  stores: CacheStoreRef[];
}

function uniqueName(job: CacheJob, role: string): string {
  return job.ctx.objects.name(role, { unique: true });
}

function temporaryLabels(job: CacheJob, role: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...job.ctx.workspace.labels, [CACHE_LABELS.role]: role, ...extra };
}

/**
 * Restores every cache whose policy pulls. Entries must already have keys and checked paths. Temporary
 * volumes are recorded in `temporaryVolumes` as they are created, so a caller can remove them after a failure.
 */
export async function restoreCaches(job: CacheJob, entries: CacheEntry[], temporaryVolumes: string[] = []): Promise<RestoreResult> {
  const result: RestoreResult = { mounts: [], restoreScript: [], temporaryVolumes };
  const pulling = entries.filter((entry) => entry.key !== undefined && entry.plan.policy !== 'push');
  if (pulling.length === 0) return result;
  logLine(job, 'Restoring cache');

  const candidates: Candidate[] = [];
  for (const entry of pulling) {
    const fallbacks = [...entry.plan.fallbackKeys, ...(job.globalFallbackKey !== undefined ? [job.globalFallbackKey] : [])];
    const checked = fallbacks.map(checkKey);
    for (const k of checked) if (k.warning !== undefined) logLine(job, `WARNING: ${k.warning}`);
    const keys = [entry.key as string, ...checked.flatMap((k) => (k.ok ? [k.key] : []))];
    const stores = await Promise.all([...new Set(keys)].map((key) => lookUpStore(job.ctx.run.docker, job.where, key)));
    candidates.push({ entry, stores });
  }
  const mounted: CacheStoreRef[] = [];
  const anyFound = candidates.some(({ stores }) => stores.some((store) => store.exists));
  const projectHost = anyFound ? await projectDirOnHost(job) : undefined;
  const probes: ProbeCache[] = candidates.map(({ entry, stores }) => ({
    index: entry.index,
    candidates: stores.filter((store) => store.exists).map((store) => mounted.push(store) - 1),
    literal: projectHost !== undefined && overlayCandidate(entry, pulling) ? entry.paths.map((path, slot) => ({ slot, path: path.path })) : [],
  }));

  let probe: ProbeOutput = parseProbe('');
  if (mounted.length > 0) {
    result.scratchVolume = uniqueName(job, 'cache-scratch');
    const scratchHost = await createScratchVolume(job.ctx.run.docker, result.scratchVolume, temporaryLabels(job, 'scratch'));
    track(job, result, result.scratchVolume, 'cache-scratch');
    const mounts: ShellMount[] = [
      ...mounted.map((store, index) => storeMount(store, candidateDir(index), false)),
      { type: 'volume', source: result.scratchVolume, target: SCRATCH_DIR, readOnly: false },
      { type: 'volume', source: job.ctx.workspace.buildsVolume, target: job.ctx.run.plan.runner.buildsDir, readOnly: false },
    ];
    const shell = await runCacheShell(job.ctx.run.docker, {
      image: job.ctx.workspace.image.imageId,
      script: probeScript(probes, job.ctx.workspace.projectDir, Date.now(), Math.random().toString(36).slice(2, 10)),
      mounts,
      labels: temporaryLabels(job, 'probe'),
      signal: job.ctx.run.signal,
      ...helperContainer(job, 'cache-probe'),
    });
    if (shell.exitCode !== 0) logLine(job, `WARNING: checking the caches failed (exit code ${shell.exitCode}): ${shell.stderr.trim().split('\n')[0] ?? ''}`);
    probe = parseProbe(shell.stdout);
    await restoreFound(job, candidates, mounted, probe, { scratch: scratchHost, project: projectHost ?? '' }, result);
  } else {
    for (const { entry, stores } of candidates) reportMissing(job, entry, stores);
  }
  return result;
}

/**
 * Every path a plain, mountable directory path, and none equal to or nested with another path of this job's
 * caches (a mount inside a mount would write into the outer overlay).
 */
function overlayCandidate(entry: CacheEntry, all: CacheEntry[]): boolean {
  const own = entry.paths.map((path, slot) => ({ path: path.path, owner: entry.index, slot }));
  const every = all.flatMap((other) => other.paths.map((path, slot) => ({ path: path.path, owner: other.index, slot })));
  const overlaps = (a: string, b: string): boolean => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  return (
    entry.paths.length > 0 &&
    entry.paths.every(mountable) &&
    !own.some((mine) => every.some((other) => (other.owner !== mine.owner || other.slot !== mine.slot) && overlaps(mine.path, other.path)))
  );
}

/** The project dir inside the builds volume, on the daemon's host; undefined when it cannot be an overlay layer. */
async function projectDirOnHost(job: CacheJob): Promise<string | undefined> {
  const prefix = `${job.ctx.run.plan.runner.buildsDir.replace(/\/+$/, '')}/`;
  if (!job.ctx.workspace.projectDir.startsWith(prefix)) return undefined;
  const host = `${await volumeMountpoint(job.ctx.run.docker, job.ctx.workspace.buildsVolume)}/${job.ctx.workspace.projectDir.slice(prefix.length)}`;
  return /[,:=\\\s"'$`]/.test(host) ? undefined : host;
}

/** Per Docker connection: undefined when overlay volumes mount, else why not. Checked once per process. */
const overlayChecks = new WeakMap<object, Promise<string | undefined>>();

function overlaySupport(job: CacheJob, scratchHost: string): Promise<string | undefined> {
  let check = overlayChecks.get(job.ctx.run.docker);
  if (!check) {
    check = tryOverlay(job, scratchHost);
    overlayChecks.set(job.ctx.run.docker, check);
  }
  return check;
}

/** Mounts a throw-away overlay (layers in the scratch volume) in a container that runs `true`. */
async function tryOverlay(job: CacheJob, scratchHost: string): Promise<string | undefined> {
  const name = uniqueName(job, 'cache-overlay-check');
  const report = job.ctx.objects.shortLived('volume', name, `${HELPER_ROLE_PREFIX}cache-overlay-check`);
  try {
    await createOverlayVolume(job.ctx.run.docker, {
      name,
      lower: `${scratchHost}/empty`,
      upper: `${scratchHost}/check/upper`,
      work: `${scratchHost}/check/work`,
      labels: temporaryLabels(job, 'overlay-check'),
    });
    report.created(name);
    const shell = await runCacheShell(job.ctx.run.docker, {
      image: job.ctx.workspace.image.imageId,
      script: 'true',
      mounts: [{ type: 'volume', source: name, target: '/jobsim/check', readOnly: false }],
      labels: temporaryLabels(job, 'overlay-check'),
      ...helperContainer(job, 'cache-overlay-check'),
    });
    return shell.exitCode === 0 ? undefined : `exit code ${shell.exitCode}`;
  } catch (error) {
    return error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown error').slice(0, 300) : String(error);
  } finally {
    report.removed(await removeVolume(job.ctx.run.docker, name).then(() => true, () => false));
  }
}

function reportMissing(job: CacheJob, entry: CacheEntry, stores: CacheStoreRef[]): void {
  for (const store of stores) logLine(job, `Checking cache for ${store.key}...`);
  logLine(job, 'WARNING: file does not exist');
  logLine(job, 'Failed to extract cache');
  const keys = stores.map((store) => store.key).join(', ');
  cacheEvent(job, entry, 'not-found', { volume: stores[0]?.name ?? '', reason: `no cache saved yet for ${keys}` });
}

async function restoreFound(
  job: CacheJob,
  candidates: Candidate[],
  mounted: CacheStoreRef[],
  probe: ProbeOutput,
  hostDirs: { scratch: string; project: string },
  result: RestoreResult,
): Promise<void> {
  let overlayProblem: string | undefined;
  if ([...probe.mode.values()].includes('overlay') && result.scratchVolume !== undefined) {
    overlayProblem = await overlaySupport(job, hostDirs.scratch);
    if (overlayProblem !== undefined) logLine(job, `WARNING: this Docker engine cannot mount overlay volumes (${overlayProblem}); caches are copied instead`);
  }
  for (const { entry, stores } of candidates) {
    const found = probe.found.get(entry.index);
    const store = found ? mounted[found.candidate] : undefined;
    if (!found || !store) {
      reportMissing(job, entry, stores);
      continue;
    }
    for (const tried of stores.slice(0, stores.indexOf(store) + 1)) logLine(job, `Checking cache for ${tried.key}...`);
    const meta = parseMeta(probe.meta.get(entry.index) ?? '');
    const fallbackKey = store.key === entry.key ? undefined : store.key;
    const overlayPossible = store.hostPath !== undefined && probe.mode.get(entry.index) === 'overlay' && overlayProblem === undefined;
    entry.restored = { store, generation: found.generation, ...(meta ? { meta } : {}), ...(fallbackKey ? { fallbackKey } : {}), mode: overlayPossible ? 'overlay' : 'copy' };
    const sourceLabels = { [CACHE_LABELS.source]: store.name, [CACHE_LABELS.generation]: found.generation };
    if (overlayPossible && store.hostPath !== undefined) {
      for (const [slot, path] of entry.paths.entries()) {
        const slotDir = `${hostDirs.scratch}/${overlaySlotDir(entry.index, slot)}`;
        const cached = probe.lower.get(`${entry.index}-${slot}`) === 'dir' ? `${store.hostPath}/gens/${found.generation}/tree/${path.path}` : `${hostDirs.scratch}/empty`;
        // Top layer: the (empty) dir in the builds volume, so artifacts put there later win over the cache, as in GitLab.
        const lower = `${hostDirs.project}/${path.path}:${cached}`;
        const overlay: OverlayMount = {
          slot,
          path: path.path,
          volume: uniqueName(job, 'cache-overlay'),
          upper: `${overlaySlotDir(entry.index, slot)}/upper`,
          target: `${job.ctx.workspace.projectDir}/${path.path}`,
        };
        await createOverlayVolume(job.ctx.run.docker, {
          name: overlay.volume,
          lower,
          upper: `${slotDir}/upper`,
          work: `${slotDir}/work`,
          labels: temporaryLabels(job, 'overlay', sourceLabels),
        });
        track(job, result, overlay.volume, `cache:${store.key}`);
        entry.overlays.push(overlay);
        result.mounts.push({ type: 'volume', source: overlay.volume, target: overlay.target, readOnly: false });
      }
    } else {
      // A labelled empty volume pins the generation: saves of other jobs keep it until this job ends.
      const pin = uniqueName(job, 'cache-pin');
      await createScratchVolume(job.ctx.run.docker, pin, temporaryLabels(job, 'pin', sourceLabels));
      track(job, result, pin, `cache-pin:${store.key}`);
      const source = copySourceDir(entry.index);
      result.mounts.push({ ...storeMount(store, source, true) });
      const from = `${source}/gens/${found.generation}/tree/.`;
      result.restoreScript.push(
        `cp -a ${shQuote(from)} ${shQuote(job.ctx.workspace.projectDir)}/ || echo ${shQuote(`WARNING: some files of cache ${store.key} could not be extracted`)}`,
      );
    }
    logLine(job, 'Successfully extracted cache');
    cacheEvent(job, entry, 'restored', {
      volume: store.name,
      ...(meta ? { bytes: meta.sizeBytes, files: meta.files } : {}),
      ...(meta?.lastWriter ? { lastWriter: meta.lastWriter } : {}),
      ...(fallbackKey ? { fallbackKey } : {}),
      reason: overlayPossible ? 'mounted (copy-on-write overlay)' : 'copied into the project directory',
    });
  }
}
