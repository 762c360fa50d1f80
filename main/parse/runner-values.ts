// The config.toml values that need more than a type check: pull policies, volumes, services, extra hosts.

import { isIP } from 'node:net';
import { InvalidImageRefError, parseImageRef } from '../../shared/image-ref.js';
import type { PullPolicy, VolumeSpec } from '../../shared/plan.js';
import { aliasProblem, splitCustomAliases } from '../../shared/service-aliases.js';
import { suggest } from './did-you-mean.js';
import { isTable, type Section } from './runner-section.js';

export interface RunnerService {
  name: string;
  alias?: string;
}

const PULL_POLICIES: readonly PullPolicy[] = ['never', 'if-not-present', 'always'];

/** `pull_policy = "always"` or a list; GitLab's own message for a value it does not know. */
export function pullPolicies(section: Section, key: string): PullPolicy[] | undefined {
  const values = section.strings(key);
  if (!values) return undefined;
  const result: PullPolicy[] = [];
  for (const value of values) {
    if ((PULL_POLICIES as readonly string[]).includes(value)) result.push(value as PullPolicy);
    else section.problems.error(`unsupported pull_policy config: "${value}" (use never, if-not-present or always)`, section.where(key));
  }
  return result.length > 0 ? result : undefined;
}

// Docker's bind options other than ro/rw: accepted (a real config works unchanged) but not applied.
const OTHER_BIND_OPTIONS = ['z', 'Z', 'shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate', 'nocopy', 'consistent', 'cached', 'delegated'];

/** `/path` → a dynamic volume; `/host:/path[:ro|rw]` → a bind mount. */
export function volumes(section: Section): VolumeSpec[] {
  const specs: VolumeSpec[] = [];
  for (const volume of section.strings('volumes') ?? []) {
    const where = section.where('volumes');
    const parts = volume.split(':');
    if (parts.length === 1 && volume.startsWith('/')) {
      specs.push({ kind: 'dynamic', containerPath: volume });
      continue;
    }
    const [hostPath = '', containerPath = '', mode] = parts;
    const options = mode === undefined ? [] : mode.split(',');
    const unknown = options.filter((o) => o !== 'ro' && o !== 'rw' && !OTHER_BIND_OPTIONS.includes(o));
    if (parts.length <= 3 && hostPath.startsWith('/') && containerPath.startsWith('/') && unknown.length === 0) {
      specs.push({ kind: 'bind', hostPath, containerPath, readOnly: options.includes('ro') });
      const ignored = options.filter((o) => OTHER_BIND_OPTIONS.includes(o));
      if (ignored.length > 0) section.problems.warn(`volume "${volume}": option ${ignored.join(',')} is not applied by jobsim; only ro/rw are`, where);
      continue;
    }
    if (parts.length >= 2 && !hostPath.startsWith('/') && containerPath.startsWith('/') && unknown.length === 0) {
      section.problems.error(`volume "${volume}": named volumes are not supported; use "/host/path:${containerPath}" (a bind mount) or "${containerPath}" (a volume jobsim keeps per project)`, where);
      continue;
    }
    if (unknown.length > 0 && parts.length === 3) {
      section.problems.error(`volume "${volume}": unknown option "${unknown.join(',')}" (use ro or rw)`, where);
      continue;
    }
    section.problems.error(`volume "${volume}" must be "/container/path" or "/host/path:/container/path[:ro|rw]"`, where);
  }
  return specs;
}

const SERVICE_KEYS = ['name', 'alias'];
// Keys of [[runners.docker.services]] that jobsim reads but does not apply to runner-config services.
const WARNED_SERVICE_KEYS = ['entrypoint', 'command', 'environment'];

/** `services = ["postgres:16", { name = "redis:7", alias = "cache" }]` or `[[runners.docker.services]]` tables. */
export function services(section: Section): RunnerService[] {
  const value = section.raw('services');
  if (value === undefined) return [];
  const { problems } = section;
  const result: RunnerService[] = [];
  for (const [index, entry] of (Array.isArray(value) ? value : [value]).entries()) {
    const where = section.whereElement('services', index);
    const service = typeof entry === 'string' ? { name: entry } : isTable(entry) && typeof entry.name === 'string' ? { name: entry.name, alias: entry.alias } : undefined;
    if (!service) {
      problems.error('services must be image names or tables like { name = "postgres:16", alias = "db" }', where);
      continue;
    }
    for (const key of isTable(entry) ? Object.keys(entry) : []) {
      if (SERVICE_KEYS.includes(key)) continue;
      if (WARNED_SERVICE_KEYS.includes(key)) problems.warn(`service "${service.name}": ${key} in the runner config is not applied by jobsim; set it in the job file's services: instead`, where);
      else {
        const guess = suggest(key, [...SERVICE_KEYS, ...WARNED_SERVICE_KEYS]);
        problems.error(`service "${service.name}": unknown setting "${key}"${guess ? `; did you mean "${guess}"?` : ''}`, where);
      }
    }
    const imageProblem = referenceProblem(service.name);
    if (imageProblem) problems.error(imageProblem, where);
    if (service.alias !== undefined && typeof service.alias !== 'string') {
      problems.error(`service "${service.name}": alias must be a string (several aliases: "db, postgres")`, where);
      continue;
    }
    for (const alias of splitCustomAliases(service.alias ?? '')) {
      const problem = aliasProblem(alias);
      if (problem) problems.error(problem, where);
    }
    result.push({ name: service.name, ...(service.alias ? { alias: service.alias } : {}) });
  }
  return result;
}

/**
 * Why an image name from the runner config is invalid. Names with `$` are checked later, once the job's
 * variables have expanded them (GitLab Runner expands them too).
 */
export function referenceProblem(name: string): string | undefined {
  if (name.includes('$')) return undefined;
  try {
    parseImageRef(name);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidImageRefError) return error.message;
    throw error;
  }
}

/** `host:ip` (Docker's --add-host); the IP may be IPv6 or `host-gateway`. */
export function extraHosts(section: Section): string[] {
  const entries = section.strings('extra_hosts') ?? [];
  for (const entry of entries) {
    const separator = entry.search(/[:=]/);
    if (separator <= 0 || separator === entry.length - 1) {
      section.problems.error(`extra_hosts entry "${entry}" must look like "host:ip" (e.g. "gitlab.local:10.0.0.2" or "dockerhost:host-gateway")`, section.where('extra_hosts'));
    }
  }
  return entries;
}

/** `dns = ["10.0.0.53"]`: Docker wants IP addresses here, not host names. */
export function dnsServers(section: Section): string[] {
  const entries = section.strings('dns') ?? [];
  for (const entry of entries) {
    if (isIP(entry) === 0) section.problems.error(`dns entry "${entry}" must be an IP address, e.g. "1.1.1.1"`, section.where('dns'));
  }
  return entries;
}
