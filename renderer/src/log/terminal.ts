// The terminal behind the job log. Components talk to this small interface so they can be tested
// in jsdom with a fake; the real one is xterm.js with its addons.

export interface LogTerminal {
  /** Writes text; the callback runs once xterm has parsed it (used for flow control). */
  write(data: string, callback?: () => void): void;
  clear(): void;
  findNext(term: string): boolean;
  findPrevious(term: string): boolean;
  selection(): string;
  scrollToBottom(): void;
  fit(): void;
  /** Lines kept above the screen; raised when a whole log is loaded. */
  setScrollback(lines: number): void;
  dispose(): void;
}

export type TerminalFactory = (element: HTMLElement, theme: 'light' | 'dark') => LogTerminal;

/**
 * Feeds a terminal without flooding it: xterm parses at 5–35 MB/s and keeps what it has not parsed
 * in memory, so writes pause above a high watermark of pending bytes and resume below a low one.
 */
export class TerminalWriter {
  private queue: string[] = [];
  private pending = 0;
  private readonly onIdle = new Set<() => void>();

  constructor(
    private readonly terminal: LogTerminal,
    private readonly high = 100_000,
    private readonly low = 10_000,
    private readonly chunkSize = 64 * 1024,
  ) {}

  enqueue(text: string): void {
    if (text.length > 0) this.queue.push(text);
    this.pump();
  }

  reset(): void {
    this.queue = [];
    this.terminal.clear();
  }

  /** Resolves when everything queued so far has been parsed by the terminal. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.onIdle.add(resolve));
  }

  private pump(): void {
    while (this.queue.length > 0 && this.pending < this.high) {
      let chunk = '';
      while (this.queue.length > 0 && chunk.length < this.chunkSize) chunk += this.queue.shift();
      this.pending += chunk.length;
      this.terminal.write(chunk, () => {
        this.pending -= chunk.length;
        if (this.pending < this.low) this.pump();
        if (this.pending === 0 && this.queue.length === 0) {
          for (const resolve of this.onIdle) resolve();
          this.onIdle.clear();
        }
      });
    }
  }
}
