// The runner's closing line for a job, in GitLab Runner's wording.

import type { JobOutcome } from '../contracts.js';

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
      return { stream: 'stderr', text: `${prefix}: execution took longer than ${formatMs(reason.timeoutMs)} seconds` };
    case 'image-not-found':
    case 'pull-failed':
    case 'not-allowed':
      return { stream: 'stderr', text: `${prefix} (system failure): failed to pull image "${reason.image}"` };
    case 'daemon-lost':
      return { stream: 'stderr', text: `${prefix} (system failure): the Docker daemon stopped answering` };
    case 'config':
    case 'internal':
      return { stream: 'stderr', text: `${prefix} (system failure): ${reason.message}` };
    default:
      return { stream: 'stderr', text: prefix };
  }
}

function formatMs(ms: number): string {
  return String(Math.round(ms / 1000));
}
