// Local registries from Debian's docker-registry package, loopback only: an open one and one with
// htpasswd basic auth. Configs, storage, logs and pid files live under the rig's state directory.
// Idempotent: a registry that already answers the way it should is left alone; one whose config
// changed is restarted (only if the rig started it).

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTH_REGISTRY, AUTH_REGISTRY_CREDENTIALS, OPEN_REGISTRY, rigStateDir } from './constants.js';
import { isAlive, run, RigError, say, startDetached, waitFor } from './exec.js';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export const HTPASSWD_BINARY = '/usr/bin/htpasswd';

interface RegistrySpec {
  name: 'registry-open' | 'registry-auth';
  address: string;
  withAuth: boolean;
}

const REGISTRIES: readonly RegistrySpec[] = [
  { name: 'registry-open', address: OPEN_REGISTRY, withAuth: false },
  { name: 'registry-auth', address: AUTH_REGISTRY, withAuth: true },
];

/** GET /v2/ with a short timeout: the HTTP status, or undefined when nothing answers. */
export async function probeRegistry(address: string, authorization?: string): Promise<number | undefined> {
  try {
    const response = await fetch(`http://${address}/v2/`, {
      headers: authorization ? { authorization } : {},
      signal: AbortSignal.timeout(1500),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function configText(spec: RegistrySpec, dir: string): string {
  const auth = spec.withAuth
    ? `auth:\n  htpasswd:\n    realm: jobsim-rig\n    path: ${join(dir, 'htpasswd')}\n`
    : '';
  return `# Written by jobsim's test rig (test/rig/registries.ts).
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: ${spec.address}
  secret: jobsim-rig-${spec.name}
  headers:
    X-Content-Type-Options: [nosniff]
${auth}`;
}

/** Writes the file only when its content differs; returns true when it did. */
function writeIfChanged(path: string, content: string): boolean {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return false;
  writeFileSync(path, content);
  return true;
}

/** Makes sure the htpasswd file accepts the test credentials; returns true when it was (re)written. */
async function ensureHtpasswd(path: string): Promise<boolean> {
  const { username, password } = AUTH_REGISTRY_CREDENTIALS;
  if (existsSync(path)) {
    const verify = await run(HTPASSWD_BINARY, ['-vb', path, username, password]);
    if (verify.code === 0) return false;
  }
  // -i reads the password from stdin so it never shows in the process list.
  const result = await run(HTPASSWD_BINARY, ['-B', '-c', '-i', path, username], { input: `${password}\n` });
  if (result.code !== 0) throw new RigError(`htpasswd failed: ${result.stderr.trim()}`);
  return true;
}

async function answersAsExpected(spec: RegistrySpec): Promise<'yes' | 'no-answer' | { status: number }> {
  const status = await probeRegistry(spec.address);
  if (status === undefined) return 'no-answer';
  if (!spec.withAuth) return status === 200 ? 'yes' : { status };
  if (status !== 401) return { status };
  const { username, password } = AUTH_REGISTRY_CREDENTIALS;
  const withCredentials = await probeRegistry(spec.address, basicAuth(username, password));
  return withCredentials === 200 ? 'yes' : { status: withCredentials ?? 0 };
}

/**
 * The pid of a registry serving this config file: one the rig started (possibly by a concurrent rig
 * run, so the pid file alone is not trusted). Found through /proc; pids get reused.
 */
function findOwnRegistry(configPath: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (commandLine[0] === REGISTRY_BINARY && commandLine[1] === 'serve' && commandLine[2] === configPath) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

async function stopOwnRegistry(spec: RegistrySpec, configPath: string): Promise<boolean> {
  const pid = findOwnRegistry(configPath);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const stopped = await waitFor(async () => !isAlive(pid), 5000, 100);
  if (!stopped) process.kill(pid, 'SIGKILL');
  await waitFor(async () => (await probeRegistry(spec.address)) === undefined, 3000, 100);
  return true;
}

async function ensureRegistry(spec: RegistrySpec): Promise<void> {
  const dir = join(rigStateDir(), spec.name);
  mkdirSync(join(dir, 'data'), { recursive: true });
  const configPath = join(dir, 'config.yml');
  const pidFile = join(dir, 'registry.pid');
  const logFile = join(dir, 'registry.log');
  let changed = writeIfChanged(configPath, configText(spec, dir));
  if (spec.withAuth) changed = (await ensureHtpasswd(join(dir, 'htpasswd'))) || changed;

  const state = await answersAsExpected(spec);
  if (state === 'yes' && !changed) return;
  if (state !== 'no-answer') {
    const restarted = await stopOwnRegistry(spec, configPath);
    if (!restarted) {
      const detail = state === 'yes' ? 'its config changed' : `it answers GET /v2/ with HTTP ${state.status}`;
      throw new RigError(
        `${spec.address} is taken by a registry the rig did not start (${detail})`,
        `stop whatever listens on ${spec.address}, then run the rig again`,
      );
    }
  }
  const pid = startDetached(REGISTRY_BINARY, ['serve', configPath], logFile);
  const up = await waitFor(async () => (await answersAsExpected(spec)) === 'yes', 15_000);
  // A concurrent rig run may have won the port; record whichever registry actually serves.
  writeFileSync(pidFile, `${findOwnRegistry(configPath) ?? pid}\n`);
  if (!up) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n    ') : '';
    throw new RigError(`the ${spec.name} on ${spec.address} did not come up within 15 s (log: ${logFile})${tail ? `:\n    ${tail}` : ''}`);
  }
  say(`${state === 'no-answer' ? 'started' : 'restarted'} ${spec.withAuth ? 'auth' : 'open'} registry on ${spec.address} (log: ${logFile})`);
}

/** Both registries answer as they should when this resolves. Needs docker-registry and apache2-utils. */
export async function ensureRegistries(): Promise<void> {
  for (const spec of REGISTRIES) await ensureRegistry(spec);
}

/** Debian packages the registries need that are not installed yet. */
export function missingRegistryPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync(REGISTRY_BINARY)) missing.push('docker-registry');
  if (!existsSync(HTPASSWD_BINARY)) missing.push('apache2-utils');
  return missing;
}

/**
 * Debian's docker-registry package starts its own service on :5000 (all interfaces), through systemd
 * or its init script. The rig runs its own loopback-only registries, so that service is stopped and
 * disabled; only called right after the rig itself installed the package.
 */
export async function disablePackagedRegistryService(): Promise<void> {
  if (existsSync('/run/systemd/system')) {
    const stop = await run('systemctl', ['disable', '--now', 'docker-registry']);
    if (stop.code === 0) say("stopped and disabled the docker-registry package's own service (the rig runs its own)");
    return;
  }
  if (existsSync('/etc/init.d/docker-registry')) {
    await run('/etc/init.d/docker-registry', ['stop']);
    await run('update-rc.d', ['docker-registry', 'disable']);
  }
}
