// The one event vocabulary that describes a run. The engine emits these; `jobsim run --json` prints them
// as NDJSON; the desktop UI, the browser UI and the stored run history all consume exactly these.
// Documented for users in docs/events.md. Add fields rather than inventing a second vocabulary.

import type { JobBlock, PullPolicy, PullPolicySource } from './plan.js';

export type StageName = 'prepare' | 'pre-build' | 'build' | 'post-build';
export const STAGE_NAMES: readonly StageName[] = ['prepare', 'pre-build', 'build', 'post-build'];

export type JobStatus = 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'manual';
export type RunStatus = 'success' | 'failed' | 'canceled';

/** Why a job ended the way it did, precise enough to act on. */
export type FailureReason =
  | { kind: 'script'; exitCode: number }
  | { kind: 'image-not-found'; image: string }
  | { kind: 'pull-failed'; image: string }
  | { kind: 'not-allowed'; image: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'canceled' }
  /** `how` is absent in runs stored before it existed. */
  | { kind: 'daemon-lost'; how?: 'stopped-answering' | 'went-away' }
  | { kind: 'needs-failed'; job: string }
  /** Skipped: jobsim cannot run this job here (JobPlan.blocked); `message` says why. */
  | { kind: 'blocked'; block: JobBlock['kind']; message: string }
  | { kind: 'config'; message: string }
  | { kind: 'internal'; message: string };

interface EventBase {
  runId: string;
  /** Epoch milliseconds. */
  time: number;
}

export interface RunStartedEvent extends EventBase {
  type: 'run';
  state: 'started';
  projectDir: string;
  projectPath: string;
  file: string;
  /** Jobs selected for this run, in file order, with their stage (so a replay can draw the graph). */
  jobs: { name: string; stage: string; needs: string[] | null; when: string }[];
  stages: string[];
}

export interface RunFinishedEvent extends EventBase {
  type: 'run';
  state: 'finished';
  status: RunStatus;
  durationMs: number;
}

export interface JobEvent extends EventBase {
  type: 'job';
  job: string;
  state: JobStatus;
  exitCode?: number;
  reason?: FailureReason;
  /** A failed job that may fail (allow_failure) is reported failed with allowedToFail true. */
  allowedToFail?: boolean;
  durationMs?: number;
  /**
   * On `running`: the variables the build container gets, by name and source. Masked ones carry the
   * value `[MASKED]`; predefined `CI_*` values are left out (they differ every run).
   */
  variables?: { key: string; value: string; masked: boolean; source: string }[];
  /** A job that was not run again in a rerun: its result and artifacts come from this earlier run. */
  reusedFrom?: string;
}

export interface StageEvent extends EventBase {
  type: 'stage';
  job: string;
  stage: StageName;
  state: 'started' | 'finished';
  status?: 'success' | 'failed' | 'canceled' | 'skipped';
  durationMs?: number;
}

export type PullDecision = 'used-local' | 'pulled' | 'failed' | 'refused';

/** The rule that refused an image before any pull (decision `refused`). */
export type PullRefusalRule =
  /** The runner's allowed_images does not match the job's image. */
  | 'allowed-images'
  /** The runner's allowed_services does not match the service's image. */
  | 'allowed-services'
  /** None of the requested pull policies is in the runner's allowed_pull_policies. */
  | 'allowed-pull-policies'
  /** The worker pool does not allow the image's registry. */
  | 'pool-registry'
  /** The worker pool refuses images that need credentials. */
  | 'pool-private-image';

export interface PullEvent extends EventBase {
  type: 'pull';
  job: string;
  /** The container the image is for: `build` or the service name. */
  container: string;
  image: string;
  normalized: string;
  policies: PullPolicy[];
  policySource: PullPolicySource;
  allowedPolicies: PullPolicy[];
  /** The policies actually tried, in order: the requested ones the runner allows (empty when none is). */
  effectivePolicies: PullPolicy[];
  /** 1-based attempt number in the effective policy list. */
  attempt: number;
  policy: PullPolicy;
  decision: PullDecision;
  /** In plain words, e.g. `present locally and the policy is if-not-present`. */
  reason: string;
  /** For decision `refused`: the rule that refused the image. */
  refusedBy?: PullRefusalRule;
  localPresent: boolean;
  localDigest?: string;
  localCreated?: string;
  remoteDigest?: string;
  /** The image ID (sha256:…) the container will run. */
  imageId?: string;
  /** The repo digest used, when known. */
  digest?: string;
  durationMs?: number;
  bytes?: number;
}

export interface PullProgressEvent extends EventBase {
  type: 'pull-progress';
  job: string;
  image: string;
  layers: { id: string; status: string; current: number; total: number }[];
  current: number;
  total: number;
}

export type ServiceState = 'starting' | 'healthy' | 'unhealthy' | 'no-ports' | 'exited';

export interface ServiceEvent extends EventBase {
  type: 'service';
  job: string;
  name: string;
  image: string;
  aliases: string[];
  state: ServiceState;
  network?: string;
  /** Ports probed, lowest first. */
  ports?: number[];
  /** Milliseconds from start to healthy. */
  timeToHealthyMs?: number;
  /** The health error, for unhealthy. */
  detail?: string;
  /** Names of variables the service received; secrets are never among them. */
  variables?: string[];
  /** Names of secret variables that were withheld from the service. */
  withheld?: string[];
}

export type LogSource = 'runner' | 'build' | 'service';

export interface LogEvent extends EventBase {
  type: 'log';
  job: string;
  source: LogSource;
  service?: string;
  stream: 'stdout' | 'stderr';
  /** One line, without the trailing newline; may hold ANSI escapes and GitLab section markers. */
  text: string;
}

export type CacheAction = 'restored' | 'saved' | 'skipped' | 'not-found';

export interface CacheEvent extends EventBase {
  type: 'cache';
  job: string;
  key: string;
  volume: string;
  action: CacheAction;
  reason?: string;
  bytes?: number;
  files?: number;
  /** Who last wrote this cache, for "this job got a cache written by job X in run Y". */
  lastWriter?: { runId: string; job: string; time: number };
  /** The fallback key that matched, when the main key had no cache. */
  fallbackKey?: string;
}

export interface ArtifactEvent extends EventBase {
  type: 'artifact';
  job: string;
  action: 'uploaded' | 'downloaded' | 'skipped';
  /** For downloads: the job that produced them. */
  from?: string;
  files: number;
  bytes: number;
  reason?: string;
}

export type ResourceKind = 'container' | 'network' | 'volume';

/** Role prefix of the runner's short-lived helpers (cache probe and save, service wait): created and removed within a stage. */
export const HELPER_ROLE_PREFIX = 'helper:';

/** Docker objects the run created or removed, for the isolation view and for cleanup accounting. */
export interface ResourceEvent extends EventBase {
  type: 'resource';
  job: string;
  kind: ResourceKind;
  action: 'created' | 'removed' | 'kept';
  id: string;
  name: string;
  /** What the object is for: build, service:<name>, network, builds, cache:<key>, cache-scratch, kept, helper:<what>, … */
  role: string;
  detail?: {
    network?: string;
    aliases?: string[];
    mounts?: { source: string; target: string; readOnly: boolean; type: 'volume' | 'bind' | 'tmpfs' }[];
    privileged?: boolean;
    dockerSocket?: boolean;
    image?: string;
  };
}

/**
 * A failed job whose containers were kept for debugging (`--keep-on-failure`): `jobsim shell RUN/JOB`
 * enters `container`. Release happens after the run (Done, idle timeout, reaper): see `listKept`.
 */
export interface KeptEvent extends EventBase {
  type: 'kept';
  job: string;
  container: string;
  network: string;
  services: { name: string; aliases: string[] }[];
  expiresAt: number;
  failedCommand?: string;
  exitCode?: number;
}

export type RunEvent =
  | RunStartedEvent
  | RunFinishedEvent
  | JobEvent
  | StageEvent
  | PullEvent
  | PullProgressEvent
  | ServiceEvent
  | LogEvent
  | CacheEvent
  | ArtifactEvent
  | ResourceEvent
  | KeptEvent;

export type RunEventType = RunEvent['type'];

/** Distributes Omit over the union so each member keeps its own fields. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What engine code hands to an emitter; runId and time are stamped on by the run. */
export type RunEventInput = DistributiveOmit<RunEvent, 'runId' | 'time'>;

export type EmitFn = (event: RunEventInput) => void;
