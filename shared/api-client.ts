// The client half of the method table, shared by both clients (the Electron preload and the browser's
// WebSocket client): every request/response method of JobsimApi becomes one `call(method, args)` over
// the client's transport. The streams (subscribe, openShell) each client carries its own way.

import type { CallMethod, InputProblem, JobsimApi } from './api.js';
import { CALL_METHODS } from './wire.js';

/** An API error, with the parser's file:line:col problems when the input was at fault. */
export class ApiError extends Error {
  readonly problems?: InputProblem[];
  constructor(message: string, problems?: InputProblem[]) {
    super(message);
    this.name = 'ApiError';
    this.problems = problems;
  }
}

export type CallingApi = Pick<JobsimApi, CallMethod>;

/** One function per request/response method, each sending `call(method, args)`. */
export function callMethodsVia(call: (method: CallMethod, args: unknown[]) => Promise<unknown>): CallingApi {
  return Object.fromEntries(CALL_METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)])) as unknown as CallingApi;
}
