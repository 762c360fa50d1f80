// `jobsim rerun RUN [JOB] [--failed] [--latest] [--var K=V]... [--secret K=V]... [--script CMD]...
// [--script-file F] [--from-kept] [--keep-on-failure] [--json]`: starts a past run's job (or its failed
// jobs, or all of it) again with changes, printed like `jobsim run`. Exit codes as `jobsim run`.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { RerunRequest } from '../../shared/debug.js';
import { planRerun } from '../engine/rerun.js';
import { startRun } from '../engine/run.js';
import { InputError } from '../errors.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';
import { keyValues } from './project-args.js';
import { listenForInterrupts } from './interrupts.js';
import { followRun } from './run.js';

export const rerunCommand: CliCommand = {
  name: 'rerun',
  usage:
    'rerun RUN [JOB] [--failed] [--latest] [--json]\n  RUN is a run id or `last`; rerun options: --var K=V, --secret K=V, --script CMD (repeatable), --script-file F,\n    --from-kept, --keep-on-failure',
  summary: "run a past run's job (or its failed jobs) again with changes; images pinned to the digests it used",
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          failed: { type: 'boolean', default: false },
          latest: { type: 'boolean', default: false },
          var: { type: 'string', multiple: true },
          secret: { type: 'string', multiple: true },
          script: { type: 'string', multiple: true },
          'script-file': { type: 'string' },
          'from-kept': { type: 'boolean', default: false },
          'keep-on-failure': { type: 'boolean' },
          json: { type: 'boolean', default: false },
        },
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError(`rerun: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { values, positionals } = parsed;
    const [runId, job, ...extra] = positionals;
    if (runId === undefined) throw new UsageError('rerun needs a run: `jobsim rerun RUN [JOB]` (RUN is a run id or `last`; `jobsim runs` lists them)');
    if (extra.length > 0) throw new UsageError(`rerun takes one job at most (or --failed), got: ${[job, ...extra].join(' ')}`);
    const script = await scriptFrom(values.script, values['script-file']);
    const request: RerunRequest = {
      runId,
      ...(job !== undefined ? { job } : {}),
      ...(values.failed ? { onlyFailed: true } : {}),
      images: values.latest ? 'latest' : 'pinned',
      variables: keyValues(values.var, 'var'),
      secrets: keyValues(values.secret, 'secret'),
      ...(script ? { script } : {}),
      ...(values['from-kept'] ? { fromKept: true } : {}),
      ...(values['keep-on-failure'] !== undefined ? { keepOnFailure: values['keep-on-failure'] } : {}),
    };
    const interrupts = listenForInterrupts();
    try {
      const handle = await startRun({ ...(await planRerun(request)), signal: interrupts.beforeStart });
      return await followRun(handle, values.json, interrupts);
    } finally {
      interrupts.stop();
    }
  },
};

/** `--script` commands, or the lines of `--script-file` (blank lines dropped). */
async function scriptFrom(commands: string[] | undefined, file: string | undefined): Promise<string[] | undefined> {
  if (commands !== undefined && file !== undefined) throw new UsageError('give the new script with --script or --script-file, not both');
  if (file === undefined) return commands;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`--script-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}
