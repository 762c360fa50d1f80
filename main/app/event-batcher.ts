// Groups run events before they cross a process boundary (IPC or WebSocket): one message per frame
// instead of one per log line. Hyper and VS Code batch the same way (16 ms / 200 KB).

import type { RunEvent } from '../../shared/events.js';

export interface BatchLimits {
  maxDelayMs: number;
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxDelayMs: 16, maxBytes: 200_000 };

export interface EventBatcher {
  push(event: RunEvent): void;
  /** Sends what is pending now. */
  flush(): void;
  /** Flushes and stops the timer; later pushes are dropped. */
  close(): void;
}

/** Log lines dominate the volume; other events are small. */
function approximateSize(event: RunEvent): number {
  return event.type === 'log' ? event.text.length + 100 : 300;
}

export function createEventBatcher(send: (events: RunEvent[]) => void, limits: BatchLimits = DEFAULT_BATCH_LIMITS): EventBatcher {
  let pending: RunEvent[] = [];
  let pendingBytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    send(batch);
  };

  return {
    push(event) {
      if (closed) return;
      pending.push(event);
      pendingBytes += approximateSize(event);
      if (pendingBytes >= limits.maxBytes) flush();
      else timer ??= setTimeout(flush, limits.maxDelayMs);
    },
    flush,
    close() {
      flush();
      closed = true;
    },
  };
}
