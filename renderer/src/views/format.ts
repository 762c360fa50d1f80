// Small text helpers the views share.

import type { InputProblem } from '../../../shared/api.js';
import type { FailureReason } from '../../../shared/events.js';

export function formatProblem(problem: InputProblem): string {
  const where = problem.where ? `${problem.where.file}:${problem.where.line}:${problem.where.col}: ` : '';
  return `${where}${problem.message}`;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} m ${Math.round(seconds % 60)} s`;
}

export function describeReason(reason: FailureReason | undefined): string {
  if (!reason) return '';
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
      return `timed out after ${formatMs(reason.timeoutMs)}`;
    case 'canceled':
      return 'canceled';
    case 'daemon-lost':
      return 'lost the Docker engine';
    case 'needs-failed':
      return `needed job ${reason.job} failed`;
    case 'config':
    case 'internal':
      return reason.message;
  }
}
