// The isolation diagram's model, folded from a run's `resource` events and its jobs' services: which
// networks exist, which containers sit on each (with the names they answer to), which volumes they mount
// and how, and what was removed or kept. Pure, so it redraws the same live or replayed.

import { HELPER_ROLE_PREFIX, type ResourceEvent, type ServiceState } from '../../../../shared/events.js';
import type { JobView } from '../../state/run-model.js';

export type ObjectState = 'live' | 'removed' | 'kept';

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  type: 'volume' | 'bind' | 'tmpfs';
}

export interface IsoContainer {
  id: string;
  name: string;
  job: string;
  role: string;
  /** `build`, `after-script`, or the service name. */
  label: string;
  image?: string;
  aliases: string[];
  network?: string;
  mounts: Mount[];
  privileged: boolean;
  dockerSocket: boolean;
  state: ObjectState;
  /** For service containers: the latest health state. */
  health?: ServiceState;
}

export interface IsoNetwork {
  id: string;
  name: string;
  job: string;
  state: ObjectState;
  containers: IsoContainer[];
}

export interface IsoVolume {
  id: string;
  name: string;
  job: string;
  role: string;
  state: ObjectState;
  mountedBy: { container: string; label: string; job: string; target: string; readOnly: boolean }[];
}

export interface IsolationModel {
  networks: IsoNetwork[];
  /** Containers whose network is not known (none in practice; kept so nothing is silently dropped). */
  detached: IsoContainer[];
  volumes: IsoVolume[];
  /** Plain sentences: who can reach whom, and who shares files. */
  reach: string[];
}

type JobFacts = Pick<JobView, 'services' | 'kept'>;

function nextState(previous: ObjectState | undefined, action: ResourceEvent['action']): ObjectState {
  if (action === 'removed') return 'removed';
  if (action === 'kept') return 'kept';
  return previous === 'kept' ? 'kept' : 'live';
}

function labelOf(role: string): string {
  return role.startsWith('service:') ? role.slice('service:'.length) : role;
}

/** The build container first, then services, then the rest (after_script), each in creation order. */
function roleRank(role: string): number {
  if (role === 'build') return 0;
  return role.startsWith('service:') ? 1 : 2;
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function reachSentences(networks: IsoNetwork[], volumes: IsoVolume[]): string[] {
  const lines: string[] = [];
  for (const network of networks) {
    const names = network.containers.flatMap((c) => c.aliases);
    const removed = network.containers.some((c) => c.state === 'removed');
    if (network.containers.length === 0) {
      lines.push(`Network ${network.name} (job ${network.job}) has no containers${network.state === 'removed' ? '' : ' yet'}.`);
    } else if (network.containers.length === 1) {
      lines.push(`On network ${network.name} (job ${network.job}), ${network.containers[0]?.label ?? ''} is alone: there is nothing else on it to reach.`);
    } else {
      lines.push(
        `On network ${network.name} (job ${network.job}), ${network.containers.map((c) => c.label).join(', ')} can resolve and reach each other by the names ${quoteList(names)}.` +
          (removed ? ' Greyed containers have since been removed.' : ''),
      );
    }
  }
  const jobs = [...new Set(networks.map((n) => n.job))];
  if (jobs.length > 1) {
    lines.push(`Jobs ${jobs.join(', ')} each have their own network: a container of one job cannot resolve or reach the containers of another, even while both run.`);
  }
  for (const volume of volumes) {
    const jobsUsing = [...new Set(volume.mountedBy.map((m) => m.job))];
    const users = [...new Set(volume.mountedBy.map((m) => m.label))];
    if (users.length > 1 || jobsUsing.length > 1) {
      lines.push(`Volume ${volume.name} is mounted by ${users.join(' and ')}${jobsUsing.length > 1 ? ` across jobs ${jobsUsing.join(', ')}` : ''}: they share files through it, whatever the network.`);
    }
  }
  return lines;
}

/** Folds the run's resource events (in order) into networks, containers and volumes. */
export function buildIsolationModel(resources: readonly ResourceEvent[], jobs: Readonly<Record<string, JobFacts>>): IsolationModel {
  const containers = new Map<string, IsoContainer>();
  const networks = new Map<string, IsoNetwork>();
  const volumes = new Map<string, IsoVolume>();
  const networkOfJob = new Map<string, string>();

  for (const event of resources) {
    // Short-lived helpers (cache probes and saves, service waits) are the runner's own tools, not the job's world.
    if (event.role.startsWith(HELPER_ROLE_PREFIX)) continue;
    if (event.kind === 'network') {
      const previous = networks.get(event.id);
      networks.set(event.id, { id: event.id, name: event.name, job: event.job, state: nextState(previous?.state, event.action), containers: [] });
      networkOfJob.set(event.job, event.name);
    } else if (event.kind === 'volume') {
      const previous = volumes.get(event.name);
      volumes.set(event.name, { id: event.id, name: event.name, job: previous?.job ?? event.job, role: event.role, state: nextState(previous?.state, event.action), mountedBy: [] });
    } else {
      const previous = containers.get(event.id);
      const detail = event.detail;
      const mounts = detail?.mounts ?? previous?.mounts ?? [];
      containers.set(event.id, {
        id: event.id,
        name: event.name,
        job: event.job,
        role: event.role,
        label: labelOf(event.role),
        image: detail?.image ?? previous?.image,
        aliases: detail?.aliases ?? previous?.aliases ?? [],
        network: detail?.network ?? previous?.network,
        mounts,
        privileged: detail?.privileged ?? previous?.privileged ?? false,
        dockerSocket: detail?.dockerSocket ?? previous?.dockerSocket ?? mounts.some((m) => m.source.endsWith('docker.sock')),
        state: nextState(previous?.state, event.action),
      });
    }
  }

  const detached: IsoContainer[] = [];
  const networkByName = new Map([...networks.values()].map((n) => [n.name, n]));
  for (const container of containers.values()) {
    const facts = jobs[container.job];
    if (container.role.startsWith('service:')) container.health = facts?.services[container.label]?.state;
    // A failed job kept for a shell (--keep-on-failure): its containers stay until released.
    if (facts?.kept && container.state === 'live') container.state = 'kept';
    // Containers reported without a network (after_script) are on their job's one network.
    const network = networkByName.get(container.network ?? networkOfJob.get(container.job) ?? '');
    if (network) network.containers.push(container);
    else detached.push(container);
    for (const mount of container.mounts) {
      if (mount.type !== 'volume') continue;
      let volume = volumes.get(mount.source);
      if (!volume) volumes.set(mount.source, (volume = { id: mount.source, name: mount.source, job: container.job, role: 'volume', state: 'live', mountedBy: [] }));
      volume.mountedBy.push({ container: container.name, label: container.label, job: container.job, target: mount.target, readOnly: mount.readOnly });
    }
  }
  for (const network of networks.values()) {
    network.containers.sort((x, y) => roleRank(x.role) - roleRank(y.role));
    if (jobs[network.job]?.kept && network.state === 'live') network.state = 'kept';
  }
  const networkList = [...networks.values()];
  const volumeList = [...volumes.values()];
  return { networks: networkList, detached, volumes: volumeList, reach: reachSentences(networkList, volumeList) };
}
