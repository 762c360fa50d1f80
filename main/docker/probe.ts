// The service health probe: a short-lived container from the JOB's own image (no helper image) on the job's
// network that dials the service's TCP ports once per second until one connects. It uses `nc` when the
// image has it, else bash's /dev/tcp. Docs: docs/services.md.

import type { DockerHandle } from './client.js';
import { logText } from './log-frames.js';
import { removeContainer, type HelperReport } from './job-objects.js';

/** Exit code of the probe script when the image has neither nc nor bash. */
const NO_TOOL_EXIT = 127;

// $1 = host, $2.. = ports. Each failed round prints one `error: …` line; the last one is the health error.
const PROBE_SCRIPT = [
  'host="$1"; shift',
  'if command -v nc >/dev/null 2>&1; then tool=nc',
  'elif command -v bash >/dev/null 2>&1; then tool=bash',
  `else echo "error: the job image has neither nc nor bash"; exit ${NO_TOOL_EXIT}; fi`,
  'dial() {',
  '  if [ "$tool" = nc ]; then nc -w 1 "$host" "$1" </dev/null 2>&1 >/dev/null',
  '  else bash -c "exec 3<>/dev/tcp/$host/$1" 2>&1; fi',
  '}',
  'while :; do',
  '  last=""',
  '  for port in "$@"; do',
  '    if out=$(dial "$port"); then echo "connected: $port"; exit 0; fi',
  '    last="dial tcp $host:$port: ${out:-connection failed}"',
  '  done',
  '  echo "error: $last"',
  '  sleep 1',
  'done',
].join('\n');

export interface ProbeRequest {
  /** The job's image (its ID). */
  imageId: string;
  network: string;
  host: string;
  ports: number[];
  labels: Record<string, string>;
  name: string;
  /** Resolves when the probe must stop (timeout, cancel, service exited). */
  stop: Promise<void>;
  report?: HelperReport;
}

export type ProbeResult =
  | { kind: 'connected'; port: number }
  | { kind: 'stopped'; error: string }
  /** The probe could not run in the job image (no shell, no nc/bash): the caller falls back. */
  | { kind: 'unavailable'; reason: string };

export async function probeFromJobImage(docker: DockerHandle, request: ProbeRequest): Promise<ProbeResult> {
  let containerId: string | undefined;
  try {
    const container = await docker.createContainer({
      name: request.name,
      Image: request.imageId,
      Entrypoint: ['sh', '-c', PROBE_SCRIPT, 'jobsim-probe'],
      Cmd: [request.host, ...request.ports.map(String)],
      User: '0',
      Labels: request.labels,
      HostConfig: { NetworkMode: request.network, AutoRemove: false },
    });
    containerId = container.id;
    request.report?.created(container.id);
    try {
      await container.start();
    } catch (error) {
      return { kind: 'unavailable', reason: `cannot run sh in the job image: ${firstLine(error)}` };
    }
    // Settles (never rejects) even when the container is removed under it after a stop.
    const exited = (container.wait() as Promise<{ StatusCode: number }>).then((r) => r.StatusCode, () => -1);
    const outcome = await Promise.race([exited, request.stop.then(() => 'stopped' as const)]);
    const lines = await probeOutput(docker, container.id);
    if (outcome === 'stopped') return { kind: 'stopped', error: lastError(lines) ?? 'no TCP connection succeeded' };
    const connected = lines.map((line) => /^connected: (\d+)$/.exec(line)).find((m) => m !== null);
    if (outcome === 0 && connected?.[1]) return { kind: 'connected', port: Number(connected[1]) };
    if (outcome === NO_TOOL_EXIT) return { kind: 'unavailable', reason: lastError(lines) ?? 'the job image has neither nc nor bash' };
    return { kind: 'unavailable', reason: `probe exited with code ${outcome}` };
  } catch (error) {
    return { kind: 'unavailable', reason: firstLine(error) };
  } finally {
    if (containerId) {
      const removed = await removeContainer(docker, containerId);
      request.report?.removed(removed);
    }
  }
}

async function probeOutput(docker: DockerHandle, containerId: string): Promise<string[]> {
  try {
    const raw = (await docker.getContainer(containerId).logs({ stdout: true, tail: 5, follow: false })) as unknown as Buffer;
    return logText(raw)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  } catch {
    return [];
  }
}

function lastError(lines: string[]): string | undefined {
  const errors = lines.filter((line) => line.startsWith('error: '));
  return errors.at(-1)?.slice('error: '.length);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
