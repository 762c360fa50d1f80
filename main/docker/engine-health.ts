// Whether the Docker engine behind a handle still answers, and the call budgets (call-budget.ts) applied to
// every request made through that handle. Installed on each handle by connectDocker (and by the engine
// watchdog on handles made elsewhere, e.g. in tests).
//
// When the engine is declared lost (the watchdog's pings go unanswered, a stop gets no answer, the socket
// is gone), every pending request on the handle ends at once with an EngineUnavailableError, streams and
// hijacked sockets included; while a watchdog still supervises the handle, new requests fail at once too,
// until a ping is answered again. So a job waiting on a frozen engine ends, and its cleanup does not hang.

import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
import { budgetFor, describeCall, type DialCall } from './call-budget.js';

export type EngineLoss = 'stopped-answering' | 'went-away';

export class EngineUnavailableError extends Error {
  constructor(readonly loss: EngineLoss, message: string) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

type DialCallback = (error: unknown, result: unknown) => void;
interface DialOptions extends Record<string, unknown> {
  method: string;
  path: string;
  options?: Record<string, unknown>;
  isStream?: boolean;
  hijack?: boolean;
  abortSignal?: AbortSignal;
}
interface Modem {
  dial(options: DialOptions, callback: DialCallback): void;
  socketPath?: unknown;
  host?: unknown;
  port?: unknown;
}

interface Health {
  lost?: EngineUnavailableError;
  /** Engine watchdogs running on this handle: while there is one, a lost engine fails new calls at once. */
  supervisors: number;
  /** Aborted when the engine is declared lost, then replaced. */
  pending: AbortController;
}

const healthOf = new WeakMap<object, Health>();
/** Marks the watchdog's own pings: they must reach the engine even while it counts as lost. */
const PROBE = 'jobsimProbe';

/** Errors that mean nothing listens on the socket any more: the engine went away (stopped, crashed). */
export function isGoneError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && ['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED'].includes(code)) return true;
  return error instanceof Error && /socket hang up/.test(error.message);
}

export function wentAwayError(cause: unknown): EngineUnavailableError {
  const errno = cause as (NodeJS.ErrnoException & { address?: string }) | undefined;
  const detail = errno?.code ? [errno.syscall ?? 'connect', errno.code, errno.address].filter(Boolean).join(' ') : cause instanceof Error ? cause.message : String(cause);
  return new EngineUnavailableError('went-away', `the Docker engine went away (${detail})`);
}

function healthFor(docker: object): Health {
  let health = healthOf.get(docker);
  if (!health) {
    health = { supervisors: 0, pending: new AbortController() };
    healthOf.set(docker, health);
    wrapDial(docker, health);
  }
  return health;
}

/** Applies the call budgets to every request of this handle (once). Returns the handle. */
export function withCallBudgets<T extends object>(docker: T): T {
  healthFor(docker);
  return docker;
}

function wrapDial(docker: object, health: Health): void {
  const modem = (docker as { modem: Modem }).modem;
  const dial = modem.dial.bind(modem);
  modem.dial = (options, callback) => {
    const probe = options[PROBE] === true;
    if (health.lost && health.supervisors > 0 && !probe) {
      const lost = health.lost;
      queueMicrotask(() => callback(lost, null));
      return;
    }
    const call: DialCall = { method: options.method, path: options.path, options: options.options, isStream: options.isStream, hijack: options.hijack };
    const budget = budgetFor(call);
    const ownSignal = options.abortSignal;
    const budgetControl = new AbortController();
    const seconds = (budget.ms ?? 0) / 1000;
    const timer = budget.ms === undefined ? undefined : setTimeout(() => {
      budgetControl.abort(new EngineUnavailableError('stopped-answering', `the Docker engine did not answer ${describeCall(call)} within ${seconds} s`));
    }, budget.ms);
    timer?.unref();
    const lostSignal = health.pending.signal;
    const signal = AbortSignal.any([lostSignal, budgetControl.signal, ...(ownSignal ? [ownSignal] : [])]);
    dial({ ...options, abortSignal: signal }, (error, result) => {
      clearTimeout(timer);
      if (error) {
        const ours = signal.aborted && !ownSignal?.aborted && signal.reason instanceof EngineUnavailableError;
        callback(ours ? signal.reason : error, result);
        return;
      }
      if ((options.isStream || options.hijack) && isStream(result)) guardStream(result, lostSignal, budget.idle ? budget.ms : undefined, call);
      callback(null, result);
    });
  };
}

const isStream = (value: unknown): value is Duplex => typeof (value as Duplex | null)?.destroy === 'function' && typeof (value as Duplex).on === 'function';

/** Ends a stream when the engine is declared lost, and (for transfers) when the engine is silent too long. */
function guardStream(stream: Duplex, lostSignal: AbortSignal, idleMs: number | undefined, call: DialCall): void {
  const onLost = (): void => {
    stream.destroy(lostSignal.reason instanceof Error ? lostSignal.reason : undefined);
  };
  if (lostSignal.aborted) return onLost();
  lostSignal.addEventListener('abort', onLost, { once: true });
  const socket = (stream as Duplex & { socket?: Duplex }).socket ?? stream;
  let idle: NodeJS.Timeout | undefined;
  const arm = (): void => {
    if (idleMs === undefined) return;
    clearTimeout(idle);
    idle = setTimeout(() => stream.destroy(new EngineUnavailableError('stopped-answering', `the Docker engine sent nothing for ${idleMs / 1000} s during ${describeCall(call)}`)), idleMs);
    idle.unref();
  };
  const done = (): void => {
    clearTimeout(idle);
    lostSignal.removeEventListener('abort', onLost);
    if (socket !== stream) socket.off('data', arm);
  };
  if (idleMs !== undefined && socket !== stream) socket.on('data', arm);
  arm();
  stream.once('close', done);
  stream.once('end', done);
  stream.once('error', done);
}

export type PingResult = { ok: true } | { ok: false; error: EngineUnavailableError };

/** A short GET /_ping that reaches the engine even while it counts as lost. `stop` ends it early (not answered). */
export async function pingEngine(docker: object, timeoutMs: number, stop?: AbortSignal): Promise<PingResult> {
  healthFor(docker);
  const modem = (docker as { modem: Modem }).modem;
  // First a new connection: a daemon shutting down has closed its socket but may still answer on the
  // kept-alive connections the ping below could reuse.
  const refused = await newConnectionRefused(modem, Math.min(timeoutMs, 2000));
  if (refused) return { ok: false, error: wentAwayError(refused) };
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  try {
    await new Promise((resolve, reject) => {
      modem.dial(
        { path: '/_ping', method: 'GET', statusCodes: { 200: true, 500: 'server error' }, abortSignal: signal, [PROBE]: true },
        (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)),
      );
    });
    return { ok: true };
  } catch (error) {
    if (isGoneError(error)) return { ok: false, error: wentAwayError(error) };
    const message = timeout.aborted ? `no answer to GET /_ping within ${timeoutMs / 1000} s` : error instanceof Error ? error.message : String(error);
    return { ok: false, error: new EngineUnavailableError('stopped-answering', `the Docker engine stopped answering (${message})`) };
  }
}

/** The error of a new connection to the engine when nothing listens any more; undefined when one opens (or hangs). */
function newConnectionRefused(modem: Modem, timeoutMs: number): Promise<Error | undefined> {
  const target = typeof modem.socketPath === 'string' && modem.socketPath !== ''
    ? { path: modem.socketPath }
    : typeof modem.host === 'string' && modem.host !== '' ? { host: modem.host, port: Number(modem.port) || 2375 } : undefined;
  if (!target) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket = createConnection(target);
    const settle = (result: Error | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => settle(undefined), timeoutMs);
    timer.unref();
    socket.once('connect', () => settle(undefined));
    socket.once('error', (error) => settle(isGoneError(error) ? error : undefined));
  });
}

/** Declares the engine lost: every pending request on the handle ends with `error`. */
export function engineLost(docker: object, error: EngineUnavailableError): void {
  const health = healthFor(docker);
  if (health.supervisors > 0) health.lost ??= error;
  const pending = health.pending;
  health.pending = new AbortController();
  pending.abort(health.lost ?? error);
}

/** The engine answered again: calls go through again. */
export function engineAnswered(docker: object): void {
  healthFor(docker).lost = undefined;
}

/** Why the engine counts as lost, while a watchdog supervises the handle. */
export function engineLossOf(docker: object): EngineUnavailableError | undefined {
  const health = healthFor(docker);
  return health.supervisors > 0 ? health.lost : undefined;
}

/** A watchdog supervises the handle until `release`; with none left, the lost state is forgotten. */
export function superviseEngine(docker: object): { release(): void } {
  const health = healthFor(docker);
  health.supervisors += 1;
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      health.supervisors -= 1;
      if (health.supervisors === 0) health.lost = undefined;
    },
  };
}
