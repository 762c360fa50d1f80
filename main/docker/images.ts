// Images on the engine: inspect, pull (streamed, every progress event checked for an error), tag, remove,
// save and load. Pull decisions live in engine/pull/; this file only talks to the engine.
//
// Two dockerode traps handled here: `pull()`/`createImage()` resolve when the stream STARTS, not when the
// pull ends; and `followProgress` reports success even when an event carries `error` (the HTTP status is
// 200 then). So the stream is read here line by line and the first `error` event fails the pull.

import type { DockerHandle } from './client.js';

/** What jobsim needs to know about a local image. */
export interface LocalImage {
  id: string;
  repoTags: string[];
  /** e.g. `busybox@sha256:…` as the engine lists them (familiar names). */
  repoDigests: string[];
  /** ISO date the image was built. */
  created: string;
  architecture: string;
  os: string;
  variant?: string;
  sizeBytes: number;
  entrypoint: string[] | null;
  cmd: string[] | null;
  user?: string;
  workingDir?: string;
  /** Keys like `8080/tcp`. */
  exposedPorts: string[];
  env: string[];
  labels: Record<string, string>;
}

/** Credentials as the engine's X-Registry-Auth header wants them. Never log or store these. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  serveraddress: string;
}

/** One line of the engine's pull stream. */
export interface PullStreamEvent {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

/** The engine refused or failed a pull; `statusCode` is the HTTP status when the request itself failed. */
export class EnginePullError extends Error {
  readonly statusCode?: number;
  constructor(message: string, statusCode?: number) {
    super(message);
    this.name = 'EnginePullError';
    this.statusCode = statusCode;
  }
}

interface InspectResult {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created: string;
  Architecture: string;
  Os: string;
  Variant?: string;
  Size: number;
  Config?: {
    Entrypoint?: string[] | string | null;
    Cmd?: string[] | string | null;
    User?: string;
    WorkingDir?: string;
    ExposedPorts?: Record<string, unknown> | null;
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
  } | null;
}

function asList(value: string[] | string | null | undefined): string[] | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? [value] : value;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The engine's own message from a failed request (docker-modem puts the JSON body in `json`). */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: unknown } | null)?.json;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message;
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  if (error instanceof Error) return error.message.replace(/^\(HTTP code \d+\)\s*[\w ]+-\s*/, '');
  return String(error);
}

/** Inspects a local image by name, digest reference or ID; undefined when the engine has no such image. */
export async function inspectImage(docker: DockerHandle, reference: string): Promise<LocalImage | undefined> {
  let info: InspectResult;
  try {
    info = (await docker.getImage(reference).inspect()) as unknown as InspectResult;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  const config = info.Config ?? {};
  return {
    id: info.Id,
    repoTags: info.RepoTags ?? [],
    repoDigests: info.RepoDigests ?? [],
    created: info.Created,
    architecture: info.Architecture,
    os: info.Os,
    ...(info.Variant ? { variant: info.Variant } : {}),
    sizeBytes: info.Size,
    entrypoint: asList(config.Entrypoint),
    cmd: asList(config.Cmd),
    ...(config.User ? { user: config.User } : {}),
    ...(config.WorkingDir ? { workingDir: config.WorkingDir } : {}),
    exposedPorts: Object.keys(config.ExposedPorts ?? {}),
    env: config.Env ?? [],
    labels: config.Labels ?? {},
  };
}

function parseLines(buffered: string, onEvent: (event: PullStreamEvent) => void): string {
  const lines = buffered.split('\n');
  const rest = lines.pop() ?? '';
  for (const line of lines) {
    const text = line.trim();
    if (!text) continue;
    let event: PullStreamEvent;
    try {
      event = JSON.parse(text) as PullStreamEvent;
    } catch {
      continue;
    }
    onEvent(event);
  }
  return rest;
}

/**
 * Pulls `reference` (name:tag or name@digest) and resolves only when the engine has finished. Rejects with
 * EnginePullError on the first event that carries an error, or when the request fails.
 */
export async function pullImage(
  docker: DockerHandle,
  reference: string,
  options: { auth?: RegistryAuth; signal?: AbortSignal; onEvent?: (event: PullStreamEvent) => void },
): Promise<void> {
  const { auth, signal, onEvent } = options;
  signal?.throwIfAborted();
  let stream: NodeJS.ReadableStream;
  try {
    const request = { fromImage: reference, abortSignal: signal };
    stream = auth ? await docker.createImage(auth, request) : await docker.createImage(request);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new EnginePullError(engineMessage(error), statusOf(error));
  }
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      signal?.removeEventListener('abort', onAbort);
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      reject(error);
    };
    const onAbort = (): void => fail(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const handle = (event: PullStreamEvent): void => {
      if (failed) return;
      if (event.error !== undefined || event.errorDetail?.message !== undefined) {
        fail(new EnginePullError(event.errorDetail?.message ?? event.error ?? 'pull failed', event.errorDetail?.code));
        return;
      }
      onEvent?.(event);
    };
    stream.on('data', (chunk: Buffer | string) => {
      buffered = parseLines(buffered + chunk.toString(), handle);
    });
    stream.on('error', (error: unknown) => fail(signal?.aborted ? signal.reason : new EnginePullError(engineMessage(error))));
    stream.on('end', () => {
      parseLines(`${buffered}\n`, handle);
      if (failed) return;
      failed = true;
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** Adds `repo:tag` to an image. */
export async function tagImage(docker: DockerHandle, image: string, repo: string, tag: string): Promise<void> {
  await docker.getImage(image).tag({ repo, tag });
}

/** Removes a name (tag) from an image; the image stays when other names refer to it. Missing is fine. */
export async function untagImage(docker: DockerHandle, name: string): Promise<void> {
  try {
    await docker.getImage(name).remove({ noprune: true });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

/** A docker-archive tarball of the images (`docker save`), as a stream. */
export async function saveImages(docker: DockerHandle, names: string[]): Promise<NodeJS.ReadableStream> {
  // dockerode has getImages (GET /images/get?names=…) but its type definitions omit it.
  const withGetImages = docker as unknown as { getImages(options: { names: string[] }): Promise<NodeJS.ReadableStream> };
  return withGetImages.getImages({ names });
}

/** Loads a docker-archive / OCI tarball (`docker load`); returns the names and IDs the engine reported. */
export async function loadImages(docker: DockerHandle, tarball: NodeJS.ReadableStream): Promise<string[]> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.loadImage(tarball, { quiet: true });
  } catch (error) {
    throw new EnginePullError(engineMessage(error), statusOf(error));
  }
  const loaded: string[] = [];
  const problems: string[] = [];
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    const handle = (event: PullStreamEvent & { stream?: string }): void => {
      if (event.error !== undefined) problems.push(event.errorDetail?.message ?? event.error);
      const text = event.stream ?? event.status ?? '';
      const match = /Loaded image(?: ID)?: (\S+)/.exec(text);
      if (match?.[1]) loaded.push(match[1]);
    };
    stream.on('data', (chunk: Buffer | string) => {
      buffered = parseLines(buffered + chunk.toString(), handle);
    });
    stream.on('error', reject);
    stream.on('end', () => {
      parseLines(`${buffered}\n`, handle);
      resolve();
    });
  });
  if (problems.length > 0) throw new EnginePullError(problems.join('; '));
  return loaded;
}

/** Label on the short-lived probe containers `jobsim image lint` starts. */
export const PROBE_LABEL = 'dev.jobsim.image-probe';

export interface ProbeResult {
  /** False when the shell could not be started (no such file). */
  started: boolean;
  exitCode?: number;
  output: string;
  /** The engine's message when the container could not start. */
  startError?: string;
}

/**
 * Runs `shell -c script` in a short-lived container from the image: no network, ENTRYPOINT cleared, a TTY
 * (so the output is one plain stream), removed afterwards whatever happens.
 */
export async function probeImage(docker: DockerHandle, imageId: string, shell: string, script: string, labels: Record<string, string>, timeoutMs = 30_000): Promise<ProbeResult> {
  const container = await docker.createContainer({
    Image: imageId,
    Entrypoint: [shell],
    Cmd: ['-c', script],
    Tty: true,
    User: '0',
    Labels: { ...labels, [PROBE_LABEL]: 'true' },
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    try {
      await container.start();
    } catch (error) {
      return { started: false, output: '', startError: engineMessage(error) };
    }
    const waited = (await Promise.race([
      container.wait(),
      new Promise((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref()),
    ])) as { StatusCode?: number } | undefined;
    if (!waited) await container.kill().catch(() => undefined);
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return { started: true, ...(waited?.StatusCode !== undefined ? { exitCode: waited.StatusCode } : {}), output: logs.toString('utf8').replace(/\r\n/g, '\n') };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
