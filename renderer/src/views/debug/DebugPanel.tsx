// The Debug tab of a job: a shell at the point of failure (kept job) or into a running job's containers,
// "Done" to remove what was kept, and a rerun with changes.

import { useEffect, useState } from 'react';
import type { ShellTarget } from '../../../../shared/debug.js';
import type { KeptEvent } from '../../../../shared/events.js';
import { useApp, useServices } from '../../state/context.js';
import type { JobView } from '../../state/run-model.js';
import { RerunForm } from './RerunForm.js';
import { describeTarget, ShellTerminal } from './ShellTerminal.js';

/** Shells bump a kept job's expiry, so it is read again this often. */
const KEPT_REFRESH_MS = 30_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function countdown(ms: number): string {
  if (ms <= 0) return 'any moment now';
  const seconds = Math.ceil(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

function Countdown({ expiresAt }: { expiresAt: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <span role="timer" aria-label="Time until the kept containers are removed">
      {countdown(expiresAt - now)}
    </span>
  );
}

/** The kept job's current expiry from the host, refreshed; `gone` when the host no longer keeps it. */
function useKeptExpiry(runId: string, job: string, initial: number) {
  const { api } = useServices();
  const [expiry, setExpiry] = useState<{ expiresAt: number; gone: boolean; error?: string }>({ expiresAt: initial, gone: false });
  useEffect(() => {
    let current = true;
    const refresh = (): void => {
      api.listKept().then(
        (kept) => {
          if (!current) return;
          const match = kept.find((k) => k.runId === runId && k.job === job);
          setExpiry((previous) => (match ? { expiresAt: match.expiresAt, gone: false } : { ...previous, gone: true }));
        },
        (failure: unknown) => current && setExpiry((previous) => ({ ...previous, error: errorText(failure) })),
      );
    };
    refresh();
    const timer = setInterval(refresh, KEPT_REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [api, runId, job]);
  return expiry;
}

function KeptJobDebug({ runId, job, kept, onRemoved }: { runId: string; job: string; kept: KeptEvent; onRemoved(): void }) {
  const { api } = useServices();
  const expiry = useKeptExpiry(runId, job, kept.expiresAt);
  const [shellOpen, setShellOpen] = useState(false);
  const [releasing, setReleasing] = useState(false);
  const [releaseError, setReleaseError] = useState<string>();

  useEffect(() => {
    if (expiry.gone) onRemoved();
  }, [expiry.gone, onRemoved]);

  const release = async (): Promise<void> => {
    setReleasing(true);
    setReleaseError(undefined);
    try {
      await api.releaseKept(runId, job);
      onRemoved();
    } catch (failure) {
      setReleaseError(errorText(failure));
      setReleasing(false);
    }
  };

  return (
    <>
      <div className="kept-banner" role="region" aria-label="Kept for debugging">
        <p>
          <strong>Kept at the point of failure.</strong>{' '}
          {kept.failedCommand ? (
            <>
              <code>{kept.failedCommand}</code> failed
            </>
          ) : (
            'The job failed'
          )}
          {kept.exitCode !== undefined && <> with exit code <strong>{kept.exitCode}</strong></>}. Its build container, services and network stay so you can look around.
        </p>
        <p className="muted">
          Removed in <Countdown expiresAt={expiry.expiresAt} /> unless a shell uses it (each use restarts the 30-minute idle timer).
          {expiry.error && <span className="error"> Could not refresh the expiry: {expiry.error}</span>}
        </p>
        <p className="muted">Secret values are left out of the image committed from it; the kept container itself holds them until Done or the timeout.</p>
        <div className="kept-actions">
          <button type="button" className="primary" onClick={() => setShellOpen(true)} disabled={shellOpen}>
            Open shell
          </button>
          <button type="button" onClick={() => void release()} disabled={releasing} title="Remove the kept containers, services, network and volumes now">
            Done
          </button>
        </div>
        {releaseError && (
          <p className="error" role="alert">
            Could not remove the kept containers: {releaseError}
          </p>
        )}
      </div>
      {kept.services.length > 0 && (
        <section className="kept-services" aria-label="Reachable services">
          <h3>Services reachable from the shell</h3>
          <ul>
            {kept.services.map((service) => (
              <li key={service.name}>
                <code>{service.name}</code> as {service.aliases.map((alias, index) => (
                  <span key={alias}>
                    {index > 0 && ', '}
                    <code>{alias}</code>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </section>
      )}
      {shellOpen && <ShellTerminal target={{ runId, job }} onClose={() => setShellOpen(false)} />}
    </>
  );
}

function LiveShells({ runId, job }: { runId: string; job: JobView }) {
  const [target, setTarget] = useState<ShellTarget>();
  const services = Object.keys(job.services);
  return (
    <>
      <p>
        The job is running. Open a shell in any of its containers while it runs: each has its own filesystem and processes, and
        they share only the job's network.
      </p>
      <div className="live-shells">
        <button type="button" onClick={() => setTarget({ runId, job: job.name })}>
          Open shell in the running build container
        </button>
        {services.map((service) => (
          <button key={service} type="button" onClick={() => setTarget({ runId, job: job.name, service })}>
            Open shell in service {service}
          </button>
        ))}
      </div>
      {target && <ShellTerminal key={describeTarget(target)} target={target} onClose={() => setTarget(undefined)} />}
    </>
  );
}

function NoShell({ job }: { job: JobView }) {
  let why: string;
  if (job.reusedFrom) why = `This job did not run here: its result was reused from run ${job.reusedFrom}.`;
  else if (job.state === 'failed' || job.state === 'canceled') why = `The job's containers were removed when it ${job.state === 'failed' ? 'failed' : 'was canceled'}: failed jobs were not kept in this run.`;
  else if (job.state === 'success') why = 'The job succeeded and its containers were removed.';
  else why = 'The job has not run, so there is no container to enter.';
  return (
    <div className="no-shell">
      <p>
        <strong>No shell available.</strong> {why}
      </p>
      <p className="muted">
        A shell opens in a running job's containers, or after a failure when failed jobs are kept: turn on “Keep failed jobs for
        debugging” on the project page and run the job again.
      </p>
    </div>
  );
}

export function DebugPanel({ job }: { job: JobView }) {
  const runId = useApp((s) => s.run?.runId);
  const runStatus = useApp((s) => s.run?.status);
  // The store keeps the `kept` event after "Done", so the panel remembers what it removed.
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  if (!runId) return <p className="empty">No run yet.</p>;

  const key = `${runId}/${job.name}`;
  const kept = job.kept && !removed.has(key) ? job.kept : undefined;
  const markRemoved = (): void => setRemoved((all) => (all.has(key) ? all : new Set(all).add(key)));

  return (
    <div className="debug-panel">
      {kept ? (
        <KeptJobDebug key={`kept-${key}`} runId={runId} job={job.name} kept={kept} onRemoved={markRemoved} />
      ) : job.kept ? (
        <p className="kept-removed" role="status">
          The kept containers, services and network of <strong>{job.name}</strong> were removed.
        </p>
      ) : job.state === 'running' && runStatus === 'running' ? (
        <LiveShells key={`live-${key}`} runId={runId} job={job} />
      ) : (
        <NoShell job={job} />
      )}
      {runStatus !== undefined && runStatus !== 'running' && <RerunForm key={`rerun-${key}`} runId={runId} job={job} kept={kept !== undefined} runFailed={runStatus === 'failed'} />}
    </div>
  );
}
