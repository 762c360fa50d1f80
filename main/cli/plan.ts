// `jobsim plan JOB [--file F] [-C DIR] [--runner-config F] [--var K=V] [--secret K=V] [--json]`:
// the fully resolved plan of one job. Masked values are shown as [MASKED] in both modes.

import { parseArgs } from 'node:util';
import { createMasker, maskDeep } from '../../shared/masking.js';
import { secretValues } from '../engine/secret-values.js';
import { loadPipeline, selectJobs } from '../parse/index.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';
import { formatPlan, formatWarnings, maskedJob } from './plan-format.js';
import { serverChoiceFrom, serverOptions } from './server-args.js';
import { defaultImageFrom, includeOptionsFrom, keyValues, pipelineChoiceFrom, pipelineOptions, projectDirFrom, projectOptions, variableOptions } from './project-args.js';

export const planCommand: CliCommand = {
  name: 'plan',
  usage: 'plan JOB [--var K=V] [--json]',
  summary: 'the fully resolved plan of one job (secrets shown as [MASKED])',
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { ...projectOptions, ...variableOptions, ...pipelineOptions, ...serverOptions }, allowPositionals: true });
    } catch (error) {
      throw new UsageError(`plan: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError('plan: name exactly one job, e.g. `jobsim plan test` (see `jobsim list`)');
    const secrets = keyValues(values.secret, 'secret');
    const plan = await loadPipeline({
      projectDir: projectDirFrom(values.directory),
      file: values.file,
      runnerConfig: values['runner-config'],
      variables: keyValues(values.var, 'var'),
      secrets,
      secretsFile: values['secrets-file'],
      pipeline: pipelineChoiceFrom(values),
      server: serverChoiceFrom(values),
      ...defaultImageFrom(values['default-image']),
      includes: includeOptionsFrom(values),
    });
    const [job] = selectJobs(plan, positionals, false);
    if (!job) throw new UsageError('plan: no job selected');
    // A secret can reach any field (a cache key, a script line, an image name), not only variables.
    const masker = createMasker(secretValues(plan, secrets));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(maskDeep({ job: maskedJob(job), runner: plan.runner, warnings: plan.warnings }, masker), null, 2)}\n`);
    } else process.stdout.write(masker.mask(formatPlan(plan, job)));
    process.stderr.write(masker.mask(formatWarnings(plan.warnings)));
    return 0;
  },
};
