// Clearing caches: what a request will remove (asked before anything is removed), and what it did.

import type { CacheClearRequest, CacheClearResult, CacheVolumeInfo } from '../../../../shared/cache-api.js';
import { formatBytes } from '../../../../shared/bytes.js';

/** What the request would clear, as the confirmation asks it. */
export function describeClear(request: CacheClearRequest, caches: CacheVolumeInfo[]): string {
  switch (request.kind) {
    case 'volume': {
      const cache = caches.find((c) => c.volume === request.volume);
      return cache ? `Clear cache ${cache.key} of ${cache.project}${cache.sizeBytes !== undefined ? ` (${formatBytes(cache.sizeBytes)})` : ''}?` : `Clear cache ${request.volume}?`;
    }
    case 'project': {
      const count = caches.filter((c) => c.project === request.project).length;
      return `Clear all ${count} cache${count === 1 ? '' : 's'} of ${request.project}?`;
    }
    case 'older-than':
      return `Clear every cache not used for ${request.days} day${request.days === 1 ? '' : 's'}${request.project ? ` in ${request.project}` : ''}?`;
    case 'all':
      return `Clear all ${caches.length} caches?`;
  }
}

export function ConfirmClear({ question, onConfirm, onCancel, busy }: { question: string; onConfirm(): void; onCancel(): void; busy: boolean }) {
  return (
    <div className="confirm" role="alertdialog" aria-label="Confirm clearing" aria-describedby="confirm-question" onKeyDown={(e) => e.key === 'Escape' && !busy && onCancel()}>
      <p id="confirm-question">
        <strong>{question}</strong> Jobs that use it start without a cache next time; a running job keeps what it has.
      </p>
      <button
        type="button"
        className="danger"
        disabled={busy}
        onClick={onConfirm}
        // Focus lands on the dialog, so Enter confirms and Escape keeps.
        autoFocus
      >
        {busy ? 'Clearing…' : 'Clear'}
      </button>
      <button type="button" disabled={busy} onClick={onCancel}>
        Keep
      </button>
    </div>
  );
}

/** The outcome: what was removed and what was not (usually because a running job uses it). */
export function ClearOutcome({ result, names, onDismiss }: { result: CacheClearResult | { error: string }; names: Map<string, string>; onDismiss(): void }) {
  const label = (volume: string) => names.get(volume) ?? volume;
  return (
    <div className={`clear-result ${'error' in result || result.failed.length > 0 ? 'warn' : 'ok'}`} role="status" aria-label="Clear result">
      {'error' in result ? (
        <span className="error">Nothing was cleared: {result.error}</span>
      ) : (
        <>
          {result.removed.length === 0 && result.failed.length === 0 && <span>Nothing matched: no cache was removed.</span>}
          {result.removed.length > 0 && (
            <span>
              Removed {result.removed.length} cache{result.removed.length === 1 ? '' : 's'}: {result.removed.map(label).join(', ')}.
            </span>
          )}
          {result.failed.length > 0 && (
            <ul>
              {result.failed.map((failure) => (
                <li key={failure.volume}>
                  Not removed {label(failure.volume)}: {failure.reason}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <button type="button" className="link" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
