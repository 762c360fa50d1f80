// Splits a byte stream into lines for `log` events: across chunk boundaries, with `\r\n` and lone `\n`,
// keeping multi-byte characters whole, and cutting very long lines so one line can never hold megabytes.

import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import { createLineCutter } from './line-cuts.js';

export const MAX_LINE_CHARS = 64 * 1024;

export class LineSplitter extends Writable {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private readonly cutter;

  /** `secrets`: values the cut of a long line must not split (see line-cuts.ts). */
  constructor(private readonly onLine: (line: string) => void, secrets: readonly string[] = []) {
    super();
    // The only error is a write while ending (a chunk still piped in after the log was closed): drop it.
    this.on('error', () => undefined);
    this.cutter = createLineCutter(secrets);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.push(this.decoder.write(chunk));
    callback();
  }

  override _final(callback: () => void): void {
    this.push(this.decoder.end());
    if (this.partial !== '') this.emitBounded(this.partial);
    this.partial = '';
    callback();
  }

  private push(text: string): void {
    let data = this.partial + text;
    let newline = data.indexOf('\n');
    while (newline >= 0) {
      const line = data.slice(0, newline);
      this.emitBounded(line.endsWith('\r') ? line.slice(0, -1) : line);
      data = data.slice(newline + 1);
      newline = data.indexOf('\n');
    }
    // An unfinished line is cut only once any secret starting before the cut has fully arrived.
    if (data.length > MAX_LINE_CHARS + this.cutter.holdBack) data = this.cutter.mask(data);
    while (data.length > MAX_LINE_CHARS + this.cutter.holdBack) {
      const cut = this.cutter.cutAt(data, MAX_LINE_CHARS);
      this.onLine(data.slice(0, cut));
      data = data.slice(cut);
    }
    this.partial = data;
  }

  private emitBounded(line: string): void {
    if (line.length <= MAX_LINE_CHARS) {
      this.onLine(line);
      return;
    }
    let rest = this.cutter.mask(line);
    while (rest.length > MAX_LINE_CHARS) {
      const cut = this.cutter.cutAt(rest, MAX_LINE_CHARS);
      this.onLine(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    if (rest !== '') this.onLine(rest);
  }
}
