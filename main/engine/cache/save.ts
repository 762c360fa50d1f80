// Save at post-build, following each cache's `policy` and `when` exactly: a cache is only written by a
// short-lived container that sees the job's project dir (and its overlays) and writes a new generation,
// so a job that must not save never changed the cache in the first place.

import type { JobOutcome } from '../contracts.js';
import { CACHE_LABELS, generationsInUse } from '../../docker/cache-volumes.js';
import { runCacheShell, type ShellMount } from '../../docker/cache-shell.js';
import { metaHead, newGeneration, serialiseMeta, type CacheMeta } from './meta.js';
import { parseSaveOutput, saveScript } from './save-protocol.js';
import { SCRATCH_DIR, STORE_DIR, TRACKED_LIST } from './scripts.js';
import { ensureStore, lookUpStore, storeMount } from './store.js';
import { cacheEvent, helperContainer, logLine, type CacheEntry, type CacheJob } from './entry.js';

/** Why a cache is not saved for this outcome, or undefined when it is. */
export function skipReason(entry: CacheEntry, outcome: JobOutcome): string | undefined {
  if (entry.plan.policy === 'pull') return 'policy: pull (never saves)';
  if (outcome.state === 'canceled') return 'job canceled';
  const when = entry.plan.when;
  if (when === 'on_success' && outcome.state !== 'success') return 'when: on_success, and the job failed';
  if (when === 'on_failure' && outcome.state !== 'failed') return 'when: on_failure, and the job succeeded';
  return undefined;
}

const RAW_BUILDS_DIR = '/jobsim/raw-builds';

/** Where a path under the builds dir appears in the second, overlay-free mount of the builds volume. */
function rawPath(job: CacheJob, target: string): string {
  return `${RAW_BUILDS_DIR}${target.slice(job.ctx.run.plan.runner.buildsDir.replace(/\/+$/, '').length)}`;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

export async function saveCaches(job: CacheJob, entries: CacheEntry[], outcome: JobOutcome, scratchVolume: string | undefined): Promise<void> {
  let headerShown = false;
  for (const entry of entries) {
    if (entry.key === undefined) {
      logLine(job, 'Skipping cache archiving due to empty cache key');
      cacheEvent(job, entry, 'skipped', { reason: entry.keyProblem ?? 'empty cache key' });
      continue;
    }
    const reason = skipReason(entry, outcome);
    if (reason !== undefined) {
      if (entry.plan.policy === 'pull') logLine(job, `Not uploading cache ${entry.key} due to policy`);
      cacheEvent(job, entry, 'skipped', { reason });
      continue;
    }
    if (!headerShown) {
      logLine(job, outcome.state === 'success' ? 'Saving cache for successful job' : 'Saving cache for failed job');
      headerShown = true;
    }
    try {
      await saveOne(job, entries, entry, scratchVolume);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      logLine(job, `WARNING: Failed to create cache ${entry.key}: ${message}`);
      cacheEvent(job, entry, 'skipped', { reason: `saving failed: ${message}` });
    }
  }
}

async function saveOne(job: CacheJob, entries: CacheEntry[], entry: CacheEntry, scratchVolume: string | undefined): Promise<void> {
  const key = entry.key as string;
  logLine(job, `Creating cache ${key}...`);
  const existing = await lookUpStore(job.ctx.run.docker, job.where, key);
  const store = await ensureStore(job.ctx.run.docker, job.where, existing, job.ctx.workspace.image.imageId);
  if (!existing.exists && store.kind === 'volume') job.ctx.objects.createdPersistent('volume', store.name, store.name, `cache:${key}`);
  const now = Date.now();
  const writer = { runId: job.ctx.run.runId, job: job.ctx.job.name, time: now };
  const patterns = entry.plan.paths;
  const restored = entry.restored;
  const untracked = entry.plan.untracked && job.tracked !== undefined;
  if (entry.plan.untracked && !untracked) logLine(job, 'WARNING: untracked: the project is not a git repository, so no file counts as untracked');
  const canShortcut =
    !untracked &&
    restored !== undefined && restored.mode === 'overlay' && restored.store.name === store.name && restored.meta !== undefined && sameList(restored.meta.paths, patterns);
  const unchangedMeta: CacheMeta | undefined =
    canShortcut && restored.meta ? { ...restored.meta, lastWriter: writer, lastUsed: now, paths: patterns } : undefined;
  const generation = newGeneration(now);
  const mounts: ShellMount[] = [
    { type: 'volume', source: job.ctx.workspace.buildsVolume, target: job.ctx.run.plan.runner.buildsDir, readOnly: true },
    // Every overlay of the job, so the container sees exactly what the job left behind.
    ...entries.flatMap((other) => other.overlays.map((overlay): ShellMount => ({ type: 'volume', source: overlay.volume, target: overlay.target, readOnly: true }))),
    storeMount(store, STORE_DIR, false),
    // The builds volume once more, without the overlays: their top layers, for the "unchanged" check.
    { type: 'volume', source: job.ctx.workspace.buildsVolume, target: RAW_BUILDS_DIR, readOnly: true },
    ...(scratchVolume ? [{ type: 'volume' as const, source: scratchVolume, target: SCRATCH_DIR, readOnly: true }] : []),
  ];
  const keep = [...(await generationsInUse(job.ctx.run.docker, store.name))];
  const shell = await runCacheShell(job.ctx.run.docker, {
    image: job.ctx.workspace.image.imageId,
    script: saveScript({
      projectDir: job.ctx.workspace.projectDir,
      generation,
      paths: entry.paths,
      untracked,
      keep,
      now,
      ...(unchangedMeta && restored
        ? { unchanged: { generation: restored.generation, dirs: entry.overlays.flatMap((overlay) => [`${SCRATCH_DIR}/${overlay.upper}`, rawPath(job, overlay.target)]) } }
        : {}),
    }),
    mounts,
    ...(untracked ? { files: [{ name: TRACKED_LIST.slice(1), content: (job.tracked ?? []).map((path) => `${path}\n`).join('') }] } : {}),
    env: { JOBSIM_META_HEAD: metaHead(writer, patterns), ...(unchangedMeta ? { JOBSIM_META_UNCHANGED: serialiseMeta(unchangedMeta) } : {}) },
    labels: { ...job.ctx.workspace.labels, [CACHE_LABELS.role]: 'save' },
    ...helperContainer(job, 'cache-save'),
  });
  const output = parseSaveOutput(shell.stdout);
  for (const line of output.lines) {
    if (line.kind === 'copy-failed') logLine(job, `WARNING: ${line.path}: could not be copied into the cache`);
    else if (line.index === 'untracked') logLine(job, `untracked: found ${line.count} ${line.count === 1 ? 'file' : 'files'}`);
    else {
      const pattern = patterns[line.index] ?? '';
      if (line.count === 0) logLine(job, `WARNING: ${pattern}: no matching files. Ensure that the artifact path is relative to the working directory (${job.ctx.workspace.projectDir})`);
      else logLine(job, `${pattern}: found ${line.count} matching ${line.count === 1 ? 'path' : 'paths'}`);
    }
  }
  if (shell.exitCode !== 0) throw new Error(`exit code ${shell.exitCode}: ${shell.stderr.trim().split('\n').pop() ?? ''}`);
  if (output.result?.kind === 'unchanged' && unchangedMeta) {
    logLine(job, 'Archive is up to date!');
    logLine(job, 'Created cache');
    cacheEvent(job, entry, 'saved', { volume: store.name, bytes: unchangedMeta.sizeBytes, files: unchangedMeta.files, lastWriter: writer, reason: 'unchanged since restore' });
    return;
  }
  if (output.result?.kind === 'nothing') {
    logLine(job, `WARNING: no files to cache for ${key}; the cache is left as it was`);
    cacheEvent(job, entry, 'skipped', { volume: store.name, reason: 'no matching paths' });
    return;
  }
  if (output.result?.kind !== 'saved') throw new Error('the cache container reported no result');
  logLine(job, 'Created cache');
  cacheEvent(job, entry, 'saved', { volume: store.name, bytes: output.result.bytes, files: output.result.files, lastWriter: writer });
}
