import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeptJob, ShellOutput, ShellSession, TerminalSize } from '../../shared/debug.js';
import type { RunEventInput } from '../../shared/events.js';
import { LogStore } from '../../renderer/src/log/log-store.js';
import type { ShellTerminal } from '../../renderer/src/log/shell-terminal.js';
import type { LogTerminal } from '../../renderer/src/log/terminal.js';
import { AppServicesProvider, useApp } from '../../renderer/src/state/context.js';
import { emptyRun, foldEvents } from '../../renderer/src/state/fold-events.js';
import { createAppStore } from '../../renderer/src/state/store.js';
import { DebugPanel } from '../../renderer/src/views/debug/DebugPanel.js';
import { ProjectView } from '../../renderer/src/views/project/ProjectView.js';
import { createFakeApi } from '../support/fake-api.js';
import { demoPlan, runStarted, stamp } from './fixtures.js';

/** Stands in for xterm: records what the shell wrote, and lets the test type and resize. */
function fakeShellTerminals() {
  const terminals: { text: string; type(data: string): void; resize(size: TerminalSize): void; disposed: boolean }[] = [];
  const create = (): ShellTerminal => {
    const dataListeners = new Set<(data: string) => void>();
    const resizeListeners = new Set<(size: TerminalSize) => void>();
    const record = {
      text: '',
      disposed: false,
      type: (data: string) => dataListeners.forEach((listener) => listener(data)),
      resize: (size: TerminalSize) => resizeListeners.forEach((listener) => listener(size)),
    };
    terminals.push(record);
    return {
      write: (data) => void (record.text += data),
      onData: (listener) => (dataListeners.add(listener), () => dataListeners.delete(listener)),
      onResize: (listener) => (resizeListeners.add(listener), () => resizeListeners.delete(listener)),
      size: () => ({ cols: 80, rows: 24 }),
      fit: () => undefined,
      focus: () => undefined,
      dispose: () => void (record.disposed = true),
    };
  };
  return { terminals, create };
}

const noLogTerminal = (): LogTerminal => ({ write: (_d, cb) => cb?.(), clear: () => undefined, findNext: () => false, findPrevious: () => false, selection: () => '', scrollToBottom: () => undefined, fit: () => undefined, setScrollback: () => undefined, dispose: () => undefined });

function SelectedJob({ name }: { name: string }) {
  const job = useApp((s) => s.run?.jobs[name]);
  return job ? <DebugPanel job={job} /> : null;
}

const KEPT_EXPIRES = Date.now() + 30 * 60_000;
const KEPT: RunEventInput = { type: 'kept', job: 'unit', container: 'jobsim-run-1-unit', network: 'jobsim-run-1', services: [{ name: 'postgres', aliases: ['postgres', 'db'] }], expiresAt: KEPT_EXPIRES, failedCommand: '$ make test', exitCode: 2 };

function keptJob(expiresAt: number): KeptJob {
  return { runId: 'run-1', job: 'unit', projectPath: 'local/demo', container: 'jobsim-run-1-unit', services: [], network: 'jobsim-run-1', keptAt: 0, lastUsedAt: 0, expiresAt };
}

function setup(events: RunEventInput[], finished = true) {
  const api = createFakeApi();
  const plan = demoPlan();
  const logs = new LogStore();
  const store = createAppStore(api, logs, plan.projectDir);
  const all: RunEventInput[] = [runStarted(plan), ...events];
  if (finished) all.push({ type: 'run', state: 'finished', status: 'failed', durationMs: 1000 });
  store.setState({ run: foldEvents(emptyRun('run-1'), stamp('run-1', all)) });
  api.listKept.mockResolvedValue([keptJob(KEPT_EXPIRES)]);
  const shells = fakeShellTerminals();
  let emit: (output: ShellOutput) => void = () => undefined;
  const session = { write: vi.fn<ShellSession['write']>(), resize: vi.fn<ShellSession['resize']>(), close: vi.fn<ShellSession['close']>() };
  api.openShell.mockImplementation((_target, _size, onOutput) => {
    emit = onOutput;
    return session;
  });
  const view = render(
    <AppServicesProvider services={{ api, store, logs, createTerminal: noLogTerminal, createShellTerminal: shells.create }}>
      <SelectedJob name="unit" />
    </AppServicesProvider>,
  );
  return { api, store, shells, session, view, emit: (output: ShellOutput) => act(() => emit(output)) };
}

const failedUnit: RunEventInput[] = [
  { type: 'job', job: 'unit', state: 'running', variables: [{ key: 'FOO', value: '1', masked: false, source: 'job' }] },
  { type: 'job', job: 'unit', state: 'failed', exitCode: 2, reason: { kind: 'script', exitCode: 2 } },
];

afterEach(() => {
  vi.useRealTimers();
});

describe('the debug panel of a kept job', () => {
  it('shows what failed, when it is removed, and the services reachable from the shell', async () => {
    const { api } = setup([...failedUnit, KEPT]);
    const banner = screen.getByRole('region', { name: 'Kept for debugging' });
    expect(banner).toHaveTextContent('$ make test failed with exit code 2');
    expect(banner).toHaveTextContent('Secret values are left out of the image committed from it; the kept container itself holds them until Done or the timeout.');
    expect(within(banner).getByRole('timer')).toHaveTextContent(/^(30:00|29:5\d)$/);
    const services = screen.getByRole('region', { name: 'Reachable services' });
    expect(services).toHaveTextContent('postgres as postgres, db');
    expect(api.listKept).toHaveBeenCalled();
  });

  it('says the containers are gone when the host no longer keeps the job (expired or released elsewhere)', async () => {
    const api = createFakeApi();
    api.listKept.mockResolvedValue([]);
    const logs = new LogStore();
    const store = createAppStore(api, logs);
    store.setState({ run: foldEvents(emptyRun('run-1'), stamp('run-1', [runStarted(demoPlan()), ...failedUnit, KEPT])) });
    render(
      <AppServicesProvider services={{ api, store, logs, createTerminal: noLogTerminal }}>
        <SelectedJob name="unit" />
      </AppServicesProvider>,
    );
    expect(await screen.findByText(/were removed/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Open shell' })).toBeNull();
  });

  it('refreshes the expiry from the host every 30 s, since shells bump it', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { api } = setup([...failedUnit, KEPT]);
    api.listKept.mockResolvedValue([keptJob(Date.now() + 5 * 60_000)]);
    await act(async () => vi.advanceTimersByTimeAsync(30_000));
    expect(api.listKept).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('timer')).toHaveTextContent(/^(5:00|4:[345]\d)$/);
  });

  it('runs a shell: banner and output into the terminal, keystrokes and resizes to the session, exit and a new shell', async () => {
    const { api, shells, session, emit } = setup([...failedUnit, KEPT]);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Open shell' }));
    expect(api.openShell).toHaveBeenCalledWith({ runId: 'run-1', job: 'unit' }, { cols: 80, rows: 24 }, expect.any(Function));
    const shell = screen.getByRole('region', { name: 'Shell' });
    expect(shell).toHaveTextContent('Connecting…');

    emit({ kind: 'opened', shellId: 's1', banner: 'Kept container of unit; $ make test failed (exit 2)\r\n', container: 'jobsim-run-1-unit' });
    emit({ kind: 'data', data: '/builds/local/demo # ' });
    const terminal = shells.terminals[0]!;
    expect(terminal.text).toBe('Kept container of unit; $ make test failed (exit 2)\r\n/builds/local/demo # ');
    expect(shell).toHaveTextContent('jobsim-run-1-unit');

    act(() => terminal.type('ls\r'));
    expect(session.write).toHaveBeenCalledWith('ls\r');
    act(() => terminal.resize({ cols: 120, rows: 40 }));
    expect(session.resize).toHaveBeenCalledWith({ cols: 120, rows: 40 });

    emit({ kind: 'exit', code: 3 });
    expect(terminal.text).toContain('[shell exited with code 3]');
    expect(shell).toHaveTextContent('[shell exited with code 3]');
    act(() => terminal.type('x'));
    expect(session.write).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole('button', { name: 'New shell' }));
    expect(api.openShell).toHaveBeenCalledTimes(2);
    expect(terminal.disposed).toBe(true);
    expect(shells.terminals).toHaveLength(2);
  });

  it('closes the session when the shell goes away, and shows errors', async () => {
    const { session, emit, view } = setup([...failedUnit, KEPT]);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Open shell' }));
    emit({ kind: 'error', message: 'the kept container is gone' });
    expect(screen.getByRole('alert')).toHaveTextContent('the kept container is gone');
    expect(screen.getByRole('button', { name: 'New shell' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'New shell' }));
    emit({ kind: 'opened', shellId: 's2', banner: '', container: 'c' });
    view.unmount();
    expect(session.close).toHaveBeenCalledTimes(1);
  });

  it('"Done" removes the kept containers', async () => {
    const { api } = setup([...failedUnit, KEPT]);
    api.releaseKept.mockResolvedValue(undefined);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(api.releaseKept).toHaveBeenCalledWith('run-1', 'unit');
    expect(await screen.findByText(/were removed/)).toHaveTextContent('The kept containers, services and network of unit were removed.');
    expect(screen.queryByRole('button', { name: 'Open shell' })).toBeNull();
    expect(screen.queryByLabelText(/Start from the kept container/)).toBeNull();
  });

  it('says when "Done" fails', async () => {
    const { api } = setup([...failedUnit, KEPT]);
    api.releaseKept.mockRejectedValue(new Error('engine went away'));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Done' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('engine went away');
    expect(screen.getByRole('button', { name: 'Open shell' })).toBeInTheDocument();
  });
});

describe('the debug panel of other jobs', () => {
  it('opens shells in a running job\'s build container and its services', async () => {
    const { api } = setup([
      { type: 'job', job: 'unit', state: 'running' },
      { type: 'service', job: 'unit', name: 'redis', image: 'redis:7', aliases: ['redis'], state: 'healthy' },
    ], false);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Open shell in service redis' }));
    expect(api.openShell).toHaveBeenLastCalledWith({ runId: 'run-1', job: 'unit', service: 'redis' }, { cols: 80, rows: 24 }, expect.any(Function));
    await user.click(screen.getByRole('button', { name: 'Open shell in the running build container' }));
    expect(api.openShell).toHaveBeenLastCalledWith({ runId: 'run-1', job: 'unit' }, { cols: 80, rows: 24 }, expect.any(Function));
    expect(screen.getAllByRole('region', { name: 'Shell' })).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Rerun job' })).toBeNull();
  });

  it('explains why a failed job has no shell and how to get one', () => {
    setup(failedUnit);
    expect(screen.getByText(/No shell available/).parentElement).toHaveTextContent('failed jobs were not kept in this run');
    expect(screen.getByText(/Keep failed jobs for debugging/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rerun job' })).toBeInTheDocument();
  });
});

describe('keep failed jobs for debugging', () => {
  it('is on by default and passed to every run', async () => {
    const api = createFakeApi();
    const plan = demoPlan();
    api.startRun.mockResolvedValue({ runId: 'run-9' });
    const logs = new LogStore();
    const store = createAppStore(api, logs, plan.projectDir);
    store.setState({ plan });
    render(
      <AppServicesProvider services={{ api, store, logs, createTerminal: noLogTerminal }}>
        <ProjectView />
      </AppServicesProvider>,
    );
    const user = userEvent.setup();
    const toggle = screen.getByRole('checkbox', { name: 'Keep failed jobs for debugging' });
    expect(toggle).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Run pipeline' }));
    expect(api.startRun).toHaveBeenLastCalledWith(expect.objectContaining({ keepOnFailure: true }));
    await user.click(toggle);
    await user.click(screen.getByRole('button', { name: 'Run unit with its needs' }));
    expect(api.startRun).toHaveBeenLastCalledWith(expect.objectContaining({ jobs: ['unit'], withNeeds: true, keepOnFailure: false }));
  });
});
