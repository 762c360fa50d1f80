// Splitting container output into log lines: across chunk boundaries, `\r\n` and `\n`, multi-byte
// characters cut between chunks, and very long lines cut into bounded pieces.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_CHARS } from '../../../main/engine/job-run/lines.js';

async function split(chunks: Buffer[]): Promise<string[]> {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.write(chunk);
  await new Promise<void>((resolve) => splitter.end(resolve));
  return lines;
}

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('LineSplitter', () => {
  it('joins a line split across chunks and emits the unterminated last line at the end', async () => {
    expect(await split([b('hel'), b('lo\nwor'), b('ld')])).toEqual(['hello', 'world']);
  });

  it('treats \\r\\n as one line end, also when \\r and \\n arrive in different chunks', async () => {
    expect(await split([b('a\r\nb\r'), b('\nc\n')])).toEqual(['a', 'b', 'c']);
  });

  it('keeps empty lines', async () => {
    expect(await split([b('a\n\n\nb\n')])).toEqual(['a', '', '', 'b']);
  });

  it('keeps a multi-byte character whole when a chunk boundary cuts through it', async () => {
    const bytes = b('größe ✓\n');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of ö
    expect(await split([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(['größe ✓']);
  });

  it('cuts a very long line into pieces of at most MAX_LINE_CHARS, losing nothing', async () => {
    const long = 'x'.repeat(MAX_LINE_CHARS * 2 + 10);
    const lines = await split([b(`${long}\nend\n`)]);
    expect(lines.every((line) => line.length <= MAX_LINE_CHARS)).toBe(true);
    expect(lines.slice(0, -1).join('')).toBe(long);
    expect(lines.at(-1)).toBe('end');
  });

  it('emits nothing for no output', async () => {
    expect(await split([])).toEqual([]);
  });

  it('drops output piped in after the log was closed instead of throwing (a late chunk after the drain deadline)', async () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const source = new PassThrough();
    source.pipe(splitter, { end: false });
    source.write('first\n');
    await new Promise((resolve) => setImmediate(resolve));
    const ended = new Promise<void>((resolve) => splitter.end(resolve));
    // While the splitter is ending, a write is an error; without a listener it would be an uncaught
    // exception, ending the process (and every run it drives).
    source.write('late\n');
    await ended;
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual(['first']);
  });
});
