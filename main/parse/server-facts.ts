// What a GitLab server would know about the project: its URL, the project's path, its default branch and
// its container registry. Derived from the origin remote (https://host/group/name.git,
// git@host:group/name.git, ssh://git@host:2222/group/name.git) unless the user says otherwise.

import type { ServerChoice } from '../../shared/server-choice.js';
import { InputError } from '../errors.js';
import type { GitInfo } from './git-info.js';
import { projectPathFrom } from './git-info.js';
import { checkRefName } from './pipeline-choice.js';

export interface ServerFacts {
  /** `https://host[:port][/relative root]`, no trailing slash. */
  url: string;
  protocol: 'http' | 'https';
  host: string;
  port: string;
  /** Host, with the port when it is not the protocol's default (GitLab's CI_SERVER_FQDN). */
  fqdn: string;
  sshHost: string;
  sshPort: string;
  /** `host[:port]` of the container registry. */
  registry: string;
  projectPath: string;
  defaultBranch: string;
}

/** Used when neither origin nor --server-url names a server: `.invalid` never resolves (RFC 2606). */
export const PLACEHOLDER_SERVER_URL = 'https://gitlab.invalid';

/** GitLab's path rule for groups and projects: letters, digits, `_`, `.` and `-`, not starting with `-` or `.`. */
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

interface Remote {
  protocol: 'http' | 'https';
  host: string;
  /** Only for http(s) remotes: the port the web server listens on. */
  webPort?: string;
  sshPort?: string;
  path: string;
}

/** The host and path of an origin URL; credentials in it are dropped, never kept. */
export function parseRemote(url: string): Remote | undefined {
  const scp = /^(?:[^/@:]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(url);
  if (scp) return { protocol: 'https', host: scp[1]!.toLowerCase(), path: scp[2]! };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const path = decodeURIComponent(parsed.pathname);
  if (!parsed.hostname) return undefined;
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    return { protocol: parsed.protocol === 'http:' ? 'http' : 'https', host: parsed.hostname, ...(parsed.port ? { webPort: parsed.port } : {}), path };
  }
  if (parsed.protocol === 'ssh:' || parsed.protocol === 'git+ssh:') return { protocol: 'https', host: parsed.hostname, ...(parsed.port ? { sshPort: parsed.port } : {}), path };
  return undefined;
}

function projectPathOf(path: string): string | undefined {
  const cleaned = path.replace(/\.git\/?$/, '').replace(/^\/+|\/+$/g, '');
  const segments = cleaned.split('/');
  return segments.length >= 2 && segments.every((s) => PATH_SEGMENT.test(s) && !s.endsWith('.git')) ? cleaned : undefined;
}

function checkProjectPath(path: string): string {
  const cleaned = projectPathOf(path.trim());
  if (!cleaned || cleaned !== path.trim().replace(/^\/+|\/+$/g, '')) {
    throw new InputError(`--project-path "${path.slice(0, 80)}" is not a GitLab project path: give group/name (letters, digits, _ . -), e.g. acme/shop`);
  }
  return cleaned;
}

function checkServerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InputError(`--server-url "${text.slice(0, 80)}" is not a URL: give the GitLab address, e.g. https://gitlab.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`--server-url must be an http or https URL, got ${url.protocol.replace(/:$/, '')}`);
  if (url.username || url.password) throw new InputError('--server-url must not hold a user name or password (jobsim never stores credentials in variables)');
  if (url.search || url.hash) throw new InputError('--server-url must not have a query or #fragment');
  return url;
}

function checkRegistry(text: string): string {
  const registry = text.trim().toLowerCase();
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/.test(registry)) {
    throw new InputError(`--registry "${text.slice(0, 80)}" should be a host[:port] without a scheme or path, e.g. registry.example.com or gitlab.example.com:5050`);
  }
  return registry;
}

/**
 * The container registry GitLab would name: registry.gitlab.com for GitLab.com. A self-managed instance
 * configures its own (registry_external_url); the Linux package's automatic one listens on port 5050 of
 * the GitLab domain, so that is the guess. `--registry` says otherwise.
 */
export function defaultRegistry(host: string): string {
  return host === 'gitlab.com' ? 'registry.gitlab.com' : `${host}:5050`;
}

export function serverFacts(git: GitInfo, choice: ServerChoice, projectDir: string): ServerFacts {
  const remote = git.originUrl ? parseRemote(git.originUrl) : undefined;
  const given = choice.serverUrl !== undefined ? checkServerUrl(choice.serverUrl) : undefined;

  let protocol: 'http' | 'https';
  let host: string;
  let port: string;
  let root = '';
  if (given) {
    protocol = given.protocol === 'http:' ? 'http' : 'https';
    host = given.hostname;
    port = given.port || (protocol === 'http' ? '80' : '443');
    root = given.pathname.replace(/\/+$/, '');
  } else if (remote) {
    protocol = remote.protocol;
    host = remote.host;
    port = remote.webPort ?? (protocol === 'http' ? '80' : '443');
  } else {
    const placeholder = new URL(PLACEHOLDER_SERVER_URL);
    protocol = 'https';
    host = placeholder.hostname;
    port = '443';
  }
  const defaultPort = protocol === 'http' ? '80' : '443';
  const fqdn = port === defaultPort ? host : `${host}:${port}`;

  // With a relative URL root (https://host/gitlab), an origin on that server has the root before the path.
  let remotePath = remote?.path;
  if (remotePath && root && remotePath.replace(/^\/+/, '/').startsWith(`${root}/`)) remotePath = remotePath.replace(/^\/+/, '/').slice(root.length);
  const projectPath = choice.projectPath !== undefined
    ? checkProjectPath(choice.projectPath)
    : (remotePath && projectPathOf(remotePath)) ?? projectPathFrom(undefined, projectDir);

  return {
    url: `${protocol}://${fqdn}${root}`,
    protocol,
    host,
    port,
    fqdn,
    sshHost: remote && !given ? remote.host : host,
    sshPort: remote?.sshPort ?? '22',
    registry: choice.registry !== undefined ? checkRegistry(choice.registry) : defaultRegistry(host),
    projectPath,
    defaultBranch: choice.defaultBranch !== undefined ? checkRefName(choice.defaultBranch, 'default-branch') : git.defaultBranch ?? git.guessedDefaultBranch ?? 'main',
  };
}
