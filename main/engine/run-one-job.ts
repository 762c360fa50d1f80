// Runs one job the way GitLab Runner's Docker executor does: prepare (images, network, builds volume,
// services), pre-build (sources, cache, artifacts), build (before_script + script), post-build
// (after_script, cache, artifacts), then cleanup of everything not meant to persist.

import { createHash } from 'node:crypto';
import { formatBytes } from '../../shared/bytes.js';
import type { JobPlan } from '../../shared/plan.js';
import { createJobNetwork, createVolume, engineAnswers } from '../docker/job-objects.js';
import { jobLabels, nameSlug } from '../docker/resource-labels.js';
import { createScriptContainer, putArchive, type ScriptContainer } from '../docker/script-container.js';
import { prepareCaches } from './cache/prepare.js';
import { CommandWatcher, keepForDebugging } from './debug/keep.js';
import type { ContainerMount, JobOutcome, JobRecord, JobWorkspace, PreparedCaches, ResolvedImage, RunContext, RunJobFn } from './contracts.js';
import { downloadArtifacts, uploadArtifacts } from './job/artifacts.js';
import { startServices, type StartedServices } from './job/services.js';
import { waitForServices } from './job/service-wait.js';
import { entrypointFor, scriptContainerSpec } from './job-run/container-settings.js';
import { describeFailure, JobStop, reasonFor } from './job-run/failure.js';
import { inStage, JobLog } from './job-run/job-log.js';
import { JobResources } from './job-run/resources.js';
import { runnerVolumeMounts } from './job-run/runner-volumes.js';
import { runScript, type ScriptResult } from './job-run/run-script.js';
import { buildScript } from './job-run/script.js';
import { archiveProject, listProjectFiles } from './job-run/sources.js';
import { resolveImage } from './pull/index.js';

/** GitLab Runner gives after_script its own limit. */
export const AFTER_SCRIPT_TIMEOUT_MS = 5 * 60 * 1000;

interface JobState {
  job: JobPlan;
  run: RunContext;
  log: JobLog;
  resources: JobResources;
  names: (role: string) => string;
  workspace?: JobWorkspace;
  network?: string;
  services?: StartedServices;
  caches?: PreparedCaches;
  build?: ScriptContainer;
  /** Cache and runner-volume mounts, shared by the build and after_script containers. */
  extraMounts: ContainerMount[];
  /** `<run-slug>-<job-slug>`: the unique part of this job's object names. */
  slug: string;
  /** The last `$ command` of the build script: the failed command of a kept job. */
  commands: CommandWatcher;
}

function throwIfCanceled(run: RunContext): void {
  if (run.signal.aborted) throw new JobStop({ kind: 'canceled' });
}

async function prepare(state: JobState): Promise<void> {
  const { job, run, log, resources } = state;
  await log.section('prepare_executor', 'Preparing the "docker" executor', async () => {
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

    const labels = jobLabels(run.runId, job.name, 'build');
    const networkName = state.names('net');
    const networkId = await createJobNetwork(run.docker, networkName, jobLabels(run.runId, job.name, 'network'));
    resources.created('network', networkId, networkName, 'network');
    state.network = networkName;
    const buildsVolume = await createVolume(run.docker, state.names('builds'), jobLabels(run.runId, job.name, 'builds-volume'));
    resources.created('volume', buildsVolume, buildsVolume, 'builds');
    state.workspace = { buildsVolume, projectDir: job.projectDirInContainer, image, labels };

    if (job.services.length > 0) {
      state.services = await startServices(job, state.workspace, networkName, run, serviceImages);
      await waitForServices(job, state.services, state.workspace, networkName, run, serviceImages);
    }
  });
}

async function preBuild(state: JobState, upstream: JobRecord[]): Promise<void> {
  const { job, run, log, resources } = state;
  const workspace = state.workspace;
  if (!workspace) throw new Error('pre-build before prepare');
  state.caches = await prepareCaches(job, workspace, run);
  const runnerVolumes = await runnerVolumeMounts(run.docker, job, run.plan.projectPath);
  for (const name of runnerVolumes.persistent) resources.kept('volume', name, name, 'runner-volume');
  state.extraMounts = [...state.caches.mounts, ...runnerVolumes.mounts];

  const name = state.names('build');
  state.build = await createScriptContainer(run.docker, scriptContainerSpec({
    job,
    image: workspace.image,
    name,
    labels: workspace.labels,
    network: state.network,
    mounts: [{ type: 'volume', source: workspace.buildsVolume, target: run.plan.runner.buildsDir, readOnly: false }, ...state.extraMounts],
    extraEnv: state.network ? [`CI_BUILD_NETWORK_NAME=${state.network}`] : [],
  }));
  resources.created('container', state.build.id, name, 'build', {
    network: state.network,
    aliases: ['build'],
    image: job.image.ref.written,
    privileged: job.docker.privileged,
    dockerSocket: state.extraMounts.some((m) => m.source.endsWith('docker.sock')),
    mounts: [{ source: workspace.buildsVolume, target: run.plan.runner.buildsDir, readOnly: false, type: 'volume' }, ...state.extraMounts.map((m) => ({ ...m, type: m.type }))],
  });

  await log.section('get_sources', 'Getting source from the project folder', async () => {
    const files = await listProjectFiles(run.plan.projectDir);
    const prefix = job.projectDirInContainer.slice(run.plan.runner.buildsDir.length).replace(/^\/+/, '');
    const archive = archiveProject(run.plan.projectDir, files, prefix);
    try {
      await putArchive(run.docker, state.build?.id ?? '', run.plan.runner.buildsDir, archive.stream);
    } catch (error) {
      archive.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    const copied = await archive.done;
    log.info(`Copied ${copied.files} files (${formatBytes(copied.bytes)}) from ${run.plan.projectDir} to ${job.projectDirInContainer}`);
  });
  throwIfCanceled(run);
  await downloadArtifacts(job, upstream, state.build.id, workspace, run);
}

async function build(state: JobState, startedAt: number): Promise<ScriptResult> {
  const { job, run, log } = state;
  if (!state.build || !state.workspace) throw new Error('build before pre-build');
  const container = state.build;
  const script = buildScript({ projectDir: job.projectDirInContainer, prelude: state.caches?.restoreScript, commands: [...job.beforeScript, ...job.script] });
  const remainingMs = job.timeoutMs - (Date.now() - startedAt);
  if (remainingMs <= 0) throw new JobStop({ kind: 'timeout', timeoutMs: job.timeoutMs });
  return log.section('step_script', 'Executing "step_script" stage of the job script', () =>
    runScript({ run: state.commands.observe(run), job: job.name, container, script, timeoutMs: remainingMs, limitMs: job.timeoutMs, stopOnCancel: true }),
  );
}

async function afterScript(state: JobState, outcome: JobOutcome): Promise<void> {
  const { job, run, log, resources } = state;
  if (job.afterScript.length === 0 || !state.workspace || !state.build || run.killSignal?.aborted) return;
  const workspace = state.workspace;
  await log.section('after_script', 'Running after_script', async () => {
    const name = state.names('after');
    const container = await createScriptContainer(run.docker, scriptContainerSpec({
      job,
      image: workspace.image,
      name,
      labels: jobLabels(run.runId, job.name, 'after-script'),
      network: state.network,
      mounts: [{ type: 'volume', source: workspace.buildsVolume, target: run.plan.runner.buildsDir, readOnly: false }, ...state.extraMounts],
      extraEnv: [`CI_JOB_STATUS=${outcome.state === 'success' ? 'success' : outcome.state === 'canceled' ? 'canceled' : 'failed'}`],
    }));
    resources.created('container', container.id, name, 'after-script');
    const script = buildScript({ projectDir: job.projectDirInContainer, commands: job.afterScript });
    const result = await runScript({ run, job: job.name, container, script, timeoutMs: AFTER_SCRIPT_TIMEOUT_MS, stopOnCancel: false });
    if (result.kind === 'exited' && result.exitCode !== 0) log.warning(`after_script failed, but job will continue unaffected: exit code ${result.exitCode}`);
    if (result.kind === 'stopped') log.warning(`after_script stopped (${result.reason.kind}), but job will continue unaffected`);
  });
}

function outcomeOf(result: ScriptResult): JobOutcome {
  if (result.kind === 'stopped') return { state: result.reason.kind === 'canceled' ? 'canceled' : 'failed', reason: result.reason };
  if (result.exitCode === 0) return { state: 'success' };
  return { state: 'failed', exitCode: result.exitCode, reason: { kind: 'script', exitCode: result.exitCode } };
}

export const runJob: RunJobFn = async (job, run, upstream) => {
  const startedAt = Date.now();
  const runPart = nameSlug(run.runId, 24);
  // The slug alone could collide (`Test` and `test`, long names): a hash of the full name keeps it unique.
  const jobPart = `${nameSlug(job.name, 32)}-${createHash('sha256').update(job.name).digest('hex').slice(0, 6)}`;
  const state: JobState = {
    job,
    run,
    log: new JobLog(run, job.name),
    resources: new JobResources(run, job.name),
    names: (role) => `jobsim-${runPart}-${jobPart}-${role}`,
    extraMounts: [],
    slug: `${runPart}-${jobPart}`,
    commands: new CommandWatcher(),
  };

  let outcome: JobOutcome;
  let buildStarted = false;
  try {
    await inStage(run, job.name, 'prepare', () => prepare(state));
    throwIfCanceled(run);
    await inStage(run, job.name, 'pre-build', () => preBuild(state, upstream));
    throwIfCanceled(run);
    buildStarted = true;
    const result = await inStage(run, job.name, 'build', () => build(state, startedAt), (r) => (r.kind === 'exited' && r.exitCode === 0 ? 'success' : r.kind === 'stopped' && r.reason.kind === 'canceled' ? 'canceled' : 'failed'));
    outcome = outcomeOf(result);
  } catch (error) {
    const reason = run.signal.aborted && !(error instanceof JobStop) ? { kind: 'canceled' as const } : reasonFor(error, await engineAnswers(run.docker));
    if (!(error instanceof JobStop)) for (const line of describeFailure(error).split('\n')) state.log.error(line);
    outcome = { state: reason.kind === 'canceled' ? 'canceled' : 'failed', reason };
  }

  if (outcome.reason?.kind !== 'daemon-lost') {
    try {
      await inStage(run, job.name, 'post-build', async () => {
        if (buildStarted) {
          // GitLab only warns about after_script: whatever happens there, caches and artifacts still follow.
          try {
            await afterScript(state, outcome);
          } catch (error) {
            state.log.warning(`after_script could not run, but job will continue unaffected: ${describeFailure(error)}`);
          }
        }
        await state.caches?.save(outcome);
        if (state.build && state.workspace) {
          const artifactsDir = await uploadArtifacts(job, outcome, state.build.id, state.workspace, run);
          if (artifactsDir) outcome = { ...outcome, artifactsDir };
        }
      });
    } catch (error) {
      state.log.error(error instanceof Error ? error.message : String(error));
      if (outcome.state === 'success') outcome = { state: 'failed', reason: reasonFor(error, await engineAnswers(run.docker)) };
    }
  }

  await state.log.section('cleanup_file_variables', 'Cleaning up project directory and file based variables', async () => {
    if (await keepForDebugging(state, outcome)) return;
    await state.services?.remove();
    await state.resources.removeAll();
    // After the containers: the cache's overlay volumes cannot be removed while a container uses them.
    await state.caches?.cleanup();
  });
  return outcome;
};
