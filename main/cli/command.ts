// What every CLI command file exports; main/cli/commands.ts lists them.

export interface CliCommand {
  name: string;
  /** e.g. `run [JOB...] [--json]`, shown in --help. */
  usage: string;
  summary: string;
  /** Returns the process exit code. Throws InputError / EnvironmentError / UsageError for exit 2. */
  run(args: string[]): Promise<number>;
}
