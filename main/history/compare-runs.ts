// Compares two stored runs (`jobsim compare`, the API's compareRuns) with the pure comparison in shared/.

import { compareRunEvents, type RunComparison } from '../../shared/compare.js';
import type { RunEvent } from '../../shared/events.js';
import { InputError } from '../errors.js';
import { readRunEvents } from './reader.js';
import { resolveStoredRun } from './stored-run.js';

async function allEvents(runId: string, env: NodeJS.ProcessEnv): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of readRunEvents(runId, env)) events.push(event);
  return events;
}

export async function compareStoredRuns(runA: string, runB: string, job?: string, env: NodeJS.ProcessEnv = process.env): Promise<RunComparison> {
  const [idA, idB] = [await resolveStoredRun(runA, env), await resolveStoredRun(runB, env)];
  const [a, b] = await Promise.all([allEvents(idA, env), allEvents(idB, env)]);
  if (job !== undefined) {
    const jobsOf = (events: RunEvent[]) => new Set(events.flatMap((e) => (e.type === 'job' ? [e.job] : [])));
    const known = new Set([...jobsOf(a), ...jobsOf(b)]);
    if (!known.has(job)) throw new InputError(`neither run has a job "${job}"; jobs: ${[...known].sort().join(', ') || 'none'}`);
  }
  return compareRunEvents(a, b, job);
}
