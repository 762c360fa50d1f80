// A job's log in two runs, line by line (times and run ids already normalised by compareRunEvents).
// `n` / `p` (or the buttons) jump between changes.

import { useRef, type KeyboardEvent } from 'react';
import type { LogDiffLine } from '../../../../shared/compare.js';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
// GitLab section markers hide behind a carriage return; only the header after it is shown in a log.
const SECTION = /section_(?:start|end):[^:\r]*:[^\r]*\r/g;

export function displayText(text: string): string {
  return text.replace(SECTION, '').replace(ANSI, '').replace(/\r/g, '');
}

const SIGN = { same: ' ', added: '+', removed: '−' } as const;

export function LogDiff({ lines }: { lines: LogDiffLine[] }) {
  const listRef = useRef<HTMLDivElement>(null);
  const added = lines.filter((l) => l.op === 'added').length;
  const removed = lines.filter((l) => l.op === 'removed').length;

  const jump = (direction: 1 | -1) => {
    const list = listRef.current;
    if (!list) return;
    const changes = Array.from(list.querySelectorAll<HTMLElement>('[data-op="added"], [data-op="removed"]'));
    const top = list.scrollTop;
    const target = direction === 1 ? changes.find((el) => el.offsetTop > top + 1) : [...changes].reverse().find((el) => el.offsetTop < top - 1);
    if (target) list.scrollTop = target.offsetTop;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'n') jump(1);
    else if (event.key === 'p') jump(-1);
  };

  if (lines.length === 0) return <p className="muted">Neither run logged anything for this job.</p>;
  return (
    <div className="log-diff">
      <div className="log-diff-toolbar">
        <span>
          <span className="diff-added">+{added}</span> <span className="diff-removed">−{removed}</span> lines
          {added + removed === 0 && <span className="muted"> (the logs match, times and run ids aside)</span>}
        </span>
        {added + removed > 0 && (
          <span>
            <button type="button" className="small" onClick={() => jump(-1)}>
              Previous change
            </button>{' '}
            <button type="button" className="small" onClick={() => jump(1)}>
              Next change
            </button>
          </span>
        )}
      </div>
      <div className="log-diff-lines" role="list" aria-label="Log differences" tabIndex={0} ref={listRef} onKeyDown={onKeyDown}>
        {lines.map((line, index) =>
          line.op === 'skipped' ? (
            <div key={index} role="listitem" data-op="skipped" className="diff-line diff-skipped">
              … {line.count} unchanged line{line.count === 1 ? '' : 's'}
            </div>
          ) : (
            <div key={index} role="listitem" data-op={line.op} className={`diff-line diff-${line.op}`}>
              <span className="diff-sign" aria-hidden="true">
                {SIGN[line.op]}
              </span>
              {line.op !== 'same' && <span className="visually-hidden">{line.op}: </span>}
              <span className="diff-text">{displayText(line.text)}</span>
            </div>
          ),
        )}
      </div>
    </div>
  );
}
