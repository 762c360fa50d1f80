// The table of CLI commands. Each command lives in its own file and exports a CliCommand.

import { doctorCommand } from './doctor.js';

export interface CliCommand {
  name: string;
  /** e.g. `run [JOB...] [--json]`, shown in --help. */
  usage: string;
  summary: string;
  /** Returns the process exit code. Throws InputError / EnvironmentError / UsageError for exit 2. */
  run(args: string[]): Promise<number>;
}

export const commands: CliCommand[] = [doctorCommand];
