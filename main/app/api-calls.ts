// What both hosts (the Electron IPC handlers and `jobsim serve`'s socket) do with a call from the
// renderer: validate the arguments, call the API, and turn an error into text the page can show.

import type { InputProblem, JobsimApi } from '../../shared/api.js';
import { validateCallArgs, WireError, type CallMethod } from '../../shared/wire.js';
import { EnvironmentError, InputError } from '../errors.js';

// async: a validation error becomes a rejected promise, never a throw inside a socket or IPC handler.
export async function callApi(api: JobsimApi, method: CallMethod, args: readonly unknown[]): Promise<unknown> {
  switch (method) {
    case 'openProject':
      return api.openProject(...validateCallArgs.openProject(args));
    case 'startRun':
      return api.startRun(...validateCallArgs.startRun(args));
    case 'cancelRun':
      return api.cancelRun(...validateCallArgs.cancelRun(args));
    case 'listRuns':
      return api.listRuns();
    case 'doctor':
      return api.doctor();
    case 'listCaches':
      return api.listCaches(...validateCallArgs.listCaches(args));
    case 'inspectCache':
      return api.inspectCache(...validateCallArgs.inspectCache(args));
    case 'clearCaches':
      return api.clearCaches(...validateCallArgs.clearCaches(args));
    case 'lintImage':
      return api.lintImage(...validateCallArgs.lintImage(args));
    case 'saveSecrets':
      return api.saveSecrets(...validateCallArgs.saveSecrets(args));
    case 'compareRuns':
      return api.compareRuns(...validateCallArgs.compareRuns(args));
    case 'listKept':
      return api.listKept();
    case 'releaseKept':
      return api.releaseKept(...validateCallArgs.releaseKept(args));
    case 'rerun':
      return api.rerun(...validateCallArgs.rerun(args));
  }
}

export function describeApiError(error: unknown): { message: string; problems?: InputProblem[] } {
  if (error instanceof InputError) return { message: error.message, problems: error.problems };
  if (error instanceof EnvironmentError) return { message: error.advice ? `${error.message}\n${error.advice}` : error.message };
  if (error instanceof WireError) return { message: `bad request: ${error.message}` };
  return { message: `unexpected error: ${error instanceof Error ? error.message : String(error)}` };
}
