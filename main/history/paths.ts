// Where runs are stored: `$JOBSIM_HOME` (tests), else `$XDG_DATA_HOME/jobsim`, else ~/.local/share/jobsim.

import { homedir } from 'node:os';
import { join } from 'node:path';

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JOBSIM_HOME) return env.JOBSIM_HOME;
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'jobsim');
  return join(homedir(), '.local', 'share', 'jobsim');
}

export function runsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'runs');
}

const RUN_ID = /^[0-9A-Za-z-]+$/;

/** The folder of one run. Refuses ids that could escape the runs folder. */
export function runDir(runId: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!RUN_ID.test(runId)) throw new Error(`not a run id: ${JSON.stringify(runId)}`);
  return join(runsDir(env), runId);
}

export const EVENTS_FILE = 'events.ndjson';
export const SUMMARY_FILE = 'summary.json';
