// What the services view shows beyond the service's state: its own output (kept by the store under
// serviceLogKey beside the job's log) and the variables it got (folded from its events).

import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { serviceLogKey } from '../../log/log-store.js';
import { useApp, useServices } from '../../state/context.js';

export const MAX_SERVICE_LINES = 500;

export interface ServiceDetails {
  lines: string[];
  variables?: string[];
  withheld?: string[];
}

export type ServiceDetailsByName = Record<string, ServiceDetails>;

// Colours and carriage returns are noise in a plain <pre>.
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\r/g;

/** The latest lines of one service's output, live while the run goes on. */
function useServiceLines(job: string, service: string): string[] {
  const { logs } = useServices();
  const key = serviceLogKey(job, service);
  const subscribe = useCallback(
    (changed: () => void) => {
      const unsubscribe = logs.subscribe(key, changed);
      const unsubscribeReset = logs.onReset(changed);
      return () => {
        unsubscribe();
        unsubscribeReset();
      };
    },
    [logs, key],
  );
  // Lines are appended in place, so the count (with the trimmed ones) is what tells a change.
  const count = useSyncExternalStore(subscribe, () => logs.droppedOf(key) + logs.linesOf(key).length);
  return useMemo(() => (count >= 0 ? logs.linesOf(key).slice(-MAX_SERVICE_LINES).map((line) => line.replace(ANSI, '')) : []), [logs, key, count]);
}

/** Output and variables of one service of `job`. */
export function useServiceDetails(job: string, service: string): ServiceDetails {
  const lines = useServiceLines(job, service);
  const event = useApp((s) => s.run?.jobs[job]?.services[service]);
  return { lines, variables: event?.variables, withheld: event?.withheld };
}
