// A rootful Podman API service for one test file, with its own storage folder, so it never touches the
// shared Docker engine's images or the machine's Podman storage. Podman needs, on this kind of machine:
// ulimits the host allows (its defaults are refused without CAP_SYS_RESOURCE), catatonit for `Init: true`,
// and the local registries marked insecure. Images come from the shared engine (`docker save | podman load`)
// under the names jobsim asks for (Podman loads them as `localhost/NAME`).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AUTH_REGISTRY, OPEN_REGISTRY } from '../../rig/constants.js';
import { missingPodmanPackages } from '../../rig/podman.js';

export interface PodmanService {
  socket: string;
  /** `podman` with this service's storage, for the test's own checks. */
  podman(args: string[]): { code: number | null; stdout: string; stderr: string };
  stop(): Promise<void>;
}

/** The packages the Podman test needs that are not installed (test/rig/up.ts installs them as root). */
export const missingPodman = (): string[] => missingPodmanPackages();

export async function startPodman(images: string[]): Promise<PodmanService> {
  const base = mkdtempSync(join(tmpdir(), 'jobsim-podman-'));
  const conf = join(base, 'containers.conf');
  const registries = join(base, 'registries.conf');
  writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\ninit_path = "/usr/bin/catatonit"\n[network]\nnetwork_backend = "netavark"\n');
  writeFileSync(registries, `unqualified-search-registries = ["docker.io"]\n${[OPEN_REGISTRY, AUTH_REGISTRY].map((host) => `[[registry]]\nlocation = "${host}"\ninsecure = true\n`).join('')}`);
  const env = { ...process.env, CONTAINERS_CONF: conf, CONTAINERS_REGISTRIES_CONF: registries };
  const storage = ['--root', join(base, 'storage'), '--runroot', join(base, 'run')];
  const podman = (args: string[], input?: Buffer) => {
    const r = spawnSync('podman', [...storage, ...args], { env, input, maxBuffer: 512 * 1024 * 1024 });
    return { code: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
  };
  for (const image of images) {
    const saved = spawnSync('docker', ['save', image], { maxBuffer: 512 * 1024 * 1024 });
    if (saved.status !== 0) throw new Error(`docker save ${image}: ${saved.stderr.toString()}`);
    const loaded = podman(['load'], saved.stdout);
    if (loaded.code !== 0) throw new Error(`podman load ${image}: ${loaded.stderr}`);
    const named = image.includes('/') ? image : `library/${image}`;
    podman(['tag', `localhost/${image}`, `docker.io/${named}`]);
  }
  const socket = join(base, 'podman.sock');
  const service: ChildProcess = spawn('podman', [...storage, 'system', 'service', '--time=0', `unix://${socket}`], { env, stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(100);
  if (!existsSync(socket)) throw new Error('the Podman API service did not create its socket in 10 s');
  return {
    socket,
    podman: (args) => podman(args),
    async stop() {
      podman(['rm', '-af', '-t', '0']);
      podman(['rmi', '-af']);
      service.kill('SIGTERM');
      await new Promise((done) => (service.exitCode !== null ? done(undefined) : service.once('exit', done)));
      rmSync(base, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
