import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/api.js';
import { compareRunEvents } from '../../shared/compare.js';
import type { RunEvent } from '../../shared/events.js';
import { App } from '../../renderer/src/App.js';
import { LogStore } from '../../renderer/src/log/log-store.js';
import { createAppStore } from '../../renderer/src/state/store.js';
import { createFakeApi } from '../support/fake-api.js';
import { demoPlan, runStarted, stamp, textTerminal } from './fixtures.js';

const DAY = 86_400_000;
const now = Date.now();

const runs: RunSummary[] = [
  { runId: '20240429-160512-9a8b', projectDir: '/work/demo', projectPath: 'local/demo', status: 'success', startedAt: now - 3 * DAY, durationMs: 41_200, jobs: [{ name: 'compile', state: 'success' }, { name: 'unit', state: 'success' }, { name: 'lint', state: 'success' }] },
  { runId: '20240502-091200-e5f6', projectDir: '/work/demo', projectPath: 'local/demo', status: 'failed', startedAt: now - 2 * 3_600_000, durationMs: 63_900, jobs: [{ name: 'compile', state: 'success' }, { name: 'unit', state: 'failed' }, { name: 'lint', state: 'success' }] },
  { runId: '20240501-101500-a1b2', projectDir: '/work/rails', projectPath: 'acme/rails-app', status: 'interrupted', startedAt: now - DAY, jobs: [{ name: 'rspec', state: 'running' }] },
];

function setup(list: RunSummary[] | Error = runs) {
  const api = createFakeApi();
  api.doctor.mockResolvedValue({ endpoint: { source: 'default', address: 'unix:///var/run/docker.sock' }, reachable: true });
  if (list instanceof Error) api.listRuns.mockRejectedValue(list);
  else api.listRuns.mockResolvedValue(list);
  let deliver: (events: RunEvent[]) => void = () => undefined;
  api.subscribe.mockImplementation((_runId, onEvents) => {
    deliver = onEvents;
    return () => undefined;
  });
  const logs = new LogStore();
  const store = createAppStore(api, logs, '');
  store.setState({ connection: 'open', view: 'history' });
  render(<App services={{ api, store, logs, createTerminal: textTerminal }} />);
  return { api, store, send: (events: RunEvent[]) => act(() => deliver(events)) };
}

const rowOf = (runId: string) => screen.getByText(runId).closest('tr') as HTMLElement;

describe('the history view', () => {
  it('lists past runs newest first with status, start, duration, project and jobs', async () => {
    setup();
    const table = await screen.findByRole('table', { name: 'Past runs' });
    const ids = within(table).getAllByRole('row').slice(1).map((row) => row.getAttribute('data-run'));
    expect(ids).toEqual(['20240502-091200-e5f6', '20240501-101500-a1b2', '20240429-160512-9a8b']);
    const failed = rowOf('20240502-091200-e5f6');
    expect(failed).toHaveTextContent('failed');
    expect(failed).toHaveTextContent('1 m 4 s');
    expect(failed).toHaveTextContent('2 h ago');
    expect(failed).toHaveTextContent('local/demo');
    expect(failed).toHaveTextContent('compile, unit, lint (failed: unit)');
    expect(rowOf('20240501-101500-a1b2')).toHaveTextContent('interrupted');
  });

  it('opens a run: subscribes to it and replays it in the Run view, without a cancel button', async () => {
    const { api, send } = setup();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Open run 20240429-160512-9a8b' }));
    expect(api.subscribe).toHaveBeenCalledWith('20240429-160512-9a8b', expect.any(Function));
    send(
      stamp('20240429-160512-9a8b', [
        runStarted(demoPlan()),
        { type: 'job', job: 'compile', state: 'success', exitCode: 0, durationMs: 12_000 },
        { type: 'run', state: 'finished', status: 'success', durationMs: 41_200 },
      ]),
    );
    expect(screen.getByRole('button', { name: 'Run' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('table', { name: 'Jobs' })).toBeInTheDocument();
    expect(screen.getByText('20240429-160512-9a8b')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
  });

  it('shows an interrupted run as interrupted and read-only, never as running', async () => {
    const { send } = setup();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Open run 20240501-101500-a1b2' }));
    send(stamp('20240501-101500-a1b2', [runStarted(demoPlan()), { type: 'job', job: 'compile', state: 'running' }]));
    expect(screen.getByText('interrupted', { selector: '.run-status' })).toBeInTheDocument();
    expect(screen.getByText('stored run, read-only')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
  });

  it('moves between rows with the arrow keys and opens one with Enter', async () => {
    const { api } = setup();
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Past runs' });
    rowOf('20240502-091200-e5f6').focus();
    await user.keyboard('{ArrowDown}');
    expect(rowOf('20240501-101500-a1b2')).toHaveFocus();
    await user.keyboard('{End}');
    expect(rowOf('20240429-160512-9a8b')).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(api.subscribe).toHaveBeenCalledWith('20240429-160512-9a8b', expect.any(Function));
  });

  it('compares two picked runs, earlier one first, and goes back', async () => {
    const { api } = setup();
    const plan = demoPlan();
    const a = stamp('20240429-160512-9a8b', [runStarted(plan), { type: 'job', job: 'compile', state: 'success', exitCode: 0 }, { type: 'run', state: 'finished', status: 'success', durationMs: 41_200 }]);
    const b = stamp('20240502-091200-e5f6', [runStarted(plan), { type: 'job', job: 'compile', state: 'failed', exitCode: 2 }, { type: 'run', state: 'finished', status: 'failed', durationMs: 63_900 }]);
    api.compareRuns.mockResolvedValue(compareRunEvents(a, b));
    const user = userEvent.setup();
    const compare = await screen.findByRole('button', { name: 'Compare' });
    expect(compare).toBeDisabled();
    await user.click(screen.getByLabelText('Pick run 20240502-091200-e5f6 to compare'));
    await user.click(screen.getByLabelText('Pick run 20240429-160512-9a8b to compare'));
    await user.click(compare);
    expect(api.compareRuns).toHaveBeenCalledWith('20240429-160512-9a8b', '20240502-091200-e5f6');
    expect(await screen.findByText('exit code 0 → 2')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Back to history' }));
    expect(await screen.findByRole('table', { name: 'Past runs' })).toBeInTheDocument();
  });

  it('keeps at most two runs picked', async () => {
    setup();
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Past runs' });
    for (const id of ['20240502-091200-e5f6', '20240501-101500-a1b2', '20240429-160512-9a8b']) await user.click(screen.getByLabelText(`Pick run ${id} to compare`));
    expect(screen.getByLabelText('Pick run 20240502-091200-e5f6 to compare')).not.toBeChecked();
    expect(screen.getAllByRole('checkbox', { checked: true })).toHaveLength(2);
  });

  it('has an empty state', async () => {
    setup([]);
    expect(await screen.findByText(/No runs yet: every run you start here or with/)).toBeInTheDocument();
  });

  it('shows why the history could not be read and what to do', async () => {
    setup(new Error('socket closed before the answer'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the run history.');
    expect(alert).toHaveTextContent('check that `jobsim serve` (or the desktop app) is still running');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
