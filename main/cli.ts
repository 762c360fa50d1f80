// The `jobsim` command line: a thin host that dispatches to one file per command in main/cli/.
// Exit codes: 0 ok, 1 a job failed, 2 invalid input or environment, 130 canceled (Ctrl-C, as shells do).
// No stack traces unless --debug.

import { commands } from './cli/commands.js';
import { UsageError, reportError } from './cli/errors.js';

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
  --debug                            show stack traces for unexpected errors
  -h, --help                         show help

Exit codes: 0 ok, 1 a job failed, 2 invalid input or environment, 130 a run canceled with Ctrl-C.
`;

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
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
