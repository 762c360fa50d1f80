// The runner's own lines in a job log, in GitLab Runner's wording, with the collapsible section
// markers GitLab's UI (and ours) folds: `\e[0Ksection_start:<unix>:<name>\r\e[0K<header>`.

import type { StageName } from '../../../shared/events.js';
import type { RunContext } from '../contracts.js';

const CYAN = '\x1b[36;1m';
const GREEN = '\x1b[32;1m';
const RED = '\x1b[31;1m';
const YELLOW = '\x1b[0;33m';
const RESET = '\x1b[0;m';

/**
 * The one way a runner line enters a job's log. Warnings and errors go to stderr, as GitLab Runner
 * prints them, whichever stage wrote them.
 */
export function runnerLine(run: RunContext, job: string, text: string): void {
  const stream = /^(?:\x1b\[[0-9;]*m)?(?:\*\*\* )?(?:WARNING|ERROR)\b/.test(text) ? 'stderr' : 'stdout';
  run.emit({ type: 'log', job, source: 'runner', stream, text });
}

export class JobLog {
  constructor(private readonly run: RunContext, private readonly job: string) {}

  line(text: string): void {
    runnerLine(this.run, this.job, text);
  }

  info(text: string): void {
    this.line(text);
  }

  success(text: string): void {
    this.line(`${GREEN}${text}${RESET}`);
  }

  warning(text: string): void {
    this.line(`${YELLOW}WARNING: ${text}${RESET}`);
  }

  error(text: string): void {
    this.line(`${RED}ERROR: ${text}${RESET}`);
  }

  /** Runs `body` inside a named, collapsible section of the log. */
  async section<T>(name: string, header: string, body: () => Promise<T>): Promise<T> {
    this.line(`\x1b[0Ksection_start:${Math.floor(Date.now() / 1000)}:${name}\r\x1b[0K${CYAN}${header}${RESET}`);
    try {
      return await body();
    } finally {
      this.line(`\x1b[0Ksection_end:${Math.floor(Date.now() / 1000)}:${name}\r\x1b[0K`);
    }
  }
}

/** Emits `stage` started/finished events around one of the four stages. */
export async function inStage<T>(run: RunContext, job: string, stage: StageName, body: () => Promise<T>, statusOf: (result: T) => 'success' | 'failed' | 'canceled' = () => 'success'): Promise<T> {
  const started = Date.now();
  run.emit({ type: 'stage', job, stage, state: 'started' });
  try {
    const result = await body();
    run.emit({ type: 'stage', job, stage, state: 'finished', status: statusOf(result), durationMs: Date.now() - started });
    return result;
  } catch (error) {
    run.emit({ type: 'stage', job, stage, state: 'finished', status: run.signal.aborted ? 'canceled' : 'failed', durationMs: Date.now() - started });
    throw error;
  }
}
