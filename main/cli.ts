// The `jobsim` command line: a thin host that dispatches to one file per command in main/cli/.
// Exit codes: 0 ok, 1 a job failed, 2 invalid input or environment, 130 canceled (Ctrl-C, as shells do).
// No stack traces unless --debug.

import { commands } from './cli/commands.js';
import { UsageError, reportError } from './cli/errors.js';
import { chooseEngine } from './docker/engine-choice.js';

/** `usage  summary`, with a command's further forms (cache, image) on their own lines below it. */
function commandHelp(command: { usage: string; summary: string }): string {
  const [first = '', ...more] = command.usage.split('\n').map((line) => line.trim().replace(/^jobsim /, ''));
  const head = first.length <= 34 ? `  ${first.padEnd(34)} ${command.summary}` : `  ${first}\n  ${''.padEnd(34)} ${command.summary}`;
  return [head, ...more.map((line) => `    ${line}`)].join('\n');
}

const HELP = `jobsim — re-run CI jobs on your own Docker daemon and see every decision the runner makes

Usage: jobsim <command> [options]

Commands:
${commands.map(commandHelp).join('\n')}

Global options:
  --engine ADDRESS                   the Docker engine to use (unix://, tcp://, ssh://user@host), over DOCKER_HOST
  --context NAME                     the Docker context to use, over DOCKER_HOST and the current context
  --debug                            show stack traces for unexpected errors
  -h, --help                         show help

Exit codes: 0 ok, 1 a job failed, 2 invalid input or environment, 130 a run canceled with Ctrl-C.
`;

const ENGINE_OPTIONS = ['--engine', '--context'] as const;

/** Takes `--engine X` / `--context X` (also `--engine=X`) out of the arguments, before the command's own. */
function takeEngineOptions(argv: string[]): { args: string[]; engine?: string; context?: string } {
  const args: string[] = [];
  const found: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const option = ENGINE_OPTIONS.find((o) => arg === o || arg.startsWith(`${o}=`));
    if (!option) {
      args.push(arg);
      continue;
    }
    const value = arg === option ? argv[++i] : arg.slice(option.length + 1);
    if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError(`${option} needs a value, e.g. ${option === '--engine' ? '--engine ssh://me@build-box' : '--context default'}`);
    found[option] = value;
  }
  return { args, ...(found['--engine'] !== undefined ? { engine: found['--engine'] } : {}), ...(found['--context'] !== undefined ? { context: found['--context'] } : {}) };
}

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  let args = argv.filter((a) => a !== '--debug');
  try {
    const taken = takeEngineOptions(args);
    args = taken.args;
    chooseEngine({ ...(taken.engine !== undefined ? { engine: taken.engine } : {}), ...(taken.context !== undefined ? { context: taken.context } : {}) });
  } catch (error) {
    return reportError(error, debug);
  }
  const [name, ...rest] = args;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write('jobsim 0.1.0\n');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command "${name}"; run \`jobsim --help\` for the list`);
    return await command.run(rest);
  } catch (error) {
    return reportError(error, debug);
  }
}

process.exitCode = await main(process.argv.slice(2));
