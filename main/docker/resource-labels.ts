// The labels every Docker object jobsim creates carries: who made it (run, job, owner process and host),
// what it is for, and whether it must survive the run. The reaper and `jobsim gc` find objects by them.

import { hostname } from 'node:os';

export const LABELS = {
  managed: 'dev.jobsim.managed',
  runId: 'dev.jobsim.run-id',
  job: 'dev.jobsim.job',
  ownerPid: 'dev.jobsim.owner-pid',
  ownerHost: 'dev.jobsim.owner-host',
  kind: 'dev.jobsim.kind',
  createdAt: 'dev.jobsim.created-at',
  /** Objects meant to outlive runs (cache volumes, dynamic runner volumes): never reaped. */
  persist: 'dev.jobsim.persist',
  /** The idle container of a failed job kept for debugging (`--keep-on-failure`). */
  kept: 'dev.jobsim.kept',
  /** On a kept container: the jobsim data dir holding its record; reapers of other data dirs leave it alone. */
  keptHome: 'dev.jobsim.kept-home',
} as const;

export type ResourceKindLabel = 'build' | 'service' | 'network' | 'builds-volume' | 'sources' | 'probe' | 'cache' | 'runner-volume' | 'kept';

/** Labels for one job's objects; spread them and set `kind` per object. */
export function jobLabels(runId: string, job: string, kind: ResourceKindLabel): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.runId]: runId,
    [LABELS.job]: job,
    [LABELS.ownerPid]: String(process.pid),
    [LABELS.ownerHost]: hostname(),
    [LABELS.kind]: kind,
    [LABELS.createdAt]: new Date().toISOString(),
  };
}

/** A readable, unique-enough Docker name part: `Build & Test` → `build-test`. */
export function nameSlug(text: string, max = 40): string {
  return text.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-_.]+|[-_.]+$/g, '').slice(0, max) || 'x';
}
