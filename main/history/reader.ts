// Reads stored runs back: the list (newest first) and one run's events, streamed line by line so a run
// with a large log never has to fit in memory at once.

import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunSummary } from '../../shared/api.js';
import type { RunEvent } from '../../shared/events.js';
import { processOwnsObject } from '../process-owner.js';
import { EVENTS_FILE, SUMMARY_FILE, runDir, runsDir } from './paths.js';
import { upgradeStoredEvent } from '../../shared/upgrade-event.js';
import type { StoredSummary } from './writer.js';

export async function listRuns(env: NodeJS.ProcessEnv = process.env): Promise<RunSummary[]> {
  let names: string[];
  try {
    names = await readdir(runsDir(env));
  } catch {
    return [];
  }
  const summaries = await Promise.all(names.map((name) => readSummary(name, env)));
  return summaries.filter((s): s is RunSummary => s !== undefined).sort((a, b) => b.startedAt - a.startedAt);
}

export async function readSummary(runId: string, env: NodeJS.ProcessEnv = process.env): Promise<RunSummary | undefined> {
  let stored: StoredSummary;
  try {
    stored = JSON.parse(await readFile(join(runDir(runId, env), SUMMARY_FILE), 'utf8')) as StoredSummary;
  } catch {
    return undefined; // not a run folder, or a half-written one
  }
  const { owner, ...summary } = stored;
  if (summary.status === 'running' && owner && !ownerAlive(owner, summary.startedAt)) return { ...summary, status: 'interrupted' };
  return summary;
}

/** The stored events of a run, in order, in the current event shape. Skips a torn last line left by a killed process. */
export async function* readRunEvents(runId: string, env: NodeJS.ProcessEnv = process.env): AsyncGenerator<RunEvent> {
  const stream = createReadStream(join(runDir(runId, env), EVENTS_FILE), { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (!line) continue;
      try {
        yield upgradeStoredEvent(JSON.parse(line) as RunEvent);
      } catch {
        // A line cut short by a crash: nothing after it was written either.
        return;
      }
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** Whether the process that started the run still runs (a reused pid started later does not count). */
function ownerAlive(owner: { pid: number; host: string }, startedAt: number): boolean {
  if (owner.host !== hostname()) return true; // another machine's run (shared home): cannot tell
  return processOwnsObject(owner.pid, startedAt);
}
