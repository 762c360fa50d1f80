// The run's one emitter: stamps runId and time on each event, masks every string in it, then hands it
// to the history writer and to every subscriber. Late subscribers get the backlog first.

import type { RunEvent, RunEventInput } from '../../shared/events.js';
import { createMasker, maskDeep } from '../../shared/masking.js';

export type RunListener = (event: RunEvent) => void;

/**
 * Late subscribers (a second browser tab) get the run so far from memory. Log lines are most of a run,
 * so only the latest are kept; every event is in the stored history.
 */
export const BACKLOG_LOG_LINES = 100_000;

export class RunEmitter {
  private backlog: RunEvent[] = [];
  private backlogLogLines = 0;
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
    if (event.type === 'log' && ++this.backlogLogLines > BACKLOG_LOG_LINES * 1.5) this.trimBacklog();
    this.store(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (e.g. a closed window) must not stop the run or the other subscribers.
      }
    }
  };

  /** Drops the oldest log lines beyond the limit, keeping every other event. */
  private trimBacklog(): void {
    let drop = this.backlogLogLines - BACKLOG_LOG_LINES;
    this.backlog = this.backlog.filter((event) => event.type !== 'log' || drop-- <= 0);
    this.backlogLogLines = BACKLOG_LOG_LINES;
  }

  subscribe(listener: RunListener): () => void {
    for (const event of this.backlog) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
