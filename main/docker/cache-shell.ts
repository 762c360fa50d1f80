// Short-lived containers that run one `sh -c` script over cache volumes, from an image the user already
// has (the job's own image: jobsim needs no helper image). Output is expected to be small (a few lines of
// results); bulk data never passes through Node.

import { pack } from 'tar-stream';
import type { DockerHandle } from './client.js';
import type { HelperReport } from './job-objects.js';
import { logStreams } from './log-frames.js';

export interface ShellMount {
  type: 'volume' | 'bind';
  source: string;
  target: string;
  readOnly: boolean;
}

export interface ShellRequest {
  image: string;
  script: string;
  mounts: ShellMount[];
  env?: Record<string, string>;
  /** Small files put at `/` in the container before it starts (e.g. a list of paths). */
  files?: { name: string; content: string }[];
  labels: Record<string, string>;
  /** Upper bound on how long the script may run. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A container name (else Docker picks one), and who to tell about the container's life. */
  name?: string;
  report?: HelperReport;
}

export interface ShellResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `sh -c script` as root (caches must be readable whatever user the job runs as) and removes the container. */
export async function runCacheShell(docker: DockerHandle, request: ShellRequest): Promise<ShellResult> {
  const container = await docker.createContainer({
    ...(request.name !== undefined ? { name: request.name } : {}),
    Image: request.image,
    Entrypoint: ['sh', '-c'],
    Cmd: [request.script],
    User: '0',
    Env: Object.entries(request.env ?? {}).map(([name, value]) => `${name}=${value}`),
    Labels: request.labels,
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      Mounts: request.mounts.map((mount) => ({ Type: mount.type, Source: mount.source, Target: mount.target, ReadOnly: mount.readOnly })),
    },
  });
  request.report?.created(container.id);
  const timeout = AbortSignal.timeout(request.timeoutMs ?? 10 * 60_000);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const kill = (): void => {
    container.kill().catch(() => undefined);
  };
  signal.addEventListener('abort', kill, { once: true });
  try {
    if (request.files && request.files.length > 0) await container.putArchive(await tarOf(request.files), { path: '/' });
    await container.start();
    // A wait whose connection drops never settles in docker-modem: the abort (timeout, cancel) must end it.
    const aborted = new Promise<never>((_, reject) => {
      const fail = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('cache container stopped'));
      if (signal.aborted) fail();
      else signal.addEventListener('abort', fail, { once: true });
    });
    aborted.catch(() => undefined);
    const { StatusCode } = (await Promise.race([container.wait(), aborted])) as { StatusCode: number };
    const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    const { stdout, stderr } = logStreams(raw);
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cache container stopped');
    return { exitCode: StatusCode, stdout, stderr };
  } finally {
    signal.removeEventListener('abort', kill);
    const removed = await container.remove({ force: true, v: false }).then(() => true, (error: { statusCode?: number }) => error.statusCode === 404);
    request.report?.removed(removed);
  }
}

/** A tar of a few small text files (lists of paths, never cache contents). */
async function tarOf(files: { name: string; content: string }[]): Promise<Buffer> {
  const archive = pack();
  for (const file of files) archive.entry({ name: file.name, mode: 0o644 }, file.content);
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Single-quotes a string for sh. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
