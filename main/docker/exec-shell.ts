// A process run with `docker exec` in a running container: an interactive shell (TTY, stdin attached,
// resizable) or a command (no TTY, stdout and stderr apart). Also the container facts a shell needs:
// its environment, and which shell it has.

import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { DockerHandle } from './client.js';

export interface ExecOptions {
  container: string;
  cmd: string[];
  /** Interactive: a TTY and stdin. */
  tty: boolean;
  workingDir?: string;
  size?: { cols: number; rows: number };
}

export interface ExecProcess {
  write(data: string | Buffer): void;
  resize(size: { cols: number; rows: number }): Promise<void>;
  /** Resolves with the exit code once the process has ended and its output has been delivered. */
  exited: Promise<number>;
  /** Cuts the connection; with a TTY the shell gets SIGHUP and ends. */
  close(): void;
}

export type OutputSink = (data: Buffer, stream: 'stdout' | 'stderr') => void;

export async function startExec(docker: DockerHandle, options: ExecOptions, onOutput: OutputSink): Promise<ExecProcess> {
  const exec = await docker.getContainer(options.container).exec({
    Cmd: options.cmd,
    AttachStdin: options.tty,
    AttachStdout: true,
    AttachStderr: true,
    Tty: options.tty,
    ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
    ...(options.tty ? { Env: ['TERM=xterm-256color'] } : {}),
  });
  const size = options.size;
  const stream = (await exec.start({
    hijack: true,
    stdin: options.tty,
    Tty: options.tty,
    ...(options.tty && size ? { ConsoleSize: [size.rows, size.cols] } : {}),
  })) as Duplex;
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  if (options.tty) {
    stream.on('data', (chunk: Buffer) => onOutput(chunk, 'stdout'));
  } else {
    const out = new PassThrough();
    const err = new PassThrough();
    out.on('data', (chunk: Buffer) => onOutput(chunk, 'stdout'));
    err.on('data', (chunk: Buffer) => onOutput(chunk, 'stderr'));
    docker.modem.demuxStream(stream, out, err);
  }
  const resize = async (next: { cols: number; rows: number }): Promise<void> => {
    try {
      await exec.resize({ h: next.rows, w: next.cols });
    } catch {
      // The process has ended or not started yet: nothing to resize.
    }
  };
  if (options.tty && size) await resize(size);
  const exited = ended.then(async () => {
    // The stream can end a moment before the engine records the exit code.
    for (let attempt = 0; attempt < 50; attempt++) {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode ?? 0;
      await new Promise((r) => setTimeout(r, 100));
    }
    return -1;
  });
  return {
    write(data) {
      if (options.tty && !stream.destroyed) stream.write(data);
    },
    resize,
    exited,
    close() {
      stream.destroy();
    },
  };
}

/** Runs a short command and returns its exit code and stdout (for probing the container). */
export async function execOutput(docker: DockerHandle, container: string, cmd: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const probe = await startExec(docker, { container, cmd, tty: false }, (data, stream) => {
    if (stream === 'stdout') stdout += data.toString('utf8');
  });
  return { code: await probe.exited, stdout };
}

/** bash when the container has it, else sh. */
export async function pickShell(docker: DockerHandle, container: string): Promise<string> {
  try {
    const probe = await execOutput(docker, container, ['sh', '-c', 'command -v bash']);
    return probe.code === 0 && probe.stdout.trim() !== '' ? probe.stdout.trim() : 'sh';
  } catch {
    return 'sh';
  }
}

export interface ContainerFacts {
  id: string;
  name: string;
  running: boolean;
  env: Map<string, string>;
  labels: Record<string, string>;
  /** Network aliases, over all its networks. */
  aliases: string[];
}

export async function inspectContainer(docker: DockerHandle, container: string): Promise<ContainerFacts | undefined> {
  try {
    const info = await docker.getContainer(container).inspect();
    const env = new Map<string, string>();
    for (const entry of info.Config.Env ?? []) {
      const equals = entry.indexOf('=');
      if (equals > 0) env.set(entry.slice(0, equals), entry.slice(equals + 1));
    }
    const aliases = Object.values(info.NetworkSettings?.Networks ?? {}).flatMap((n) => n.Aliases ?? []);
    return { id: info.Id, name: info.Name.replace(/^\//, ''), running: info.State.Running, env, labels: info.Config.Labels ?? {}, aliases };
  } catch {
    return undefined;
  }
}

/** Running containers carrying all these labels (`key=value`). */
export async function findRunningContainers(docker: DockerHandle, labels: string[]): Promise<{ id: string; name: string; labels: Record<string, string> }[]> {
  const list = await docker.listContainers({ filters: JSON.stringify({ label: labels, status: ['running'] }) });
  return list.map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), labels: c.Labels ?? {} }));
}
