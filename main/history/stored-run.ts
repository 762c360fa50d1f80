// Finds a stored run by the id a user typed: a run id, or `last` for the newest one.

import { isRunId } from '../../shared/wire.js';
import { InputError } from '../errors.js';
import { listRuns, readSummary } from './reader.js';

/** The run id behind `idOrLast`, or an InputError that says how to find a valid one. */
export async function resolveStoredRun(idOrLast: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (idOrLast === 'last') {
    const newest = (await listRuns(env))[0];
    if (!newest) throw new InputError('no runs are stored yet: `jobsim run` one first');
    return newest.runId;
  }
  if (!isRunId(idOrLast) || !(await readSummary(idOrLast, env))) throw new InputError(`no stored run "${idOrLast}": \`jobsim runs\` lists them (or use \`last\`)`);
  return idOrLast;
}
