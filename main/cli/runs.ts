// `jobsim runs [--json]`: the stored runs, newest first.

import { parseArgs } from 'node:util';
import { listRuns, runsDir } from '../history/index.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';

export const runsCommand: CliCommand = {
  name: 'runs',
  usage: 'runs [--json]',
  summary: 'list stored runs (newest first)',
  async run(args) {
    let values;
    try {
      ({ values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } }));
    } catch (error) {
      throw new UsageError(`runs: ${error instanceof Error ? error.message : String(error)}`);
    }
    const runs = await listRuns();
    if (values.json) {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return 0;
    }
    if (runs.length === 0) {
      process.stdout.write(`no runs stored yet in ${runsDir()}\n`);
      return 0;
    }
    const rows = runs.map((r) => [
      r.runId,
      r.status,
      new Date(r.startedAt).toISOString().replace('T', ' ').slice(0, 19),
      r.durationMs !== undefined ? `${(r.durationMs / 1000).toFixed(1)}s` : '',
      r.projectPath,
      r.jobs.map((j) => `${j.name}:${j.state}`).join(' '),
    ]);
    const header = ['RUN', 'STATUS', 'STARTED (UTC)', 'DURATION', 'PROJECT', 'JOBS'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const format = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
    process.stdout.write(`${[format(header), ...rows.map(format)].join('\n')}\n`);
    return 0;
  },
};
