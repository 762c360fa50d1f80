// A run, live or replayed: job statuses with durations, cancel, and for the selected job its stage
// timeline and log.

import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../state/context.js';
import { describeReason, formatMs } from './format.js';
import { JobLog } from './JobLog.js';
import { StageTimeline } from './StageTimeline.js';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function RunView() {
  const runId = useApp((s) => s.run?.runId);
  const status = useApp((s) => s.run?.status);
  const durationMs = useApp((s) => s.run?.durationMs);
  const jobOrder = useApp(useShallow((s) => s.run?.jobOrder ?? []));
  const jobs = useApp((s) => s.run?.jobs);
  const selected = useApp((s) => s.selectedJob);
  const selectJob = useApp((s) => s.selectJob);
  const cancelRun = useApp((s) => s.cancelRun);
  const runError = useApp((s) => s.runError);
  const now = useNow(status === 'running');

  if (!runId || !jobs) return <p className="empty">No run yet. Open a project and press Run.</p>;
  const shownJob = selected ?? jobOrder.find((name) => jobs[name]?.state === 'running') ?? jobOrder[0];
  const job = shownJob ? jobs[shownJob] : undefined;

  return (
    <div className="run">
      <div className="toolbar">
        <span>
          Run <code>{runId}</code>: <strong className={`run-status status-${status}`}>{status}</strong>
          {durationMs !== undefined && <span className="muted"> in {formatMs(durationMs)}</span>}
        </span>
        {status === 'running' && (
          <button type="button" className="danger" onClick={() => void cancelRun()}>
            Cancel run
          </button>
        )}
      </div>
      {runError && <p className="error" role="alert">{runError}</p>}
      <div className="run-body">
        <table className="jobs" aria-label="Jobs">
          <thead>
            <tr>
              <th>Job</th>
              <th>Stage</th>
              <th>Status</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {jobOrder.map((name) => {
              const view = jobs[name];
              if (!view) return null;
              const running = view.state === 'running' && view.startedAt !== undefined;
              return (
                <tr key={name} className={name === shownJob ? 'selected' : undefined} data-job={name} data-state={view.state}>
                  <td>
                    <button type="button" className="link" onClick={() => selectJob(name)}>
                      {name}
                    </button>
                  </td>
                  <td>{view.stage}</td>
                  <td>
                    <span className={`badge state-${view.state}`}>{view.state}</span>
                    {view.allowedToFail && <span className="muted"> (allowed to fail)</span>}
                    {view.reason && <div className="muted">{describeReason(view.reason)}</div>}
                  </td>
                  <td>{running ? formatMs(now - (view.startedAt ?? now)) : formatMs(view.durationMs)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {job && (
          <div className="job-detail">
            <h2>{job.name}</h2>
            <StageTimeline job={job} now={now} />
            <JobLog job={job.name} />
          </div>
        )}
      </div>
    </div>
  );
}
