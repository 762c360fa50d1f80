// `jobsim gc [--dry-run] [--json]`: removes containers, networks and volumes left behind by jobsim
// processes that are gone (crash, kill -9, power loss), and failed jobs kept for debugging once idle past
// their timeout. Cache and runner volumes are kept.

import { parseArgs } from 'node:util';
import { connectDocker } from '../docker/client.js';
import type { ManagedObject } from '../docker/managed-objects.js';
import { LABELS } from '../docker/resource-labels.js';
import { reapOrphans, type KeepReason, type ReapReport } from '../engine/reaper.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';

const KEEP_WORDING: Record<KeepReason, string> = {
  persistent: 'persistent (cache and runner volumes; `jobsim cache` manages caches)',
  'owner-running': 'owned by a jobsim process that is still running',
  'other-host': 'made by jobsim on another host that shares this Docker engine',
  'no-owner-label': 'no owner label (remove them by hand if they are yours)',
  'kept-for-debug': 'a failed job kept for debugging (`jobsim kept` lists them; `jobsim kept done` removes them)',
};

function describe(object: ManagedObject): string {
  const run = object.labels[LABELS.runId];
  const job = object.labels[LABELS.job];
  const origin = [run ? `run ${run}` : undefined, job ? `job ${job}` : undefined].filter(Boolean).join(', ');
  return `${object.kind} ${object.name}${origin ? ` (${origin})` : ''}`;
}

export function formatReapReport(report: ReapReport, dryRun: boolean): string {
  const lines: string[] = [];
  for (const object of report.removed) lines.push(`${dryRun ? 'Would remove' : 'Removed'} ${describe(object)}`);
  for (const object of report.failed) lines.push(`Could not remove ${describe(object)} (still in use?)`);
  if (report.removed.length === 0 && report.failed.length === 0) lines.push('Nothing to clean up: no objects of stopped jobsim processes.');
  const keptBy = new Map<KeepReason, number>();
  for (const { why } of report.kept) keptBy.set(why, (keptBy.get(why) ?? 0) + 1);
  for (const [why, count] of keptBy) lines.push(`Kept ${count} object${count === 1 ? '' : 's'}: ${KEEP_WORDING[why]}`);
  return `${lines.join('\n')}\n`;
}

export const gcCommand: CliCommand = {
  name: 'gc',
  usage: 'gc [--dry-run] [--json]',
  summary: 'remove containers, networks and volumes left by jobsim processes that are gone',
  async run(args) {
    let values: { 'dry-run': boolean; json: boolean };
    try {
      values = parseArgs({
        args,
        options: { 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
        allowPositionals: false,
      }).values;
    } catch (error) {
      throw new UsageError(`gc: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { docker } = await connectDocker();
    const dryRun = values['dry-run'];
    const report = await reapOrphans(docker, { dryRun });
    if (values.json) process.stdout.write(`${JSON.stringify({ dryRun, ...report }, null, 2)}\n`);
    else process.stdout.write(formatReapReport(report, dryRun));
    return report.failed.length > 0 ? 1 : 0;
  },
};
