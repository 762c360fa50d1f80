// `jobsim plan JOB [--file F] [-C DIR] [--runner-config F] [--var K=V] [--secret K=V] [--json]`:
// the fully resolved plan of one job. Masked values are shown as [MASKED] in both modes.

import { parseArgs } from 'node:util';
import { loadPipeline, selectJobs } from '../parse/index.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';
import { formatPlan, formatWarnings, maskedJob } from './plan-format.js';
import { keyValues, pipelineChoiceFrom, pipelineOptions, projectDirFrom, projectOptions, variableOptions } from './project-args.js';

export const planCommand: CliCommand = {
  name: 'plan',
  usage: 'plan JOB [--var K=V] [--json]',
  summary: 'the fully resolved plan of one job (secrets shown as [MASKED])',
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { ...projectOptions, ...variableOptions, ...pipelineOptions }, allowPositionals: true });
    } catch (error) {
      throw new UsageError(`plan: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError('plan: name exactly one job, e.g. `jobsim plan test` (see `jobsim list`)');
    const plan = await loadPipeline({
      projectDir: projectDirFrom(values.directory),
      file: values.file,
      runnerConfig: values['runner-config'],
      variables: keyValues(values.var, 'var'),
      secrets: keyValues(values.secret, 'secret'),
      secretsFile: values['secrets-file'],
      pipeline: pipelineChoiceFrom(values),
    });
    const [job] = selectJobs(plan, positionals, false);
    if (!job) throw new UsageError('plan: no job selected');
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ job: maskedJob(job), runner: plan.runner, warnings: plan.warnings }, null, 2)}\n`);
    } else process.stdout.write(formatPlan(plan, job));
    process.stderr.write(formatWarnings(plan.warnings));
    return 0;
  },
};
