import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ResourceEvent, RunEvent } from '../../shared/events.js';
import { IsolationView } from '../../renderer/src/views/isolation/IsolationView.js';
import { replay, uiViews, until } from './recorded-run.js';

const SERVICE = 'jobsim-test/http:1';

function showIsolation(events: RunEvent[]) {
  const replayed = replay(events);
  replayed.renderView(<IsolationView />);
  return replayed;
}

function webNetwork(): HTMLElement {
  return screen.getByRole('region', { name: /^Network jobsim-\S+-web-\S+-net$/ });
}

describe('the isolation view (recorded run)', () => {
  it('shows the job network with the build container and the service, and their names', () => {
    showIsolation(uiViews());
    const network = webNetwork();
    const build = within(network).getByRole('listitem', { name: 'Container build of job web, removed' });
    const service = within(network).getByRole('listitem', { name: `Container ${SERVICE} of job web, removed` });
    expect(build).toHaveTextContent('resolves as build');
    expect(service).toHaveTextContent('jobsim-test__http');
    expect(service).toHaveTextContent('jobsim-test-http');
    expect(service).toHaveTextContent('web-api');
    expect(service).toHaveTextContent('healthy');
    expect(build).toHaveAttribute('data-state', 'removed');
  });

  it('gives the other job its own network', () => {
    showIsolation(uiViews());
    const local = screen.getByRole('region', { name: /^Network jobsim-\S+-local-\S+-net$/ });
    expect(within(local).getByRole('listitem', { name: 'Container build of job local, removed' })).toBeInTheDocument();
    expect(within(local).queryByText('web-api')).toBeNull();
  });

  it('lists volumes with their mount targets, read-write or read-only', () => {
    showIsolation(uiViews());
    const volumes = screen.getByRole('region', { name: 'Volumes' });
    const builds = within(volumes).getByRole('listitem', { name: /^Volume jobsim-\S+-web-\S+-builds$/ });
    expect(builds).toHaveTextContent(`build (web) at /builds, read-write`);
    expect(builds).toHaveTextContent(`${SERVICE} (web) at /builds, read-write`);
    expect(within(volumes).getByRole('listitem', { name: /^Volume jobsim-cache-local-ui-views/ })).toHaveTextContent('cache:ui-views');
  });

  it('explains in words who can reach whom', () => {
    showIsolation(uiViews());
    const legend = screen.getByRole('region', { name: 'Who can reach whom' });
    expect(legend).toHaveTextContent(`build, ${SERVICE} can resolve and reach each other by the names "build", "jobsim-test__http", "jobsim-test-http", "web-api"`);
    expect(legend).toHaveTextContent('Jobs web, local each have their own network: a container of one job cannot resolve or reach the containers of another');
    expect(legend).toHaveTextContent('they share files through it');
  });

  it('redraws live: containers are live until the run removes them', () => {
    const events = uiViews();
    const isBuildCreated = (e: RunEvent) => e.type === 'resource' && e.role === 'build' && e.action === 'created' && e.job === 'web';
    const partial = until(events, isBuildCreated);
    const { send } = showIsolation(partial);
    expect(within(webNetwork()).getByRole('listitem', { name: 'Container build of job web' })).toHaveAttribute('data-state', 'live');
    send(events.slice(partial.length));
    expect(within(webNetwork()).getByRole('listitem', { name: 'Container build of job web, removed' })).toBeInTheDocument();
  });

  it('flags privileged and Docker-socket containers, and badges kept objects', () => {
    const events = uiViews().map((event): RunEvent => {
      if (event.type !== 'resource' || event.role !== 'build' || event.job !== 'local' || event.action !== 'created') return event;
      const mounts = [...(event.detail?.mounts ?? []), { source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false, type: 'bind' as const }];
      return { ...event, detail: { ...event.detail, privileged: true, dockerSocket: true, mounts } } satisfies ResourceEvent;
    });
    const last = events.at(-1);
    const keptVolume: ResourceEvent = { type: 'resource', runId: last?.runId ?? '', time: (last?.time ?? 0) + 1, job: 'local', kind: 'volume', action: 'kept', id: 'runner-data', name: 'runner-data', role: 'runner-volume' };
    showIsolation([...events, keptVolume]);
    const build = screen.getByRole('listitem', { name: 'Container build of job local, removed' });
    expect(within(build).getByText('privileged')).toBeInTheDocument();
    expect(within(build).getByText('Docker socket')).toBeInTheDocument();
    const kept = screen.getByRole('listitem', { name: 'Volume runner-data' });
    expect(within(kept).getByText('kept')).toBeInTheDocument();
  });

  it('shows details of a container on Enter and moves with the arrow keys', async () => {
    const user = userEvent.setup();
    showIsolation(uiViews());
    const network = webNetwork();
    const [first, second] = within(network).getAllByRole('listitem').filter((item) => item.classList.contains('iso-container'));
    first?.focus();
    await user.keyboard('{Enter}');
    expect(first).toHaveTextContent('Docker name');
    await user.keyboard('{ArrowDown}');
    expect(second).toHaveFocus();
  });

  it('has designed empty and waiting states', () => {
    showIsolation(until(uiViews(), (e) => e.type === 'run'));
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for the first job to create its network');
  });
});
