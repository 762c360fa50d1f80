// The pipeline scheduler: runs the selected jobs as a DAG. A job with `needs` starts as soon as its needs
// are done, a job without waits for every earlier stage, `needs: []` starts at once; at most
// `concurrency` jobs run at a time, started in file order. runJob does the Docker work of one job; this
// file decides when (and whether) each job runs and reports the job's state.

import type { FailureReason, JobEvent, RunStatus } from '../../shared/events.js';
import type { JobPlan } from '../../shared/plan.js';
import type { JobOutcome, JobRecord, RunContext, RunJobFn } from './contracts.js';
import { decide, failureAllowed, upstreamOf, type Settled, type Upstream } from './scheduling/decide.js';
import { runnerLine } from './job-run/job-log.js';
import { delayedLine, finishLine } from './scheduling/job-lines.js';
import { reusedRecord, reuseLine, type ReuseOptions } from './scheduling/reuse.js';

export interface PipelineOptions {
  /** The jobs to run, in file order (already selected: all, named, or named plus needs). */
  jobs: readonly JobPlan[];
  /** Jobs the user named: a named manual job runs. */
  explicit?: ReadonlySet<string>;
  concurrency: number;
  runJob: RunJobFn;
  /** A rerun's jobs that are not run again: reported successful, with the earlier run's artifacts. */
  reuse?: ReuseOptions;
  /** Runner log lines printed when a job starts (what a rerun changed in it). */
  notes?: ReadonlyMap<string, string[]>;
}

export interface PipelineResult {
  status: RunStatus;
  records: ReadonlyMap<string, JobRecord>;
}

export async function runPipeline(run: RunContext, options: PipelineOptions): Promise<PipelineResult> {
  const { jobs, runJob } = options;
  const limit = Math.max(1, Math.floor(options.concurrency));
  const explicit = options.explicit ?? new Set<string>();
  const upstream = new Map<string, Upstream>(jobs.map((j) => [j.name, upstreamOf(j, jobs)]));
  const settled = new Map<string, Settled>();
  const records = new Map<string, JobRecord>();
  const waiting = [...jobs];
  let running = 0;
  let failed = false;

  for (const job of jobs) run.emit({ type: 'job', job: job.name, state: 'pending' });

  const emitJob = (job: JobPlan, fields: Omit<JobEvent, 'type' | 'job' | 'runId' | 'time'>): void => {
    run.emit({ type: 'job', job: job.name, ...fields });
  };

  const settleReused = (job: JobPlan, record: JobRecord): void => {
    runnerLine(run, job.name, reuseLine(options.reuse?.fromRunId ?? ''));
    emitJob(job, { state: 'success', reusedFrom: options.reuse?.fromRunId ?? '' });
    settled.set(job.name, { kind: 'success' });
    records.set(job.name, record);
  };

  const finishWithoutRunning = (job: JobPlan, state: 'skipped' | 'manual' | 'canceled', reason?: FailureReason): void => {
    emitJob(job, reason ? { state, reason } : { state });
    settled.set(job.name, state === 'manual' ? { kind: 'manual', blocking: job.allowFailure === false } : { kind: state });
  };

  // The jobs it waited for, plus `dependencies:` (GitLab requires those to be among them; the artifact
  // rules in artifacts/sources.ts then pick what to download).
  const recordsFor = (job: JobPlan): JobRecord[] =>
    [...new Set([...(upstream.get(job.name)?.names ?? []), ...(job.dependencies ?? [])])].flatMap((name) => {
      const record = records.get(name);
      return record ? [record] : [];
    });

  return new Promise<PipelineResult>((resolve) => {
    const finishIfDone = (): void => {
      if (waiting.length > 0 || running > 0) return;
      const status: RunStatus = run.signal.aborted ? 'canceled' : failed ? 'failed' : 'success';
      resolve({ status, records });
    };

    const start = (job: JobPlan): void => {
      running++;
      const startedAt = Date.now();
      emitJob(job, { state: 'running', variables: shownVariables(job) });
      for (const text of [delayedLine(job) ?? [], options.notes?.get(job.name) ?? []].flat()) runnerLine(run, job.name, text);
      void runSafely(runJob, job, run, recordsFor(job)).then((outcome) => {
        running--;
        const durationMs = Date.now() - startedAt;
        const allowed = outcome.state === 'failed' && failureAllowed(job, outcome.exitCode);
        // GitLab's closing line is the last line of the job's log, before its final state.
        runnerLine(run, job.name, finishLine(outcome, allowed).text);
        emitJob(job, {
          state: outcome.state,
          durationMs,
          ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
          ...(outcome.reason ? { reason: outcome.reason } : {}),
          ...(allowed ? { allowedToFail: true } : {}),
        });
        if (outcome.state !== 'success' && !allowed) failed = true;
        settled.set(job.name, allowed || outcome.state === 'success' ? { kind: 'success' } : { kind: outcome.state });
        records.set(job.name, { job, outcome, ...(outcome.artifactsDir ? { artifactsDir: outcome.artifactsDir } : {}) });
        pump();
      });
    };

    const pump = (): void => {
      let progressed = true;
      // Settling a job without running it (skip, manual) can unblock others: loop until nothing moves.
      while (progressed) {
        progressed = false;
        for (const job of [...waiting]) {
          if (run.signal.aborted) {
            finishWithoutRunning(job, 'canceled', { kind: 'canceled' });
            waiting.splice(waiting.indexOf(job), 1);
            progressed = true;
            continue;
          }
          const decision = decide(job, upstream.get(job.name) ?? { names: [], viaNeeds: false }, settled, explicit.has(job.name));
          if (decision.kind === 'wait') continue;
          const reused = reusedRecord(job, options.reuse);
          if (reused) {
            waiting.splice(waiting.indexOf(job), 1);
            progressed = true;
            settleReused(job, reused);
            continue;
          }
          if (decision.kind === 'run' && running >= limit) continue;
          waiting.splice(waiting.indexOf(job), 1);
          progressed = true;
          if (decision.kind === 'run') start(job);
          else if (decision.kind === 'manual') finishWithoutRunning(job, 'manual');
          else finishWithoutRunning(job, 'skipped', decision.reason);
        }
      }
      finishIfDone();
    };

    run.signal.addEventListener('abort', pump, { once: true });
    pump();
  });
}

/** What the `running` event shows: the job's variables but the predefined ones, secrets as [MASKED]. */
function shownVariables(job: JobPlan): NonNullable<JobEvent['variables']> {
  return job.variables
    .filter((v) => v.source !== 'predefined')
    .map((v) => ({ key: v.key, value: v.masked ? '[MASKED]' : v.value, masked: v.masked, source: v.source }));
}

/** runJob must not throw; if it does (a bug or a lost daemon), the job fails with the message. */
async function runSafely(runJob: RunJobFn, job: JobPlan, run: RunContext, upstream: JobRecord[]): Promise<JobOutcome> {
  try {
    return await runJob(job, run, upstream);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    runnerLine(run, job.name, `ERROR: ${message}`);
    return { state: run.signal.aborted ? 'canceled' : 'failed', reason: run.signal.aborted ? { kind: 'canceled' } : { kind: 'internal', message } };
  }
}
