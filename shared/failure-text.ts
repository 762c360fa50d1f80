// Why a job failed, in a few words: the same text in the CLI's summary and in the UI's job list.

import type { FailureReason } from './events.js';

function shortSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

export function describeFailureReason(reason: FailureReason | undefined, exitCode?: number): string {
  if (!reason) return exitCode !== undefined ? `exit code ${exitCode}` : '';
  switch (reason.kind) {
    case 'script':
      return `exit code ${reason.exitCode}`;
    case 'image-not-found':
      return `image not found: ${reason.image}`;
    case 'pull-failed':
      return `pull failed: ${reason.image}`;
    case 'not-allowed':
      return `image not allowed: ${reason.image}`;
    case 'timeout':
      return `timed out after ${shortSeconds(reason.timeoutMs)}`;
    case 'canceled':
      return 'canceled';
    case 'daemon-lost':
      return reason.how === 'went-away' ? 'Docker engine went away' : reason.how === 'stopped-answering' ? 'Docker engine stopped answering' : 'Docker engine lost';
    case 'needs-failed':
      return `"${reason.job}" failed`;
    case 'blocked':
      return `cannot run here: ${reason.message}`;
    case 'config':
    case 'internal':
      return reason.message;
  }
}
