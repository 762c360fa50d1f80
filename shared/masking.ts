// Replaces the values of masked variables with `[MASKED]` (GitLab's word), in whole strings and in
// output that arrives in chunks, where a secret may be split across two chunks.

export const MASK = '[MASKED]';

export interface Masker {
  /** Masks every occurrence of every secret in `text`. */
  mask(text: string): string;
  /** True when there is nothing to mask (lets hot paths skip work). */
  readonly empty: boolean;
}

/** Secrets sorted longest first, so a secret that contains another is masked whole. */
function normalise(secrets: readonly string[]): string[] {
  return [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
}

export function createMasker(secrets: readonly string[]): Masker {
  const values = normalise(secrets);
  return {
    empty: values.length === 0,
    mask(text) {
      let out = text;
      for (const value of values) if (out.includes(value)) out = out.split(value).join(MASK);
      return out;
    },
  };
}

/** Recursively masks every string in a JSON-like value (objects, arrays, strings). */
export function maskDeep<T>(value: T, masker: Masker): T {
  if (masker.empty) return value;
  return maskValue(value, masker) as T;
}

function maskValue(value: unknown, masker: Masker): unknown {
  if (typeof value === 'string') return masker.mask(value);
  if (Array.isArray(value)) return value.map((v) => maskValue(v, masker));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = maskValue(v, masker);
    return out;
  }
  return value;
}

export interface StreamMasker {
  /** Masks a chunk; may hold back a tail that could be the start of a secret. */
  push(chunk: string): string;
  /** Everything held back, masked. Call at end of stream. */
  flush(): string;
}

/**
 * Masks a stream of text chunks. Keeps back at most (longest secret - 1) characters that might be the
 * beginning of a secret continued in the next chunk, so no secret escapes by being split.
 */
export function createStreamMasker(secrets: readonly string[]): StreamMasker {
  const values = normalise(secrets);
  const masker = createMasker(values);
  let pending = '';
  return {
    push(chunk) {
      if (values.length === 0) return chunk;
      const text = masker.mask(pending + chunk);
      const keep = heldBackLength(text, values);
      pending = text.slice(text.length - keep);
      return text.slice(0, text.length - keep);
    },
    flush() {
      const rest = masker.mask(pending);
      pending = '';
      return rest;
    },
  };
}

/** Length of the longest suffix of `text` that is a proper prefix of some secret. */
function heldBackLength(text: string, values: readonly string[]): number {
  let best = 0;
  for (const value of values) {
    const max = Math.min(value.length - 1, text.length);
    for (let n = max; n > best; n--) {
      if (value.startsWith(text.slice(text.length - n))) {
        best = n;
        break;
      }
    }
  }
  return best;
}
