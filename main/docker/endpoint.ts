// Which Docker engine to talk to, chosen the way the docker CLI chooses it:
//   1. DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH for tcp)
//   2. the current context: DOCKER_CONTEXT, else `currentContext` in $DOCKER_CONFIG/config.json,
//      read from $DOCKER_CONFIG/contexts/meta/<sha256(name)>/meta.json
//   3. the default socket, unix:///var/run/docker.sock
// No I/O of its own: the environment and a file reader are passed in, so the choice is unit tested.

import { createHash } from 'node:crypto';
import { EnvironmentError } from '../errors.js';
import type { DoctorReport } from '../../shared/api.js';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
export const DEFAULT_WINDOWS_DOCKER_HOST = 'npipe:////./pipe/docker_engine';

export type EndpointSource = DoctorReport['endpoint']['source'];

export interface TlsSettings {
  /** Check the engine's certificate (false: DOCKER_TLS without VERIFY, or a context's SkipTLSVerify). */
  verify: boolean;
  /** Files holding ca.pem / cert.pem / key.pem; those that exist are used. */
  caFile: string;
  certFile: string;
  keyFile: string;
}

export type Transport =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsSettings }
  /** `docker system dial-stdio` on the far side of an SSH session, as `docker -H ssh://…` does. */
  | { kind: 'ssh'; host: string; port: number; user?: string };

export interface DockerEndpoint {
  source: EndpointSource;
  /** As the user would write it in DOCKER_HOST, e.g. unix:///var/run/docker.sock, tcp://10.0.0.5:2376. */
  address: string;
  /** The Docker context the endpoint came from, when it came from one. */
  context?: string;
  transport: Transport;
}

/** Why no endpoint could be chosen; carries what jobsim was looking at, for `jobsim doctor`. */
export class EndpointError extends EnvironmentError {
  readonly endpoint: DoctorReport['endpoint'];
  constructor(endpoint: DoctorReport['endpoint'], message: string, advice: string) {
    super(message, advice);
    this.name = 'EndpointError';
    this.endpoint = endpoint;
  }
}

export interface EndpointInputs {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readText(path: string): string | undefined;
  /** process.platform; Windows defaults to Docker Desktop's named pipe. */
  platform?: string;
  /** `--engine ADDRESS` / `--context NAME`: they win over the environment, as `docker -H` / `--context` do. */
  choice?: EngineChoice;
  /** Directory entries (for listing the Docker contexts); empty when it cannot be read. */
  listDir?(path: string): string[];
  /** process.getuid(): where a rootless Podman keeps its socket. */
  uid?: number;
}

/** Podman's Docker-compatible sockets: rootful, then the user's rootless one. */
export function podmanSockets(inputs: EndpointInputs): string[] {
  const runtimeDir = inputs.env.XDG_RUNTIME_DIR || (inputs.uid !== undefined ? `/run/user/${inputs.uid}` : undefined);
  return ['/run/podman/podman.sock', ...(runtimeDir ? [join(runtimeDir, 'podman', 'podman.sock')] : [])];
}

/** Every Docker context in the config folder, by name (the docker CLI's `docker context ls`, without default). */
export function contextNames(inputs: EndpointInputs): string[] {
  const metaDir = join(dockerConfigDir(inputs), 'contexts', 'meta');
  const names: string[] = [];
  for (const entry of inputs.listDir?.(metaDir) ?? []) {
    const text = inputs.readText(join(metaDir, entry, 'meta.json'));
    try {
      const name = text === undefined ? undefined : (JSON.parse(text) as { Name?: unknown }).Name;
      if (typeof name === 'string' && name !== '') names.push(name);
    } catch {
      // A broken context is reported when it is chosen; in a list it is simply left out.
    }
  }
  return names.sort();
}

/** The endpoint of a context by name, for listing (errors as for a chosen context). */
export function contextEndpoint(name: string, inputs: EndpointInputs): DockerEndpoint {
  return endpointFromContext(name, inputs, 'the list of contexts');
}

export interface EngineChoice {
  engine?: string;
  context?: string;
}

const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');

export function dockerConfigDir(inputs: EndpointInputs): string {
  return inputs.env.DOCKER_CONFIG || join(inputs.homeDir, '.docker');
}

/** The context directory name Docker uses: the hex sha256 of the context name. */
export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

interface HostOptions {
  source: EndpointSource;
  context?: string;
  /** TLS for tcp:// hosts, when the environment or the context asks for it. */
  tls?: TlsSettings;
}

/** Parses a DOCKER_HOST-style address. A bare `host:port` is tcp, as in the docker CLI. */
export function parseHost(raw: string, options: HostOptions): DockerEndpoint {
  const where: DoctorReport['endpoint'] = { source: options.source, address: raw, ...(options.context ? { context: options.context } : {}) };
  const origin = options.source === 'context' ? `Docker context "${options.context}"` : options.source === 'option' ? '--engine' : options.source;
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  const scheme = schemeMatch ? schemeMatch[1]!.toLowerCase() : 'tcp';
  const rest = schemeMatch ? raw.slice(schemeMatch[0].length) : raw;

  if (scheme === 'unix') {
    const socketPath = rest || '/var/run/docker.sock';
    return { source: options.source, context: options.context, address: `unix://${socketPath}`, transport: { kind: 'unix', socketPath } };
  }
  if (scheme === 'npipe') {
    // Node opens Windows named pipes through the same socketPath option as unix sockets.
    const socketPath = rest || '//./pipe/docker_engine';
    return { source: options.source, context: options.context, address: `npipe://${socketPath}`, transport: { kind: 'unix', socketPath } };
  }
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    const hostPort = /^(\[[^\]]+\]|[^:/]*)(?::(\d+))?\/?$/.exec(rest);
    if (!hostPort || !hostPort[1]) {
      throw new EndpointError(where, `${origin} has an invalid address "${raw}"`, 'use unix:///path/to/docker.sock or tcp://host:port');
    }
    const host = hostPort[1].replace(/^\[|\]$/g, '');
    const tls = scheme === 'http' ? undefined : options.tls;
    const useTls = scheme === 'https' || tls !== undefined;
    const port = hostPort[2] ? Number(hostPort[2]) : useTls ? 2376 : 2375;
    const tlsSettings = useTls ? (tls ?? { verify: true, caFile: '', certFile: '', keyFile: '' }) : undefined;
    return {
      source: options.source,
      context: options.context,
      address: `tcp://${hostPort[1]}:${port}`,
      transport: { kind: 'tcp', host, port, ...(tlsSettings ? { tls: tlsSettings } : {}) },
    };
  }
  if (scheme === 'ssh') return sshEndpoint(rest, raw, options, where, origin);
  throw new EndpointError(where, `${origin} uses "${scheme}://", which jobsim does not support`, 'use unix:///path/to/docker.sock, npipe:////./pipe/docker_engine, tcp://host:port or ssh://user@host');
}

/** `ssh://[user@]host[:port]`; like the docker CLI, no path after the host. */
function sshEndpoint(rest: string, raw: string, options: HostOptions, where: DoctorReport['endpoint'], origin: string): DockerEndpoint {
  const match = /^(?:([^@/:\s]+)@)?(\[[^\]]+\]|[^:/@\s]+)(?::(\d{1,5}))?\/?$/.exec(rest);
  const port = match?.[3] ? Number(match[3]) : 22;
  if (!match || !match[2] || port < 1 || port > 65535) {
    const why = /^[^/]*\/./.test(rest) ? 'a path after the host is not allowed' : 'expected ssh://[user@]host[:port]';
    throw new EndpointError(where, `${origin} has an invalid address "${raw}": ${why}`, 'write it as ssh://user@host or ssh://user@host:2222');
  }
  const user = match[1];
  const host = match[2].replace(/^\[|\]$/g, '');
  const address = `ssh://${user ? `${user}@` : ''}${match[2]}${port === 22 ? '' : `:${port}`}`;
  return { source: options.source, context: options.context, address, transport: { kind: 'ssh', host, port, ...(user ? { user } : {}) } };
}

function tlsFromEnv(inputs: EndpointInputs): TlsSettings | undefined {
  const verify = Boolean(inputs.env.DOCKER_TLS_VERIFY);
  if (!verify && !inputs.env.DOCKER_TLS) return undefined;
  const dir = inputs.env.DOCKER_CERT_PATH || dockerConfigDir(inputs);
  return { verify, caFile: join(dir, 'ca.pem'), certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
}

/** The context the docker CLI would use, or undefined for the built-in "default" context. */
export function currentContextName(inputs: EndpointInputs): string | undefined {
  const fromEnv = inputs.env.DOCKER_CONTEXT;
  if (fromEnv) return fromEnv === 'default' ? undefined : fromEnv;
  const configText = inputs.readText(join(dockerConfigDir(inputs), 'config.json'));
  if (configText === undefined) return undefined;
  let name: unknown;
  try {
    name = (JSON.parse(configText) as { currentContext?: unknown }).currentContext;
  } catch {
    // The docker CLI refuses a broken config.json too; say so instead of silently ignoring it.
    throw new EndpointError(
      { source: 'context', address: '' },
      `${join(dockerConfigDir(inputs), 'config.json')} is not valid JSON`,
      'fix or remove that file (it is the docker CLI configuration), or set DOCKER_HOST',
    );
  }
  return typeof name === 'string' && name !== '' && name !== 'default' ? name : undefined;
}

interface ContextMeta {
  Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } };
}

function endpointFromContext(name: string, inputs: EndpointInputs, named: string): DockerEndpoint {
  const configDir = dockerConfigDir(inputs);
  const hash = contextDirName(name);
  const metaPath = join(configDir, 'contexts', 'meta', hash, 'meta.json');
  const where = { source: 'context' as const, address: '', context: name };
  const text = inputs.readText(metaPath);
  if (text === undefined) {
    const how = named;
    throw new EndpointError(where, `Docker context "${name}" (from ${how}) does not exist`, 'run `docker context ls` and `docker context use NAME`, or set DOCKER_HOST');
  }
  let meta: ContextMeta;
  try {
    meta = JSON.parse(text) as ContextMeta;
  } catch {
    throw new EndpointError(where, `Docker context "${name}": ${metaPath} is not valid JSON`, 'recreate the context with `docker context create`, or set DOCKER_HOST');
  }
  const docker = meta.Endpoints?.docker;
  if (typeof docker?.Host !== 'string' || docker.Host === '') {
    throw new EndpointError(where, `Docker context "${name}" has no Docker endpoint`, 'recreate the context with `docker context create`, or set DOCKER_HOST');
  }
  const tlsDir = join(configDir, 'contexts', 'tls', hash, 'docker');
  const hasTls = inputs.readText(join(tlsDir, 'ca.pem')) !== undefined || inputs.readText(join(tlsDir, 'cert.pem')) !== undefined;
  const tls = hasTls
    ? { verify: docker.SkipTLSVerify !== true, caFile: join(tlsDir, 'ca.pem'), certFile: join(tlsDir, 'cert.pem'), keyFile: join(tlsDir, 'key.pem') }
    : undefined;
  return parseHost(docker.Host, { source: 'context', context: name, tls });
}

/** The engine the docker CLI would talk to with this environment. Throws EndpointError when unusable. */
export function resolveEndpoint(inputs: EndpointInputs): DockerEndpoint {
  const { engine, context: chosenContext } = inputs.choice ?? {};
  if (engine !== undefined && chosenContext !== undefined) {
    throw new EndpointError({ source: 'option', address: engine }, 'both --engine and --context were given', 'give one of them, as with `docker -H` and `docker --context`');
  }
  if (engine !== undefined) return parseHost(engine, { source: 'option', tls: tlsFromEnv(inputs) });
  if (chosenContext !== undefined) {
    if (chosenContext === 'default') return parseHost(defaultHost(inputs), { source: 'default' });
    return endpointFromContext(chosenContext, inputs, '--context');
  }
  const host = inputs.env.DOCKER_HOST;
  if (host) return parseHost(host, { source: 'DOCKER_HOST', tls: tlsFromEnv(inputs) });
  const context = currentContextName(inputs);
  if (context) {
    const named = inputs.env.DOCKER_CONTEXT ? 'DOCKER_CONTEXT' : `currentContext in ${join(dockerConfigDir(inputs), 'config.json')}`;
    return endpointFromContext(context, inputs, named);
  }
  return parseHost(defaultHost(inputs), { source: 'default' });
}

const defaultHost = (inputs: EndpointInputs): string => (inputs.platform === 'win32' ? DEFAULT_WINDOWS_DOCKER_HOST : DEFAULT_DOCKER_HOST);

export function describeEndpoint(endpoint: DoctorReport['endpoint']): string {
  if (endpoint.source === 'option') return `--engine ${endpoint.address}`;
  if (endpoint.source === 'DOCKER_HOST') return `DOCKER_HOST=${endpoint.address}`;
  if (endpoint.source === 'context') return `Docker context "${endpoint.context ?? ''}" (${endpoint.address || 'no address'})`;
  return `the default socket ${endpoint.address}`;
}

/** The settings jobsim looked at, in the order it looked, for `jobsim doctor`. */
export function endpointTrail(inputs: EndpointInputs): string[] {
  const configFile = join(dockerConfigDir(inputs), 'config.json');
  let configured = 'none';
  const configText = inputs.readText(configFile);
  if (configText !== undefined) {
    try {
      const name = (JSON.parse(configText) as { currentContext?: unknown }).currentContext;
      if (typeof name === 'string' && name) configured = `"${name}"`;
    } catch {
      configured = 'unreadable (not valid JSON)';
    }
  }
  const { engine, context } = inputs.choice ?? {};
  const trail = [
    ...(engine !== undefined ? [`--engine: ${engine}`] : []),
    ...(context !== undefined ? [`--context: ${context}`] : []),
    `DOCKER_HOST: ${inputs.env.DOCKER_HOST || 'not set'}`,
    `DOCKER_CONTEXT: ${inputs.env.DOCKER_CONTEXT || 'not set'}`,
    `currentContext in ${configFile}: ${configText === undefined ? 'no such file' : configured}`,
  ];
  if (engine !== undefined || context !== undefined) trail.push(`${engine !== undefined ? '--engine' : '--context'} wins over DOCKER_HOST and the current context, as in the docker CLI`);
  else if (inputs.env.DOCKER_HOST && (inputs.env.DOCKER_CONTEXT || configured !== 'none')) {
    trail.push('DOCKER_HOST wins over any Docker context, as in the docker CLI');
  }
  return trail;
}
