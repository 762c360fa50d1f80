// Finds a stored run by the id a user typed: a run id, or `last` for the newest one.

import { isRunId } from '../../shared/wire.js';
import { InputError } from '../errors.js';
import { listRuns, readSummary } from './reader.js';

/** The run id behind `idOrLast`, or an InputError that names the newest stored runs to pick from. */
export async function resolveStoredRun(idOrLast: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (idOrLast !== 'last' && isRunId(idOrLast) && (await readSummary(idOrLast, env))) return idOrLast;
  const runs = await listRuns(env);
  if (runs.length === 0) throw new InputError('no runs are stored yet: `jobsim run` one first');
  if (idOrLast === 'last') return runs[0]?.runId ?? '';
  const recent = runs.slice(0, 5).map((r) => r.runId);
  throw new InputError(`no stored run "${idOrLast}"; recent runs: ${recent.join(', ')}, or \`last\` (\`jobsim runs\` lists all)`);
}
