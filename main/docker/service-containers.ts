// Docker objects of services: a service container on the job's network with its aliases, its IP on that
// network, its state, and a bounded tail of its logs for health-check warnings.

import type { Readable, Writable } from 'node:stream';
import type { DockerHandle } from './client.js';
import { removeContainer } from './job-objects.js';
import { logText } from './log-frames.js';

/** On service containers and their health probes: the service's name as written in the job file. */
export const SERVICE_LABEL = 'dev.jobsim.service';

export interface ServiceContainerSpec {
  name: string;
  imageId: string;
  /** undefined keeps the image's ENTRYPOINT / CMD. */
  entrypoint?: string[];
  cmd?: string[];
  /** `KEY=value` entries. */
  env: string[];
  labels: Record<string, string>;
  network: string;
  aliases: string[];
  /** The job's builds volume, mounted at `buildsDir` like in the build container. */
  buildsVolume: string;
  buildsDir: string;
  tmpfs: Record<string, string>;
}

/** Creates and starts a service container; returns its id. The container is removed if it cannot start. */
export async function startServiceContainer(docker: DockerHandle, spec: ServiceContainerSpec): Promise<string> {
  const container = await docker.createContainer({
    name: spec.name,
    Image: spec.imageId,
    ...(spec.entrypoint !== undefined ? { Entrypoint: spec.entrypoint } : {}),
    ...(spec.cmd !== undefined ? { Cmd: spec.cmd } : {}),
    Env: spec.env,
    Labels: spec.labels,
    HostConfig: {
      // An init reaps zombies and forwards signals, so `docker stop` ends services promptly.
      Init: true,
      NetworkMode: spec.network,
      Mounts: [{ Type: 'volume', Source: spec.buildsVolume, Target: spec.buildsDir, ReadOnly: false }],
      Tmpfs: spec.tmpfs,
    },
    NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: spec.aliases } } },
  });
  try {
    await container.start();
  } catch (error) {
    await removeContainer(docker, container.id);
    throw error;
  }
  return container.id;
}

export interface ContainerStatus {
  running: boolean;
  exitCode?: number;
  /** IP on the given network, when attached and running. */
  ip?: string;
}

export async function serviceStatus(docker: DockerHandle, containerId: string, network: string): Promise<ContainerStatus> {
  const info = await docker.getContainer(containerId).inspect();
  const ip = info.NetworkSettings.Networks[network]?.IPAddress;
  return {
    running: info.State.Running,
    ...(info.State.Running ? {} : { exitCode: info.State.ExitCode }),
    ...(ip ? { ip } : {}),
  };
}

/** The last `lines` lines of a container's stdout and stderr (interleaved as Docker stored them), never more than `maxBytes`. */
export async function containerLogTail(docker: DockerHandle, containerId: string, lines = 50, maxBytes = 16_384): Promise<string[]> {
  try {
    const raw = (await docker.getContainer(containerId).logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
    const text = logText(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))).slice(-maxBytes);
    const all = text.split('\n');
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines);
  } catch {
    return [];
  }
}

export interface LogFollower {
  /** Stops following and ends both sinks. */
  stop(): void;
}

/** Streams a container's stdout and stderr (from its start, then live) into two sinks until stopped. */
export async function followContainerLogs(docker: DockerHandle, containerId: string, stdout: Writable, stderr: Writable): Promise<LogFollower> {
  const stream = (await docker.getContainer(containerId).logs({ follow: true, stdout: true, stderr: true })) as unknown as Readable;
  docker.modem.demuxStream(stream, stdout, stderr);
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    stdout.end();
    stderr.end();
  };
  stream.once('end', end);
  stream.once('close', end);
  stream.once('error', end);
  return {
    stop: () => {
      stream.destroy();
      end();
    },
  };
}

/**
 * Whether the engine runs on this machine's Linux kernel behind a unix socket, the only case where the
 * host may route to a bridge network's container IPs (and where such an IP cannot mean another machine's
 * container). Docker Desktop and rootless engines also use a socket; their IPs simply do not answer.
 */
export function engineMayShareHostNetwork(docker: DockerHandle): boolean {
  const socketPath = (docker.modem as { socketPath?: unknown }).socketPath;
  return process.platform === 'linux' && typeof socketPath === 'string' && socketPath !== '';
}

