// `jobsim compare RUN_A RUN_B [--job J] [--no-log] [--json]`: what differs between two stored runs —
// status, exit codes, stage durations, image digests, variables (masked stay masked), caches, and the
// log with timestamps ignored. RUN may be `last`.

import { parseArgs } from 'node:util';
import { compareStoredRuns } from '../history/index.js';
import type { CliCommand } from './command.js';
import { formatComparison } from './compare-format.js';
import { UsageError } from './errors.js';
import { palette } from './run-format.js';

export const compareCommand: CliCommand = {
  name: 'compare',
  usage: 'compare RUN_A RUN_B [--job J] [--no-log] [--json]',
  summary: 'show what differs between two stored runs (RUN may be `last`)',
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { job: { type: 'string' }, 'no-log': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
    } catch (error) {
      throw new UsageError(`compare: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 2) throw new UsageError('compare needs two runs: `jobsim compare RUN_A RUN_B` (`jobsim runs` lists them)');
    const [runA = '', runB = ''] = positionals;
    const comparison = await compareStoredRuns(runA, runB, values.job);
    if (values.json) process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
    else process.stdout.write(formatComparison(comparison, palette(process.stdout.isTTY === true && !process.env.NO_COLOR), { showLog: !values['no-log'] }));
    return 0;
  },
};
