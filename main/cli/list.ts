// `jobsim list [--file F] [-C DIR] [--runner-config F] [--json]`: stages and jobs in order, with
// image, services, needs and when.

import { parseArgs } from 'node:util';
import type { JobPlan, PipelinePlan } from '../../shared/plan.js';
import { loadPipeline } from '../parse/index.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';
import { includeOptionsFrom, pipelineChoiceFrom, pipelineOptions, projectDirFrom, projectOptions } from './project-args.js';
import { formatWarnings } from './plan-format.js';
import { serverChoiceFrom, serverOptions } from './server-args.js';

export const listCommand: CliCommand = {
  name: 'list',
  usage: 'list [--file F] [-C DIR] [--json]',
  summary: 'stages and jobs of the CI file, in order',
  async run(args) {
    let values;
    try {
      values = parseArgs({ args, options: { ...projectOptions, ...pipelineOptions, ...serverOptions }, allowPositionals: false }).values;
    } catch (error) {
      throw new UsageError(`list: ${error instanceof Error ? error.message : String(error)}`);
    }
    const plan = await loadPipeline({ projectDir: projectDirFrom(values.directory), file: values.file, runnerConfig: values['runner-config'], pipeline: pipelineChoiceFrom(values), server: serverChoiceFrom(values), includes: includeOptionsFrom(values) });
    if (values.json) process.stdout.write(`${JSON.stringify(listSummary(plan), null, 2)}\n`);
    else process.stdout.write(formatList(plan));
    process.stderr.write(formatWarnings(plan.warnings));
    return 0;
  },
};

export interface JobSummary {
  name: string;
  stage: string;
  image: string;
  services: string[];
  needs: string[] | null;
  when: JobPlan['when'];
  allowFailure: JobPlan['allowFailure'];
  excludedBy?: string;
}

export function listSummary(plan: PipelinePlan): { name?: string; file: string; format: PipelinePlan['format']; projectPath: string; stages: string[]; jobs: JobSummary[]; warnings: PipelinePlan['warnings'] } {
  return {
    ...(plan.name !== undefined ? { name: plan.name } : {}),
    file: plan.file,
    format: plan.format,
    projectPath: plan.projectPath,
    stages: plan.stages,
    jobs: plan.jobs.map((j) => ({
      name: j.name,
      stage: j.stage,
      image: j.image.ref.written,
      services: j.services.map((s) => s.name),
      needs: j.needs ? j.needs.map((n) => n.job) : null,
      when: j.when,
      allowFailure: j.allowFailure,
      ...(j.excludedBy ? { excludedBy: j.excludedBy } : {}),
    })),
    warnings: plan.warnings,
  };
}

export function formatList(plan: PipelinePlan): string {
  const rows: string[][] = [['STAGE', 'JOB', 'IMAGE', 'SERVICES', 'NEEDS', 'WHEN']];
  for (const stage of plan.stages) {
    for (const job of plan.jobs.filter((j) => j.stage === stage)) {
      rows.push([
        stage,
        job.name,
        job.trigger ? '(trigger)' : job.image.ref.written,
        job.services.map((s) => s.name).join(', ') || '-',
        job.needs === null ? '(stages)' : job.needs.map((n) => n.job).join(', ') || '(none)',
        job.excludedBy ? `never (${job.excludedBy})` : job.when + (job.allowFailure === false ? '' : ' (may fail)'),
      ]);
    }
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const lines = rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ').trimEnd());
  const jobs = plan.jobs.length;
  return `${plan.file} (${plan.projectPath})${plan.name ? ` "${plan.name}"` : ''}: ${jobs} job${jobs === 1 ? '' : 's'} in ${plan.stages.length} stages\n\n${lines.join('\n')}\n`;
}
