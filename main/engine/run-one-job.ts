// Runs one job the way GitLab Runner's Docker executor does: prepare (images, network, builds volume,
// services), pre-build (sources, cache, artifacts), build (before_script + script), post-build
// (after_script, cache, artifacts), then cleanup of everything not meant to persist.

import { formatBytes } from '../../shared/bytes.js';
import { createJobNetwork, createVolume, engineAnswers } from '../docker/job-objects.js';
import { jobLabels } from '../docker/resource-labels.js';
import { createScriptContainer, putArchive } from '../docker/script-container.js';
import { prepareCaches } from './cache/prepare.js';
import { keepForDebugging } from './debug/keep.js';
import type { ContainerMount, JobContext, JobOutcome, JobRecord, PreparedJob, ResolvedImage, RunContext, RunJobFn } from './contracts.js';
import { downloadArtifacts, uploadArtifacts } from './artifacts/transfer.js';
import { startServices } from './services/start.js';
import { waitForServices } from './services/wait.js';
import { entrypointFor, scriptContainerSpec } from './job-run/container-settings.js';
import { describeFailure, JobStop, reasonFor } from './job-run/failure.js';
import { createJobContext, isPrepared, jobWorkspace, withWorkspace } from './job-run/job-context.js';
import { inStage } from './job-run/job-log.js';
import { runnerVolumeMounts } from './job-run/runner-volumes.js';
import { runScript, type ScriptResult } from './job-run/run-script.js';
import { buildScript } from './job-run/script.js';
import { archiveProject, listProjectFiles } from './job-run/sources.js';
import { resolveImage } from './pull/index.js';
import { watchingEngine } from './engine-watchdog.js';

/** GitLab Runner gives after_script its own limit. */
export const AFTER_SCRIPT_TIMEOUT_MS = 5 * 60 * 1000;

function throwIfCanceled(run: RunContext): void {
  if (run.signal.aborted) throw new JobStop({ kind: 'canceled' });
}

/** The build container's mounts: the builds volume, then the caches and runner volumes. */
function jobMounts(ctx: PreparedJob): ContainerMount[] {
  return [ctx.workspace.buildsMount, ...ctx.extraMounts];
}

async function prepare(ctx: JobContext): Promise<PreparedJob> {
  const { job, run, log, objects } = ctx;
  return log.section('prepare_executor', 'Preparing the "docker" executor', async () => {
    log.info(`Using Docker executor with image ${job.image.ref.written} ...`);
    const image = await resolveImage({ job: job.name, container: 'build', image: job.image }, run);
    const serviceImages = new Map<string, ResolvedImage>();
    for (const service of job.services) {
      throwIfCanceled(run);
      serviceImages.set(service.name, await resolveImage({ job: job.name, container: service.name, image: service.image }, run));
    }
    throwIfCanceled(run);
    if (job.docker.networkMode) log.warning(`network_mode "${job.docker.networkMode}" is ignored: jobsim gives every job its own network, like GitLab's FF_NETWORK_PER_BUILD`);
    const note = entrypointFor(job).note;
    if (note) log.info(note);

    const network = objects.name('net');
    const networkId = await createJobNetwork(run.docker, network, jobLabels(run.runId, job.name, 'network'));
    objects.created('network', networkId, network, 'network');
    const buildsVolume = await createVolume(run.docker, objects.name('builds'), jobLabels(run.runId, job.name, 'builds-volume'));
    objects.created('volume', buildsVolume, buildsVolume, 'builds');
    const prepared = withWorkspace(ctx, jobWorkspace(job, run, { network, buildsVolume, image, labels: jobLabels(run.runId, job.name, 'build') }));

    if (job.services.length > 0) {
      prepared.services = await startServices(prepared, serviceImages);
      await waitForServices(prepared, prepared.services, serviceImages);
    }
    return prepared;
  });
}

async function preBuild(prepared: PreparedJob, upstream: JobRecord[], startedAt: number): Promise<void> {
  const { job, run, log, objects, workspace } = prepared;
  prepared.caches = await prepareCaches(prepared);
  const runnerVolumes = await runnerVolumeMounts(run.docker, job, run.plan.projectPath);
  for (const name of runnerVolumes.persistent) objects.kept('volume', name, name, 'runner-volume');
  prepared.extraMounts.push(...prepared.caches.mounts, ...runnerVolumes.mounts);

  const name = objects.name('build');
  const mounts = jobMounts(prepared);
  const build = await createScriptContainer(run.docker, scriptContainerSpec({
    job,
    image: workspace.image,
    name,
    labels: workspace.labels,
    network: workspace.network,
    mounts,
    extraEnv: [`CI_BUILD_NETWORK_NAME=${workspace.network}`, 'CI_JOB_STATUS=running', `CI_JOB_STARTED_AT=${isoSeconds(startedAt)}`],
  }));
  prepared.build = build;
  objects.created('container', build.id, name, 'build', {
    network: workspace.network,
    aliases: ['build'],
    image: job.image.ref.written,
    privileged: job.docker.privileged,
    dockerSocket: mounts.some((m) => m.source.endsWith('docker.sock')),
    mounts: mounts.map((m) => ({ ...m })),
  });

  await log.section('get_sources', 'Getting source from the project folder', async () => {
    const files = await listProjectFiles(run.plan.projectDir);
    const prefix = job.projectDirInContainer.slice(run.plan.runner.buildsDir.length).replace(/^\/+/, '');
    const archive = archiveProject(run.plan.projectDir, files, prefix);
    try {
      await putArchive(run.docker, build.id, run.plan.runner.buildsDir, archive.stream);
    } catch (error) {
      archive.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    const copied = await archive.done;
    log.info(`Copied ${copied.files} files (${formatBytes(copied.bytes)}) from ${run.plan.projectDir} to ${job.projectDirInContainer}`);
  });
  throwIfCanceled(run);
  await downloadArtifacts(prepared, upstream, build.id);
}

async function build(ctx: JobContext, startedAt: number): Promise<ScriptResult> {
  const { job, run, log } = ctx;
  if (!ctx.build) throw new Error('build before pre-build');
  const container = ctx.build;
  const script = buildScript({ projectDir: job.projectDirInContainer, prelude: ctx.caches?.restoreScript, commands: [...job.beforeScript, ...job.script] });
  const remainingMs = job.timeoutMs - (Date.now() - startedAt);
  if (remainingMs <= 0) throw new JobStop({ kind: 'timeout', timeoutMs: job.timeoutMs });
  return log.section('step_script', 'Executing "step_script" stage of the job script', () =>
    runScript({ run: ctx.commands.observe(run), job: job.name, container, script, timeoutMs: remainingMs, limitMs: job.timeoutMs, stopOnCancel: true }),
  );
}

/** GitLab's CI_JOB_STATUS after the script: `success`, `failed` or `canceled`. */
function jobStatusOf(outcome: JobOutcome): 'success' | 'failed' | 'canceled' {
  return outcome.state === 'success' ? 'success' : outcome.state === 'canceled' ? 'canceled' : 'failed';
}

/** after_script runs in the build container again, as the runner does: what the script left (in /tmp too) is there. */
async function afterScript(prepared: PreparedJob, outcome: JobOutcome): Promise<void> {
  const { job, run, log } = prepared;
  if (job.afterScript.length === 0 || !prepared.build || run.killSignal?.aborted) return;
  const container = prepared.build;
  await log.section('after_script', 'Running after_script', async () => {
    const script = buildScript({ projectDir: job.projectDirInContainer, prelude: [`export CI_JOB_STATUS=${jobStatusOf(outcome)}`], commands: job.afterScript });
    const result = await runScript({ run, job: job.name, container, script, timeoutMs: AFTER_SCRIPT_TIMEOUT_MS, stopOnCancel: false });
    if (result.kind === 'exited' && result.exitCode !== 0) log.warning(`after_script failed, but job will continue unaffected: exit code ${result.exitCode}`);
    if (result.kind === 'stopped') log.warning(`after_script stopped (${result.reason.kind}), but job will continue unaffected`);
  });
}

/** GitLab's timestamp format for CI_JOB_STARTED_AT: ISO 8601 in UTC, to the second. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function outcomeOf(result: ScriptResult): JobOutcome {
  if (result.kind === 'stopped') return { state: result.reason.kind === 'canceled' ? 'canceled' : 'failed', reason: result.reason };
  if (result.exitCode === 0) return { state: 'success' };
  return { state: 'failed', exitCode: result.exitCode, reason: { kind: 'script', exitCode: result.exitCode } };
}

const runJobOnEngine: RunJobFn = async (job, run, upstream) => {
  const startedAt = Date.now();
  const ctx = createJobContext(job, run);

  let outcome: JobOutcome;
  let buildStarted = false;
  try {
    const prepared = await inStage(run, job.name, 'prepare', () => prepare(ctx));
    throwIfCanceled(run);
    await inStage(run, job.name, 'pre-build', () => preBuild(prepared, upstream, startedAt));
    throwIfCanceled(run);
    buildStarted = true;
    const result = await inStage(run, job.name, 'build', () => build(ctx, startedAt), (r) => (r.kind === 'exited' && r.exitCode === 0 ? 'success' : r.kind === 'stopped' && r.reason.kind === 'canceled' ? 'canceled' : 'failed'));
    outcome = outcomeOf(result);
  } catch (error) {
    const reason = run.signal.aborted && !(error instanceof JobStop) ? { kind: 'canceled' as const } : reasonFor(error, await engineAnswers(run.docker));
    if (!(error instanceof JobStop)) for (const line of describeFailure(error).split('\n')) ctx.log.error(line);
    outcome = { state: reason.kind === 'canceled' ? 'canceled' : 'failed', reason };
  }

  const prepared = isPrepared(ctx) ? ctx : undefined;
  if (outcome.reason?.kind !== 'daemon-lost' && prepared) {
    try {
      await inStage(run, job.name, 'post-build', async () => {
        if (buildStarted) {
          // GitLab only warns about after_script: whatever happens there, caches and artifacts still follow.
          try {
            await afterScript(prepared, outcome);
          } catch (error) {
            ctx.log.warning(`after_script could not run, but job will continue unaffected: ${describeFailure(error)}`);
          }
        }
        await ctx.caches?.save(outcome);
        if (ctx.build) {
          const artifactsDir = await uploadArtifacts(prepared, outcome, ctx.build.id);
          if (artifactsDir) outcome = { ...outcome, artifactsDir };
        }
      });
    } catch (error) {
      ctx.log.error(error instanceof Error ? error.message : String(error));
      if (outcome.state === 'success') outcome = { state: 'failed', reason: reasonFor(error, await engineAnswers(run.docker)) };
    }
  }

  await ctx.log.section('cleanup_file_variables', 'Cleaning up project directory and file based variables', async () => {
    if (prepared && (await keepForDebugging(prepared, outcome))) return;
    ctx.services?.stopLogs();
    // Containers first: the cache's overlay volumes cannot be removed while a container uses them.
    await ctx.objects.removeAll();
  });
  return outcome;
};

/** A job's timeout and Ctrl-C work whatever the engine does: the watchdog ends what waits on a frozen one. */
export const runJob: RunJobFn = (job, run, upstream) => watchingEngine(run, () => runJobOnEngine(job, run, upstream));
