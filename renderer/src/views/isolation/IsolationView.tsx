// The run's Docker objects as a diagram: each job network with its containers and the names they answer
// to, the volumes they mount (read-only or read-write), privileged and Docker-socket containers flagged,
// removed objects greyed, kept ones badged; and, in words, who can reach whom. Live while the run goes on.

import { useMemo, useState } from 'react';
import { useApp } from '../../state/context.js';
import { buildIsolationModel, type IsoContainer, type IsoVolume, type ObjectState } from './isolation-model.js';
import { onRowKeyDown } from '../common/row-navigation.js';

function StateBadge({ state }: { state: ObjectState }) {
  if (state === 'removed') return <span className="badge iso-badge-removed">removed</span>;
  if (state === 'kept') return <span className="badge kept">kept</span>;
  return null;
}

function ContainerCard({ container }: { container: IsoContainer }) {
  const [open, setOpen] = useState(false);
  const risky = container.privileged || container.dockerSocket;
  return (
    <li
      className={`iso-container iso-${container.state}${risky ? ' iso-risky' : ''}`}
      tabIndex={0}
      aria-label={`Container ${container.label} of job ${container.job}${container.state === 'live' ? '' : `, ${container.state}`}`}
      aria-expanded={open}
      data-role={container.role}
      data-state={container.state}
      onKeyDown={(event) => onRowKeyDown(event, () => setOpen((value) => !value))}
      onClick={() => setOpen((value) => !value)}
    >
      <div className="iso-container-head">
        <strong>{container.label}</strong> <StateBadge state={container.state} />
        {container.health && <span className={`badge health-${container.health}`}>{container.health}</span>}
        {container.privileged && <span className="badge iso-flag">privileged</span>}
        {container.dockerSocket && <span className="badge iso-flag">Docker socket</span>}
      </div>
      {container.image && (
        <div className="muted">
          <code>{container.image}</code>
        </div>
      )}
      <div>
        resolves as{' '}
        {container.aliases.length > 0 ? (
          container.aliases.map((alias) => (
            <code key={alias} className="iso-alias">
              {alias}
            </code>
          ))
        ) : (
          <span className="muted">its container name only</span>
        )}
      </div>
      {container.mounts.length > 0 && (
        <ul className="iso-mounts" aria-label={`Mounts of ${container.label}`}>
          {container.mounts.map((mount) => (
            <li key={`${mount.source}:${mount.target}`}>
              <code>{mount.target}</code> ← {mount.type} <code>{mount.source}</code> <span className={mount.readOnly ? 'iso-ro' : 'iso-rw'}>{mount.readOnly ? 'read-only' : 'read-write'}</span>
            </li>
          ))}
        </ul>
      )}
      {open && (
        <div className="iso-container-more muted">
          Docker name <code>{container.name}</code>, id <code>{container.id.slice(0, 12)}</code>
        </div>
      )}
    </li>
  );
}

function VolumeCard({ volume }: { volume: IsoVolume }) {
  return (
    <li className={`iso-volume iso-${volume.state}`} tabIndex={0} aria-label={`Volume ${volume.name}`} data-role={volume.role} onKeyDown={(event) => onRowKeyDown(event, () => undefined)}>
      <div>
        <code>{volume.name}</code> <span className="muted">{volume.role}</span> <StateBadge state={volume.state} />
      </div>
      {volume.mountedBy.length > 0 ? (
        <ul>
          {volume.mountedBy.map((mount) => (
            <li key={`${mount.container}:${mount.target}`}>
              {mount.label} ({mount.job}) at <code>{mount.target}</code>, <span className={mount.readOnly ? 'iso-ro' : 'iso-rw'}>{mount.readOnly ? 'read-only' : 'read-write'}</span>
            </li>
          ))}
        </ul>
      ) : (
        <div className="muted">not mounted by a container of this run (filled or read by a helper)</div>
      )}
    </li>
  );
}

export function IsolationView() {
  const runId = useApp((s) => s.run?.runId);
  const status = useApp((s) => s.run?.status);
  const resources = useApp((s) => s.run?.resources);
  const jobs = useApp((s) => s.run?.jobs);
  const model = useMemo(() => buildIsolationModel(resources ?? [], jobs ?? {}), [resources, jobs]);

  if (!runId) return <p className="empty">No run open: start one, or open a past run from History, to see its networks, containers and volumes.</p>;
  if (model.networks.length === 0 && model.volumes.length === 0 && model.detached.length === 0) {
    if (status === 'running') {
      return (
        <p className="empty" role="status" aria-live="polite">
          Waiting for the first job to create its network…
        </p>
      );
    }
    return <p className="empty">This run created no Docker objects (no job got as far as creating its network).</p>;
  }

  return (
    <section className="isolation-view" aria-label={`Isolation of run ${runId}`}>
      <div className="iso-diagram" role="group" aria-label="Isolation diagram">
        <div className="iso-networks">
          {model.networks.map((network) => (
            <section key={network.id} className={`iso-network iso-${network.state}`} aria-label={`Network ${network.name}`} data-job={network.job}>
              <header>
                network <code>{network.name}</code> <span className="muted">job {network.job}</span> <StateBadge state={network.state} />
              </header>
              {network.containers.length > 0 ? (
                <ul className="iso-containers">
                  {network.containers.map((container) => (
                    <ContainerCard key={container.id} container={container} />
                  ))}
                </ul>
              ) : (
                <p className="muted">No container on it yet.</p>
              )}
            </section>
          ))}
          {model.detached.length > 0 && (
            <section className="iso-network" aria-label="Containers without a known network">
              <header>no known network</header>
              <ul className="iso-containers">
                {model.detached.map((container) => (
                  <ContainerCard key={container.id} container={container} />
                ))}
              </ul>
            </section>
          )}
        </div>
        {model.volumes.length > 0 && (
          <section className="iso-volumes" aria-label="Volumes">
            <header>volumes</header>
            <ul>
              {model.volumes.map((volume) => (
                <VolumeCard key={volume.name} volume={volume} />
              ))}
            </ul>
          </section>
        )}
      </div>
      <section className="iso-legend" aria-label="Who can reach whom">
        <h3>Who can reach whom</h3>
        <ul>
          {model.reach.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <p className="muted">
          Containers on the same network resolve each other&apos;s names; containers on different job networks cannot. Greyed objects have been removed;{' '}
          <span className="badge kept">kept</span> objects outlive the job. <span className="badge iso-flag">privileged</span> and{' '}
          <span className="badge iso-flag">Docker socket</span> containers can control the host. Use the arrow keys to move between containers and Enter for details.
        </p>
      </section>
    </section>
  );
}
