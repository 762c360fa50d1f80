// Errors that are the user's to fix. Hosts show them without a stack trace: the CLI exits with 2,
// the UI shows the message where the user is looking. Anything else is a bug in jobsim.

import type { InputProblem } from '../shared/api.js';
import type { SourceLocation } from '../shared/plan.js';

export function formatWhere(where: SourceLocation | undefined): string {
  return where ? `${where.file}:${where.line}:${where.col}: ` : '';
}

/** Bad input: a CI file, a runner config, a job name, an image reference, a path. */
export class InputError extends Error {
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[] | string, where?: SourceLocation) {
    const list = typeof problems === 'string' ? [{ message: problems, where }] : problems;
    super(list.map((p) => formatWhere(p.where) + p.message).join('\n'));
    this.name = 'InputError';
    this.problems = list;
  }
}

/** The environment is not usable: no Docker engine, no permission, a missing tool. */
export class EnvironmentError extends Error {
  /** What the user should do next. */
  readonly advice?: string;
  constructor(message: string, advice?: string) {
    super(message);
    this.name = 'EnvironmentError';
    this.advice = advice;
  }
}

/** Ctrl-C came while the run was being set up: it was not created (nothing on the engine, nothing stored). */
export class CanceledBeforeStartError extends Error {
  constructor() {
    super('canceled before the run started: nothing was created or stored');
    this.name = 'CanceledBeforeStartError';
  }
}
