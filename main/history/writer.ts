// Stores one run while it happens: events appended to events.ndjson in batches, and summary.json kept
// current (written at start, on each job state change and at the end). Events reaching this writer are
// already masked by the run's emitter.

import { mkdirSync, writeFileSync } from 'node:fs';
import { appendFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../../shared/api.js';
import type { RunEvent } from '../../shared/events.js';
import { EVENTS_FILE, SUMMARY_FILE } from './paths.js';

/** summary.json on disk: the RunSummary plus who owns the run, so a dead owner reads as `interrupted`. */
export interface StoredSummary extends RunSummary {
  owner: { pid: number; host: string };
}

const FLUSH_AFTER_MS = 100;
const FLUSH_AFTER_LINES = 500;

export class RunHistoryWriter {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly summary: StoredSummary;
  private summaryDirty = false;
  private failed = false;

  constructor(
    private readonly dir: string,
    start: Omit<RunSummary, 'status' | 'jobs'> & { jobs: string[] },
  ) {
    mkdirSync(dir, { recursive: true });
    this.summary = {
      runId: start.runId,
      projectDir: start.projectDir,
      projectPath: start.projectPath,
      status: 'running',
      startedAt: start.startedAt,
      jobs: start.jobs.map((name) => ({ name, state: 'pending' })),
      owner: { pid: process.pid, host: hostname() },
    };
    // Synchronous so the run is listed (as running) from its first moment.
    writeFileSync(join(dir, SUMMARY_FILE), JSON.stringify(this.summary, null, 2));
    writeFileSync(join(dir, EVENTS_FILE), '');
  }

  append(event: RunEvent): void {
    this.pending.push(`${JSON.stringify(event)}\n`);
    if (event.type === 'job') {
      const entry = this.summary.jobs.find((j) => j.name === event.job);
      if (entry) entry.state = event.state;
      else this.summary.jobs.push({ name: event.job, state: event.state });
      this.summaryDirty = true;
    }
    if (event.type === 'run' && event.state === 'finished') {
      this.summary.status = event.status;
      this.summary.durationMs = event.durationMs;
      this.summaryDirty = true;
    }
    if (this.pending.length >= FLUSH_AFTER_LINES) this.flushSoon(0);
    else this.flushSoon(FLUSH_AFTER_MS);
  }

  /** Writes everything appended so far. Resolves when it is on disk. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.pending.join('');
    this.pending = [];
    const summary = this.summaryDirty ? JSON.stringify(this.summary, null, 2) : undefined;
    this.summaryDirty = false;
    this.writing = this.writing.then(async () => {
      try {
        if (lines) await appendFile(join(this.dir, EVENTS_FILE), lines);
        if (summary) {
          const tmp = join(this.dir, `${SUMMARY_FILE}.tmp`);
          await writeFile(tmp, summary);
          await rename(tmp, join(this.dir, SUMMARY_FILE));
        }
      } catch (error) {
        // A full disk must not stop the run or turn its result into an error: say it once, keep going.
        if (!this.failed) process.stderr.write(`jobsim: could not store the run history in ${this.dir} (${(error as Error).message}); the run goes on\n`);
        this.failed = true;
      }
    });
    return this.writing;
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush().catch(() => undefined), delayMs);
  }
}
