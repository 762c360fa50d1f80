// The Docker side of keeping a failed job for debugging: commit the exited build container to an image,
// start an idle container from it (same env, mounts, network, alias `build`), and find or remove what
// a kept job left on the engine (by its run-id and job labels).

import type { DockerHandle } from './client.js';
import { listManagedObjects, removeManagedObject, type ManagedObject } from './managed-objects.js';
import { LABELS } from './resource-labels.js';
import { hostConfigFor, networkingConfigFor, type ScriptContainerSpec } from './script-container.js';

/** Idles until TERM (docker stop): busybox images have only sh, so no `sleep infinity`. */
export const IDLE_COMMAND = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done'];

/**
 * Commits a (stopped) container to `repo:tag` with extra image labels; returns the image id. Every
 * variable whose value holds one of `secrets` is committed empty: the image (which `docker save` or a
 * `docker run` could take anywhere) never holds a secret value.
 */
export async function commitContainer(docker: DockerHandle, containerId: string, repo: string, tag: string, labels: Record<string, string>, secrets: readonly string[] = []): Promise<string> {
  const env = secrets.length === 0 ? [] : scrubbedEnv((await docker.getContainer(containerId).inspect()).Config.Env ?? [], secrets);
  // docker-modem sends `_query` as the query string and `_body` as the config merged into the image;
  // Docker keeps the container's variables the body does not name, so each scrubbed one is named.
  const body = { Labels: labels, ...(env.length > 0 ? { Env: env } : {}) };
  const result = (await docker.getContainer(containerId).commit({ _query: { container: containerId, repo, tag, pause: false }, _body: body })) as { Id?: string; id?: string };
  return result.Id ?? result.id ?? `${repo}:${tag}`;
}

/** `KEY=` for each `KEY=value` entry whose value holds a secret. */
export function scrubbedEnv(env: readonly string[], secrets: readonly string[]): string[] {
  return env.flatMap((entry) => {
    const eq = entry.indexOf('=');
    const value = eq < 0 ? '' : entry.slice(eq + 1);
    return secrets.some((s) => s !== '' && value.includes(s)) ? [`${entry.slice(0, eq)}=`] : [];
  });
}

/** Creates and starts a container that runs IDLE_COMMAND with the settings of `spec` (its cmd and entrypoint are replaced). */
export async function startIdleContainer(docker: DockerHandle, spec: ScriptContainerSpec): Promise<string> {
  const container = await docker.createContainer({
    name: spec.name,
    Image: spec.imageId,
    Entrypoint: [''],
    Cmd: IDLE_COMMAND,
    Env: spec.env,
    Labels: spec.labels,
    WorkingDir: spec.workingDir,
    ...(spec.user !== undefined ? { User: spec.user } : {}),
    Tty: false,
    HostConfig: hostConfigFor(spec),
    ...networkingConfigFor(spec),
  });
  try {
    await container.start();
  } catch (error) {
    await container.remove({ force: true }).catch(() => undefined);
    throw error;
  }
  return container.id;
}

/** Starts a kept container again when it stopped (e.g. after an engine restart). Never throws. */
export async function ensureRunning(docker: DockerHandle, container: string): Promise<boolean> {
  try {
    const info = await docker.getContainer(container).inspect();
    if (!info.State.Running) await docker.getContainer(container).start();
    return true;
  } catch {
    return false;
  }
}

/** Every non-persistent container, network and volume of one job of one run, containers first. */
export async function jobObjects(docker: DockerHandle, runId: string, job: string): Promise<ManagedObject[]> {
  const order: Record<ManagedObject['kind'], number> = { container: 0, network: 1, volume: 2 };
  const objects = await listManagedObjects(docker, [`${LABELS.runId}=${runId}`, `${LABELS.job}=${job}`]);
  return objects.filter((o) => o.labels[LABELS.persist] !== 'true').sort((a, b) => order[a.kind] - order[b.kind]);
}

export interface KeptImage {
  id: string;
  labels: Record<string, string>;
}

/** Images committed for kept jobs (of one run and job, when given). */
export async function keptImages(docker: DockerHandle, runId?: string, job?: string): Promise<KeptImage[]> {
  const wanted = [`${LABELS.managed}=true`, `${LABELS.kind}=kept`, ...(runId ? [`${LABELS.runId}=${runId}`] : []), ...(job ? [`${LABELS.job}=${job}`] : [])];
  const images = await docker.listImages({ filters: JSON.stringify({ label: wanted }) });
  return images
    .map((image) => ({ id: image.Id, labels: image.Labels ?? {} }))
    .filter((image) => wanted.every((filter) => image.labels[filter.slice(0, filter.indexOf('='))] === filter.slice(filter.indexOf('=') + 1)));
}

/** Removes objects in order (containers before the network and volumes they use); returns those that would not go. */
export async function removeObjects(docker: DockerHandle, objects: ManagedObject[]): Promise<ManagedObject[]> {
  const failed: ManagedObject[] = [];
  for (const object of objects) if (!(await removeManagedObject(docker, object))) failed.push(object);
  return failed;
}

/** Removes an image (forced: its tag goes too). True when it is gone. Never throws. */
export async function removeImage(docker: DockerHandle, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).remove({ force: true });
    return true;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode === 404;
  }
}

/** Whether a container exists and runs. */
export async function isRunning(docker: DockerHandle, container: string): Promise<boolean> {
  try {
    return (await docker.getContainer(container).inspect()).State.Running;
  } catch {
    return false;
  }
}
