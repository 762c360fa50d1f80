import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RunEventInput } from '../../shared/events.js';
import { LogStore } from '../../renderer/src/log/log-store.js';
import type { LogTerminal } from '../../renderer/src/log/terminal.js';
import { AppServicesProvider, useApp } from '../../renderer/src/state/context.js';
import { emptyRun, foldEvents } from '../../renderer/src/state/fold-events.js';
import { createAppStore } from '../../renderer/src/state/store.js';
import { RerunForm } from '../../renderer/src/views/debug/RerunForm.js';
import { createFakeApi } from '../support/fake-api.js';
import { demoPlan, job, runStarted, stamp } from './fixtures.js';

const noLogTerminal = (): LogTerminal => ({ write: (_d, cb) => cb?.(), clear: () => undefined, findNext: () => false, findPrevious: () => false, selection: () => '', scrollToBottom: () => undefined, fit: () => undefined, setScrollback: () => undefined, dispose: () => undefined });

function Form({ kept }: { kept: boolean }) {
  const unit = useApp((s) => (s.run?.runId === 'run-1' ? s.run.jobs.unit : undefined));
  return unit ? <RerunForm runId="run-1" job={unit} kept={kept} runFailed /> : <p>new run shown</p>;
}

function setup(options: { withPlan?: boolean; kept?: boolean } = {}) {
  const api = createFakeApi();
  const plan = demoPlan();
  plan.jobs[1] = job('unit', 'test', { script: ['make deps', 'make test'] });
  const logs = new LogStore();
  const store = createAppStore(api, logs, plan.projectDir);
  const events: RunEventInput[] = [
    runStarted(plan),
    {
      type: 'job',
      job: 'unit',
      state: 'running',
      variables: [
        { key: 'FOO', value: '1', masked: false, source: 'job' },
        { key: 'BAR', value: 'same', masked: false, source: 'project' },
        { key: 'TOKEN', value: '[MASKED]', masked: true, source: 'secret' },
      ],
    },
    { type: 'job', job: 'unit', state: 'failed', exitCode: 2 },
    { type: 'run', state: 'finished', status: 'failed', durationMs: 10 },
  ];
  store.setState({ run: foldEvents(emptyRun('run-1'), stamp('run-1', events)), ...(options.withPlan === false ? {} : { plan }) });
  render(
    <AppServicesProvider services={{ api, store, logs, createTerminal: noLogTerminal }}>
      <Form kept={options.kept ?? false} />
    </AppServicesProvider>,
  );
  return { api, store };
}

describe('the rerun form', () => {
  it('starts from the job\'s variables and script, and sends only what was changed', async () => {
    const { api } = setup();
    const user = userEvent.setup();
    expect(screen.getByLabelText('Value of FOO')).toHaveValue('1');
    expect(screen.getByLabelText('Script')).toHaveValue('make deps\nmake test');
    expect(screen.queryByDisplayValue('[MASKED]')).toBeNull();
    expect(screen.queryByLabelText(/Start from the kept container/)).toBeNull();
    expect(screen.queryByText(/keep-on-failure|Keep failed/)).toBeNull();

    await user.clear(screen.getByLabelText('Value of FOO'));
    await user.type(screen.getByLabelText('Value of FOO'), '2');
    await user.type(screen.getByLabelText('New value of secret TOKEN'), 'n3w');
    await user.type(screen.getByLabelText('New variable name'), 'DEBUG');
    await user.type(screen.getByLabelText('New variable value'), 'yes{Enter}');
    expect(screen.getByLabelText('Value of DEBUG')).toHaveValue('yes');
    expect(api.rerun).not.toHaveBeenCalled();
    await user.clear(screen.getByLabelText('Script'));
    await user.type(screen.getByLabelText('Script'), 'make deps{Enter}make test VERBOSE=1{Enter}');

    api.rerun.mockResolvedValue({ runId: 'run-2' });
    await user.click(screen.getByRole('button', { name: 'Rerun job' }));
    expect(api.rerun).toHaveBeenCalledWith({
      runId: 'run-1',
      job: 'unit',
      images: 'pinned',
      variables: { FOO: '2', DEBUG: 'yes' },
      secrets: { TOKEN: 'n3w' },
      script: ['make deps', 'make test VERBOSE=1'],
      keepOnFailure: true,
    });
    expect(await screen.findByText('new run shown')).toBeInTheDocument();
    expect(api.subscribe).toHaveBeenCalledWith('run-2', expect.any(Function));
  });

  it('keeps the job\'s script when the plan is not loaded and the editor is left empty; latest images and from the kept container', async () => {
    const { api, store } = setup({ withPlan: false, kept: true });
    const user = userEvent.setup();
    expect(screen.getByLabelText('Script')).toHaveValue('');
    await user.click(screen.getByLabelText(/latest images/));
    await user.click(screen.getByLabelText(/Start from the kept container/));
    api.rerun.mockResolvedValue({ runId: 'run-3' });
    await user.click(screen.getByRole('button', { name: 'Rerun job' }));
    expect(api.rerun).toHaveBeenCalledWith({ runId: 'run-1', job: 'unit', images: 'latest', fromKept: true, keepOnFailure: true });
    expect(store.getState().run?.runId).toBe('run-3');
  });

  it('reruns the failed jobs of the run', async () => {
    const { api, store } = setup();
    api.rerun.mockResolvedValue({ runId: 'run-4' });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Rerun failed jobs' }));
    expect(api.rerun).toHaveBeenCalledWith({ runId: 'run-1', onlyFailed: true, keepOnFailure: true });
    expect(store.getState().run?.runId).toBe('run-4');
  });

  it('says why a rerun could not start and lets you try again', async () => {
    const { api } = setup();
    api.rerun.mockRejectedValue(new Error('run run-1 is not stored any more'));
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Rerun job' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Rerun failed: run run-1 is not stored any more');
    expect(screen.getByRole('button', { name: 'Rerun job' })).toBeEnabled();
  });
});
