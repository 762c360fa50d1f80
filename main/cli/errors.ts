// How the CLI reports errors: one clear message on stderr, exit code 2 for the user's input or
// environment, no stack trace unless --debug.

import { CanceledBeforeStartError, EnvironmentError, InputError } from '../errors.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function reportError(error: unknown, debug: boolean): number {
  if (error instanceof CanceledBeforeStartError) {
    process.stderr.write(`jobsim: ${error.message}\n`);
    return 130;
  }
  if (error instanceof InputError || error instanceof UsageError) {
    process.stderr.write(`jobsim: ${error.message}\n`);
    return 2;
  }
  if (error instanceof EnvironmentError) {
    process.stderr.write(`jobsim: ${error.message}\n`);
    if (error.advice) process.stderr.write(`  ${error.advice}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`jobsim: unexpected error: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('  run again with --debug for details, and please report it\n');
  return 2;
}
