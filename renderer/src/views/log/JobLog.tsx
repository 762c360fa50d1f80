// A job's log in a terminal: colours, GitLab's collapsible sections (with an index beside the terminal),
// search, copy, download, follow. Lines come from the LogStore and go straight into the terminal.

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { sectionDurationMs, sectionKey, visibleLines, type LogSection } from '../../log/sections.js';
import { TerminalWriter, type LogTerminal } from '../../log/terminal.js';
import { useApp, useServices } from '../../state/context.js';
import { formatMs } from '../common/format.js';

function prefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export function JobLog({ job }: { job: string }) {
  const { logs, createTerminal } = useServices();
  const runFinished = useApp((s) => s.run !== undefined && s.run.status !== 'running');
  const loadWholeLog = useApp((s) => s.loadWholeLog);
  const [loadingWhole, setLoadingWhole] = useState(false);
  const [redraws, setRedraws] = useState(0);
  const element = useRef<HTMLDivElement>(null);
  const terminal = useRef<LogTerminal | undefined>(undefined);
  const writer = useRef<TerminalWriter | undefined>(undefined);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const [follow, setFollow] = useState(true);
  const [notFound, setNotFound] = useState(false);
  const subscribeToJob = useCallback((notify: () => void) => logs.subscribe(job, notify), [logs, job]);
  const lineCount = useSyncExternalStore(subscribeToJob, () => logs.droppedOf(job) + logs.linesOf(job).length);
  const sections = useSyncExternalStore(subscribeToJob, () => logs.sectionsOf(job));

  useEffect(() => {
    if (!element.current) return;
    const term = createTerminal(element.current, prefersDark() ? 'dark' : 'light');
    terminal.current = term;
    writer.current = new TerminalWriter(term);
    const onResize = (): void => term.fit();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      term.dispose();
      terminal.current = undefined;
      writer.current = undefined;
    };
  }, [createTerminal]);

  useEffect(
    () =>
      logs.onReset((resetJob) => {
        if (resetJob !== job) return;
        terminal.current?.setScrollback(Math.max(100_000, logs.linesOf(job).length + 1000));
        setRedraws((n) => n + 1);
      }),
    [logs, job],
  );

  // Redraw from the kept lines when the job, the folding or the loaded lines change, then follow new lines.
  useEffect(() => {
    const out = writer.current;
    if (!out) return;
    out.reset();
    const shown = visibleLines(logs.linesOf(job), logs.sectionsOf(job), collapsed, logs.droppedOf(job));
    if (shown.length > 0) out.enqueue(shown.join('\r\n') + '\r\n');
    return logs.subscribe(job, (added) => {
      // New lines inside a collapsed section that is still open stay hidden.
      if (collapsed.size > 0 && logs.sectionsOf(job).some((s) => s.endLine === undefined && collapsed.has(sectionKey(s)))) return;
      out.enqueue(added.join('\r\n') + '\r\n');
      if (follow) terminal.current?.scrollToBottom();
    });
  }, [logs, job, collapsed, follow, redraws]);

  const toggle = (section: LogSection): void => {
    const key = sectionKey(section);
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  };

  const search = (direction: 'next' | 'previous'): void => {
    if (!query || !terminal.current) return;
    const found = direction === 'next' ? terminal.current.findNext(query) : terminal.current.findPrevious(query);
    setNotFound(!found);
  };

  const copy = (): void => {
    const text = terminal.current?.selection() || logs.linesOf(job).join('\n');
    void navigator.clipboard?.writeText(text);
  };

  const download = (): void => {
    const blob = new Blob([logs.linesOf(job).join('\n') + '\n'], { type: 'text/plain' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${job.replace(/[^A-Za-z0-9_.-]+/g, '_')}.log`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <section className="job-log" aria-label={`Log of ${job}`}>
      <div className="log-toolbar" role="toolbar">
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            search('next');
          }}
        >
          <input aria-label="Find in log" placeholder="Find in log" value={query} onChange={(e) => setQuery(e.target.value)} />
          <button type="submit">Find</button>
          <button type="button" onClick={() => search('previous')}>
            Previous
          </button>
          {notFound && <span className="muted">not found</span>}
        </form>
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" onClick={download}>
          Download
        </button>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <span className="muted">{lineCount} lines{logs.droppedOf(job) > 0 ? ` (${logs.droppedOf(job)} oldest not shown)` : ''}</span>
        {logs.droppedOf(job) > 0 && runFinished && (
          <button
            type="button"
            disabled={loadingWhole}
            onClick={() => {
              setLoadingWhole(true);
              void loadWholeLog(job).finally(() => setLoadingWhole(false));
            }}
          >
            {loadingWhole ? 'Loading…' : 'Load earlier lines'}
          </button>
        )}
      </div>
      <div className="log-body">
        <nav className="section-index" aria-label="Log sections">
          {sections.length === 0 && <p className="muted">No sections yet.</p>}
          <ul>
            {sections.map((section) => {
              const key = sectionKey(section);
              const isCollapsed = collapsed.has(key);
              return (
                <li key={key} style={{ paddingLeft: section.depth * 12 }}>
                  <button type="button" className="link" aria-expanded={!isCollapsed} onClick={() => toggle(section)}>
                    {isCollapsed ? '▸' : '▾'} {section.header || section.name}
                  </button>
                  <span className="muted"> {section.endLine === undefined ? 'running' : formatMs(sectionDurationMs(section))}</span>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="terminal" ref={element} data-testid="terminal" />
      </div>
    </section>
  );
}
