import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RunEvent, ServiceEvent } from '../../shared/events.js';
import { labelAliases } from '../../renderer/src/views/services/ServicesView.js';
import { ServicesView } from '../../renderer/src/views/services/ServicesView.js';
import { LiveJob, replay, uiViews, until } from './recorded-run.js';

const SERVICE = 'jobsim-test/http:1';

function showServices(events: RunEvent[], job = 'web') {
  const replayed = replay(events);
  replayed.renderView(<LiveJob name={job} view={(view) => <ServicesView job={view} />} />);
  return replayed;
}

describe('the services view (recorded run)', () => {
  it('shows the healthy service with both derived host names and the custom alias, labelled', () => {
    showServices(uiViews());
    const card = screen.getByRole('listitem', { name: `Service ${SERVICE}: healthy` });
    const names = within(card).getByRole('list', { name: `Host names of ${SERVICE}` });
    const rows = within(names).getAllByRole('listitem').map((li) => li.textContent);
    expect(rows).toEqual([
      'jobsim-test__http derived from the image name (/ → __)',
      'jobsim-test-http derived from the image name (/ → -)',
      'web-api custom alias (services:alias in the job file)',
    ]);
    expect(card).toHaveTextContent(/Healthy: port 8080 accepted a TCP connection/);
    expect(card).toHaveTextContent(/Network\s*jobsim-\S+-web-\S+-net/);
  });

  it('says plainly which secrets were withheld and lists the variables the service got', () => {
    showServices(uiViews());
    const card = screen.getByRole('listitem', { name: `Service ${SERVICE}: healthy` });
    expect(card).toHaveTextContent('Secrets withheld: API_TOKEN.');
    const received = within(card).getByLabelText(`Variables ${SERVICE} received`);
    expect(received).toHaveTextContent('GREETING');
    expect(received).toHaveTextContent('SERVICE_MODE');
    expect(received).not.toHaveTextContent('API_TOKEN');
    expect(card).toHaveTextContent(/predefined CI variables/);
  });

  it('shows the service output on Enter (CI_DEBUG_SERVICES is on in the recording)', async () => {
    const user = userEvent.setup();
    showServices(uiViews());
    const card = screen.getByRole('listitem', { name: `Service ${SERVICE}: healthy` });
    expect(card).not.toHaveTextContent('service web-api starting');
    card.focus();
    await user.keyboard('{Enter}');
    expect(card).toHaveTextContent('service web-api starting');
    expect(screen.getByRole('button', { name: /Hide output of/ })).toHaveAttribute('aria-expanded', 'true');
  });

  it('follows the service live: starting, then healthy', () => {
    const events = uiViews();
    const { send } = showServices(until(events, (e) => e.type === 'service' && e.state === 'starting'));
    expect(screen.getByRole('listitem', { name: `Service ${SERVICE}: starting` })).toHaveTextContent('Starting: the runner has not finished waiting');
    const index = events.findIndex((e) => e.type === 'service' && e.state === 'starting');
    send(events.slice(index + 1));
    expect(screen.getByRole('listitem', { name: `Service ${SERVICE}: healthy` })).toBeInTheDocument();
  });

  it('shows an unhealthy service as a warning with the log tail from detail', () => {
    const events = uiViews().map((event): RunEvent =>
      event.type === 'service' && event.state === 'healthy'
        ? ({ ...event, state: 'unhealthy', timeToHealthyMs: undefined, detail: 'dial tcp 172.20.0.2:8080: connection refused\nlast log: httpd: bind: Address in use' } satisfies ServiceEvent)
        : event,
    );
    showServices(events);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Warning: port 8080 did not accept a connection in time');
    expect(alert).toHaveTextContent('httpd: bind: Address in use');
  });

  it('has designed empty states', () => {
    showServices(uiViews(), 'local');
    expect(screen.getByText('This job has no services.')).toBeInTheDocument();
  });

  it('says services come later while the job has not started', () => {
    showServices(until(uiViews(), (e) => e.type === 'run'), 'local');
    expect(screen.getByRole('status')).toHaveTextContent('This job has not started');
  });
});

describe('labelAliases', () => {
  it('labels a single derived name when the image has no slash', () => {
    expect(labelAliases('postgres:16', ['postgres', 'db'])).toEqual([
      { alias: 'postgres', origin: 'derived from the image name', custom: false },
      { alias: 'db', origin: 'custom alias (services:alias in the job file)', custom: true },
    ]);
  });
});
