// The browser host's protocol: JobsimApi (api.ts) carried over one WebSocket as JSON messages.
// The Electron host carries the same operations over IPC; both deliver run events in batches.

import type { InputProblem, JobsimApi } from './api.js';
import type { CacheClearRequest } from './cache-api.js';
import type { RerunRequest, ShellOutput, ShellTarget, TerminalSize } from './debug.js';
import type { RunEvent } from './events.js';

/** The request/response operations; `subscribe` and `openShell` are streams and have their own messages. */
export const CALL_METHODS = ['openProject', 'startRun', 'cancelRun', 'listRuns', 'doctor', 'listCaches', 'inspectCache', 'clearCaches', 'lintImage', 'saveSecrets', 'compareRuns', 'listKept', 'releaseKept', 'rerun'] as const;
export type CallMethod = (typeof CALL_METHODS)[number];

export type CallArgs<M extends CallMethod> = Parameters<JobsimApi[M]>;
export type CallResult<M extends CallMethod> = Awaited<ReturnType<JobsimApi[M]>>;

export type ClientMessage =
  | { kind: 'call'; id: number; method: CallMethod; args: unknown[] }
  | { kind: 'subscribe'; id: number; runId: string }
  | { kind: 'unsubscribe'; id: number }
  /** Opens a shell; its output comes back as `shell` messages with the same id. */
  | { kind: 'shell-open'; id: number; target: ShellTarget; size: TerminalSize }
  | { kind: 'shell-input'; id: number; data: string }
  | { kind: 'shell-resize'; id: number; size: TerminalSize }
  | { kind: 'shell-close'; id: number };

export type ServerMessage =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; message: string; problems?: InputProblem[] }
  /** A batch of events for the subscription with this id. */
  | { kind: 'events'; id: number; events: RunEvent[] }
  /** Output of the shell opened with this id. */
  | { kind: 'shell'; id: number; output: ShellOutput };

/** Why a message from the other side was refused. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messageId(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new WireError('message id must be a non-negative integer');
  return value;
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WireError('message is not valid JSON');
  }
  if (!isRecord(value)) throw new WireError('message must be a JSON object');
  return value;
}

/** Parses a client message; the arguments of a call are checked by the server against the method (see validateCallArgs). */
export function decodeClientMessage(text: string): ClientMessage {
  const raw = parseJson(text);
  const id = messageId(raw.id);
  switch (raw.kind) {
    case 'call': {
      const method = raw.method;
      if (typeof method !== 'string' || !(CALL_METHODS as readonly string[]).includes(method)) throw new WireError(`unknown method ${JSON.stringify(method)}`);
      if (!Array.isArray(raw.args)) throw new WireError('call args must be an array');
      return { kind: 'call', id, method: method as CallMethod, args: raw.args as unknown[] };
    }
    case 'subscribe':
      if (typeof raw.runId !== 'string' || !isRunId(raw.runId)) throw new WireError('subscribe needs a valid runId');
      return { kind: 'subscribe', id, runId: raw.runId };
    case 'unsubscribe':
      return { kind: 'unsubscribe', id };
    case 'shell-open':
      return { kind: 'shell-open', id, target: shellTarget(raw.target), size: terminalSize(raw.size) };
    case 'shell-input':
      if (typeof raw.data !== 'string' || raw.data.length > 1_000_000) throw new WireError('shell input must be a string');
      return { kind: 'shell-input', id, data: raw.data };
    case 'shell-resize':
      return { kind: 'shell-resize', id, size: terminalSize(raw.size) };
    case 'shell-close':
      return { kind: 'shell-close', id };
    default:
      throw new WireError(`unknown message kind ${JSON.stringify(raw.kind)}`);
  }
}

export function decodeServerMessage(text: string): ServerMessage {
  const raw = parseJson(text);
  const id = messageId(raw.id);
  switch (raw.kind) {
    case 'result':
      return { kind: 'result', id, value: raw.value };
    case 'error':
      return { kind: 'error', id, message: String(raw.message), problems: Array.isArray(raw.problems) ? (raw.problems as InputProblem[]) : undefined };
    case 'events':
      if (!Array.isArray(raw.events)) throw new WireError('events must be an array');
      return { kind: 'events', id, events: raw.events as RunEvent[] };
    case 'shell':
      if (!isRecord(raw.output) || typeof raw.output.kind !== 'string') throw new WireError('shell output must be an object');
      return { kind: 'shell', id, output: raw.output as ShellOutput };
    default:
      throw new WireError(`unknown message kind ${JSON.stringify(raw.kind)}`);
  }
}

/** Run ids are generated by jobsim: letters, digits, `-` and `_` only (they name folders in the history). */
export function isRunId(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,100}$/.test(value);
}

function runIdOrLast(value: unknown, name: string): string {
  const runId = requiredString(value, name);
  if (runId !== 'last' && !isRunId(runId)) throw new WireError(`${name} is not a run id`);
  return runId;
}

function jobName(value: unknown, name: string): string {
  const job = requiredString(value, name);
  if (job.length > 255) throw new WireError(`${name} is too long`);
  return job;
}

/** Where a shell goes; shared by the socket and IPC hosts. */
export function shellTarget(value: unknown): ShellTarget {
  if (!isRecord(value)) throw new WireError('shell target must be an object');
  const service = optionalString(value.service, 'service');
  return { runId: runIdOrLast(value.runId, 'runId'), job: jobName(value.job, 'job'), ...(service ? { service } : {}) };
}

export function terminalSize(value: unknown): TerminalSize {
  if (!isRecord(value)) throw new WireError('size must be { cols, rows }');
  const { cols, rows } = value;
  const valid = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 1000;
  if (!valid(cols) || !valid(rows)) throw new WireError('cols and rows must be whole numbers from 1 to 1000');
  return { cols, rows };
}

function rerunRequest(value: unknown): RerunRequest {
  if (!isRecord(value)) throw new WireError('rerun needs a request object');
  const script = value.script;
  if (script !== undefined && script !== null && (!Array.isArray(script) || !script.every((line) => typeof line === 'string'))) throw new WireError('script must be a list of commands');
  const images = value.images;
  if (images !== undefined && images !== null && images !== 'pinned' && images !== 'latest') throw new WireError('images must be pinned or latest');
  const job = optionalString(value.job, 'job');
  return {
    runId: runIdOrLast(value.runId, 'runId'),
    ...(job ? { job } : {}),
    ...(value.onlyFailed === true ? { onlyFailed: true } : {}),
    ...(images ? { images: images as 'pinned' | 'latest' } : {}),
    ...(value.variables ? { variables: stringRecord(value.variables, 'variables') } : {}),
    ...(value.secrets ? { secrets: stringRecord(value.secrets, 'secrets') } : {}),
    ...(Array.isArray(script) ? { script: script as string[] } : {}),
    ...(value.fromKept === true ? { fromKept: true } : {}),
    ...(typeof value.keepOnFailure === 'boolean' ? { keepOnFailure: value.keepOnFailure } : {}),
  };
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 4096) throw new WireError(`${name} must be a string`);
  return value;
}

function requiredString(value: unknown, name: string): string {
  const text = optionalString(value, name);
  if (!text) throw new WireError(`${name} is required`);
  return text;
}

function stringRecord(value: unknown, name: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new WireError(`${name} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new WireError(`${name}: "${key}" is not a valid variable name`);
    if (typeof entry !== 'string') throw new WireError(`${name}.${key} must be a string`);
    out[key] = entry;
  }
  return out;
}

/**
 * Checks the arguments of a call coming from a renderer (over the socket or IPC) and returns them
 * typed. Both hosts use it, so a renderer can never hand the engine something the types do not allow.
 */
export const validateCallArgs: { [M in CallMethod]: (args: readonly unknown[]) => CallArgs<M> } = {
  openProject: (args) => [requiredString(args[0], 'projectDir'), optionalString(args[1], 'file'), optionalString(args[2], 'runnerConfig')],
  startRun: (args) => {
    const request = args[0];
    if (!isRecord(request)) throw new WireError('startRun needs a request object');
    const jobs = request.jobs;
    if (jobs !== undefined && (!Array.isArray(jobs) || !jobs.every((j) => typeof j === 'string'))) throw new WireError('jobs must be a list of job names');
    const concurrency = request.concurrency;
    if (concurrency !== undefined && (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
      throw new WireError('concurrency must be an integer from 1 to 64');
    }
    return [{
      projectDir: requiredString(request.projectDir, 'projectDir'),
      file: optionalString(request.file, 'file'),
      runnerConfig: optionalString(request.runnerConfig, 'runnerConfig'),
      jobs: jobs as string[] | undefined,
      withNeeds: request.withNeeds === true,
      variables: stringRecord(request.variables, 'variables'),
      secrets: stringRecord(request.secrets, 'secrets'),
      concurrency: concurrency as number | undefined,
      ...(request.keepOnFailure === true ? { keepOnFailure: true } : {}),
    }];
  },
  cancelRun: (args) => {
    const runId = requiredString(args[0], 'runId');
    if (!isRunId(runId)) throw new WireError('invalid runId');
    return [runId];
  },
  listRuns: () => [],
  doctor: () => [],
  listCaches: (args) => [optionalString(args[0], 'project')],
  inspectCache: (args) => [requiredString(args[0], 'volume'), optionalString(args[1], 'path')],
  clearCaches: (args) => [cacheClearRequest(args[0])],
  lintImage: (args) => {
    const profile = optionalString(args[1], 'profile');
    if (profile !== undefined && profile !== 'spacelift' && profile !== 'gitlab') throw new WireError('profile must be spacelift or gitlab');
    return [requiredString(args[0], 'image'), profile];
  },
  saveSecrets: (args) => [requiredString(args[0], 'projectDir'), stringRecord(args[1], 'secrets') ?? {}],
  compareRuns: (args) => [runIdOrLast(args[0], 'runA'), runIdOrLast(args[1], 'runB'), optionalString(args[2], 'job')],
  listKept: () => [],
  releaseKept: (args) => [runIdOrLast(args[0], 'runId'), jobName(args[1], 'job')],
  rerun: (args) => [rerunRequest(args[0])],
};

function cacheClearRequest(value: unknown): CacheClearRequest {
  if (!isRecord(value)) throw new WireError('clearCaches needs a request object');
  switch (value.kind) {
    case 'volume':
      return { kind: 'volume', volume: requiredString(value.volume, 'volume') };
    case 'project':
      return { kind: 'project', project: requiredString(value.project, 'project') };
    case 'older-than': {
      const days = value.days;
      if (typeof days !== 'number' || !Number.isFinite(days) || days < 0) throw new WireError('days must be a number of days');
      return { kind: 'older-than', days, project: optionalString(value.project, 'project') };
    }
    case 'all':
      return { kind: 'all' };
    default:
      throw new WireError('kind must be volume, project, older-than or all');
  }
}
