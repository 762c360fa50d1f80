// The connection to the Docker engine. The only folder that imports dockerode is main/docker/; the rest of
// jobsim holds a DockerHandle and calls the typed functions exported from this folder.
//
// connectDocker picks the engine like the docker CLI (see endpoint.ts), asks it GET /version with a short
// bounded timeout, and pins the API version it negotiated (docker-modem does no negotiation; unversioned
// paths mean "the daemon's latest", whose semantics change from one engine release to the next).
// No client-wide `timeout`: docker-modem applies it as an idle timeout to streams too, which kills quiet
// log streams. Each call gets its own budget instead (call-budget.ts, applied in engine-health.ts).

import Docker from 'dockerode';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { homedir } from 'node:os';
import type { DoctorReport } from '../../shared/api.js';
import { EnvironmentError } from '../errors.js';
import { describeEndpoint, parseHost, podmanSockets, resolveEndpoint, type DockerEndpoint, type EndpointInputs, type EngineChoice } from './endpoint.js';
import { engineChoice } from './engine-choice.js';
import { negotiateApiVersion, type EngineVersion } from './api-version.js';
import { withCallBudgets } from './engine-health.js';
import { sshSettings, type SshSettings } from './ssh-transport.js';

export type DockerHandle = Docker;

export const DEFAULT_PING_TIMEOUT_MS = 5000;

export interface ConnectOptions {
  /** Defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to os.homedir(). */
  homeDir?: string;
  /** How long the engine has to answer GET /version. */
  pingTimeoutMs?: number;
  /** Defaults to the CLI's `--engine` / `--context` (engine-choice.ts). */
  choice?: EngineChoice;
}

export interface DockerConnection {
  docker: DockerHandle;
  endpoint: DoctorReport['endpoint'];
  engine: EngineVersion;
}

function readTextOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function listOrEmpty(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

export function endpointInputs(options: ConnectOptions = {}): EndpointInputs {
  return {
    env: options.env ?? process.env,
    homeDir: options.homeDir ?? homedir(),
    readText: readTextOrUndefined,
    listDir: listOrEmpty,
    platform: process.platform,
    uid: process.getuid?.(),
    choice: options.choice ?? engineChoice(),
  };
}

export function reportedEndpoint(endpoint: DockerEndpoint): DoctorReport['endpoint'] {
  return { source: endpoint.source, address: endpoint.address, ...(endpoint.context ? { context: endpoint.context } : {}) };
}

function dockerodeOptions(endpoint: DockerEndpoint, ssh: SshSettings | undefined): Docker.DockerOptions {
  // Every key docker-modem would otherwise fill from the environment is set, so only our choice counts.
  const base = { host: undefined, port: undefined, socketPath: undefined, timeout: undefined, ca: undefined, cert: undefined, key: undefined };
  const transport = endpoint.transport;
  if (transport.kind === 'unix') return { ...base, socketPath: transport.socketPath };
  if (transport.kind === 'ssh') {
    if (!ssh) throw new Error('ssh settings are missing for an ssh:// endpoint');
    // docker-modem passes `agent` on to every request (its types leave it out).
    const overSsh = { ...base, protocol: 'http' as const, host: transport.host, port: transport.port, agent: ssh.dialer.agent() };
    return overSsh;
  }
  if (!transport.tls) return { ...base, protocol: 'http', host: transport.host, port: transport.port };
  const { tls } = transport;
  const material = {
    ca: tls.caFile ? readTextOrUndefined(tls.caFile) : undefined,
    cert: tls.certFile ? readTextOrUndefined(tls.certFile) : undefined,
    key: tls.keyFile ? readTextOrUndefined(tls.keyFile) : undefined,
  };
  // Without ca.pem the system CAs apply; a client certificate needs both of its halves.
  if ((material.cert === undefined) !== (material.key === undefined)) {
    const missing = material.cert === undefined ? tls.certFile : tls.keyFile;
    throw new EnvironmentError(
      `cannot read ${missing} (TLS client certificate for ${describeEndpoint(reportedEndpoint(endpoint))})`,
      "check DOCKER_CERT_PATH (or the context's TLS files), or unset DOCKER_TLS_VERIFY",
    );
  }
  return {
    ...base,
    protocol: 'https',
    host: transport.host,
    port: transport.port,
    ...material,
    ...(tls.verify ? {} : { agent: new Agent({ rejectUnauthorized: false }) }),
  };
}

/**
 * docker-modem reads DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_CLIENT_TIMEOUT itself while constructing,
 * even when explicit options follow (and throws on a malformed DOCKER_HOST or a missing cert file).
 * Construct with those variables hidden so the endpoint chosen here is the only one that counts.
 */
function newDockerode(options: Docker.DockerOptions): Docker {
  const hidden = ['DOCKER_HOST', 'DOCKER_CERT_PATH', 'DOCKER_CLIENT_TIMEOUT', 'DOCKER_TLS_VERIFY', 'DOCKER_PATH_PREFIX'];
  const saved = hidden.map((name) => [name, process.env[name]] as const);
  for (const name of hidden) delete process.env[name];
  try {
    return new Docker(options);
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

type VersionWithAbort = (options: { abortSignal: AbortSignal }) => Promise<Docker.DockerVersion>;

/** Short description of why a request failed: the errno code, or "no answer within N s". */
export function connectionFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'AbortError' || error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number') return `it answered GET /version with HTTP ${status}: not a Docker engine?`;
    const code = (error as NodeJS.ErrnoException).code;
    const syscall = (error as NodeJS.ErrnoException).syscall;
    if (code && isTlsFailure(code)) return `TLS: ${code}`;
    if (code) return `${syscall ?? 'connect'} ${code}`;
    return error.message.split('\n')[0] ?? 'unknown error';
  }
  return String(error);
}

const isTlsFailure = (text: string): boolean => /CERT|SSL|TLS|SIGNATURE|HOSTNAME|ALTNAME/.test(text);

/** Appended to connection advice everywhere except in the doctor itself. */
export const DOCTOR_HINT = '; `jobsim doctor` shows what jobsim tried';

/** `ssh -p 2222 user@host` for ssh://user@host:2222: what the user types to check the connection. */
function sshCommand(address: string): string {
  const target = address.replace(/^ssh:\/\//, '');
  const port = /:(\d+)$/.exec(target)?.[1];
  return port ? `ssh -p ${port} ${target.slice(0, -port.length - 1)}` : `ssh ${target}`;
}

/** What to do when the engine at this endpoint does not answer (without DOCTOR_HINT). */
export function adviceFor(endpoint: DoctorReport['endpoint'], failure: string): string {
  if (failure.includes('EACCES')) {
    return 'jobsim may not use the Docker socket: add yourself to the docker group (`sudo usermod -aG docker $USER`, then log in again)';
  }
  if (failure.includes('SSH host key')) {
    return `accept the host's key first: run \`${sshCommand(endpoint.address)}\` once and answer yes (check the fingerprint with the host's owner)`;
  }
  if (endpoint.address.startsWith('ssh://')) {
    return `check that \`${sshCommand(endpoint.address)} docker version\` works: your key in ssh-agent (SSH_AUTH_SOCK) or ~/.ssh/id_ed25519, id_ecdsa or id_rsa without a passphrase, and docker installed on that host`;
  }
  if (isTlsFailure(failure)) {
    return endpoint.source === 'context'
      ? `the engine's TLS certificate was not accepted: check the TLS files of Docker context "${endpoint.context ?? ''}"`
      : "the engine's TLS certificate was not accepted: check ca.pem in DOCKER_CERT_PATH (default ~/.docker)";
  }
  if (endpoint.source === 'option') return 'start the engine at that address, or leave out --engine to use DOCKER_HOST, the current context or the default socket';
  if (endpoint.source === 'DOCKER_HOST') return 'start the engine at DOCKER_HOST, or unset DOCKER_HOST to use the default socket';
  if (endpoint.source === 'context') {
    return `start the engine of Docker context "${endpoint.context ?? ''}", or switch context (\`docker context use default\`) or set DOCKER_HOST`;
  }
  return 'start Docker (e.g. `sudo systemctl start docker`) or set DOCKER_HOST';
}

/** Connects to the engine the docker CLI would use. Throws EnvironmentError (with advice) if it does not answer. */
export async function connectDocker(options: ConnectOptions = {}): Promise<DockerConnection> {
  const inputs = endpointInputs(options);
  const endpoint = resolveEndpoint(inputs);
  const timeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
  try {
    return await connectTo(endpoint, inputs, timeoutMs);
  } catch (error) {
    // Nothing chosen and no Docker at the default socket: Podman's socket, when one answers, as GitLab
    // Runner's users point DOCKER_HOST at it by hand.
    if (endpoint.source !== 'default') throw error;
    for (const socketPath of podmanSockets(inputs).filter((path) => existsSync(path))) {
      try {
        return await connectTo(parseHost(`unix://${socketPath}`, { source: 'podman' }), inputs, timeoutMs);
      } catch {
        // The Docker error below says what to do.
      }
    }
    throw error;
  }
}

/** Asks this endpoint GET /version and pins the negotiated API version. */
export async function connectTo(endpoint: DockerEndpoint, inputs: EndpointInputs, timeoutMs: number): Promise<DockerConnection> {
  const reported = reportedEndpoint(endpoint);
  const ssh = endpoint.transport.kind === 'ssh' ? sshSettings(endpoint.transport, inputs.env, inputs.homeDir) : undefined;
  const unversioned = newDockerode(dockerodeOptions(endpoint, ssh));
  let version: Docker.DockerVersion;
  try {
    const getVersion = unversioned.version.bind(unversioned) as unknown as VersionWithAbort;
    version = await getVersion({ abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    ssh?.dialer.close();
    const failure = ssh?.refusal() ?? connectionFailure(error, timeoutMs);
    throw new EnvironmentError(`no Docker engine answered at ${endpoint.address} (${failure})`, adviceFor(reported, failure) + DOCTOR_HINT);
  }
  const engine = negotiateApiVersion(version, endpoint.address);
  const docker = withCallBudgets(newDockerode({ ...dockerodeOptions(endpoint, ssh), version: `v${engine.apiVersion}` }));
  return { docker, endpoint: reported, engine };
}
