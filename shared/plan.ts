// The typed plan of a pipeline: what main/parse/ produces from a user's CI files and runner config,
// and the only input the engine accepts. Everything here has already been checked; the engine trusts it.

import type { ImageRef } from './image-ref.js';
import type { EnvironmentPlan, ReportPlan, RetryPlan, TriggerPlan } from './job-keywords.js';

export * from './job-keywords.js';

/** Where something came from in the user's files, for messages like `file:line:col: message`. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export type PullPolicy = 'never' | 'if-not-present' | 'always';

/** Which file decided a pull policy list. GitLab names these in its allowed_pull_policies error. */
export type PullPolicySource = 'job-file' | 'runner-config' | 'default';

export interface PullPlan {
  /** Tried in order; later ones are fallbacks. Repeating a policy retries it. */
  policies: PullPolicy[];
  source: PullPolicySource;
  /** The runner's allowed_pull_policies; defaults to the runner's pull_policy. */
  allowed: PullPolicy[];
  allowedSource: 'runner-config' | 'default';
}

export interface ImagePlan {
  ref: ImageRef;
  /** undefined: keep the image's ENTRYPOINT; []: cleared (`entrypoint: [""]`); otherwise the override. */
  entrypoint?: string[];
  /** `image:docker:user` (the runner's `user` wins over it when both are set). */
  user?: string;
  pull: PullPlan;
  where?: SourceLocation;
}

export interface Variable {
  key: string;
  value: string;
  /** Masked (secret) variables go to the build container only and are replaced by [MASKED] in all output. */
  masked: boolean;
  source: 'predefined' | 'runner' | 'global' | 'job' | 'rules' | 'cli' | 'secret' | 'service';
}

export interface ServicePlan {
  /** The image name as written, e.g. `registry.example.com:4999/tutum/wordpress:latest`. */
  name: string;
  image: ImagePlan;
  /** Host names the build container can use: the two derived from the image, then the custom ones. */
  aliases: string[];
  /** Derived from the image name the way the runner does (`a__b`, `a-b`). */
  derivedAliases: string[];
  /** `alias:` from the job file (comma or space separated there). */
  customAliases: string[];
  entrypoint?: string[];
  command?: string[];
  /** The service's own `variables:` (added on top of the job's non-secret variables). */
  variables: Variable[];
  where?: SourceLocation;
}

export type CachePolicy = 'pull' | 'push' | 'pull-push';
export type CacheWhen = 'on_success' | 'on_failure' | 'always';

export type CacheKeySpec =
  | { kind: 'literal'; value: string }
  /** Hash of up to two files in the project (GitLab `cache:key:files`), optionally prefixed. */
  | { kind: 'files'; files: string[]; prefix?: string };

export interface CachePlan {
  key: CacheKeySpec;
  /** Globs relative to the project dir; checked at parse time never to escape it. */
  paths: string[];
  untracked: boolean;
  policy: CachePolicy;
  when: CacheWhen;
  fallbackKeys: string[];
  where?: SourceLocation;
}

export type ArtifactsWhen = 'on_success' | 'on_failure' | 'always';

export interface ArtifactsPlan {
  name?: string;
  paths: string[];
  exclude: string[];
  untracked: boolean;
  when: ArtifactsWhen;
  /** As written, e.g. `1 week`; parsed to milliseconds when valid. */
  expireIn?: string;
  expireInMs?: number;
  /** `artifacts:reports`, in written order (issue 16 reads them; today they are only planned). */
  reports?: ReportPlan[];
}

export interface NeedPlan {
  job: string;
  /** Whether this job downloads the needed job's artifacts (GitLab default true). */
  artifacts: boolean;
  optional: boolean;
}

/** `delayed`: starts `start_in` after its stage could start (see JobPlan.startInMs). */
export type JobWhen = 'on_success' | 'on_failure' | 'always' | 'manual' | 'delayed' | 'never';

/**
 * Why jobsim cannot run a job that GitLab itself would accept. The job is still listed and planned
 * with this reason; a run skips it with one line, and naming it alone exits 2 with the message.
 */
export type JobBlock =
  /** No `image:`, no runner image and no `--default-image`. */
  | { kind: 'needs-image'; message: string }
  /** Meant for a runner that is not Docker (Windows, macOS, shell): `runner` names it. */
  | { kind: 'needs-runner'; runner: string; tags: string[]; message: string }
  /** Something the job depends on cannot be read here (an unreachable include, an unset image variable...). */
  | { kind: 'broken'; message: string; where?: SourceLocation };

export type AllowFailure = boolean | { exitCodes: number[] };

/** A bind mount or a named/dynamic volume from the runner's `volumes`. */
export type VolumeSpec =
  | { kind: 'bind'; hostPath: string; containerPath: string; readOnly: boolean }
  /** `/path`: a persistent volume per project, named so a user can recognise it. */
  | { kind: 'dynamic'; containerPath: string };

/** Container settings, merged from the runner config (and `image:docker:user`). */
export interface ContainerSettings {
  privileged: boolean;
  user?: string;
  tmpfs: Record<string, string>;
  servicesTmpfs: Record<string, string>;
  memoryBytes?: number;
  /** Fractional CPUs, e.g. 1.5. */
  cpus?: number;
  shmSizeBytes?: number;
  capAdd: string[];
  capDrop: string[];
  extraHosts: string[];
  dns: string[];
  volumes: VolumeSpec[];
  networkMode?: string;
  /** `disable_entrypoint_overwrite`: ignore `image:entrypoint` overrides. */
  disableEntrypointOverwrite: boolean;
  /** Spacelift's behaviour: ignore the image's ENTRYPOINT and CMD entirely. */
  ignoreImageEntrypoint: boolean;
}

/** What started the simulated pipeline: GitLab's CI_PIPELINE_SOURCE values that a workstation can stand in for. */
export const PIPELINE_SOURCES = ['push', 'merge_request_event', 'schedule', 'web', 'api', 'trigger'] as const;
export type PipelineSource = (typeof PIPELINE_SOURCES)[number];

/**
 * The pipeline to simulate (`--ref`, `--tag`, `--source`, `--mr-target`); by default a push to the
 * checked-out branch. Rules, only/except and the predefined variables all follow it.
 */
export interface PipelineChoice {
  /** Branch name (default: the checked-out branch, else the default branch). */
  ref?: string;
  /** A tag pipeline for this tag (instead of a branch). */
  tag?: string;
  source?: PipelineSource;
  /** A merge request pipeline from the branch into this one (implies source merge_request_event). */
  mrTarget?: string;
  /** What `rules:changes` and `only:changes` compare with (`--compare-to`); default: the MR target or the default branch. */
  compareTo?: string;
}

/** One of the jobs a `parallel:` job became (`test 2/3`, `test: [ruby, 3.2]`). */
export interface ParallelInstance {
  /** The job as written, which the instances are grouped under. */
  job: string;
  /** 1-based (CI_NODE_INDEX). */
  index: number;
  total: number;
  /** `parallel:matrix` values of this instance, in written order. */
  matrix: { key: string; value: string }[];
}

export interface JobPlan {
  name: string;
  /** Set when the job is one instance of a `parallel:` job. */
  parallel?: ParallelInstance;
  /** Why the job is not in this pipeline (`when: never`), when `only`/`except` left it out. */
  excludedBy?: string;
  /** Set when jobsim cannot run this job although GitLab would accept it (see JobBlock). */
  blocked?: JobBlock;
  stage: string;
  /** Position of `stage` in the pipeline's stage list. */
  stageIndex: number;
  image: ImagePlan;
  services: ServicePlan[];
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  /** Every variable the build container receives, expanded, predefined CI_* included. */
  variables: Variable[];
  caches: CachePlan[];
  artifacts?: ArtifactsPlan;
  /** null: the job has no `needs:` and waits for all earlier stages. []: starts at once. */
  needs: NeedPlan[] | null;
  /** null: no `dependencies:` (artifacts from all earlier-stage jobs / needs). */
  dependencies: string[] | null;
  when: JobWhen;
  /** `start_in` of a `when: delayed` job (job-level, or from the matching rule). */
  startInMs?: number;
  allowFailure: AllowFailure;
  timeoutMs: number;
  /** `retry` (job or `default:`); absent: a failed job is not retried. */
  retry?: RetryPlan;
  /** `interruptible` (job, `default:` or the matching rule's `interruptible`). */
  interruptible?: boolean;
  /** `tags`, flattened, variables expanded: the runners GitLab would pick from. */
  tags?: string[];
  /** `environment` the job deploys to. */
  environment?: EnvironmentPlan;
  /** `coverage`: the regular expression that finds the coverage value in the log, as written (`/.../`). */
  coverage?: string;
  /** `resource_group`, expanded: jobs of one group never run at the same time. */
  resourceGroup?: string;
  /** Set on a trigger job: it starts a downstream pipeline, it has no script and no container. */
  trigger?: TriggerPlan;
  /** Directory of the project inside the containers, e.g. /builds/group/project. */
  projectDirInContainer: string;
  docker: ContainerSettings;
  where: SourceLocation;
}

export interface RunnerPlan {
  /** The runner config file, when one was read. */
  file?: string;
  /** The runner's default image when a job has none. */
  defaultImage?: string;
  buildsDir: string;
  /** Host folder for caches instead of volumes, when set. */
  cacheDir?: string;
  disableCache: boolean;
  /** Seconds; -1 disables the wait. */
  waitForServicesTimeoutSec: number;
  allowedImages: string[];
  allowedServices: string[];
  pullPolicy: PullPolicy[];
  allowedPullPolicies: PullPolicy[];
  /** Accepted for compatibility; jobsim needs no helper image. */
  helperImage?: string;
}

/** A worker pool's rules (`--pool`): which registries its workers may pull from, and private images. */
export interface PoolRules {
  name: string;
  /** Registry host globs (`*` matches within a host, e.g. `*.azurecr.io`). Empty: any registry. */
  registries: string[];
  /** Refuse images that need credentials: a shared worker's image cache would expose them to other tenants. */
  refusePrivateImages: boolean;
  /** Workers run jobs of several tenants (warn about `if-not-present` with private images). */
  shared: boolean;
}

export interface ParseWarning {
  message: string;
  where?: SourceLocation;
}

/** `workflow:auto_cancel` (or the matching workflow rule's `auto_cancel`). */
export interface AutoCancelPlan {
  onNewCommit?: 'conservative' | 'interruptible' | 'none';
  onJobFailure?: 'none' | 'all';
}

export interface PipelinePlan {
  /** `workflow:name`, variables expanded. */
  name?: string;
  autoCancel?: AutoCancelPlan;
  /** Absolute path of the project folder on the host. */
  projectDir: string;
  /** `namespace/project`, from the origin remote or the folder name. */
  projectPath: string;
  /** The CI file that was read (.gitlab-ci.yml or .alloy-ci.json). */
  file: string;
  format: 'gitlab-ci' | 'alloy-ci';
  stages: string[];
  /** In file order. */
  jobs: JobPlan[];
  runner: RunnerPlan;
  warnings: ParseWarning[];
}
