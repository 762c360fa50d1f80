// What the run views draw, folded from RunEvents (fold-events.ts). Log lines are not here: they go
// straight to the terminal (log/log-store.ts) and never through React state.

import type { CacheEvent, FailureReason, JobStatus, KeptEvent, PullEvent, PullProgressEvent, ResourceEvent, RunStatus, ServiceEvent, StageName } from '../../../shared/events.js';

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
  state: JobStatus;
  startedAt?: number;
  finishedAt?: number;
  durationMs?: number;
  exitCode?: number;
  reason?: FailureReason;
  allowedToFail?: boolean;
  stages: Partial<Record<StageName, StageSpan>>;
  steps: TimelineStep[];
  logLines: number;
  /** The variables the build container got (masked ones as `[MASKED]`), from the `running` event. */
  variables?: { key: string; value: string; masked: boolean; source: string }[];
  /** Set when a rerun reused this job's result from an earlier run instead of running it. */
  reusedFrom?: string;
  /** Latest state of each service, by service name. */
  services: Record<string, ServiceEvent>;
  /** Every pull attempt, in order. */
  pulls: PullEvent[];
  /** Pulls in progress, by image; removed when the attempt's `pull` event arrives. */
  pullProgress: Record<string, PullProgressEvent>;
  caches: CacheEvent[];
  /** Set when the failed job's containers were kept for a shell. */
  kept?: KeptEvent;
}

export interface RunView {
  runId: string;
  projectDir: string;
  projectPath: string;
  stages: string[];
  /** In file order. */
  jobOrder: string[];
  jobs: Record<string, JobView>;
  /** `interrupted`: a stored run whose jobsim died before it finished (it has no final event). */
  status: RunStatus | 'running' | 'interrupted';
  startedAt: number;
  durationMs?: number;
  /** Opened from the history: shown read-only (nothing to cancel). */
  stored: boolean;
  /** Docker objects created, kept and removed, in order (for the isolation view). */
  resources: ResourceEvent[];
}
