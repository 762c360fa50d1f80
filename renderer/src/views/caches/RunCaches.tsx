// "In the current run": which job restored or saved which cache, and why one was skipped, so a trainer
// can answer "why did this job get a stale cache" with "it was written by job X in run Y".

import { useShallow } from 'zustand/react/shallow';
import type { CacheEvent } from '../../../../shared/events.js';
import { formatBytes } from '../../../../shared/bytes.js';
import { useApp } from '../../state/context.js';
import { elapsed, localTime } from '../common/time-text.js';

/** Why the cache action happened, in one sentence. */
export function explainCacheEvent(event: CacheEvent): string {
  const parts: string[] = [];
  if (event.fallbackKey) parts.push(`no cache for this key; the fallback key ${event.fallbackKey} matched`);
  if (event.reason) parts.push(event.reason);
  if (event.lastWriter && event.action !== 'saved') {
    parts.push(`written by job ${event.lastWriter.job} in run ${event.lastWriter.runId} (${localTime(event.lastWriter.time)}, ${elapsed(event.lastWriter.time, event.time)} before this job)`);
  }
  if (parts.length === 0 && event.action === 'saved') parts.push('saved for the next jobs with this key');
  return parts.join('; ');
}

function sizeOf(event: CacheEvent): string {
  if (event.bytes === undefined) return '';
  return `${formatBytes(event.bytes)}${event.files !== undefined ? `, ${event.files} files` : ''}`;
}

export function RunCaches({ known, onShow }: { known: Set<string>; onShow(volume: string): void }) {
  const runId = useApp((s) => s.run?.runId);
  const events = useApp(useShallow((s) => (s.run ? s.run.jobOrder.flatMap((name) => s.run?.jobs[name]?.caches ?? []) : [])));

  return (
    <section className="panel run-caches" aria-labelledby="run-caches-title">
      <h2 id="run-caches-title">In the current run</h2>
      {!runId ? (
        <p className="muted">No run open: start one, or open a past run from History, to see which caches its jobs restored and saved.</p>
      ) : events.length === 0 ? (
        <p className="muted">
          No job in run <code>{runId}</code> used a cache (none has <code>cache:</code>, or the run has not reached it yet).
        </p>
      ) : (
        <table className="data-table" aria-label="Cache use in the current run">
          <thead>
            <tr>
              <th>Job</th>
              <th>Key</th>
              <th>Action</th>
              <th>Size</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event, index) => (
              <tr key={`${event.job}-${event.key}-${index}`} data-action={event.action}>
                <td>{event.job}</td>
                <td>
                  <code>{event.key || '(none)'}</code>
                  {event.volume && known.has(event.volume) && (
                    <>
                      {' '}
                      <button type="button" className="link" onClick={() => onShow(event.volume)} aria-label={`Show cache ${event.key} used by ${event.job}`}>
                        show
                      </button>
                    </>
                  )}
                </td>
                <td>
                  <span className={`badge cache-${event.action}`}>{event.action}</span>
                </td>
                <td>{sizeOf(event)}</td>
                <td>{explainCacheEvent(event)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
