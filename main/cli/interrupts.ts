// Ctrl-C (and SIGTERM) for `jobsim run` and `jobsim rerun`, listened to from before the run exists: a
// signal while the run is being set up must not kill the process between the run record being created
// and its first events (that left an `interrupted` run with no events). First Ctrl-C cancels gracefully
// (after_script, cleanup), the second kills at once and still cleans up, the third leaves now.

import type { RunHandle } from '../engine/run.js';

export interface Interrupts {
  /** Aborted by the first signal: a run not yet created is not created (startRun's `signal`). */
  readonly beforeStart: AbortSignal;
  /** From now on, signals act on this run (one that came before is applied at once). */
  attach(handle: RunHandle): void;
  stop(): void;
}

export function listenForInterrupts(): Interrupts {
  const beforeStart = new AbortController();
  let handle: RunHandle | undefined;
  let count = 0;
  const act = (): void => {
    if (count === 1) {
      process.stderr.write('\njobsim: canceling: stopping jobs, running after_script, cleaning up (press Ctrl-C again to kill at once)\n');
      beforeStart.abort();
      handle?.cancel();
    } else if (count === 2) {
      process.stderr.write('\njobsim: killing at once; still removing containers, networks and volumes (Ctrl-C again to leave now)\n');
      handle?.forceKill();
    }
  };
  const onSignal = (): void => {
    count++;
    if (count >= 3) {
      process.stderr.write('\njobsim: leaving now; run `jobsim gc` later to remove what this run left behind\n');
      process.exit(130);
    }
    act();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    beforeStart: beforeStart.signal,
    attach(run) {
      handle = run;
      if (count >= 1) run.cancel();
      if (count >= 2) run.forceKill();
    },
    stop() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
