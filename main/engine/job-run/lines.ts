// Splits a byte stream into lines for `log` events: across chunk boundaries, with `\r\n` and lone `\n`,
// keeping multi-byte characters whole, and cutting very long lines so one line can never hold megabytes.

import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';

export const MAX_LINE_CHARS = 64 * 1024;

export class LineSplitter extends Writable {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {
    super();
    // The only error is a write while ending (a chunk still piped in after the log was closed): drop it.
    this.on('error', () => undefined);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.push(this.decoder.write(chunk));
    callback();
  }

  override _final(callback: () => void): void {
    this.push(this.decoder.end());
    if (this.partial !== '') this.onLine(this.partial);
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
    while (data.length > MAX_LINE_CHARS) {
      this.onLine(data.slice(0, MAX_LINE_CHARS));
      data = data.slice(MAX_LINE_CHARS);
    }
    this.partial = data;
  }

  private emitBounded(line: string): void {
    if (line.length <= MAX_LINE_CHARS) {
      this.onLine(line);
      return;
    }
    for (let start = 0; start < line.length; start += MAX_LINE_CHARS) this.onLine(line.slice(start, start + MAX_LINE_CHARS));
  }
}
