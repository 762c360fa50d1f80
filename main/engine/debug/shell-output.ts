// A shell's output on its way to the user: bytes decoded to text (multi-byte characters kept whole
// across chunks) and secrets masked, also when one arrives split over two chunks.

import { StringDecoder } from 'node:string_decoder';
import { createStreamMasker } from '../../../shared/masking.js';

export interface MaskedOutput {
  push(chunk: Buffer | string): void;
  /** Everything held back, at the end of the stream. */
  end(): void;
}

/**
 * A tail that may be the start of a secret is held back until the next chunk, or until no output has
 * come for `settleMs`: a typed character that happens to start a secret must still echo promptly.
 * Output a program prints at once arrives within far less than that.
 */
export function maskedOutput(secrets: readonly string[], onText: (text: string) => void, settleMs = 150): MaskedOutput {
  const decoder = new StringDecoder('utf8');
  const masker = createStreamMasker(secrets);
  let timer: NodeJS.Timeout | undefined;
  const emit = (text: string): void => {
    if (text !== '') onText(text);
  };
  const settle = (): void => {
    timer = undefined;
    emit(masker.flush());
  };
  return {
    push(chunk) {
      if (timer) clearTimeout(timer);
      emit(masker.push(typeof chunk === 'string' ? chunk : decoder.write(chunk)));
      timer = setTimeout(settle, settleMs);
      timer.unref();
    },
    end() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      emit(masker.push(decoder.end()));
      emit(masker.flush());
    },
  };
}
