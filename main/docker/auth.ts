// Registry credentials, found the way GitLab Runner and the docker CLI find them. Sources in order, the
// first one that has credentials for the registry wins:
//   1. DOCKER_AUTH_CONFIG (config.json text; a job variable, else the environment),
//   2. the Docker config dir: --docker-config DIR, else $DOCKER_CONFIG, else ~/.docker (config.json).
// Inside one config: `credHelpers[registry]`, then `auths` (longest prefix of registry/repository), then
// `credsStore`. A credential, token or auth header is never logged, stored or put in an error message.

import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.js';
import type { RegistryAuth } from './images.js';

/** The server address Docker uses for Docker Hub credentials. */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const HELPER_TIMEOUT_MS = 15_000;

export interface FoundCredentials {
  auth: RegistryAuth;
  /** Where they came from, for `Authenticating with credentials from <source>`: never the secret itself. */
  source: string;
  /** The secret values, so callers can mask them in anything they print. */
  secrets: string[];
}

export interface CredentialOptions {
  /** DOCKER_AUTH_CONFIG text from the job's variables, if it has one. */
  jobAuthConfig?: string;
  /** `--docker-config DIR`. */
  dockerConfigDir?: string;
  /** Defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  homeDir?: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** `https://index.docker.io/v1/`, `registry-1.docker.io` … → `docker.io`; scheme and trailing `/` removed. */
export function normalizeRegistryKey(key: string): string {
  let text = key.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  text = text.replace(/\/v[12]$/, '');
  const [host = '', ...path] = text.split('/');
  const lowered = host.toLowerCase();
  const normalizedHost = DOCKER_HUB_ALIASES.has(lowered) ? 'docker.io' : lowered;
  return [normalizedHost, ...path].join('/');
}

/** The address the engine and helpers expect for a registry host. */
export function serverAddress(registry: string): string {
  return normalizeRegistryKey(registry) === 'docker.io' ? DOCKER_HUB_SERVER : registry;
}

/** The `auths` key matching `registry/repository` with the longest prefix (whole path segments only). */
export function longestPrefixMatch(keys: readonly string[], registry: string, repository: string): string | undefined {
  const target = `${normalizeRegistryKey(registry)}/${repository}`;
  let best: { key: string; length: number } | undefined;
  for (const key of keys) {
    const prefix = normalizeRegistryKey(key);
    if (!prefix) continue;
    if (target !== prefix && !target.startsWith(`${prefix}/`)) continue;
    if (!best || prefix.length > best.length) best = { key, length: prefix.length };
  }
  return best?.key;
}

function parseConfig(text: string, source: string): DockerConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // JSON.parse messages can quote the input (and with it a password): give only the position.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw new EnvironmentError(
      `${source} is not valid JSON${position ? ` (at character ${position})` : ''}`,
      'it must hold config.json content, e.g. {"auths": {"registry.example.com": {"auth": "…"}}}',
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EnvironmentError(`${source} must hold a JSON object in config.json format`);
  }
  return parsed as DockerConfigFile;
}

function fromAuthEntry(entry: AuthEntry, registry: string, source: string): FoundCredentials | undefined {
  const address = serverAddress(registry);
  if (entry.identitytoken) {
    return { auth: { identitytoken: entry.identitytoken, serveraddress: address }, source, secrets: [entry.identitytoken] };
  }
  let username = entry.username;
  let password = entry.password;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new EnvironmentError(`the "auth" value for ${normalizeRegistryKey(registry)} in ${source} is not base64 of user:password`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (!username || password === undefined) return undefined;
  const secrets = [password, ...(entry.auth ? [entry.auth] : [])].filter((secret) => secret.length > 0);
  return { auth: { username, password, serveraddress: address }, source, secrets };
}

/** Runs `docker-credential-<name> get` for a server. undefined when the helper has no credentials for it. */
export async function runCredentialHelper(name: string, server: string, env = process.env): Promise<{ username: string; secret: string } | undefined> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new EnvironmentError(
      `credential helper name "${name}" is not allowed: it must not contain path separators`,
      'credsStore and credHelpers name a program docker-credential-<name> on PATH',
    );
  }
  const program = `docker-credential-${name}`;
  const output = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: HELPER_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new EnvironmentError(`credential helper ${program} was not found on PATH`, `install ${program}, or remove "${name}" from credsStore/credHelpers in the Docker config`));
      else reject(new EnvironmentError(`credential helper ${program} could not run (${error.code ?? error.message})`));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(server);
  });
  if (output.code !== 0) {
    const said = `${output.stdout} ${output.stderr}`;
    if (/credentials not found/i.test(said)) return undefined;
    throw new EnvironmentError(`credential helper ${program} failed for ${server} (exit code ${output.code ?? 'none'})`, `run \`echo ${server} | ${program} get\` to see its message`);
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(output.stdout) as { Username?: unknown; Secret?: unknown };
  } catch {
    throw new EnvironmentError(`credential helper ${program} printed something that is not JSON`);
  }
  if (typeof parsed.Username !== 'string' || typeof parsed.Secret !== 'string' || !parsed.Secret) return undefined;
  return { username: parsed.Username, secret: parsed.Secret };
}

async function fromHelper(name: string, registry: string, source: string, env: NodeJS.ProcessEnv): Promise<FoundCredentials | undefined> {
  const address = serverAddress(registry);
  const found = await runCredentialHelper(name, address, env);
  if (!found) return undefined;
  // Helpers return `<token>` as the user name for identity tokens.
  const auth: RegistryAuth = found.username === '<token>' ? { identitytoken: found.secret, serveraddress: address } : { username: found.username, password: found.secret, serveraddress: address };
  return { auth, source: `${source} (credential helper docker-credential-${name})`, secrets: [found.secret] };
}

async function fromConfig(config: DockerConfigFile, registry: string, repository: string, source: string, env: NodeJS.ProcessEnv): Promise<FoundCredentials | undefined> {
  const host = normalizeRegistryKey(registry);
  const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => normalizeRegistryKey(key) === host)?.[1];
  if (helper) return fromHelper(helper, registry, source, env);
  const auths = config.auths ?? {};
  const key = longestPrefixMatch(Object.keys(auths), registry, repository);
  const entry = key !== undefined ? auths[key] : undefined;
  if (entry) {
    const found = fromAuthEntry(entry, registry, source);
    if (found) return found;
  }
  if (config.credsStore) return fromHelper(config.credsStore, registry, source, env);
  return undefined;
}

/** The Docker config dir in use: --docker-config, else $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(options: CredentialOptions): string {
  const env = options.env ?? process.env;
  return options.dockerConfigDir ?? env.DOCKER_CONFIG ?? join(options.homeDir ?? homedir(), '.docker');
}

/** Credentials for an image in `registry`/`repository`, or undefined to pull anonymously. */
export async function findCredentials(registry: string, repository: string, options: CredentialOptions = {}): Promise<FoundCredentials | undefined> {
  const env = { ...(options.env ?? process.env) } as NodeJS.ProcessEnv;
  const authConfig = options.jobAuthConfig ?? env.DOCKER_AUTH_CONFIG;
  if (authConfig && authConfig.trim()) {
    const found = await fromConfig(parseConfig(authConfig, '$DOCKER_AUTH_CONFIG'), registry, repository, '$DOCKER_AUTH_CONFIG', env);
    if (found) return found;
  }
  const file = join(dockerConfigDir(options), 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EnvironmentError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  return fromConfig(parseConfig(text, file), registry, repository, file, env);
}
