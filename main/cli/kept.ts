// `jobsim kept [--json]`: failed jobs kept for debugging (`--keep-on-failure`), with the time left before
// their idle timeout removes them. `jobsim kept done RUN/JOB` or `jobsim kept done --all` removes them now.

import { parseArgs } from 'node:util';
import { connectDocker } from '../docker/client.js';
import { listKeptJobs, releaseExpiredKept, releaseKeptJob, type KeptRecord } from '../engine/debug/kept-store.js';
import { resolveRunId } from '../engine/debug/shell.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';

const USAGE = 'kept [--json]\n  kept done RUN/JOB | --all';

/** `29m 05s`, `1h 02m`: how long until an idle kept job is removed. */
export function countdown(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(s).padStart(2, '0')}s`;
}

function table(records: KeptRecord[], now: number): string {
  const rows = records.map((r) => [
    `${r.runId}/${r.job}`,
    r.failedCommand ? `${r.failedCommand}${r.exitCode !== undefined ? ` (exit ${r.exitCode})` : ''}` : r.exitCode !== undefined ? `exit ${r.exitCode}` : '',
    `in ${countdown(r.expiresAt - now)}`,
    r.services.map((s) => s.aliases.at(-1) ?? s.name).join(' '),
  ]);
  const header = ['KEPT JOB', 'FAILED AT', 'REMOVED', 'SERVICES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[format(header), ...rows.map(format)].join('\n')}\n`;
}

async function done(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { all: { type: 'boolean', default: false } }, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`kept done: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { values, positionals } = parsed;
  if (values.all === (positionals.length > 0) || positionals.length > 1) throw new UsageError('usage: jobsim kept done RUN/JOB, or jobsim kept done --all');
  const { docker } = await connectDocker();
  let targets: { runId: string; job: string }[];
  if (values.all) {
    targets = await listKeptJobs();
  } else {
    const text = positionals[0] ?? '';
    const slash = text.indexOf('/');
    if (slash <= 0 || slash === text.length - 1) throw new UsageError(`kept done: expected RUN/JOB, got "${text}" (RUN may be \`last\`)`);
    targets = [{ runId: await resolveRunId(text.slice(0, slash)), job: text.slice(slash + 1) }];
  }
  for (const { runId, job } of targets) {
    await releaseKeptJob(docker, runId, job);
    process.stdout.write(`Removed kept job ${runId}/${job}: its containers, services, network, volumes and image\n`);
  }
  if (targets.length === 0) process.stdout.write('No kept jobs.\n');
  return 0;
}

export const keptCommand: CliCommand = {
  name: 'kept',
  usage: USAGE,
  summary: 'list failed jobs kept for debugging (--keep-on-failure); `kept done` removes them',
  async run(args) {
    if (args[0] === 'done') return done(args.slice(1));
    let values;
    try {
      ({ values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } }));
    } catch (error) {
      throw new UsageError(`kept: ${error instanceof Error ? error.message : String(error)}`);
    }
    await releaseExpiredKept((await connectDocker()).docker);
    const records = await listKeptJobs();
    if (values.json) {
      process.stdout.write(`${JSON.stringify(records.map(({ image: _image, maskedVariables: _masked, ...job }) => job), null, 2)}\n`);
      return 0;
    }
    if (records.length === 0) {
      process.stdout.write('No kept jobs. `jobsim run --keep-on-failure` keeps a failed job for `jobsim shell`.\n');
      return 0;
    }
    process.stdout.write(table(records, Date.now()));
    process.stdout.write('`jobsim shell RUN/JOB` enters one; `jobsim kept done RUN/JOB` (or `--all`) removes it now.\n');
    const secretNames = [...new Set(records.flatMap((r) => r.maskedVariables ?? []))];
    if (secretNames.length > 0) {
      process.stdout.write(`Secrets (${secretNames.join(', ')}): left out of the kept images; the kept containers hold them until \`jobsim kept done\`.\n`);
    }
    return 0;
  },
};
