// `--keep-on-failure`: instead of cleaning up a failed job, keep its world for `jobsim shell`. The exited
// build container is committed to an image and an idle container started from it with the build's env,
// working dir, user, mounts and network (alias `build`); services, network and volumes stay. A record in
// the kept store lets the reaper spare them until the idle timeout.

import type { JobPlan } from '../../../shared/plan.js';
import { createMasker } from '../../../shared/masking.js';
import { commitContainer, removeImage, startIdleContainer } from '../../docker/kept-containers.js';
import { removeContainer } from '../../docker/job-objects.js';
import { jobLabels, LABELS } from '../../docker/resource-labels.js';
import type { ContainerMount, JobOutcome, JobWorkspace, RunContext } from '../contracts.js';
import type { StartedServices } from '../job/services.js';
import { scriptContainerSpec } from '../job-run/container-settings.js';
import { describeFailure } from '../job-run/failure.js';
import type { JobLog } from '../job-run/job-log.js';
import { dataDir } from '../../history/paths.js';
import type { JobResources } from '../job-run/resources.js';
import { keptIdleMs, writeKeptJob, type KeptRecord } from './kept-store.js';

/** Notes the last `$ command` line the build script printed: the command that failed, when the job failed. */
export class CommandWatcher {
  last: string | undefined;

  /** The run as the build's runScript sees it: every build log line passes by here first. */
  observe(run: RunContext): RunContext {
    return {
      ...run,
      emit: (event) => {
        if (event.type === 'log' && event.source === 'build') {
          const text = event.text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
          if (text.startsWith('$ ')) this.last = text;
        }
        run.emit(event);
      },
    };
  }
}

/** What runJob knows about the job when it decides whether to keep it. */
export interface KeepState {
  job: JobPlan;
  run: RunContext;
  log: JobLog;
  resources: JobResources;
  names: (role: string) => string;
  /** `<run-slug>-<job-slug>`, for the committed image's name. */
  slug: string;
  workspace?: JobWorkspace;
  network?: string;
  services?: StartedServices;
  build?: { id: string };
  extraMounts: ContainerMount[];
  commands: CommandWatcher;
}

export function shouldKeep(run: RunContext, outcome: JobOutcome): boolean {
  if (!run.options.keepOnFailure || outcome.state !== 'failed' || run.signal.aborted) return false;
  return outcome.reason?.kind !== 'daemon-lost' && outcome.reason?.kind !== 'canceled';
}

/**
 * Keeps the failed job when the run asks for it. True when kept: the caller then skips its cleanup
 * (the exited build and after_script containers are removed here). False: clean up as usual.
 */
export async function keepForDebugging(state: KeepState, outcome: JobOutcome): Promise<boolean> {
  const { run, job, log, workspace } = state;
  if (!shouldKeep(run, outcome) || !state.build || !workspace) return false;
  const labels = jobLabels(run.runId, job.name, 'kept');
  let image: string;
  try {
    image = await commitContainer(run.docker, state.build.id, `jobsim-kept/${state.slug}`, 'latest', labels);
  } catch (error) {
    log.warning(`could not keep the job for debugging (commit failed): ${describeFailure(error)}`);
    return false;
  }
  const name = state.names('kept');
  const mounts: ContainerMount[] = [{ type: 'volume', source: workspace.buildsVolume, target: run.plan.runner.buildsDir, readOnly: false }, ...state.extraMounts];
  const spec = scriptContainerSpec({
    job,
    image: { ...workspace.image, imageId: image },
    name,
    labels: { ...labels, [LABELS.kept]: 'true', [LABELS.keptHome]: dataDir() },
    network: state.network,
    mounts,
    extraEnv: state.network ? [`CI_BUILD_NETWORK_NAME=${state.network}`] : [],
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
  const failedCommand = state.commands.last === undefined ? undefined : masker.mask(state.commands.last);
  const services = (state.services?.services ?? []).map((s) => ({ name: s.name, aliases: s.aliases }));
  const record: KeptRecord = {
    runId: run.runId,
    job: job.name,
    projectPath: run.plan.projectPath,
    container: name,
    services,
    network: state.network ?? '',
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

  await state.resources.removeContainersKeepRest();
  state.services?.stopLogs();
  run.emit({ type: 'resource', job: job.name, kind: 'container', action: 'created', id: containerId, name, role: 'kept', detail: { network: state.network, aliases: ['build'], image, mounts: mounts.map((m) => ({ ...m })) } });
  run.emit({ type: 'resource', job: job.name, kind: 'container', action: 'kept', id: containerId, name, role: 'kept' });
  for (const service of state.services?.services ?? []) {
    run.emit({ type: 'resource', job: job.name, kind: 'container', action: 'kept', id: service.containerId, name: service.containerName, role: `service:${service.name}` });
  }
  for (const mount of state.extraMounts) {
    if (mount.type === 'volume') run.emit({ type: 'resource', job: job.name, kind: 'volume', action: 'kept', id: mount.source, name: mount.source, role: 'cache' });
  }
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
