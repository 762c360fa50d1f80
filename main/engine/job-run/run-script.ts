// Runs one script in a created container and turns the outcome into an exit code or a stop reason:
// the job's timeout, a cancel (graceful: TERM, 10 s, KILL) or a force kill (at once).

import type { FailureReason } from '../../../shared/events.js';
import type { ScriptContainer } from '../../docker/script-container.js';
import type { RunContext } from '../contracts.js';
import { LineSplitter } from './lines.js';

export type ScriptResult = { kind: 'exited'; exitCode: number } | { kind: 'stopped'; reason: FailureReason };

export interface ScriptRun {
  run: RunContext;
  job: string;
  container: ScriptContainer;
  script: string;
  timeoutMs: number;
  /** The limit to name in the timeout reason (the job's `timeout`, of which `timeoutMs` is what is left). */
  limitMs?: number;
  /** Whether a cancel of the run stops this script (after_script runs on after a cancel). */
  stopOnCancel: boolean;
}

export const STOP_GRACE_SECONDS = 10;
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function runScript({ run, job, container, script, timeoutMs, limitMs, stopOnCancel }: ScriptRun): Promise<ScriptResult> {
  const emitLine = (stream: 'stdout' | 'stderr') => (text: string) => run.emit({ type: 'log', job, source: 'build', stream, text });
  const stdout = new LineSplitter(emitLine('stdout'), run.secrets);
  const stderr = new LineSplitter(emitLine('stderr'), run.secrets);
  let stopReason: FailureReason | undefined;
  let stopGrace = STOP_GRACE_SECONDS;
  const stop = (reason: FailureReason, graceSeconds: number): void => {
    stopReason ??= reason;
    stopGrace = Math.min(stopGrace, graceSeconds);
    void container.stop(graceSeconds);
  };
  // setTimeout fires at once for delays past 2^31-1 ms (~24.8 days); longer limits simply never fire.
  const timer = setTimeout(() => stop({ kind: 'timeout', timeoutMs: limitMs ?? timeoutMs }, STOP_GRACE_SECONDS), Math.min(timeoutMs, MAX_TIMER_MS));
  const onCancel = (): void => stop({ kind: 'canceled' }, STOP_GRACE_SECONDS);
  const onKill = (): void => stop({ kind: 'canceled' }, 0);
  if (stopOnCancel) {
    if (run.signal.aborted) onCancel();
    else run.signal.addEventListener('abort', onCancel, { once: true });
  }
  if (run.killSignal?.aborted) onKill();
  else run.killSignal?.addEventListener('abort', onKill, { once: true });
  try {
    // A stop that came while the container was still being started did nothing: repeat it.
    const exitCode = await container.run(script, stdout, stderr, () => {
      if (stopReason) void container.stop(stopGrace);
    }).catch((error: unknown) => {
      // A timeout or cancel stays what it was when the engine is lost while stopping the container.
      if (stopReason) return undefined;
      throw error;
    });
    return stopReason || exitCode === undefined ? { kind: 'stopped', reason: stopReason ?? { kind: 'canceled' } } : { kind: 'exited', exitCode };
  } finally {
    clearTimeout(timer);
    run.signal.removeEventListener('abort', onCancel);
    run.killSignal?.removeEventListener('abort', onKill);
    await Promise.all([new Promise<void>((resolve) => stdout.end(resolve)), new Promise<void>((resolve) => stderr.end(resolve))]);
  }
}
