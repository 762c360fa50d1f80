// `jobsim run [JOB...] [--needs] [-C DIR] [--file F] [--runner-config F] [--var K=V]... [--secret K=V]...
// [--secrets-file F] [--concurrency N] [--registry-mirror H] [--docker-config DIR] [--pool NAME [--pools F]]
// [--pin RUN] [--keep-on-failure] [--json]`: runs the pipeline (or the named jobs) on the local
// Docker engine. Exit 0 success, 1 a job failed, 2 invalid input/environment, 130 canceled.

import { parseArgs } from 'node:util';
import type { JobEvent, PullProgressEvent, RunEvent, RunStatus } from '../../shared/events.js';
import { imageRunOptions } from '../engine/pull/run-options.js';
import { startRun, type RunHandle } from '../engine/run.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';
import { listenForInterrupts, type Interrupts } from './interrupts.js';
import { pinnedDigestsFrom } from './pin.js';
import { formatWarnings } from './plan-format.js';
import { defaultImageFrom, includeOptionsFrom, keyValues, pipelineChoiceFrom, pipelineOptions, projectDirFrom, projectOptions, variableOptions } from './project-args.js';
import { serverChoiceFrom, serverOptions } from './server-args.js';
import { palette, RunPrinter, summaryTable } from './run-format.js';

export const runCommand: CliCommand = {
  name: 'run',
  usage: 'run [JOB...] [--needs] [--json]\n  run options: -C DIR, --file F, --runner-config F, --default-image REF, --project-dir GROUP/NAME=PATH, --gitlab-token T, --var K=V, --secret K=V, --secrets-file F, --concurrency N,\n    --ref BRANCH, --tag NAME, --source push|merge_request_event|schedule|web|api|trigger, --mr-target BRANCH, --compare-to REF,\n    --server-url URL, --project-path GROUP/NAME, --default-branch NAME, --registry HOST,\n    --registry-mirror H, --docker-config DIR, --pool NAME [--pools F], --pin RUN,\n    --keep-on-failure (keep a failed job for `jobsim shell`)',
  summary: 'run the pipeline (or the named jobs) on your Docker engine',
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          ...projectOptions,
          ...variableOptions,
          ...pipelineOptions,
          ...serverOptions,
          needs: { type: 'boolean', default: false },
          concurrency: { type: 'string' },
          'registry-mirror': { type: 'string' },
          'docker-config': { type: 'string' },
          pool: { type: 'string' },
          pools: { type: 'string' },
          pin: { type: 'string' },
          'keep-on-failure': { type: 'boolean', default: false },
        },
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError(`run: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { values, positionals } = parsed;
    const interrupts = listenForInterrupts();
    try {
      const handle = await startRun({
        projectDir: projectDirFrom(values.directory),
        file: values.file,
        runnerConfig: values['runner-config'],
        jobs: positionals,
        withNeeds: values.needs,
        variables: keyValues(values.var, 'var'),
        secrets: keyValues(values.secret, 'secret'),
        secretsFile: values['secrets-file'],
        pipeline: pipelineChoiceFrom(values),
        server: serverChoiceFrom(values),
        ...defaultImageFrom(values['default-image']),
        includes: includeOptionsFrom(values),
        concurrency: values.concurrency === undefined ? undefined : parseConcurrency(values.concurrency),
        pinnedDigests: values.pin === undefined ? undefined : await pinnedDigestsFrom(values.pin),
        keepOnFailure: values['keep-on-failure'],
        engineOptions: await imageRunOptions({ registryMirror: values['registry-mirror'], dockerConfig: values['docker-config'], pool: values.pool, pools: values.pools }),
        signal: interrupts.beforeStart,
      });
      return await followRun(handle, values.json, interrupts);
    } finally {
      interrupts.stop();
    }
  },
};

/** Prints a started run (text or NDJSON) until it ends, Ctrl-C acting on it; returns the exit code. */
export async function followRun(handle: RunHandle, json: boolean, interrupts: Interrupts): Promise<number> {
  process.stderr.write(formatWarnings(handle.plan.warnings));
  interrupts.attach(handle);
  const stopPipeWatch = cancelWhenOutputCloses(handle);
  const unsubscribe = handle.subscribe(json ? printJson : textPrinter());
  try {
    return exitCode(await handle.done);
  } finally {
    unsubscribe();
    stopPipeWatch();
  }
}

function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--concurrency expects a whole number ≥ 1, got "${text}"`);
  return n;
}

function exitCode(status: RunStatus): number {
  if (status === 'success') return 0;
  return status === 'canceled' ? 130 : 1;
}

/**
 * When the reader of our output goes away (`jobsim run | head`), writing fails (EPIPE): stop
 * printing and cancel the run gracefully rather than crash and leave containers behind.
 */
function cancelWhenOutputCloses(handle: RunHandle): () => void {
  // Any write error (EPIPE, a full disk behind a redirect) means the same: nobody can read us any more.
  const onError = (): void => {
    outputClosed = true;
    handle.cancel();
  };
  process.stdout.on('error', onError);
  return () => process.stdout.off('error', onError);
}

let outputClosed = false;

function write(text: string): void {
  if (!outputClosed) process.stdout.write(text);
}

function printJson(event: RunEvent): void {
  write(`${JSON.stringify(event)}\n`);
}

function textPrinter(): (event: RunEvent) => void {
  const tty = process.stdout.isTTY === true;
  const colour = tty && !process.env.NO_COLOR;
  const p = palette(colour);
  const printer = new RunPrinter(p);
  const finals = new Map<string, JobEvent>();
  let progressShown = false;
  const clearProgress = (): void => {
    if (progressShown) write('\r\u001b[2K');
    progressShown = false;
  };
  return (event) => {
    if (event.type === 'pull-progress') {
      if (tty) {
        write(`\r\u001b[2K${progressLine(event)}`);
        progressShown = true;
      }
      return;
    }
    if (event.type === 'job' && event.state !== 'pending' && event.state !== 'running') finals.set(event.job, event);
    const lines = printer.lines(event);
    if (lines.length > 0) {
      clearProgress();
      write(`${lines.join('\n')}\n`);
    }
    if (event.type === 'run' && event.state === 'finished') {
      write(`\n${summaryTable([...finals.values()], p)}`);
      const verdict = event.status === 'success' ? p.green('Pipeline succeeded') : event.status === 'canceled' ? p.yellow('Pipeline canceled') : p.red('Pipeline failed');
      write(`${verdict} in ${(event.durationMs / 1000).toFixed(1)}s — \`jobsim runs\` lists stored runs\n`);
    }
  };
}

function progressLine(event: PullProgressEvent): string {
  const mb = (n: number) => (n / 1_000_000).toFixed(1);
  const percent = event.total > 0 ? ` ${Math.floor((event.current / event.total) * 100)}%` : '';
  return `${event.job} │ pulling ${event.image}: ${mb(event.current)}/${mb(event.total)} MB${percent} (${event.layers.length} layers)`;
}
