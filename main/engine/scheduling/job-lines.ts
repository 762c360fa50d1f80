// The runner's closing line for a job, in GitLab Runner's wording.

import { formatDuration } from '../../../shared/duration.js';
import type { JobPlan } from '../../../shared/plan.js';
import type { JobOutcome } from '../contracts.js';

/** The line a `when: delayed` job starts with: jobsim does not wait for start_in yet. */
export function delayedLine(job: Pick<JobPlan, 'when' | 'startInMs'>): string | undefined {
  if (job.when !== 'delayed') return undefined;
  const after = job.startInMs !== undefined ? ` (start_in ${formatDuration(job.startInMs)})` : '';
  return `Delayed job${after}: jobsim starts it at once; waiting for start_in is not implemented yet`;
}

export function finishLine(outcome: JobOutcome, allowedToFail: boolean): { stream: 'stdout' | 'stderr'; text: string } {
  if (outcome.state === 'success') return { stream: 'stdout', text: 'Job succeeded' };
  if (outcome.state === 'canceled') return { stream: 'stderr', text: 'ERROR: Job failed: canceled' };
  const prefix = allowedToFail ? 'WARNING: Job failed' : 'ERROR: Job failed';
  const reason = outcome.reason;
  if (outcome.exitCode !== undefined) return { stream: 'stderr', text: `${prefix}: exit code ${outcome.exitCode}` };
  if (!reason) return { stream: 'stderr', text: prefix };
  switch (reason.kind) {
    case 'script':
      return { stream: 'stderr', text: `${prefix}: exit code ${reason.exitCode}` };
    case 'timeout':
      return { stream: 'stderr', text: `${prefix}: execution took longer than ${goDuration(reason.timeoutMs)} seconds` };
    case 'image-not-found':
    case 'pull-failed':
    case 'not-allowed':
      return { stream: 'stderr', text: `${prefix} (system failure): failed to pull image "${reason.image}"` };
    case 'daemon-lost':
      return { stream: 'stderr', text: `${prefix} (system failure): the Docker engine ${reason.how === 'went-away' ? 'went away' : 'stopped answering'}` };
    case 'config':
    case 'internal':
      return { stream: 'stderr', text: `${prefix} (system failure): ${reason.message}` };
    default:
      return { stream: 'stderr', text: prefix };
  }
}

/** Go's time.Duration format, as the runner prints it: `1h0m0s`, `30m0s`, `45s`. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return `${h}h${m}m${sec}s`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}
