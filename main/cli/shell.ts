// `jobsim shell RUN/JOB[/SERVICE] [-- CMD ARGS...]`: a shell in a kept failed job's container, or in a
// running job's build or service container. Without CMD an interactive shell (raw terminal, resized with
// the window); with CMD runs it without a TTY and exits with its exit code. RUN may be `last`.

import type { ShellOutput, TerminalSize } from '../../shared/debug.js';
import { connectDocker } from '../docker/client.js';
import { parseShellTarget, resolveShellTarget, startShell } from '../engine/debug/shell.js';
import type { CliCommand } from './command.js';
import { UsageError } from './errors.js';

const USAGE = 'shell RUN/JOB[/SERVICE] [-- CMD ARGS...]';

function terminalSize(): TerminalSize {
  return { cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 };
}

export const shellCommand: CliCommand = {
  name: 'shell',
  usage: USAGE,
  summary: 'open a shell in a kept failed job (--keep-on-failure) or a running job; RUN may be `last`',
  async run(args) {
    const dashes = args.indexOf('--');
    const before = dashes < 0 ? args : args.slice(0, dashes);
    const command = dashes < 0 ? undefined : args.slice(dashes + 1);
    if (before.length !== 1 || before[0]?.startsWith('-')) throw new UsageError(`usage: jobsim ${USAGE}`);
    if (command !== undefined && command.length === 0) throw new UsageError(`shell: nothing after \`--\`; usage: jobsim ${USAGE}`);
    const target = await parseShellTarget(before[0] ?? '');
    const { docker } = await connectDocker();
    // Resolve first: a job that is not there is the user's to fix (exit 2), not a shell that failed.
    const resolved = await resolveShellTarget(docker, target);
    return command ? runCommand(docker, resolved, command) : interactive(docker, resolved);
  },
};

type Docker = Awaited<ReturnType<typeof connectDocker>>['docker'];
type Resolved = Awaited<ReturnType<typeof resolveShellTarget>>;

function runCommand(docker: Docker, resolved: Resolved, command: string[]): Promise<number> {
  return new Promise((resolve) => {
    startShell(docker, resolved, terminalSize(), (output) => {
      if (output.kind === 'data') process.stdout.write(output.data);
      else if (output.kind === 'exit') resolve(output.code);
      else if (output.kind === 'error') {
        process.stderr.write(`jobsim: ${output.message}\n`);
        resolve(1);
      }
    }, { command, onStderr: (text) => process.stderr.write(text) });
  });
}

function interactive(docker: Docker, resolved: Resolved): Promise<number> {
  const stdin = process.stdin;
  const raw = stdin.isTTY === true;
  return new Promise((resolve) => {
    const restore = (): void => {
      stdin.off('data', onInput);
      process.stdout.off('resize', onResize);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
    };
    const onOutput = (output: ShellOutput): void => {
      if (output.kind === 'opened') {
        process.stderr.write(`${output.banner}\n`);
        if (raw) stdin.setRawMode(true);
        stdin.setEncoding('utf8');
        stdin.on('data', onInput);
        stdin.resume();
        process.stdout.on('resize', onResize);
      } else if (output.kind === 'data') {
        process.stdout.write(output.data);
      } else {
        restore();
        if (output.kind === 'error') process.stderr.write(`jobsim: ${output.message}\n`);
        resolve(output.kind === 'exit' ? output.code : 1);
      }
    };
    const session = startShell(docker, resolved, terminalSize(), onOutput);
    // In raw mode Ctrl-C is a keystroke for the shell; SIGWINCH arrives as a `resize` of stdout.
    const onInput = (data: string): void => session.write(data);
    const onResize = (): void => session.resize(terminalSize());
  });
}
