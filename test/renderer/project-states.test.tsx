// The project view answers "why is my job (not) in the pipeline?": states greyed with their reason,
// excluded jobs behind a toggle, parallel jobs grouped; and the pipeline choice next to "Run pipeline"
// reads the job list again for the chosen pipeline and runs that one.

import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LogStore } from '../../renderer/src/log/log-store.js';
import { AppServicesProvider } from '../../renderer/src/state/context.js';
import { createAppStore } from '../../renderer/src/state/store.js';
import { ProjectView } from '../../renderer/src/views/project/ProjectView.js';
import { createFakeApi } from '../support/fake-api.js';
import { statesPlan } from '../support/state-plans.js';

function setup() {
  const api = createFakeApi();
  api.openProject.mockResolvedValue({ ok: true, plan: statesPlan() });
  api.startRun.mockResolvedValue({ runId: 'run-1' });
  const logs = new LogStore();
  const store = createAppStore(api, logs, '/work/shop');
  render(
    <AppServicesProvider services={{ api, store, logs, createTerminal: () => { throw new Error('no log here'); } }}>
      <ProjectView />
    </AppServicesProvider>,
  );
  void store.getState().openProject('/work/shop');
  return { api, store };
}

const card = (graph: HTMLElement, name: string): HTMLElement => graph.querySelector<HTMLElement>(`[data-job="${name}"], [data-group="${name}"]`) ?? (() => { throw new Error(`no card ${name}`); })();

describe('job states in the project view', () => {
  it('greys the jobs that will not simply run, with their reason, and offers no Run for blocked ones', async () => {
    setup();
    const graph = await screen.findByRole('group', { name: 'Pipeline graph' });
    expect(card(graph, 'compile')).not.toHaveClass('not-runnable');
    const windows = within(graph).getByLabelText('job windows-build, needs a runner');
    expect(windows).toHaveClass('not-runnable', 'job-state-needs-runner');
    expect(windows).toHaveTextContent('needs a Windows runner (tags: windows, shared)');
    expect(within(windows).queryByRole('button', { name: 'Run windows-build' })).toBeNull();
    expect(within(graph).getByLabelText('job no-image, needs an image')).toHaveTextContent('has no image: set image: or give --default-image');
    expect(within(graph).getByLabelText('job templates, broken')).toHaveTextContent('extends ".remote-base" from an include that cannot be read offline');
    const review = within(graph).getByLabelText('job review, manual');
    expect(review).toHaveTextContent('runs when you start it');
    expect(within(review).getByRole('button', { name: 'Run review' })).toBeInTheDocument();
  });

  it('hides excluded jobs behind "show 2 excluded jobs", which shows them with the clause that excluded them', async () => {
    setup();
    const graph = await screen.findByRole('group', { name: 'Pipeline graph' });
    expect(graph.querySelector('[data-job="nightly"]')).toBeNull();
    await userEvent.click(screen.getByRole('checkbox', { name: 'show 2 excluded jobs' }));
    expect(within(graph).getByLabelText('job nightly, excluded')).toHaveTextContent('only: schedules');
    expect(within(graph).getByLabelText('job release, excluded')).toHaveTextContent('rules: no rule matched');
  });

  it('groups parallel instances under their job, as GitLab draws them, and opens the group', async () => {
    setup();
    const graph = await screen.findByRole('group', { name: 'Pipeline graph' });
    const test = within(graph).getByLabelText('job group test, 3 jobs');
    expect(graph.querySelector('[data-job="test 1/3"]')).toBeNull();
    expect(graph.querySelector('[data-edge="compile->test"]')).not.toBeNull();
    // Mixed states: the group says none, each instance says its own.
    expect(within(graph).getByLabelText('job group lint, 2 jobs')).not.toHaveClass('not-runnable');

    await userEvent.click(within(test).getByRole('button', { name: '▸ test' }));
    expect(within(test).getByRole('button', { name: '▾ test' })).toHaveAttribute('aria-expanded', 'true');
    expect(['test 1/3', 'test 2/3', 'test 3/3'].map((name) => within(card(graph, name)).getByRole('button', { name }).textContent)).toEqual(['test 1/3', 'test 2/3', 'test 3/3']);
    expect(graph.querySelector('[data-edge="compile->test 2/3"]')).not.toBeNull();

    await userEvent.click(within(graph).getByRole('button', { name: '▸ lint' }));
    expect(within(graph).getByLabelText('job lint: [go], broken')).toHaveTextContent('image "$GO_IMAGE" uses a variable that is not set');
    expect(card(graph, 'lint: [ruby]')).toHaveTextContent('[ruby]');
  });
});

describe('the pipeline choice next to "Run pipeline"', () => {
  it('reads the job list again for a tag and runs that pipeline', async () => {
    const { api } = setup();
    await screen.findByRole('group', { name: 'Pipeline graph' });
    expect(api.openProject).toHaveBeenCalledWith('/work/shop');
    api.openProject.mockResolvedValue({ ok: true, plan: statesPlan({ tag: 'v1.0' }) });

    const form = screen.getByRole('form', { name: 'Pipeline to simulate' });
    await userEvent.selectOptions(within(form).getByLabelText('Pipeline for'), 'tag');
    expect(within(form).getByRole('button', { name: 'Show pipeline' })).toBeDisabled();
    await userEvent.type(within(form).getByLabelText('Tag'), 'v1.0');
    await userEvent.click(within(form).getByRole('button', { name: 'Show pipeline' }));

    expect(api.openProject).toHaveBeenLastCalledWith('/work/shop', undefined, undefined, { tag: 'v1.0' });
    // The job list follows: release is in the tag pipeline.
    expect(await within(await screen.findByRole('group', { name: 'Pipeline graph' })).findByLabelText('job release')).not.toHaveClass('not-runnable');
    expect(screen.getByText('push pipeline for tag v1.0')).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'show 1 excluded job' })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Run pipeline' }));
    expect(api.startRun).toHaveBeenCalledWith(expect.objectContaining({ projectDir: '/work/shop', pipeline: { tag: 'v1.0' } }));
  });

  it('a merge request pipeline, a schedule, and back to the default push', async () => {
    const { api } = setup();
    await screen.findByRole('group', { name: 'Pipeline graph' });
    const form = screen.getByRole('form', { name: 'Pipeline to simulate' });
    await userEvent.selectOptions(within(form).getByLabelText('Pipeline for'), 'merge request');
    await userEvent.type(within(form).getByLabelText('Source branch'), 'feature/login');
    await userEvent.type(within(form).getByLabelText('Target branch'), 'develop');
    await userEvent.click(within(form).getByRole('button', { name: 'Show pipeline' }));
    expect(api.openProject).toHaveBeenLastCalledWith('/work/shop', undefined, undefined, { ref: 'feature/login', source: 'merge_request_event', mrTarget: 'develop' });
    expect(await screen.findByText('merge request pipeline: feature/login into develop')).toBeInTheDocument();

    const again = screen.getByRole('form', { name: 'Pipeline to simulate' });
    await userEvent.selectOptions(within(again).getByLabelText('Pipeline for'), 'branch');
    await userEvent.clear(within(again).getByLabelText('Branch'));
    await userEvent.selectOptions(within(again).getByLabelText('Source'), 'schedule');
    await userEvent.click(within(again).getByRole('button', { name: 'Show pipeline' }));
    expect(api.openProject).toHaveBeenLastCalledWith('/work/shop', undefined, undefined, { source: 'schedule' });

    const last = screen.getByRole('form', { name: 'Pipeline to simulate' });
    await userEvent.selectOptions(within(last).getByLabelText('Source'), 'push');
    await userEvent.click(within(last).getByRole('button', { name: 'Show pipeline' }));
    expect(api.openProject).toHaveBeenLastCalledWith('/work/shop');
    expect(await screen.findByText('push pipeline for the checked-out branch')).toBeInTheDocument();
  });

  it('a name the parser refuses is shown with the choice still at hand', async () => {
    const { api } = setup();
    await screen.findByRole('group', { name: 'Pipeline graph' });
    api.openProject.mockResolvedValue({ ok: false, problems: [{ message: '--ref "bad..name" is not a valid git ref name' }] });
    const form = screen.getByRole('form', { name: 'Pipeline to simulate' });
    await userEvent.type(within(form).getByLabelText('Branch'), 'bad..name');
    await userEvent.click(within(form).getByRole('button', { name: 'Show pipeline' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This pipeline cannot be read');
    expect(alert).toHaveTextContent('--ref "bad..name" is not a valid git ref name');
    expect(within(screen.getByRole('form', { name: 'Pipeline to simulate' })).getByLabelText('Branch')).toHaveValue('bad..name');
  });
});
