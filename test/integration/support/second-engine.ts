// A second, private Docker engine for tests that freeze or stop "the daemon": the shared engine must never
// be touched. It runs with its own socket, data root, exec root and pidfile, `--bridge=none
// --iptables=false`, inside its own network namespace: a dockerd started with `--bridge=none` in the
// host's namespace deletes the host's docker0 bridge and breaks the shared engine. `nsenter --net` (not
// `ip netns exec`, which remounts /sys and hides the cgroup mounts dockerd needs) enters only the network
// namespace; the socket stays on the host's file system.
//
// Needs root, dockerd, nsenter and ip. `secondEngineUnavailable()` says why a test must skip.

import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
let started = 0;

export interface SecondEngine {
  /** DOCKER_HOST for jobsim and the docker CLI. */
  host: string;
  socketPath: string;
  pid: number;
  /** SIGSTOP: the engine accepts connections and answers nothing (a hung dockerd, a suspended VM). */
  freeze(): void;
  thaw(): void;
  /** SIGTERM, as `systemctl stop docker` does; resolves once dockerd has exited. */
  terminate(): Promise<void>;
  /** The `docker` CLI against this engine. */
  docker(args: string[]): Promise<string>;
  /** dockerd's own log (for failure messages). */
  log(): string;
  /** Stops the engine whatever its state and removes its folder and network namespace. */
  dispose(): Promise<void>;
}

/** Why this machine cannot run a second engine, or undefined when it can. */
export function secondEngineUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (dockerd, network namespaces)';
  for (const tool of ['dockerd', 'nsenter', 'ip', 'docker']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `needs ${tool}`;
  }
  return undefined;
}

function pingSocket(socketPath: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts the engine and loads `images` into it from the shared engine (`docker save | docker load`). */
export async function startSecondEngine(images: string[] = ['busybox:1.36']): Promise<SecondEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'jobsim-engine2-'));
  const netns = `jobsim-t${process.pid}-${started++}`;
  const socketPath = join(dir, 'docker.sock');
  const host = `unix://${socketPath}`;
  const logFile = join(dir, 'dockerd.log');
  writeFileSync(join(dir, 'daemon.json'), '{}\n');
  await exec('ip', ['netns', 'add', netns]);
  await exec('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  const logFd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    'nsenter',
    [
      `--net=/var/run/netns/${netns}`,
      'dockerd',
      '--config-file', join(dir, 'daemon.json'),
      '--host', host,
      '--data-root', join(dir, 'data'),
      '--exec-root', join(dir, 'exec'),
      '--pidfile', join(dir, 'dockerd.pid'),
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      '--log-level=warn',
    ],
    { stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  let exited = false;
  const exitedNow = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  // nsenter execs dockerd: the child's pid is dockerd's.
  const pid = child.pid ?? 0;

  const removeEverything = async (): Promise<void> => {
    if (!exited && alive(pid)) {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGTERM');
      await Promise.race([exitedNow, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      if (!exited) process.kill(pid, 'SIGKILL');
    }
    // A dockerd that did not shut down cleanly leaves its containerd and mounts behind.
    const containerdPid = Number(readIfThere(join(dir, 'exec', 'containerd', 'containerd.pid')));
    if (Number.isInteger(containerdPid) && containerdPid > 0 && alive(containerdPid)) process.kill(containerdPid, 'SIGKILL');
    const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1] ?? '').filter((m) => m.startsWith(dir));
    for (const mount of mounts.reverse()) spawnSync('umount', ['-l', mount]);
    rmSync(dir, { recursive: true, force: true });
    spawnSync('ip', ['netns', 'delete', netns]);
  };

  const docker = async (args: string[]): Promise<string> => (await exec('docker', ['-H', host, ...args], { maxBuffer: 16 * 1024 * 1024 })).stdout;
  try {
    await waitUntil(() => {
      if (exited) throw new Error(`dockerd exited at start:\n${log()}`);
      return pingSocket(socketPath, 1000);
    }, 60_000, 'the second dockerd');
    for (const image of images) {
      await exec('sh', ['-c', `docker save "$1" | docker -H "$2" load -q`, 'sh', image, host], { maxBuffer: 16 * 1024 * 1024 });
    }
  } catch (error) {
    await removeEverything();
    throw error;
  }

  return {
    host,
    socketPath,
    pid,
    freeze: () => process.kill(pid, 'SIGSTOP'),
    thaw: () => process.kill(pid, 'SIGCONT'),
    terminate: async () => {
      process.kill(pid, 'SIGTERM');
      await Promise.race([exitedNow, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (!exited) throw new Error('the second dockerd did not exit within 30 s of SIGTERM');
    },
    docker,
    log,
    dispose: removeEverything,
  };
}

function readIfThere(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The shared engine still works: the host's docker0 exists and a container runs. Throws what is broken. */
export async function assertSharedEngineIntact(): Promise<void> {
  await exec('ip', ['link', 'show', 'docker0']).catch(() => {
    throw new Error('the host lost its docker0 bridge: the shared engine cannot start containers on the default network');
  });
  await exec('docker', ['run', '--rm', 'busybox:1.36', 'true']).catch((error: unknown) => {
    throw new Error(`the shared engine no longer runs a container: ${error instanceof Error ? error.message : String(error)}`);
  });
}
