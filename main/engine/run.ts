// The run launcher shared by the CLI and the UI hosts: parse → connect → reap orphans → run the pipeline,
// with every event stamped, masked, stored in the history and fanned out to subscribers.

import { availableParallelism } from 'node:os';
import type { IncludeOptions } from '../parse/include-settings.js';
import type { RunRequest } from '../../shared/api.js';
import type { RunEvent, RunStatus } from '../../shared/events.js';
import type { JobPlan, PipelinePlan } from '../../shared/plan.js';
import { CanceledBeforeStartError, EnvironmentError } from '../errors.js';
import { newRunId, runDir, RunHistoryWriter } from '../history/index.js';
import { writeRunRequest } from '../history/request-file.js';
import { runnableNamedJobs } from '../parse/blocked-selection.js';
import { loadPipeline, selectJobs } from '../parse/index.js';
import type { RunContext } from './contracts.js';
import { RunEmitter } from './emitter.js';
import { applyOverrides, overrideNotes, type JobOverrides } from './job-overrides.js';
import { runPipeline } from './pipeline.js';
import { realDependencies, type RunDependencies } from './run-deps.js';
import { secretValues } from './secret-values.js';
import type { ReuseOptions } from './scheduling/reuse.js';

export interface StartRunOptions extends RunRequest {
  keepOnFailure?: boolean;
  pinnedDigests?: Record<string, string>;
  /** `--secrets-file F` (default `.jobsim/secrets.env` in the project, when present). */
  secretsFile?: string;
  /** Extra per-run settings passed through to the engine (registry mirror, docker config, pool). */
  engineOptions?: Omit<RunContext['options'], 'keepOnFailure' | 'pinnedDigests'>;
  /** A rerun's jobs that are not run again: successful, with the artifacts of run `fromRunId`. */
  reuse?: ReuseOptions;
  /** A rerun's changes to one job (script, image), applied to the parsed plan. */
  overrides?: JobOverrides;
  /** How remote and project includes are read (`--project-dir`, `--gitlab-token`); never stored with the run. */
  includes?: IncludeOptions;
  /** Aborted (Ctrl-C) while the run is being set up: before its record exists, no run; after, it is canceled. */
  signal?: AbortSignal;
}

export interface RunHandle {
  runId: string;
  /** The parsed pipeline this run executes (for warnings and display). */
  plan: PipelinePlan;
  /** Everything so far, then live; returns unsubscribe. Late subscribers get the backlog first. */
  subscribe(listener: (event: RunEvent) => void): () => void;
  /** Graceful: stop, after_script, cleanup. */
  cancel(): void;
  /** Second Ctrl-C: kill at once, still clean up. */
  forceKill(): void;
  done: Promise<RunStatus>;
}

export type { RunDependencies } from './run-deps.js';

export async function startRunWith(options: StartRunOptions, deps: RunDependencies): Promise<RunHandle> {
  // Input problems surface before anything is created on the daemon or on disk.
  const parsed = applyOverrides(await loadPipeline({
    projectDir: options.projectDir,
    file: options.file,
    runnerConfig: options.runnerConfig,
    variables: options.variables,
    secrets: options.secrets,
    secretsFile: options.secretsFile,
    ...(options.pipeline ? { pipeline: options.pipeline } : {}),
    ...(options.server ? { server: options.server } : {}),
    ...(options.defaultImage ? { defaultImage: options.defaultImage } : {}),
    ...(options.includes ? { includes: options.includes } : {}),
  }), options.overrides);
  const { plan, jobs } = chooseJobs(parsed, options.jobs, options.withNeeds ?? false, options.defaultImage);
  const docker = await deps.connect();
  await deps.reapOrphans(docker);
  if (options.signal?.aborted) throw new CanceledBeforeStartError();
  const cancel = new AbortController();
  const kill = new AbortController();
  options.signal?.addEventListener('abort', () => cancel.abort(), { once: true });

  const runId = newRunId();
  const dir = runDir(runId, deps.env);
  const startedAt = Date.now();
  const secrets = secretValues(plan, options.secrets);
  const writer = openHistory(dir, { runId, projectDir: plan.projectDir, projectPath: plan.projectPath, startedAt, jobs: jobs.map((j) => j.name) });
  await rememberRequest(dir, { ...options, projectDir: plan.projectDir });
  const emitter = new RunEmitter(runId, secrets, (event) => writer.append(event));
  const run: RunContext = {
    runId,
    plan,
    docker,
    emit: emitter.emit,
    signal: cancel.signal,
    killSignal: kill.signal,
    secrets,
    runDir: dir,
    options: { ...options.engineOptions, keepOnFailure: options.keepOnFailure ?? false, pinnedDigests: options.pinnedDigests },
  };

  run.emit({
    type: 'run',
    state: 'started',
    projectDir: plan.projectDir,
    projectPath: plan.projectPath,
    file: plan.file,
    jobs: jobs.map((j) => ({ name: j.name, stage: j.stage, needs: j.needs?.map((n) => n.job) ?? null, when: j.when })),
    stages: plan.stages,
  });

  const done = runPipeline(run, {
    jobs,
    explicit: new Set(options.jobs ?? []),
    concurrency: options.concurrency ?? availableParallelism(),
    runJob: deps.runJob,
    reuse: options.reuse,
    notes: overrideNotes(options.overrides),
  }).then(async ({ status }) => {
    run.emit({ type: 'run', state: 'finished', status, durationMs: Date.now() - startedAt });
    await writer.flush();
    return status;
  });

  return {
    runId,
    plan,
    subscribe: (listener) => emitter.subscribe(listener),
    cancel: () => cancel.abort(),
    forceKill: () => {
      cancel.abort();
      kill.abort();
    },
    done,
  };
}

function openHistory(dir: string, start: ConstructorParameters<typeof RunHistoryWriter>[1]): RunHistoryWriter {
  try {
    return new RunHistoryWriter(dir, start);
  } catch (error) {
    const detail = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new EnvironmentError(`cannot store the run in ${dir} (${detail})`, 'make the folder writable, or set JOBSIM_HOME (or XDG_DATA_HOME) to a writable folder');
  }
}

/** request.json, for `jobsim rerun`. A run that cannot store it still runs (it just cannot be rerun). */
async function rememberRequest(dir: string, options: StartRunOptions): Promise<void> {
  const { projectDir, file, runnerConfig, jobs, withNeeds, variables, secrets, secretsFile, concurrency, keepOnFailure, engineOptions, pipeline, server, defaultImage } = options;
  await writeRunRequest(dir, { projectDir, file, runnerConfig, jobs, withNeeds, variables, secrets, secretsFile, concurrency, keepOnFailure, engineOptions, pipeline, server, defaultImage }).catch(() => undefined);
}

/**
 * Named jobs (and with --needs what they need), else every job that can run (`when: never` jobs are left
 * out; blocked ones are skipped with their reason). A named job that cannot run here is refused.
 */
function chooseJobs(plan: PipelinePlan, names: string[] | undefined, withNeeds: boolean, defaultImage: string | undefined): { plan: PipelinePlan; jobs: JobPlan[] } {
  if (!names || names.length === 0) return { plan, jobs: plan.jobs.filter((j) => j.when !== 'never') };
  const { jobs, warnings } = runnableNamedJobs(plan, selectJobs(plan, names, withNeeds), defaultImage);
  if (warnings.length === 0) return { plan, jobs };
  const byName = new Map(jobs.map((j) => [j.name, j]));
  return { plan: { ...plan, jobs: plan.jobs.map((j) => byName.get(j.name) ?? j), warnings: [...plan.warnings, ...warnings] }, jobs };
}

/** Starts a run with the real engine (Docker, reaper, job runner). */
export async function startRun(options: StartRunOptions): Promise<RunHandle> {
  return startRunWith(options, realDependencies());
}
