import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../../shared/events.js';
import { createEventBatcher } from '../../../main/app/event-batcher.js';

const line = (text: string): RunEvent => ({ type: 'log', runId: 'r', time: 0, job: 'j', source: 'build', stream: 'stdout', text });

describe('event batcher', () => {
  afterEach(() => vi.useRealTimers());

  it('sends one batch per interval instead of one message per event', () => {
    vi.useFakeTimers();
    const batches: RunEvent[][] = [];
    const batcher = createEventBatcher((events) => batches.push(events), { maxDelayMs: 16, maxBytes: 1_000_000 });
    for (let i = 0; i < 100; i++) batcher.push(line(`line ${i}`));
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(16);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(100);
  });

  it('flushes early when a batch reaches the byte limit, keeping order', () => {
    const batches: RunEvent[][] = [];
    const batcher = createEventBatcher((events) => batches.push(events), { maxDelayMs: 10_000, maxBytes: 1_000 });
    for (let i = 0; i < 10; i++) batcher.push(line('x'.repeat(400) + i));
    batcher.close();
    expect(batches.length).toBeGreaterThan(3);
    expect(batches.flat().map((e) => (e.type === 'log' ? e.text.slice(400) : ''))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    batcher.push(line('after close'));
    expect(batches.flat()).toHaveLength(10);
  });
});
