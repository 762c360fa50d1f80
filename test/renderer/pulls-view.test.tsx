import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PullEvent, PullProgressEvent, RunEvent } from '../../shared/events.js';
import { PullsView } from '../../renderer/src/views/pulls/PullsView.js';
import { explainPullInDepth, IF_NOT_PRESENT_CAVEAT, POOL_RULE } from '../../renderer/src/views/pulls/pull-why-text.js';
import { LiveJob, replay, uiViews, uiViewsChanged, until } from './recorded-run.js';

const APP_IMAGE = '127.0.0.1:5000/jobsim-ui-views/app:1';

function showPulls(events: RunEvent[], job = 'web') {
  const replayed = replay(events);
  replayed.renderView(<LiveJob name={job} view={(view) => <PullsView job={view} />} />);
  return replayed;
}

const isAppPull = (event: RunEvent): event is PullEvent => event.type === 'pull' && event.image === APP_IMAGE;

describe('the pull decisions view (recorded run)', () => {
  it('has a pulled row with a digest for the registry image and a used-local row for the service', () => {
    showPulls(uiViews());
    const table = screen.getByRole('table', { name: 'Pull decisions of web' });
    const pulled = within(table).getByRole('row', { name: `build: ${APP_IMAGE}, attempt 1: pulled` });
    expect(pulled).toHaveTextContent('pulled');
    expect(pulled).toHaveTextContent(/sha256:[0-9a-f]{12}/);
    expect(pulled).toHaveTextContent('[always] from job file');
    expect(pulled).toHaveTextContent('absent');
    const service = within(table).getByRole('row', { name: 'jobsim-test/http:1: jobsim-test/http:1, attempt 1: used-local' });
    expect(service).toHaveTextContent('docker.io/jobsim-test/http:1');
    expect(service).toHaveTextContent('present locally and the policy is if-not-present');
    expect(service).toHaveTextContent('not asked');
  });

  it('explains the pulled row on Enter, and closes back to the row', async () => {
    const user = userEvent.setup();
    showPulls(uiViews());
    const row = screen.getByRole('row', { name: `build: ${APP_IMAGE}, attempt 1: pulled` });
    row.focus();
    await user.keyboard('{Enter}');
    const why = screen.getByRole('region', { name: `Why pulled: ${APP_IMAGE}, attempt 1` });
    expect(why).toHaveTextContent('Policies [always] come from the job file (image:pull_policy)');
    expect(why).toHaveTextContent('Pulled from the registry: the policy is always');
    expect(why).toHaveTextContent('always: ask the registry every time');
    expect(why).not.toHaveTextContent(IF_NOT_PRESENT_CAVEAT);
    await user.click(within(why).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('region', { name: /Why pulled/ })).toBeNull();
    expect(row).toHaveFocus();
  });

  it('explains the used-local row with the if-not-present caveat for shared runners', async () => {
    const user = userEvent.setup();
    showPulls(uiViews(), 'local');
    const row = screen.getByRole('row', { name: 'build: jobsim-test/shell:1, attempt 1: used-local' });
    await user.click(within(row).getByRole('button', { name: 'why?' }));
    const why = screen.getByRole('region', { name: 'Why used-local: jobsim-test/shell:1, attempt 1' });
    expect(why).toHaveTextContent('Used the image already on this machine: present locally and the policy is if-not-present.');
    expect(why).toHaveTextContent('The registry was not asked');
    expect(why).toHaveTextContent(IF_NOT_PRESENT_CAVEAT);
  });

  it('says the tag moved when the registry digest differs from the local one (second recording)', async () => {
    const user = userEvent.setup();
    showPulls(uiViewsChanged());
    const row = screen.getByRole('row', { name: `build: ${APP_IMAGE}, attempt 1: pulled` });
    expect(row).toHaveTextContent('present');
    expect(row).toHaveTextContent('the tag had moved, so a newer image was downloaded');
    row.focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('region', { name: /Why pulled/ })).toHaveTextContent("differs from the local one: the tag has moved");
  });

  it('moves between rows with the arrow keys', async () => {
    const user = userEvent.setup();
    showPulls(uiViews());
    const rows = screen.getAllByRole('row').filter((row) => row.tabIndex === 0);
    rows[0]?.focus();
    await user.keyboard('{ArrowDown}');
    expect(rows[1]).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(rows[0]).toHaveFocus();
  });

  it('offers the runner-image lint next to each image', async () => {
    const user = userEvent.setup();
    const { api } = showPulls(uiViews(), 'local');
    api.lintImage.mockResolvedValue({ image: 'jobsim-test/shell:1', profile: 'gitlab', findings: [], status: 'pass' });
    await user.click(screen.getByRole('button', { name: 'Lint jobsim-test/shell:1' }));
    expect(api.lintImage).toHaveBeenCalledWith('jobsim-test/shell:1');
    expect(await screen.findByText('pass')).toBeInTheDocument();
  });

  it('draws live progress bars while an image is pulled, and the row once it is decided', () => {
    const events = uiViews();
    const beforePull = events.slice(0, events.findIndex(isAppPull));
    const progress: PullProgressEvent = {
      type: 'pull-progress',
      runId: events[0]?.runId ?? '',
      time: (beforePull.at(-1)?.time ?? 0) + 1,
      job: 'web',
      image: APP_IMAGE,
      layers: [
        { id: 'a1b2c3d4e5f6a7b8', status: 'Downloading', current: 512, total: 1024 },
        { id: 'f6e5d4c3b2a1f0e9', status: 'Waiting', current: 0, total: 0 },
      ],
      current: 512,
      total: 2048,
    };
    const { send } = showPulls([...beforePull, progress]);
    const total = screen.getByRole('progressbar', { name: `Total for ${APP_IMAGE}` });
    expect(total).toHaveAttribute('value', '512');
    expect(total).toHaveAttribute('max', '2048');
    expect(screen.getByRole('progressbar', { name: `Layer a1b2c3d4e5f6 of ${APP_IMAGE}` })).toHaveAttribute('value', '512');
    expect(screen.getByRole('progressbar', { name: `Layer f6e5d4c3b2a1 of ${APP_IMAGE}` })).not.toHaveAttribute('value');
    send(until(events, isAppPull).slice(beforePull.length));
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('row', { name: `build: ${APP_IMAGE}, attempt 1: pulled` })).toBeInTheDocument();
  });

  it('shows a resolving state while the job runs and nothing is decided yet, and an empty state before', () => {
    const events = uiViews();
    const running = until(events, (e) => e.type === 'job' && e.job === 'web' && e.state === 'running');
    showPulls(running);
    expect(screen.getByRole('status')).toHaveTextContent('Resolving images…');
  });

  it('says the job has not started', () => {
    showPulls(until(uiViews(), (e) => e.type === 'run'), 'local');
    expect(screen.getByText(/This job has not started/)).toBeInTheDocument();
  });
});

describe('the why text', () => {
  const base = uiViews().find(isAppPull);
  if (!base) throw new Error('recording has no pull of the app image');

  it('names the allowed-registries rule when a worker pool refused the image', () => {
    const refused: PullEvent = {
      ...base,
      decision: 'refused',
      refusedBy: 'pool-registry',
      reason: 'image "127.0.0.1:5000/jobsim-ui-views/app:1" comes from 127.0.0.1:5000, which the "public" worker pool does not allow; allowed registries: docker.io',
      localPresent: false,
    };
    const lines = explainPullInDepth(refused);
    expect(lines).toContain(POOL_RULE);
    expect(lines.join(' ')).toContain('Refused before any pull');
  });

  it('says which requested policies the runner does not allow', () => {
    const lines = explainPullInDepth({ ...base, policies: ['always', 'never'], allowedPolicies: ['always'], effectivePolicies: ['always'] });
    expect(lines).toContain('The runner allows [always] (allowed_pull_policies); only those of the requested policies are tried, in the requested order. Not allowed, so skipped: never.');
  });
});
