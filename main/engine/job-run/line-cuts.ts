// Where a too-long log line is cut. Masking works on whole lines, so a cut through a secret would let its
// two halves out unmasked: the text is masked before it is cut, and a cut never falls inside `[MASKED]`.

import { createMasker, MASK } from '../../../shared/masking.js';

export interface LineCutter {
  /** The text with every whole secret in it masked. */
  mask(text: string): string;
  /** Characters at the end of unfinished output that may be the start of a secret still arriving. */
  readonly holdBack: number;
  /** A cut at or before `max` that does not split a `[MASKED]`. */
  cutAt(masked: string, max: number): number;
}

export function createLineCutter(secrets: readonly string[]): LineCutter {
  const masker = createMasker(secrets);
  const longest = secrets.reduce((n, s) => Math.max(n, s.length), 0);
  return {
    mask: (text) => (masker.empty ? text : masker.mask(text)),
    holdBack: Math.max(0, longest - 1),
    cutAt(masked, max) {
      if (masker.empty) return max;
      const start = masked.lastIndexOf(MASK, max - 1);
      if (start < 0 || start + MASK.length <= max) return max;
      return start > 0 ? start : start + MASK.length;
    },
  };
}
