// The shell script a job container runs, assembled the way GitLab Runner does: each command echoed
// as `$ command` in green, then run; the first failing command ends the script with its exit code.

/** Picks bash when the image has it, else sh: GitLab Runner's shell detection, run as the container's command. */
export const DETECT_SHELL = [
  'sh',
  '-c',
  'if [ -x /usr/local/bin/bash ]; then exec /usr/local/bin/bash; ' +
    'elif [ -x /usr/bin/bash ]; then exec /usr/bin/bash; ' +
    'elif [ -x /bin/bash ]; then exec /bin/bash; ' +
    'elif [ -x /usr/local/bin/sh ]; then exec /usr/local/bin/sh; ' +
    'elif [ -x /usr/bin/sh ]; then exec /usr/bin/sh; ' +
    'elif [ -x /bin/sh ]; then exec /bin/sh; ' +
    'elif [ -x /busybox/sh ]; then exec /busybox/sh; ' +
    'else echo shell not found; exit 1; fi',
];

/** Quotes text for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const GREEN = '\\033[32;1m';
const RESET = '\\033[0;m';

export interface ScriptOptions {
  /** The project directory inside the container. */
  projectDir: string;
  /** Lines run first without echo (e.g. putting a restored cache in place). */
  prelude?: string[];
  commands: string[];
}

export function buildScript(options: ScriptOptions): string {
  const lines = [
    // `pipefail` where the shell has it (bash, busybox ash). A failing `set` would end dash at once, so ask
    // first, as GitLab Runner does.
    'if set -o | grep -q pipefail; then set -o pipefail; fi',
    'set -e',
    `cd ${shellQuote(options.projectDir)}`,
    ...(options.prelude ?? []),
  ];
  for (const command of options.commands) {
    const shown = command.split('\n')[0] + (command.includes('\n') ? ' # collapsed multi-line command' : '');
    lines.push(`printf '%b%s%b\\n' '${GREEN}' ${shellQuote(`$ ${shown}`)} '${RESET}'`);
    lines.push(command);
  }
  lines.push('');
  return lines.join('\n');
}
