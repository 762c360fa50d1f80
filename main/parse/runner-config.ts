// The runner's config.toml ([[runners]] with [runners.docker], or those keys bare) → the settings
// every job of a run shares. GitLab Runner's defaults apply where a key is absent.

import { readFile, stat } from 'node:fs/promises';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { ContainerSettings, ParseWarning, RunnerPlan } from '../../shared/plan.js';
import { InputError } from '../errors.js';
import { parseByteSize } from './byte-size.js';
import { Problems } from './problems.js';
import { GLOBAL_KEYS, IGNORED_RUNNER_KEYS, IMPLEMENTED_DOCKER_KEYS, IMPLEMENTED_RUNNER_KEYS, WARNED_DOCKER_KEYS, WARNED_RUNNER_KEYS } from './runner-keys.js';
import { isTable, Section, type Table } from './runner-section.js';
import { dnsServers, extraHosts, pullPolicies, referenceProblem, services, volumes, type RunnerService } from './runner-values.js';
import { TomlLocator } from './toml-locator.js';

export interface RunnerConfig {
  runner: RunnerPlan;
  docker: ContainerSettings;
  /** `environment = ["K=V"]` → variables every job gets (source 'runner'). */
  environment: { key: string; value: string }[];
  /** Services every job gets, from [runners.docker] services. */
  services: RunnerService[];
  warnings: ParseWarning[];
}

const MAX_CONFIG_BYTES = 10 * 1024 * 1024;
const DEFAULT_WAIT_FOR_SERVICES_SEC = 30;
const RUNNER_LEVEL_KEYS: readonly string[] = [...IMPLEMENTED_RUNNER_KEYS, ...IGNORED_RUNNER_KEYS, ...WARNED_RUNNER_KEYS];
/** Docker refuses a memory limit below 6 MB. */
const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

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

function applyDocker(section: Section, config: RunnerConfig): void {
  section.checkKeys(IMPLEMENTED_DOCKER_KEYS, WARNED_DOCKER_KEYS);
  const { runner, docker } = config;
  const { problems } = section;
  const image = section.string('image');
  if (image) {
    runner.defaultImage = image;
    const problem = referenceProblem(image);
    if (problem) problems.error(problem, section.where('image'));
  }
  docker.privileged = section.boolean('privileged') ?? docker.privileged;
  const pull = pullPolicies(section, 'pull_policy');
  if (pull) runner.pullPolicy = pull;
  runner.allowedPullPolicies = pullPolicies(section, 'allowed_pull_policies') ?? runner.pullPolicy;
  runner.allowedImages = section.strings('allowed_images') ?? [];
  runner.allowedServices = section.strings('allowed_services') ?? [];
  docker.volumes = volumes(section);
  docker.tmpfs = section.stringTable('tmpfs') ?? {};
  docker.servicesTmpfs = section.stringTable('services_tmpfs') ?? {};
  const cacheDir = section.string('cache_dir');
  if (cacheDir) runner.cacheDir = cacheDir;
  runner.disableCache = section.boolean('disable_cache') ?? false;
  // As the runner: 0 (or absent) means the default, any negative value disables the wait.
  const wait = section.integer('wait_for_services_timeout') ?? 0;
  runner.waitForServicesTimeoutSec = wait === 0 ? DEFAULT_WAIT_FOR_SERVICES_SEC : wait < 0 ? -1 : wait;
  docker.disableEntrypointOverwrite = section.boolean('disable_entrypoint_overwrite') ?? false;
  docker.ignoreImageEntrypoint = section.boolean('ignore_image_entrypoint') ?? false;
  const user = section.string('user');
  if (user) docker.user = user;
  for (const [key, field] of [['memory', 'memoryBytes'], ['shm_size', 'shmSizeBytes']] as const) {
    const raw = section.raw(key);
    if (raw === undefined) continue;
    const bytes = typeof raw === 'string' || typeof raw === 'number' ? parseByteSize(raw) : undefined;
    if (bytes === undefined) problems.error(`${key} must be a size such as "512m" or "2g" (or a number of bytes)`, section.where(key));
    else if (key === 'memory' && bytes > 0 && bytes < MIN_MEMORY_BYTES) problems.error(`memory must be at least 6m (Docker's minimum); got "${String(raw)}"`, section.where(key));
    else if (bytes > 0) docker[field] = bytes;
  }
  const cpus = section.raw('cpus');
  if (cpus !== undefined) {
    const value = typeof cpus === 'number' ? cpus : typeof cpus === 'string' && /^\s*\d*\.?\d+\s*$/.test(cpus) ? Number(cpus) : NaN;
    if (!Number.isFinite(value) || value <= 0) problems.error('cpus must be a number of CPUs such as "1.5"', section.where('cpus'));
    else docker.cpus = value;
  }
  docker.extraHosts = extraHosts(section);
  docker.dns = dnsServers(section);
  docker.capAdd = section.strings('cap_add') ?? [];
  docker.capDrop = section.strings('cap_drop') ?? [];
  const networkMode = section.string('network_mode');
  if (networkMode) docker.networkMode = networkMode;
  const helper = section.string('helper_image');
  if (helper) {
    runner.helperImage = helper;
    problems.warn('jobsim needs no helper image; helper_image is ignored', section.where('helper_image'));
  }
  config.services = services(section);
}

function applyRunner(section: Section, config: RunnerConfig): void {
  section.checkKeys(IMPLEMENTED_RUNNER_KEYS, WARNED_RUNNER_KEYS, IGNORED_RUNNER_KEYS);
  const { problems } = section;
  const executor = section.raw('executor');
  if (typeof executor === 'string' && executor !== 'docker') {
    problems.warn(`this runner uses executor "${executor}"; jobsim reproduces the docker executor and reads only its settings`, section.where('executor'));
  }
  const buildsDir = section.string('builds_dir');
  if (buildsDir) {
    if (!buildsDir.startsWith('/')) problems.error('builds_dir must be an absolute path inside the container', section.where('builds_dir'));
    else config.runner.buildsDir = buildsDir.replace(/\/+$/, '') || '/';
  }
  const cacheDir = section.string('cache_dir');
  if (cacheDir) config.runner.cacheDir = cacheDir;
  for (const entry of section.strings('environment') ?? []) {
    const eq = entry.indexOf('=');
    // Only the name is quoted: the value may be a secret.
    if (eq <= 0) problems.error(`environment entry "${entry}" must look like KEY=value`, section.where('environment'));
    else config.environment.push({ key: entry.slice(0, eq), value: entry.slice(eq + 1) });
  }
}

function parseTomlDocument(text: string, file: string): Table {
  try {
    return parseToml(text) as Table;
  } catch (error) {
    if (error instanceof TomlError) {
      let reason = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      // smol-toml reports an unclosed string as a control character (the line break) inside it.
      const lineText = text.split(/\r?\n/)[error.line - 1] ?? '';
      if (reason.includes('control characters') && error.column > lineText.trimEnd().length) reason = 'the string is not closed before the end of the line';
      throw new InputError(`invalid TOML: ${reason}`, { file, line: error.line, col: error.column });
    }
    throw error;
  }
}

/** `[[runners]]` (GitLab's form; the first runner is used) or a single `[runners]` table. */
function readRunners(document: Table, locate: TomlLocator, problems: Problems): Table {
  const runners = document.runners;
  const list = isTable(runners) ? [runners] : runners;
  if (!Array.isArray(list) || !list.every(isTable)) throw new InputError('runners must be written as [[runners]] tables', locate.tableLocation('runners'));
  const [first] = list;
  if (!first) throw new InputError('[[runners]] is empty', locate.tableLocation('runners'));
  if (list.length > 1) {
    const name = typeof first.name === 'string' ? ` ("${first.name}")` : '';
    problems.warn(`config.toml defines ${list.length} runners; jobsim uses the first${name}`, locate.tableLocation('runners'));
  }
  return first;
}

export function parseRunnerConfig(text: string, file: string): RunnerConfig {
  const document = parseTomlDocument(text, file);
  const locate = new TomlLocator(text, file);
  const problems = new Problems();
  const config = defaultRunnerConfig();
  config.runner.file = file;
  // A config.toml exists: GitLab's rule applies, allowed_pull_policies defaults to pull_policy.
  config.runner.allowedPullPolicies = config.runner.pullPolicy;

  if (document.runners !== undefined) {
    new Section(document, '', locate, problems).checkKeys(GLOBAL_KEYS, []);
    const { docker, ...runnerKeys } = readRunners(document, locate, problems);
    applyRunner(new Section({ ...runnerKeys, ...(docker !== undefined ? { docker: true } : {}) }, 'runners', locate, problems), config);
    if (docker === undefined) applyDocker(new Section({}, 'runners.docker', locate, problems), config);
    else if (!isTable(docker)) problems.error('[runners.docker] must be a table', locate.keyLocation('docker', 'runners'));
    else applyDocker(new Section(docker, 'runners.docker', locate, problems), config);
  } else {
    // The bare form: the [runners.docker] keys (and builds_dir etc.) at the top level, or under [docker].
    const { docker, ...topKeys } = document;
    const runnerLevel: Table = {};
    const dockerLevel: Table = isTable(docker) ? { ...docker } : {};
    for (const [key, value] of Object.entries(topKeys)) {
      if ((GLOBAL_KEYS as readonly string[]).includes(key)) continue;
      if (key !== 'cache_dir' && RUNNER_LEVEL_KEYS.includes(key)) runnerLevel[key] = value;
      else dockerLevel[key] = value;
    }
    if (docker !== undefined && !isTable(docker)) problems.error('[docker] must be a table', locate.keyLocation('docker'));
    applyRunner(new Section(runnerLevel, '', locate, problems), config);
    applyDocker(new Section(dockerLevel, isTable(docker) ? 'docker' : '', locate, problems), config);
  }
  problems.throwIfAny();
  config.warnings = problems.warnings;
  return config;
}

export async function readRunnerConfig(path: string): Promise<RunnerConfig> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError(`runner config ${path} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`runner config ${path} does not exist or cannot be read`);
  }
  if (size > MAX_CONFIG_BYTES) throw new InputError(`runner config ${path} is ${(size / 1024 / 1024).toFixed(1)} MB; jobsim reads at most 10 MB`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`runner config ${path} cannot be read (check its permissions)`);
  }
  return parseRunnerConfig(text, path);
}
