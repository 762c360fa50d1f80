// `jobsim rerun`: starts a past run again with changes. One job (its successful upstream jobs are not
// run again: their artifacts are reused), only the failed jobs (the successful ones reused), or the
// whole run; with changed variables and secrets, a replaced script, or from a kept container's commit.
// Images are pinned to the digests the past run used unless `images: 'latest'`.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RerunRequest } from '../../shared/debug.js';
import type { JobEvent, RunEvent, RunStartedEvent } from '../../shared/events.js';
import { InputError } from '../errors.js';
import { readRunEvents, resolveStoredRun, runDir } from '../history/index.js';
import { readRunRequest, type StoredRunRequest } from '../history/request-file.js';
import { readKeptJob } from './debug/kept-store.js';
import { artifactFolderName } from './artifacts/transfer.js';
import type { JobOverrides } from './job-overrides.js';
import { pinnedDigestsOf } from './rerun-pins.js';
import { startRun, type RunHandle, type StartRunOptions } from './run.js';
import type { ReuseOptions } from './scheduling/reuse.js';

/** What a rerun needs from the past run's history. */
interface PastRun {
  runId: string;
  request: StoredRunRequest;
  started: RunStartedEvent;
  /** The last state event of each job. */
  finals: Map<string, JobEvent>;
  pinnedDigests: Record<string, string>;
}

export async function planRerun(request: RerunRequest, env: NodeJS.ProcessEnv = process.env): Promise<StartRunOptions> {
  checkShape(request);
  const past = await readPastRun(await resolveStoredRun(request.runId, env), env);
  const { runId, request: stored } = past;
  const jobNames = past.started.jobs.map((j) => j.name);
  if (request.job !== undefined && !jobNames.includes(request.job)) {
    throw new InputError(`run ${runId} has no job "${request.job}" (jobs: ${jobNames.join(', ') || 'none'})`);
  }

  let selection: Pick<StartRunOptions, 'jobs' | 'withNeeds' | 'reuse'>;
  if (request.job !== undefined) {
    const upstream = successfulUpstream(past, request.job);
    selection = { jobs: [...upstream, request.job], withNeeds: false, ...(await reuseOf(past, upstream, env)) };
  } else if (request.onlyFailed) {
    const failed = [...past.finals.values()].filter((e) => e.state === 'failed').map((e) => e.job);
    if (failed.length === 0) throw new InputError(`run ${runId} has no failed jobs`);
    const successful = [...past.finals.values()].filter((e) => e.state === 'success').map((e) => e.job);
    // The past run's own selection, so manual jobs stay manual; what succeeded is not run again.
    selection = { jobs: stored.jobs, withNeeds: stored.withNeeds, ...(await reuseOf(past, successful, env)) };
  } else {
    selection = { jobs: stored.jobs, withNeeds: stored.withNeeds };
  }

  return {
    projectDir: stored.projectDir,
    file: stored.file,
    runnerConfig: stored.runnerConfig,
    ...(stored.pipeline ? { pipeline: stored.pipeline } : {}),
    ...(stored.server ? { server: stored.server } : {}),
    ...selection,
    // Secrets the past run had but are not given now come from the secrets file, as for any run.
    variables: { ...stored.variables, ...request.variables },
    secrets: { ...request.secrets },
    secretsFile: stored.secretsFile,
    concurrency: stored.concurrency,
    keepOnFailure: request.keepOnFailure ?? stored.keepOnFailure,
    pinnedDigests: request.images === 'latest' ? undefined : past.pinnedDigests,
    engineOptions: {
      ...(stored.registryMirror ? { registryMirror: stored.registryMirror } : {}),
      ...(stored.dockerConfigDir ? { dockerConfigDir: stored.dockerConfigDir } : {}),
      ...(stored.pool ? { pool: stored.pool } : {}),
    },
    overrides: await overridesOf(request, runId, env),
  };
}

/** planRerun, then start the run. */
export async function rerunRun(request: RerunRequest, env: NodeJS.ProcessEnv = process.env): Promise<RunHandle> {
  return startRun(await planRerun(request, env));
}

/** Checks that need no history: the changes that only make sense for one job. */
function checkShape(request: RerunRequest): void {
  if (request.job !== undefined && request.onlyFailed) throw new InputError('rerun either one job or the failed jobs (--failed), not both');
  if (request.job === undefined && request.script !== undefined) throw new InputError('a replaced script (--script) needs the job to run it in: `jobsim rerun RUN JOB --script CMD`');
  if (request.job === undefined && request.fromKept) throw new InputError('--from-kept needs the kept job: `jobsim rerun RUN JOB --from-kept`');
  if (request.script !== undefined && request.script.length === 0) throw new InputError('the replaced script has no commands');
}

async function readPastRun(runId: string, env: NodeJS.ProcessEnv): Promise<PastRun> {
  const request = await readRunRequest(runId, env);
  if (!request) throw new InputError(`run ${runId} cannot be rerun: it was stored without how it was started (an older jobsim); start it with \`jobsim run\``);
  let started: RunStartedEvent | undefined;
  const finals = new Map<string, JobEvent>();
  const pulls: RunEvent[] = [];
  for await (const event of readRunEvents(runId, env)) {
    if (event.type === 'run' && event.state === 'started') started = event;
    else if (event.type === 'job' && event.state !== 'pending' && event.state !== 'running') finals.set(event.job, event);
    else if (event.type === 'pull') pulls.push(event);
  }
  if (!started) throw new InputError(`run ${runId} has no stored events to rerun`);
  return { runId, request, started, finals, pinnedDigests: pinnedDigestsOf(pulls) };
}

/** Every job `job` waits for (transitively, by needs or stage order) that succeeded in the past run. */
function successfulUpstream(past: PastRun, job: string): string[] {
  const { jobs, stages } = past.started;
  const stageIndex = (name: string): number => stages.indexOf(jobs.find((j) => j.name === name)?.stage ?? '');
  const direct = (name: string): string[] => {
    const needs = jobs.find((j) => j.name === name)?.needs;
    return needs ?? jobs.filter((j) => stageIndex(j.name) < stageIndex(name)).map((j) => j.name);
  };
  const found = new Set<string>();
  const queue = [job];
  while (queue.length > 0) {
    for (const name of direct(queue.pop() ?? '')) {
      if (found.has(name) || past.finals.get(name)?.state !== 'success') continue;
      found.add(name);
      queue.push(name);
    }
  }
  return jobs.map((j) => j.name).filter((name) => found.has(name));
}

/** The reuse entries of `names`, with where their artifacts are (a job reused before keeps its origin's). */
async function reuseOf(past: PastRun, names: string[], env: NodeJS.ProcessEnv): Promise<{ reuse?: ReuseOptions }> {
  if (names.length === 0) return {};
  const jobs: ReuseOptions['jobs'] = {};
  for (const name of names) {
    const origin = past.finals.get(name)?.reusedFrom ?? past.runId;
    const dir = join(runDir(origin, env), 'artifacts', artifactFolderName(name));
    const present = await stat(dir).then((s) => s.isDirectory()).catch(() => false);
    jobs[name] = { state: 'success', ...(present ? { artifactsDir: dir } : {}) };
  }
  return { reuse: { fromRunId: past.runId, jobs } };
}

async function overridesOf(request: RerunRequest, runId: string, env: NodeJS.ProcessEnv): Promise<JobOverrides | undefined> {
  const job = request.job;
  if (job === undefined || (request.script === undefined && !request.fromKept)) return undefined;
  const overrides: JobOverrides = { job, ...(request.script ? { script: request.script } : {}) };
  if (request.fromKept) {
    const kept = await readKeptJob(runId, job, env);
    if (!kept) throw new InputError(`job ${job} of run ${runId} was not kept: run it with --keep-on-failure first`);
    overrides.image = { imageId: kept.image, label: `the kept container of job ${job} in run ${runId}` };
  }
  return overrides;
}
