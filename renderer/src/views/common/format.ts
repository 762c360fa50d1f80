// Small text helpers the views share.

import type { InputProblem } from '../../../../shared/api.js';

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

export { describeFailureReason as describeReason } from '../../../../shared/failure-text.js';
