// One job's pull decisions: a row per image and attempt with the policy, what was known locally and
// remotely, the decision and its reason; live progress bars while pulling; a "why?" panel per row.

import { Fragment, useState } from 'react';
import type { PullEvent } from '../../../../shared/events.js';
import { formatBytes } from '../../../../shared/bytes.js';
import type { JobView } from '../../state/run-model.js';
import { formatMs } from '../common/format.js';
import { ImageLint } from './ImageLint.js';
import { PullProgress } from './PullProgress.js';
import { PullWhy } from './PullWhy.js';
import { shortDigest, SOURCE_LABEL } from './pull-why-text.js';
import { onRowKeyDown } from '../common/row-navigation.js';

function Digest({ digest }: { digest: string | undefined }) {
  if (!digest) return <span className="muted">unknown</span>;
  return (
    <code title={digest} className="digest">
      {shortDigest(digest)}
    </code>
  );
}

function rowId(job: string, index: number): string {
  return `pull-${job}-${index}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

function PullRow({ event, id, open, onToggle }: { event: PullEvent; id: string; open: boolean; onToggle(): void }) {
  const label = `${event.container}: ${event.image}, attempt ${event.attempt}: ${event.decision}`;
  return (
    <tr id={id} tabIndex={0} aria-label={label} data-decision={event.decision} data-image={event.image} onKeyDown={(e) => onRowKeyDown(e, onToggle)}>
      <td>{event.container}</td>
      <td>
        <code>{event.image}</code>
        {event.normalized !== event.image && (
          <div className="muted">
            <code>{event.normalized}</code>
          </div>
        )}
        <div>
          <ImageLint image={event.image} />
        </div>
      </td>
      <td>{event.attempt}</td>
      <td>
        <code>{event.policy}</code>
        <div className="muted">
          [{event.policies.join(', ')}] from {SOURCE_LABEL[event.policySource]}
        </div>
      </td>
      <td>{event.allowedPolicies.length > 0 ? event.allowedPolicies.join(', ') : <span className="muted">not set</span>}</td>
      <td>
        {event.localPresent ? 'present' : 'absent'}
        {event.localPresent && (
          <div>
            <Digest digest={event.localDigest} />
          </div>
        )}
      </td>
      <td>{event.remoteDigest ? <Digest digest={event.remoteDigest} /> : <span className="muted">not asked</span>}</td>
      <td>
        <span className={`badge pull-${event.decision}`}>{event.decision}</span>
        {event.digest && (
          <div>
            <Digest digest={event.digest} />
          </div>
        )}
      </td>
      <td>{event.reason}</td>
      <td>{formatMs(event.durationMs)}</td>
      <td>{event.bytes !== undefined && event.bytes > 0 ? formatBytes(event.bytes) : <span className="muted">none</span>}</td>
      <td>
        <button type="button" className="link" aria-expanded={open} aria-controls={open ? `${id}-why` : undefined} onClick={onToggle} tabIndex={-1}>
          why?
        </button>
      </td>
    </tr>
  );
}

const COLUMNS = ['Container', 'Image', 'Attempt', 'Policy', 'Allowed', 'Local copy', 'Registry digest', 'Decision', 'Reason', 'Duration', 'Downloaded', ''];

export function PullsView({ job }: { job: JobView }) {
  const [openRow, setOpenRow] = useState<number>();
  const inProgress = Object.values(job.pullProgress);

  if (job.pulls.length === 0 && inProgress.length === 0) {
    if (job.state === 'pending') return <p className="empty">This job has not started: its pull decisions appear here when it runs.</p>;
    if (job.state === 'running') {
      return (
        <p className="empty" role="status" aria-live="polite">
          Resolving images…
        </p>
      );
    }
    return <p className="empty">This job pulled no images{job.reusedFrom ? ` (its result was reused from ${job.reusedFrom})` : ''}.</p>;
  }

  const close = (index: number) => {
    setOpenRow(undefined);
    document.getElementById(rowId(job.name, index))?.focus();
  };

  return (
    <section className="pulls-view" aria-label={`Pull decisions of ${job.name}`}>
      {inProgress.length > 0 && (
        <div className="pull-progress-list" aria-live="polite">
          {inProgress.map((progress) => (
            <PullProgress key={progress.image} progress={progress} />
          ))}
        </div>
      )}
      {job.pulls.length > 0 && (
        <>
          <p className="muted">One row per image and attempt. Arrow keys move between rows; Enter opens the row&apos;s explanation.</p>
          <div className="pulls-scroll">
            <table className="pulls-table" aria-label={`Pull decisions of ${job.name}`}>
              <thead>
                <tr>
                  {COLUMNS.map((column, index) => (
                    <th key={index} scope="col">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {job.pulls.map((event, index) => {
                  const id = rowId(job.name, index);
                  const open = openRow === index;
                  return (
                    <Fragment key={index}>
                      <PullRow event={event} id={id} open={open} onToggle={() => (open ? close(index) : setOpenRow(index))} />
                      {open && (
                        <tr className="pull-why-row">
                          <td colSpan={COLUMNS.length}>
                            <PullWhy event={event} id={`${id}-why`} onClose={() => close(index)} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
