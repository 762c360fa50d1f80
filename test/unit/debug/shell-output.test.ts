// A shell's output masker: secrets masked across chunk boundaries (also split inside a multi-byte
// character), and a held-back tail released once the output settles, so typing stays responsive.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskedOutput } from '../../../main/engine/debug/shell-output.js';
import { MASK } from '../../../shared/masking.js';

function collect(secrets: string[], settleMs?: number): { text: () => string; output: ReturnType<typeof maskedOutput> } {
  let text = '';
  const output = maskedOutput(secrets, (chunk) => (text += chunk), settleMs);
  return { text: () => text, output };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('maskedOutput', () => {
  it('masks a secret split over two, and over many, chunks', () => {
    const { text, output } = collect(['s3cr3t-value']);
    output.push(Buffer.from('MYSECRET=s3cr'));
    output.push(Buffer.from('3t-value\nnext '));
    for (const c of 's3cr3t-value!') output.push(c);
    output.end();
    expect(text()).toBe(`MYSECRET=${MASK}\nnext ${MASK}!`);
  });

  it('never lets a prefix of the secret out before it knows', () => {
    const { text, output } = collect(['topsecret']);
    output.push('x=tops');
    expect(text()).toBe('x=');
    output.push('ecret');
    expect(text()).toBe(`x=${MASK}`);
    output.end();
  });

  it('keeps a multi-byte character whole when a chunk ends inside it', () => {
    const { text, output } = collect(['ключ']);
    const bytes = Buffer.from('a ключ é');
    output.push(bytes.subarray(0, 4));
    output.push(bytes.subarray(4, 10));
    output.push(bytes.subarray(10));
    output.end();
    expect(text()).toBe(`a ${MASK} é`);
  });

  it('releases a held-back tail once no output came for the settle time', () => {
    vi.useFakeTimers();
    const { text, output } = collect(['secret'], 100);
    output.push('typed s');
    expect(text()).toBe('typed ');
    vi.advanceTimersByTime(150);
    expect(text()).toBe('typed s');
    output.end();
  });

  it('passes output through untouched without secrets', () => {
    const { text, output } = collect([]);
    output.push('plain ');
    output.push(Buffer.from('text'));
    output.end();
    expect(text()).toBe('plain text');
  });
});
