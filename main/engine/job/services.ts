// Prepare stage, part 1: start the job's service containers on the job's network, with their aliases, the
// builds volume, the job's NON-secret variables plus their own, and the runner's services_tmpfs.
// Secrets never reach a service: they are withheld and named in the `service` event.

import { randomBytes } from 'node:crypto';
import type { JobPlan, ServicePlan } from '../../../shared/plan.js';
import { LABELS, type ResourceKindLabel } from '../../docker/resource-labels.js';
import { SERVICE_LABEL, removeContainerQuietly, startServiceContainer } from '../../docker/service-containers.js';
import type { JobWorkspace, ResolvedImage, RunContext } from '../contracts.js';
import { runnerLog, serviceImageLabel } from './service-log.js';

export interface StartedService {
  name: string;
  containerId: string;
  aliases: string[];
  /** The image as written, for messages and events. */
  image: string;
  /** Epoch ms when the container was started (for timeToHealthyMs). */
  startedAt: number;
}

export interface StartedServices {
  services: StartedService[];
  /** Remove the service containers (force). Never throws. */
  remove(): Promise<void>;
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

function containerName(run: RunContext, job: JobPlan, alias: string): string {
  const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-_.]+/, '').slice(0, 40) || 'x';
  return `jobsim-${slug(run.runId)}-${slug(job.name)}-svc-${slug(alias)}-${randomBytes(3).toString('hex')}`;
}

/** Drops aliases an earlier service already holds, the way the runner does (it would make DNS ambiguous). */
function claimAliases(job: JobPlan, run: RunContext, service: ServicePlan, taken: Set<string>): string[] {
  const aliases: string[] = [];
  for (const alias of service.aliases) {
    if (taken.has(alias)) {
      runnerLog(run, job, `Skipping alias "${alias}" for service ${service.name}: alias is already in use by another service.`);
      continue;
    }
    if (aliases.includes(alias)) continue;
    taken.add(alias);
    aliases.push(alias);
  }
  return aliases;
}

export async function startServices(
  job: JobPlan,
  workspace: JobWorkspace,
  network: string,
  run: RunContext,
  images: Map<string, ResolvedImage>,
): Promise<StartedServices> {
  const started: StartedService[] = [];
  const remove = async (): Promise<void> => {
    for (const service of started.splice(0)) {
      if (await removeContainerQuietly(run.docker, service.containerId)) {
        run.emit({ type: 'resource', job: job.name, kind: 'container', action: 'removed', id: service.containerId, name: service.name, role: `service:${service.name}` });
      }
    }
  };
  const taken = new Set<string>();
  try {
    for (const service of job.services) {
      if (run.signal.aborted) break;
      const image = images.get(service.name);
      if (!image) throw new Error(`no resolved image for service ${service.name}`);
      const aliases = claimAliases(job, run, service, taken);
      const { env, names, withheld } = serviceEnvironment(job, service);
      runnerLog(run, job, `Starting service ${serviceImageLabel(service)} ...`);
      run.emit({ type: 'service', job: job.name, name: service.name, image: service.image.ref.written, aliases, state: 'starting', network, variables: names, withheld });
      const name = containerName(run, job, aliases[0] ?? service.name);
      const entrypoint = job.docker.disableEntrypointOverwrite ? undefined : service.entrypoint;
      const buildsDir = run.plan.runner.buildsDir;
      let containerId: string;
      try {
        containerId = await startServiceContainer(run.docker, {
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
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new Error(`service ${service.name} could not be started: ${message}`);
      }
      started.push({ name: service.name, containerId, aliases, image: service.image.ref.written, startedAt: Date.now() });
      run.emit({
        type: 'resource',
        job: job.name,
        kind: 'container',
        action: 'created',
        id: containerId,
        name,
        role: `service:${service.name}`,
        detail: {
          network,
          aliases,
          image: service.image.ref.written,
          mounts: [
            { source: workspace.buildsVolume, target: buildsDir, readOnly: false, type: 'volume' },
            ...Object.keys(job.docker.servicesTmpfs).map((target) => ({ source: 'tmpfs', target, readOnly: false, type: 'tmpfs' as const })),
          ],
        },
      });
    }
  } catch (error) {
    await remove();
    throw error;
  }
  return { services: started, remove };
}
