// The runner's config.toml ([[runners]] with [runners.docker], or those keys bare) → the settings
// every job of a run shares. GitLab Runner's defaults apply where a key is absent.

import { readFile, stat } from 'node:fs/promises';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { ContainerSettings, ParseWarning, PullPolicy, RunnerPlan, VolumeSpec } from '../../shared/plan.js';
import { InputError } from '../errors.js';
import { parseByteSize } from './byte-size.js';
import { suggest } from './did-you-mean.js';
import { Problems } from './problems.js';
import { GLOBAL_KEYS, IGNORED_RUNNER_KEYS, IMPLEMENTED_DOCKER_KEYS, IMPLEMENTED_RUNNER_KEYS, WARNED_DOCKER_KEYS, WARNED_RUNNER_KEYS } from './runner-keys.js';
import { TomlLocator } from './toml-locator.js';

export interface RunnerConfig {
  runner: RunnerPlan;
  docker: ContainerSettings;
  /** `environment = ["K=V"]` → variables every job gets (source 'runner'). */
  environment: { key: string; value: string }[];
  /** Services every job gets, from [runners.docker] services. */
  services: { name: string; alias?: string }[];
  warnings: ParseWarning[];
}

const MAX_CONFIG_BYTES = 10 * 1024 * 1024;
const PULL_POLICIES: readonly PullPolicy[] = ['never', 'if-not-present', 'always'];

/**
 * The settings when there is no config.toml. One difference from GitLab Runner, on purpose: without a
 * runner config every pull policy is allowed (as on GitLab.com's shared runners), so a job file's
 * `pull_policy: if-not-present` works on a laptop. With a config.toml, GitLab's rule applies exactly:
 * allowed_pull_policies defaults to the runner's pull_policy.
 */
export function defaultRunnerConfig(): RunnerConfig {
  return {
    runner: {
      buildsDir: '/builds',
      disableCache: false,
      waitForServicesTimeoutSec: 30,
      allowedImages: [],
      allowedServices: [],
      pullPolicy: ['always'],
      allowedPullPolicies: ['always', 'if-not-present', 'never'],
    },
    docker: {
      privileged: false,
      tmpfs: {},
      servicesTmpfs: {},
      capAdd: [],
      capDrop: [],
      extraHosts: [],
      dns: [],
      volumes: [],
      disableEntrypointOverwrite: false,
      ignoreImageEntrypoint: false,
    },
    environment: [],
    services: [],
    warnings: [],
  };
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads one section's keys with positions, collecting every problem before failing. */
class Section {
  constructor(
    private readonly table: Table,
    private readonly name: string,
    private readonly locate: TomlLocator,
    private readonly problems: Problems,
  ) {}

  where(key: string) {
    return this.locate.keyLocation(key, this.name);
  }

  has(key: string): boolean {
    return this.table[key] !== undefined;
  }

  private wrongType(key: string, expected: string): undefined {
    this.problems.error(`${key} must be ${expected}`, this.where(key));
    return undefined;
  }

  string(key: string): string | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : this.wrongType(key, 'a string');
  }

  boolean(key: string): boolean | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    return typeof value === 'boolean' ? value : this.wrongType(key, 'true or false');
  }

  integer(key: string): number | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    return typeof value === 'number' && Number.isInteger(value) ? value : this.wrongType(key, 'a whole number');
  }

  strings(key: string): string[] | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return [value];
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : this.wrongType(key, 'a list of strings');
  }

  stringTable(key: string): Record<string, string> | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    if (!isTable(value) || !Object.values(value).every((v) => typeof v === 'string')) return this.wrongType(key, 'a table of strings, e.g. { "/tmp" = "rw,size=64m" }');
    return value as Record<string, string>;
  }

  raw(key: string): unknown {
    return this.table[key];
  }

  /** Unknown keys are errors (with a did-you-mean); known runner keys jobsim does not reproduce are warnings. */
  checkKeys(implemented: readonly string[], warned: readonly string[], ignored: readonly string[] = []): void {
    for (const key of Object.keys(this.table)) {
      if (implemented.includes(key) || ignored.includes(key)) continue;
      if (warned.includes(key)) {
        this.problems.warn(`${this.name ? `[${this.name}] ` : ''}${key} is a GitLab Runner setting jobsim does not reproduce; it is ignored`, this.where(key));
        continue;
      }
      const guess = suggest(key, [...implemented, ...warned, ...ignored]);
      this.problems.error(`unknown runner setting "${key}"${guess ? `; did you mean "${guess}"?` : ''}`, this.where(key));
    }
  }
}

function pullPolicies(section: Section, key: string, problems: Problems): PullPolicy[] | undefined {
  const values = section.strings(key);
  if (!values) return undefined;
  const result: PullPolicy[] = [];
  for (const value of values) {
    if ((PULL_POLICIES as readonly string[]).includes(value)) result.push(value as PullPolicy);
    else problems.error(`unsupported pull_policy config: "${value}" (use never, if-not-present or always)`, section.where(key));
  }
  return result.length > 0 ? result : undefined;
}

function volumes(section: Section, problems: Problems): VolumeSpec[] {
  const specs: VolumeSpec[] = [];
  for (const volume of section.strings('volumes') ?? []) {
    const parts = volume.split(':');
    if (parts.length === 1 && volume.startsWith('/')) {
      specs.push({ kind: 'dynamic', containerPath: volume });
      continue;
    }
    const [hostPath, containerPath, mode] = parts;
    if (parts.length <= 3 && hostPath?.startsWith('/') && containerPath?.startsWith('/') && (mode === undefined || mode === 'ro' || mode === 'rw')) {
      specs.push({ kind: 'bind', hostPath, containerPath, readOnly: mode === 'ro' });
      continue;
    }
    problems.error(`volume "${volume}" must be "/container/path" or "/host/path:/container/path[:ro|rw]"`, section.where('volumes'));
  }
  return specs;
}

function services(section: Section, problems: Problems): RunnerConfig['services'] {
  const value = section.raw('services');
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const result: RunnerConfig['services'] = [];
  for (const entry of list) {
    if (typeof entry === 'string') result.push({ name: entry });
    else if (isTable(entry) && typeof entry.name === 'string') result.push({ name: entry.name, ...(typeof entry.alias === 'string' ? { alias: entry.alias } : {}) });
    else problems.error('services must be image names or tables like { name = "postgres:16", alias = "db" }', section.where('services'));
  }
  return result;
}

function applyDocker(section: Section, config: RunnerConfig, problems: Problems): void {
  section.checkKeys(IMPLEMENTED_DOCKER_KEYS, WARNED_DOCKER_KEYS);
  const { runner, docker } = config;
  const image = section.string('image');
  if (image) runner.defaultImage = image;
  docker.privileged = section.boolean('privileged') ?? docker.privileged;
  const pull = pullPolicies(section, 'pull_policy', problems);
  if (pull) runner.pullPolicy = pull;
  runner.allowedPullPolicies = pullPolicies(section, 'allowed_pull_policies', problems) ?? runner.pullPolicy;
  runner.allowedImages = section.strings('allowed_images') ?? [];
  runner.allowedServices = section.strings('allowed_services') ?? [];
  docker.volumes = volumes(section, problems);
  docker.tmpfs = section.stringTable('tmpfs') ?? {};
  docker.servicesTmpfs = section.stringTable('services_tmpfs') ?? {};
  const cacheDir = section.string('cache_dir');
  if (cacheDir) runner.cacheDir = cacheDir;
  runner.disableCache = section.boolean('disable_cache') ?? false;
  runner.waitForServicesTimeoutSec = section.integer('wait_for_services_timeout') ?? 30;
  docker.disableEntrypointOverwrite = section.boolean('disable_entrypoint_overwrite') ?? false;
  docker.ignoreImageEntrypoint = section.boolean('ignore_image_entrypoint') ?? false;
  const user = section.string('user');
  if (user) docker.user = user;
  for (const [key, field] of [['memory', 'memoryBytes'], ['shm_size', 'shmSizeBytes']] as const) {
    const raw = section.raw(key);
    if (raw === undefined) continue;
    const bytes = typeof raw === 'string' || typeof raw === 'number' ? parseByteSize(raw) : undefined;
    if (bytes === undefined) problems.error(`${key} must be a size such as "512m" or "2g"`, section.where(key));
    else docker[field] = bytes;
  }
  const cpus = section.raw('cpus');
  if (cpus !== undefined) {
    const value = typeof cpus === 'number' ? cpus : typeof cpus === 'string' ? Number(cpus) : NaN;
    if (!Number.isFinite(value) || value <= 0) problems.error('cpus must be a number of CPUs such as "1.5"', section.where('cpus'));
    else docker.cpus = value;
  }
  docker.extraHosts = section.strings('extra_hosts') ?? [];
  docker.dns = section.strings('dns') ?? [];
  docker.capAdd = section.strings('cap_add') ?? [];
  docker.capDrop = section.strings('cap_drop') ?? [];
  const networkMode = section.string('network_mode');
  if (networkMode) docker.networkMode = networkMode;
  const helper = section.string('helper_image');
  if (helper) {
    runner.helperImage = helper;
    problems.warn('jobsim needs no helper image; helper_image is ignored', section.where('helper_image'));
  }
  config.services = services(section, problems);
}

function applyRunner(section: Section, config: RunnerConfig, problems: Problems): void {
  section.checkKeys(IMPLEMENTED_RUNNER_KEYS, WARNED_RUNNER_KEYS, IGNORED_RUNNER_KEYS);
  const buildsDir = section.string('builds_dir');
  if (buildsDir) {
    if (!buildsDir.startsWith('/')) problems.error('builds_dir must be an absolute path inside the container', section.where('builds_dir'));
    else config.runner.buildsDir = buildsDir.replace(/\/+$/, '') || '/';
  }
  const cacheDir = section.string('cache_dir');
  if (cacheDir) config.runner.cacheDir = cacheDir;
  for (const entry of section.strings('environment') ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) problems.error(`environment entry "${entry}" must look like KEY=value`, section.where('environment'));
    else config.environment.push({ key: entry.slice(0, eq), value: entry.slice(eq + 1) });
  }
}

export function parseRunnerConfig(text: string, file: string): RunnerConfig {
  let document: Table;
  try {
    document = parseToml(text) as Table;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      throw new InputError(`invalid TOML: ${reason}`, { file, line: error.line, col: error.column });
    }
    throw error;
  }
  const locate = new TomlLocator(text, file);
  const problems = new Problems();
  const config = defaultRunnerConfig();
  config.runner.file = file;

  const runners = document.runners;
  if (runners !== undefined) {
    if (!Array.isArray(runners) || !runners.every(isTable)) {
      throw new InputError('runners must be written as [[runners]] tables', locate.tableLocation('runners'));
    }
    const global = new Section(document, '', locate, problems);
    global.checkKeys(GLOBAL_KEYS, []);
    const [first] = runners;
    if (!first) throw new InputError('[[runners]] is empty', locate.tableLocation('runners'));
    if (runners.length > 1) {
      const name = typeof first.name === 'string' ? ` ("${first.name}")` : '';
      problems.warn(`config.toml defines ${runners.length} runners; jobsim uses the first${name}`, locate.tableLocation('runners'));
    }
    const { docker, ...runnerKeys } = first;
    applyRunner(new Section({ ...runnerKeys, ...(docker !== undefined ? { docker: true } : {}) }, 'runners', locate, problems), config, problems);
    if (docker !== undefined) {
      if (!isTable(docker)) problems.error('[runners.docker] must be a table', locate.tableLocation('runners.docker'));
      else applyDocker(new Section(docker, 'runners.docker', locate, problems), config, problems);
    }
  } else {
    // The bare form: the [runners.docker] keys (and builds_dir etc.) at the top level, or under [docker].
    const { docker, ...topKeys } = document;
    const runnerLevel: Table = {};
    const dockerLevel: Table = isTable(docker) ? { ...docker } : {};
    for (const [key, value] of Object.entries(topKeys)) {
      if ((IMPLEMENTED_RUNNER_KEYS as readonly string[]).includes(key) && key !== 'cache_dir') runnerLevel[key] = value;
      else dockerLevel[key] = value;
    }
    applyRunner(new Section(runnerLevel, '', locate, problems), config, problems);
    applyDocker(new Section(dockerLevel, isTable(docker) ? 'docker' : '', locate, problems), config, problems);
  }
  problems.throwIfAny();
  config.warnings = problems.warnings;
  return config;
}

export async function readRunnerConfig(path: string): Promise<RunnerConfig> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new InputError(`runner config ${path} does not exist or cannot be read`);
  }
  if (size > MAX_CONFIG_BYTES) throw new InputError(`runner config ${path} is ${Math.round(size / 1024 / 1024)} MB; jobsim reads at most 10 MB`);
  return parseRunnerConfig(await readFile(path, 'utf8'), path);
}
