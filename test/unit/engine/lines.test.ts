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

describe('LineSplitter with secrets', () => {
  const secret = 'S3CRET-0123456789-abcdefghij';
  async function splitMasked(chunks: Buffer[]): Promise<string[]> {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), [secret]);
    for (const chunk of chunks) splitter.write(chunk);
    await new Promise<void>((resolve) => splitter.end(resolve));
    return lines;
  }
  const halves = [secret.slice(0, 10), secret.slice(10)];
  const leaks = (lines: string[]): boolean => lines.some((l) => halves.some((h) => l.includes(h)));

  it('never cuts a long line through a secret (whole line in one chunk)', async () => {
    const line = `${'x'.repeat(MAX_LINE_CHARS - 10)}${secret}${'y'.repeat(100)}`;
    const lines = await splitMasked([b(`${line}\n`)]);
    expect(leaks(lines)).toBe(false);
    expect(lines.join('')).toBe(`${'x'.repeat(MAX_LINE_CHARS - 10)}[MASKED]${'y'.repeat(100)}`);
    expect(lines.every((l) => l.length <= MAX_LINE_CHARS)).toBe(true);
  });

  it('never cuts an unfinished long line through a secret arriving in pieces', async () => {
    const head = 'x'.repeat(MAX_LINE_CHARS - 10);
    const lines = await splitMasked([b(head + halves[0]!), b(halves[1]!), b('y'.repeat(MAX_LINE_CHARS)), b('\n')]);
    expect(leaks(lines)).toBe(false);
    expect(lines.join('')).toBe(`${head}[MASKED]${'y'.repeat(MAX_LINE_CHARS)}`);
    expect(lines.every((l) => l.length <= MAX_LINE_CHARS)).toBe(true);
  });

  it('does not cut through [MASKED] itself', async () => {
    const line = `${'x'.repeat(MAX_LINE_CHARS - 3)}${secret}`;
    const lines = await splitMasked([b(line)]);
    expect(lines).toEqual(['x'.repeat(MAX_LINE_CHARS - 3), '[MASKED]']);
  });
});
