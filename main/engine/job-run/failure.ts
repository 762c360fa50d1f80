// Turns what went wrong in a job into the precise reason users see.

import type { FailureReason } from '../../../shared/events.js';
import type { EngineCheck } from '../../docker/job-objects.js';
import { EnvironmentError, InputError } from '../../errors.js';
import { ImageRefusedError, PullError } from '../pull/failure.js';

export class JobStop extends Error {
  constructor(readonly reason: FailureReason) {
    super(reason.kind);
  }
}

export function reasonFor(error: unknown, engine: EngineCheck): FailureReason {
  if (error instanceof JobStop) return error.reason;
  if (!engine.answers) return { kind: 'daemon-lost', how: engine.error.loss };
  if (error instanceof PullError || error instanceof ImageRefusedError) return error.reason;
  if (error instanceof InputError) return { kind: 'config', message: error.message };
  if (error instanceof EnvironmentError) return { kind: 'config', message: error.advice ? `${error.message}; ${error.advice}` : error.message };
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** The message to log for a failure, with the suggested fix when there is one. */
export function describeFailure(error: unknown): string {
  if (error instanceof PullError && error.advice) return `${error.message}\n${error.advice}`;
  if (error instanceof EnvironmentError && error.advice) return `${error.message}\n${error.advice}`;
  return error instanceof Error ? error.message : String(error);
}
