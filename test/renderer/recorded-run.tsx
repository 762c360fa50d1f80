// Replays a recorded `jobsim run --json` stream (test/fixtures/events/*.ndjson, made by record.ts) through
// the real store, and renders a view with the app's services, as the run views see them.

import { act, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { RunEvent } from '../../shared/events.js';
import { upgradeStoredEvent } from '../../shared/upgrade-event.js';
import { LogStore } from '../../renderer/src/log/log-store.js';
import { AppServicesProvider, useApp } from '../../renderer/src/state/context.js';
import type { JobView } from '../../renderer/src/state/run-model.js';
import { createAppStore } from '../../renderer/src/state/store.js';
import { createFakeApi } from '../support/fake-api.js';
import { textTerminal } from './fixtures.js';
import uiViewsChangedText from '../fixtures/events/ui-views-changed.ndjson?raw';
import uiViewsText from '../fixtures/events/ui-views.ndjson?raw';

/** The recording as history replays it: stored events brought up to the current event shape. */
export function parseNdjson(text: string): RunEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => upgradeStoredEvent(JSON.parse(line) as RunEvent));
}

/** First run: the registry image is pulled with a digest; `local` uses a present image. */
export const uiViews = (): RunEvent[] => parseNdjson(uiViewsText);
/** Second run, after the registry tag moved: the local digest differs from the registry's. */
export const uiViewsChanged = (): RunEvent[] => parseNdjson(uiViewsChangedText);

/** Events up to and including the first one `match` accepts. */
export function until(events: RunEvent[], match: (event: RunEvent) => boolean): RunEvent[] {
  const index = events.findIndex(match);
  if (index < 0) throw new Error('no event matches');
  return events.slice(0, index + 1);
}

/**
 * A store watching the recorded run: every subscription (the store's, and any a view makes) first gets
 * `initial`; `send` delivers more events to all subscribers, as a live run would.
 */
export function replay(initial: RunEvent[]) {
  const api = createFakeApi();
  const subscribers = new Set<(events: RunEvent[]) => void>();
  let delivered = [...initial];
  api.subscribe.mockImplementation((_runId, onEvents) => {
    subscribers.add(onEvents);
    onEvents(delivered);
    return () => subscribers.delete(onEvents);
  });
  const logs = new LogStore();
  const store = createAppStore(api, logs, '/work/ui-views');
  const runId = initial[0]?.runId ?? 'run';
  store.getState().watchRun(runId);
  const services = { api, store, logs, createTerminal: textTerminal };
  const send = (events: RunEvent[]) =>
    act(() => {
      delivered = [...delivered, ...events];
      for (const onEvents of subscribers) onEvents(events);
    });
  const renderView = (view: ReactNode) => render(<AppServicesProvider services={services}>{view}</AppServicesProvider>);
  return { api, store, logs, runId, send, renderView };
}

/** Renders `view` with the job as the store has it now, redrawn as events arrive. */
export function LiveJob({ name, view }: { name: string; view: (job: JobView) => ReactNode }) {
  const job = useApp((s) => s.run?.jobs[name]);
  return job ? <>{view(job)}</> : <p>no job {name}</p>;
}
