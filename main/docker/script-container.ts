// A container that runs a shell script fed over stdin, the way GitLab Runner's Docker executor runs a
// job: created with stdin open, attached and waited on BEFORE start (a fast exit cannot be missed),
// then the script is written and stdin closed. Output is demultiplexed into stdout and stderr.

import type { Readable, Writable } from 'node:stream';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { DockerHandle } from './client.js';
import { engineLost, pingEngine } from './engine-health.js';

/**
 * docker-modem sends the attach options as a JSON request body. Docker ignores it; Podman hands the body to
 * the container's stdin, in front of the script (`{"stream":true,…}if …` broke the first line). So the
 * options go in the query, and the body is the smallest JSON that is also a harmless shell command, `true`,
 * which the newline written before the script ends. An empty body is not an option: the request's headers
 * would then not be sent until the first write, and the engine never answers the upgrade.
 */
const ATTACH_OPTIONS = { _query: { stream: true, stdin: true, stdout: true, stderr: true }, _body: true, hijack: true, stdin: true, stream: true };
const ATTACH_BODY_SEPARATOR = '\n';

export interface ScriptContainerSpec {
  name: string;
  imageId: string;
  /** undefined keeps the image's ENTRYPOINT; [] clears it. */
  entrypoint?: string[];
  cmd: string[];
  env: string[];
  labels: Record<string, string>;
  workingDir: string;
  user?: string;
  network?: string;
  networkAliases?: string[];
  mounts: { type: 'volume' | 'bind'; source: string; target: string; readOnly: boolean }[];
  tmpfs: Record<string, string>;
  privileged: boolean;
  memoryBytes?: number;
  cpus?: number;
  shmSizeBytes?: number;
  capAdd: string[];
  capDrop: string[];
  extraHosts: string[];
  dns: string[];
}

export interface ScriptContainer {
  id: string;
  /**
   * Starts the container, writes the script to its stdin, and resolves with the exit code.
   * `onStarted` runs right after the start: a stop asked for before it must be repeated then.
   */
  run(script: string, stdout: Writable, stderr: Writable, onStarted?: () => void): Promise<number>;
  /** TERM, then KILL after `graceSeconds`. Never throws. */
  stop(graceSeconds: number): Promise<void>;
}

/** The job's container settings as Docker's HostConfig; the kept container of a failed job reuses them. */
export function hostConfigFor(spec: ScriptContainerSpec): Docker.ContainerCreateOptions['HostConfig'] {
  return {
    // tini as PID 1: signals reach the script, and `docker stop` does not wait out its grace period.
    Init: true,
    NetworkMode: spec.network ?? 'bridge',
    Mounts: spec.mounts.map((m) => ({ Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly })),
    Tmpfs: spec.tmpfs,
    Privileged: spec.privileged,
    ...(spec.memoryBytes !== undefined ? { Memory: spec.memoryBytes } : {}),
    ...(spec.cpus !== undefined ? { NanoCpus: Math.round(spec.cpus * 1e9) } : {}),
    ...(spec.shmSizeBytes ? { ShmSize: spec.shmSizeBytes } : {}),
    CapAdd: spec.capAdd,
    CapDrop: spec.capDrop,
    ExtraHosts: spec.extraHosts,
    Dns: spec.dns,
  };
}

/** The job network with the container's aliases on it, when it has any. */
export function networkingConfigFor(spec: ScriptContainerSpec): Pick<Docker.ContainerCreateOptions, 'NetworkingConfig'> {
  return spec.network && spec.networkAliases ? { NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: spec.networkAliases } } } } : {};
}

export async function createScriptContainer(docker: DockerHandle, spec: ScriptContainerSpec): Promise<ScriptContainer> {
  const container = await docker.createContainer({
    name: spec.name,
    Image: spec.imageId,
    ...(spec.entrypoint !== undefined ? { Entrypoint: spec.entrypoint.length === 0 ? [''] : spec.entrypoint } : {}),
    Cmd: spec.cmd,
    Env: spec.env,
    Labels: spec.labels,
    WorkingDir: spec.workingDir,
    ...(spec.user !== undefined ? { User: spec.user } : {}),
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
    HostConfig: hostConfigFor(spec),
    ...networkingConfigFor(spec),
  });

  return {
    id: container.id,
    async run(script, stdout, stderr, onStarted) {
      const stream = (await container.attach(ATTACH_OPTIONS)) as unknown as Readable & Writable;
      const exited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
      const out = new PassThrough();
      const err = new PassThrough();
      // Output arriving after the drain deadline must be dropped, not crash the process.
      out.on('error', () => undefined);
      err.on('error', () => undefined);
      out.pipe(stdout, { end: false });
      err.pipe(stderr, { end: false });
      docker.modem.demuxStream(stream, out, err);
      const drained = new Promise<void>((resolve) => {
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', () => resolve());
      });
      await container.start();
      onStarted?.();
      stream.end(`${ATTACH_BODY_SEPARATOR}${script.endsWith('\n') ? script : `${script}\n`}`);
      // docker-modem never settles `wait` when the connection drops after the response headers (daemon
      // gone): once the output stream has ended, fall back to asking the engine, which fails fast if it is gone.
      const exitCode = await Promise.race([exited.then((r) => r.StatusCode), drained.then(() => exitAfterStreamEnd(container, exited))]);
      // Output may still be in flight when the exit is reported.
      await Promise.race([drained, sleep(2000)]);
      stream.unpipe();
      (stream as Readable & { destroy(): void }).destroy();
      out.end();
      err.end();
      // A daemon that is shutting down (SIGTERM) stops its containers first: exit code 143 then means
      // the engine went away, not the script.
      if (exitCode !== 0) await throwIfEngineGone(docker);
      return exitCode;
    },
    async stop(graceSeconds) {
      // A frozen engine answers neither the stop nor a ping: then it counts as lost, which ends the wait.
      void pingEngine(docker, STOP_PING_MS).then((ping) => {
        if (!ping.ok) engineLost(docker, ping.error);
      });
      try {
        await container.stop({ t: graceSeconds });
      } catch {
        // Already stopped or gone.
      }
    },
  };
}

const STOP_PING_MS = 3000;

async function throwIfEngineGone(docker: DockerHandle): Promise<void> {
  const ping = await pingEngine(docker, STOP_PING_MS);
  if (ping.ok) return;
  engineLost(docker, ping.error);
  throw ping.error;
}

// Unreferenced: a pending race must never keep the CLI alive after the run has ended.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** The exit code once the attach stream has ended: from `wait` if it answers, else from inspecting the container. */
async function exitAfterStreamEnd(container: Docker.Container, exited: Promise<{ StatusCode: number }>): Promise<number> {
  const settled = exited.then((r) => r.StatusCode, () => undefined);
  for (;;) {
    const fromWait = await Promise.race([settled, sleep(2000).then(() => undefined)]);
    if (fromWait !== undefined) return fromWait;
    let state: Docker.ContainerInspectInfo['State'];
    try {
      state = (await Promise.race([container.inspect(), sleep(5000).then(() => Promise.reject(new Error('no answer')))])).State;
    } catch (error) {
      throw new Error(`lost the connection to the Docker engine while the job ran (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!state.Running) return state.ExitCode;
  }
}

/** Streams a tar archive into a (created or stopped) container, e.g. into a volume it mounts. */
export async function putArchive(docker: DockerHandle, containerId: string, destDir: string, tar: NodeJS.ReadableStream): Promise<void> {
  await docker.getContainer(containerId).putArchive(tar, { path: destDir });
}

/** A tar stream of a path inside a (created or stopped) container. */
export async function getArchive(docker: DockerHandle, containerId: string, path: string): Promise<NodeJS.ReadableStream> {
  return docker.getContainer(containerId).getArchive({ path });
}
