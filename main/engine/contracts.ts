// The seams between the engine's parts. The pipeline scheduler (pipeline.ts) calls runJob() for each job;
// runJob calls the image resolver (pull/) and the cache module (cache/). Each side may be changed freely
// behind these signatures; change a signature only together with its callers.

import type { DockerHandle } from '../docker/client.js';
import type { EmitFn, FailureReason, JobStatus } from '../../shared/events.js';
import type { ImagePlan, JobPlan, PipelinePlan, PoolRules } from '../../shared/plan.js';
import type { ScriptContainer } from '../docker/script-container.js';
import type { StartedServices } from './services/start.js';
import type { CommandWatcher } from './job-run/command-watcher.js';
import type { JobLog } from './job-run/job-log.js';
import type { JobObjects } from './job-run/resources.js';

/** Everything one run shares. Created by the run launcher, read by every stage. */
export interface RunContext {
  runId: string;
  plan: PipelinePlan;
  docker: DockerHandle;
  /** Stamps runId/time, masks secrets in every string field, stores to history, fans out to listeners. */
  emit: EmitFn;
  /** Aborted on cancel (Ctrl-C, UI). Stages must stop promptly and still clean up. */
  signal: AbortSignal;
  /** Aborted on a second Ctrl-C / force kill: stop containers at once (no grace period), still clean up. */
  killSignal?: AbortSignal;
  /** Values of masked variables, for code that must mask text before it leaves the engine. */
  secrets: readonly string[];
  /** Host folder where this run keeps artifacts and other per-run files (inside the history dir). */
  runDir: string;
  /** Settings that change behaviour for the whole run. */
  options: {
    /** Keep a failed job's containers for `jobsim shell` (the debug issue). */
    keepOnFailure: boolean;
    /** Digests to pin images to, keyed by normalised reference (from a previous run). */
    pinnedDigests?: Record<string, string>;
    /** `--registry-mirror HOST[:PORT]`: Docker Hub images named without a registry are pulled from here. */
    registryMirror?: string;
    /** `--docker-config DIR`: the Docker config dir for registry credentials (else $DOCKER_CONFIG, ~/.docker). */
    dockerConfigDir?: string;
    /** Worker-pool rules (e.g. the built-in `public` pool): which registries and private images are allowed. */
    pool?: PoolRules;
  };
}

export interface JobOutcome {
  state: Extract<JobStatus, 'success' | 'failed' | 'canceled'>;
  exitCode?: number;
  reason?: FailureReason;
  /** Host folder holding the artifacts this job uploaded, when it collected any. */
  artifactsDir?: string;
}

/** Produced by the engine for a job; consumed by later jobs that depend on it. */
export interface JobRecord {
  job: JobPlan;
  outcome: JobOutcome;
  /** Host folder holding this job's uploaded artifacts, if any were collected. */
  artifactsDir?: string;
}

/** Runs one job through prepare, pre-build, build and post-build. Emits job-scoped events. */
export type RunJobFn = (job: JobPlan, run: RunContext, upstream: JobRecord[]) => Promise<JobOutcome>;

/** What the build container needs to know about its image after it has been made available. */
export interface ResolvedImage {
  /** The image ID (sha256:…) to create the container from. */
  imageId: string;
  /** Repo digest used, when known (recorded for `--pin`). */
  digest?: string;
  entrypoint: string[] | null;
  cmd: string[] | null;
  /** TCP ports from EXPOSE, ascending. */
  exposedTcpPorts: number[];
  user?: string;
  workingDir?: string;
}

export interface ImageRequest {
  job: string;
  /** `build` for the job container, else the service name. */
  container: string;
  image: ImagePlan;
}

/**
 * Makes an image available according to its pull policies and emits one `pull` event per attempt
 * (plus `pull-progress` and runner `log` lines in GitLab's wording). Throws InputError for refusals
 * (allowed_images, allowed_pull_policies) and a PullError when no policy succeeds.
 */
export type ResolveImageFn = (request: ImageRequest, run: RunContext) => Promise<ResolvedImage>;

/** The per-job places the stages share. Created in prepare, removed at cleanup. */
export interface JobWorkspace {
  /** The job's own network (GitLab's FF_NETWORK_PER_BUILD): the build, its services and probes join it. */
  network: string;
  /** Named volume mounted at the builds dir (e.g. /builds) in the build and service containers. */
  buildsVolume: string;
  /** That volume as a mount at the runner's builds dir, for every container of the job. */
  buildsMount: ContainerMount;
  /** Project directory inside containers, e.g. /builds/group/project. */
  projectDir: string;
  /** The job's resolved image; stages that need a short-lived container may reuse it (no helper image). */
  image: ResolvedImage;
  /** Labels every Docker object of this job must carry (see docker/resource-labels.ts). */
  labels: Record<string, string>;
}

/**
 * One job while it runs: what every stage of it reads and adds to. Created by runJob (createJobContext);
 * prepare fills in the workspace, pre-build the caches and the build container.
 */
export interface JobContext {
  job: JobPlan;
  run: RunContext;
  /** The runner's lines in this job's log. */
  log: JobLog;
  /** Names and records every Docker object of this job; the only source of its `resource` events. */
  objects: JobObjects;
  workspace?: JobWorkspace;
  services?: StartedServices;
  caches?: PreparedCaches;
  build?: ScriptContainer;
  /** Cache and runner-volume mounts, shared by the build, after_script and kept containers. */
  extraMounts: ContainerMount[];
  /** The last `$ command` of the build script: the failed command of a kept job. */
  commands: CommandWatcher;
}

/** A job past the start of prepare: its network and builds volume exist. */
export type PreparedJob = JobContext & { workspace: JobWorkspace };

export interface ContainerMount {
  type: 'volume' | 'bind';
  source: string;
  target: string;
  readOnly: boolean;
}

/** The caches of one job, restored before the build and saved after it. Their temporary volumes are in the job's object record. */
export interface PreparedCaches {
  /** Mounts to add to the build containers. */
  mounts: ContainerMount[];
  /** Shell lines run in the build container before before_script (e.g. to copy a pull-only cache into place). */
  restoreScript: string[];
  /** Called once after after_script; saves according to each cache's policy and `when`. Emits `cache` events. */
  save(outcome: JobOutcome): Promise<void>;
}

/** Looks up / creates the cache volumes for a job and emits `cache` events for restores and skips. */
export type PrepareCachesFn = (job: PreparedJob) => Promise<PreparedCaches>;
