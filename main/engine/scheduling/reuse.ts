// Jobs a rerun does not run again: they count as successful, with the artifacts of the earlier run, so
// the jobs after them download those (`jobsim rerun RUN --failed`).

import type { JobPlan } from '../../../shared/plan.js';
import type { JobRecord } from '../contracts.js';

export interface ReuseOptions {
  fromRunId: string;
  /** By job name: its earlier result, and where the earlier run stored its artifacts (if it had any). */
  jobs: Record<string, { state: 'success'; artifactsDir?: string }>;
}

/** The record a reused job leaves for the jobs after it; undefined when the job runs. */
export function reusedRecord(job: JobPlan, reuse: ReuseOptions | undefined): JobRecord | undefined {
  const earlier = reuse?.jobs[job.name];
  if (!earlier) return undefined;
  const artifacts = earlier.artifactsDir ? { artifactsDir: earlier.artifactsDir } : {};
  return { job, outcome: { state: 'success', ...artifacts }, ...artifacts };
}

export function reuseLine(fromRunId: string): string {
  return `Not run again: reusing the result and artifacts of run ${fromRunId}`;
}
