// `--keep-on-failure`: instead of cleaning up a failed job, keep its world for `jobsim shell`. The exited
// build container is committed to an image and an idle container started from it with the build's env,
// working dir, user, mounts and network (alias `build`); services, network and volumes stay. A record in
// the kept store lets the reaper spare them until the idle timeout.

import { createMasker } from '../../../shared/masking.js';
import { commitContainer, removeImage, startIdleContainer } from '../../docker/kept-containers.js';
import { removeContainer } from '../../docker/job-objects.js';
import { jobLabels, LABELS } from '../../docker/resource-labels.js';
import type { ContainerMount, JobOutcome, PreparedJob, RunContext } from '../contracts.js';
import { scriptContainerSpec } from '../job-run/container-settings.js';
import { describeFailure } from '../job-run/failure.js';
import { dataDir } from '../../history/paths.js';
import { keptIdleMs, writeKeptJob, type KeptRecord } from './kept-store.js';

export function shouldKeep(run: RunContext, outcome: JobOutcome): boolean {
  if (!run.options.keepOnFailure || outcome.state !== 'failed' || run.signal.aborted) return false;
  return outcome.reason?.kind !== 'daemon-lost' && outcome.reason?.kind !== 'canceled';
}

/**
 * Keeps the failed job when the run asks for it. True when kept: the caller then skips its cleanup
 * (the exited build and after_script containers are removed here). False: clean up as usual.
 */
export async function keepForDebugging(ctx: PreparedJob, outcome: JobOutcome): Promise<boolean> {
  const { run, job, log, workspace, objects } = ctx;
  if (!shouldKeep(run, outcome) || !ctx.build) return false;
  const labels = jobLabels(run.runId, job.name, 'kept');
  let image: string;
  try {
    image = await commitContainer(run.docker, ctx.build.id, `jobsim-kept/${objects.slug}`, 'latest', labels, run.secrets);
  } catch (error) {
    log.warning(`could not keep the job for debugging (commit failed): ${describeFailure(error)}`);
    return false;
  }
  const name = objects.name('kept');
  const mounts: ContainerMount[] = [workspace.buildsMount, ...ctx.extraMounts];
  const spec = scriptContainerSpec({
    job,
    image: { ...workspace.image, imageId: image },
    name,
    labels: { ...labels, [LABELS.kept]: 'true', [LABELS.keptHome]: dataDir() },
    network: workspace.network,
    mounts,
    extraEnv: [`CI_BUILD_NETWORK_NAME=${workspace.network}`],
  });
  let containerId: string;
  try {
    containerId = await startIdleContainer(run.docker, spec);
  } catch (error) {
    log.warning(`could not keep the job for debugging (the idle container did not start): ${describeFailure(error)}`);
    await removeImage(run.docker, image);
    return false;
  }

  const now = Date.now();
  const masker = createMasker(run.secrets);
  const exitCode = outcome.exitCode ?? (outcome.reason?.kind === 'script' ? outcome.reason.exitCode : undefined);
  const failedCommand = ctx.commands.last === undefined ? undefined : masker.mask(ctx.commands.last);
  const services = (ctx.services?.services ?? []).map((s) => ({ name: s.name, aliases: s.aliases }));
  const record: KeptRecord = {
    runId: run.runId,
    job: job.name,
    projectPath: run.plan.projectPath,
    container: name,
    services,
    network: workspace.network,
    keptAt: now,
    lastUsedAt: now,
    expiresAt: now + keptIdleMs(),
    ...(failedCommand !== undefined ? { failedCommand } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    image,
    maskedVariables: job.variables.filter((v) => v.masked).map((v) => v.key),
  };
  try {
    await writeKeptJob(record);
  } catch (error) {
    log.warning(`could not keep the job for debugging (the kept record could not be written): ${describeFailure(error)}`);
    await removeContainer(run.docker, containerId);
    await removeImage(run.docker, image);
    return false;
  }

  ctx.services?.stopLogs();
  objects.created('container', containerId, name, 'kept', { network: workspace.network, aliases: ['build'], image, mounts: mounts.map((m) => ({ ...m })) });
  await objects.removeExitedKeepRest();
  run.emit({ type: 'kept', job: job.name, container: name, network: record.network, services, expiresAt: record.expiresAt, ...(failedCommand !== undefined ? { failedCommand } : {}), ...(exitCode !== undefined ? { exitCode } : {}) });
  const minutes = Math.max(1, Math.round(keptIdleMs() / 60000));
  const target = shellWord(`${run.runId}/${job.name}`);
  log.info('Kept the failed job for debugging: its container, services, network and volumes stay.');
  log.info(`Open a shell in it: jobsim shell ${target}`);
  log.info(`It is removed after ${minutes} minute${minutes === 1 ? '' : 's'} without use, or by: jobsim kept done ${target}`);
  return true;
}

/** Quotes a word for copy-and-paste into a shell when it needs it. */
function shellWord(text: string): string {
  return /^[\w./@:-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
