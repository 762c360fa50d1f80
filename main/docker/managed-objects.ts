// Finding and removing the objects jobsim created, by their labels (see resource-labels.ts).
// The reaper and `jobsim gc` decide what to remove; this file only talks to the engine.

import type { DockerHandle } from './client.js';
import { removeContainer, removeNetwork, removeVolume } from './job-objects.js';
import { LABELS } from './resource-labels.js';

export interface ManagedObject {
  kind: 'container' | 'network' | 'volume';
  /** Container or network ID; volume name. */
  id: string;
  name: string;
  labels: Record<string, string>;
}

/** Every container (running or not), network and volume with `dev.jobsim.managed=true` and all `extraLabelFilters` (`key` or `key=value`). */
export async function listManagedObjects(docker: DockerHandle, extraLabelFilters: string[] = []): Promise<ManagedObject[]> {
  const labelFilters = [`${LABELS.managed}=true`, ...extraLabelFilters];
  const filters = JSON.stringify({ label: labelFilters });
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  const all: ManagedObject[] = [
    ...containers.map((c) => ({ kind: 'container' as const, id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), labels: c.Labels ?? {} })),
    ...networks.map((n) => ({ kind: 'network' as const, id: n.Id, name: n.Name, labels: n.Labels ?? {} })),
    ...(volumes.Volumes ?? []).map((v) => ({ kind: 'volume' as const, id: v.Name, name: v.Name, labels: v.Labels ?? {} })),
  ];
  // Engines do not all AND several label filters (volumes): check every filter here as well.
  return all.filter((object) => labelFilters.every((filter) => matchesLabelFilter(object.labels, filter)));
}

function matchesLabelFilter(labels: Record<string, string>, filter: string): boolean {
  const equals = filter.indexOf('=');
  if (equals < 0) return filter in labels;
  return labels[filter.slice(0, equals)] === filter.slice(equals + 1);
}

/** Removes one object (containers forced, with their anonymous volumes). True when it is gone. Never throws. */
export function removeManagedObject(docker: DockerHandle, object: ManagedObject): Promise<boolean> {
  if (object.kind === 'container') return removeContainer(docker, object.id);
  if (object.kind === 'network') return removeNetwork(docker, object.id);
  return removeVolume(docker, object.id);
}
