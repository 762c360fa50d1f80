// The cache module's entry point (PrepareCachesFn): resolves keys and paths, restores at pre-build, and
// hands the engine the mounts, the restore lines, save() for post-build and cleanup().

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { InputError } from '../../errors.js';
import { createMasker } from '../../../shared/masking.js';
import type { JobOutcome, PreparedCaches, PrepareCachesFn } from '../contracts.js';
import { resolveCacheKey } from './key.js';
import { checkCachePath, type CachePath } from './paths.js';
import { restoreCaches, type RestoreResult } from './restore.js';
import { saveCaches } from './save.js';
import { cacheEvent, logLine, type CacheEntry, type CacheJob } from './entry.js';

const NOTHING: PreparedCaches = {
  mounts: [],
  restoreScript: [],
  save: () => Promise.resolve(),
};

export const prepareCaches: PrepareCachesFn = async (ctx) => {
  const { job, run } = ctx;
  if (job.caches.length === 0) return NOTHING;
  const cacheJob: CacheJob = {
    ctx,
    where: {
      project: run.plan.projectPath,
      masker: createMasker(run.secrets),
      ...(run.plan.runner.cacheDir !== undefined ? { cacheDir: run.plan.runner.cacheDir } : {}),
    },
  };
  const globalFallback = job.variables.find((variable) => variable.key === 'CACHE_FALLBACK_KEY')?.value;
  if (globalFallback !== undefined && globalFallback.trim() !== '') cacheJob.globalFallbackKey = globalFallback;
  if (job.caches.some((cache) => cache.untracked)) {
    const tracked = await trackedFiles(run.plan.projectDir);
    if (tracked) cacheJob.tracked = tracked;
  }
  const entries: CacheEntry[] = [];
  const keyWarnings = new Map<CacheEntry, string>();
  for (const [index, plan] of job.caches.entries()) {
    const paths: CachePath[] = [];
    const problems: string[] = [];
    for (const pattern of plan.paths) {
      const checked = checkCachePath(pattern);
      if (checked.ok) paths.push(checked.path);
      else problems.push(`cache:paths "${pattern}": ${checked.reason}`);
    }
    if (problems.length > 0) throw new InputError(problems.map((message) => ({ message, where: plan.where })));
    const key = await resolveCacheKey(plan.key, run.plan.projectDir);
    const entry: CacheEntry = { index, plan, paths, overlays: [], ...(key.ok ? { key: key.key } : { keyProblem: key.reason }) };
    entries.push(entry);
    if (key.warning !== undefined) keyWarnings.set(entry, key.warning);
  }

  if (run.plan.runner.disableCache) {
    for (const entry of entries) cacheEvent(cacheJob, entry, 'skipped', { reason: 'the runner disables the cache (disable_cache)' });
    return NOTHING;
  }
  for (const entry of entries) {
    const warning = keyWarnings.get(entry);
    if (warning !== undefined) logLine(cacheJob, `WARNING: ${warning}`);
    if (entry.key === undefined) {
      logLine(cacheJob, 'Skipping cache extraction due to empty cache key');
      cacheEvent(cacheJob, entry, 'skipped', { reason: entry.keyProblem ?? 'empty cache key' });
    } else if (entry.plan.policy === 'push') {
      logLine(cacheJob, `Not downloading cache ${entry.key} due to policy`);
      cacheEvent(cacheJob, entry, 'skipped', { reason: 'policy: push (never restores)' });
    }
  }

  let restored: RestoreResult = { mounts: [], restoreScript: [], temporaryVolumes: [] };
  const partial: string[] = [];
  try {
    restored = await restoreCaches(cacheJob, entries, partial);
  } catch (error) {
    await ctx.objects.removeNow(partial);
    if (run.signal.aborted) throw error;
    // A cache that cannot be restored (e.g. an image without sh) must not fail the job: GitLab warns and goes on.
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    logLine(cacheJob, `WARNING: Failed to extract cache: ${message}`);
    for (const entry of entries) {
      entry.restored = undefined;
      entry.overlays = [];
      if (entry.key !== undefined && entry.plan.policy !== 'push') cacheEvent(cacheJob, entry, 'skipped', { reason: `restore failed: ${message}` });
    }
    restored = { mounts: [], restoreScript: [], temporaryVolumes: [] };
  }
  let saved = false;
  return {
    mounts: restored.mounts,
    restoreScript: restored.restoreScript,
    async save(outcome: JobOutcome): Promise<void> {
      if (saved) return;
      saved = true;
      await saveCaches(cacheJob, entries, outcome, restored.scratchVolume);
    },
  };
};

/** `git ls-files` of the project on the host, or undefined when it is not a git repository (or git is missing). */
async function trackedFiles(projectDir: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['-C', projectDir, 'ls-files', '-z'], { maxBuffer: 256 * 1024 * 1024 });
    return stdout.split('\0').filter((path) => path !== '');
  } catch {
    return undefined;
  }
}
