// One word for where a job stands in the simulated pipeline: what `jobsim list`, the project view and
// `list --json` show. Derived from the plan, never stored.

import type { JobPlan } from './plan.js';

export const JOB_STATES = ['runnable', 'manual', 'delayed', 'excluded', 'needs-runner', 'needs-image', 'broken'] as const;
export type JobState = (typeof JOB_STATES)[number];

export function jobState(job: Pick<JobPlan, 'excludedBy' | 'blocked' | 'when'>): JobState {
  if (job.excludedBy !== undefined || job.when === 'never') return 'excluded';
  if (job.blocked) return job.blocked.kind;
  if (job.when === 'manual') return 'manual';
  if (job.when === 'delayed') return 'delayed';
  return 'runnable';
}

/** The reason shown next to a job that will not simply run: the exclusion or the block. */
export function jobStateReason(job: Pick<JobPlan, 'excludedBy' | 'blocked' | 'when'>): string | undefined {
  if (job.excludedBy !== undefined) return job.excludedBy;
  if (job.when === 'never') return 'when: never';
  return job.blocked?.message;
}
