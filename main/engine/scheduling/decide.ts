// What to do with a job once everything it waits for is settled, following GitLab's rules for `when`,
// `needs` and stage order. Pure: the scheduler (pipeline.ts) feeds it the settled upstream results.

import type { FailureReason } from '../../../shared/events.js';
import type { JobPlan } from '../../../shared/plan.js';

/** How a job ended, as seen by the jobs after it. */
export type Settled =
  | { kind: 'success' } // includes a failure that was allowed (allow_failure / exit_codes)
  | { kind: 'failed' }
  | { kind: 'canceled' }
  | { kind: 'skipped' }
  | { kind: 'manual'; blocking: boolean };

export type Decision =
  | { kind: 'wait' }
  | { kind: 'run' }
  | { kind: 'skip'; reason?: FailureReason }
  | { kind: 'manual' };

export interface Upstream {
  /** Jobs this one waits for: its `needs` (when it has `needs:`), else every job of earlier stages. */
  names: string[];
  /** True when `names` came from `needs:` (a skipped need then skips this job, as in GitLab). */
  viaNeeds: boolean;
}

/** Why a trigger job is skipped (issue 16 runs child pipelines). */
export const TRIGGER_NOT_RUN = 'triggers a downstream pipeline; jobsim does not run those yet';

/** The jobs `job` waits for, among the jobs selected for this run. */
export function upstreamOf(job: JobPlan, selected: readonly JobPlan[]): Upstream {
  const present = new Set(selected.map((j) => j.name));
  if (job.needs !== null) {
    // A need outside the selection (running one job by name without --needs) or an optional need
    // for a job that is not in the pipeline is simply not waited for.
    return { names: job.needs.map((n) => n.job).filter((name) => present.has(name)), viaNeeds: true };
  }
  return { names: selected.filter((j) => j.stageIndex < job.stageIndex).map((j) => j.name), viaNeeds: false };
}

/**
 * @param explicit the job was named on the command line: `when: manual` then means "run it now",
 *   as pressing the play button would.
 */
export function decide(job: JobPlan, upstream: Upstream, settled: ReadonlyMap<string, Settled>, explicit: boolean): Decision {
  if (job.when === 'never') return { kind: 'skip' };
  if (job.trigger) return { kind: 'skip', reason: { kind: 'config', message: TRIGGER_NOT_RUN } };
  // Known before anything runs: one line now rather than waiting for the jobs before it.
  if (job.blocked) return { kind: 'skip', reason: { kind: 'blocked', block: job.blocked.kind, message: job.blocked.message } };
  const results: [string, Settled][] = [];
  for (const name of upstream.names) {
    const result = settled.get(name);
    if (!result) return { kind: 'wait' };
    results.push([name, result]);
  }

  const blockingManual = results.find(([, r]) => r.kind === 'manual' && (upstream.viaNeeds || r.blocking));
  if (blockingManual) {
    return { kind: 'skip', reason: { kind: 'config', message: `waits for manual job "${blockingManual[0]}", which was not run (name it to run it)` } };
  }
  const failed = results.find(([, r]) => r.kind === 'failed' || r.kind === 'canceled');
  const skippedNeed = upstream.viaNeeds ? results.find(([, r]) => r.kind === 'skipped') : undefined;

  switch (job.when) {
    case 'manual':
      if (!explicit) return { kind: 'manual' };
      return failed ? { kind: 'skip', reason: { kind: 'needs-failed', job: failed[0] } } : { kind: 'run' };
    case 'always':
      return { kind: 'run' };
    case 'on_failure':
      return failed ? { kind: 'run' } : { kind: 'skip' };
    // The start_in wait itself belongs to the scheduler; once due, a delayed job runs as on_success does.
    case 'delayed':
    case 'on_success':
      if (failed) return { kind: 'skip', reason: { kind: 'needs-failed', job: failed[0] } };
      if (skippedNeed) return { kind: 'skip', reason: { kind: 'needs-failed', job: skippedNeed[0] } };
      return { kind: 'run' };
  }
}

/** Whether a failure with this exit code is allowed (GitLab `allow_failure`, incl. `exit_codes`). */
export function failureAllowed(job: JobPlan, exitCode: number | undefined): boolean {
  if (typeof job.allowFailure === 'boolean') return job.allowFailure;
  return exitCode !== undefined && job.allowFailure.exitCodes.includes(exitCode);
}
