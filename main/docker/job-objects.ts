// The per-job network and builds volume, and removing a job's objects again.

import type { DockerHandle } from './client.js';
import { engineLossOf, pingEngine, type EngineUnavailableError } from './engine-health.js';

/** Told when a short-lived helper container is created and whether it was removed again (for the job's record). */
export interface HelperReport {
  created(id: string): void;
  removed(removed: boolean): void;
}

export async function createJobNetwork(docker: DockerHandle, name: string, labels: Record<string, string>): Promise<string> {
  const network = await docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels });
  return network.id;
}

export async function createVolume(docker: DockerHandle, name: string, labels: Record<string, string>): Promise<string> {
  const volume = await docker.createVolume({ Name: name, Labels: labels });
  return volume.name;
}

function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

/** Removes a container with its anonymous volumes; true when it is gone (or was never there). Never throws. */
export async function removeContainer(docker: DockerHandle, id: string): Promise<boolean> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
    return true;
  } catch (error) {
    return isNotFound(error);
  }
}

export async function removeNetwork(docker: DockerHandle, id: string): Promise<boolean> {
  try {
    await docker.getNetwork(id).remove();
    return true;
  } catch (error) {
    return isNotFound(error);
  }
}

export async function removeVolume(docker: DockerHandle, name: string): Promise<boolean> {
  try {
    await docker.getVolume(name).remove({ force: true });
    return true;
  } catch (error) {
    return isNotFound(error);
  }
}

export type EngineCheck = { answers: true } | { answers: false; error: EngineUnavailableError };

/** Whether the engine still answers; tells a lost daemon apart from a container that ended. */
export async function engineAnswers(docker: DockerHandle): Promise<EngineCheck> {
  const lost = engineLossOf(docker);
  if (lost) return { answers: false, error: lost };
  const ping = await pingEngine(docker, 3000);
  return ping.ok ? { answers: true } : { answers: false, error: ping.error };
}
