// GitLab durations read from the user's files (`start_in`, `auto_stop_in`), never throwing.

import { parseDuration } from '../../shared/duration.js';

/** Milliseconds of a positive duration, or undefined when the text is not one. */
export function safeDuration(text: string): number | undefined {
  try {
    const ms = parseDuration(text);
    return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

export const ONE_WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * `start_in` of a delayed job or rule: GitLab's message when it is not a duration or exceeds a week.
 * Returns the milliseconds, or the message.
 */
export function startInMs(text: string): number | string {
  const ms = safeDuration(text);
  if (ms === undefined) return `start_in "${text}" should be a duration (e.g. 30 minutes, 1 day)`;
  if (ms > ONE_WEEK_MS) return `start_in "${text}" should not exceed the limit (1 week)`;
  return ms;
}
