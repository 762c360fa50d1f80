// The one API both hosts implement: the Electron shell (IPC through the preload) and `jobsim serve`
// (one WebSocket). The renderer talks only to this interface, whichever host it runs in.

import type { RunComparison } from './compare.js';
import type { KeptJob, RerunRequest, ShellOutput, ShellSession, ShellTarget, TerminalSize } from './debug.js';
import type { CacheClearRequest, CacheClearResult, CacheTreeNode, CacheVolumeInfo } from './cache-api.js';
import type { RunEvent, RunStatus } from './events.js';
import type { LintProfileName, LintReport } from './image-lint.js';
import type { PipelineChoice, PipelinePlan, SourceLocation } from './plan.js';
import type { ServerChoice } from './server-choice.js';

/** An input error with where it happened, shown to users as `file:line:col: message`. */
export interface InputProblem {
  message: string;
  where?: SourceLocation;
}

export type ProjectResult =
  | { ok: true; plan: PipelinePlan }
  | { ok: false; problems: InputProblem[] };

export interface RunRequest {
  projectDir: string;
  /** CI file relative to projectDir; default discovery when absent. */
  file?: string;
  runnerConfig?: string;
  /** Run only these jobs (with `withNeeds`, also what they need); all jobs when absent. */
  jobs?: string[];
  withNeeds?: boolean;
  /** Plain variables (`--var K=V`). */
  variables?: Record<string, string>;
  /** Masked variables (`--secret K=V`); never echoed back, never stored. */
  secrets?: Record<string, string>;
  concurrency?: number;
  /** The pipeline to simulate (ref, tag, source, merge request target); a push to the checked-out branch by default. */
  pipeline?: PipelineChoice;
  /** Server URL, project path, default branch, registry, when the origin remote does not say them. */
  server?: ServerChoice;
  /** Keep a failed job's build container (idle), services and network for a shell; the desktop app turns it on. */
  keepOnFailure?: boolean;
  /** `--default-image REF`: for jobs without an image, and to run a named job written for another runner. */
  defaultImage?: string;
}

export interface RunSummary {
  runId: string;
  projectDir: string;
  projectPath: string;
  status: RunStatus | 'running' | 'interrupted';
  startedAt: number;
  durationMs?: number;
  jobs: { name: string; state: string }[];
}

/** How jobsim chose the engine. `option`: `--engine ADDRESS` (a context named with `--context` reports
 * `context`); `podman`: no Docker engine answered at the default socket, a Podman socket did. */
export type EndpointSource = 'option' | 'DOCKER_HOST' | 'context' | 'default' | 'podman';

/** An engine jobsim can see besides the one it uses (other contexts, the default socket, Podman's). */
export interface EngineSighting {
  address: string;
  /** Where jobsim found it: `context` (with its name), `default` socket, `podman` socket. */
  found: 'context' | 'default' | 'podman';
  context?: string;
  reachable: boolean;
  kind?: 'docker' | 'podman';
  version?: string;
  apiVersion?: string;
  os?: string;
  error?: string;
}

export interface DoctorReport {
  endpoint: { source: EndpointSource; address: string; context?: string };
  reachable: boolean;
  kind?: 'docker' | 'podman';
  version?: string;
  apiVersion?: string;
  os?: string;
  error?: string;
  /** What to do next when the engine does not answer. */
  advice?: string;
  /** Every other engine jobsim could see, and whether each answers. */
  others?: EngineSighting[];
}

export type Unsubscribe = () => void;

export interface JobsimApi {
  /** Parse a project folder into its plan (for the pipeline chosen, a push by default), or the problems that stop it. */
  openProject(projectDir: string, file?: string, runnerConfig?: string, pipeline?: PipelineChoice): Promise<ProjectResult>;
  /** Start a run; events follow through subscribe(). */
  startRun(request: RunRequest): Promise<{ runId: string }>;
  cancelRun(runId: string): Promise<void>;
  /**
   * Events of a run in batches: first everything so far (replayed from history for a finished run),
   * then live ones until the run finishes.
   */
  subscribe(runId: string, onEvents: (events: RunEvent[]) => void): Unsubscribe;
  listRuns(): Promise<RunSummary[]>;
  doctor(): Promise<DoctorReport>;
  /** Cache volumes (of one project, `namespace/project`, when given): size, files, last writer, last use. */
  listCaches(project?: string): Promise<CacheVolumeInfo[]>;
  /** The directory tree of one cache, with sizes; symlinks shown, never followed. */
  inspectCache(volume: string, path?: string): Promise<CacheTreeNode>;
  clearCaches(request: CacheClearRequest): Promise<CacheClearResult>;
  /** Checks an image against a runner platform's rules (shell, ps, user, entrypoint, architecture, age). */
  lintImage(image: string, profile?: LintProfileName): Promise<LintReport>;
  /**
   * Saves secrets to the project's `.jobsim/secrets.env` (kept out of git by a `.gitignore` there), for
   * the next runs; without this they live only as long as the session.
   */
  saveSecrets(projectDir: string, secrets: Record<string, string>): Promise<{ file: string }>;
  /** Compares two stored runs (only `job`, when given): status, exit codes, stage durations, images, variables, caches, log. */
  compareRuns(runA: string, runB: string, job?: string): Promise<RunComparison>;
  /** Failed jobs kept for debugging, newest first; expired ones are removed first. */
  listKept(): Promise<KeptJob[]>;
  /** "Done": removes a kept job's containers, services, network and volumes. */
  releaseKept(runId: string, job: string): Promise<void>;
  /** Reruns a past run's job (or its failed jobs) with changes; events follow through subscribe(). */
  rerun(request: RerunRequest): Promise<{ runId: string }>;
  /**
   * An interactive shell (a TTY) in a kept job's container, or in a running job's build or service
   * container. Output arrives through `onOutput`, starting with `opened` (or `error`).
   */
  openShell(target: ShellTarget, size: TerminalSize, onOutput: (output: ShellOutput) => void): ShellSession;
}

/** The operations that stream (events, a shell's output); every other method is one request and its answer. */
export type StreamMethod = 'subscribe' | 'openShell';
/** The request/response operations. Their argument checks in wire.ts are the one table of methods. */
export type CallMethod = Exclude<keyof JobsimApi, StreamMethod>;

/** What the desktop menu asks the page to do. */
export type MenuAction = 'open-folder' | 'run' | 'cancel' | 'find';

/** What the desktop preload adds on top of the API. */
export interface DesktopExtras {
  pickFolder(): Promise<string | null>;
  onMenu(listener: (action: MenuAction) => void): () => void;
}
