// Past runs: open one to replay it in the Run view, or pick two to compare them.

import { useCallback, useMemo, useState } from 'react';
import type { RunSummary } from '../../../../shared/api.js';
import { useServices } from '../../state/context.js';
import { CompareView } from './CompareView.js';
import { formatMs } from '../common/format.js';
import { LoadError, Loading, useLoad } from '../common/LoadState.js';
import { onRowKeyDown } from '../common/row-navigation.js';
import { ago, localTime } from '../common/time-text.js';

function jobsText(jobs: RunSummary['jobs']): string {
  const failed = jobs.filter((j) => j.state === 'failed').map((j) => j.name);
  const names = jobs.length <= 3 ? jobs.map((j) => j.name).join(', ') : `${jobs.length} jobs`;
  return failed.length > 0 ? `${names} (failed: ${failed.join(', ')})` : names;
}

function RunRows({ runs, picked, now, onPick, onOpen }: { runs: RunSummary[]; picked: string[]; now: number; onPick(runId: string): void; onOpen(runId: string): void }) {
  return (
    <table className="data-table history" aria-label="Past runs">
      <thead>
        <tr>
          <th>
            <span className="visually-hidden">Compare</span>
          </th>
          <th>Status</th>
          <th>Started</th>
          <th>Duration</th>
          <th>Project</th>
          <th>Jobs</th>
          <th>
            <span className="visually-hidden">Open</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.runId} data-run={run.runId} tabIndex={0} className={picked.includes(run.runId) ? 'selected' : undefined} onKeyDown={(event) => onRowKeyDown(event, () => onOpen(run.runId))} onDoubleClick={() => onOpen(run.runId)}>
            <td>
              <input type="checkbox" aria-label={`Pick run ${run.runId} to compare`} checked={picked.includes(run.runId)} onChange={() => onPick(run.runId)} />
            </td>
            <td>
              <span className={`badge run-status status-${run.status}`}>{run.status}</span>
            </td>
            <td>
              {localTime(run.startedAt)} <span className="muted">({ago(run.startedAt, now)})</span>
            </td>
            <td className="num">{run.durationMs !== undefined ? formatMs(run.durationMs) : '—'}</td>
            <td>
              {run.projectPath}
              <div className="muted small-text">
                <code>{run.runId}</code>
              </div>
            </td>
            <td>{jobsText(run.jobs)}</td>
            <td>
              <button type="button" className="small" aria-label={`Open run ${run.runId}`} onClick={() => onOpen(run.runId)}>
                Open
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function HistoryView() {
  const { api, store } = useServices();
  const load = useCallback(() => api.listRuns(), [api]);
  const runs = useLoad(load);
  const [now, setNow] = useState(() => Date.now());
  /** At most two, in the order picked; a third pick drops the oldest. */
  const [picked, setPicked] = useState<string[]>([]);
  const [comparing, setComparing] = useState<[string, string]>();
  const list = useMemo(() => [...(runs.data ?? [])].sort((a, b) => b.startedAt - a.startedAt), [runs.data]);

  if (comparing) return <CompareView runA={comparing[0]} runB={comparing[1]} onBack={() => setComparing(undefined)} />;

  const pick = (runId: string) => setPicked((before) => (before.includes(runId) ? before.filter((id) => id !== runId) : [...before, runId].slice(-2)));
  const compare = () => {
    // The earlier run goes left, so the comparison reads "then → now".
    const [a, b] = picked.map((id) => list.find((r) => r.runId === id)).sort((x, y) => (x?.startedAt ?? 0) - (y?.startedAt ?? 0));
    if (a && b) setComparing([a.runId, b.runId]);
  };
  const refresh = () => {
    setNow(Date.now());
    runs.reload();
  };

  let body;
  if (runs.loading && !runs.data) body = <Loading what="past runs" />;
  else if (runs.error && !runs.data) body = <LoadError what="the run history" message={runs.error} onRetry={refresh} />;
  else if (list.length === 0)
    body = (
      <p className="empty">
        No runs yet: every run you start here or with <code>jobsim run</code> is kept in the history.
      </p>
    );
  else body = <RunRows runs={list} picked={picked} now={now} onPick={pick} onOpen={(runId) => store.getState().watchRun(runId, list.find((r) => r.runId === runId)?.status)} />;

  return (
    <div className="history-view">
      <div className="toolbar">
        <h1 className="view-title">History</h1>
        <div className="toolbar-actions">
          <span className="muted">{picked.length === 2 ? 'Two runs picked.' : `Pick ${2 - picked.length} more run${picked.length === 1 ? '' : 's'} to compare.`}</span>
          <button type="button" className="primary" disabled={picked.length !== 2} onClick={compare}>
            Compare
          </button>
          <button type="button" onClick={refresh} disabled={runs.loading}>
            {runs.loading && runs.data ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      {runs.error && runs.data && <LoadError what="the latest runs (showing the previous list)" message={runs.error} onRetry={refresh} />}
      {body}
    </div>
  );
}
