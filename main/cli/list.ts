// `jobsim list [--file F] [-C DIR] [--runner-config F] [--json]`: stages and jobs in order, with
// image, services, needs and when.

import { parseArgs } from 'node:util';
import { jobState, jobStateReason, type JobState } from '../../shared/job-state.js';
import type { JobPlan, PipelinePlan } from '../../shared/plan.js';
import { loadPipeline } from '../parse/index.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';
import { defaultImageFrom, includeOptionsFrom, pipelineChoiceFrom, pipelineOptions, projectDirFrom, projectOptions } from './project-args.js';
import { formatWarnings } from './plan-format.js';
import { serverChoiceFrom, serverOptions } from './server-args.js';

export const listCommand: CliCommand = {
  name: 'list',
  usage: 'list [--all] [--file F] [-C DIR] [--default-image REF] [--json]',
  summary: 'stages and jobs of the CI file, in order',
  async run(args) {
    let values;
    try {
      values = parseArgs({ args, options: { ...projectOptions, ...pipelineOptions, ...serverOptions, all: { type: 'boolean', default: false } }, allowPositionals: false }).values;
    } catch (error) {
      throw new UsageError(`list: ${error instanceof Error ? error.message : String(error)}`);
    }
    const plan = await loadPipeline({ projectDir: projectDirFrom(values.directory), file: values.file, runnerConfig: values['runner-config'], pipeline: pipelineChoiceFrom(values), server: serverChoiceFrom(values), ...defaultImageFrom(values['default-image']), includes: includeOptionsFrom(values) });
    if (values.json) process.stdout.write(`${JSON.stringify(listSummary(plan, values.all), null, 2)}\n`);
    else process.stdout.write(formatList(plan, values.all));
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
  /** shared/job-state.ts: runnable, manual, delayed, excluded, needs-runner, needs-image, broken. */
  state: JobState;
  reason?: string;
}

export function listSummary(plan: PipelinePlan, all = false): { name?: string; file: string; format: PipelinePlan['format']; projectPath: string; stages: string[]; jobs: JobSummary[]; hiddenExcluded: number; warnings: PipelinePlan['warnings'] } {
  const { shown, hidden } = shownJobs(plan, all);
  return {
    ...(plan.name !== undefined ? { name: plan.name } : {}),
    file: plan.file,
    format: plan.format,
    projectPath: plan.projectPath,
    stages: plan.stages,
    jobs: shown.map((j) => ({
      name: j.name,
      stage: j.stage,
      image: j.image.ref.written,
      services: j.services.map((s) => s.name),
      needs: j.needs ? j.needs.map((n) => n.job) : null,
      when: j.when,
      allowFailure: j.allowFailure,
      ...(j.excludedBy ? { excludedBy: j.excludedBy } : {}),
      state: jobState(j),
      ...(jobStateReason(j) !== undefined ? { reason: jobStateReason(j) } : {}),
    })),
    hiddenExcluded: hidden,
    warnings: plan.warnings,
  };
}

/** GitLab's order (stage, then file order); excluded jobs only with --all, as GitLab leaves them out. */
function shownJobs(plan: PipelinePlan, all: boolean): { shown: JobPlan[]; hidden: number } {
  const ordered = [...plan.jobs].sort((a, b) => a.stageIndex - b.stageIndex);
  const shown = all ? ordered : ordered.filter((j) => jobState(j) !== 'excluded');
  return { shown, hidden: ordered.length - shown.length };
}

export function formatList(plan: PipelinePlan, all = false): string {
  const { shown, hidden } = shownJobs(plan, all);
  const rows: string[][] = [['STAGE', 'JOB', 'IMAGE', 'SERVICES', 'NEEDS', 'STATE']];
  for (const job of shown) {
    rows.push([
      job.stage,
      job.name,
      job.trigger ? '(trigger)' : job.image.ref.written || '-',
      job.services.map((s) => s.name).join(', ') || '-',
      job.needs === null ? '(stages)' : job.needs.map((n) => n.job).join(', ') || '(none)',
      stateText(job),
    ]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const lines = rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ').trimEnd());
  const jobs = shown.length;
  const hiddenNote = hidden > 0 ? `\n${hidden} job${hidden === 1 ? '' : 's'} excluded from this pipeline hidden: \`jobsim list --all\` shows them and why\n` : '';
  return `${plan.file} (${plan.projectPath})${plan.name ? ` "${plan.name}"` : ''}: ${jobs} job${jobs === 1 ? '' : 's'} in ${plan.stages.length} stages\n\n${lines.join('\n')}\n${hiddenNote}`;
}

/** `runnable`, `manual (may fail)`, `needs-runner: needs a Windows runner (tags: windows)`. */
function stateText(job: JobPlan): string {
  const state = jobState(job);
  const reason = jobStateReason(job);
  const when = state === 'runnable' && job.when !== 'on_success' ? ` (${job.when})` : '';
  const mayFail = job.allowFailure === false || state === 'excluded' ? '' : ' (may fail)';
  return `${state}${when}${mayFail}${reason ? `: ${reason}` : ''}`;
}
