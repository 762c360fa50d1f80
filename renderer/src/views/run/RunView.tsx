// A run, live or replayed: job statuses with durations, cancel, and for the selected job its stage
// timeline and log.

import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/context.js';
import type { JobTab } from '../../state/store.js';
import type { JobView } from '../../state/run-model.js';
import { DebugPanel } from '../debug/DebugPanel.js';
import { describeReason, formatMs } from '../common/format.js';
import { IsolationView } from '../isolation/IsolationView.js';
import { JobLog } from '../log/JobLog.js';
import { PullsView } from '../pulls/PullsView.js';
import { ServicesView } from '../services/ServicesView.js';
import { StageTimeline } from './StageTimeline.js';

const JOB_TABS: { tab: JobTab; label: string }[] = [
  { tab: 'log', label: 'Log' },
  { tab: 'services', label: 'Services' },
  { tab: 'pulls', label: 'Pull decisions' },
  { tab: 'isolation', label: 'Isolation' },
  { tab: 'debug', label: 'Debug' },
];

/** The selected job's panels: its log, services, pull decisions, the run's isolation diagram, and debugging. */
function JobPanels({ job }: { job: JobView }) {
  const tab = useApp((s) => s.jobTab);
  const showJobTab = useApp((s) => s.showJobTab);
  return (
    <>
      <div className="job-tabs" role="tablist" aria-label="Job panels">
        {JOB_TABS.map((entry) => (
          <button
            key={entry.tab}
            type="button"
            role="tab"
            id={`job-tab-${entry.tab}`}
            aria-selected={tab === entry.tab}
            aria-controls="job-panel"
            tabIndex={tab === entry.tab ? 0 : -1}
            onClick={() => showJobTab(entry.tab)}
            onKeyDown={(event) => {
              const index = JOB_TABS.findIndex((t) => t.tab === tab);
              const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
              if (step === 0) return;
              const next = JOB_TABS[(index + step + JOB_TABS.length) % JOB_TABS.length];
              if (!next) return;
              showJobTab(next.tab);
              document.getElementById(`job-tab-${next.tab}`)?.focus();
            }}
          >
            {entry.label}
            {entry.tab === 'debug' && job.kept && <span className="badge kept">kept</span>}
          </button>
        ))}
      </div>
      <div id="job-panel" role="tabpanel" aria-labelledby={`job-tab-${tab}`}>
        {tab === 'log' && <JobLog job={job.name} />}
        {tab === 'services' && <ServicesView job={job} />}
        {tab === 'pulls' && <PullsView job={job} />}
        {tab === 'isolation' && <IsolationView />}
        {tab === 'debug' && <DebugPanel job={job} />}
      </div>
    </>
  );
}

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
  const stored = useApp((s) => s.run?.stored ?? false);
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
        {stored && <span className="muted">stored run, read-only</span>}
        {status === 'running' && !stored && (
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
                    {view.kept && <span className="badge kept" title="Its containers were kept: open the Debug panel for a shell">kept</span>}
                    {view.reusedFrom && <span className="muted"> (reused from {view.reusedFrom})</span>}
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
            {/* Keyed by job: a panel's own state (an open row, a shell) belongs to one job. */}
            <JobPanels key={job.name} job={job} />
          </div>
        )}
      </div>
    </div>
  );
}
