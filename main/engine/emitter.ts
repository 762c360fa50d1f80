// The run's one emitter: stamps runId and time on each event, masks every string in it, then hands it
// to the history writer and to every subscriber. Late subscribers get the backlog first.

import type { RunEvent, RunEventInput } from '../../shared/events.js';
import { createMasker, maskDeep } from '../../shared/masking.js';

export type RunListener = (event: RunEvent) => void;

export class RunEmitter {
  private readonly backlog: RunEvent[] = [];
  private readonly listeners = new Set<RunListener>();
  private readonly masker;

  constructor(
    private readonly runId: string,
    secrets: readonly string[],
    private readonly store: (event: RunEvent) => void,
  ) {
    this.masker = createMasker(secrets);
  }

  readonly emit = (input: RunEventInput): void => {
    // type, runId and time first: easier to read in NDJSON and in the stored history.
    const { type, ...fields } = input;
    const event = maskDeep({ type, runId: this.runId, time: Date.now(), ...fields } as RunEvent, this.masker);
    this.backlog.push(event);
    this.store(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (e.g. a closed window) must not stop the run or the other subscribers.
      }
    }
  };

  subscribe(listener: RunListener): () => void {
    for (const event of this.backlog) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
