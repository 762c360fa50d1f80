import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/events.js';
import { BACKLOG_LOG_LINES, RunEmitter } from '../../../main/engine/emitter.js';

describe('run emitter', () => {
  it('masks, stores every event, and keeps only the latest log lines for late subscribers', () => {
    const stored: RunEvent[] = [];
    const emitter = new RunEmitter('r1', ['s3cret'], (event) => stored.push(event));
    emitter.emit({ type: 'job', job: 'j', state: 'running' });
    const total = BACKLOG_LOG_LINES * 2;
    for (let i = 0; i < total; i++) emitter.emit({ type: 'log', job: 'j', source: 'build', stream: 'stdout', text: `line ${i} s3cret` });
    emitter.emit({ type: 'job', job: 'j', state: 'success' });

    expect(stored).toHaveLength(total + 2);
    expect(stored[1]).toMatchObject({ text: 'line 0 [MASKED]' });

    const late: RunEvent[] = [];
    emitter.subscribe((event) => late.push(event));
    const logs = late.filter((e) => e.type === 'log');
    expect(logs.length).toBeGreaterThanOrEqual(BACKLOG_LOG_LINES);
    expect(logs.length).toBeLessThanOrEqual(BACKLOG_LOG_LINES * 1.5);
    expect(logs.at(-1)).toMatchObject({ text: `line ${total - 1} [MASKED]` });
    expect(late.filter((e) => e.type === 'job').map((e) => (e.type === 'job' ? e.state : ''))).toEqual(['running', 'success']);
  });
});
