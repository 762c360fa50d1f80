// What both hosts (the Electron IPC handlers and `jobsim serve`'s socket) do with a call from the
// renderer: validate the arguments, call the API, and turn an error into text the page can show.

import type { CallMethod, InputProblem, JobsimApi } from '../../shared/api.js';
import { validateCallArgs, WireError } from '../../shared/wire.js';
import { EnvironmentError, InputError } from '../errors.js';

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

// async: a validation error becomes a rejected promise, never a throw inside a socket or IPC handler.
export async function callApi(api: JobsimApi, method: CallMethod, args: readonly unknown[]): Promise<unknown> {
  const checked: unknown[] = validateCallArgs[method](args);
  return (api[method] as AnyMethod).apply(api, checked);
}

export function describeApiError(error: unknown): { message: string; problems?: InputProblem[] } {
  if (error instanceof InputError) return { message: error.message, problems: error.problems };
  if (error instanceof EnvironmentError) return { message: error.advice ? `${error.message}\n${error.advice}` : error.message };
  if (error instanceof WireError) return { message: `bad request: ${error.message}` };
  return { message: `unexpected error: ${error instanceof Error ? error.message : String(error)}` };
}
