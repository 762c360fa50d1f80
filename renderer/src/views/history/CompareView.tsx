// Two stored runs side by side, one job at a time: status, exit code, stage durations, images and
// their digests, pull decisions, variables, caches, the differences in sentences, and the log diff.

import { useCallback, useState, type ReactNode } from 'react';
import { formatBytes } from '../../../../shared/bytes.js';
import type { CacheUse, ComparedRun, ImageUse, JobComparison, Pair } from '../../../../shared/compare.js';
import { useServices } from '../../state/context.js';
import { formatMs } from '../common/format.js';
import { LoadError, Loading, useLoad } from '../common/LoadState.js';
import { LogDiff } from './LogDiff.js';
import { localTime } from '../common/time-text.js';

const shortDigest = (digest?: string) => (digest ? digest.replace(/^sha256:/, '').slice(0, 12) : 'no digest');

function RunHeading({ side, run }: { side: 'A' | 'B'; run: ComparedRun }) {
  return (
    <div className="compare-run">
      <span className="compare-side">{side}</span> <code>{run.runId}</code>{' '}
      <span className={`badge run-status status-${run.status}`}>{run.status}</span>
      <div className="muted">
        {run.projectPath} · {run.startedAt ? localTime(run.startedAt) : 'start unknown'}
        {run.durationMs !== undefined && ` · ${formatMs(run.durationMs)}`}
      </div>
    </div>
  );
}

function Row<T>({ label, pair, show, changed = pair.changed }: { label: ReactNode; pair: Pair<T>; show(value: T): ReactNode; changed?: boolean }) {
  const cell = (value: T | undefined) => (value === undefined ? <span className="muted">—</span> : show(value));
  return (
    <tr data-changed={changed} className={changed ? 'changed' : undefined}>
      <th scope="row">
        {label}
        {changed && <span className="badge changed-badge">changed</span>}
      </th>
      <td>{cell(pair.a)}</td>
      <td>{cell(pair.b)}</td>
    </tr>
  );
}

function Section({ title }: { title: string }) {
  return (
    <tr className="compare-section">
      <th colSpan={3} scope="colgroup">
        {title}
      </th>
    </tr>
  );
}

function imageCell(use: ImageUse) {
  return (
    <>
      <code>{use.image}</code>
      <div>
        digest <code title={use.digest}>{shortDigest(use.digest)}</code>
      </div>
      <div className="muted">
        {use.decision} (policy {use.policy})
      </div>
    </>
  );
}

function cacheCell(use: CacheUse) {
  return (
    <>
      {use.action}
      {use.bytes !== undefined && <span className="muted"> · {formatBytes(use.bytes)}</span>}
      {use.files !== undefined && <span className="muted"> · {use.files} file{use.files === 1 ? '' : 's'}</span>}
    </>
  );
}

function durationDelta(a?: number, b?: number): string {
  if (a === undefined || b === undefined) return '';
  const delta = b - a;
  if (Math.abs(delta) < 1) return '';
  return ` (${delta > 0 ? '+' : '−'}${formatMs(Math.abs(delta))})`;
}

function JobDetails({ job }: { job: JobComparison }) {
  return (
    <>
      <section className="panel" aria-label="Summary">
        <h2>What differs in {job.job}</h2>
        {job.summary.length === 0 ? (
          <p className="muted">Nothing: same status, images, variables, caches and log (times and run ids ignored).</p>
        ) : (
          <ul className="compare-summary">
            {job.summary.map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
        )}
      </section>
      <table className="data-table compare-table" aria-label={`Comparison of ${job.job}`}>
        <thead>
          <tr>
            <th />
            <th scope="col">Run A</th>
            <th scope="col">Run B</th>
          </tr>
        </thead>
        <tbody>
          <Row label="Status" pair={job.state} show={(state) => <span className={`badge state-${state}`}>{state}</span>} />
          <Row label="Exit code" pair={job.exitCode} show={(code) => <code>{code}</code>} />
          <Section title="Stage durations" />
          {job.stages.map((stage) => (
            <Row key={stage.stage} label={`${stage.stage}${durationDelta(stage.a, stage.b)}`} pair={stage} changed={false} show={formatMs} />
          ))}
          <Section title="Images and pull decisions" />
          {job.images.length === 0 && <EmptyRow text="No image was pulled or used." />}
          {job.images.map((image) => (
            <Row key={image.container} label={image.container} pair={image} show={imageCell} />
          ))}
          <Section title="Variables" />
          {job.variables.length === 0 && <EmptyRow text="No variables recorded (predefined CI_* ones are left out)." />}
          {job.variables.map((variable) => (
            <Row key={variable.key} label={<code>{variable.key}</code>} pair={variable} show={(value) => <code className={value === '[MASKED]' ? 'masked' : undefined}>{value}</code>} />
          ))}
          <Section title="Caches" />
          {job.caches.length === 0 && <EmptyRow text="The job used no cache." />}
          {job.caches.map((cache) => (
            <Row key={`${cache.key}:${cache.phase}`} label={<><code>{cache.key}</code> <span className="muted">{cache.phase}</span></>} pair={cache} show={cacheCell} />
          ))}
        </tbody>
      </table>
      <section className="panel" aria-label="Log diff">
        <h2>Log</h2>
        <LogDiff lines={job.log} />
      </section>
    </>
  );
}

function EmptyRow({ text }: { text: string }) {
  return (
    <tr>
      <td colSpan={3} className="muted">
        {text}
      </td>
    </tr>
  );
}

export function CompareView({ runA, runB, onBack }: { runA: string; runB: string; onBack(): void }) {
  const { api } = useServices();
  const load = useCallback(() => api.compareRuns(runA, runB), [api, runA, runB]);
  const comparison = useLoad(load);
  const [picked, setPicked] = useState<string>();

  let body;
  if (comparison.loading) body = <Loading what="the comparison" />;
  else if (comparison.error || !comparison.data) body = <LoadError what="the comparison" message={comparison.error ?? 'no answer'} onRetry={comparison.reload} />;
  else {
    const { a, b, jobs } = comparison.data;
    // Start on the first job that differs: that is what the reader came for.
    const job = jobs.find((j) => j.job === picked) ?? jobs.find((j) => j.summary.length > 0) ?? jobs[0];
    body = (
      <>
        <div className="compare-runs" role="group" aria-label="Runs compared">
          <RunHeading side="A" run={a} />
          <RunHeading side="B" run={b} />
        </div>
        {jobs.length > 1 && (
          <label className="job-picker">
            Job{' '}
            <select value={job?.job} onChange={(event) => setPicked(event.target.value)}>
              {jobs.map((j) => (
                <option key={j.job} value={j.job}>
                  {j.job} {j.summary.length > 0 ? `(${j.summary.length} difference${j.summary.length === 1 ? '' : 's'})` : '(same)'}
                </option>
              ))}
            </select>
          </label>
        )}
        {job ? <JobDetails job={job} /> : <p className="empty">Neither run has any job to compare.</p>}
      </>
    );
  }

  return (
    <div className="compare-view">
      <div className="toolbar">
        <h1 className="view-title">
          Compare <code>{runA}</code> → <code>{runB}</code>
        </h1>
        <button type="button" onClick={onBack}>
          Back to history
        </button>
      </div>
      {body}
    </div>
  );
}
