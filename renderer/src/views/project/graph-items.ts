// What the project graph draws, in GitLab's way: excluded jobs left out unless asked for, and the
// instances of a `parallel:` job grouped under one card named after the written job (`test 3`), which
// opens to show them. Pure, so it is tested without a browser.

import { jobState, jobStateReason, type JobState } from '../../../../shared/job-state.js';
import type { JobPlan } from '../../../../shared/plan.js';

export type GraphItem =
  | { kind: 'job'; key: string; stage: string; job: JobPlan; state: JobState; reason?: string }
  | { kind: 'group'; key: string; stage: string; name: string; jobs: JobPlan[]; expanded: boolean; state?: JobState; reason?: string }
  | { kind: 'instance'; key: string; stage: string; job: JobPlan; group: string; state: JobState; reason?: string };

export interface GraphChoice {
  showExcluded: boolean;
  /** Written names of the parallel jobs whose instances are shown. */
  expanded: ReadonlySet<string>;
}

export function excludedCount(jobs: readonly JobPlan[]): number {
  return jobs.filter((job) => jobState(job) === 'excluded').length;
}

export function graphItems(jobs: readonly JobPlan[], choice: GraphChoice): GraphItem[] {
  const visible = choice.showExcluded ? jobs : jobs.filter((job) => jobState(job) !== 'excluded');
  const groups = new Map<string, JobPlan[]>();
  for (const job of visible) {
    if (!job.parallel) continue;
    const members = groups.get(job.parallel.job) ?? [];
    members.push(job);
    groups.set(job.parallel.job, members);
  }
  const items: GraphItem[] = [];
  const placed = new Set<string>();
  for (const job of visible) {
    const parent = job.parallel?.job;
    if (parent === undefined) {
      items.push({ kind: 'job', key: job.name, stage: job.stage, job, state: jobState(job), ...reasonOf(job) });
      continue;
    }
    if (placed.has(parent)) continue;
    placed.add(parent);
    const members = groups.get(parent) ?? [job];
    const expanded = choice.expanded.has(parent);
    const states = new Set(members.map((member) => jobState(member)));
    // One state for the group only when every instance is in it; otherwise each instance says its own.
    const shared = states.size === 1 ? [...states][0] : undefined;
    items.push({ kind: 'group', key: parent, stage: job.stage, name: parent, jobs: members, expanded, ...(shared ? { state: shared, ...reasonOf(members[0]!) } : {}) });
    if (expanded) {
      for (const member of members) items.push({ kind: 'instance', key: member.name, stage: member.stage, job: member, group: parent, state: jobState(member), ...reasonOf(member) });
    }
  }
  return items;
}

function reasonOf(job: JobPlan): { reason?: string } {
  const reason = jobStateReason(job) ?? (job.when === 'manual' ? 'runs when you start it' : job.when === 'delayed' ? 'starts after its start_in' : undefined);
  return reason === undefined ? {} : { reason };
}

/** The card a job's needs edge starts or ends at: its own, or its group's when the group is closed. */
export function cardKeyOf(items: readonly GraphItem[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const item of items) {
    if (item.kind !== 'group') keys.set(item.job.name, item.key);
  }
  for (const item of items) {
    if (item.kind !== 'group') continue;
    for (const job of item.jobs) if (!keys.has(job.name)) keys.set(job.name, item.key);
  }
  return keys;
}

/** How the states read on a card. */
export const STATE_LABELS: Record<JobState, string> = {
  runnable: 'runnable',
  manual: 'manual',
  delayed: 'delayed',
  excluded: 'excluded',
  'needs-runner': 'needs a runner',
  'needs-image': 'needs an image',
  broken: 'broken',
};

/** States a run cannot start: their cards offer no Run button. */
export function isBlocked(state: JobState | undefined): boolean {
  return state === 'needs-runner' || state === 'needs-image' || state === 'broken';
}
