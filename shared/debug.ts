// Debugging a failed job from inside: the jobs kept after a failure, shells into their containers (or
// into a live run's containers), and reruns of a past run with changes. Used by the CLI (`jobsim shell`,
// `jobsim kept`, `jobsim rerun`), both UI hosts and the API.

/** A failed job whose containers, services and network were kept for debugging (`--keep-on-failure`). */
export interface KeptJob {
  runId: string;
  job: string;
  /** `namespace/project`. */
  projectPath: string;
  /** The idle container a shell enters: the failed build's filesystem, working dir, variables, mounts and network. */
  container: string;
  /** Service containers still running beside it, by service name, with their aliases. */
  services: { name: string; aliases: string[] }[];
  network: string;
  keptAt: number;
  /** Last time a shell used it; the idle timeout counts from here. */
  lastUsedAt: number;
  /** When it is removed unless used again (epoch ms). */
  expiresAt: number;
  /** The script line that failed, as the job log showed it (`$ make test`), when known. */
  failedCommand?: string;
  exitCode?: number;
}

/** How long a kept job stays when nobody uses it. */
export const KEPT_IDLE_MS = 30 * 60 * 1000;

/** Which container a shell enters. */
export interface ShellTarget {
  /** A run id, or `last` for the newest stored run. */
  runId: string;
  job: string;
  /** A service of that job; the build container (kept, or live while the job runs) when absent. */
  service?: string;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** What a shell session sends back, in order: `opened` once, `data` many times, then `exit` or `error`. */
export type ShellOutput =
  | { kind: 'opened'; shellId: string; banner: string; container: string }
  | { kind: 'data'; data: string }
  | { kind: 'exit'; code: number }
  | { kind: 'error'; message: string };

/** The page's end of an interactive shell. */
export interface ShellSession {
  /** Keystrokes, as the terminal produced them. */
  write(data: string): void;
  resize(size: TerminalSize): void;
  /** Ends the shell (its process is killed if still running). */
  close(): void;
}

/** Rerun one job of a past run, or all of its failed jobs, with changes. */
export interface RerunRequest {
  /** The past run (or `last`). */
  runId: string;
  /** One job to rerun; absent with `onlyFailed`. */
  job?: string;
  /** Rerun every failed job; the successful jobs are not run again and their artifacts are reused. */
  onlyFailed?: boolean;
  /** `pinned` (default): the exact image digests the past run used; `latest`: resolve the tags again. */
  images?: 'pinned' | 'latest';
  /** Variables to add or change (plain). */
  variables?: Record<string, string>;
  /** Masked variables to add or change; never stored. */
  secrets?: Record<string, string>;
  /** Replaces the job's `script` (one command per entry); only with `job`. */
  script?: string[];
  /** Start from the kept container's filesystem (a commit of it) instead of the job's image; only with `job`. */
  fromKept?: boolean;
  /** Keep a job that fails again for a shell; as the past run did when absent. */
  keepOnFailure?: boolean;
}
