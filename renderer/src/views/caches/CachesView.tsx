// Every cache volume: who wrote it and when, what it holds, and clearing it; plus which job of the
// current run restored, saved or skipped which cache, and why.

import { useCallback, useMemo, useState } from 'react';
import { type CacheClearRequest, type CacheClearResult, type CacheVolumeInfo } from '../../../../shared/cache-api.js';
import { formatBytes } from '../../../../shared/bytes.js';
import { useServices } from '../../state/context.js';
import { CacheTree } from './CacheTree.js';
import { ClearOutcome, ConfirmClear, describeClear } from './ClearCaches.js';
import { errorText, LoadError, Loading, nextStepFor, useLoad } from '../common/LoadState.js';
import { onRowKeyDown } from '../common/row-navigation.js';
import { RunCaches } from './RunCaches.js';
import { ago } from '../common/time-text.js';

function sizeText(cache: CacheVolumeInfo): string {
  if (cache.sizeBytes !== undefined) return formatBytes(cache.sizeBytes);
  return cache.empty ? 'empty' : 'not measured';
}

function CacheRows({ caches, selected, now, onSelect, onClear }: { caches: CacheVolumeInfo[]; selected?: string; now: number; onSelect(volume: string): void; onClear(request: CacheClearRequest): void }) {
  return (
    <table className="data-table caches" aria-label="Caches">
      <thead>
        <tr>
          <th>Project</th>
          <th>Key</th>
          <th>Size</th>
          <th>Files</th>
          <th>Last written by</th>
          <th>Last used</th>
          <th>
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {caches.map((cache) => (
          <tr
            key={cache.volume}
            data-volume={cache.volume}
            tabIndex={0}
            aria-selected={cache.volume === selected}
            className={cache.volume === selected ? 'selected' : undefined}
            onClick={() => onSelect(cache.volume)}
            onKeyDown={(event) => onRowKeyDown(event, () => onSelect(cache.volume))}
          >
            <td>{cache.project}</td>
            <td>
              <code>{cache.key}</code>
              {cache.storage === 'host-folder' && <span className="muted" title={cache.volume}> (host folder)</span>}
            </td>
            <td className="num">{sizeText(cache)}</td>
            <td className="num">{cache.files ?? '—'}</td>
            <td>
              {cache.lastWriter ? (
                <>
                  job {cache.lastWriter.job} in run <code>{cache.lastWriter.runId}</code> <span className="muted">({ago(cache.lastWriter.time, now)})</span>
                </>
              ) : (
                <span className="muted">never saved</span>
              )}
            </td>
            <td>{ago(cache.lastUsed, now)}</td>
            <td>
              <button
                type="button"
                className="danger small"
                aria-label={`Clear cache ${cache.key} of ${cache.project}`}
                onClick={(event) => {
                  event.stopPropagation();
                  onClear({ kind: 'volume', volume: cache.volume });
                }}
              >
                Clear
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OlderThanForm({ onClear }: { onClear(request: CacheClearRequest): void }) {
  const [days, setDays] = useState('14');
  const valid = /^\d+$/.test(days.trim());
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onClear({ kind: 'older-than', days: Number(days.trim()) });
      }}
    >
      <label>
        Clear caches not used for{' '}
        <input aria-label="Days unused" className="days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} aria-invalid={!valid} /> days
      </label>
      <button type="submit" disabled={!valid}>
        Clear old caches…
      </button>
    </form>
  );
}

export function CachesView() {
  const { api } = useServices();
  const load = useCallback(() => api.listCaches(), [api]);
  const caches = useLoad(load);
  const [selected, setSelected] = useState<string>();
  const [pending, setPending] = useState<CacheClearRequest>();
  const [busy, setBusy] = useState(false);
  // Names are kept with the outcome: the removed caches are gone from the list by then.
  const [outcome, setOutcome] = useState<{ result: CacheClearResult | { error: string }; names: Map<string, string> }>();
  // Ages are shown relative to when the list arrived, so they do not shift while someone reads them.
  const [now, setNow] = useState(() => Date.now());
  const list = useMemo(() => caches.data ?? [], [caches.data]);
  const names = useMemo(() => new Map(list.map((c) => [c.volume, `${c.key} (${c.project})`])), [list]);
  const known = useMemo(() => new Set(list.map((c) => c.volume)), [list]);
  const current = list.find((c) => c.volume === selected);

  const refresh = () => {
    setNow(Date.now());
    caches.reload();
  };

  const clear = async (request: CacheClearRequest) => {
    setBusy(true);
    try {
      const result = await api.clearCaches(request);
      const removed = new Set(result.removed);
      caches.setData((before) => before?.filter((c) => !removed.has(c.volume)));
      if (selected && removed.has(selected)) setSelected(undefined);
      setOutcome({ result, names });
    } catch (error) {
      const message = errorText(error);
      setOutcome({ result: { error: `${message}. ${nextStepFor(message)}` }, names });
    } finally {
      setBusy(false);
      setPending(undefined);
    }
  };

  const ask = (request: CacheClearRequest) => {
    setOutcome(undefined);
    setPending(request);
  };

  let body;
  if (caches.loading && !caches.data) body = <Loading what="caches" />;
  else if (caches.error && !caches.data) body = <LoadError what="the caches" message={caches.error} onRetry={refresh} />;
  else if (list.length === 0)
    body = (
      <p className="empty">
        No caches yet: a job with <code>cache:</code> creates one the first time it saves.
      </p>
    );
  else
    body = (
      <div className="caches-body">
        <CacheRows caches={list} selected={selected} now={now} onSelect={setSelected} onClear={ask} />
        {current && (
          <section className="panel cache-detail" aria-label={`Cache ${current.key}`}>
            <header className="toolbar">
              <h2>
                <code>{current.key}</code> <span className="muted">of {current.project}</span>
              </h2>
              <button type="button" className="danger small" onClick={() => ask({ kind: 'project', project: current.project })}>
                Clear all caches of {current.project}…
              </button>
            </header>
            <p className="muted">
              {current.storage === 'volume' ? 'Docker volume' : 'Host folder'} <code>{current.volume}</code>
            </p>
            <CacheTree key={current.volume} volume={current.volume} label={`Contents of cache ${current.key}`} />
          </section>
        )}
      </div>
    );

  return (
    <div className="caches-view">
      <div className="toolbar">
        <h1 className="view-title">Caches</h1>
        <div className="toolbar-actions">
          <OlderThanForm onClear={ask} />
          <button type="button" onClick={refresh} disabled={caches.loading}>
            {caches.loading && caches.data ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      {caches.error && caches.data && <LoadError what="the latest caches (showing the previous list)" message={caches.error} onRetry={refresh} />}
      {pending && <ConfirmClear question={describeClear(pending, list)} busy={busy} onConfirm={() => void clear(pending)} onCancel={() => setPending(undefined)} />}
      {outcome && <ClearOutcome result={outcome.result} names={outcome.names} onDismiss={() => setOutcome(undefined)} />}
      {body}
      <RunCaches known={known} onShow={setSelected} />
    </div>
  );
}
