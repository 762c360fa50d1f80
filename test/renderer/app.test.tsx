import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../shared/events.js';
import { App } from '../../renderer/src/App.js';
import { LogStore } from '../../renderer/src/log/log-store.js';
import type { LogTerminal } from '../../renderer/src/log/terminal.js';
import { createAppStore } from '../../renderer/src/state/store.js';
import { createFakeApi } from '../support/fake-api.js';
import { demoPlan, runStarted, SECTION_END, SECTION_START, stamp } from './fixtures.js';

/** Records what the job log writes, in place of xterm (which needs a real canvas). */
function recordingTerminal() {
  const terminals: { text: string }[] = [];
  const create = (): LogTerminal => {
    const record = { text: '' };
    terminals.push(record);
    return {
      write: (data, callback) => {
        record.text += data;
        callback?.();
      },
      clear: () => (record.text = ''),
      findNext: (term) => record.text.includes(term),
      findPrevious: (term) => record.text.includes(term),
      selection: () => '',
      scrollToBottom: () => undefined,
      fit: () => undefined,
      setScrollback: () => undefined,
      dispose: () => undefined,
    };
  };
  return { terminals, create };
}

function setup(options: { reachable?: boolean; maxLines?: number } = {}) {
  const api = createFakeApi();
  const plan = demoPlan();
  api.openProject.mockResolvedValue({ ok: true, plan });
  api.doctor.mockResolvedValue(
    options.reachable === false
      ? { endpoint: { source: 'DOCKER_HOST', address: 'unix:///nope.sock' }, reachable: false, error: 'connect ENOENT /nope.sock', advice: 'start Docker or fix DOCKER_HOST' }
      : { endpoint: { source: 'default', address: 'unix:///var/run/docker.sock' }, reachable: true },
  );
  let deliver: (events: RunEvent[]) => void = () => undefined;
  api.subscribe.mockImplementation((_runId, onEvents) => {
    deliver = onEvents;
    return () => undefined;
  });
  api.startRun.mockResolvedValue({ runId: 'run-1' });
  api.cancelRun.mockResolvedValue(undefined);
  const logs = new LogStore(options.maxLines);
  const store = createAppStore(api, logs, plan.projectDir);
  store.setState({ connection: 'open' });
  const terminal = recordingTerminal();
  render(<App services={{ api, store, logs, createTerminal: terminal.create }} />);
  return { api, plan, store, terminal, send: (events: RunEvent[]) => act(() => deliver(events)) };
}

describe('the app', () => {
  it('opens the project given at start and draws its pipeline with needs edges', async () => {
    const { api } = setup();
    const graph = await screen.findByRole('group', { name: 'Pipeline graph' });
    expect(api.openProject).toHaveBeenCalledWith('/work/demo');
    expect(within(graph).getAllByRole('heading').map((h) => h.textContent)).toEqual(['build', 'test']);
    expect(within(graph).getByLabelText('job compile')).toHaveTextContent('busybox:1.36');
    expect(graph.querySelector('[data-edge="compile->unit"]')).not.toBeNull();
  });

  it('shows the parser problems as file:line:col messages', async () => {
    const api = createFakeApi();
    api.openProject.mockResolvedValue({ ok: false, problems: [{ message: 'unknown key "scirpt"; did you mean "script"?', where: { file: '.gitlab-ci.yml', line: 4, col: 3 } }] });
    api.doctor.mockResolvedValue({ endpoint: { source: 'default', address: 'x' }, reachable: true });
    const logs = new LogStore();
    render(<App services={{ api, store: createAppStore(api, logs, '/p'), logs, createTerminal: recordingTerminal().create }} />);
    expect(await screen.findByText('.gitlab-ci.yml:4:3: unknown key "scirpt"; did you mean "script"?')).toBeInTheDocument();
  });

  it('says what to do when the Docker engine does not answer', async () => {
    setup({ reachable: false });
    const banner = await screen.findByRole('alert', { name: 'Docker engine' });
    expect(banner).toHaveTextContent('unix:///nope.sock');
    expect(banner).toHaveTextContent('start Docker or fix DOCKER_HOST');
  });

  it('runs one job with its needs, with the session variables and secrets', async () => {
    const { api } = setup();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Variable name'), 'TOKEN');
    await user.type(screen.getByLabelText('Variable value'), 's3cret');
    await user.click(screen.getByLabelText('secret (masked)'));
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByText('[MASKED]')).toBeInTheDocument();
    expect(screen.queryByText('s3cret')).toBeNull();
    api.saveSecrets.mockResolvedValue({ file: '/work/demo/.jobsim/secrets.env' });
    await user.click(screen.getByRole('button', { name: 'Save secrets to .jobsim/secrets.env' }));
    expect(api.saveSecrets).toHaveBeenCalledWith('/work/demo', { TOKEN: 's3cret' });
    expect(await screen.findByText(/saved to \/work\/demo\/.jobsim\/secrets.env/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Run unit with its needs' }));
    expect(api.startRun).toHaveBeenCalledWith({ projectDir: '/work/demo', jobs: ['unit'], withNeeds: true, variables: {}, secrets: { TOKEN: 's3cret' }, keepOnFailure: true });

  });

  it('follows a live run: statuses, stage timeline, log with foldable sections, cancel', async () => {
    const { api, plan, send, terminal } = setup();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Run pipeline' }));
    send(stamp('run-1', [
      runStarted(plan),
      { type: 'job', job: 'compile', state: 'running' },
      { type: 'stage', job: 'compile', stage: 'prepare', state: 'started' },
      { type: 'stage', job: 'compile', stage: 'prepare', state: 'finished', status: 'success', durationMs: 120 },
      { type: 'stage', job: 'compile', stage: 'build', state: 'started' },
      { type: 'log', job: 'compile', source: 'runner', stream: 'stdout', text: SECTION_START('step_script', 'Executing "step_script" stage of the job script') },
      { type: 'log', job: 'compile', source: 'build', stream: 'stdout', text: '$ make all' },
      { type: 'log', job: 'compile', source: 'build', stream: 'stdout', text: 'compiled 42 files' },
      { type: 'log', job: 'compile', source: 'runner', stream: 'stdout', text: SECTION_END('step_script') },
    ]));
    const jobs = screen.getByRole('table', { name: 'Jobs' });
    expect(within(jobs).getByText('running')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Stages of compile' })).toHaveTextContent('prepare');
    const log = terminal.terminals.at(-1);
    expect(log?.text).toContain('compiled 42 files');

    await user.click(screen.getByRole('button', { name: /Executing "step_script" stage/ }));
    expect(terminal.terminals.at(-1)?.text).not.toContain('compiled 42 files');
    expect(terminal.terminals.at(-1)?.text).toContain('step_script');

    await user.click(screen.getByRole('button', { name: 'Cancel run' }));
    expect(api.cancelRun).toHaveBeenCalledWith('run-1');
    send(stamp('run-1', [
      { type: 'job', job: 'compile', state: 'canceled', reason: { kind: 'canceled' } },
      { type: 'run', state: 'finished', status: 'canceled', durationMs: 2000 },
    ]));
    expect(within(jobs).getAllByText('canceled').length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
  });
});

describe('pull decisions', () => {
  it('lints an image next to its pull decision', async () => {
    const { api, plan, send } = setup();
    api.lintImage.mockResolvedValue({
      image: 'busybox:1.36',
      profile: 'gitlab',
      status: 'warn',
      findings: [{ check: 'ps', status: 'warn', message: 'ps is missing: process listings will not work' }],
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Run pipeline' }));
    send(stamp('run-1', [
      runStarted(plan),
      { type: 'job', job: 'compile', state: 'running' },
      { type: 'stage', job: 'compile', stage: 'prepare', state: 'started' },
      { type: 'pull', job: 'compile', container: 'build', image: 'busybox:1.36', normalized: 'docker.io/library/busybox:1.36', policies: ['if-not-present'], policySource: 'job-file', allowedPolicies: ['always', 'if-not-present', 'never'], effectivePolicies: ['if-not-present'], attempt: 1, policy: 'if-not-present', decision: 'used-local', reason: 'present locally and the policy is if-not-present', localPresent: true },
    ]));
    expect(screen.getByText(/used-local \(if-not-present\): present locally/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Lint busybox:1.36' }));
    expect(api.lintImage).toHaveBeenCalledWith('busybox:1.36');
    expect(await screen.findByText('ps is missing: process listings will not work', { exact: false })).toBeInTheDocument();
  });
});

describe('long logs', () => {
  it('keeps the latest lines, and loads the earlier ones from the stored run on demand', async () => {
    const { api, plan, send, terminal } = setup({ maxLines: 5 });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Run pipeline' }));
    const lines = Array.from({ length: 12 }, (_, i) => `output line ${i}`);
    const events = stamp('run-1', [
      runStarted(plan),
      { type: 'job', job: 'compile', state: 'running' },
      ...lines.map((text) => ({ type: 'log' as const, job: 'compile', source: 'build' as const, stream: 'stdout' as const, text })),
      { type: 'job', job: 'compile', state: 'success', durationMs: 10 },
      { type: 'run', state: 'finished', status: 'success', durationMs: 20 },
    ]);
    send(events);
    expect(screen.getByText(/12 lines \(7 oldest not shown\)/)).toBeInTheDocument();
    expect(terminal.terminals.at(-1)?.text).not.toContain('output line 0\r\n');

    // The stored run replays everything through the same subscription.
    api.subscribe.mockImplementation((_runId, onEvents) => {
      onEvents(events);
      return () => undefined;
    });
    await user.click(screen.getByRole('button', { name: 'Load earlier lines' }));
    await expect.poll(() => terminal.terminals.at(-1)?.text ?? '').toContain('output line 0\r\n');
    expect(terminal.terminals.at(-1)?.text).toContain('output line 11');
    expect(screen.queryByRole('button', { name: 'Load earlier lines' })).toBeNull();
  });
});
