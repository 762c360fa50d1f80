import { describe, expect, it } from 'vitest';
import { TerminalWriter, type LogTerminal } from '../../renderer/src/log/terminal.js';

/** A terminal that parses only when told to, like xterm under load. */
function slowTerminal() {
  const waiting: { data: string; callback?: () => void }[] = [];
  const written: string[] = [];
  const terminal: LogTerminal = {
    write: (data, callback) => void waiting.push({ data, callback }),
    clear: () => (written.length = 0),
    findNext: () => false,
    findPrevious: () => false,
    selection: () => '',
    scrollToBottom: () => undefined,
    fit: () => undefined,
    setScrollback: () => undefined,
    dispose: () => undefined,
  };
  const parse = () => {
    const next = waiting.shift();
    if (!next) return false;
    written.push(next.data);
    next.callback?.();
    return true;
  };
  return { terminal, waiting, written, parse };
}

describe('terminal flow control', () => {
  it('never has more than the high watermark pending, and delivers everything in order', async () => {
    const fake = slowTerminal();
    const writer = new TerminalWriter(fake.terminal, 100_000, 10_000, 16_384);
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}\r\n`);
    for (const line of lines) writer.enqueue(line);
    const pendingBytes = () => fake.waiting.reduce((sum, w) => sum + w.data.length, 0);
    expect(pendingBytes()).toBeLessThan(100_000 + 16_384 + 100);
    let maxPending = 0;
    const idle = writer.idle();
    while (fake.parse()) maxPending = Math.max(maxPending, pendingBytes());
    await idle;
    expect(maxPending).toBeLessThan(100_000 + 16_384 + 100);
    expect(fake.written.join('')).toBe(lines.join(''));
  });
});
