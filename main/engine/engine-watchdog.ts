// While a job runs, the engine watchdog pings the Docker engine on its own short timeout. When nothing has
// answered for LOST_AFTER_MS (a frozen dockerd, a suspended VM) or the socket is gone, it declares the
// engine lost: every call the job is waiting on ends with "the Docker engine stopped answering" (or "went
// away"), the job fails with `daemon-lost`, and its cleanup fails fast, naming what it leaves to the reaper.
// A cancel or a kill asks at once, so Ctrl-C never waits for an engine that does not answer.

import { engineAnswered, engineLost, EngineUnavailableError, pingEngine, superviseEngine, type PingResult } from '../docker/engine-health.js';
import type { RunContext } from './contracts.js';

export const WATCHDOG_TIMING = {
  /** Declared lost this long after the last answer: within the 10 s promised in docs/engine.md. */
  lostAfterMs: 8000,
  /** Pause between answered pings. */
  everyMs: 2000,
  /** The shortest ping timeout, and the pause between pings once the engine counts as lost. */
  minPingMs: 1000,
  /** A cancel or kill waits this long for an answer before the engine counts as lost. */
  onStopMs: 3000,
};

export interface WatchdogPorts {
  ping(timeoutMs: number, stop: AbortSignal): Promise<PingResult>;
  lost(error: EngineUnavailableError): void;
  answered(): void;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface Watchdog {
  /** Pings at once (on cancel or kill); a missing answer within `onStopMs` counts as lost. */
  checkNow(): void;
  stop(): void;
}

export function startWatchdog(ports: WatchdogPorts, timing = WATCHDOG_TIMING): Watchdog {
  const stopped = new AbortController();
  let lastAnswer = ports.now();
  let lost = false;
  const declareLost = (error: EngineUnavailableError): void => {
    if (lost || stopped.signal.aborted) return;
    lost = true;
    ports.lost(error);
  };
  const answered = (): void => {
    lastAnswer = ports.now();
    if (!lost) return;
    lost = false;
    ports.answered();
  };
  const loop = async (): Promise<void> => {
    while (!stopped.signal.aborted) {
      const silentFor = ports.now() - lastAnswer;
      const result = await ports.ping(Math.max(timing.minPingMs, timing.lostAfterMs - silentFor), stopped.signal);
      if (stopped.signal.aborted) return;
      if (result.ok) {
        answered();
        await ports.sleep(timing.everyMs);
        continue;
      }
      const silence = ports.now() - lastAnswer;
      if (result.error.loss === 'went-away') declareLost(result.error);
      else if (silence >= timing.lostAfterMs) declareLost(new EngineUnavailableError('stopped-answering', `the Docker engine stopped answering (no answer for ${Math.round(silence / 1000)} s)`));
      await ports.sleep(timing.minPingMs);
    }
  };
  void loop();
  return {
    checkNow: () => {
      void ports.ping(timing.onStopMs, stopped.signal).then((result) => {
        if (result.ok) answered();
        else if (!stopped.signal.aborted) declareLost(result.error);
      });
    },
    stop: () => stopped.abort(),
  };
}

// Unreferenced: the watchdog must never keep the CLI alive.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Runs `body` (one job) with the engine watched. */
export async function watchingEngine<T>(run: RunContext, body: () => Promise<T>): Promise<T> {
  const { docker } = run;
  const supervision = superviseEngine(docker);
  const watchdog = startWatchdog({
    ping: (timeoutMs, stop) => pingEngine(docker, timeoutMs, stop),
    lost: (error) => engineLost(docker, error),
    answered: () => engineAnswered(docker),
    now: () => Date.now(),
    sleep,
  });
  const onStop = (): void => watchdog.checkNow();
  run.signal.addEventListener('abort', onStop, { once: true });
  run.killSignal?.addEventListener('abort', onStop, { once: true });
  try {
    return await body();
  } finally {
    run.signal.removeEventListener('abort', onStop);
    run.killSignal?.removeEventListener('abort', onStop);
    watchdog.stop();
    supervision.release();
  }
}
