// What the run views draw, folded from RunEvents (fold-events.ts). Log lines are not here: they go
// straight to the terminal (log/log-store.ts) and never through React state.

import type { FailureReason, JobState, RunStatus, StageName } from '../../../shared/events.js';

export interface StageSpan {
  start: number;
  end?: number;
  status?: 'success' | 'failed' | 'canceled' | 'skipped';
}

/** A step inside a stage, drawn on the job's timeline: a pull, a service wait, a cache or artifact transfer. */
export interface TimelineStep {
  kind: 'pull' | 'service' | 'cache' | 'artifact';
  label: string;
  /** When it happened (end time for steps reported once). */
  time: number;
  durationMs?: number;
  outcome: string;
  /** For pulls: the image as written, so the view can offer to lint it. */
  image?: string;
}

export interface JobView {
  name: string;
  stage: string;
  needs: string[] | null;
  when: string;
  state: JobState;
  startedAt?: number;
  finishedAt?: number;
  durationMs?: number;
  exitCode?: number;
  reason?: FailureReason;
  allowedToFail?: boolean;
  stages: Partial<Record<StageName, StageSpan>>;
  steps: TimelineStep[];
  logLines: number;
}

export interface RunView {
  runId: string;
  projectDir: string;
  projectPath: string;
  stages: string[];
  /** In file order. */
  jobOrder: string[];
  jobs: Record<string, JobView>;
  status: RunStatus | 'running';
  startedAt: number;
  durationMs?: number;
}
