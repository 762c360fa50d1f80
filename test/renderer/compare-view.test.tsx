import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { compareRunEvents, type RunComparison } from '../../shared/compare.js';
import type { RunEvent, RunEventInput } from '../../shared/events.js';
import { AppServicesProvider } from '../../renderer/src/state/context.js';
import { LogStore } from '../../renderer/src/log/log-store.js';
import { createAppStore } from '../../renderer/src/state/store.js';
import { CompareView } from '../../renderer/src/views/history/CompareView.js';
import { createFakeApi } from '../support/fake-api.js';
import uiViewsChanged from '../fixtures/events/ui-views-changed.ndjson?raw';
import uiViews from '../fixtures/events/ui-views.ndjson?raw';
import { demoPlan, runStarted } from './fixtures.js';
import { parseNdjson } from './recorded-run.js';

// Real recordings (test/fixtures/events/record.ts): the same project run twice, the registry tag of the
// `web` job's image moved to another image in between.

const before = parseNdjson(uiViews);
const after = parseNdjson(uiViewsChanged);
const A = before[0]?.runId ?? '';
const B = after[0]?.runId ?? '';

// The recordings have no failing job and no variables: this small pair covers exit codes and masking.
function handRun(runId: string, start: number, changed: boolean): RunEvent[] {
  const events: RunEventInput[] = [
    runStarted(demoPlan()),
    { type: 'job', job: 'unit', state: 'running', variables: [{ key: 'NODE_ENV', value: changed ? 'production' : 'test', masked: false, source: 'job' }, { key: 'NPM_TOKEN', value: '[MASKED]', masked: true, source: 'secret' }] },
    { type: 'stage', job: 'unit', stage: 'prepare', state: 'finished', status: 'success', durationMs: changed ? 2_900 : 1_200 },
    { type: 'cache', job: 'unit', key: 'node-modules-3f2a9c1e', volume: 'jobsim-cache-local-demo-node-modules-3f2a9c1e', action: 'restored', bytes: 50_331_648, files: 12_408 },
    { type: 'log', job: 'unit', source: 'build', stream: 'stdout', text: changed ? 'FAIL: 1 of 42 tests' : 'ok: 42 tests passed' },
    { type: 'job', job: 'unit', state: changed ? 'failed' : 'success', exitCode: changed ? 1 : 0 },
    { type: 'run', state: 'finished', status: changed ? 'failed' : 'success', durationMs: changed ? 63_900 : 41_200 },
  ];
  return events.map((event, index) => ({ ...event, runId, time: start + index * 100 }) as RunEvent);
}

function setup(result: RunComparison | Error = compareRunEvents(before, after)) {
  const api = createFakeApi();
  if (result instanceof Error) api.compareRuns.mockRejectedValue(result);
  else api.compareRuns.mockResolvedValue(result);
  const logs = new LogStore();
  const store = createAppStore(api, logs, '');
  const back = { calls: 0 };
  render(
    <AppServicesProvider services={{ api, store, logs, createTerminal: () => ({}) as never }}>
      <CompareView runA={A} runB={B} onBack={() => back.calls++} />
    </AppServicesProvider>,
  );
  return { api, back };
}

describe('the compare view', () => {
  it('starts on the job that differs and highlights its changed image digest', async () => {
    const { api } = setup();
    const table = await screen.findByRole('table', { name: 'Comparison of web' });
    expect(api.compareRuns).toHaveBeenCalledWith(A, B);
    const image = within(table).getByText('build').closest('tr') as HTMLElement;
    expect(image).toHaveAttribute('data-changed', 'true');
    expect(image).toHaveClass('changed');
    expect(image).toHaveTextContent('changed');
    expect(image).toHaveTextContent('dcf64476bfe4');
    expect(image).toHaveTextContent('d5788c7a7fff');
    expect(image).toHaveTextContent('pulled (policy always)');
    const service = within(table).getByText('jobsim-test/http:1').closest('tr') as HTMLElement;
    expect(service).toHaveAttribute('data-changed', 'false');
    expect(service).toHaveTextContent('used-local (policy if-not-present)');
  });

  it('shows both runs, status, exit codes, stage durations and caches side by side', async () => {
    setup();
    const table = await screen.findByRole('table', { name: 'Comparison of web' });
    const runs = screen.getByRole('group', { name: 'Runs compared' });
    expect(runs).toHaveTextContent(`A ${A} success`);
    expect(runs).toHaveTextContent(`B ${B} success`);
    expect(runs).toHaveTextContent('local/ui-views');
    const status = within(table).getByText('Status').closest('tr') as HTMLElement;
    expect(within(status).getAllByRole('cell').map((c) => c.textContent)).toEqual(['success', 'success']);
    expect(status).toHaveAttribute('data-changed', 'false');
    // Durations differ with every recording: check the row's shape, not its numbers.
    const preBuild = within(table).getByText(/^pre-build( \(|$)/).closest('tr') as HTMLElement;
    expect(within(preBuild).getAllByRole('cell').map((c) => c.textContent)).toEqual([expect.stringMatching(/\d+(\.\d+)? (ms|s)$/), expect.stringMatching(/\d+(\.\d+)? (ms|s)$/)]);
    const cacheRows = within(table).getAllByText('ui-views').map((cell) => cell.closest('tr') as HTMLElement);
    expect(cacheRows[0]).toHaveTextContent('restore');
    expect(cacheRows[0]).toHaveAttribute('data-changed', 'true');
    expect(cacheRows[1]).toHaveTextContent('save');
    expect(cacheRows[1]).toHaveTextContent('saved · 7 B · 1 file');
  });

  it('lists the differences in sentences', async () => {
    setup();
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(summary).toHaveTextContent('build image 127.0.0.1:5000/jobsim-ui-views/app:1: digest dcf64476bfe4 → d5788c7a7fff');
    expect(summary).toHaveTextContent('log: 9 lines differ');
  });

  it('diffs the log, ignoring timestamps', async () => {
    setup();
    const diff = await screen.findByRole('list', { name: 'Log differences' });
    const lines = within(diff).getAllByRole('listitem');
    const byOp = (op: string) => lines.filter((line) => line.dataset.op === op).map((line) => line.querySelector('.diff-text')?.textContent ?? '');
    expect(byOp('removed')).toContain('Failed to extract cache');
    expect(byOp('added')).toContain('Successfully extracted cache');
    expect(byOp('removed').some((text) => text.startsWith('Using docker image sha256:536cab8fddd7'))).toBe(true);
    expect(byOp('added').some((text) => text.startsWith('Using docker image sha256:77f5f33e1fc2'))).toBe(true);
    // The section markers carry different times in each run: they compare equal and show as their header.
    expect(byOp('same')).toContain('Executing "step_script" stage of the job script');
    expect(byOp('same')).toContain('Restoring cache');
    expect(lines.some((line) => line.dataset.op === 'skipped')).toBe(true);
    expect(screen.getByText('+4')).toBeInTheDocument();
    expect(screen.getByText('−5')).toBeInTheDocument();
  });

  it('picks another job', async () => {
    setup();
    const user = userEvent.setup();
    const picker = await screen.findByRole('combobox', { name: /Job/ });
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['web (3 differences)', 'local (same)']);
    await user.selectOptions(picker, 'local');
    const table = screen.getByRole('table', { name: 'Comparison of local' });
    expect(within(table).getByText('build').closest('tr')).toHaveAttribute('data-changed', 'false');
    expect(screen.getByRole('region', { name: 'Summary' })).toHaveTextContent('Nothing: same status');
    expect(screen.getByText(/the logs match/)).toBeInTheDocument();
  });

  it('shows exit codes and keeps masked values masked', async () => {
    setup(compareRunEvents(handRun('20240501-091200-a1b2', 1_714_554_720_000, false), handRun('20240502-091200-e5f6', 1_714_641_120_000, true)));
    const table = await screen.findByRole('table', { name: 'Comparison of unit' });
    expect(within(table).getByText('Exit code').closest('tr')).toHaveAttribute('data-changed', 'true');
    expect(within(table).getByText('Exit code').closest('tr')).toHaveTextContent('01');
    const token = within(table).getByText('NPM_TOKEN').closest('tr') as HTMLElement;
    expect(within(token).getAllByText('[MASKED]')).toHaveLength(2);
    expect(token).toHaveAttribute('data-changed', 'false');
    expect(within(table).getByText('NODE_ENV').closest('tr')).toHaveAttribute('data-changed', 'true');
    expect(within(table).getByText('node-modules-3f2a9c1e').closest('tr')).toHaveTextContent('restored · 48 MB · 12408 files');
    expect(screen.getByRole('region', { name: 'Summary' })).toHaveTextContent('exit code 0 → 1');
  });

  it('says what to do when the comparison fails, and goes back', async () => {
    const { back } = setup(new Error(`run ${A} is not in the history`));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the comparison.');
    expect(alert).toHaveTextContent('is not in the history');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Back to history' }));
    expect(back.calls).toBe(1);
  });
});
