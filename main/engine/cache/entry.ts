// What the cache module knows about one `cache:` entry of a job between restore and save, and the helpers
// that report on it (runner log lines in GitLab Runner's wording, `cache` events).

import { runnerLine } from '../job-run/job-log.js';
import { HELPER_ROLE_PREFIX } from '../../../shared/events.js';
import type { ShortLivedObject } from '../job-run/resources.js';
import type { CacheAction, CacheEvent } from '../../../shared/events.js';
import type { CachePlan } from '../../../shared/plan.js';
import type { PreparedJob } from '../contracts.js';
import type { CacheMeta } from './meta.js';
import type { CachePath } from './paths.js';
import type { CacheStoreRef, StoreLocation } from './store.js';

export interface OverlayMount {
  slot: number;
  path: string;
  volume: string;
  /** Upper dir relative to the scratch volume root. */
  upper: string;
  target: string;
}

export interface Restored {
  store: CacheStoreRef;
  generation: string;
  meta?: CacheMeta;
  fallbackKey?: string;
  mode: 'overlay' | 'copy';
}

export interface CacheEntry {
  index: number;
  plan: CachePlan;
  /** Resolved key; undefined when the key was empty or invalid (see keyProblem). */
  key?: string;
  keyProblem?: string;
  paths: CachePath[];
  restored?: Restored;
  overlays: OverlayMount[];
}

/** The cache module's view of one job: the job itself, and where its cache stores live. */
export interface CacheJob {
  ctx: PreparedJob;
  where: StoreLocation;
  /** `CACHE_FALLBACK_KEY` variable: tried after every cache's own fallback_keys (GitLab). */
  globalFallbackKey?: string;
  /** Files git tracks in the project (for `untracked: true`); undefined when it is not a git repository. */
  tracked?: string[];
}

export function logLine(job: CacheJob, text: string): void {
  runnerLine(job.ctx.run, job.ctx.job.name, text);
}

export function cacheEvent(
  job: CacheJob,
  entry: CacheEntry,
  action: CacheAction,
  details: Omit<CacheEvent, 'type' | 'runId' | 'time' | 'job' | 'key' | 'volume' | 'action'> & { volume?: string } = {},
): void {
  const { volume, ...rest } = details;
  job.ctx.run.emit({ type: 'cache', job: job.ctx.job.name, key: entry.key ?? '', volume: volume ?? '', action, ...rest });
}

/** Name and report for a short-lived helper container of the cache (see JobObjects.shortLived). */
export function helperContainer(job: CacheJob, role: string): { name: string; report: ShortLivedObject } {
  const name = job.ctx.objects.name(role, { unique: true });
  return { name, report: job.ctx.objects.shortLived('container', name, `${HELPER_ROLE_PREFIX}${role}`) };
}
