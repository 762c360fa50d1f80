// Turns what went wrong in a job into the precise reason users see.

import type { FailureReason } from '../../../shared/events.js';
import { EnvironmentError, InputError } from '../../errors.js';
import { PullError } from '../pull/failure.js';

export class JobStop extends Error {
  constructor(readonly reason: FailureReason) {
    super(reason.kind);
  }
}

export function reasonFor(error: unknown, daemonAnswers: boolean): FailureReason {
  if (error instanceof JobStop) return error.reason;
  if (!daemonAnswers) return { kind: 'daemon-lost' };
  if (error instanceof PullError) return error.reason;
  if (error instanceof InputError) return { kind: 'config', message: error.message };
  if (error instanceof EnvironmentError) return { kind: 'config', message: error.advice ? `${error.message}; ${error.advice}` : error.message };
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}
