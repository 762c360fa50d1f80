// Long values a user wrote (a 100 KB image reference, a 10 KB name) are cut in messages, so that one
// bad value cannot fill the terminal, the log or a stored event.

export const SHOWN_CHARS = 80;

/** The text, or its first SHOWN_CHARS characters and "…" with its full length. */
export function shortened(text: string, max = SHOWN_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
