// Prepare stage, part 1: start the job's service containers on the job's network, with their aliases, the
// builds volume, the job's NON-secret variables plus their own, and the runner's services_tmpfs.
// Secrets never reach a service: they are withheld and named in the `service` event.

import type { JobPlan, ServicePlan } from '../../../shared/plan.js';
import { LABELS, type ResourceKindLabel } from '../../docker/resource-labels.js';
import { SERVICE_LABEL, followContainerLogs, startServiceContainer, type LogFollower } from '../../docker/service-containers.js';
import { LineSplitter } from '../job-run/lines.js';
import type { PreparedJob, ResolvedImage, RunContext } from '../contracts.js';
import { runnerLine } from '../job-run/job-log.js';
import { serviceImageLabel } from './image-label.js';

export interface StartedService {
  name: string;
  containerId: string;
  /** The Docker container name (jobsim-<run>-<job>-svc-<alias>-<random>, see JobObjects.name). */
  containerName: string;
  aliases: string[];
  /** The image as written, for messages and events. */
  image: string;
  /** Epoch ms when the container was started (for timeToHealthyMs). */
  startedAt: number;
}

/** The running services of a job. Their containers are in the job's object record: cleanup removes them. */
export interface StartedServices {
  services: StartedService[];
  /** Stop following their logs (CI_DEBUG_SERVICES); before cleanup, and when a failed job is kept. */
  stopLogs(): void;
}

/** The environment a service receives, and the secret names it did not receive. */
export function serviceEnvironment(job: JobPlan, service: ServicePlan): { env: string[]; names: string[]; withheld: string[] } {
  const values = new Map<string, string>();
  const withheld = new Set<string>();
  for (const variable of job.variables) {
    if (variable.masked) withheld.add(variable.key);
    else values.set(variable.key, variable.value);
  }
  for (const variable of service.variables) {
    if (variable.masked) {
      withheld.add(variable.key);
      values.delete(variable.key);
    } else {
      values.set(variable.key, variable.value);
      withheld.delete(variable.key);
    }
  }
  return { env: [...values].map(([key, value]) => `${key}=${value}`), names: [...values.keys()], withheld: [...withheld] };
}

/** GitLab's `CI_DEBUG_SERVICES=true`: service output goes into the job log. */
function debugServices(job: JobPlan): boolean {
  const flag = job.variables.find((v) => v.key === 'CI_DEBUG_SERVICES' && !v.masked);
  return flag?.value.trim().toLowerCase() === 'true';
}

async function streamServiceLogs(run: RunContext, job: JobPlan, service: string, containerId: string): Promise<LogFollower> {
  const sink = (stream: 'stdout' | 'stderr'): LineSplitter =>
    new LineSplitter((text) => run.emit({ type: 'log', job: job.name, source: 'service', service, stream, text }), run.secrets);
  try {
    return await followContainerLogs(run.docker, containerId, sink('stdout'), sink('stderr'));
  } catch {
    // Debug output is a convenience: a log stream that cannot be opened must not fail the job.
    return { stop: () => undefined };
  }
}

/** Drops aliases an earlier service already holds, the way the runner does (it would make DNS ambiguous). */
function claimAliases(job: JobPlan, run: RunContext, service: ServicePlan, taken: Set<string>): string[] {
  const aliases: string[] = [];
  for (const alias of service.aliases) {
    if (taken.has(alias)) {
      runnerLine(run, job.name, `Skipping alias "${alias}" for service ${service.name}: alias is already in use by another service.`);
      continue;
    }
    if (aliases.includes(alias)) continue;
    taken.add(alias);
    aliases.push(alias);
  }
  return aliases;
}

interface PlannedService {
  service: ServicePlan;
  image: ResolvedImage;
  aliases: string[];
  env: string[];
  containerName: string;
}

export async function startServices(ctx: PreparedJob, images: Map<string, ResolvedImage>): Promise<StartedServices> {
  const { job, run, workspace, objects } = ctx;
  const { network } = workspace;
  const started: StartedService[] = [];
  const followers: LogFollower[] = [];
  const buildsDir = run.plan.runner.buildsDir;

  // Aliases, messages and events in file order; then the containers start in parallel (Docker takes
  // about a second to start a container on a user-defined network, so N services cost ~1 s, not N s).
  const taken = new Set<string>();
  const planned: PlannedService[] = [];
  for (const service of job.services) {
    if (run.signal.aborted) break;
    const image = images.get(service.name);
    if (!image) throw new Error(`no resolved image for service ${service.name}`);
    const aliases = claimAliases(job, run, service, taken);
    const { env, names, withheld } = serviceEnvironment(job, service);
    runnerLine(run, job.name, `Starting service ${serviceImageLabel(service)} ...`);
    run.emit({ type: 'service', job: job.name, name: service.name, image: service.image.ref.written, aliases, state: 'starting', network, variables: names, withheld });
    planned.push({ service, image, aliases, env, containerName: objects.name(`svc-${aliases[0] ?? service.name}`, { unique: true }) });
  }

  const startOne = async ({ service, image, aliases, env, containerName: name }: PlannedService): Promise<StartedService> => {
    const entrypoint = job.docker.disableEntrypointOverwrite ? undefined : service.entrypoint;
    try {
      const containerId = await startServiceContainer(run.docker, {
        name,
        imageId: image.imageId,
        ...(entrypoint !== undefined ? { entrypoint } : {}),
        ...(service.command !== undefined ? { cmd: service.command } : {}),
        env,
        labels: { ...workspace.labels, [LABELS.kind]: 'service' satisfies ResourceKindLabel, [SERVICE_LABEL]: service.name },
        network,
        aliases,
        buildsVolume: workspace.buildsVolume,
        buildsDir,
        tmpfs: job.docker.servicesTmpfs,
      });
      return { name: service.name, containerId, containerName: name, aliases, image: service.image.ref.written, startedAt: Date.now() };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new Error(`service ${service.name} could not be started: ${message}`);
    }
  };

  const results = await Promise.allSettled(planned.map(startOne));
  for (const result of results) {
    if (result.status !== 'fulfilled') continue;
    const service = result.value;
    started.push(service);
    objects.created('container', service.containerId, service.containerName, `service:${service.name}`, {
      network,
      aliases: service.aliases,
      image: service.image,
      mounts: [
        { ...workspace.buildsMount },
        ...Object.keys(job.docker.servicesTmpfs).map((target) => ({ source: 'tmpfs', target, readOnly: false, type: 'tmpfs' as const })),
      ],
    });
  }
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await objects.removeNow(started.map((service) => service.containerId));
    throw failure.reason;
  }
  if (debugServices(job)) {
    for (const service of started) followers.push(await streamServiceLogs(run, job, service.name, service.containerId));
  }
  return { services: started, stopLogs: () => followers.splice(0).forEach((follower) => follower.stop()) };
}
