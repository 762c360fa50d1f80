// One job's services: the host names each answers to (and where each name comes from), its network, how
// its health was decided, what it printed, and which variables it got — and which secrets it did not.

import { useState } from 'react';
import type { ServiceEvent } from '../../../../shared/events.js';
import { deriveServiceAliases } from '../../../../shared/service-aliases.js';
import type { JobView } from '../../state/run-model.js';
import { serviceLogKey } from '../../log/log-store.js';
import { formatMs } from '../common/format.js';
import { JobLog } from '../log/JobLog.js';
import { onRowKeyDown } from '../common/row-navigation.js';
import { useServiceDetails, type ServiceDetails } from './service-details.js';

export interface LabelledAlias {
  alias: string;
  /** Where the name comes from, in words. */
  origin: string;
  custom: boolean;
}

/** Labels each alias: derived from the image name (the `__` and `-` forms) or the job file's `alias:`. */
export function labelAliases(image: string, aliases: readonly string[]): LabelledAlias[] {
  const derived = deriveServiceAliases(image);
  return aliases.map((alias) => {
    const index = derived.indexOf(alias);
    if (index < 0) return { alias, origin: 'custom alias (services:alias in the job file)', custom: true };
    const onlyOne = derived.length === 1;
    const origin = onlyOne ? 'derived from the image name' : index === 0 ? 'derived from the image name (/ → __)' : 'derived from the image name (/ → -)';
    return { alias, origin, custom: false };
  });
}

/** How the health state was decided, in one sentence. */
export function describeHealth(service: ServiceEvent): string {
  const ports = service.ports && service.ports.length > 0 ? `port${service.ports.length > 1 ? 's' : ''} ${service.ports.join(', ')}` : undefined;
  switch (service.state) {
    case 'starting':
      return 'Starting: the runner has not finished waiting for it yet.';
    case 'healthy':
      return `Healthy: ${ports ?? 'its port'} accepted a TCP connection${service.timeToHealthyMs !== undefined ? ` ${formatMs(service.timeToHealthyMs)} after the container started` : ''}.`;
    case 'no-ports':
      return 'Not checked: the image exposes no TCP port and HEALTHCHECK_TCP_PORT is not set, so the runner did not wait for it.';
    case 'unhealthy':
      return `Warning: ${ports ?? 'its port'} did not accept a connection in time. The job went on anyway, as GitLab Runner does.`;
    case 'exited':
      return 'Warning: the service container exited while the runner waited for it.';
  }
}

const PREDEFINED = /^(CI|GITLAB)(_|$)/;

function VariablesReceived({ service, details }: { service: ServiceEvent; details: ServiceDetails | undefined }) {
  const names = service.variables ?? details?.variables ?? [];
  const own = names.filter((name) => !PREDEFINED.test(name));
  const predefined = names.filter((name) => PREDEFINED.test(name));
  const withheld = service.withheld ?? details?.withheld ?? [];
  return (
    <>
      <dt>Variables</dt>
      <dd>
        {own.length > 0 ? (
          <span aria-label={`Variables ${service.name} received`}>
            {own.map((name) => (
              <code key={name} className="service-variable">
                {name}
              </code>
            ))}
          </span>
        ) : (
          <span className="muted">No job or service variables.</span>
        )}
        {predefined.length > 0 && (
          <details className="service-predefined">
            <summary>and {predefined.length} predefined CI variables</summary>
            <code>{predefined.join(' ')}</code>
          </details>
        )}
      </dd>
      <dt>Secrets</dt>
      <dd className={withheld.length > 0 ? 'service-withheld' : 'muted'}>
        {withheld.length > 0 ? `Secrets withheld: ${withheld.join(', ')}. Services never receive masked variables.` : 'No secrets were withheld (the job has none).'}
      </dd>
    </>
  );
}

/** The service's own output in a terminal (colours, search, copy), like the job log. */
function ServiceLog({ job, service, lines }: { job: string; service: string; lines: string[] | undefined }) {
  if (!lines || lines.length === 0) {
    return (
      <p className="muted">
        No output captured. Service output is collected only when the job sets <code>CI_DEBUG_SERVICES: &quot;true&quot;</code>, as in GitLab.
      </p>
    );
  }
  return <JobLog job={serviceLogKey(job, service)} />;
}

function ServiceCard({ job, service, open, onToggle }: { job: string; service: ServiceEvent; open: boolean; onToggle(): void }) {
  const details = useServiceDetails(job, service.name);
  const lines = details.lines;
  const aliases = labelAliases(service.image, service.aliases);
  const warning = service.state === 'unhealthy' || service.state === 'exited';
  return (
    <li
      className={`service-card service-${service.state}`}
      tabIndex={0}
      aria-label={`Service ${service.name}: ${service.state}`}
      data-service={service.name}
      onKeyDown={(event) => onRowKeyDown(event, onToggle)}
    >
      <header>
        <strong>{service.name}</strong> <span className={`badge health-${service.state}`}>{service.state}</span>
      </header>
      <dl className="service-facts">
        <dt>Image</dt>
        <dd>
          <code>{service.image}</code>
        </dd>
        <dt>Host names</dt>
        <dd>
          <ul className="service-aliases" aria-label={`Host names of ${service.name}`}>
            {aliases.map((entry) => (
              <li key={entry.alias} data-custom={entry.custom}>
                <code>{entry.alias}</code> <span className="muted">{entry.origin}</span>
              </li>
            ))}
          </ul>
        </dd>
        <dt>Network</dt>
        <dd>{service.network ? <code>{service.network}</code> : <span className="muted">not attached yet</span>}</dd>
        <dt>Health</dt>
        <dd className={warning ? 'service-warning' : undefined} role={warning ? 'alert' : undefined}>
          {describeHealth(service)}
          {service.detail && <pre className="service-detail">{service.detail}</pre>}
        </dd>
        <VariablesReceived service={service} details={details} />
      </dl>
      <button type="button" className="link" aria-expanded={open} onClick={onToggle}>
        {open ? 'Hide' : 'Show'} output of {service.name}
        {lines && lines.length > 0 ? ` (${lines.length} lines)` : ''}
      </button>
      {open && <ServiceLog job={job} service={service.name} lines={lines} />}
    </li>
  );
}

export function ServicesView({ job }: { job: JobView }) {
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const services = Object.values(job.services);

  if (services.length === 0) {
    if (job.state === 'pending' || job.state === 'running') {
      return (
        <p className="empty" role="status">
          {job.state === 'pending' ? 'This job has not started: its services, if it has any, appear here when it runs.' : 'No service has started for this job (it may have none).'}
        </p>
      );
    }
    if (job.state === 'failed' || job.state === 'canceled') return <p className="empty">No service was started: this job has none, or it stopped before starting them.</p>;
    return <p className="empty">This job has no services.</p>;
  }

  const toggle = (name: string) => setOpen((previous) => ({ ...previous, [name]: !previous[name] }));
  return (
    <section className="services-view" aria-label={`Services of ${job.name}`}>
      <p className="muted">
        The build container reaches each service by any of its host names, on the job&apos;s own network. Arrow keys move between services; Enter shows a
        service&apos;s output.
      </p>
      <ul className="service-list">
        {services.map((service) => (
          <ServiceCard key={service.name} job={job.name} service={service} open={open[service.name] ?? false} onToggle={() => toggle(service.name)} />
        ))}
      </ul>
    </section>
  );
}
